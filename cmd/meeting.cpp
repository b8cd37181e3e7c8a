// async meeting open|respond|status|close: async meetings with mandatory responses.
#include "answers.hpp"
#include "command.hpp"
#include "output.hpp"

#include <async/dates.hpp>
#include <async/error.hpp>
#include <async/meeting.hpp>
#include <async/text.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>

namespace fs = std::filesystem;

namespace async::cmd {
namespace {

constexpr const char* k_ref_help = "The meeting: an id, an id prefix (4+ characters) or a path";

struct OpenOptions {
    std::string title;
    std::vector<std::string> with;
    std::string due;
    bool has_due = false;
    std::vector<std::string> attach;
    BodyFlags body;
};

void run_open(Context& ctx, const OpenOptions& opts) {
    NewMeeting request;
    request.title = std::string{trim(opts.title)};
    if (request.title.empty()) {
        throw Error{ErrorKind::usage, "a title is required", "async meeting open \"TITLE\" --with bob,carol"};
    }
    if (request.title.size() > 500) {
        throw Error{ErrorKind::usage, "the title is too long (over 500 bytes)"};
    }
    for (const auto& w : opts.with) {
        if (!trim(w).empty()) {
            request.participants.push_back(std::string{trim(w)});
        }
    }
    if (opts.has_due) {
        request.due = resolve_date(ctx, opts.due, DateRole::deadline, "responses due");
    }
    for (const auto& a : opts.attach) {
        request.attachments.push_back(fs::absolute(a));
    }
    request.body = body_input(opts.body);
    warn_unknown_people(ctx, request.participants, "--with");
    if (request.due) {
        warn_away_people(ctx, request.participants, *request.due, "--with");
    }
    OpenedMeeting opened = open_meeting(ctx.session(), request);
    for (const auto& copy : opened.attached) {
        ctx.notice("attached " + ctx.shown_path(copy));
    }
    // The whole bundle: the agenda, its attachments and the transcripts among them.
    print_written(ctx, opened.agenda, {opened.agenda.path.parent_path()});
}

struct RefOptions {
    std::string ref;
    BodyFlags body;
};

struct RespondOptions {
    std::string ref;
    std::vector<std::string> attach;
    BodyFlags body;
};

void run_respond(Context& ctx, const RespondOptions& opts) {
    BodyInput body = body_input(opts.body);
    DocSummary meeting = resolve_ref(ctx.index(), opts.ref, fs::current_path());
    if (!meeting.participants.empty() &&
        std::find(meeting.participants.begin(), meeting.participants.end(), ctx.me()) == meeting.participants.end()) {
        ctx.notice("note: you are not a participant of '" + sanitize_for_terminal(meeting.title, Newlines::flatten) +
                   "'; responding anyway");
    }
    std::vector<fs::path> attachments;
    for (const auto& a : opts.attach) {
        attachments.push_back(fs::absolute(a));
    }
    Response r = respond_to_meeting(ctx.session(), meeting, body, attachments);
    std::vector<fs::path> folders;
    for (const auto& copy : r.attached) {
        ctx.notice("attached " + ctx.shown_path(copy));
        if (std::find(folders.begin(), folders.end(), copy.parent_path()) == folders.end()) {
            folders.push_back(copy.parent_path());
        }
    }
    if (r.outcome == ResponseOutcome::unchanged) {
        ctx.notice("no changes to " + ctx.shown_path(r.path));
        return;
    }
    print_written(ctx, Written{r.id, r.path}, folders);
}

void run_status(Context& ctx, const RefOptions& opts) {
    DocSummary meeting = resolve_ref(ctx.index(), opts.ref, fs::current_path());
    require_meeting(meeting);
    print_answer_status(ctx, meeting, meeting_status(ctx.index(), meeting, ctx.clock().now()), AnswerKind::response);
}

void run_close(Context& ctx, const RefOptions& opts) {
    BodyInput body = body_input(opts.body);
    Index& index = ctx.index();
    DocSummary meeting = resolve_ref(index, opts.ref, fs::current_path());
    ClosedMeeting closed =
        close_meeting(ctx.session(), index, meeting, body);
    if (closed.outcome == CloseOutcome::already_closed) {
        ctx.notice("'" + sanitize_for_terminal(meeting.title, Newlines::flatten) + "' is already closed; its summary is " +
                   ctx.shown_path(closed.summary));
        return;
    }
    if (!closed.pending.empty()) {
        std::string who;
        for (const auto& p : closed.pending) {
            who += (who.empty() ? "" : ", ") + p;
        }
        ctx.notice("closed without a response from " + sanitize_for_terminal(who, Newlines::flatten));
    }
    print_written(ctx, Written{closed.summary_id.empty() ? meeting.id : closed.summary_id, closed.summary},
                  {ctx.workspace().root() / meeting.path});
}

} // namespace

void add_meeting_command(CLI::App& app, Context& ctx) {
    auto* meeting = app.add_subcommand("meeting", "Async meetings: an agenda, everyone's written response, a summary");
    meeting->require_subcommand(1);

    auto open_opts = std::make_shared<OpenOptions>();
    auto* open = meeting->add_subcommand("open", "Write an agenda; participants must respond by the deadline");
    open->add_option("TITLE", open_opts->title, "The meeting's title");
    open->add_option("-w,--with", open_opts->with, "The participants who must respond (a,b)")
        ->type_name("HANDLES")->delimiter(',')->allow_extra_args(false)->required();
    open->add_option("-d,--due", open_opts->due, "Response deadline (fri, +3d, 2026-12-01, eow…)")->type_name("DATE")
        ->each([open_opts](const std::string&) { open_opts->has_due = true; });
    open->add_option("-a,--attach", open_opts->attach, "A file to copy into attachments/ and link (repeatable)")
        ->type_name("FILE")->allow_extra_args(false);
    add_body_flags(*open, open_opts->body);
    open->callback([&ctx, open_opts] { run_open(ctx, *open_opts); });

    auto respond_opts = std::make_shared<RespondOptions>();
    auto* respond = meeting->add_subcommand("respond", "Write (or edit) my response, one section per agenda item");
    respond->add_option("REF", respond_opts->ref, k_ref_help)->required();
    respond->add_option("-a,--attach", respond_opts->attach,
                        "A file (a voice note…) to copy beside the response and link (repeatable)")
        ->type_name("FILE")->allow_extra_args(false);
    add_body_flags(*respond, respond_opts->body);
    respond->callback([&ctx, respond_opts] { run_respond(ctx, *respond_opts); });

    auto status_opts = std::make_shared<RefOptions>();
    auto* status = meeting->add_subcommand("status", "Who responded, who is pending or overdue; exit 1 while anyone is");
    status->add_option("REF", status_opts->ref, k_ref_help)->required();
    add_wide_flag(*status, ctx);
    status->callback([&ctx, status_opts] { run_status(ctx, *status_opts); });

    auto close_opts = std::make_shared<RefOptions>();
    auto* close = meeting->add_subcommand("close", "Compile the responses, decisions and actions into summary.md; close");
    close->add_option("REF", close_opts->ref, k_ref_help)->required();
    add_body_flags(*close, close_opts->body);
    close->callback([&ctx, close_opts] { run_close(ctx, *close_opts); });
}

} // namespace async::cmd
