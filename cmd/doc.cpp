// async doc new|reply|close|status: write-ups and the feedback on them.
#include "answers.hpp"
#include "command.hpp"
#include "output.hpp"

#include <async/error.hpp>
#include <async/feedback.hpp>
#include <async/json.hpp>
#include <async/text.hpp>
#include <async/writeup.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>

namespace fs = std::filesystem;

namespace async::cmd {
namespace {

struct DocNewOptions {
    std::string title;
    std::string template_name = "doc";
    std::vector<std::string> reviewers;
    std::string due;
    bool has_due = false;
    std::vector<std::string> tags;
    std::vector<std::string> attach;
    BodyFlags body;
};

// Says what was copied and prints "ID PATH", updating the index for the document and the
// folders of its attachments.
void print_with_attachments(Context& ctx, const Written& written) {
    std::vector<fs::path> folders;
    for (const auto& copy : written.attached) {
        ctx.notice("attached " + ctx.shown_path(copy));
        if (std::find(folders.begin(), folders.end(), copy.parent_path()) == folders.end()) {
            folders.push_back(copy.parent_path());
        }
    }
    print_written(ctx, written, folders);
}

std::vector<fs::path> attach_paths(const std::vector<std::string>& attach) {
    std::vector<fs::path> out;
    for (const auto& a : attach) {
        out.push_back(fs::absolute(a));
    }
    return out;
}

void run_doc_new(Context& ctx, const DocNewOptions& opts) {
    NewWriteup request;
    request.title = std::string{trim(opts.title)};
    request.template_name = opts.template_name;
    for (const auto& r : opts.reviewers) {
        if (!trim(r).empty()) {
            request.reviewers.push_back(std::string{trim(r)});
        }
    }
    for (const auto& t : opts.tags) {
        if (!trim(t).empty()) {
            request.tags.push_back(std::string{trim(t)});
        }
    }
    if (opts.has_due) {
        request.due = resolve_date(ctx, opts.due, DateRole::deadline, "due");
    }
    request.attachments = attach_paths(opts.attach);
    request.body = body_input(opts.body);
    bool whole_document = request.body.file_text && trim(*request.body.file_text).starts_with("+++");
    if (request.title.empty() && !whole_document) {
        throw Error{ErrorKind::usage, "a title is required", "async doc new \"TITLE\""};
    }
    if (request.title.size() > 500) {
        throw Error{ErrorKind::usage, "the title is too long (over 500 bytes)"};
    }
    warn_unknown_people(ctx, request.reviewers, "--reviewers");
    if (request.due) {
        warn_away_people(ctx, request.reviewers, *request.due, "--reviewers");
    }
    print_with_attachments(ctx, create_writeup(ctx.session(), request));
}

struct DocReplyOptions {
    std::string ref;
    std::vector<std::string> attach;
    BodyFlags body;
};

void run_doc_reply(Context& ctx, const DocReplyOptions& opts) {
    BodyInput body = body_input(opts.body);
    DocSummary doc = resolve_ref(ctx.index(), opts.ref, fs::current_path());
    if (doc.status == "closed") {
        ctx.notice("note: '" + sanitize_for_terminal(doc.title, Newlines::flatten) + "' is closed; replying anyway");
    }
    print_with_attachments(ctx, create_reply(ctx.session(), doc, body, attach_paths(opts.attach)));
}

struct DocCloseOptions {
    std::string ref;
    std::string outcome;
    bool has_outcome = false;
};

void run_doc_close(Context& ctx, const DocCloseOptions& opts) {
    Index& index = ctx.index();
    DocSummary doc = resolve_ref(index, opts.ref, fs::current_path());
    std::optional<std::string> outcome;
    if (opts.has_outcome) {
        outcome = opts.outcome;
    }
    CloseResult result = close_document(ctx.workspace(), doc, ctx.clock().now(), outcome);
    if (result == CloseResult::already_closed) {
        ctx.notice("'" + sanitize_for_terminal(doc.path, Newlines::flatten) + "' is already closed");
        return;
    }
    ctx.wrote({ctx.workspace().root() / doc.path});
    ctx.notice((result == CloseResult::closed ? "closed '" : "outcome added to '") +
               sanitize_for_terminal(doc.path, Newlines::flatten) + "'");
}

struct DocStatusOptions {
    std::string ref;
};

void run_doc_status(Context& ctx, const DocStatusOptions& opts) {
    Index& index = ctx.index();
    DocSummary doc = resolve_ref(index, opts.ref, fs::current_path());
    if (doc.type == "meeting") {
        throw Error{ErrorKind::usage, "'" + sanitize_for_terminal(doc.title, Newlines::flatten) + "' is a meeting",
                    "async meeting status " + doc.id};
    }
    if (!doc.parent.empty()) {
        throw Error{ErrorKind::usage, "'" + sanitize_for_terminal(doc.path, Newlines::flatten) +
                                          "' answers another document; ask about that one",
                    "async doc status " + doc.parent};
    }
    print_answer_status(ctx, doc, reviews_of(index, doc, ctx.clock().now()), AnswerKind::review);
}

} // namespace

void add_doc_command(CLI::App& app, Context& ctx) {
    auto* doc = app.add_subcommand("doc", "Write-ups: new documents, feedback, outcomes");
    doc->require_subcommand(1);

    auto opts = std::make_shared<DocNewOptions>();
    auto* add = doc->add_subcommand("new", "Write a document from a template in the editor");
    add->add_option("TITLE", opts->title, "The document's title");
    add->add_option("-t,--template", opts->template_name, "Template: doc, decision, sop, onboarding, post, watercooler or your own")
        ->type_name("NAME");
    add->add_option("-r,--reviewers", opts->reviewers, "People whose feedback is wanted (a,b)")
        ->type_name("HANDLES")->delimiter(',')->allow_extra_args(false);
    add->add_option("-d,--due", opts->due, "Feedback deadline (fri, +3d, 2026-12-01, eow…)")->type_name("DATE")
        ->each([opts](const std::string&) { opts->has_due = true; });
    add->add_option("--tag", opts->tags, "A tag (repeatable, or a,b)")->type_name("TAG")->delimiter(',')
        ->allow_extra_args(false);
    add->add_option("-a,--attach", opts->attach, "A file to copy into attachments/ and link (repeatable)")
        ->type_name("FILE")->allow_extra_args(false);
    add_body_flags(*add, opts->body);
    add->callback([&ctx, opts] { run_doc_new(ctx, *opts); });

    auto reply_opts = std::make_shared<DocReplyOptions>();
    auto* reply = doc->add_subcommand("reply", "Write my reply (feedback) to a document in the editor");
    reply->add_option("REF", reply_opts->ref, "The document: an id, an id prefix (4+ characters) or a path")->required();
    reply->add_option("-a,--attach", reply_opts->attach, "A file to copy beside the reply and link (repeatable)")
        ->type_name("FILE")->allow_extra_args(false);
    add_body_flags(*reply, reply_opts->body);
    reply->callback([&ctx, reply_opts] { run_doc_reply(ctx, *reply_opts); });

    auto close_opts = std::make_shared<DocCloseOptions>();
    auto* close = doc->add_subcommand("close", "Mark a document closed, optionally recording the outcome");
    close->add_option("REF", close_opts->ref, "The document: an id, an id prefix (4+ characters) or a path")->required();
    close->add_option("-m,--message", close_opts->outcome, "The outcome, recorded as a decision")->type_name("OUTCOME")
        ->each([close_opts](const std::string&) { close_opts->has_outcome = true; });
    close->callback([&ctx, close_opts] { run_doc_close(ctx, *close_opts); });

    auto status_opts = std::make_shared<DocStatusOptions>();
    auto* status = doc->add_subcommand("status", "Who answered, who is pending or overdue; exit 1 while anyone is");
    status->add_option("REF", status_opts->ref, "The document: an id, an id prefix (4+ characters) or a path")->required();
    add_wide_flag(*status, ctx);
    status->callback([&ctx, status_opts] { run_doc_status(ctx, *status_opts); });
}

} // namespace async::cmd
