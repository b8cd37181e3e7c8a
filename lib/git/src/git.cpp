#include <async/error.hpp>
#include <async/git.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>

namespace fs = std::filesystem;

namespace async {

ProcessResult run_git(const fs::path& dir, const std::vector<std::string>& args, Capture capture) {
    std::vector<std::string> argv;
    argv.reserve(args.size() + 1);
    argv.emplace_back("git");
    argv.insert(argv.end(), args.begin(), args.end());
    auto result = run_process(argv, capture, dir);
    if (!result) {
        throw Error{ErrorKind::environment, "cannot run 'git'",
                    "install git (and make sure it is on PATH)"};
    }
    return *result;
}

std::vector<std::string_view> split_z(std::string_view out) {
    std::vector<std::string_view> records;
    while (!out.empty()) {
        auto nul = out.find('\0');
        records.push_back(out.substr(0, nul));
        if (nul == std::string_view::npos) {
            break;
        }
        out.remove_prefix(nul + 1);
    }
    return records;
}

namespace {

std::optional<std::string> git_config_value(const char* key, const fs::path& dir) {
    // Not run_git: a missing git only means "no answer from git" here.
    auto r = run_process({"git", "config", key}, Capture::stdout_only, dir);
    if (!r || r->exit_status != 0) {
        return std::nullopt;
    }
    std::string value{trim(r->out)};
    if (value.empty()) {
        return std::nullopt;
    }
    return value;
}

} // namespace

std::optional<std::string> git_user_email(const fs::path& dir) {
    return git_config_value("user.email", dir);
}

std::optional<std::string> git_user_name(const fs::path& dir) {
    return git_config_value("user.name", dir);
}

std::optional<fs::path> git_dir_of(const fs::path& dir) {
    std::error_code ec;
    if (fs::exists(dir / ".git", ec)) {
        return dir / ".git";
    }
    if (fs::is_regular_file(dir / "HEAD", ec) && fs::is_directory(dir / "objects", ec)) {
        return dir; // a bare repository
    }
    return std::nullopt;
}

std::unordered_map<std::string, FileAddition> first_additions(const fs::path& dir,
                                                              const std::vector<std::string>& folders) {
    std::unordered_map<std::string, FileAddition> out;
    // The folder's place in its working tree, from the files (no second git process).
    fs::path top = fs::absolute(dir).lexically_normal();
    std::string prefix;
    while (!git_dir_of(top)) {
        if (!top.has_relative_path()) {
            return out;
        }
        prefix = top.filename().string() + "/" + prefix;
        top = top.parent_path();
    }
    // The whole history, oldest first, renames detected: a folder moved into the workspace
    // (git mv text docs/rfcs) keeps its files' first authors, which a pathspec would lose (a
    // rename from outside it looks like an addition).
    // Merges show what they brought in (against the first parent): a file a merge named or
    // renamed while resolving is added there, and one its branch added keeps the branch's
    // author (the first addition wins). Parents before children (--topo-order).
    ProcessResult r = run_git(top, {"-c", "log.showSignature=false", "log", "--reverse", "--topo-order", "--no-color",
                                    "-M", "--diff-merges=first-parent", "--diff-filter=ADR", "--name-status", "-z",
                                    "--format=%x1e%aE%x1f%at"},
                              Capture::stdout_silent);
    if (r.exit_status != 0) {
        return out;
    }
    std::unordered_map<std::string, FileAddition> origin; // by path from the top, as it stands
    std::optional<FileAddition> current;
    std::vector<std::string_view> records = split_z(r.out);
    for (std::size_t i = 0; i < records.size(); ++i) {
        std::string_view record = records[i];
        if (record.starts_with('\x1e')) {
            record.remove_prefix(1);
            current.reset();
            auto sep = record.find('\x1f');
            long long seconds = 0;
            if (sep != std::string_view::npos) {
                std::string_view digits = record.substr(sep + 1);
                auto [end, err] = std::from_chars(digits.data(), digits.data() + digits.size(), seconds);
                if (err == std::errc{}) {
                    current = FileAddition{std::string{record.substr(0, sep)}, TimePoint{std::chrono::seconds{seconds}}};
                }
            }
            continue;
        }
        while (record.starts_with('\n')) {
            record.remove_prefix(1);
        }
        if (record.empty() || !current) {
            continue;
        }
        char status = record.front();
        if ((status == 'A' || status == 'D') && i + 1 < records.size()) {
            std::string path{records[++i]};
            if (status == 'A') {
                origin.emplace(std::move(path), *current);
            } else {
                origin.erase(path);
            }
        } else if (status == 'R' && i + 2 < records.size()) {
            std::string from{records[++i]};
            std::string to{records[++i]};
            auto it = origin.find(from);
            if (it != origin.end()) {
                FileAddition first = std::move(it->second);
                origin.erase(it);
                origin.insert_or_assign(std::move(to), std::move(first));
            } else {
                origin.emplace(std::move(to), *current); // a merge repeating its branch's rename
            }
        }
    }
    for (auto& [path, added] : origin) {
        if (!path.starts_with(prefix)) {
            continue;
        }
        std::string_view rel = std::string_view{path}.substr(prefix.size());
        bool wanted = folders.empty() || std::any_of(folders.begin(), folders.end(), [&](const std::string& folder) {
            return rel.size() > folder.size() && rel.starts_with(folder) && rel[folder.size()] == '/';
        });
        if (wanted) {
            out.emplace(std::string{rel}, std::move(added));
        }
    }
    return out;
}

std::vector<GitCommit> list_commits(const fs::path& repo, TimePoint since) {
    auto git_dir = git_dir_of(repo);
    if (!git_dir) {
        throw Error{ErrorKind::data, "'" + repo.string() + "' is not a git repository"};
    }
    // --git-dir wins over a GIT_DIR inherited from a hook; the committer date bounds the walk
    // (it is never before the author date but after a rebase).
    ProcessResult r = run_git({}, {"-c", "log.showSignature=false", "--git-dir=" + git_dir->string(), "log",
                                   "--all", "--exclude=refs/stash", "--no-merges", "--no-color",
                                   "--max-age=" + std::to_string(since.time_since_epoch().count()),
                                   "--format=%h%x1f%ae%x1f%at%x1f%s"});
    if (r.exit_status != 0) {
        throw Error{ErrorKind::data, "git log failed in '" + repo.string() + "' (exit status " +
                                         std::to_string(r.exit_status) + ")"};
    }
    std::vector<GitCommit> out;
    std::string_view rest = r.out;
    while (!rest.empty()) {
        auto eol = rest.find('\n');
        std::string_view line = rest.substr(0, eol);
        rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);
        std::string_view fields[3];
        int found = 0;
        for (; found < 3; ++found) {
            auto sep = line.find('\x1f');
            if (sep == std::string_view::npos) {
                break;
            }
            fields[found] = line.substr(0, sep);
            line.remove_prefix(sep + 1);
        }
        if (found != 3) {
            continue;
        }
        long long seconds = 0;
        try {
            seconds = std::stoll(std::string{fields[2]});
        } catch (const std::exception&) {
            continue;
        }
        out.push_back(GitCommit{std::string{fields[0]}, std::string{fields[1]},
                                TimePoint{std::chrono::seconds{seconds}}, std::string{line}});
    }
    return out;
}

