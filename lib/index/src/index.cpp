#include <async/dates.hpp>
#include <async/document.hpp>
#include <async/due.hpp>
#include <async/error.hpp>
#include <async/index.hpp>
#include <async/layout.hpp>
#include <async/markdown.hpp>
#include <async/note.hpp>
#include <async/query.hpp>
#include <async/text.hpp>
#include <async/watcher.hpp>
#include <async/workspace.hpp>

#include "fts_loader.hpp"
#include "index_access.hpp"
#include "local_state.hpp"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <csignal>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <system_error>
#include <thread>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <iterator>
#include <memory>
#include <ctime>
#include <chrono>
#include <unistd.h>
#include <unordered_map>
#include <utility>

namespace fs = std::filesystem;

namespace async {
namespace {

constexpr int k_busy_timeout_ms = 60000;

// SQLite counts every allocation, under a global mutex, for sqlite3_memory_used(), which async
// never asks. Preparing a statement makes hundreds of allocations (Debian's SQLite is built
// without lookaside memory), so without the count a statement is prepared with about a fifth
// fewer instructions, and a prompt's `inbox --count` prepares twenty. The setting must come
// before SQLite initializes, hence at static initialization (no static initializer opens a
// database); should SQLite be initialized already, it refuses and nothing changes.
[[maybe_unused]] const int k_no_memory_statistics = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);

// Reads go through a memory map of the index instead of read() into SQLite's page cache: a
// command that reads thousands of rows (the inbox) then neither copies every page nor faults
// in fresh heap for it. Only SQLite writes the file, and it never shrinks it under a reader's
// snapshot; a rebuilt index arrives by rename, so a mapped old one stays whole.
void map_pages(SQLite::Database& db) {
    db.exec("PRAGMA mmap_size = 268435456");
}

struct FileStat {
    std::string path; // relative, '/'-separated
    std::int64_t size = 0;
    std::int64_t mtime = 0; // nanoseconds
    FileKind kind = FileKind::document;
    std::string problem;    // set when the file cannot even be stat'ed
};

// A folder as last listed. Creating, removing or renaming an entry changes the folder's ctime
// (and so does chmod; a harmless extra listing). Its ctime and inode unchanged mean its entries
// are the ones the index knows, so the refresh only stats them instead of listing the folder.
struct DirStat {
    std::string path;
    std::int64_t ctime = 0; // nanoseconds; 0: unknown, list the folder again next time
    std::int64_t ino = 0;
};

// Folders changed this close to the start of a scan are stored with ctime 0: a later change in
// the same clock tick (or within a coarse file system's timestamp resolution, 2 s on FAT) would
// leave the ctime as it was and go unseen. Compared with the real clock, not ASYNC_NOW.
constexpr std::int64_t k_racy_ns = 3'000'000'000;

std::int64_t nanoseconds(const timespec& t) {
    return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

// What the kernel said about one path (errno in error, 0 on success).
struct StatResult {
    int error = 0;
    mode_t mode = 0;
    std::int64_t size = 0, mtime = 0, ctime = 0, ino = 0;
};

std::int64_t nanoseconds(const statx_timestamp& t) {
    return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

// The one stat call of a refresh: statx asking only for the fields the index compares (a
// file's type, size and mtime; a folder's ctime and inode too), which spares file systems
// that compute the others (network ones, FUSE) the work. flags: 0 follows a symbolic link,
// AT_SYMLINK_NOFOLLOW does not.
StatResult stat_at(int dir_fd, const char* name, int flags, bool folder_fields) {
    unsigned mask = STATX_TYPE | STATX_SIZE | STATX_MTIME | (folder_fields ? STATX_CTIME | STATX_INO : 0U);
    struct statx st {};
    StatResult out;
    if (::statx(dir_fd, name, flags, mask, &st) != 0) {
        out.error = errno;
        return out;
    }
    out.mode = st.stx_mode;
    out.size = static_cast<std::int64_t>(st.stx_size);
    out.mtime = nanoseconds(st.stx_mtime);
    out.ctime = nanoseconds(st.stx_ctime);
    out.ino = static_cast<std::int64_t>(st.stx_ino);
    return out;
}

// The size and mtime of rel, a file of kind found as name in the folder dir_fd (symlinks
// followed), or why it cannot be read; nullopt when it is not a regular file.
std::optional<FileStat> stat_file(int dir_fd, const char* name, std::string rel, FileKind kind) {
    StatResult st = stat_at(dir_fd, name, 0, false);
    FileStat file{std::move(rel), 0, 0, kind, {}};
    if (st.error != 0) {
        file.problem = st.error == ELOOP ? "symbolic link loop" : std::strerror(st.error);
    } else if (!S_ISREG(st.mode)) {
        return std::nullopt;
    } else {
        file.size = st.size;
        file.mtime = st.mtime;
    }
    return file;
}

std::int64_t now_ns() {
    timespec t{};
    ::clock_gettime(CLOCK_REALTIME, &t);
    return nanoseconds(t);
}

std::string_view parent_path(std::string_view path) {
    auto slash = path.rfind('/');
    return slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
}

// The files and folders of the index as of its last refresh, sorted by path (byte order, as
// SQLite's BINARY collation), with their paths in one buffer instead of one string each.
class Known {
public:
    struct File {
        std::string_view path;
        std::int64_t size, mtime;
        FileKind kind;
        bool seen = false; // found by the scan, unchanged
    };
    struct Dir {
        std::string_view path;
        std::int64_t ctime, ino;
    };

    // The folder rows, then the file rows: call both in one transaction, for one snapshot.
    void load_dirs(SQLite::Database& db) {
        dirs.clear();
        std::vector<std::pair<std::size_t, std::size_t>> spans;
        SQLite::Statement sd{db, "SELECT path, ctime, ino FROM dirs ORDER BY path"};
        while (sd.executeStep()) {
            spans.push_back(add_path(m_dir_paths, sd.getColumn(0)));
            dirs.push_back(Dir{{}, sd.getColumn(1).getInt64(), sd.getColumn(2).getInt64()});
        }
        for (std::size_t i = 0; i < dirs.size(); ++i) { // views only now: m_dir_paths no longer moves
            dirs[i].path = std::string_view{m_dir_paths}.substr(spans[i].first, spans[i].second);
        }
    }
    void load_files(SQLite::Database& db) {
        files.clear();
        std::vector<std::pair<std::size_t, std::size_t>> spans;
        SQLite::Statement st{db, "SELECT path, size, mtime, kind FROM files ORDER BY path"};
        while (st.executeStep()) {
            spans.push_back(add_path(m_file_paths, st.getColumn(0)));
            char kind = *st.getColumn(3).getText();
            files.push_back(File{{}, st.getColumn(1).getInt64(), st.getColumn(2).getInt64(),
                                 kind == 't' ? FileKind::transcript : FileKind::document});
        }
        for (std::size_t i = 0; i < files.size(); ++i) {
            files[i].path = std::string_view{m_file_paths}.substr(spans[i].first, spans[i].second);
        }
    }

    File* find_file(std::string_view path) { return find(files, path); }
    const Dir* find_dir(std::string_view path) const { return find(dirs, path); }
    std::size_t dir_index(std::string_view path) const {
        const Dir* d = find(dirs, path);
        return d == nullptr ? npos : static_cast<std::size_t>(d - dirs.data());
    }
    bool empty() const { return files.empty() && dirs.empty(); }

    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
    std::vector<File> files;
    std::vector<Dir> dirs;

private:
    static std::pair<std::size_t, std::size_t> add_path(std::string& paths, const SQLite::Column& c) {
        std::size_t at = paths.size();
        paths.append(c.getText(), static_cast<std::size_t>(c.getBytes()));
        return {at, paths.size() - at};
    }

    template <class T>
    static T* find(std::vector<T>& v, std::string_view path) {
        auto it = std::lower_bound(v.begin(), v.end(), path, [](const T& e, std::string_view p) { return e.path < p; });
        return it != v.end() && it->path == path ? &*it : nullptr;
    }
    template <class T>
    static const T* find(const std::vector<T>& v, std::string_view path) {
        auto it = std::lower_bound(v.begin(), v.end(), path, [](const T& e, std::string_view p) { return e.path < p; });
        return it != v.end() && it->path == path ? &*it : nullptr;
    }

    // Two buffers: the folders are in use (on another thread) while the files load.
    std::string m_dir_paths, m_file_paths;
};

// Reads the names and types of the entries of the open folder fd, without "." and hidden names,
// sorted. Uses getdents64 on the descriptor (fdopendir would add two fcntl calls per folder).
bool list_folder(int fd, std::vector<std::pair<std::string, unsigned char>>& entries) {
    entries.clear();
    alignas(dirent64) char buf[32768];
    for (;;) {
        ssize_t n = ::getdents64(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return false;
        }
        if (n == 0) {
            break;
        }
        for (ssize_t off = 0; off < n;) {
            const auto* e = reinterpret_cast<const dirent64*>(buf + off);
            off += e->d_reclen;
            std::string_view name = e->d_name;
            if (!name.empty() && name.front() != '.') {
                entries.emplace_back(std::string{name}, e->d_type);
            }
        }
    }
    std::sort(entries.begin(), entries.end());
    return true;
}

// Collects .md files and transcripts under the sections, with *at() calls relative to open
// folders so the kernel never re-walks a whole path. Folder symlinks are not followed (no
// loops); file symlinks are followed with fstatat and reported when broken. Every folder it
// lists is recorded in dirs. With known, it does not descend into folders the index already
// has (the incremental refresh stats those itself). With a sink, files go to it as they are
// found instead of into files; the sink returns false to stop the walk.
class Walker {
public:
    using Sink = std::function<bool(FileStat&&)>;
    Walker(std::int64_t racy_after, const Known* known, Sink sink = {})
        : m_racy_after(racy_after), m_known(known), m_sink(std::move(sink)) {}

    // Lists the folder rel (open as fd, which this takes over) and its subfolders.
    void walk(int fd, const std::string& rel) {
        struct stat st {};
        if (auto problem = folder_problem(rel)) {
            ::close(fd);
            fail(rel, std::move(*problem));
            return;
        }
        std::vector<std::pair<std::string, unsigned char>> entries;
        if (::fstat(fd, &st) != 0 || !list_folder(fd, entries)) {
            int err = errno;
            ::close(fd);
            fail(rel, std::strerror(err));
            return;
        }
        std::int64_t ctime = nanoseconds(st.st_ctim);
        dirs.push_back(DirStat{rel, ctime > m_racy_after ? 0 : ctime, static_cast<std::int64_t>(st.st_ino)});
        // A .txt is a transcript when an audio or video file of its name is in this listing.
        auto listed = [&](std::string_view sibling) {
            std::string_view name = sibling.substr(sibling.rfind('/') + 1);
            auto it = std::lower_bound(entries.begin(), entries.end(), name,
                                       [](const auto& e, std::string_view n) { return e.first < n; });
            return it != entries.end() && it->first == name;
        };
        for (const auto& [name, type] : entries) {
            if (m_stopped) {
                break;
            }
            std::string child = rel + "/" + name;
            unsigned char t = type;
            if (t == DT_UNKNOWN) {
                struct stat cst {};
                if (::fstatat(fd, name.c_str(), &cst, AT_SYMLINK_NOFOLLOW) == 0) {
                    t = S_ISDIR(cst.st_mode) ? DT_DIR : S_ISLNK(cst.st_mode) ? DT_LNK : DT_REG;
                }
            }
            if (t == DT_DIR) {
                if (m_known != nullptr && m_known->find_dir(child) != nullptr) {
                    continue;
                }
                int sub = ::openat(fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (sub < 0) {
                    fail(child, std::strerror(errno));
                    continue;
                }
                walk(sub, child);
                continue;
            }
            FileKind kind = classify(child, listed);
            if (!is_indexed(kind)) {
                continue;
            }
            if (auto file = stat_file(fd, name.c_str(), child, kind)) {
                emit(std::move(*file));
            }
        }
        ::close(fd);
    }

    // Walks the section folder root/section unless it does not exist.
    void walk_section(int root_fd, std::string_view section_name) {
        if (m_stopped) {
            return;
        }
        std::string section{section_name};
        int fd = ::openat(root_fd, section.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
            if (errno != ENOENT) {
                fail(section, std::strerror(errno));
            }
            return;
        }
        walk(fd, section);
    }

    std::vector<FileStat> files;
    std::vector<DirStat> dirs;

private:
    // A folder that cannot be listed is a problem entry, and is listed again on every refresh.
    void fail(const std::string& rel, std::string problem) {
        emit(FileStat{rel, 0, 0, FileKind::document, std::move(problem)});
        dirs.push_back(DirStat{rel, 0, 0});
    }

    void emit(FileStat&& file) {
        if (!m_sink) {
            files.push_back(std::move(file));
        } else if (!m_stopped && !m_sink(std::move(file))) {
            m_stopped = true;
        }
    }

    std::int64_t m_racy_after;
    const Known* m_known;
    Sink m_sink;
    bool m_stopped = false;
};

int open_root(const fs::path& root) {
    int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        throw Error{ErrorKind::data, "cannot open the workspace '" + root.string() + "': " + std::strerror(errno)};
    }
    return fd;
}

} // namespace

// What a walk of the workspace found: files that are new or changed (for a full scan, every
// file) and the folder rows to write. Known files that still exist are marked Known::File::seen.
struct IndexScan {
    std::vector<FileStat> found;       // files whose state the index lacks
    std::size_t scanned = 0;           // files that exist (with a problem or not)
    std::vector<DirStat> dir_updates;  // folders to (re)record
    std::vector<std::string> dir_gone; // folders to forget
};

namespace {

// Every file and folder under the sections, listing every folder (first and full refresh,
// --check).
IndexScan scan_all(const fs::path& root) {
    int root_fd = open_root(root);
    Walker walker{now_ns() - k_racy_ns, nullptr};
    for (std::string_view section : k_sections) {
        walker.walk_section(root_fd, section);
    }
    ::close(root_fd);
    IndexScan scan;
    scan.scanned = walker.files.size();
    scan.found = std::move(walker.files);
    scan.dir_updates = std::move(walker.dirs);
    return scan;
}

// Descriptors of the section folders, so that a stat of "docs/x/index.md" looks up two names
// instead of three (name lookups are most of a refresh's time).
class SectionFds {
public:
    explicit SectionFds(int root_fd) : m_root(root_fd) {
        for (std::size_t i = 0; i < std::size(k_sections); ++i) {
            m_fds[i] = ::openat(root_fd, std::string{k_sections[i]}.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
    }
    ~SectionFds() {
        for (int fd : m_fds) {
            if (fd >= 0) {
                ::close(fd);
            }
        }
    }
    SectionFds(const SectionFds&) = delete;
    SectionFds& operator=(const SectionFds&) = delete;

    // stat_at of the workspace-relative path rel; buffer is scratch space.
    StatResult stat(std::string_view rel, std::string& buffer, int flags, bool folder_fields) const {
        buffer.assign(rel);
        int fd = m_root;
        const char* name = buffer.c_str();
        for (std::size_t i = 0; i < std::size(k_sections); ++i) {
            std::string_view section = k_sections[i];
            if (m_fds[i] >= 0 && rel.size() > section.size() && rel.starts_with(section) && rel[section.size()] == '/') {
                fd = m_fds[i];
                name += section.size() + 1;
                break;
            }
        }
        return stat_at(fd, name, flags, folder_fields);
    }

private:
    int m_root;
    int m_fds[std::size(k_sections)];
};

// The stat of every known folder and file, in the order of Known::dirs and Known::files.
struct KnownStats {
    std::vector<StatResult> dirs, files;
    std::int64_t racy_after = 0; // as for Walker: now, before the first stat, less k_racy_ns
};

// Loads known from db (call it in a transaction: one snapshot of both tables) and stats every
// folder and file it lists, on two threads: the folders load first, and a second thread stats
// them while this one loads the files; then both stat what is left. (The refresh waits on stat
// calls, and the kernel runs those on both cores.) Returns PRAGMA data_version as of before
// the load.
std::int64_t load_and_stat(SQLite::Database& db, const fs::path& root, Known& known, KnownStats& stats) {
    std::int64_t version = db.execAndGet("PRAGMA data_version").getInt64();
    known.load_dirs(db);
    int root_fd = open_root(root);
    SectionFds sections{root_fd};
    stats.racy_after = now_ns() - k_racy_ns;
    stats.dirs.assign(known.dirs.size(), {});
    stats.files.clear();
    constexpr std::size_t k_chunk = 256;
    std::atomic<std::size_t> next_dir{0}, next_file{0};
    std::atomic<bool> files_loaded{false};
    auto stat_all = [&](std::string& scratch) {
        for (std::size_t from; (from = next_dir.fetch_add(k_chunk)) < known.dirs.size();) {
            for (std::size_t i = from; i < std::min(from + k_chunk, known.dirs.size()); ++i) {
                stats.dirs[i] = sections.stat(known.dirs[i].path, scratch, AT_SYMLINK_NOFOLLOW, true);
            }
        }
        files_loaded.wait(false);
        for (std::size_t from; (from = next_file.fetch_add(k_chunk)) < known.files.size();) {
            for (std::size_t i = from; i < std::min(from + k_chunk, known.files.size()); ++i) {
                stats.files[i] = sections.stat(known.files[i].path, scratch, 0, false);
            }
        }
    };
    std::thread helper;
    // A small workspace is done before a thread would have started.
    if (known.dirs.size() >= 512 && std::thread::hardware_concurrency() >= 2) {
        try {
            helper = std::thread{[&] {
                std::string scratch;
                stat_all(scratch);
            }};
        } catch (const std::system_error&) {
            // This thread does it all.
        }
    }
    auto files_ready = [&] {
        files_loaded.store(true);
        files_loaded.notify_all();
    };
    try {
        known.load_files(db);
        stats.files.assign(known.files.size(), {});
    } catch (...) {
        known.files.clear(); // nothing for the helper to stat
        files_ready();
        if (helper.joinable()) {
            helper.join();
        }
        ::close(root_fd);
        throw;
    }
    files_ready();
    std::string scratch;
    stat_all(scratch);
    if (helper.joinable()) {
        helper.join();
    }
    ::close(root_fd);
    return version;
}

// The incremental scan, from load_and_stat's stats: lists only the changed folders (and
// folders new in them); the known files of unchanged folders count as they were stat'ed. Marks
// the known files that still exist as seen; returns only new and changed ones.
IndexScan scan_changes(const fs::path& root, Known& known, const KnownStats& stats) {
    enum State : unsigned char { unchanged, changed, gone };
    std::vector<State> state(known.dirs.size(), gone);
    IndexScan scan;
    for (std::size_t i = 0; i < known.dirs.size(); ++i) {
        const Known::Dir& d = known.dirs[i];
        const StatResult& st = stats.dirs[i];
        std::string_view parent = parent_path(d.path);
        // A folder counts only under a real (not symlinked) parent that is itself still there;
        // parents sort before their children.
        bool parent_gone = false;
        if (!parent.empty()) {
            std::size_t p = known.dir_index(parent);
            parent_gone = p == Known::npos || state[p] == gone;
        }
        if (parent_gone || st.error != 0 || !S_ISDIR(st.mode)) {
            scan.dir_gone.emplace_back(d.path);
            continue;
        }
        state[i] = d.ctime != 0 && st.ctime == d.ctime && st.ino == d.ino ? unchanged : changed;
    }

    // The known files of unchanged folders: their entries are as the index has them, but their
    // contents may have changed in place.
    std::size_t last_parent = Known::npos;
    std::string_view last_parent_path;
    for (std::size_t i = 0; i < known.files.size(); ++i) {
        Known::File& f = known.files[i];
        std::string_view parent = parent_path(f.path);
        if (parent.empty()) {
            continue;
        }
        if (last_parent_path.data() == nullptr || parent != last_parent_path) {
            last_parent = known.dir_index(parent);
            last_parent_path = parent;
        }
        if (last_parent == Known::npos || state[last_parent] != unchanged) {
            continue; // listed below, or gone with its folder
        }
        // A folder that could not be listed is a problem entry under its own path: its listing
        // below reports it again.
        if (f.size == 0 && f.mtime == 0 && known.find_dir(f.path) != nullptr) {
            continue;
        }
        const StatResult& st = stats.files[i];
        FileStat now{{}, 0, 0, f.kind, {}};
        if (st.error != 0) {
            now.problem = st.error == ELOOP ? "symbolic link loop" : std::strerror(st.error);
        } else if (!S_ISREG(st.mode)) {
            continue; // gone as a file
        } else {
            now.size = st.size;
            now.mtime = st.mtime;
        }
        f.seen = true;
        ++scan.scanned;
        if (now.size != f.size || now.mtime != f.mtime) {
            now.path.assign(f.path);
            scan.found.push_back(std::move(now));
        }
    }

    int root_fd = open_root(root);
    Walker walker{stats.racy_after, &known};
    for (std::string_view section : k_sections) {
        if (known.find_dir(section) == nullptr) {
            walker.walk_section(root_fd, section);
        }
    }
    for (std::size_t i = 0; i < known.dirs.size(); ++i) {
        if (state[i] != changed) {
            continue;
        }
        std::string rel{known.dirs[i].path};
        int fd = ::openat(root_fd, rel.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
            walker.files.push_back(FileStat{rel, 0, 0, FileKind::document, std::strerror(errno)});
            walker.dirs.push_back(DirStat{rel, 0, 0});
            continue;
        }
        walker.walk(fd, rel);
    }
    ::close(root_fd);

    scan.scanned += walker.files.size();
    for (auto& f : walker.files) {
        if (Known::File* k = known.find_file(f.path)) {
            k->seen = true;
            if (k->size == f.size && k->mtime == f.mtime) {
                continue;
            }
        }
        scan.found.push_back(std::move(f));
    }
    for (auto& d : walker.dirs) {
        const Known::Dir* k = known.find_dir(d.path);
        if (k == nullptr || k->ctime != d.ctime || k->ino != d.ino) {
            scan.dir_updates.push_back(std::move(d));
        }
    }
    return scan;
}

void bind_optional_time(SQLite::Statement& st, int index, const std::optional<TimePoint>& t) {
    if (t) {
        st.bind(index, static_cast<std::int64_t>(t->time_since_epoch().count()));
    } else {
        st.bind(index);
    }
}

std::string read_limited(const fs::path& root, const std::string& rel, std::int64_t size) {
    if (size > k_max_file_size) {
        throw Error{ErrorKind::data, too_large_message(size)};
    }
    return read_workspace_file(root, rel);
}

std::string strip_transcript(const std::string& text) {
    // WebVTT/SRT cue numbers and timings carry no words worth searching.
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        std::string_view line = std::string_view{text}.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        auto t = trim(line);
        bool timing = t.find("-->") != std::string_view::npos;
        bool number = !t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!timing && !number && t != "WEBVTT" && !t.empty()) {
            out.append(t);
            out += '\n';
        }
        if (end == std::string::npos) break;
        pos = end + 1;
    }
    return out;
}

// Rows for one table, inserted up to k_rows at a time by one multi-row INSERT: one
// sqlite3_step per batch instead of one per row (the step, not the row, is most of the cost of
// a small row), and texts bound without a copy from the batch's own buffer. flush() writes
// what is pending; rows are in the table only after it.
// The statements must be INSERT OR FAIL and without an upsert clause: a multi-row statement
// that may abort half-way (plain INSERT, ON CONFLICT DO UPDATE) needs a statement savepoint,
// and every savepoint makes FTS5 write out the terms it holds in memory, which more than
// doubled the cost of the full-text index. (A failure throws, and the caller's transaction is
// rolled back whole either way.) An upsert goes one row per statement (rows = 1).
class RowBatch {
public:
    static constexpr int k_rows = 64;

    // head is "INSERT OR FAIL INTO t(a, b) VALUES ", columns the number of values per row, tail
    // what follows the rows (an ON CONFLICT clause, or empty), rows how many rows per statement
    // (1 to k_rows).
    RowBatch(SQLite::Database& db, std::string head, int columns, std::string tail = {}, int rows = k_rows)
        : m_db(db.getHandle()), m_head(std::move(head)), m_tail(std::move(tail)), m_columns(columns),
          m_batch(rows) {}

    void add(std::int64_t v) { m_values.push_back(Value{Value::integer, v, 0}); }
    void add(std::string_view v) {
        m_values.push_back(Value{Value::text, static_cast<std::int64_t>(m_text.size()), v.size()});
        m_text.append(v);
    }
    void add_null() { m_values.push_back(Value{Value::null, 0, 0}); }
    void end_row() {
        if (++m_rows == m_batch) {
            flush();
        }
    }

    void flush() {
        if (m_rows == 0) {
            return;
        }
        bool full = m_rows == m_batch && m_batch > 1;
        Stmt& st = full ? m_full : m_one;
        if (!st) {
            st = prepare(full ? m_batch : 1);
        }
        std::size_t per = full ? m_values.size() : static_cast<std::size_t>(m_columns);
        for (std::size_t first = 0; first < m_values.size(); first += per) {
            for (std::size_t i = 0; i < per; ++i) {
                const Value& v = m_values[first + i];
                int at = static_cast<int>(i) + 1;
                int rc = v.kind == Value::integer ? sqlite3_bind_int64(st.get(), at, v.number)
                         : v.kind == Value::text
                             ? sqlite3_bind_text(st.get(), at, m_text.data() + v.number, static_cast<int>(v.size),
                                                 SQLITE_STATIC)
                             : sqlite3_bind_null(st.get(), at);
                check(rc);
            }
            int rc = sqlite3_step(st.get());
            sqlite3_reset(st.get());
            if (rc != SQLITE_DONE) {
                check(rc);
            }
        }
        m_values.clear();
        m_text.clear();
        m_rows = 0;
    }

private:
    struct Value {
        enum Kind : unsigned char { null, integer, text } kind;
        std::int64_t number; // the integer, or a text's offset in m_text
        std::size_t size;    // a text's length
    };
    struct Finalize {
        void operator()(sqlite3_stmt* st) const { sqlite3_finalize(st); }
    };
    using Stmt = std::unique_ptr<sqlite3_stmt, Finalize>;

    Stmt prepare(int rows) {
        std::string one = "(?";
        for (int i = 1; i < m_columns; ++i) {
            one += ",?";
        }
        one += ')';
        std::string sql = m_head;
        for (int i = 0; i < rows; ++i) {
            sql += i ? "," + one : one;
        }
        sql += m_tail;
        sqlite3_stmt* st = nullptr;
        check(sqlite3_prepare_v3(m_db, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &st,
                                 nullptr));
        return Stmt{st};
    }
    void check(int rc) const {
        if (rc != SQLITE_OK && rc != SQLITE_DONE) {
            throw SQLite::Exception(m_db, rc);
        }
    }

    sqlite3* m_db;
    std::string m_head, m_tail;
    int m_columns;
    int m_batch;
    int m_rows = 0;
    std::vector<Value> m_values;
    std::string m_text;
    Stmt m_full, m_one;
};

// Whether the tables may hold rows already: a new index file skips the lookups of old rows.
enum class Tables { filled, empty };

class Writer {
public:
    // With fts, the search rows go to it (db has no fts table); else to db's fts table.
    Writer(SQLite::Database& db, Tables tables, FtsLoader* fts = nullptr)
        : m_db(db),
          m_fresh(tables == Tables::empty),
          m_fts(fts),
          m_files(db, "INSERT OR FAIL INTO files(path, size, mtime, kind, problem) VALUES ", 5,
                  m_fresh ? "" : upsert("path", {"size", "mtime", "kind", "problem"}), m_fresh ? RowBatch::k_rows : 1),
          m_find_doc(db, "SELECT rowid FROM docs WHERE path = ?"),
          m_insert_doc(db, "INSERT INTO docs(path, id, type, title, author, created, status, due, bundle, parent, "
                           "body_line, week) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"),
          m_update_doc(db, "UPDATE docs SET id=?, type=?, title=?, author=?, created=?, status=?, due=?, bundle=?, "
                           "parent=?, body_line=?, week=? WHERE rowid=?"),
          m_people(db, "INSERT OR FAIL INTO doc_people(doc, handle, role, open) VALUES ", 4),
          m_tags(db, "INSERT OR FAIL INTO tags(doc, tag) VALUES ", 2),
          m_actions(db, "INSERT OR FAIL INTO actions(doc, line, owner, due, done, text, handle) VALUES ", 7),
          m_decisions(db, "INSERT OR FAIL INTO decisions(doc, line, text, taken) VALUES ", 4),
          m_mentions(db, "INSERT OR FAIL INTO mentions(doc, handle, created) VALUES ", 3),
          m_links(db, "INSERT OR FAIL INTO links(doc, kind, target, key, line, col) VALUES ", 6),
          m_attachments(db, "INSERT OR FAIL INTO attachments(doc, path) VALUES ", 2),
          m_transcripts(db, "SELECT text FROM transcripts WHERE bundle = ? ORDER BY path"),
          m_store_transcript(db, "INSERT INTO transcripts(path, bundle, text) VALUES (?, ?, ?) "
                                 "ON CONFLICT(path) DO UPDATE SET text = excluded.text"),
          m_dirs(db, "INSERT OR FAIL INTO dirs(path, ctime, ino) VALUES ", 3,
                 m_fresh ? "" : upsert("path", {"ctime", "ino"}), m_fresh ? RowBatch::k_rows : 1),
          m_delete_dir(db, "DELETE FROM dirs WHERE path = ?") {
        if (m_fts == nullptr) {
            m_insert_fts.emplace(db, "INSERT INTO fts(rowid, title, body, extra) VALUES (?, ?, ?, ?)");
            m_update_fts.emplace(db, "UPDATE fts SET title=?, body=? WHERE rowid=?");
        }
    }

    // Rows of files, folders and documents' child tables are written in batches: flush() puts
    // the pending ones into the database (before the transaction commits).
    void record_file(const FileStat& f, const std::string& problem) {
        m_files.add(f.path);
        m_files.add(f.size);
        m_files.add(f.mtime);
        m_files.add(f.kind == FileKind::transcript ? "transcript" : "document");
        if (problem.empty()) {
            m_files.add_null();
        } else {
            m_files.add(problem);
        }
        m_files.end_row();
    }

    void record_dir(const DirStat& d) {
        m_dirs.add(d.path);
        m_dirs.add(d.ctime);
        m_dirs.add(d.ino);
        m_dirs.end_row();
    }

    void flush() {
        for (RowBatch* b : {&m_files, &m_dirs, &m_people, &m_tags, &m_actions, &m_decisions, &m_mentions, &m_links,
                            &m_attachments}) {
            b->flush();
        }
    }

    void forget_dir(const std::string& path) {
        m_dirs.flush();
        m_delete_dir.bind(1, path);
        m_delete_dir.exec();
        m_delete_dir.reset();
    }

    std::optional<std::int64_t> doc_rowid(const std::string& path) {
        m_find_doc.bind(1, path);
        std::optional<std::int64_t> rowid;
        if (m_find_doc.executeStep()) {
            rowid = m_find_doc.getColumn(0).getInt64();
        }
        m_find_doc.reset();
        return rowid;
    }

    void remove_doc(const std::string& path) {
        if (m_fresh) {
            return;
        }
        if (auto rowid = doc_rowid(path)) {
            clear_children(*rowid);
            m_db.exec("DELETE FROM fts WHERE rowid = " + std::to_string(*rowid));
            m_db.exec("DELETE FROM docs WHERE rowid = " + std::to_string(*rowid));
        }
    }

    // md.plain may be moved away (to the search row).
    // Where notes' authors and created times come from; null: nowhere.
    void use_note_history(const NoteHistory* history) { m_note_history = history; }

    // The origin history gives path, asking it the first time a note needs one.
    const NoteOrigin* note_origin(const std::string& path) {
        if (!m_origins) {
            m_origins.emplace();
            if (m_note_history != nullptr && *m_note_history) {
                *m_origins = (*m_note_history)();
            }
        }
        auto it = m_origins->find(path);
        return it == m_origins->end() ? nullptr : &it->second;
    }

    void store_document(const std::string& path, const Document& doc, Extracted& md, std::int64_t mtime_ns) {
        std::string author = doc.get_string("author").value_or("");
        DocumentNames names = names_of(doc, path, md.headings);
        std::string title = std::move(names.title);
        std::string doc_id = std::move(names.id);
        std::optional<TimePoint> created = doc.get_time("created");
        if (doc.front_matter_kind() != Document::FrontMatter::toml) {
            // A note: who wrote it and when, unless its front matter says, are history's.
            const NoteOrigin* origin = note_origin(path);
            if (author.empty()) {
                author = origin ? origin->author : std::string{k_unknown_author};
            }
            if (!created) {
                created = origin ? origin->created
                                 : TimePoint{std::chrono::duration_cast<std::chrono::seconds>(
                                       std::chrono::nanoseconds{mtime_ns})};
            }
        }
        std::string bundle = bundle_of(path);
        std::string parent = parent_of(path);
        std::optional<std::int64_t> rowid;
        if (!m_fresh) {
            rowid = doc_rowid(path);
        }
        SQLite::Statement& st = rowid ? m_update_doc : m_insert_doc;
        int i = 1;
        if (!rowid) {
            st.bind(i++, path);
        }
        st.bind(i++, doc_id);
        st.bind(i++, names.type);
        st.bind(i++, title);
        st.bind(i++, author);
        bind_optional_time(st, i++, created);
        std::string status = doc.get_string("status").value_or("");
        st.bind(i++, status);
        bind_optional_time(st, i++, doc.get_time("due"));
        st.bind(i++, bundle);
        if (parent.empty()) {
            st.bind(i++);
        } else {
            st.bind(i++, parent);
        }
        st.bind(i++, static_cast<std::int64_t>(doc.body_line()));
        st.bind(i++, doc.get_string("week").value_or(""));
        if (rowid) {
            st.bind(i++, *rowid);
        }
        st.exec();
        st.reset();
        std::int64_t id = rowid ? *rowid : m_db.getLastInsertRowid();
        if (rowid) {
            clear_children(id);
            m_update_fts->bindNoCopy(1, title);
            m_update_fts->bindNoCopy(2, md.plain);
            m_update_fts->bind(3, id);
            m_update_fts->exec();
            m_update_fts->reset();
        } else {
            // A new index file stores transcripts as it meets them; refresh_extra joins them.
            std::string extra = m_fresh ? std::string{} : transcripts_of(path);
            if (m_fts != nullptr) {
                m_fts->insert(id, std::move(title), std::move(md.plain), std::move(extra));
            } else {
                m_insert_fts->bind(1, id);
                m_insert_fts->bindNoCopy(2, title);
                m_insert_fts->bindNoCopy(3, md.plain);
                m_insert_fts->bindNoCopy(4, extra);
                m_insert_fts->exec();
                m_insert_fts->reset();
            }
        }
        std::int64_t open = status == "closed" ? 0 : 1;
        for (std::string_view role : k_people_keys) {
            for (const auto& handle : doc.get_strings(role)) {
                m_people.add(id);
                m_people.add(to_lower_ascii(handle));
                m_people.add(role);
                m_people.add(open);
                m_people.end_row();
            }
        }
        for (const auto& tag : doc.get_strings("tags")) {
            add_row(m_tags, id, tag);
        }
        std::string author_handle = to_lower_ascii(author);
        std::unordered_map<std::string_view, std::size_t> same_raw; // occurrences so far, by raw text
        for (const auto& a : md.actions) {
            m_actions.add(id);
            m_actions.add(static_cast<std::int64_t>(a.line + doc.body_line() - 1));
            m_actions.add(a.owner ? *a.owner : author_handle);
            if (a.due) {
                m_actions.add(*a.due);
            } else {
                m_actions.add_null();
            }
            m_actions.add(std::int64_t{a.done ? 1 : 0});
            m_actions.add(a.text);
            m_actions.add(action_handle(doc_id, a.raw, ++same_raw[a.raw]));
            m_actions.end_row();
        }
        // A decision was taken when its file was written, except an outcome `doc close`
        // recorded: that one was taken when the document was closed.
        std::optional<TimePoint> closed = doc.get_time("closed");
        for (const auto& d : md.decisions) {
            m_decisions.add(id);
            m_decisions.add(static_cast<std::int64_t>(d.line + doc.body_line() - 1));
            m_decisions.add(d.text);
            const std::optional<TimePoint>& taken = d.in_outcome && closed ? closed : created;
            if (taken) {
                m_decisions.add(static_cast<std::int64_t>(taken->time_since_epoch().count()));
            } else {
                m_decisions.add_null();
            }
            m_decisions.end_row();
        }
        for (const auto& m : md.mentions) {
            m_mentions.add(id);
            m_mentions.add(m);
            if (created) {
                m_mentions.add(static_cast<std::int64_t>(created->time_since_epoch().count()));
            } else {
                m_mentions.add_null();
            }
            m_mentions.end_row();
        }
        store_links(id, path, doc, md);
        for (const auto& a : md.attachments) {
            add_row(m_attachments, id, a);
        }
    }

    // The transcripts' text goes into the 'extra' column of the search row of the document
    // they belong to (layout's attachment_owner: a bundle's index.md, or a reply, response or
    // check-in for the files in its own attachments/<stem>/).
    void refresh_extra(const std::string& owner) {
        if (auto rowid = doc_rowid(owner)) {
            if (m_fts != nullptr) {
                m_fts->set_extra(*rowid, transcripts_of(owner));
                return;
            }
            SQLite::Statement st{m_db, "UPDATE fts SET extra = ? WHERE rowid = ?"};
            st.bind(1, transcripts_of(owner));
            st.bind(2, *rowid);
            st.exec();
        }
    }

    void store_transcript(const std::string& path, const std::string& text) {
        m_store_transcript.bind(1, path);
        m_store_transcript.bind(2, attachment_owner(path));
        m_store_transcript.bind(3, strip_transcript(text));
        m_store_transcript.exec();
        m_store_transcript.reset();
    }

    void remove_transcript(const std::string& path) {
        SQLite::Statement st{m_db, "DELETE FROM transcripts WHERE path = ?"};
        st.bind(1, path);
        st.exec();
    }

private:
    std::string transcripts_of(const std::string& owner) {
        m_transcripts.bind(1, owner);
        std::string out;
        while (m_transcripts.executeStep()) {
            out += m_transcripts.getColumn(0).getString();
        }
        m_transcripts.reset();
        return out;
    }

    void clear_children(std::int64_t rowid) {
        flush(); // rows of this document may be pending (a file stored twice in one refresh)
        for (const char* table : {"doc_people", "tags", "actions", "decisions", "mentions", "links", "attachments"}) {
            m_db.exec(std::string{"DELETE FROM "} + table + " WHERE doc = " + std::to_string(rowid));
        }
    }

    // " ON CONFLICT(key) DO UPDATE SET c = excluded.c, …" for the columns.
    static std::string upsert(const char* key, std::initializer_list<const char*> columns) {
        std::string out = std::string{" ON CONFLICT("} + key + ") DO UPDATE SET ";
        for (const char* c : columns) {
            out += std::string{c} + " = excluded." + c + (c == *(columns.end() - 1) ? "" : ", ");
        }
        return out;
    }

    // The links as written, with the key each is looked up by (link_key): resolving them when
    // asked lets a document created later answer a link written before it.
    void store_links(std::int64_t id, const std::string& path, const Document& doc, const Extracted& md) {
        auto add = [&](LinkKind kind, const std::string& target, const BodyPosition& at) {
            m_links.add(id);
            m_links.add(to_string(kind));
            m_links.add(target);
            m_links.add(link_key(kind, target, path));
            m_links.add(static_cast<std::int64_t>(at.line == 0 ? doc.body_line() : at.line + doc.body_line() - 1));
            m_links.add(static_cast<std::int64_t>(at.line == 0 ? 1 : at.column));
            m_links.end_row();
        };
        for (std::size_t i = 0; i < md.links.size(); ++i) {
            add(LinkKind::reference, md.links[i], md.link_positions[i]);
        }
        for (std::size_t i = 0; i < md.wiki_links.size(); ++i) {
            add(LinkKind::wiki, md.wiki_links[i], md.wiki_link_positions[i]);
        }
        for (std::size_t i = 0; i < md.file_links.size(); ++i) {
            if (is_markdown_link(md.file_links[i])) {
                add(LinkKind::file, md.file_links[i], md.file_link_positions[i]);
            }
        }
    }

    static bool is_markdown_link(std::string_view target) {
        return target.size() > 3 && to_lower_ascii(target.substr(target.size() - 3)) == ".md";
    }

    static void add_row(RowBatch& batch, std::int64_t id, std::string_view value) {
        batch.add(id);
        batch.add(value);
        batch.end_row();
    }

    SQLite::Database& m_db;
    bool m_fresh;
    FtsLoader* m_fts;
    RowBatch m_files;
    SQLite::Statement m_find_doc, m_insert_doc, m_update_doc;
    std::optional<SQLite::Statement> m_insert_fts, m_update_fts; // without m_fts
    RowBatch m_people, m_tags, m_actions, m_decisions, m_mentions, m_links, m_attachments;
    SQLite::Statement m_transcripts, m_store_transcript;
    RowBatch m_dirs;
    SQLite::Statement m_delete_dir;
    const NoteHistory* m_note_history = nullptr;
    std::optional<std::unordered_map<std::string, NoteOrigin>> m_origins; // asked once
};

// The tables, with the indexes their lookups need while they are filled.
constexpr const char* k_tables = R"sql(
CREATE TABLE files(
  path TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  mtime INTEGER NOT NULL,
  kind TEXT NOT NULL,
  problem TEXT
) WITHOUT ROWID;
CREATE TABLE docs(
  rowid INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  id TEXT NOT NULL,
  type TEXT NOT NULL,
  title TEXT NOT NULL,
  author TEXT NOT NULL,
  created INTEGER,
  status TEXT NOT NULL,
  due INTEGER,
  bundle TEXT NOT NULL,
  parent TEXT,
  body_line INTEGER NOT NULL,
  week TEXT NOT NULL
);
CREATE TABLE dirs(
  path TEXT PRIMARY KEY,
  ctime INTEGER NOT NULL,
  ino INTEGER NOT NULL
) WITHOUT ROWID;
-- open: 1 unless the document is closed, so that what is still asked of a person is found
-- without reading every document they were ever asked about.
CREATE TABLE doc_people(doc INTEGER NOT NULL, handle TEXT NOT NULL, role TEXT NOT NULL, open INTEGER NOT NULL);
CREATE TABLE tags(doc INTEGER NOT NULL, tag TEXT NOT NULL);
CREATE TABLE actions(doc INTEGER NOT NULL, line INTEGER NOT NULL, owner TEXT NOT NULL, due TEXT,
                     done INTEGER NOT NULL, text TEXT NOT NULL, handle TEXT NOT NULL);
CREATE TABLE decisions(doc INTEGER NOT NULL, line INTEGER NOT NULL, text TEXT NOT NULL, taken INTEGER);
-- created: the document's, so that recent mentions are found without reading older documents.
CREATE TABLE mentions(doc INTEGER NOT NULL, handle TEXT NOT NULL, created INTEGER);
CREATE TABLE links(doc INTEGER NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL, key TEXT NOT NULL,
                   line INTEGER NOT NULL, col INTEGER NOT NULL);
CREATE TABLE attachments(doc INTEGER NOT NULL, path TEXT NOT NULL);
CREATE TABLE transcripts(path TEXT PRIMARY KEY, bundle TEXT NOT NULL, text TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX transcripts_bundle ON transcripts(bundle);
)sql";

// The search rows, one per row of docs with the same rowid.
constexpr const char* k_fts_table = R"sql(
CREATE VIRTUAL TABLE fts USING fts5(title, body, extra, tokenize = 'unicode61 remove_diacritics 2');
)sql";

// The indexes of the queries; a new index file gets them after its rows (sorting once is
// cheaper than updating them row by row).
constexpr const char* k_indexes = R"sql(
CREATE INDEX docs_id ON docs(id);
CREATE INDEX docs_parent ON docs(parent);
CREATE INDEX docs_type_created ON docs(type, created);
CREATE INDEX docs_open_author ON docs(lower(author)) WHERE status != 'closed';
CREATE INDEX doc_people_doc ON doc_people(doc);
CREATE INDEX doc_people_handle ON doc_people(handle, role, open);
CREATE INDEX tags_doc ON tags(doc);
CREATE INDEX tags_tag ON tags(tag);
CREATE INDEX actions_doc ON actions(doc);
CREATE INDEX actions_owner ON actions(owner, done);
CREATE INDEX decisions_doc ON decisions(doc);
CREATE INDEX mentions_doc ON mentions(doc);
CREATE INDEX mentions_handle ON mentions(handle, created);
CREATE INDEX links_doc ON links(doc);
CREATE INDEX links_key ON links(key);
CREATE INDEX attachments_doc ON attachments(doc);
)sql";

// Every table and index of the schema: a file without one of them is damaged (a dropped table
// otherwise fails every question with "no such table", which no refresh repairs).
constexpr const char* k_schema_names[] = {
    "files", "docs", "dirs", "doc_people", "tags", "actions", "decisions", "mentions", "links",
    "attachments", "transcripts", "transcripts_bundle", "fts", "docs_id", "docs_parent",
    "docs_type_created", "docs_open_author", "doc_people_doc", "doc_people_handle", "tags_doc", "tags_tag",
    "actions_doc", "actions_owner", "decisions_doc", "mentions_doc", "mentions_handle",
    "links_doc", "links_key", "attachments_doc"};

// The first name of the schema db lacks, or "" (one read of sqlite_schema, a page or two).
std::string missing_from_schema(SQLite::Database& db) {
    std::vector<std::string> present;
    SQLite::Statement st{db, "SELECT name FROM sqlite_schema WHERE type IN ('table', 'index')"};
    while (st.executeStep()) {
        present.push_back(st.getColumn(0).getString());
    }
    for (const char* name : k_schema_names) {
        if (std::find(present.begin(), present.end(), name) == present.end()) {
            return name;
        }
    }
    return {};
}

// What is wrong with the database of an index of the current schema version, or "" when
// SQLite's own check (every page read: PRAGMA quick_check) and the schema find nothing.
std::string damage_of(SQLite::Database& db) {
    try {
        if (std::string missing = missing_from_schema(db); !missing.empty()) {
            return "the table or index '" + missing + "' is missing";
        }
        std::string verdict;
        SQLite::Statement st{db, "PRAGMA quick_check(1)"};
        if (st.executeStep()) {
            verdict = st.getColumn(0).getString();
        }
        return verdict == "ok" ? std::string{} : verdict;
    } catch (const SQLite::Exception& e) {
        return e.what();
    }
}

// The database file as a clean check left it, for .async/local/index-checked: its device,
// inode, size, mtime and ctime (which no program can set back, so even a write that restores
// the mtime changes it). "" when it cannot be stat'ed or its write-ahead log holds pages (they
// are part of the database, and the log is rewritten and deleted as connections come and go).
std::string db_fingerprint(const fs::path& db) {
    struct stat st {};
    struct stat wal {};
    if (::stat(db.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        return {};
    }
    if (::stat((db.string() + "-wal").c_str(), &wal) == 0 && wal.st_size != 0) {
        return {};
    }
    return "1 " + std::to_string(st.st_dev) + " " + std::to_string(st.st_ino) + " " + std::to_string(st.st_size) +
           " " + std::to_string(nanoseconds(st.st_mtim)) + " " + std::to_string(nanoseconds(st.st_ctim)) + "\n";
}

// Whether this process may write the index file and create files beside it (its WAL).
bool writable_index(const fs::path& file) {
    return ::access(file.parent_path().c_str(), W_OK) == 0 &&
           (::access(file.c_str(), F_OK) != 0 || ::access(file.c_str(), W_OK) == 0);
}

void remove_db_files(const fs::path& db) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        fs::remove(db.string() + suffix, ec);
    }
}

