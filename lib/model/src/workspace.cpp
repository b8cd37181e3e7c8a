#include <async/config.hpp>
#include <async/env.hpp>
#include <async/error.hpp>
#include <async/layout.hpp>
#include <async/lock.hpp>
#include <async/workspace.hpp>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace async {
namespace {

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

bool has_workspace_marker(const fs::path& dir) {
    std::error_code ec;
    return fs::is_directory(dir / ".async", ec);
}

void write_all(int fd, std::string_view content, const fs::path& path) {
    while (!content.empty()) {
        ssize_t n = ::write(fd, content.data(), content.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            int err = errno;
            ::close(fd);
            throw io_error("write", path.string(), err);
        }
        content.remove_prefix(static_cast<std::size_t>(n));
    }
}

void fsync_dir(const fs::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

void make_dirs(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        throw io_error("create folder", dir.string(), ec.value());
    }
}

mode_t file_mode_for(const fs::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
        return st.st_mode & 07777;
    }
    mode_t mask = ::umask(0);
    ::umask(mask);
    return 0666 & ~mask;
}

constexpr std::string_view k_config_head = R"(# Team settings for this async workspace: committed and shared. See async-config(1).

[workspace]
# This workspace's id, created by async init: calendar UIDs include it. Keep it as it is.
id = ")";

constexpr std::string_view k_config_tail = R"("

[team]
name = ""

# One table per person, named by handle:
# [people.alice]
# name = "Alice Example"
# email = "alice@example.com"

[checkin]
# How often everyone checks in: weekly (on the day below) or daily (a stand-up, Monday to Friday).
cadence = "weekly"
# The weekly check-in day (mon..sun).
day = "fri"
# The check-in's questions (the checkin template's three when unset), see async-checkin(1):
# questions = ["What have you been working on?", "What is next?", "Anything in your way?"]
# Git repositories whose commits pre-fill each check-in; usually set per person instead:
#   async config set --global checkin.repos '["~/src/api"]'
)";

// The index and per-machine state; init adds k_write_leftover_globs too (what a killed write
// can leave beside a team file), so git never shows them.
constexpr std::string_view k_gitignore_lines[] = {".async/index.db*", ".async/local/"};

void ensure_gitignore(const fs::path& dir) {
    fs::path file = dir / ".gitignore";
    FileLock lock{file};
    std::string text;
    std::error_code ec;
    if (fs::exists(file, ec)) {
        text = read_file(file);
    }
    std::vector<std::string_view> lines{std::begin(k_gitignore_lines), std::end(k_gitignore_lines)};
    lines.insert(lines.end(), std::begin(k_write_leftover_globs), std::end(k_write_leftover_globs));
    std::string added;
    for (auto line : lines) {
        bool present = false;
        std::size_t pos = 0;
        while (pos <= text.size()) {
            auto end = text.find('\n', pos);
            auto current = std::string_view{text}.substr(pos, end - pos);
            if (current == line) {
                present = true;
                break;
            }
            if (end == std::string::npos) {
                break;
            }
            pos = end + 1;
        }
        if (!present) {
            added += std::string{line} + "\n";
        }
    }
    if (added.empty()) {
        return;
    }
    if (!text.empty() && text.back() != '\n') {
        text += '\n';
    }
    lock.commit(text + added);
}

} // namespace

Workspace::Workspace(fs::path root) : m_root(std::move(root)) {}

std::string Workspace::display(const fs::path& path) const {
    auto rel = path.lexically_relative(m_root);
    if (rel.empty() || *rel.begin() == "..") {
        return path.string();
    }
    return rel.string();
}

fs::path Workspace::inside(const fs::path& rel) const {
    auto normal = rel.lexically_normal();
    if (rel.is_absolute() || normal.empty() || *normal.begin() == "..") {
        throw Error{ErrorKind::usage, "path " + quoted(rel) + " is outside the workspace"};
    }
    return m_root / normal;
}

namespace {

std::optional<fs::path> default_workspace_location(const Env& env) {
    if (auto xdg = env.get("XDG_DATA_HOME"); xdg && fs::path{*xdg}.is_absolute()) {
        return fs::path{*xdg} / "async";
    }
    if (auto home = env.home()) {
        return fs::path{*home} / ".local" / "share" / "async";
    }
    return std::nullopt;
}

} // namespace

