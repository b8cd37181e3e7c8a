// async __complete KIND [PREFIX]: hidden; the dynamic candidates the shell completions ask for,
// one "value<TAB>description" line each (lib/tools/src/completion.cpp). Never walks, creates nothing.
#include "command.hpp"

#include <async/completion.hpp>
#include <async/error.hpp>
#include <async/git.hpp>

#include <CLI/CLI.hpp>

namespace async::cmd {
namespace {

struct CompleteOptions {
    std::string kind;
    std::string prefix;
    bool global = false;
};

void run_complete(Context& ctx, const CompleteOptions& opts) {
    auto kind = completion_kind(opts.kind);
    if (!kind) {
        throw Error{ErrorKind::usage, "unknown completion kind '" + opts.kind + "'",
                    "kinds: " + completion_kind_names()};
    }
    // -C is not entered (a folder that cannot be entered just gives no candidates).
    std::error_code ec;
    std::filesystem::path cwd = ctx.globals.dir.empty() ? ctx.start_dir()
                                                        : std::filesystem::absolute(ctx.globals.dir, ec);
    CompletionPlace place{ctx.env(), cwd, ctx.globals.dir.empty() ? StartedIn::cwd : StartedIn::dash_c,
                          [] { return git_user_email(); }};
    ctx.print(format_candidates(complete({*kind, opts.prefix, opts.global}, place)));
}

} // namespace

void add_complete_command(CLI::App& app, Context& ctx) {
    // In no group: left out of --help and the command list.
    auto* cmd = app.add_subcommand("__complete", "Print completion candidates (for the shell completions)");
    cmd->group("");
    auto opts = std::make_shared<CompleteOptions>();
    cmd->add_option("KIND", opts->kind, "What to complete")->required();
    cmd->add_option("PREFIX", opts->prefix, "Only candidates starting with PREFIX");
    cmd->add_flag("--global", opts->global, "keys, settable-keys: the user config only");
    cmd->callback([&ctx, opts] { run_complete(ctx, *opts); });
}

} // namespace async::cmd
