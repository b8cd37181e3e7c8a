// async hook install|uninstall: the workspace's git hooks (pre-commit check, quiet reindex).
#include "command.hpp"

#include <async/error.hpp>
#include <async/hooks.hpp>
#include <async/process.hpp>
#include <async/text.hpp>

#include <CLI/CLI.hpp>
#include <cstdio>

namespace async::cmd {

namespace {

std::string names(const std::vector<HookOutcome>& hooks, HookAction action) {
    std::string out;
    for (const auto& h : hooks) {
        if (h.action == action) {
            out += (out.empty() ? "" : ", ") + h.name;
        }
    }
    return out;
}

void hint(std::string_view text) {
    std::string line = "hint: " + sanitize_for_terminal(text, Newlines::flatten) + "\n";
    std::fwrite(line.data(), 1, line.size(), stderr);
}

void run_install(Context& ctx) {
    GitRepository repo = require_git_repository(
        ctx.workspace(),
        "make it one with 'git init' (or 'async init --git'), then install the hooks");
    auto binary = current_executable();
    std::vector<HookOutcome> hooks = install_hooks(repo, binary);
    std::string where = "'" + ctx.shown_path(repo.hooks) + "'";
    std::size_t foreign = report_install(ctx, hooks, where, binary, repo.prefix);
    if (foreign > 0) {
        throw Error{ErrorKind::no,
                    std::to_string(foreign) + (foreign == 1 ? " hook was" : " hooks were") +
                        " not installed: another tool's hook is in the way",
                    "chain async from it as shown above, or move it away and run 'async hook "
                    "install' again"};
    }
}

void run_uninstall(Context& ctx) {
    GitRepository repo = require_git_repository(ctx.workspace(), "");
    std::vector<HookOutcome> hooks = uninstall_hooks(repo);
    std::string where = "'" + ctx.shown_path(repo.hooks) + "'";
    std::string removed = names(hooks, HookAction::removed);
    std::string foreign = names(hooks, HookAction::foreign);
    if (!removed.empty()) {
        ctx.notice("removed the hooks " + removed + " from " + where);
    } else {
        ctx.notice("no async hooks in " + where);
    }
    if (!foreign.empty()) {
        ctx.notice("left " + foreign + " alone: async did not write them");
    }
}

} // namespace

std::size_t report_install(Context& ctx, const std::vector<HookOutcome>& hooks,
                           const std::string& where, const std::filesystem::path& binary,
                           const std::string& prefix) {
    std::string installed = names(hooks, HookAction::installed);
    std::string updated = names(hooks, HookAction::updated);
    std::string unchanged = names(hooks, HookAction::unchanged);
    if (!installed.empty()) {
        ctx.notice("installed the hooks " + installed + " in " + where);
    }
    if (!updated.empty()) {
        ctx.notice("updated the hooks " + updated + " in " + where);
    }
    if (!unchanged.empty() && installed.empty() && updated.empty()) {
        ctx.notice("the hooks " + unchanged + " in " + where + " are up to date");
    }
    std::size_t foreign = 0;
    for (const auto& h : hooks) {
        if (h.action != HookAction::foreign) {
            continue;
        }
        ++foreign;
        ctx.warn("'" + ctx.shown_path(h.path) + "' was not written by async: left alone");
        hint("to chain async, add this line to it: " + hook_chain_line(h.name, binary, prefix));
    }
    return foreign;
}

void add_hook_command(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand(
        "hook", "Git hooks: pre-commit runs check, post-merge/checkout/rewrite refresh the index");
    cmd->require_subcommand(1);
    auto* install = cmd->add_subcommand(
        "install",
        "Install the hooks (never overwrites another tool's hook; honours core.hooksPath)");
    install->callback([&ctx] { run_install(ctx); });
    auto* uninstall =
        cmd->add_subcommand("uninstall", "Remove the hooks async installed (only those)");
    uninstall->callback([&ctx] { run_uninstall(ctx); });
}

} // namespace async::cmd