// Best effort: a file system that cannot fsync a folder still gets the rename.
void sync_path(const fs::path& path, int flags) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// Removes what rebuilds that were killed left behind: index.db.new-PID files (and their -rows,
// -wal, -shm) whose process is gone.
void remove_stale_rebuilds(const fs::path& db) {
    std::string prefix = db.filename().string() + ".new-";
    std::error_code ec;
    for (auto it = fs::directory_iterator(db.parent_path(), ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (!name.starts_with(prefix)) {
            continue;
        }
        const char* digits = name.c_str() + prefix.size();
        long pid = 0;
        auto [end, err] = std::from_chars(digits, name.c_str() + name.size(), pid);
        if (err == std::errc{} && end != digits && pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 &&
            errno == ESRCH) {
            std::error_code ignored;
            fs::remove(it->path(), ignored);
        }
    }
}

bool lock(int fd, int operation) {
    while (::flock(fd, operation) != 0) {
        if (errno != EINTR) {
            return false;
        }
    }
    return true;
}

// Thrown inside Index::rebuild when a first index would hold no file.
struct NothingToRebuild {};

// One file read and parsed, ready to be stored.
struct Parsed {
    FileStat file;                  // the file, as the scan found it
    std::string transcript;         // a transcript's text
    std::optional<Document> doc;    // a document and what its body says
    Extracted md;
    std::string problem;            // why the file is skipped
    std::exception_ptr error;       // anything but async::Error, rethrown where the file is stored
};

Parsed parse_file(const fs::path& root, FileStat f) {
    Parsed p;
    p.problem = f.problem;
    p.file = std::move(f);
    if (!p.problem.empty()) {
        return p;
    }
    try {
        std::string text = read_limited(root, p.file.path, p.file.size);
        if (p.file.kind == FileKind::transcript) {
            if (auto bad = find_invalid_utf8(text)) {
                throw Error{ErrorKind::data, "invalid UTF-8 at byte " + std::to_string(*bad)};
            }
            p.transcript = std::move(text);
        } else {
            if (auto line = find_merge_conflict(text)) {
                throw Error{ErrorKind::data, "unresolved merge conflict at line " + std::to_string(*line)};
            }
            p.doc = parse_workspace_document(text, p.file.path);
            p.md = extract_markdown(p.doc->body());
        }
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::environment) {
            // The machine's fault (md4c missing): no file could be read, so the refresh fails
            // instead of remembering this file as skipped until it changes.
            p.error = std::current_exception();
        } else {
            p.problem = e.what();
        }
    } catch (...) {
        p.error = std::current_exception();
    }
    return p;
}

