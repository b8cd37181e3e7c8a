#pragma once
// `async sync`: commit my changes to the workspace's files, `git pull --rebase`, push. Git is
// always run with an argument vector; a conflict stops in git's own rebase state, nothing lost.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace async {

class Workspace;

// One changed file as `git diff --name-status` reports it.
struct FileChange {
    char status = 'M'; // 'A' added, 'M' modified, 'D' deleted (others count as modified)
    std::string path;  // relative to the workspace root, '/'-separated, raw bytes
};

// What a workspace file is, by where it lives (PRODUCT.md's layout): "document", "reply",
// "attachment", "meeting", "response", "summary", "check-in", "item", "inbox state", "config",
// "template", or "file".
std::string_view change_kind(std::string_view path);

// The commit message for changes: a subject that counts them by kind and what happened
// ("async: 2 replies, 1 check-in, 1 document edited"), a blank line, then one line per file
// ("A path", hostile bytes escaped, at most 50 lines). Empty changes give "async: sync".
std::string sync_commit_message(const std::vector<FileChange>& changes);

// Parses `git diff --name-status -z --no-renames` output.
std::vector<FileChange> parse_name_status(std::string_view z_output);

// The text of a file git left with conflict markers (merge or diff3 style), resolved when in
// every conflicting hunk both sides have the same lines except task-list boxes ("- [ ]",
// "- [x]"): a box only one side changed from the common version (diff3's middle part) takes
// that side's state, any other difference of boxes is ticked. nullopt when there is no marker
// or any hunk differs in anything else. `actions done` ticks boxes in other people's
// documents, so two people ticking neighbouring items must not stop a sync.
std::optional<std::string> resolve_task_box_conflicts(std::string_view text);

struct SyncOptions {
    // Receives git's own output when a step fails (findings of the pre-commit hook, git's
    // reason), before the error is thrown; may be empty.
    std::function<void(std::string_view)> show_git_output;
};

struct SyncResult {
    std::string commit_subject; // empty when there was nothing to commit
    std::size_t committed_files = 0;
    std::string remote;     // "origin"
    std::string branch;     // the remote's branch, "main"
    std::string top;        // the top of the working tree
    std::string prefix;     // the workspace relative to top ("" or "team/")
    std::size_t pulled = 0; // commits brought in from the remote
    bool pushed = false;
    int push_attempts = 0;  // pushes tried: more than 1 when a teammate pushed first
    std::vector<std::string> conflicts; // non-empty: stopped in a rebase (paths relative to top)
    std::vector<std::string> merged_boxes; // files whose conflicting task boxes were merged (relative to top)
};

// The remote a workspace's shared records (remind's sent mails) travel through: the repository,
// the branch's upstream (or the only remote, "origin" first, as sync chooses).
struct TeamRemote {
    std::string top;    // the top of the working tree
    std::string remote; // "origin"
    std::string branch; // the remote's branch, "main"
};

// The remote of the repository around ws, or nullopt when there is none to share through: no
// repository, no commit yet, HEAD detached, no remote, or several and none chosen. Throws
// Error{environment} when git cannot be run.
std::optional<TeamRemote> team_remote(const Workspace& ws);

// Brings the remote's commits in as sync does (`git pull --rebase --autostash`; nothing when the
// remote has no such branch yet). Throws Error{environment} when the remote cannot be reached or
// the pull fails, Error{no} when a rebase is under way or the pull stopped on a conflict (the
// rebase is then aborted: the repository is as it was).
void pull_team(const TeamRemote& remote);

// Commits the file at path (absolute, inside the working tree) alone with message and pushes
// HEAD to the remote's branch. True when the push succeeded. When it was refused (a teammate
// pushed first) the commit is taken back (`git reset --keep HEAD~1`: the file is as before it,
// other local changes kept) and false is returned, so the caller pulls and decides again.
// Throws Error{environment} when the commit fails or cannot be taken back.
bool commit_and_push_alone(const TeamRemote& remote, const std::filesystem::path& path,
                           const std::string& message);

// Runs the sync flow in the git repository around ws: stage k_team_paths (layout.hpp), commit them alone
// with sync_commit_message, `git pull --rebase --autostash` from the branch's upstream (or the
// only remote, "origin" first), push (retried after a fresh pull and a random pause when the
// remote moved on, for up to 30 seconds).
// A pull that stops on conflicts only in task boxes is resolved (resolve_task_box_conflicts),
// committed with the original commit's message and author, and the rebase continued.
// Returns with conflicts set when the pull stopped on other conflicts (git is left mid-rebase).
// Throws Error{environment} without git, a repository or a remote, or when the remote cannot
// be reached; Error{no} when a rebase or merge is already under way, HEAD is detached, or the
// commit was refused (the pre-commit hook).
SyncResult sync_workspace(const Workspace& ws, const SyncOptions& options);

} // namespace async
