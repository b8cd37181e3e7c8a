// async watercooler: on config watercooler.day, create this week's non-work thread once (safe
// from cron on every teammate's clone: the same path and bytes everywhere).
#include "command.hpp"

#include <async/json.hpp>
#include <async/watercooler.hpp>

#include <CLI/CLI.hpp>

namespace async::cmd {
namespace {

void run_watercooler(Context& ctx) {
    const Workspace& ws = ctx.workspace();
    WatercoolerResult r = create_watercooler(ws, ctx.config(), ctx.clock().now());
    static constexpr const char* k_days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    std::string state;
    switch (r.outcome) {
    case WatercoolerOutcome::created:
        state = "created";
        ctx.wrote({ws.root() / r.path});
        break;
    case WatercoolerOutcome::exists: state = "exists"; break;
    case WatercoolerOutcome::not_today: state = "not-today"; break;
    case WatercoolerOutcome::off: state = "off"; break;
    }
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object().key("schema").value(k_json_schema).key("state").value(state)
            .key("week").value(format_iso_week(r.week)).key("id").value(r.id).key("path").value(r.path).end_object();
        ctx.print(json.str());
        return;
    }
    switch (r.outcome) {
    case WatercoolerOutcome::created: ctx.print(r.id + " " + ctx.shown_path(ws.root() / r.path) + "\n"); break;
    case WatercoolerOutcome::exists:
        ctx.notice("this week's thread is there already: " + ctx.shown_path(ws.root() / r.path));
        break;
    case WatercoolerOutcome::not_today:
        ctx.notice(std::string{"the watercooler day is "} + k_days[r.day] + "; nothing to do today");
        break;
    case WatercoolerOutcome::off:
        ctx.notice("no watercooler.day in the config; nothing to do");
        break;
    }
}

} // namespace

void add_watercooler_command(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("watercooler",
                                   "On the watercooler day, create this week's non-work thread (once; for cron)");
    cmd->callback([&ctx] { run_watercooler(ctx); });
}

} // namespace async::cmd
