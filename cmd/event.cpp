// async event new|move: live (synchronous) events, written as event documents.
#include "command.hpp"
#include "output.hpp"

#include <async/dates.hpp>
#include <async/error.hpp>
#include <async/event.hpp>
#include <async/text.hpp>

#include <CLI/CLI.hpp>

namespace fs = std::filesystem;

namespace async::cmd {
namespace {

struct NewOptions {
    std::string title;
    std::string at;
    std::string length;
    std::vector<std::string> with;
    std::string where;
    BodyFlags body;
};

void run_new(Context& ctx, const NewOptions& opts) {
    NewEvent request;
    request.title = std::string{trim(opts.title)};
    if (request.title.empty()) {
        throw Error{ErrorKind::usage, "a title is required",
                    "async event new \"TITLE\" --at \"tomorrow 10:00\" --for 1h"};
    }
    if (opts.at.empty()) {
        throw Error{ErrorKind::usage, "--at is required", "async event new \"TITLE\" --at \"tomorrow 10:00\" --for 1h"};
    }
    if (opts.length.empty()) {
        throw Error{ErrorKind::usage, "--for is required", "async event new \"TITLE\" --at \"tomorrow 10:00\" --for 1h"};
    }
    request.length = parse_duration(opts.length);
    TimePoint now = ctx.clock().now();
    request.start = parse_human_date(opts.at, now, DateRole::start);
    ctx.notice("starts " + format_local(request.start) + ", ends " + format_local(request.start + request.length));
    if (request.start < now) {
        ctx.warn("the event starts in the past (" + format_relative(request.start, now) + ")");
    }
    for (const auto& w : opts.with) {
        if (!trim(w).empty()) {
            request.with.push_back(std::string{trim(w)});
        }
    }
    request.where = opts.where;
    request.body = body_input(opts.body);
    warn_unknown_people(ctx, request.with, "--with");
    Written written = create_event(ctx.session(), request);
    print_written(ctx, written);
}

struct MoveOptions {
    std::string ref;
    std::string at;
    std::string length;
};

void run_move(Context& ctx, const MoveOptions& opts) {
    if (opts.at.empty()) {
        throw Error{ErrorKind::usage, "--at is required", "async event move REF --at \"fri 15:00\" [--for 1h]"};
    }
    std::optional<std::chrono::minutes> length;
    if (!opts.length.empty()) {
        length = parse_duration(opts.length);
    }
    TimePoint start = parse_human_date(opts.at, ctx.clock().now(), DateRole::start);
    DocSummary doc = resolve_ref(ctx.index(), opts.ref, fs::current_path());
    MovedEvent moved = move_event(ctx.session(), doc, start, length);
    if (!moved.changed) {
        ctx.notice("'" + sanitize_for_terminal(moved.before.title, Newlines::flatten) + "' already starts " +
                   format_local(moved.before.start) + " and ends " + format_local(moved.before.end));
        return;
    }
    ctx.notice("moved '" + sanitize_for_terminal(moved.after.title, Newlines::flatten) + "' from " +
               format_local(moved.before.start) + " to " + format_local(moved.after.start) + "–" +
               format_local(moved.after.end).substr(15) + " (sequence " + std::to_string(moved.after.sequence) + ")");
    fs::path file = ctx.workspace().root() / doc.path;
    print_written(ctx, Written{doc.id, file});
}

} // namespace

void add_event_command(CLI::App& app, Context& ctx) {
    auto* event = app.add_subcommand("event", "Live events: a time, a length, who comes; in agenda, calendar and inbox");
    event->require_subcommand(1);

    auto new_opts = std::make_shared<NewOptions>();
    auto* create = event->add_subcommand("new", "Write an event: its agenda now, its notes afterwards");
    create->add_option("TITLE", new_opts->title, "The event's title");
    create->add_option("--at", new_opts->at, "When it starts (\"tomorrow 10:00\", \"fri 9:30\", 2026-12-01T15:00)")
        ->type_name("WHEN");
    create->add_option("--for", new_opts->length, "How long it lasts (30m, 1h, 1h30m)")->type_name("DURATION");
    create->add_option("-w,--with", new_opts->with, "Who attends besides me (a,b)")
        ->delimiter(',')
        ->allow_extra_args(false)
        ->type_name("HANDLES");
    create->add_option("--where", new_opts->where, "Where it happens (a room, a video link)")->type_name("TEXT");
    add_body_flags(*create, new_opts->body);
    create->callback([&ctx, new_opts] { run_new(ctx, *new_opts); });

    auto move_opts = std::make_shared<MoveOptions>();
    auto* move = event->add_subcommand("move", "Give an event of mine a new time (its calendar SEQUENCE goes up)");
    move->add_option("REF", move_opts->ref, "The event: an id, an id prefix (4+ characters) or a path")->required();
    move->add_option("--at", move_opts->at, "When it starts now (\"fri 15:00\", 2026-12-01T15:00)")->type_name("WHEN");
    move->add_option("--for", move_opts->length, "A new length (30m, 1h, 1h30m); else it keeps its length")
        ->type_name("DURATION");
    move->callback([&ctx, move_opts] { run_move(ctx, *move_opts); });
}

} // namespace async::cmd
