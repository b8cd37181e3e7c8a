#pragma once
// The SQLite index in .async/index.db: a cache of the workspace's files that answers every
// question fast. The files are the truth: the index can be deleted at any time and is rebuilt
// from them. Every read command calls refresh() first, which re-parses only files whose size
// or mtime changed, and re-lists only folders whose ctime changed.
#include <async/clock.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace SQLite {
class Database;
}

namespace async {

class Watcher;
struct WatcherChanges;
class Workspace;

// Bumped whenever the schema or what is extracted from files changes (2: the dirs table of the
// folder shortcut; 3: quoted text holds no actions or decisions; 4: actions keep their handle
// instead of their raw text; 5: decisions carry when they were taken; 6: a line starting with
// "Decision:" is a decision anywhere, never part of an action, and a file with merge conflict
// markers is skipped; 7: a transcript belongs to the document layout's attachment_owner names,
// so a reply's or response's own recordings are searched as part of it; 8: the links table
// holds wiki links and relative .md links beside "#id" references, with their kind, lookup key
// line and column); 9: a Markdown file without front matter under docs/ is a note (model/note),
// no longer a skipped file); an index with another version is rebuilt.
inline constexpr int k_index_schema_version = 11;

struct RefreshStats {
    std::size_t scanned = 0;   // files looked at
    std::size_t parsed = 0;    // files (re)parsed
    std::size_t removed = 0;   // files gone from the index
    std::vector<std::string> problems; // "path: message" for files skipped as bad (only when parsed)
    // "path:line: message" for what an indexed file says that nothing can use (an impossible
    // due: date), only when parsed: the file is indexed without it.
    std::vector<std::string> warnings;
    std::string rebuilt_because;        // non-empty when the index was rebuilt from scratch
    // RefreshMode::checked only: every page was read; false when the database file was still
    // the one a clean check had read (its stamp in .async/local/index-checked).
    bool pages_checked = false;
};

// incremental: only what changed; full: every file again; checked: incremental after reading
// every page of the database (`PRAGMA quick_check`), rebuilding it when it is damaged, unless
// the file is byte for byte the one the last clean check read (what `async index` does, too
// slow for every command).
enum class RefreshMode { incremental, full, checked };

// The notice of a rebuild of a damaged index (RefreshStats::rebuilt_because).
inline constexpr const char* k_index_damaged_notice = "the index was damaged; rebuilt it from the files";

// Who added a note (a file without async front matter) and when: its first commit.
struct NoteOrigin {
    std::string author; // a handle
    TimePoint created{};
};

// The origins of the workspace's files that history knows, by workspace-relative path. Asked at
// most once per refresh, rebuild or update, and only when one stores a note.
using NoteHistory = std::function<std::unordered_map<std::string, NoteOrigin>()>;

// Progress while indexing: files done and files to do (to do may be 0 while unknown).
using Progress = std::function<void(std::size_t done, std::size_t total)>;

class Index {
public:
    // Opens (creating if needed) the index of ws. An index of another schema version, one
    // that is corrupt or one that lacks a table of the schema is deleted and recreated (RefreshStats::rebuilt_because says why on the
    // next refresh). WAL mode and a busy timeout make concurrent processes wait, never fail.
    // Holds a shared lock on .async/index.db.lock while open (see install()).
    // In a workspace whose .async folder (or index.db) this process cannot write, the index is
    // opened read-only as it is: refresh() answers when the index matches the files and
    // throws Error{environment} saying it cannot be refreshed when it does not; an index that
    // is missing, damaged or of another version throws that at once.
    explicit Index(const Workspace& ws);
    ~Index();
    Index(const Index&) = delete;
    Index& operator=(const Index&) = delete;

    // The existing index of ws opened read-only, as it is: never created, rebuilt or refreshed,
    // nothing written (for shell completion, which must answer at once and change nothing).
    // nullptr when there is none, it is of another schema version or unreadable, or another
    // process is replacing it right now. refresh() on it throws Error{data}.
    static std::unique_ptr<Index> open_read_only(const Workspace& ws);

    // The existing index of ws opened to write, as it is: never created or rebuilt (for the
    // write-through of a command that wrote files, see update()). nullptr when there is none,
    // it is of another schema version or unreadable, or another process is replacing it right
    // now (the shared lock is not waited for).
    static std::unique_ptr<Index> open_existing(const Workspace& ws);

    // Brings the index up to date with the files (mode full: re-parses every file). Cheap when
    // nothing changed: a stat per known folder and file; only folders whose ctime changed are
    // listed. A full and a first refresh build a new index file and swap it in. Bad files are
    // skipped and reported in the stats; nothing throws for a bad file. A damaged database is
    // deleted and rebuilt from the files (once; the stats say why). Throws Error{data} only
    // when the database itself cannot be written. progress (optional) sees files parsed.
    RefreshStats refresh(RefreshMode mode = RefreshMode::incremental, const Progress& progress = {});

    // Who hears of a rebuild that a question to the index (query.hpp) made after refresh()
    // returned: SQLite found the index damaged (SQLITE_CORRUPT, SQLITE_NOTADB) only on a page
    // that question read, so the index was rebuilt from the files, once per Index, and the
    // question asked again. report gets the stats of that rebuild (rebuilt_because is
    // k_index_damaged_notice); without one, nobody is told.
    void on_repair(std::function<void(const RefreshStats&)> report) { m_on_repair = std::move(report); }

