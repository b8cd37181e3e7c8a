#pragma once
// Running git (always with an argument vector, never through a shell), finding the repository
// around a workspace and where its hooks live, and the questions other modules ask git (who I
// am to git, my commits, what is staged). The only module that starts git.
#include <async/clock.hpp>
#include <async/process.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
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

// The records of git's `-z` output in order: each ends with a NUL; text after the last NUL (a
// cut-off record) is one more when not empty. Empty records in between are kept.
std::vector<std::string_view> split_z(std::string_view out);

// `git config user.email` as git answers it in dir (empty: the current folder), trimmed;
// nullopt when it is unset or empty, or when git cannot be run.
std::optional<std::string> git_user_email(const std::filesystem::path& dir = {});

// `git config user.name`, the same way.
std::optional<std::string> git_user_name(const std::filesystem::path& dir = {});

// The git folder of the repository whose top dir is (dir/.git), or dir itself when it is a
// bare repository; nullopt when it is neither. Looks at the files only, without git.
std::optional<std::filesystem::path> git_dir_of(const std::filesystem::path& dir);

struct GitCommit {
    std::string hash;         // short hash
    std::string email;        // the author's, as written
    TimePoint authored{};     // the author date
    std::string subject;      // the first line of the message, as written
};

// The commits of the repository at repo (its top or a bare repository) on every ref but the
// stash, merges left out, whose committer date is at or after since (the author date may be
// earlier), newest first. Throws Error{data} when repo is not a git repository or git log
// fails there, Error{environment} when git cannot be run.
std::vector<GitCommit> list_commits(const std::filesystem::path& repo, TimePoint since);

// The commit that added a file under its present name.
struct FileAddition {
    std::string email;  // the author's (mailmap applied)
    TimePoint authored{};
};

// For every file now under one of folders (relative to dir; every file when folders is empty),
// the commit of HEAD's history that first added it, following renames (a file moved in keeps
// its first author), keyed by the path relative to dir. One `git log` of the whole history for all files. Empty when dir is in no
// repository, HEAD has no commit yet, or git fails. Throws Error{environment} only when git
// cannot be run.
std::unordered_map<std::string, FileAddition> first_additions(const std::filesystem::path& dir,
                                                              const std::vector<std::string>& folders);

// A file in the index (staging area) that differs from HEAD.
struct StagedFile {
    std::string path;   // relative to the folder asked about
    std::string mode;   // the staged mode ("100644", "120000" a symbolic link, "160000" a submodule)
    std::string blob;   // the staged content's object name
    char status = 'M';  // A added, C copied, M modified, D deleted
};

// The files staged under dir (added, copied, modified or deleted; renames as a deletion and an
// addition; submodules ignored), by path. Throws Error{environment} "the workspace '…' is not
// in a git repository" with hint when dir is in none, and when git cannot be run or fails.
std::vector<StagedFile> staged_files(const std::filesystem::path& dir, std::string_view hint);

// The content of the object blob (`git cat-file blob`), run in dir; nullopt when git cannot
// read it. Throws Error{environment} when git cannot be run.
std::optional<std::string> read_blob(const std::filesystem::path& dir, const std::string& blob);

// The first line of text without trailing white space (git's one-line answers).
std::string first_line(std::string_view text);

// path quoted for a message or a commit: printable text as is, control characters and
// backslashes C-escaped (\n, \t, \\, \ooo), so a hostile name stays on one line.
std::string escape_path(std::string_view path);


// True when path (absolute, inside the working tree whose top is top) is tracked by git there
// (`git ls-files --error-unmatch`). Throws Error{environment} when git cannot be run.
bool is_tracked(const std::filesystem::path& top, const std::filesystem::path& path);

// Moves the tracked file from to the new path to inside the working tree at top with `git mv`,
// so its history follows it (`git log --follow`); to must not exist yet. Throws Error{data}
// with git's message when git refuses, Error{environment} when git cannot be run.
void git_move(const std::filesystem::path& top, const std::filesystem::path& from,
              const std::filesystem::path& to);

} // namespace async