// Reads and parses files on a second thread, a bounded number ahead of the thread that stores
// them in SQLite, so that both cores work on a big refresh. Hands them out in order. The files
// are either a list (the changes an incremental scan found) or, for a new index, the walk of
// every section, which then runs on the second thread too: storing starts with the first
// folder instead of after the last.
class ParseAhead {
public:
    // The files of list (kept by reference).
    ParseAhead(const fs::path& root, const std::vector<FileStat>& list) : m_root(root), m_list(&list) {
        if (list.size() >= 64) {
            start();
        }
    }
    // Every file under the sections of root (see walked()).
    explicit ParseAhead(const fs::path& root) : m_root(root) {
        start();
        if (!m_thread.joinable()) {
            m_walk = scan_all(root);
            m_list = &m_walk.found;
        }
    }
    ~ParseAhead() {
        if (m_thread.joinable()) {
            {
                std::lock_guard lock{m_mutex};
                m_stop = true;
            }
            m_changed.notify_all();
            m_thread.join();
        }
    }
    ParseAhead(const ParseAhead&) = delete;
    ParseAhead& operator=(const ParseAhead&) = delete;

    // The parse of the next file, in the order of the files; nullopt after the last.
    std::optional<Parsed> next() {
        if (!m_thread.joinable()) {
            if (m_next == m_list->size()) {
                return std::nullopt;
            }
            return parse_file(m_root, (*m_list)[m_next++]);
        }
        if (m_taken.empty()) {
            // Take everything parsed so far at once: one lock per batch, not per file.
            std::unique_lock lock{m_mutex};
            m_changed.wait(lock, [&] { return !m_ready.empty() || m_finished; });
            if (m_ready.empty()) {
                if (m_failure) {
                    std::rethrow_exception(m_failure);
                }
                return std::nullopt;
            }
            m_taken.swap(m_ready);
            m_changed.notify_all();
        }
        Parsed p = std::move(m_taken.front());
        m_taken.pop_front();
        return p;
    }