    // Where the author and created time of notes come from (cmd/ hands in git's first
    // additions). Without it, or for a file it does not know, a note's author is "unknown" and
    // its created time the file's modification time.
    void set_note_history(NoteHistory history) { m_note_history = std::move(history); }

    // Write-through: brings the index up to date for paths a command has just written or
    // removed (absolute, or relative to the workspace root), without the scan of a refresh.
    // A file is stat'ed and (re)parsed when its size or mtime differ from its row, and removed
    // from the index when it is gone; a folder is listed with its subfolders (new and changed
    // files stored, files gone from it removed); a file in an attachments folder lists that
    // folder (a transcript is known by the media beside it). Paths outside the indexed
    // sections, and other files, are ignored. Folder rows are left alone, so the next refresh
    // still lists the changed folders and finds whatever else changed there. Waits at most a
    // few seconds for another writer (then throws Error{data}, like any database failure);
    // bad files are reported in the stats, as by refresh().
    RefreshStats update(const std::vector<std::filesystem::path>& paths);

    // For a caller that cannot wait for a walk (shell completion): the files the watcher
    // (use_watcher) says changed, stored like update() (waiting as briefly for the lock).
    // False when it cannot say (no watcher, a fresh instance, a bad answer, an empty index):
    // then nothing is read and the index stays as it is. Throws Error{data} when the index
    // cannot be written.
    bool refresh_from_watcher();

    // Differences between the index and the files, without changing anything: "path: reason"
    // lines (missing from index, stale, gone from disk). Empty when db == files.
    std::vector<std::string> check();

    // `async index --check`: the differences of check(), or, when the database of ws is
    // damaged (unreadable, a table missing, `PRAGMA quick_check` not "ok") or of another
    // schema version, the one line ".async/index.db: WHY" — without changing it (the next
    // command rebuilds it). An index that does not exist yet is created, as by Index(ws).
    static std::vector<std::string> check(const Workspace& ws);

    // Lets an incremental refresh ask watcher (not owned; nullptr: walk) what changed since the
    // last one instead of walking the workspace: only the paths it names are stat'ed and read
    // (Index::update's rules). Its fresh instances, and any doubt, walk; a malformed answer
    // walks with a warning in the stats.
    void use_watcher(Watcher* watcher) { m_watcher = watcher; }

    const Workspace& workspace() const { return m_ws; }

private:
    friend class IndexAccess; // the index module's own code (lib/index/src/index_access.hpp)
    struct AsIs {};
    Index(const Workspace& ws, AsIs);
    static std::unique_ptr<Index> open_as_is(const Workspace& ws, bool writable);
    void open();
    void open_unwritable(const std::filesystem::path& file);
    [[noreturn]] void throw_unwritable(const std::string& why) const;
    void create_schema();
    RefreshStats refresh_once(RefreshMode mode, const Progress& progress);
    RefreshStats checked_refresh(const Progress& progress);
    // Stores what changes (Kind::changed) names, then its clock when a section changed.
    RefreshStats apply_watched(const WatcherChanges& changes, int busy_ms);
    RefreshStats walk_once(RefreshMode mode, const Progress& progress);
    // Deletes the damaged index, creates it again and fills it from the files (once per Index:
    // false when it was already done, and nothing is changed).
    bool repair(RefreshStats& stats, const Progress& progress);
    enum class Rebuild { always, if_files };
    // Walks the workspace and builds a new index of its files into temporary files (two, on two
    // threads: see lib/index/src/fts_loader.hpp), then installs it; stats gets the counts and
    // problems. With if_files, a walk that finds no file installs nothing and returns false.
    bool rebuild(RefreshStats& stats, Rebuild when, const Progress& progress);
    // Replaces index.db with the finished file tmp: by rename when no other process has the
    // index open, else by copying tmp into it in one transaction. Removes tmp.
    void install(const std::filesystem::path& tmp);
    const Workspace& m_ws;
    int m_lock_fd = -1; // .async/index.db.lock, shared while m_db is open; -1 when unavailable
    std::unique_ptr<SQLite::Database> m_db;
    std::string m_rebuilt_because;
    bool m_repaired = false;
    bool m_read_only = false; // opened by open_unwritable
    bool m_stamp_on_close = false; // a checked refresh found the file sound (see checked_refresh)

    std::function<void(const RefreshStats&)> m_on_repair;
    NoteHistory m_note_history;
    Watcher* m_watcher = nullptr;
};

// One read transaction around several questions to the index: they all see one snapshot of it
// (another process may refresh it meanwhile), and SQLite takes its WAL read lock once instead
// of once per statement (two fcntl calls each; a thousand lookups were two thousand system
// calls). A savepoint, so snapshots nest. Throws Error{data} when the index cannot be read.
class ReadSnapshot {
public:
    explicit ReadSnapshot(Index& index);
    ~ReadSnapshot();
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

private:
    // The index, not its connection: a question inside the snapshot may rebuild a damaged
    // index, which replaces the connection.
    Index& m_index;
};

} // namespace async