std::vector<StagedFile> staged_files(const fs::path& dir, std::string_view hint) {
    ProcessResult inside = run_git(dir, {"rev-parse", "--is-inside-work-tree"});
    if (inside.exit_status != 0 || trim(inside.out) != "true") {
        throw Error{ErrorKind::environment, "the workspace '" + dir.string() + "' is not in a git repository",
                    std::string{hint}};
    }
    ProcessResult diff = run_git(dir, {"diff", "--cached", "--raw", "-z", "--no-renames", "--no-abbrev",
                                       "--relative", "--ignore-submodules=all", "--diff-filter=ACMD"});
    if (diff.exit_status != 0) {
        throw Error{ErrorKind::environment,
                    "'git diff --cached' failed (exit status " + std::to_string(diff.exit_status) + ")"};
    }
    // Records come in pairs, ":oldmode newmode oldsha newsha status" and the path.
    std::map<std::string, StagedFile> staged;
    auto records = split_z(diff.out);
    for (std::size_t i = 0; i + 1 < records.size(); i += 2) {
        std::string_view header = records[i];
        std::string_view path = records[i + 1];
        std::vector<std::string_view> fields;
        std::size_t pos = header.starts_with(':') ? 1 : 0;
        while (pos <= header.size()) {
            auto sp = header.find(' ', pos);
            fields.push_back(header.substr(pos, sp == std::string_view::npos ? std::string_view::npos : sp - pos));
            if (sp == std::string_view::npos) {
                break;
            }
            pos = sp + 1;
        }
        if (fields.size() < 5 || fields[4].empty()) {
            continue;
        }
        staged[std::string{path}] =
            StagedFile{std::string{path}, std::string{fields[1]}, std::string{fields[3]}, fields[4][0]};
    }
    std::vector<StagedFile> out;
    out.reserve(staged.size());
    for (auto& [path, file] : staged) {
        out.push_back(std::move(file));
    }
    return out;
}

