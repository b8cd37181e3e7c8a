#include <async/error.hpp>
#include <async/git.hpp>
#include <async/workspace.hpp>

#include <cstdio>

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
    ProcessResult r = run_git(dir, {"init", "-q"}, Capture::combined);
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

} // namespace async
