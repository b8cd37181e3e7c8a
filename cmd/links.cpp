// async links REF: what a document links to and what links to it.
#include "command.hpp"
#include "output.hpp"

#include <async/text.hpp>

#include <CLI/CLI.hpp>

namespace async::cmd {
namespace {

struct LinksOptions {
    std::string ref;
};

// A link as it is written: [[target]], #id, or the relative path.
std::string written_form(const LinkRow& link) {
    switch (link.kind) {
    case LinkKind::wiki: return "[[" + link.target + "]]";
    case LinkKind::reference: return "#" + link.target;
    case LinkKind::file: break;
    }
    return link.target;
}

std::string unresolved_reason(const LinkRow& link) {
    if (link.candidates > 1) {
        return "ambiguous: " + std::to_string(link.candidates) + " documents";
    }
    return "not found";
}

void write_links_to(JsonWriter& json, const std::vector<LinkRow>& links) {
    json.key("links_to").begin_array();
    for (const auto& l : links) {
        json.begin_object();
        json.key("kind").value(to_string(l.kind));
        json.key("target").value(l.target);
        json.key("line").value(static_cast<std::int64_t>(l.line));
        json.key("resolved").value(l.doc.has_value());
        json.key("problem");
        if (l.doc) {
            json.null();
        } else {
            json.value(l.candidates > 1 ? "ambiguous" : "not found");
        }
        json.key("candidates").value(static_cast<std::int64_t>(l.candidates));
        json.key("document");
        if (l.doc) {
            json.begin_object();
            write_doc_fields(json, *l.doc);
            json.end_object();
        } else {
            json.null();
        }
        json.end_object();
    }
    json.end_array();
}

void run_links(Context& ctx, const LinksOptions& opts) {
    Index& index = ctx.index();
    DocSummary doc = resolve_ref(index, opts.ref, std::filesystem::current_path());
    std::vector<LinkRow> to = links_from(index, doc);
    std::vector<Backlink> from = linked_from(index, doc);
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object().key("schema").value(k_json_schema);
        json.key("document").begin_object();
        write_doc_fields(json, doc);
        json.end_object();
        write_links_to(json, to);
        write_linked_from(json, from);
        json.end_object();
        ctx.print(json.str());
        return;
    }
    std::size_t width = output_width(ctx);
    std::string out = "Links to:\n";
    if (to.empty()) {
        out += "  none\n";
    } else {
        std::vector<std::vector<std::string>> table;
        for (const auto& l : to) {
            std::string line = std::to_string(l.line);
            if (l.doc) {
                table.push_back({line, l.doc->id, l.doc->title, l.doc->path});
            } else {
                table.push_back({line, written_form(l), unresolved_reason(l), ""});
            }
        }
        out += indented_table(table, {3, 2}, width);
    }
    out += "Linked from:\n";
    out += from.empty() ? "  none\n" : linked_from_table(from, width);
    ctx.print(out);
}

} // namespace

void add_links_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<LinksOptions>();
    auto* cmd = app.add_subcommand("links", "Print what a document links to and what links to it");
    cmd->add_option("REF", opts->ref, "An id, an id prefix (4+ characters) or a path")->required();
    add_wide_flag(*cmd, ctx);
    cmd->callback([&ctx, opts] { run_links(ctx, *opts); });
}

} // namespace async::cmd
