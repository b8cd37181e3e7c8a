// async show REF: a document with its replies and responses threaded under it.
#include "answers.hpp"
#include "command.hpp"
#include "output.hpp"

#include <async/dates.hpp>
#include <async/document.hpp>
#include <async/error.hpp>
#include <async/feedback.hpp>
#include <async/meeting.hpp>
#include <async/text.hpp>

#include <CLI/CLI.hpp>

namespace async::cmd {
namespace {

struct ShowOptions {
    std::string ref;
};

std::string body_of(const Workspace& ws, const DocSummary& d) {
    return read_document(ws.root(), d.path).body();
}

void run_show(Context& ctx, const ShowOptions& opts) {
    Index& index = ctx.index();
    const Workspace& ws = ctx.workspace();
    DocSummary doc = resolve_ref(index, opts.ref, std::filesystem::current_path());
    auto children = children_of(index, doc);
    bool meeting = doc.type == "meeting";
    AnswerKind kind = meeting ? AnswerKind::response : AnswerKind::review;
    auto answers = meeting ? meeting_status(index, doc, ctx.clock().now()) : reviews_of(index, doc, ctx.clock().now());
    std::vector<Backlink> backlinks = linked_from(index, doc);
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object().key("schema").value(k_json_schema);
        write_doc_fields(json, doc);
        json.key("body").value(body_of(ws, doc));
        if (meeting ? !doc.participants.empty() : !doc.reviewers.empty()) {
            write_answers(json, answers, kind);
        }
        write_linked_from(json, backlinks);
        json.key("thread").begin_array();
        for (const auto& c : children) {
            json.begin_object();
            write_doc_fields(json, c);
            json.key("body").value(body_of(ws, c));
            json.end_object();
        }
        json.end_array().end_object();
        ctx.print(json.str());
        return;
    }
    std::string out = sanitize_for_terminal(read_file(ws.root() / doc.path)) + answer_lines(answers, kind);
    if (!backlinks.empty()) {
        out += "\nLinked from:\n" + linked_from_table(backlinks, output_width(ctx));
    }
    for (const auto& c : children) {
        std::string when = c.created ? format_local(*c.created) : std::string{};
        out += "\n" + styled(ctx, "── " + c.type + " by " + sanitize_for_terminal(c.author, Newlines::flatten) +
                                      (when.empty() ? "" : ", " + when) + " (" + c.path + ")", "1") + "\n\n";
        out += sanitize_for_terminal(body_of(ws, c));
    }
    ctx.print(out);
}

} // namespace

void add_show_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<ShowOptions>();
    auto* cmd = app.add_subcommand("show", "Print a document with its replies and responses threaded");
    cmd->add_option("REF", opts->ref, "An id, an id prefix (4+ characters) or a path")->required();
    cmd->callback([&ctx, opts] { run_show(ctx, *opts); });
}

} // namespace async::cmd
