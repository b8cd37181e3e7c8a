// async calendar [-o FILE] [--mine]: deadlines and the check-in day as RFC 5545 iCalendar.
#include "command.hpp"

#include <async/agenda.hpp>
#include <async/calendar.hpp>
#include <async/config.hpp>
#include <async/event.hpp>
#include <async/workspace.hpp>

#include <CLI/CLI.hpp>

namespace async::cmd {
namespace {

struct CalendarOptions {
    std::string output;
    bool mine = false;
};

void run_calendar(Context& ctx, const CalendarOptions& opts) {
    DeadlineFilter filter;
    filter.pending_only =
        false; // an event stays until its document closes, so re-imports are stable
    if (opts.mine) {
        filter.who = ctx.me();
    }
    auto deadlines = collect_deadlines(ctx.index(), filter);
    for (auto& d : event_deadlines(ctx.index(), ctx.workspace(), ctx.config(), filter.who)) {
        deadlines.push_back(std::move(d));
    }
    if (!ctx.config().workspace_id()) {
        ctx.notice("no workspace id in .async/config.toml: the UIDs use one derived from this folder's "
                   "path; for UIDs the same in every clone, run 'async config set workspace.id " +
                   new_workspace_id() + "' and commit it");
    }
    std::string ics = build_calendar(deadlines, checkin_cadence(ctx.config()), checkin_weekday(ctx.config()), ctx.clock().now(),
                                     workspace_id_or_derived(ctx.config(), ctx.workspace().root()));
    if (opts.output.empty() || opts.output == "-") {
        ctx.print(ics);
        return;
    }
    write_file_atomic(opts.output, ics);
    std::size_t events = deadlines.size() + 1; // and the recurring check-in
    ctx.notice("wrote " + std::to_string(events) + (events == 1 ? " event" : " events") + " to " +
               opts.output);
}

} // namespace

void add_calendar_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<CalendarOptions>();
    auto* cmd =
        app.add_subcommand("calendar", "Deadlines and the check-in day as iCalendar (RFC 5545)");
    cmd->add_option("-o,--output", opts->output,
                    "Write to FILE (atomically) instead of standard output")
        ->type_name("FILE");
    cmd->add_flag("--mine", opts->mine, "Only deadlines I owe or asked for, and my actions");
    cmd->callback([&ctx, opts] { run_calendar(ctx, *opts); });
}

} // namespace async::cmd