fs::path default_workspace_dir(const Env& env) {
    if (auto dir = default_workspace_location(env)) {
        return *dir;
    }
    return fs::path{env.require_home("the default workspace")}; // throws
}

std::optional<fs::path> find_enclosing_workspace(const fs::path& start) {
    std::error_code ec;
    fs::path dir = fs::weakly_canonical(fs::absolute(start, ec), ec);
    if (ec) {
        dir = start;
    }
    while (true) {
        if (has_workspace_marker(dir)) {
            return dir;
        }
        if (!dir.has_parent_path() || dir.parent_path() == dir) {
            return std::nullopt;
        }
        dir = dir.parent_path();
    }
}

std::optional<Workspace> find_workspace(const fs::path& cwd, StartedIn started, const Env& env,
                                       const std::optional<std::string>& config_workspace) {
    auto here = find_enclosing_workspace(cwd);
    if (started == StartedIn::dash_c) {
        if (!here) {
            throw Error{ErrorKind::usage, "not in an async workspace: " + quoted(cwd),
                        "run 'async init " + cwd.string() + "' to create one"};
        }
        return Workspace{*here};
    }
    if (auto dir = env.get("ASYNC_DIR")) {
        fs::path root = fs::absolute(*dir);
        if (!has_workspace_marker(root)) {
            throw Error{ErrorKind::usage, "ASYNC_DIR " + quoted(root) + " is not an async workspace",
                        "run 'async init " + root.string() + "' or unset ASYNC_DIR"};
        }
        return Workspace{root.lexically_normal()};
    }
    if (here) {
        return Workspace{*here};
    }
    if (config_workspace) {
        fs::path root = *config_workspace;
        if (root.string().starts_with("~/")) {
            root = fs::path{env.require_home("the configured workspace '" + root.string() + "'")} /
                   root.string().substr(2);
        }
        if (!has_workspace_marker(root)) {
            throw Error{ErrorKind::usage,
                        "the configured workspace " + quoted(root) + " is not an async workspace",
                        "run 'async init " + root.string() + "' or 'async config unset --global workspace'"};
        }
        return Workspace{root};
    }
    // Without HOME there is no default workspace to find; discover_workspace says why.
    if (auto fallback = default_workspace_location(env); fallback && has_workspace_marker(*fallback)) {
        return Workspace{*fallback};
    }
    return std::nullopt;
}

Workspace discover_workspace(const fs::path& cwd, StartedIn started, const Env& env,
                             const std::optional<std::string>& config_workspace,
                             Discovery& how) {
    how = Discovery::found;
    if (auto found = find_workspace(cwd, started, env, config_workspace)) {
        return *found;
    }
    fs::path fallback = default_workspace_dir(env);
    init_workspace(fallback);
    how = Discovery::created;
    return Workspace{fallback};
}

InitResult init_workspace(const fs::path& dir_in) {
    std::error_code ec;
    fs::path dir = fs::absolute(dir_in, ec).lexically_normal();
    if (dir.filename().empty()) {
        dir = dir.parent_path();
    }
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
        throw Error{ErrorKind::usage, quoted(dir) + " exists and is not a folder"};
    }
    if (dir.has_parent_path() && dir.parent_path() != dir) {
        if (auto outer = find_enclosing_workspace(dir.parent_path())) {
            if (!has_workspace_marker(dir)) {
                throw Error{ErrorKind::usage,
                            "refusing to create a workspace inside the workspace " + quoted(*outer),
                            "use the existing workspace, or choose a folder outside it"};
            }
        }
    }
    bool existed = has_workspace_marker(dir);
    Workspace ws{dir};
    make_dirs(ws.templates_dir());
    make_dirs(ws.drafts_dir());
    for (auto sub : k_sections) {
        make_dirs(dir / sub);
    }
    if (!fs::exists(ws.config_file(), ec)) {
        create_file_exclusive(ws.config_file(), config_skeleton(new_workspace_id()));
    }
    ensure_gitignore(dir);
    return existed ? InitResult::already_there : InitResult::created;
}

std::string config_skeleton(std::string_view id) {
    return std::string{k_config_head} + std::string{id} + std::string{k_config_tail};
}

bool is_config_skeleton(std::string_view text) {
    if (!text.starts_with(k_config_head)) {
        return false;
    }
    std::string_view rest = text.substr(k_config_head.size());
    std::size_t quote = rest.find('"');
    return quote != std::string_view::npos && is_workspace_id(rest.substr(0, quote)) &&
           rest.substr(quote) == k_config_tail;
}