    // How many files there are: known once the walk is over (0 before), or the list's size.
    std::size_t total() {
        if (m_list != nullptr) {
            return m_list->size();
        }
        std::lock_guard lock{m_mutex};
        return m_finished ? m_walk.scanned : 0;
    }

    // What the walk found: the folders to record and the number of files (including those with
    // a problem). Only after next() has returned nullopt.
    IndexScan& walked() { return m_walk; }

private:
    void start() {
        if (std::thread::hardware_concurrency() < 2) {
            return;
        }
        try {
            m_thread = std::thread{[this] { produce(); }};
        } catch (const std::system_error&) {
            // One thread then: next() parses each file itself.
        }
    }

    // Hands batch over when it is full (or when flush), waiting while the consumer is far
    // behind. Returns false when the consumer has gone.
    bool hand_over(std::vector<Parsed>& batch, bool flush) {
        if (batch.size() < k_batch && !flush) {
            return true;
        }
        std::unique_lock lock{m_mutex};
        m_changed.wait(lock, [&] { return m_ready.size() < k_ahead || m_stop; });
        if (m_stop) {
            return false;
        }
        for (auto& p : batch) {
            m_ready.push_back(std::move(p));
        }
        batch.clear();
        m_changed.notify_all();
        return true;
    }

    void produce() {
        std::vector<Parsed> batch;
        std::exception_ptr failure;
        try {
            if (m_list != nullptr) {
                for (std::size_t i = 0; i < m_list->size(); ++i) {
                    batch.push_back(parse_file(m_root, (*m_list)[i]));
                    if (!hand_over(batch, i + 1 == m_list->size())) {
                        return;
                    }
                }
            } else {
                int root_fd = open_root(m_root);
                std::size_t scanned = 0;
                Walker walker{now_ns() - k_racy_ns, nullptr, [&](FileStat&& f) {
                                  ++scanned;
                                  batch.push_back(parse_file(m_root, std::move(f)));
                                  return hand_over(batch, false);
                              }};
                for (std::string_view section : k_sections) {
                    walker.walk_section(root_fd, section);
                }
                ::close(root_fd);
                if (!hand_over(batch, true)) {
                    return;
                }
                m_walk.scanned = scanned;
                m_walk.dir_updates = std::move(walker.dirs);
            }
        } catch (...) {
            failure = std::current_exception();
        }
        std::lock_guard lock{m_mutex};
        m_failure = failure;
        m_finished = true;
        m_changed.notify_all();
    }

