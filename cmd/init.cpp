// async init [DIR] [--git] [--sample]: create (or complete) a workspace, optionally with the
// sample team's documents.
#include "command.hpp"

#include <async/error.hpp>
#include <async/hooks.hpp>
#include <async/json.hpp>
#include <async/process.hpp>
#include <async/sample.hpp>
#include <async/watcher.hpp>
#include <async/workspace.hpp>

#include <CLI/CLI.hpp>

namespace fs = std::filesystem;

namespace async::cmd {
namespace {

struct InitOptions {
    std::string dir = ".";
    bool git = false;
    bool sample = false;
};

// A running watchman watches the workspace from now on, so refreshes can ask it what changed;
// without one nothing is started, and init says nothing about it (`index --check` does).
void register_with_watcher(Context& ctx, const fs::path& dir) {
    try {
        Workspace ws{dir};
        Config team = Config::load(ctx.env(), ws.config_file());
        if (ctx.user_config().get("index.watcher") == "false" || team.get("index.watcher") == "false") {
            return;
        }
        WatcherStatus status = Watcher{ws, ctx.env(), true}.watch();
        if (status.in_use && !ctx.globals.json) {
            ctx.notice("registered the workspace with " + status.detail);
        }
    } catch (const Error&) {
        // A bad config is reported by the commands that read it; the workspace is set up.
    }
}

void run_init(Context& ctx, const InitOptions& opts) {
    ctx.enter_directory();
    fs::path dir = fs::absolute(opts.dir).lexically_normal();
    std::string root = dir.string();
    // The sample goes only where it cannot mix with a team's files: a new workspace, or one
    // exactly as init left it. Checked before anything is created.
    if (opts.sample && !can_take_sample(dir)) {
        throw Error{ErrorKind::usage, "'" + root + "' already holds a workspace with files; not adding the sample to it",
                    "run 'async init --sample' with a new folder, e.g. 'async init --sample ~/async-demo'"};
    }
    TimePoint now = opts.sample ? ctx.clock().now() : TimePoint{};
    InitResult result = init_workspace(dir);
    if (!ctx.globals.json) {
        ctx.notice(result == InitResult::created ? "initialized a workspace in '" + root + "'"
                                                 : "the workspace in '" + root + "' is already set up");
    }
    std::size_t sample_files = 0;
    if (opts.sample) {
        Workspace ws{dir};
        sample_files = write_sample(ws, now).size();
        // The sample's write-through: the workspace had no files, so indexing them is the
        // first build, done now so that completion offers the sample's ids at once.
        try {
            Index index{ws};
            ctx.report_refresh(index.refresh());
        } catch (const std::exception& e) {
            ctx.warn(std::string{"the index was not updated: "} + e.what() + " (the next command catches up)");
        }
        if (!ctx.globals.json) {
            ctx.notice("wrote the sample team's " + std::to_string(sample_files) +
                       " files (alice, bob and carol); try 'async -C " + root + " list'");
        }
    }
    if (opts.git) {
        // git init unless dir already is the top of a repository; the hooks go where that
        // repository runs them. Another tool's hook is only a warning here: the workspace is
        // set up either way.
        if (ensure_git_repository(dir)) {
            ctx.notice("initialized a git repository in '" + root + "'");
        }
        auto repo = find_git_repository(dir);
        if (!repo) {
            throw Error{ErrorKind::environment, "'" + root + "' is not a git working tree",
                        "run 'async init' without --git there"};
        }
        auto binary = current_executable();
        std::vector<HookOutcome> hooks = install_hooks(*repo, binary);
        report_install(ctx, hooks, "'" + ctx.shown_path(repo->hooks) + "'", binary, repo->prefix);
    }
    register_with_watcher(ctx, dir);
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object()
            .key("schema").value(k_json_schema)
            .key("path").value(root)
            .key("created").value(result == InitResult::created)
            .key("sample_files").value(static_cast<std::int64_t>(sample_files))
            .end_object();
        ctx.print(json.str());
    }
}

} // namespace

void add_init_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<InitOptions>();
    auto* cmd = app.add_subcommand("init", "Create a workspace (idempotent; refuses to nest)");
    cmd->add_option("DIR", opts->dir, "Folder for the workspace (default: the current one)");
    cmd->add_flag("--git", opts->git, "Also make it a git repository, with the hooks installed");
    cmd->add_flag("--sample", opts->sample,
                  "Fill it with a small example team (refused where a workspace has files)");
    cmd->callback([&ctx, opts] { run_init(ctx, *opts); });
}

} // namespace async::cmd
