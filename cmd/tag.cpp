// async tag REF [+TAG|-TAG]…: add and remove tags of one of my documents, or list its tags.
#include "command.hpp"

#include <async/error.hpp>
#include <async/json.hpp>
#include <async/text.hpp>
#include <async/writeup.hpp>

#include <CLI/CLI.hpp>

namespace async::cmd {
namespace {

struct TagOptions {
    std::string ref;
    std::vector<std::string> changes; // +TAG, -TAG (CLI11 hands "-TAG" over as an extra)
};

void run_tag(Context& ctx, const TagOptions& opts, const std::vector<std::string>& extras) {
    std::vector<std::string> add, remove;
    auto take = [&](const std::string& word) {
        if (word == "--") {
            return; // the separator, which CLI11 keeps among the extras
        }
        if (word.size() > 1 && word.front() == '+') {
            add.push_back(word.substr(1));
        } else if (word.starts_with("--")) {
            throw Error{ErrorKind::usage, "'" + sanitize_for_terminal(word, Newlines::flatten) + "' is not an option of async tag",
                        "options of async go before the command: async --json tag REF"};
        } else if (word.size() > 1 && word.front() == '-') {
            remove.push_back(word.substr(1));
        } else {
            throw Error{ErrorKind::usage, "'" + sanitize_for_terminal(word, Newlines::flatten) + "' is neither +TAG nor -TAG",
                        "async tag REF +web -draft"};
        }
    };
    for (const auto& w : opts.changes) {
        take(w);
    }
    for (const auto& w : extras) {
        take(w);
    }
    DocSummary doc = resolve_ref(ctx.index(), opts.ref, std::filesystem::current_path());
    TagEdit edit{doc.tags, false};
    if (!add.empty() || !remove.empty()) {
        edit = edit_tags(ctx.session(), doc, add, remove);
        if (edit.changed) {
            ctx.wrote({ctx.workspace().root() / doc.path});
        } else {
            ctx.notice("no changes");
        }
    }
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object().key("schema").value(k_json_schema).key("id").value(doc.id).key("path").value(doc.path);
        json.key("changed").value(edit.changed).key("tags").begin_array();
        for (const auto& t : edit.tags) {
            json.value(t);
        }
        json.end_array().end_object();
        ctx.print(json.str());
        return;
    }
    std::string out;
    for (const auto& t : edit.tags) {
        out += sanitize_for_terminal(t, Newlines::flatten) + "\n";
    }
    ctx.print(out);
}

} // namespace

void add_tag_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<TagOptions>();
    auto* cmd = app.add_subcommand("tag", "Add (+TAG) and remove (-TAG) tags of my document; without them, list its tags");
    cmd->add_option("REF", opts->ref, "The document: an id, an id prefix or a path")->required();
    cmd->add_option("CHANGES", opts->changes, "+TAG to add, -TAG to remove (repeatable)")->type_name("+TAG|-TAG");
    // "-draft" reads like an option: the ones CLI11 does not know arrive as extras, in order,
    // instead of falling through to async's own options.
    cmd->allow_extras();
    cmd->fallthrough(false);
    cmd->callback([&ctx, opts, cmd] { run_tag(ctx, *opts, cmd->remaining()); });
}

} // namespace async::cmd