    static constexpr std::size_t k_batch = 16;
    static constexpr std::size_t k_ahead = 64; // parsed files waiting, about (memory stays flat)
    const fs::path& m_root;
    const std::vector<FileStat>* m_list = nullptr; // null: walk
    IndexScan m_walk;                              // the walk's results (and its files without a thread)
    std::size_t m_next = 0;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Parsed> m_ready; // handed over, guarded by m_mutex
    std::deque<Parsed> m_taken; // the consumer's
    bool m_stop = false;        // the consumer has gone (guarded)
    bool m_finished = false;    // the producer is done (guarded)
    std::exception_ptr m_failure; // why the producer stopped early (guarded)
    std::thread m_thread;
};

// Stores the files parsed gives out into writer; a bad file becomes a problem, never an
// exception.
void index_files(Writer& writer, ParseAhead& parsed, RefreshStats& stats, const Progress& progress,
                 std::vector<std::string>& touched_bundles) {
    std::size_t done = 0;
    bool reported_all = false;
    while (std::optional<Parsed> next = parsed.next()) {
        Parsed& p = *next;
        const FileStat& f = p.file;
        if (p.error) {
            std::rethrow_exception(p.error);
        }
        if (p.problem.empty()) {
            try {
                if (f.kind == FileKind::transcript) {
                    writer.store_transcript(f.path, p.transcript);
                    touched_bundles.push_back(attachment_owner(f.path));
                } else {
                    writer.store_document(f.path, *p.doc, p.md, f.mtime);
                    for (const auto& action : p.md.actions) {
                        if (!action.unread_due) {
                            continue;
                        }
                        if (UnreadDueProblem due = unread_due_problem(*action.unread_due); due.error) {
                            std::size_t line = p.doc->body_line() + action.line - 1;
                            stats.warnings.push_back(f.path + ":" + std::to_string(line) + ": " + due.message);
                        }
                    }
                }
                ++stats.parsed;
            } catch (const Error& e) {
                p.problem = e.what();
            }
        }
        if (!p.problem.empty()) {
            writer.remove_doc(f.path);
            // Parse errors already read "path:line:col: message".
            stats.problems.push_back(p.problem.starts_with(f.path + ":") ? p.problem : f.path + ": " + p.problem);
        }
        writer.record_file(f, p.problem);
        if (progress && ++done % 256 == 0) {
            std::size_t total = parsed.total();
            progress(done, total);
            reported_all = done == total;
        }
    }
    if (progress && done > 0 && !reported_all) {
        progress(done, done);
    }
    writer.flush();
    std::sort(touched_bundles.begin(), touched_bundles.end());
    touched_bundles.erase(std::unique(touched_bundles.begin(), touched_bundles.end()), touched_bundles.end());
    for (const auto& bundle : touched_bundles) {
        writer.refresh_extra(bundle);
    }
}

