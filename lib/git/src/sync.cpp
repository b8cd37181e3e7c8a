#include <async/error.hpp>
#include <async/git.hpp>
#include <async/layout.hpp>
#include <async/lock.hpp>
#include <async/sync.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <random>
#include <thread>
#include <map>
#include <sys/stat.h>

namespace fs = std::filesystem;

namespace async {
namespace {

struct Noun {
    std::string_view kind;
    std::string_view plural;
};

// The order kinds appear in a commit subject.
constexpr std::array<Noun, 13> k_nouns = {{
    {"document", "documents"},
    {"reply", "replies"},
    {"meeting", "meetings"},
    {"response", "responses"},
    {"summary", "summaries"},
    {"check-in", "check-ins"},
    {"item", "items"},
    {"inbox state", "inbox states"},
    {"reminder record", "reminder records"},
    {"attachment", "attachments"},
    {"template", "templates"},
    {"config", "config"},
    {"file", "files"},
}};

std::size_t noun_index(std::string_view kind) {
    for (std::size_t i = 0; i < k_nouns.size(); ++i) {
        if (k_nouns[i].kind == kind) {
            return i;
        }
    }
    return k_nouns.size() - 1;
}

int action_rank(char status) {
    return status == 'A' ? 0 : status == 'D' ? 2 : 1;
}

// A git step that must work: its output goes to show_git_output and an error is thrown when
// it fails.
ProcessResult must(const fs::path& dir, const std::vector<std::string>& args,
                   const SyncOptions& options, ErrorKind kind, const std::string& message,
                   const std::string& hint) {
    ProcessResult r = run_git(dir, args, Capture::combined);
    if (r.exit_status != 0) {
        if (options.show_git_output && !r.out.empty()) {
            options.show_git_output(r.out);
        }
        throw Error{kind, message, hint};
    }
    return r;
}

bool exists_no_follow(const fs::path& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

std::string trimmed(const std::string& text) {
    return std::string{trim(text)};
}

struct Upstream {
    std::string remote;
    std::string branch;
    bool configured = false;
};

Upstream find_upstream(const fs::path& root, const std::string& local_branch) {
    Upstream up;
    ProcessResult remote = run_git(root, {"config", "--get", "branch." + local_branch + ".remote"},
                                   Capture::stdout_silent);
    ProcessResult merge = run_git(root, {"config", "--get", "branch." + local_branch + ".merge"},
                                  Capture::stdout_silent);
    std::string r = trimmed(remote.out);
    std::string m = trimmed(merge.out);
    if (remote.exit_status == 0 && merge.exit_status == 0 && !r.empty() && r != "." &&
        m.starts_with("refs/heads/")) {
        up.remote = r;
        up.branch = m.substr(std::string_view{"refs/heads/"}.size());
        up.configured = true;
        return up;
    }
    ProcessResult list = run_git(root, {"remote"});
    std::vector<std::string> remotes;
    for (auto& name : split_list(list.out, '\n')) {
        remotes.push_back(name);
    }
    if (remotes.empty()) {
        throw Error{ErrorKind::environment, "the repository has no remote to sync with",
                    "add the team's repository: 'git remote add origin URL' (a shared bare "
                    "repository made with 'git init --bare' will do), then run 'async sync' again"};
    }
    bool has_origin = false;
    for (const auto& name : remotes) {
        has_origin = has_origin || name == "origin";
    }
    if (!has_origin && remotes.size() > 1) {
        throw Error{
            ErrorKind::environment,
            "the branch '" + local_branch + "' has no upstream and there are several remotes",
            "choose one: 'git push -u REMOTE " + local_branch + "', then 'async sync' again"};
    }
    up.remote = has_origin ? "origin" : remotes.front();
    up.branch = local_branch;
    return up;
}

std::optional<std::string> head_commit(const fs::path& root) {
    ProcessResult r =
        run_git(root, {"rev-parse", "-q", "--verify", "HEAD^{commit}"}, Capture::stdout_silent);
    if (r.exit_status != 0) {
        return std::nullopt;
    }
    return trimmed(r.out);
}

bool in_progress(const GitRepository& repo, std::string_view name) {
    return exists_no_follow(repo.git_dir / std::string{name});
}

bool rebasing(const GitRepository& repo) {
    return in_progress(repo, "rebase-merge") || in_progress(repo, "rebase-apply");
}

std::vector<std::string> conflicted_files(const GitRepository& repo) {
    ProcessResult r = run_git(repo.top, {"diff", "--name-only", "--diff-filter=U", "-z"});
    std::vector<std::string> files;
    for (auto name : split_z(r.out)) {
        if (!name.empty() && (files.empty() || files.back() != name)) {
            files.emplace_back(name);
        }
    }
    return files;
}

std::vector<std::string_view> split_lines_kept(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        std::size_t end = text.find('\n');
        std::size_t len = end == std::string_view::npos ? text.size() : end + 1;
        lines.push_back(text.substr(0, len));
        text.remove_prefix(len);
    }
    return lines;
}

// A conflict marker line: seven times c at the line start, then a blank or the line end.
bool is_marker(std::string_view line, char c) {
    if (line.size() < 7 || line.find_first_not_of(c) < 7) {
        return false;
    }
    return line.size() == 7 || line[7] == ' ' || line[7] == '\n' || line[7] == '\r';
}

// Where the box state character of a task item line is ("  - [x] text": 5), npos when the line
// is no task item.
std::size_t box_at(std::string_view line) {
    std::size_t i = line.find_first_not_of(' ');
    if (i == std::string_view::npos || i > 12) {
        return std::string_view::npos;
    }
    if (line[i] == '-' || line[i] == '*' || line[i] == '+') {
        ++i;
    } else {
        std::size_t digits = line.find_first_not_of("0123456789", i);
        if (digits == i || digits == std::string_view::npos || digits - i > 9 ||
            (line[digits] != '.' && line[digits] != ')')) {
            return std::string_view::npos;
        }
        i = digits + 1;
    }
    std::size_t open = line.find_first_not_of(' ', i);
    if (open == i || open == std::string_view::npos || open + 2 >= line.size() || line[open] != '[' ||
        line[open + 2] != ']') {
        return std::string_view::npos;
    }
    char state = line[open + 1];
    return state == ' ' || state == 'x' || state == 'X' ? open + 1 : std::string_view::npos;
}

bool ticked(std::string_view line) {
    return line[box_at(line)] != ' ';
}

// Lines a and b are the same task item with different boxes.
bool only_box_differs(std::string_view a, std::string_view b) {
    std::size_t at = box_at(a);
    if (at == std::string_view::npos || at != box_at(b) || a.size() != b.size()) {
        return false;
    }
    return a.substr(0, at) == b.substr(0, at) && a.substr(at + 1) == b.substr(at + 1);
}

enum class Pulled { nothing, fetched, conflict };

// Pulls with rebase (FETCH_HEAD is then the remote's branch). Counts the commits brought in.
Pulled pull(const GitRepository& repo, const Upstream& up, const SyncOptions& options,
            std::size_t& pulled) {
    const fs::path& root = repo.top;
    ProcessResult heads =
        run_git(root, {"ls-remote", "--heads", "--", up.remote, "refs/heads/" + up.branch},
                Capture::combined);
    if (heads.exit_status != 0) {
        if (options.show_git_output && !heads.out.empty()) {
            options.show_git_output(heads.out);
        }
        throw Error{ErrorKind::environment, "cannot reach the remote '" + up.remote + "'",
                    "check 'git remote -v' and that the repository is there; your changes are "
                    "committed here, run 'async sync' again later"};
    }
    if (trim(heads.out).empty()) {
        return Pulled::nothing; // the remote has no such branch yet: the push creates it
    }
    auto before = head_commit(root);
    ProcessResult r = run_git(
        root, {"pull", "--rebase", "--autostash", "--no-edit", "-q", "--", up.remote, up.branch},
        Capture::combined);
    if (r.exit_status != 0) {
        if (rebasing(repo)) {
            return Pulled::conflict;
        }
        if (options.show_git_output && !r.out.empty()) {
            options.show_git_output(r.out);
        }
        throw Error{ErrorKind::environment,
                    "'git pull --rebase " + up.remote + " " + up.branch + "' failed",
                    "see what git said above; nothing of yours is lost ('git status', 'git stash "
                    "list')"};
    }
    std::vector<std::string> count_args = {"rev-list", "--count", "FETCH_HEAD"};
    if (before) {
        count_args.push_back("^" + *before);
    }
    ProcessResult count = run_git(root, count_args);
    if (count.exit_status == 0) {
        pulled += static_cast<std::size_t>(std::stoul("0" + trimmed(count.out)));
    }
    return Pulled::fetched;
}

// Commits in `from..to`, 0 when git cannot say.
std::size_t count_commits(const fs::path& root, const std::string& from, const std::string& to) {
    ProcessResult r =
        run_git(root, {"rev-list", "--count", to, "^" + from}, Capture::stdout_silent);
    return r.exit_status == 0 ? static_cast<std::size_t>(std::stoul("0" + trimmed(r.out))) : 1;
}

// Resolves the conflicts of a stopped rebase that are only task boxes, and continues it, as
// often as the replayed commits stop on such conflicts. True when the rebase finished.
bool merge_task_boxes(const GitRepository& repo, std::vector<std::string>& merged) {
    constexpr int k_most_stops = 1000;
    for (int stop = 0; stop < k_most_stops && rebasing(repo); ++stop) {
        std::vector<std::string> files = conflicted_files(repo);
        if (files.empty()) {
            return false;
        }
        std::vector<std::pair<fs::path, std::string>> resolved;
        for (const auto& file : files) {
            fs::path path = repo.top / file;
            std::error_code ec;
            if (!file.ends_with(".md") || !fs::is_regular_file(fs::symlink_status(path, ec))) {
                return false;
            }
            // The markers again with the common version (diff3), which tells an untick from a
            // tick; a file left to the person gets the markers of their own conflict style.
            if (run_git(repo.top, {"checkout", "--conflict=diff3", "--", file}, Capture::combined).exit_status != 0) {
                return false;
            }
            auto text = resolve_task_box_conflicts(read_file(path));
            if (!text) {
                ProcessResult style =
                    run_git(repo.top, {"config", "--get", "merge.conflictStyle"}, Capture::stdout_silent);
                std::string chosen = style.exit_status == 0 ? trimmed(style.out) : std::string{};
                run_git(repo.top, {"checkout", "--conflict=" + (chosen.empty() ? std::string{"merge"} : chosen), "--", file},
                        Capture::combined);
                return false;
            }
            resolved.emplace_back(path, std::move(*text));
        }
        for (const auto& [path, text] : resolved) {
            write_file_atomic(path, text);
        }
        std::vector<std::string> add = {"add", "--"};
        add.insert(add.end(), files.begin(), files.end());
        if (run_git(repo.top, add, Capture::combined).exit_status != 0) {
            return false;
        }
        for (const auto& file : files) {
            if (std::find(merged.begin(), merged.end(), file) == merged.end()) {
                merged.push_back(file);
            }
        }
        // Committed here with the replayed commit's message and author, so that continuing
        // opens no editor; a resolution equal to what is there already drops the commit.
        bool nothing = run_git(repo.top, {"diff", "--cached", "--quiet"}, Capture::combined).exit_status == 0;
        if (!nothing &&
            run_git(repo.top, {"commit", "-q", "--reuse-message=REBASE_HEAD"}, Capture::combined).exit_status != 0) {
            return false;
        }
        ProcessResult next = run_git(repo.top, {"rebase", nothing ? "--skip" : "--continue"}, Capture::combined);
        if (next.exit_status != 0 && !rebasing(repo)) {
            return false;
        }
    }
    return !rebasing(repo);
}

} // namespace

std::optional<std::string> resolve_task_box_conflicts(std::string_view text) {
    enum class Part { outside, ours, base, theirs };
    Part part = Part::outside;
    std::vector<std::string_view> ours;
    std::vector<std::string_view> base;
    std::vector<std::string_view> theirs;
    bool has_base = false;
    bool any = false;
    std::string out;
    for (std::string_view line : split_lines_kept(text)) {
        switch (part) {
        case Part::outside:
            if (is_marker(line, '<')) {
                part = Part::ours;
                ours.clear();
                base.clear();
                theirs.clear();
                has_base = false;
            } else if (is_marker(line, '=') || is_marker(line, '>') || is_marker(line, '|')) {
                return std::nullopt;
            } else {
                out += line;
            }
            break;
        case Part::ours:
        case Part::base:
            if (is_marker(line, '|') && part == Part::ours) {
                part = Part::base;
                has_base = true;
            } else if (is_marker(line, '=')) {
                part = Part::theirs;
            } else if (is_marker(line, '<') || is_marker(line, '>') || is_marker(line, '|')) {
                return std::nullopt;
            } else {
                (part == Part::ours ? ours : base).push_back(line);
            }
            break;
        case Part::theirs:
            if (is_marker(line, '>')) {
                if (ours.size() != theirs.size()) {
                    return std::nullopt;
                }
                bool three_way = has_base && base.size() == ours.size();
                for (std::size_t i = 0; i < ours.size(); ++i) {
                    if (ours[i] == theirs[i]) {
                        out += ours[i];
                    } else if (!only_box_differs(ours[i], theirs[i])) {
                        return std::nullopt;
                    } else if (three_way && base[i] == ours[i]) {
                        out += theirs[i];
                    } else if (three_way && base[i] == theirs[i]) {
                        out += ours[i];
                    } else {
                        out += ticked(ours[i]) ? ours[i] : theirs[i];
                    }
                }
                any = true;
                part = Part::outside;
            } else if (is_marker(line, '<') || is_marker(line, '=') || is_marker(line, '|')) {
                return std::nullopt;
            } else {
                theirs.push_back(line);
            }
            break;
        }
    }
    if (part != Part::outside || !any) {
        return std::nullopt;
    }
    return out;
}

std::string_view change_kind(std::string_view path) {
    return kind_noun(classify(path));
}

std::string sync_commit_message(const std::vector<FileChange>& changes) {
    if (changes.empty()) {
        return "async: sync";
    }
    // (noun, action) -> count, in subject order.
    std::map<std::pair<std::size_t, int>, std::size_t> counts;
    for (const auto& c : changes) {
        counts[{noun_index(change_kind(c.path)), action_rank(c.status)}] += 1;
    }
    std::string subject = "async: ";
    bool first = true;
    for (const auto& [key, count] : counts) {
        const Noun& noun = k_nouns[key.first];
        if (!first) {
            subject += ", ";
        }
        first = false;
        bool mass = noun.kind == noun.plural; // "config": no count
        subject +=
            mass ? std::string{noun.kind}
                 : std::to_string(count) + " " + std::string{count == 1 ? noun.kind : noun.plural};
        subject += key.second == 1 ? " edited" : key.second == 2 ? " removed" : "";
    }
    std::string body;
    constexpr std::size_t k_listed = 50;
    for (std::size_t i = 0; i < changes.size() && i < k_listed; ++i) {
        char status =
            changes[i].status == 'A' || changes[i].status == 'D' ? changes[i].status : 'M';
        body += std::string(1, status) + " " + escape_path(changes[i].path) + "\n";
    }
    if (changes.size() > k_listed) {
        body += "… and " + std::to_string(changes.size() - k_listed) + " more\n";
    }
    return subject + "\n\n" + body;
}

std::vector<FileChange> parse_name_status(std::string_view z_output) {
    std::vector<FileChange> out;
    auto records = split_z(z_output);
    for (std::size_t i = 0; i + 1 < records.size(); i += 2) {
        std::string_view status = records[i];
        std::string_view path = records[i + 1];
        if (status.empty() || path.empty()) {
            continue;
        }
        out.push_back(FileChange{status[0], std::string{path}});
    }
    return out;
}

SyncResult sync_workspace(const Workspace& ws, const SyncOptions& options) {
    const fs::path& root = ws.root();
    GitRepository repo = require_git_repository(
        ws, "make it one ('async init --git " + root.string() +
                "'), add the team's remote ('git remote add origin URL'), then 'async sync'");
    SyncResult result;
    result.top = repo.top.string();
    result.prefix = repo.prefix;
    if (rebasing(repo)) {
        throw Error{ErrorKind::no, "a rebase is under way in '" + result.top + "'",
                    "finish it first: 'git status', edit the conflicted files, 'git add' them, "
                    "'git rebase --continue' (or 'git rebase --abort'); then 'async sync' again"};
    }
    if (in_progress(repo, "MERGE_HEAD") || in_progress(repo, "CHERRY_PICK_HEAD") ||
        in_progress(repo, "REVERT_HEAD")) {
        throw Error{ErrorKind::no,
                    "a merge, cherry-pick or revert is under way in '" + result.top + "'",
                    "finish or abort it first ('git status' says how), then 'async sync' again"};
    }
    ProcessResult branch =
        run_git(root, {"symbolic-ref", "-q", "--short", "HEAD"}, Capture::stdout_silent);
    std::string local_branch = trimmed(branch.out);
    if (branch.exit_status != 0 || local_branch.empty()) {
        throw Error{ErrorKind::no,
                    "HEAD is detached in '" + result.top + "': there is no branch to sync",
                    "switch to your branch ('git switch main'), then 'async sync' again"};
    }
    Upstream up = find_upstream(root, local_branch);
    result.remote = up.remote;
    result.branch = up.branch;

    // Stage the workspace's files: the paths that exist, or that git still tracks (deleted).
    std::vector<std::string> paths;
    std::vector<std::string> missing;
    for (auto p : k_team_paths) {
        (exists_no_follow(root / std::string{p}) ? paths : missing).emplace_back(p);
    }
    if (!missing.empty()) {
        std::vector<std::string> args = {"ls-files", "-z", "--"};
        args.insert(args.end(), missing.begin(), missing.end());
        ProcessResult tracked = run_git(root, args);
        auto files = split_z(tracked.out);
        for (const auto& p : missing) {
            bool known = std::any_of(files.begin(), files.end(), [&p](std::string_view f) {
                return f == p || (f.starts_with(p) && f.size() > p.size() && f[p.size()] == '/');
            });
            if (known) {
                paths.push_back(p);
            }
        }
    }
    std::vector<FileChange> changes;
    if (!paths.empty()) {
        std::vector<std::string> add = {"add", "-A", "--"};
        add.insert(add.end(), paths.begin(), paths.end());
        // What a killed write left (a temp file, a lock) is never shared, even where the
        // .gitignore predates the rule.
        for (auto glob : k_write_leftover_globs) {
            add.push_back(":(exclude,glob)**/" + std::string{glob});
        }
        must(root, add, options, ErrorKind::environment,
             "'git add' failed in '" + root.string() + "'", "see what git said above");
        std::vector<std::string> diff = {
            "diff", "--cached", "--name-status", "-z", "--no-renames", "--relative", "--"};
        diff.insert(diff.end(), paths.begin(), paths.end());
        ProcessResult staged = must(root, diff, options, ErrorKind::environment,
                                    "'git diff --cached' failed", "see what git said above");
        changes = parse_name_status(staged.out);
    }
    if (!changes.empty()) {
        // Only the workspace's files, even when other changes are staged: the top-level folders
        // that hold a change are the pathspecs (commit pathspecs must match known files).
        std::vector<std::string> commit_paths;
        for (const auto& p : paths) {
            for (const auto& c : changes) {
                if (c.path == p || c.path.starts_with(p + "/")) {
                    commit_paths.push_back(p);
                    break;
                }
            }
        }
        std::string message = sync_commit_message(changes);
        std::vector<std::string> commit = {"commit", "-q", "--no-edit", "-m", message, "--"};
        commit.insert(commit.end(), commit_paths.begin(), commit_paths.end());
        ProcessResult r = run_git(root, commit, Capture::combined);
        if (r.exit_status != 0) {
            if (options.show_git_output && !r.out.empty()) {
                options.show_git_output(r.out);
            }
            ProcessResult ident = run_git(root, {"var", "GIT_COMMITTER_IDENT"}, Capture::combined);
            if (ident.exit_status != 0) {
                throw Error{ErrorKind::environment,
                            "git does not know who you are, so it cannot commit",
                            "run 'git config --global user.name \"Your Name\"' and 'git config "
                            "--global user.email you@example.com', then 'async sync' again"};
            }
            throw Error{ErrorKind::no,
                        "the commit was refused; your changes are staged, nothing is lost",
                        "fix what is reported above (the pre-commit hook runs 'async check "
                        "--staged'), then 'async sync' again"};
        }
        result.commit_subject = first_line(message);
        result.committed_files = changes.size();
    }

    // Pull and push; when the remote moved on between the two (a teammate pushed first), pull
    // again after a random pause (doubling from 100 ms up to 2 s), so clones racing each other
    // spread out. Bounded: no new attempt after k_retry_budget, at most k_attempts pushes.
    constexpr int k_attempts = 30;
    constexpr auto k_retry_budget = std::chrono::seconds{30};
    auto started = std::chrono::steady_clock::now();
    std::minstd_rand random{std::random_device{}()};
    for (int attempt = 1; attempt <= k_attempts; ++attempt) {
        if (attempt > 1) {
            std::uniform_int_distribution<int> pause_ms{0, std::min(100 << std::min(attempt - 2, 5), 2000)};
            std::this_thread::sleep_for(std::chrono::milliseconds{pause_ms(random)});
        }
        Pulled pulled = pull(repo, up, options, result.pulled);
        if (pulled == Pulled::conflict) {
            if (!merge_task_boxes(repo, result.merged_boxes)) {
                result.conflicts = conflicted_files(repo);
                return result;
            }
            result.pulled += count_commits(root, "ORIG_HEAD", "FETCH_HEAD");
        }
        if (!head_commit(root)) {
            return result; // nothing committed anywhere yet: nothing to push
        }
        if (pulled == Pulled::fetched && count_commits(root, "FETCH_HEAD", "HEAD") == 0) {
            break; // the remote has all my commits already
        }
        result.push_attempts = attempt;
        ProcessResult push =
            run_git(root, {"push", "-q", "--", up.remote, "HEAD:refs/heads/" + up.branch},
                    Capture::combined);
        if (push.exit_status == 0) {
            result.pushed = true;
            break;
        }
        if (attempt == k_attempts || std::chrono::steady_clock::now() - started > k_retry_budget) {
            if (options.show_git_output && !push.out.empty()) {
                options.show_git_output(push.out);
            }
            throw Error{
                ErrorKind::environment,
                "cannot push to '" + up.remote + "' (branch '" + up.branch + "')",
                "your commits are safe here; see what git said above, then 'async sync' again"};
        }
    }
    if (!up.configured) {
        // Later plain `git pull`/`git push` know where to go; failing to record it is harmless.
        run_git(root, {"branch", "-q", "--set-upstream-to=" + up.remote + "/" + up.branch},
                Capture::combined);
    }
    return result;
}

std::optional<TeamRemote> team_remote(const Workspace& ws) {
    auto repo = find_git_repository(ws.root());
    if (!repo || !head_commit(repo->top)) {
        return std::nullopt;
    }
    ProcessResult branch = run_git(repo->top, {"symbolic-ref", "-q", "--short", "HEAD"}, Capture::stdout_silent);
    std::string local_branch = trimmed(branch.out);
    if (branch.exit_status != 0 || local_branch.empty()) {
        return std::nullopt;
    }
    try {
        Upstream up = find_upstream(repo->top, local_branch);
        return TeamRemote{repo->top.string(), up.remote, up.branch};
    } catch (const Error&) {
        return std::nullopt; // no remote, or several and none chosen: nothing to share through
    }
}

void pull_team(const TeamRemote& remote) {
    auto repo = find_git_repository(remote.top);
    if (!repo) {
        throw Error{ErrorKind::environment, "'" + remote.top + "' is no longer a git repository"};
    }
    if (rebasing(*repo)) {
        throw Error{ErrorKind::no, "a rebase is under way in '" + remote.top + "'",
                    "finish it first ('git status'), then run the command again"};
    }
    std::size_t pulled = 0;
    if (pull(*repo, Upstream{remote.remote, remote.branch, true}, SyncOptions{}, pulled) == Pulled::conflict) {
        run_git(repo->top, {"rebase", "--abort"}, Capture::combined);
        throw Error{ErrorKind::no, "pulling from '" + remote.remote + "' stopped on a conflict",
                    "run 'async sync' and resolve it, then run the command again"};
    }
}

bool commit_and_push_alone(const TeamRemote& remote, const fs::path& path, const std::string& message) {
    const fs::path top{remote.top};
    std::string rel = path.lexically_relative(top).generic_string();
    ProcessResult add = run_git(top, {"add", "--", rel}, Capture::combined);
    ProcessResult commit = add.exit_status != 0 ? add
                                                : run_git(top, {"commit", "-q", "--no-verify", "--no-edit", "-m", message, "--", rel},
                                                          Capture::combined);
    if (commit.exit_status != 0) {
        throw Error{ErrorKind::environment, "cannot commit '" + escape_path(rel) + "': " + first_line(commit.out),
                    "see 'git status' in '" + remote.top + "'"};
    }
    ProcessResult push =
        run_git(top, {"push", "-q", "--", remote.remote, "HEAD:refs/heads/" + remote.branch}, Capture::combined);
    if (push.exit_status == 0) {
        return true;
    }
    ProcessResult back = run_git(top, {"reset", "-q", "--keep", "HEAD~1"}, Capture::combined);
    if (back.exit_status != 0) {
        throw Error{ErrorKind::environment, "cannot take back the unpushed commit of '" + escape_path(rel) + "'",
                    "see 'git log' and 'git status' in '" + remote.top + "'"};
    }
    return false;
}

} // namespace async
