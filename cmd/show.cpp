// async show REF: a document with its replies and responses threaded under it.
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

// "reviews" [{handle, state, replied}] of a document, "responses" [{handle, state, responded}]
// of a meeting (the shape of `meeting status --json`).
void write_answers(JsonWriter& json, const std::vector<Review>& answers, bool meeting) {
    json.key(meeting ? "responses" : "reviews").begin_array();
    for (const auto& r : answers) {
        std::string state{meeting ? response_state_name(r.state) : to_string(r.state)};
        json.begin_object().key("handle").value(r.handle).key("state").value(state);
        if (r.replied) {
            json.key(meeting ? "responded" : "replied").value(format_utc(*r.replied));
        }
        json.end_object();
    }
    json.end_array();
}

// "review bob: answered Fri 2026-11-27 10:15" (a meeting: "response bob: responded …"), one
// line per reviewer or participant after the document.
std::string answer_lines(const std::vector<Review>& answers, bool meeting) {
    std::string out = answers.empty() ? "" : "\n";
    for (const auto& r : answers) {
        std::string state{meeting ? response_state_name(r.state) : to_string(r.state)};
        out += (meeting ? "response " : "review ") + sanitize_for_terminal(r.handle, Newlines::flatten) + ": " + state +
               (r.replied ? " " + format_local(*r.replied) : std::string{}) + "\n";
    }
    return out;
}

void run_show(Context& ctx, const ShowOptions& opts) {
    Index& index = ctx.index();
    const Workspace& ws = ctx.workspace();
    DocSummary doc = resolve_ref(index, opts.ref, std::filesystem::current_path());
    auto children = children_of(index, doc);
    bool meeting = doc.type == "meeting";
    auto answers = meeting ? meeting_status(index, doc, ctx.clock().now()) : reviews_of(index, doc, ctx.clock().now());
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object().key("schema").value(k_json_schema);
        write_doc_fields(json, doc);
        json.key("body").value(body_of(ws, doc));
        if (meeting ? !doc.participants.empty() : !doc.reviewers.empty()) {
            write_answers(json, answers, meeting);
        }
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
    std::string out = sanitize_for_terminal(read_file(ws.root() / doc.path)) + answer_lines(answers, meeting);
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