// The write-through of a command waits this long for another writer, not the refresh's minute:
// the file is written already, and the next refresh catches up if this gives up.
constexpr int k_write_through_busy_ms = 2000;

// path (absolute, or relative to root) as the index names it, when it lies in a section below
// real (or removed) folders only (the walk of a refresh follows no folder symlink); empty
// otherwise.
std::string indexed_path(int root_fd, const fs::path& root, const fs::path& path) {
    fs::path rel = path.is_absolute() ? path.lexically_normal().lexically_relative(root.lexically_normal())
                                      : path.lexically_normal();
    std::vector<std::string> parts;
    for (const auto& part : rel) {
        if (part == ".." || part.is_absolute() || (part.string().size() > 1 && part.string().front() == '.')) {
            return {}; // hidden names are never indexed
        }
        if (!part.empty() && part != ".") {
            parts.push_back(part.string());
        }
    }
    if (parts.empty() ||
        std::find_if(std::begin(k_sections), std::end(k_sections), [&](std::string_view s) { return parts.front() == s; }) ==
            std::end(k_sections)) {
        return {};
    }
    std::string out;
    bool gone_below = false;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        out += (i == 0 ? "" : "/") + parts[i];
        struct stat st {};
        if (i + 1 < parts.size() && !gone_below) {
            if (::fstatat(root_fd, out.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
                if (errno != ENOENT) {
                    return {};
                }
                gone_below = true; // what the index has below a removed folder is gone too
            } else if (!S_ISDIR(st.st_mode)) {
                return {};
            }
        }
    }
    return out;
}

// Index::update and the watcher's refresh: finds what paths name (files, folders listed), then
// stores only what differs from the index, in one transaction, waiting busy_ms for another
// writer. A path that no longer exists takes what the index has below it along.
RefreshStats update_paths(SQLite::Database& db, const fs::path& root, const std::vector<fs::path>& paths,
                          const NoteHistory& history, int busy_ms) {
    RefreshStats stats;
    std::vector<FileStat> found;
    std::vector<std::string> gone;
    std::vector<std::string> listed;
    std::vector<std::string> gone_trees;
    {
        int root_fd = open_root(root);
        struct Closer {
            int fd;
            ~Closer() { ::close(fd); }
        } closer{root_fd};
        Walker walker{now_ns() - k_racy_ns, nullptr};
        for (const auto& path : paths) {
            std::string rel = indexed_path(root_fd, root, path);
            if (rel.empty()) {
                continue;
            }
            struct stat st {};
            bool exists = ::fstatat(root_fd, rel.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
            if (!exists) {
                gone_trees.push_back(rel);
            }
            // A file in an attachments/ folder: list the folder, which pairs transcripts with
            // their recordings.
            FileKind kind = classify(rel);
            bool attached = kind == FileKind::transcript || kind == FileKind::attachment;
            std::string folder = exists && S_ISDIR(st.st_mode) ? rel
                                 : attached                    ? std::string{parent_path(rel)}
                                                               : std::string{};
            if (!folder.empty()) {
                if (std::find(listed.begin(), listed.end(), folder) != listed.end()) {
                    continue;
                }
                int fd = ::openat(root_fd, folder.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd >= 0) {
                    listed.push_back(folder);
                    walker.walk(fd, folder);
                }
                continue;
            }
            if (!is_document(kind)) {
                continue;
            }
            auto file = exists ? stat_file(root_fd, rel.c_str(), rel, kind) : std::nullopt;
            if (file) {
                found.push_back(std::move(*file));
            } else {
                gone.push_back(rel);
            }
        }
        for (auto& f : walker.files) {
            found.push_back(std::move(f));
        }
    }
    std::sort(found.begin(), found.end(), [](const FileStat& a, const FileStat& b) { return a.path < b.path; });
    found.erase(std::unique(found.begin(), found.end(), [](const FileStat& a, const FileStat& b) { return a.path == b.path; }),
                found.end());
    auto was_found = [&](const std::string& path) { return std::ranges::binary_search(found, path, {}, &FileStat::path); };
    // Files the index has in a listed folder but the listing did not find are gone, and so is
    // everything below a removed path.
    SQLite::Statement under{db, "SELECT path FROM files WHERE path > ? AND path < ?"};
    listed.insert(listed.end(), gone_trees.begin(), gone_trees.end());
    for (const auto& folder : listed) {
        under.bind(1, folder + "/");
        under.bind(2, folder + "0"); // '0' follows '/'
        while (under.executeStep()) {
            std::string path = under.getColumn(0).getString();
            if (!was_found(path)) {
                gone.push_back(std::move(path));
            }
        }
        under.reset();
    }
    // Only what differs from the index is written: a second report of the same file is free.
    SQLite::Statement known{db, "SELECT size, mtime FROM files WHERE path = ?"};
    std::vector<FileStat> changed;
    for (auto& f : found) {
        known.bind(1, f.path);
        bool same = known.executeStep() && known.getColumn(0).getInt64() == f.size && known.getColumn(1).getInt64() == f.mtime;
        known.reset();
        if (!same) {
            changed.push_back(std::move(f));
        }
    }
    std::sort(gone.begin(), gone.end());
    gone.erase(std::unique(gone.begin(), gone.end()), gone.end());
    std::vector<std::string> removed;
    for (auto& path : gone) {
        known.bind(1, path);
        if (known.executeStep()) {
            removed.push_back(std::move(path));
        }
        known.reset();
    }
    stats.scanned = found.size();
    if (changed.empty() && removed.empty()) {
        return stats;
    }
    db.setBusyTimeout(busy_ms);
    struct RestoreTimeout {
        SQLite::Database& db;
        ~RestoreTimeout() {
            try {
                db.setBusyTimeout(k_busy_timeout_ms);
            } catch (const SQLite::Exception&) {
                // Only the waiting of later statements of this process differs.
            }
        }
    } restore{db};
    SQLite::Transaction tx{db, SQLite::TransactionBehavior::IMMEDIATE};
    Writer writer{db, Tables::filled};
    writer.use_note_history(&history);
    std::vector<std::string> touched_bundles;
    SQLite::Statement forget_file{db, "DELETE FROM files WHERE path = ?"};
    for (const auto& path : removed) {
        writer.remove_doc(path);
        writer.remove_transcript(path);
        touched_bundles.push_back(attachment_owner(path));
        forget_file.bind(1, path);
        forget_file.exec();
        forget_file.reset();
        ++stats.removed;
    }
    ParseAhead parsed{root, changed};
    index_files(writer, parsed, stats, Progress{}, touched_bundles);
    tx.commit();
    return stats;
}

} // namespace

