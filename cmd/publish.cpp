// async publish [-o DIR] [--title T] [--base-url URL]: the internal blog as a static HTML site,
// with the workspace's calendar and one per team to subscribe to.
#include "command.hpp"

#include <async/calendar.hpp>
#include <async/config.hpp>
#include <async/json.hpp>
#include <async/leave.hpp>
#include <async/publish.hpp>

#include <CLI/CLI.hpp>

namespace async::cmd {
namespace {

struct PublishCommandOptions {
    std::string out;
    std::string title;
    std::string base_url;
    bool has_out = false;
    bool has_title = false;
    bool has_base_url = false;
};

// calendar.ics with everything, and calendars/<team>.ics for each [teams.NAME].
void add_calendars(Context& ctx, PublishOptions& options) {
    Absences absences = load_absences(ctx.workspace());
    warn_absence_problems(ctx, absences);
    std::string id = workspace_id_or_derived(ctx.config(), ctx.workspace().root());
    TimePoint now = ctx.clock().now();
    options.calendars.push_back(
        {"calendar.ics", "Everything", workspace_calendar(ctx.index(), ctx.workspace(), ctx.config(), absences, {}, now, id).ics});
    for (const auto& team : ctx.config().teams()) {
        CalendarScope scope;
        scope.members = team.members;
        options.calendars.push_back({team_calendar_file(team.name), team.name,
                                     workspace_calendar(ctx.index(), ctx.workspace(), ctx.config(), absences, scope, now, id).ics});
    }
}

void run_publish(Context& ctx, const PublishCommandOptions& opts) {
    const Workspace& ws = ctx.workspace(); // applies -C first, so a relative -o follows it
    PublishFlags flags;
    if (opts.has_out) {
        flags.out_dir = std::filesystem::absolute(opts.out);
    }
    if (opts.has_title) {
        flags.title = opts.title;
    }
    if (opts.has_base_url) {
        flags.base_url = opts.base_url;
    }
    std::optional<std::filesystem::path> home;
    if (auto h = ctx.env().home()) {
        home = *h;
    }
    PublishOptions options = publish_options(ctx.config(), ws.root(), home, flags);
    add_calendars(ctx, options);
    PublishStats stats = publish_site(ctx.index(), ws, options);
    for (const auto& w : stats.warnings) {
        ctx.warn(w);
    }
    std::string shown = ctx.shown_path(options.out_dir);
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object().key("schema").value(k_json_schema).key("dir").value(options.out_dir.string())
            .key("documents").value(static_cast<std::int64_t>(stats.documents))
            .key("written").value(static_cast<std::int64_t>(stats.written))
            .key("unchanged").value(static_cast<std::int64_t>(stats.unchanged))
            .key("removed").value(static_cast<std::int64_t>(stats.removed)).end_object();
        ctx.print(json.str());
        return;
    }
    ctx.notice("published " + std::to_string(stats.documents) + " document(s) to '" + shown + "': " +
               std::to_string(stats.written) + " file(s) written, " + std::to_string(stats.unchanged) +
               " unchanged, " + std::to_string(stats.removed) + " removed");
}

} // namespace

void add_publish_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<PublishCommandOptions>();
    auto* cmd = app.add_subcommand("publish", "Write the internal blog: a static HTML site with an Atom feed");
    cmd->add_option("-o,--output", opts->out,
                    "Folder to write the site into (new, empty, or an earlier publish; default: publish.dir)")
        ->type_name("DIR")
        ->each([opts](const std::string&) { opts->has_out = true; });
    cmd->add_option("--title", opts->title, "Site title (default: publish.title, team.name, the workspace folder's name)")
        ->type_name("TEXT")
        ->each([opts](const std::string&) { opts->has_title = true; });
    cmd->add_option("--base-url", opts->base_url,
                    "URL the site is served from, for absolute links in the feed (default: publish.base_url)")
        ->type_name("URL")
        ->each([opts](const std::string&) { opts->has_base_url = true; });
    cmd->callback([&ctx, opts] { run_publish(ctx, *opts); });
}

} // namespace async::cmd
