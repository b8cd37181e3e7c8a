// async init [DIR] [--git]: create (or complete) a workspace.
#include "command.hpp"

#include <async/error.hpp>
#include <async/json.hpp>
#include <async/process.hpp>

#include <CLI/CLI.hpp>

namespace fs = std::filesystem;

namespace async::cmd {
namespace {

struct InitOptions {
    std::string dir = ".";
    bool git = false;
};

void run_init(Context& ctx, const InitOptions& opts) {
    ctx.enter_directory();
    fs::path dir = fs::absolute(opts.dir).lexically_normal();
    InitResult result = init_workspace(dir);
    if (opts.git) {
        std::error_code ec;
        if (!fs::exists(dir / ".git", ec)) {
            auto git = run_process({"git", "init", "-q", dir.string()}, Capture::none);
            if (!git) {
                throw Error{ErrorKind::environment, "cannot run git", "install git, or run 'async init' without --git"};
            }
            if (git->exit_status != 0) {
                throw Error{ErrorKind::environment, "'git init' failed in '" + dir.string() + "'"};
            }
        }
    }
    std::string root = dir.string();
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object()
            .key("schema").value(k_json_schema)
            .key("path").value(root)
            .key("created").value(result == InitResult::created)
            .end_object();
        ctx.print(json.str());
        return;
    }
    ctx.notice(result == InitResult::created ? "initialized a workspace in '" + root + "'"
                                             : "the workspace in '" + root + "' is already set up");
}

} // namespace

void add_init_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<InitOptions>();
    auto* cmd = app.add_subcommand("init", "Create a workspace (idempotent; refuses to nest)");
    cmd->add_option("DIR", opts->dir, "Folder for the workspace (default: the current one)");
    cmd->add_flag("--git", opts->git, "Also make it a git repository");
    cmd->callback([&ctx, opts] { run_init(ctx, *opts); });
}

} // namespace async::cmd
