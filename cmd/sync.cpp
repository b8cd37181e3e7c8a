// async sync: commit my workspace changes, pull --rebase, push, refresh the index.
#include "command.hpp"

#include <async/error.hpp>
#include <async/json.hpp>
#include <async/sync.hpp>
#include <async/text.hpp>

#include <CLI/CLI.hpp>
#include <cstdio>

namespace fs = std::filesystem;

namespace async::cmd {
namespace {

void to_stderr(std::string_view text) {
    std::string safe = sanitize_for_terminal(text, Newlines::keep);
    if (!safe.empty() && safe.back() != '\n') {
        safe += '\n';
    }
    std::fwrite(safe.data(), 1, safe.size(), stderr);
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string{n == 1 ? one : many};
}

// What a git user needs to finish (or undo) the rebase the pull stopped in.
void explain_conflict(Context& ctx, const SyncResult& result) {
    fs::path top = result.top;
    std::string text = "async: error: sync stopped: your changes and those on '" + result.remote +
                       "/" + result.branch + "' conflict in " +
                       plural(result.conflicts.size(), "file", "files") + ":\n";
    for (const auto& f : result.conflicts) {
        text += "    " + sanitize_for_terminal(ctx.shown_path(top / f), Newlines::flatten) + "\n";
    }
    text += "Nothing is lost: your commit is kept, and git is in the middle of a rebase onto '" +
            result.remote + "/" + result.branch + "'. Next:\n";
    fs::path start = ctx.start_dir();
    auto rel = start.lexically_relative(top);
    if (rel.empty() || *rel.begin() == "..") {
        text += "    cd " + sanitize_for_terminal(top.string(), Newlines::flatten) +
                "     (the repository)\n";
    }
    text += "    git status               see which files conflict\n"
            "    (edit each one: keep what both sides wrote, delete the <<<<<<< ======= >>>>>>> "
            "lines)\n"
            "    git add FILE...          mark each file resolved\n"
            "    git rebase --continue    finish, then run 'async sync' again to push\n"
            "or, to drop the pull and go back to your version as it was:\n"
            "    git rebase --abort\n";
    std::fwrite(text.data(), 1, text.size(), stderr);
}

void run_sync(Context& ctx) {
    const Workspace& ws = ctx.workspace();
    SyncOptions options;
    options.show_git_output = to_stderr;
    SyncResult result = sync_workspace(ws, options);
    if (!result.conflicts.empty()) {
        explain_conflict(ctx, result);
        throw Error{ErrorKind::no, ""}; // explained above
    }
    std::string upstream = result.remote + "/" + result.branch;
    if (!result.commit_subject.empty()) {
        ctx.notice("committed " + plural(result.committed_files, "file", "files") + ": " +
                   result.commit_subject);
    } else {
        ctx.notice("nothing to commit");
    }
    for (const auto& f : result.merged_boxes) {
        ctx.notice("merged the task boxes ticked on both sides in " +
                   sanitize_for_terminal(ctx.shown_path(fs::path{result.top} / f), Newlines::flatten));
    }
    if (result.pulled > 0) {
        ctx.notice("pulled " + plural(result.pulled, "commit", "commits") + " from '" + upstream +
                   "'");
    }
    ctx.notice(result.pushed ? "pushed to '" + upstream + "'" : "'" + upstream + "' is up to date");
    // The index follows the files git just changed (the hooks may not have run).
    (void)ctx.index();
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object()
            .key("schema")
            .value(k_json_schema)
            .key("commit")
            .value(result.commit_subject)
            .key("files")
            .value(static_cast<std::int64_t>(result.committed_files))
            .key("remote")
            .value(result.remote)
            .key("branch")
            .value(result.branch)
            .key("pulled")
            .value(static_cast<std::int64_t>(result.pulled))
            .key("pushed")
            .value(result.pushed)
            .key("push_attempts")
            .value(static_cast<std::int64_t>(result.push_attempts))
            .end_object();
        ctx.print(json.str());
    }
}

} // namespace

void add_sync_command(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand(
        "sync", "Commit my workspace changes, git pull --rebase, push, refresh the index");
    cmd->callback([&ctx] { run_sync(ctx); });
}

} // namespace async::cmd
