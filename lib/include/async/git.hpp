#pragma once
// Running git (always with an argument vector, never through a shell), finding the repository
// around a workspace and where its hooks live.
#include <async/process.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace async {

class Workspace;

// Runs `git args…` in dir, capturing what capture says. Throws Error{environment} "cannot run
// 'git'" (hint: install it) when git cannot be started; a non-zero exit is the caller's.
ProcessResult run_git(const std::filesystem::path& dir, const std::vector<std::string>& args,
                      Capture capture = Capture::stdout_only);

// The git repository a folder belongs to.
struct GitRepository {
    std::filesystem::path top;     // the top of the working tree
    std::string prefix;            // the folder relative to top, "" or ending in '/' ("team/")
    std::filesystem::path hooks;   // where git runs hooks from (core.hooksPath honoured), absolute
    std::filesystem::path git_dir; // the repository's own folder (.git, or a worktree's), absolute
};

// The repository dir is in, or nullopt when dir is in none (or in a bare one). Throws
// Error{environment} when git cannot be run.
std::optional<GitRepository> find_git_repository(const std::filesystem::path& dir);

// The repository the workspace is in; throws Error{environment} "the workspace '…' is not in a
// git repository" with hint (what to run) when there is none.
GitRepository require_git_repository(const Workspace& ws, std::string_view hint);

// Makes dir a git repository (`git init`) unless it already is the top of one (a folder inside
// another repository, a home folder under version control, gets its own); true when it ran
// git init. Throws Error{environment} when git cannot be run or fails.
bool ensure_git_repository(const std::filesystem::path& dir);

// The first line of text without trailing white space (git's one-line answers).
std::string first_line(std::string_view text);

// path quoted for a message or a commit: printable text as is, control characters and
// backslashes C-escaped (\n, \t, \\, \ooo), so a hostile name stays on one line.
std::string escape_path(std::string_view path);

} // namespace async