namespace {

// Writes content to a new temp file beside path (same folder, so a rename or link is atomic),
// fsynced and closed; returns its name. The caller moves it into place or removes it.
std::string write_temp_beside(const fs::path& path, std::string_view content) {
    fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path{"."};
    make_dirs(dir);
    remove_stale_temp_files_once(dir);
    std::string tmpl = temp_file_pattern(path);
    int fd = ::mkstemp(tmpl.data());
    if (fd < 0) {
        throw io_error("write", path.string(), errno);
    }
    ::fchmod(fd, file_mode_for(path));
    try {
        write_all(fd, content, path);
    } catch (...) {
        ::unlink(tmpl.c_str());
        throw;
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        int err = errno;
        ::unlink(tmpl.c_str());
        throw io_error("write", path.string(), err);
    }
    return tmpl;
}

fs::path folder_of(const fs::path& path) {
    return path.has_parent_path() ? path.parent_path() : fs::path{"."};
}

} // namespace

void write_file_atomic(const fs::path& path, std::string_view content) {
    std::string tmp = write_temp_beside(path, content);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        throw io_error("write", path.string(), err);
    }
    fsync_dir(folder_of(path));
}

fs::path create_file_numbered(const fs::path& dir, const std::string& stem, std::string_view content) {
    for (int n = 1;; ++n) {
        fs::path candidate = dir / (stem + (n > 1 ? "-" + std::to_string(n) : "") + ".md");
        if (create_file_exclusive(candidate, content)) {
            return candidate;
        }
    }
}

bool create_file_exclusive(const fs::path& path, std::string_view content) {
    // Linked into place from the temp file, so nobody ever sees a half file and an existing
    // file is never replaced (link fails with EEXIST).
    std::string tmp = write_temp_beside(path, content);
    int rc = ::link(tmp.c_str(), path.c_str());
    int err = errno;
    ::unlink(tmp.c_str());
    if (rc != 0) {
        if (err == EEXIST) {
            return false;
        }
        throw io_error("write", path.string(), err);
    }
    fsync_dir(folder_of(path));
    return true;
}

namespace {

// Reads fd to its end and closes it.
std::string read_all(int fd, const fs::path& path) {
    std::string out;
    char buf[65536];
    while (true) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            int err = errno;
            ::close(fd);
            throw io_error("read", path.string(), err);
        }
        if (n == 0) {
            break;
        }
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

// True when path (which exists) resolves to root itself or below it.
bool resolves_inside(const fs::path& root, const fs::path& path) {
    char resolved_root[PATH_MAX];
    char resolved[PATH_MAX];
    if (::realpath(root.c_str(), resolved_root) == nullptr || ::realpath(path.c_str(), resolved) == nullptr) {
        return false;
    }
    std::string_view base = resolved_root;
    std::string_view target = resolved;
    return target.starts_with(base) &&
           (target.size() == base.size() || base == "/" || target[base.size()] == '/');
}

} // namespace

std::string read_file(const fs::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw io_error("read", path.string(), errno);
    }
    return read_all(fd, path);
}

OpenedFile open_workspace_file(const fs::path& root, std::string_view rel, int extra_flags) {
    fs::path path = root / fs::path{rel};
    OpenedFile out;
    out.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | extra_flags);
    if (out.fd >= 0) {
        return out;
    }
    out.error = errno;
    struct stat st {};
    // O_NOFOLLOW refuses a link with ELOOP: resolve it and follow it only to a file inside.
    if (out.error != ELOOP || ::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) {
        return out;
    }
    if (::stat(path.c_str(), &st) != 0) {
        out.error = errno; // ENOENT when broken, ELOOP for a loop of links
        return out;
    }
    if (!resolves_inside(root, path)) {
        out.error = 0;
        out.outside = true;
        return out;
    }
    out.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | extra_flags);
    out.error = out.fd < 0 ? errno : 0;
    return out;
}

std::string read_workspace_file(const fs::path& root, std::string_view rel) {
    fs::path path = root / fs::path{rel};
    OpenedFile file = open_workspace_file(root, rel);
    if (file.outside) {
        throw Error{ErrorKind::data, std::string{rel} + ": " + k_outside_link_problem};
    }
    if (file.fd < 0) {
        throw io_error("read", path.string(), file.error);
    }
    return read_all(file.fd, path);
}

} // namespace async
