// async onboard HANDLE --path REF [--start DATE] | onboard status HANDLE: onboarding paths.
#include "command.hpp"
#include "output.hpp"

#include <async/dates.hpp>
#include <async/error.hpp>
#include <async/identity.hpp>
#include <async/onboard.hpp>
#include <async/text.hpp>

#include <CLI/CLI.hpp>

namespace fs = std::filesystem;

namespace async::cmd {
namespace {

struct OnboardOptions {
    std::string handle;
    std::string path;
    std::string start;
};

void run_onboard(Context& ctx, const OnboardOptions& opts) {
    if (opts.handle.empty() || opts.path.empty()) {
        throw Error{ErrorKind::usage, "a handle and --path are required", "async onboard HANDLE --path REF [--start DATE]"};
    }
    std::string handle = normalize_handle(opts.handle);
    TimePoint start = ctx.clock().now();
    if (!opts.start.empty()) {
        start = resolve_date(ctx, opts.start, DateRole::start, "day 1 is");
    }
    warn_unknown_people(ctx, {handle}, "onboard");
    DocSummary path = resolve_ref(ctx.index(), opts.path, fs::current_path());
    auto started = start_onboarding(ctx.session(), ctx.index(), path, handle, start);
    if (!started) {
        ctx.notice(handle + " is already on the path '" + sanitize_for_terminal(path.title, Newlines::flatten) +
                   "'; see 'async onboard status " + handle + "'");
        return;
    }
    auto steps = onboarding_steps(ctx.index(), ctx.workspace(), path);
    ctx.notice("onboarding " + handle + " from " + started->start + ": " + std::to_string(steps.size()) +
               (steps.size() == 1 ? " step" : " steps") + " over " + std::to_string(steps.back().day) +
               (steps.back().day == 1 ? " day" : " days"));
    ctx.print(ctx.shown_path(started->file) + "\n");
}

struct StatusOptions {
    std::string handle;
};

void run_status(Context& ctx, const StatusOptions& opts) {
    std::string handle = normalize_handle(opts.handle);
    Session session = ctx.session();
    auto onboardings = onboardings_of(ctx.workspace(), handle);
    JsonWriter json;
    json.begin_object().key("schema").value(k_json_schema).key("handle").value(handle).key("paths").begin_array();
    std::vector<std::vector<std::string>> rows;
    bool unfinished = false;
    for (const auto& o : onboardings) {
        json.begin_object().key("path").value(o.path_id).key("start").value(o.start).key("by").value(o.by)
            .key("steps").begin_array();
        for (const auto& s : onboarding_status(session, ctx.index(), o)) {
            std::string title = s.step.doc ? (s.step.doc->title.empty() ? s.step.doc->path : s.step.doc->title)
                                           : s.step.target + " (not found)";
            json.begin_object()
                .key("day").value(s.step.day)
                .key("date").value(s.date)
                .key("id").value(s.step.doc ? s.step.doc->id : std::string{})
                .key("title").value(title)
                .key("state").value(std::string{to_string(s.state)})
                .end_object();
            unfinished = unfinished || s.state == StepState::open || s.state == StepState::upcoming;
            rows.push_back({"day " + std::to_string(s.step.day), s.date, std::string{to_string(s.state)},
                            s.step.doc ? s.step.doc->id : std::string{}, title});
        }
        json.end_array().end_object();
    }
    json.end_array().end_object();
    if (ctx.globals.json) {
        ctx.print(json.str());
    } else if (onboardings.empty()) {
        ctx.notice("no onboarding for " + handle + "; start one with 'async onboard " + handle + " --path REF'");
    } else {
        ctx.print(format_table(rows, {4}, output_width(ctx)));
    }
    if (onboardings.empty()) {
        throw Error{ErrorKind::no, ""};
    }
    (void)unfinished;
}

} // namespace

void add_onboard_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<OnboardOptions>();
    auto* onboard = app.add_subcommand("onboard", "Put a new person on an onboarding path; their progress");
    onboard->add_option("HANDLE", opts->handle, "The new person");
    onboard->add_option("--path", opts->path, "The onboarding document that lists the path (an id, prefix or path)")
        ->type_name("REF");
    onboard->add_option("--start", opts->start, "Day 1 of the path (default today)")->type_name("DATE");
    onboard->callback([&ctx, opts, onboard] {
        if (onboard->get_subcommands().empty()) {
            run_onboard(ctx, *opts);
        }
    });
    auto status_opts = std::make_shared<StatusOptions>();
    auto* status = onboard->add_subcommand("status", "Where a new person is on their onboarding paths");
    status->add_option("HANDLE", status_opts->handle, "The new person")->required();
    add_wide_flag(*status, ctx);
    status->callback([&ctx, status_opts] { run_status(ctx, *status_opts); });
}

} // namespace async::cmd