std::optional<std::string> read_blob(const fs::path& dir, const std::string& blob) {
    ProcessResult r = run_git(dir, {"cat-file", "blob", blob});
    if (r.exit_status != 0) {
        return std::nullopt;
    }
    return std::move(r.out);
}

std::string first_line(std::string_view text) {
    auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
        line.remove_suffix(1);
    }
    return std::string{line};
}

std::optional<GitRepository> find_git_repository(const fs::path& dir) {
    // One git process answers all four; each answer is one line (git prints paths raw).
    ProcessResult r = run_git(dir,
                              {"rev-parse", "--show-toplevel", "--show-prefix",
                               "--absolute-git-dir", "--git-path", "hooks"},
                              Capture::stdout_silent);
    if (r.exit_status != 0) {
        return std::nullopt;
    }
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < r.out.size()) {
        auto end = r.out.find('\n', pos);
        if (end == std::string::npos) {
            end = r.out.size();
        }
        lines.push_back(r.out.substr(pos, end - pos));
        pos = end + 1;
    }
    if (lines.size() != 4 || lines[0].empty()) {
        return std::nullopt;
    }
    GitRepository repo;
    repo.top = lines[0];
    repo.prefix = lines[1];
    repo.git_dir = lines[2];
    fs::path hooks = lines[3];
    // --git-path answers relative to the folder git ran in.
    repo.hooks = (hooks.is_absolute() ? hooks : fs::absolute(dir) / hooks).lexically_normal();
    return repo;
}

GitRepository require_git_repository(const Workspace& ws, std::string_view hint) {
    auto repo = find_git_repository(ws.root());
    if (!repo) {
        throw Error{ErrorKind::environment,
                    "the workspace '" + ws.root().string() + "' is not in a git repository",
                    std::string{hint}};
    }
    return *repo;
}

bool ensure_git_repository(const fs::path& dir) {
    if (auto repo = find_git_repository(dir)) {
        std::error_code ec;
        if (fs::equivalent(repo->top, dir, ec)) {
            return false;
        }
    }
    // A new repository's branch is main, as the README's examples say, unless the user's git
    // config chooses one (init.defaultBranch), which git then applies itself.
    ProcessResult configured = run_git(dir, {"config", "--get", "init.defaultBranch"}, Capture::stdout_only);
    std::vector<std::string> args{"init", "-q"};
    if (configured.exit_status != 0 || trim(configured.out).empty()) {
        args.emplace_back("--initial-branch=main");
    }
    ProcessResult r = run_git(dir, args, Capture::combined);
    if (r.exit_status != 0) {
        throw Error{ErrorKind::environment,
                    "'git init' failed in '" + dir.string() + "': " + first_line(r.out)};
    }
    return true;
}

std::string escape_path(std::string_view path) {
    std::string out;
    out.reserve(path.size());
    for (char ch : path) {
        auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        case '\\': out += "\\\\"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\%03o", c);
                out += buf;
            } else {
                out += ch;
            }
        }
    }
    return out;
}


namespace {

std::string relative_to_top(const fs::path& top, const fs::path& path) {
    return path.lexically_relative(top).generic_string();
}

} // namespace

bool is_tracked(const fs::path& top, const fs::path& path) {
    ProcessResult r = run_git(top, {"ls-files", "--error-unmatch", "--", ":(literal)" + relative_to_top(top, path)},
                              Capture::stdout_silent);
    return r.exit_status == 0;
}

void git_move(const fs::path& top, const fs::path& from, const fs::path& to) {
    ProcessResult r = run_git(top, {"mv", "--", relative_to_top(top, from), relative_to_top(top, to)},
                              Capture::combined);
    if (r.exit_status != 0) {
        throw Error{ErrorKind::data, "git mv " + escape_path(relative_to_top(top, from)) + " failed: " +
                                         first_line(sanitize_for_terminal(r.out, Newlines::flatten))};
    }
}

} // namespace async
