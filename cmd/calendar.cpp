// async calendar [-o FILE] [--mine] [--team NAME]: deadlines, absences and the check-in day as
// RFC 5545 iCalendar.
#include "command.hpp"

#include <async/agenda.hpp>
#include <async/calendar.hpp>
#include <async/config.hpp>
#include <async/error.hpp>
#include <async/leave.hpp>
#include <async/workspace.hpp>

#include <CLI/CLI.hpp>

namespace async::cmd {
namespace {

struct CalendarOptions {
    std::string output;
    bool mine = false;
    std::string team;
};

void run_calendar(Context& ctx, const CalendarOptions& opts) {
    CalendarScope scope;
    if (opts.mine) {
        scope.who = ctx.me();
    }
    if (!opts.team.empty()) {
        scope.members = team_members(ctx.config(), opts.team);
    }
    Absences absences = load_absences(ctx.workspace());
    warn_absence_problems(ctx, absences);
    if (!ctx.config().workspace_id()) {
        ctx.notice("no workspace id in .async/config.toml: the UIDs use one derived from this folder's "
                   "path; for UIDs the same in every clone, run 'async config set workspace.id " +
                   new_workspace_id() + "' and commit it");
    }
    auto calendar = workspace_calendar(ctx.index(), ctx.workspace(), ctx.config(), absences, scope, ctx.clock().now(),
                                       workspace_id_or_derived(ctx.config(), ctx.workspace().root()));
    if (opts.output.empty() || opts.output == "-") {
        ctx.print(calendar.ics);
        return;
    }
    write_file_atomic(opts.output, calendar.ics);
    ctx.notice("wrote " + std::to_string(calendar.events) + (calendar.events == 1 ? " event" : " events") + " to " +
               opts.output);
}

} // namespace

void add_calendar_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<CalendarOptions>();
    auto* cmd =
        app.add_subcommand("calendar", "Deadlines, absences and the check-in day as iCalendar (RFC 5545)");
    cmd->add_option("-o,--output", opts->output,
                    "Write to FILE (atomically) instead of standard output")
        ->type_name("FILE");
    cmd->add_flag("--mine", opts->mine, "Only deadlines I owe or asked for, my actions and my absences");
    cmd->add_option("--team", opts->team, "Only what concerns the team's members ([teams.NAME]), and their absences")
        ->type_name("NAME");
    cmd->callback([&ctx, opts] { run_calendar(ctx, *opts); });
}

} // namespace async::cmd