Index::Index(const Workspace& ws) : m_ws(ws) {
    fs::path file = m_ws.index_file();
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    // Without the lock file (a read-only folder) the index still works; it is only never
    // replaced by rename (see install()).
    m_lock_fd = ::open((file.string() + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_lock_fd >= 0 && !lock(m_lock_fd, LOCK_SH)) {
        ::close(m_lock_fd);
        m_lock_fd = -1;
    }
    try {
        open();
    } catch (...) {
        if (m_lock_fd >= 0) {
            ::close(m_lock_fd);
        }
        throw;
    }
}

Index::~Index() {
    m_db.reset(); // the last connection to close checkpoints the log into the file
    if (m_stamp_on_close) {
        try {
            if (std::string now = db_fingerprint(m_ws.index_file()); !now.empty()) {
                fs::path stamp = m_ws.local_dir() / "index-checked";
                if (read_small_file(stamp) != now) {
                    write_small_file(stamp, now);
                }
            }
        } catch (const std::exception&) {
            // Only a check more next time.
        }
    }
    if (m_lock_fd >= 0) {
        ::close(m_lock_fd);
    }
}

Index::Index(const Workspace& ws, AsIs) : m_ws(ws) {}

std::unique_ptr<Index> Index::open_read_only(const Workspace& ws) {
    return open_as_is(ws, false);
}

std::unique_ptr<Index> Index::open_existing(const Workspace& ws) {
    return open_as_is(ws, true);
}

std::unique_ptr<Index> Index::open_as_is(const Workspace& ws, bool writable) {
    fs::path file = ws.index_file();
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) {
        return nullptr;
    }
    std::unique_ptr<Index> index{new Index{ws, AsIs{}}};
    // The shared lock, without waiting and without creating the lock file: an exclusive holder
    // is about to rename a new index over this one, and neither completion nor a write-through
    // waits for that (the next refresh sees what the new index missed).
    index->m_lock_fd = ::open((file.string() + ".lock").c_str(), O_RDONLY | O_CLOEXEC);
    if (index->m_lock_fd >= 0 && ::flock(index->m_lock_fd, LOCK_SH | LOCK_NB) != 0) {
        return nullptr;
    }
    try {
        index->m_db = std::make_unique<SQLite::Database>(
            file, (writable ? SQLite::OPEN_READWRITE : SQLite::OPEN_READONLY) | SQLite::OPEN_NOMUTEX);
        index->m_db->setBusyTimeout(writable ? k_busy_timeout_ms : 200);
        map_pages(*index->m_db);
        if (index->m_db->execAndGet("PRAGMA user_version").getInt() != k_index_schema_version) {
            return nullptr;
        }
        if (writable) {
            index->m_db->exec("PRAGMA synchronous = NORMAL");
        }
    } catch (const SQLite::Exception&) {
        return nullptr;
    }
    return index;
}

void Index::throw_unwritable(const std::string& why) const {
    throw Error{ErrorKind::environment,
                why + ": '" + m_ws.index_file().parent_path().string() + "' is read-only",
                "run async as a user who can write the workspace, or make its .async folder writable"};
}

void Index::open_unwritable(const fs::path& file) {
    m_read_only = true;
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        throw_unwritable("the workspace has no index yet and it cannot be created");
    }
    // immutable: nobody can change the file (this process cannot even make the WAL's shared
    // memory beside it), so SQLite reads it without locks.
    std::string uri = "file:";
    for (char c : file.string()) {
        if (c == '%' || c == '?' || c == '#') {
            static constexpr char k_hex[] = "0123456789ABCDEF";
            uri += '%';
            uri += k_hex[(static_cast<unsigned char>(c) >> 4) & 0xf];
            uri += k_hex[static_cast<unsigned char>(c) & 0xf];
        } else {
            uri += c;
        }
    }
    uri += "?immutable=1";
    try {
        m_db = std::make_unique<SQLite::Database>(uri, SQLite::OPEN_READONLY | SQLite::OPEN_URI | SQLite::OPEN_NOMUTEX);
        map_pages(*m_db);
        int version = m_db->execAndGet("PRAGMA user_version").getInt();
        if (version != k_index_schema_version) {
            throw_unwritable("the index was made by another version of async (schema " + std::to_string(version) +
                             ") and cannot be rebuilt");
        }
        if (!missing_from_schema(*m_db).empty()) {
            throw_unwritable("the index is damaged and cannot be rebuilt");
        }
    } catch (const SQLite::Exception& e) {
        throw_unwritable(std::string{"the index is damaged ("} + e.what() + ") and cannot be rebuilt");
    }
}

void Index::open() {
    fs::path file = m_ws.index_file();
    if (!writable_index(file)) {
        open_unwritable(file);
        return;
    }
    int busy_waits = 0;
    for (int attempt = 0; attempt < 2; ++attempt) {
        try {
            // NOMUTEX: only the thread that owns this Index uses the connection (the parse
            // thread never touches SQLite), so SQLite's per-call mutexes are pure cost.
            m_db = std::make_unique<SQLite::Database>(file, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE |
                                                                SQLite::OPEN_NOMUTEX);
            m_db->setBusyTimeout(k_busy_timeout_ms);
            map_pages(*m_db);
            int version = m_db->execAndGet("PRAGMA user_version").getInt();
            if (version == 0) {
                create_schema();
                return;
            }
            if (version == k_index_schema_version) {
                if (missing_from_schema(*m_db).empty()) {
                    m_db->exec("PRAGMA synchronous = NORMAL");
                    return;
                }
                m_rebuilt_because = k_index_damaged_notice;
                m_db.reset();
                remove_db_files(file);
                continue;
            }
            m_rebuilt_because = "the index was made by another version of async (schema " +
                                std::to_string(version) + "); rebuilding it from the files";
        } catch (const SQLite::Exception& e) {
            int code = e.getErrorCode() & 0xff;
            if ((code == SQLITE_BUSY || code == SQLITE_LOCKED) && busy_waits < k_busy_timeout_ms / 20) {
                // Another process is creating, switching or replacing the index: it is not
                // damaged, so wait for it (deleting it now would pull it from under that process).
                m_db.reset();
                ++busy_waits;
                ::usleep(20 * 1000);
                --attempt;
                continue;
            }
            if (attempt == 1) {
                throw Error{ErrorKind::data, "cannot open the index '" + file.string() + "': " + e.what(),
                            "delete it; the next command rebuilds it from the files"};
            }
            m_rebuilt_because = k_index_damaged_notice;
        }
        m_db.reset();
        remove_db_files(file);
    }
}

void Index::create_schema() {
    // journal_mode=WAL lets readers go on while a writer commits; it sticks to the file.
    m_db->exec("PRAGMA journal_mode = WAL");
    m_db->exec("PRAGMA synchronous = NORMAL");
    SQLite::Transaction tx{*m_db, SQLite::TransactionBehavior::IMMEDIATE};
    if (m_db->execAndGet("PRAGMA user_version").getInt() != 0) {
        return; // another process created it while we waited for the lock
    }
    m_db->exec(k_tables);
    m_db->exec(k_fts_table);
    m_db->exec(k_indexes);
    m_db->exec("PRAGMA user_version = " + std::to_string(k_index_schema_version));
    tx.commit();
}

RefreshStats Index::refresh(RefreshMode mode, const Progress& progress) {
    try {
        if (mode == RefreshMode::checked) {
            return checked_refresh(progress);
        }
        return refresh_once(mode, progress);
    } catch (const SQLite::Exception& e) {
        if (!is_index_damage(e)) {
            throw_index_error(e);
        }
        // A damaged index is only a cache: start again from the files, once.
        RefreshStats stats;
        try {
            if (repair(stats, progress)) {
                return stats;
            }
        } catch (const SQLite::Exception& again) {
            throw_index_error(again);
        }
        throw_index_error(e);
    }
}

// Reading every page costs as much as the database is big, so it is skipped when the file is
// still the one a clean check read: nothing but async has written a byte of it since (a stamp
// only this machine keeps, .async/local/index-checked). The stamp is taken as the Index
// closes, after SQLite's last checkpoint: the pages checked plus what this refresh wrote.
RefreshStats Index::checked_refresh(const Progress& progress) {
    std::string before = db_fingerprint(m_ws.index_file());
    bool unchanged = !before.empty() && read_small_file(m_ws.local_dir() / "index-checked") == before;
    RefreshStats stats;
    if (!unchanged && !damage_of(*m_db).empty()) {
        if (!repair(stats, progress)) {
            return refresh_once(RefreshMode::incremental, progress); // damaged, already rebuilt once: no stamp
        }
    } else {
        stats = refresh_once(RefreshMode::incremental, progress);
    }
    stats.pages_checked = !unchanged;
    m_stamp_on_close = !m_read_only;
    return stats;
}

bool Index::repair(RefreshStats& stats, const Progress& progress) {
    if (m_repaired || m_read_only) {
        return false;
    }
    m_repaired = true;
    m_db.reset();
    remove_db_files(m_ws.index_file());
    open();
    m_rebuilt_because = k_index_damaged_notice;
    stats = refresh_once(RefreshMode::full, progress);
    return true;
}

bool IndexAccess::repair(Index& index) {
    RefreshStats stats;
    try {
        if (!index.repair(stats, {})) {
            return false;
        }
    } catch (const SQLite::Exception& e) {
        throw_index_error(e);
    }
    if (index.m_on_repair) {
        index.m_on_repair(stats);
    }
    return true;
}

RefreshStats Index::refresh_once(RefreshMode mode, const Progress& progress) {
    if (mode == RefreshMode::full || m_watcher == nullptr || m_read_only) {
        return walk_once(mode, progress);
    }
    WatcherChanges changes = m_watcher->changes();
    if (changes.kind == WatcherChanges::Kind::changed && m_db->execAndGet("SELECT EXISTS(SELECT 1 FROM files)").getInt() != 0) {
        RefreshStats stats = apply_watched(changes, k_busy_timeout_ms);
        stats.rebuilt_because = std::exchange(m_rebuilt_because, {});
        return stats;
    }
    RefreshStats stats = walk_once(mode, progress);
    if (changes.kind == WatcherChanges::Kind::failed) {
        stats.warnings.push_back(changes.warning);
    } else if (changes.kind != WatcherChanges::Kind::unavailable) {
        m_watcher->store_clock(changes.clock); // the walk saw everything up to it
    }
    return stats;
}

RefreshStats Index::walk_once(RefreshMode mode, const Progress& progress) {
    RefreshStats stats;
    stats.rebuilt_because = std::exchange(m_rebuilt_because, {});
    const fs::path& root = m_ws.root();
    if (mode == RefreshMode::full) {
        if (m_read_only) {
            throw_unwritable("the index cannot be rebuilt");
        }
        rebuild(stats, Rebuild::always, progress);
        return stats;
    }
    Known known;
    KnownStats known_stats;
    std::int64_t version = 0;
    {
        SQLite::Transaction read{*m_db}; // one snapshot of both tables
        version = load_and_stat(*m_db, root, known, known_stats);
        read.commit();
    }
    if (known.empty() && !m_read_only && rebuild(stats, Rebuild::if_files, progress)) {
        return stats;
    }
    IndexScan scan = scan_changes(root, known, known_stats);
    auto gone_files = [&] {
        std::vector<std::string> gone;
        for (const auto& f : known.files) {
            if (!f.seen) {
                gone.emplace_back(f.path);
            }
        }
        return gone;
    };
    std::vector<std::string> gone = gone_files();
    stats.scanned = scan.scanned;
    if (scan.found.empty() && gone.empty() && scan.dir_updates.empty() && scan.dir_gone.empty()) {
        return stats;
    }
    if (m_read_only) {
        throw_unwritable("the index is out of date (" + std::to_string(scan.found.size() + gone.size()) +
                         " file(s) changed since it was indexed) and cannot be refreshed");
    }
    remove_stale_rebuilds(m_ws.index_file());
    SQLite::Transaction tx{*m_db, SQLite::TransactionBehavior::IMMEDIATE};
    if (m_db->execAndGet("PRAGMA data_version").getInt64() != version) {
        // Another process changed the index while we waited for the lock: compare again.
        load_and_stat(*m_db, root, known, known_stats);
        scan = scan_changes(root, known, known_stats);
        gone = gone_files();
        stats.scanned = scan.scanned;
    }
    Writer writer{*m_db, Tables::filled};
    writer.use_note_history(&m_note_history);
    std::vector<std::string> touched_bundles;
    SQLite::Statement forget_file{*m_db, "DELETE FROM files WHERE path = ?"};
    ParseAhead parsed{root, scan.found};
    for (const auto& path : gone) {
        writer.remove_doc(path);
        writer.remove_transcript(path);
        touched_bundles.push_back(attachment_owner(path));
        forget_file.bind(1, path);
        forget_file.exec();
        forget_file.reset();
        ++stats.removed;
    }
    for (const auto& path : scan.dir_gone) {
        writer.forget_dir(path);
    }
    for (const auto& d : scan.dir_updates) {
        writer.record_dir(d);
    }
    index_files(writer, parsed, stats, progress, touched_bundles);
    tx.commit();
    return stats;
}

bool Index::rebuild(RefreshStats& stats, Rebuild when, const Progress& progress) {
    // Two files are written at once (see fts_loader.hpp): tmp gets the search rows on a second
    // connection and thread and becomes the index; rows gets every other table on this thread
    // and is copied into tmp at the end.
    fs::path tmp = m_ws.index_file().string() + ".new-" + std::to_string(::getpid());
    fs::path rows = tmp.string() + "-rows";
    remove_stale_rebuilds(m_ws.index_file());
    remove_db_files(tmp);
    remove_db_files(rows);
    try {
        {
            FtsLoader fts{tmp, (std::string{k_tables} + k_fts_table + k_indexes).c_str()};
            {
                // Only this thread uses the connection (the parsing thread never touches SQLite),
                // so SQLite's per-call mutexes would be pure cost.
                SQLite::Database db{rows, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX};
                // Nobody else opens these files before they are complete and a crash only leaves
                // files to delete, so no journal and no syncs until the end.
                db.exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE");
                db.exec(k_tables);
                SQLite::Transaction tx{db};
                {
                    Writer writer{db, Tables::empty, &fts};
                    writer.use_note_history(&m_note_history);
                    std::vector<std::string> touched_bundles;
                    ParseAhead parsed{m_ws.root()};
                    index_files(writer, parsed, stats, progress, touched_bundles);
                    const IndexScan& walked = parsed.walked();
                    stats.scanned = walked.scanned;
                    if (walked.scanned == 0 && when == Rebuild::if_files) {
                        // Nothing to index: the folders go into the index as it is (no new file
                        // on every command in an empty workspace).
                        throw NothingToRebuild{}; // rolled back and closed on the way out
                    }
                    for (const auto& d : walked.dir_updates) {
                        writer.record_dir(d);
                    }
                    writer.flush();
                }
                // Secondary indexes after the rows, while the other thread still tokenises.
                db.exec(k_indexes);
                tx.commit();
            }
            SQLite::Database& db = fts.copy_tables_from(rows, k_index_schema_version);
            db.exec("PRAGMA journal_mode = WAL");
        }
        remove_db_files(rows);
        sync_path(tmp, O_RDONLY);
        install(tmp);
    } catch (const NothingToRebuild&) {
        remove_db_files(tmp);
        remove_db_files(rows);
        return false;
    } catch (...) {
        remove_db_files(tmp);
        remove_db_files(rows);
        throw;
    }
    return true;
}

void Index::install(const fs::path& tmp) {
    fs::path file = m_ws.index_file();
    if (m_lock_fd >= 0) {
        // Every Index holds the shared lock while it has index.db open; commands hold it for
        // as long as they run (milliseconds, mostly), so wait a little for them.
        lock(m_lock_fd, LOCK_UN);
        bool alone = false;
        for (int i = 0; i < 100 && !(alone = ::flock(m_lock_fd, LOCK_EX | LOCK_NB) == 0); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds{10});
        }
        if (alone) {
            // Nobody else has the old file open. Move everything from its WAL into it, so that
            // whatever happens next leaves either a whole old index or the new one; then its
            // WAL and shared memory go with it, so the new file never meets them.
            try {
                // Only a reader outside async (say, the sqlite3 shell) can still hold the WAL;
                // don't keep every async command waiting on the lock for it.
                m_db->setBusyTimeout(1000);
                m_db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
            } catch (const SQLite::Exception&) {
                // A damaged old index needs nothing from its WAL.
            }
            m_db.reset();
            for (const char* suffix : {"-wal", "-shm", "-journal"}) {
                ::unlink((file.string() + suffix).c_str());
            }
            int renamed = ::rename(tmp.c_str(), file.c_str());
            int err = errno;
            sync_path(file.parent_path(), O_RDONLY | O_DIRECTORY);
            lock(m_lock_fd, LOCK_SH);
            open();
            if (renamed != 0) {
                throw Error{ErrorKind::data, "cannot replace the index '" + file.string() + "': " + std::strerror(err)};
            }
            return;
        }
        lock(m_lock_fd, LOCK_SH);
    }
    // Other processes are reading the index: copy the new one into it in one transaction
    // (through its WAL; readers see the old contents until it commits).
    {
        SQLite::Database source{tmp, SQLite::OPEN_READWRITE};
        SQLite::Backup backup{*m_db, source};
        backup.executeStep();
    }
    remove_db_files(tmp);
}

RefreshStats Index::apply_watched(const WatcherChanges& changes, int busy_ms) {
    std::vector<fs::path> paths{changes.paths.begin(), changes.paths.end()};
    RefreshStats stats = update_paths(*m_db, m_ws.root(), paths, m_note_history, busy_ms);
    // The clock moves on with every write anywhere in the watched tree, the index's own
    // included: storing it only when a section changed keeps a read that found nothing from
    // writing a file (the few names it skips are asked again, cheaply).
    bool in_sections = changes.paths.size() > 100;
    for (const auto& path : changes.paths) {
        in_sections = in_sections || std::any_of(std::begin(k_sections), std::end(k_sections), [&](std::string_view s) {
            return path.starts_with(s) && (path.size() == s.size() || path[s.size()] == '/');
        });
    }
    if (in_sections) {
        m_watcher->store_clock(changes.clock);
    }
    return stats;
}

bool Index::refresh_from_watcher() {
    if (m_watcher == nullptr || m_read_only) {
        return false;
    }
    try {
        WatcherChanges changes = m_watcher->changes();
        if (changes.kind != WatcherChanges::Kind::changed ||
            m_db->execAndGet("SELECT EXISTS(SELECT 1 FROM files)").getInt() == 0) {
            return false;
        }
        apply_watched(changes, k_write_through_busy_ms);
        return true;
    } catch (const SQLite::Exception& e) {
        throw Error{ErrorKind::data, std::string{"cannot update the index: "} + e.what(),
                    "the next command that reads the index brings it up to date"};
    }
}

RefreshStats Index::update(const std::vector<fs::path>& paths) {
    // After every write, not on the no-op refresh of every read: a killed rebuild leaves a
    // whole copy of the index behind.
    remove_stale_rebuilds(m_ws.index_file());
    try {
        return update_paths(*m_db, m_ws.root(), paths, m_note_history, k_write_through_busy_ms);
    } catch (const SQLite::Exception& e) {
        throw Error{ErrorKind::data, std::string{"cannot update the index: "} + e.what(),
                    "the next command that reads the index brings it up to date"};
    }
}

std::vector<std::string> Index::check(const Workspace& ws) {
    fs::path file = ws.index_file();
    std::error_code ec;
    // In a folder it cannot write, SQLite cannot open a WAL index read-only either (no -shm):
    // Index opens it as it is, and says what is wrong.
    if (fs::exists(file, ec) && writable_index(file)) {
        std::string why;
        try {
            SQLite::Database db{file, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX};
            int version = db.execAndGet("PRAGMA user_version").getInt();
            if (version != k_index_schema_version) {
                why = "made by another version of async (schema " + std::to_string(version) + ")";
            } else if (std::string damage = damage_of(db); !damage.empty()) {
                why = "the index is damaged (" + damage + ")";
            }
        } catch (const SQLite::Exception& e) {
            why = std::string{"the index is damaged ("} + e.what() + ")";
        }
        if (!why.empty()) {
            return {fs::relative(file, ws.root(), ec).generic_string() + ": " + why};
        }
    }
    Index index{ws};
    return index.check();
}

std::vector<std::string> Index::check() try {
    std::vector<std::string> out;
    std::vector<FileStat> files = scan_all(m_ws.root()).found;
    std::unordered_map<std::string, std::pair<std::int64_t, std::int64_t>> known;
    SQLite::Statement st{*m_db, "SELECT path, size, mtime FROM files"};
    while (st.executeStep()) {
        known.emplace(st.getColumn(0).getString(), std::pair{st.getColumn(1).getInt64(), st.getColumn(2).getInt64()});
    }
    for (const auto& f : files) {
        auto it = known.find(f.path);
        if (it == known.end()) {
            out.push_back(f.path + ": not in the index");
        } else {
            if (it->second != std::pair{f.size, f.mtime}) {
                out.push_back(f.path + ": changed since it was indexed");
            }
            known.erase(it);
        }
    }
    std::vector<std::string> missing;
    for (const auto& [path, _] : known) {
        out.push_back(path + ": in the index but not on disk");
        missing.push_back(path);
    }
    // Every indexed document must still say what the index says (catches edits that kept
    // size and mtime, and a damaged index).
    SQLite::Statement docs{*m_db, "SELECT d.path, d.id, d.title, f.title FROM docs d LEFT JOIN fts f ON f.rowid = d.rowid"};
    while (docs.executeStep()) {
        std::string path = docs.getColumn(0).getString();
        if (std::find(missing.begin(), missing.end(), path) != missing.end()) {
            continue;
        }
        try {
            Document doc = read_document(m_ws.root(), path);
            DocumentNames names = names_of(doc, path, extract_markdown(doc.body()).headings);
            if (names.id != docs.getColumn(1).getString() || names.title != docs.getColumn(2).getString() ||
                docs.getColumn(3).isNull()) {
                out.push_back(path + ": the index disagrees with the file");
            }
        } catch (const Error&) {
            out.push_back(path + ": indexed but no longer valid");
        }
    }
    std::sort(out.begin(), out.end());
    return out;
} catch (const SQLite::Exception& e) {
    throw_index_error(e);
}

} // namespace async
