#include <async/dates.hpp>
#include <async/document.hpp>
#include <async/error.hpp>
#include <async/index.hpp>
#include <async/markdown.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>
#include <utility>

namespace fs = std::filesystem;

namespace async {
namespace {

// Folders of the workspace that hold documents; anything else (README.md, code, .git) is not
// async's to index.
constexpr const char* k_sections[] = {"docs", "meetings", "checkins", "people"};

// Files bigger than this are reported and skipped: nobody writes a 20 MB memo by hand, and
// reading one would make every command slow.
constexpr std::int64_t k_max_file_size = 4 * 1024 * 1024;

constexpr int k_busy_timeout_ms = 60000;

enum class FileKind { document, transcript };

struct FileStat {
    std::string path; // relative, '/'-separated
    std::int64_t size = 0;
    std::int64_t mtime = 0; // nanoseconds
    FileKind kind = FileKind::document;
    std::string problem;    // set when the file cannot even be stat'ed
};

bool ends_with_any(std::string_view name, std::initializer_list<std::string_view> suffixes) {
    return std::any_of(suffixes.begin(), suffixes.end(), [&](std::string_view s) { return name.ends_with(s); });
}

bool is_media(std::string_view name) {
    return ends_with_any(name, {".ogg", ".oga", ".opus", ".mp3", ".m4a", ".wav", ".flac", ".webm", ".mp4",
                                ".mkv", ".mov", ".m4v"});
}

// Walks the folder open as dir_fd (relative path rel) collecting .md files and transcripts,
// with *at() calls relative to the open folder so the kernel never re-walks the whole path.
// Directory symlinks are not followed (no loops); file symlinks are followed with fstatat and
// reported when broken. Takes ownership of dir_fd.
void walk(int dir_fd, const std::string& rel, bool in_attachments, std::vector<FileStat>& out, int depth) {
    DIR* dir = ::fdopendir(dir_fd);
    if (dir == nullptr) {
        ::close(dir_fd);
        out.push_back(FileStat{rel, 0, 0, FileKind::document, std::strerror(errno)});
        return;
    }
    if (depth > 32) {
        ::closedir(dir);
        out.push_back(FileStat{rel, 0, 0, FileKind::document, "folders nested too deep"});
        return;
    }
    std::vector<std::pair<std::string, unsigned char>> entries;
    while (dirent* e = ::readdir(dir)) {
        std::string_view name = e->d_name;
        if (name.empty() || name.front() == '.') {
            continue;
        }
        entries.emplace_back(std::string{name}, e->d_type);
    }
    std::sort(entries.begin(), entries.end());
    std::vector<std::string> media;
    if (in_attachments) {
        for (const auto& [name, type] : entries) {
            if (is_media(name)) {
                media.push_back(name.substr(0, name.rfind('.')));
            }
        }
    }
    int fd = ::dirfd(dir);
    for (const auto& [name, type] : entries) {
        std::string child = rel + "/" + name;
        unsigned char t = type;
        if (t == DT_UNKNOWN) {
            struct stat st {};
            if (::fstatat(fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
                t = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : DT_REG;
            }
        }
        if (t == DT_DIR) {
            int sub = ::openat(fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub < 0) {
                out.push_back(FileStat{child, 0, 0, FileKind::document, std::strerror(errno)});
                continue;
            }
            walk(sub, child, in_attachments || name == "attachments", out, depth + 1);
            continue;
        }
        FileKind kind = FileKind::document;
        if (in_attachments) {
            std::string stem = name.substr(0, name.rfind('.'));
            bool transcript = ends_with_any(name, {".vtt", ".srt"}) ||
                              (name.ends_with(".txt") && std::find(media.begin(), media.end(), stem) != media.end());
            if (!transcript) {
                continue;
            }
            kind = FileKind::transcript;
        } else if (!name.ends_with(".md")) {
            continue;
        }
        struct stat st {};
        FileStat file{child, 0, 0, kind, {}};
        if (::fstatat(fd, name.c_str(), &st, 0) != 0) {
            file.problem = errno == ELOOP ? "symbolic link loop" : std::strerror(errno);
        } else if (!S_ISREG(st.st_mode)) {
            continue;
        } else {
            file.size = st.st_size;
            file.mtime = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
        }
        out.push_back(std::move(file));
    }
    ::closedir(dir);
}

std::vector<FileStat> scan(const fs::path& root) {
    std::vector<FileStat> files;
    for (const char* section : k_sections) {
        int fd = ::open((root / section).c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
            if (errno != ENOENT) {
                files.push_back(FileStat{section, 0, 0, FileKind::document, std::strerror(errno)});
            }
            continue;
        }
        walk(fd, section, false, files, 0);
    }
    return files;
}

// docs/2026-11-26-x/replies/a.md -> docs/2026-11-26-x ; checkins/2026-W48/alice.md -> checkins/2026-W48
std::string bundle_of(const std::string& path) {
    auto first = path.find('/');
    auto second = first == std::string::npos ? std::string::npos : path.find('/', first + 1);
    return second == std::string::npos ? path.substr(0, path.rfind('/')) : path.substr(0, second);
}

// Replies, responses and summaries belong to the document of their bundle.
std::string parent_of(const std::string& path) {
    if (!(path.starts_with("docs/") || path.starts_with("meetings/"))) {
        return {};
    }
    std::string bundle = bundle_of(path);
    std::string rest = path.size() > bundle.size() ? path.substr(bundle.size() + 1) : std::string{};
    bool child = rest.starts_with("replies/") || rest.starts_with("responses/") || rest == "summary.md";
    return child ? bundle + "/index.md" : std::string{};
}

void bind_optional_time(SQLite::Statement& st, int index, const std::optional<TimePoint>& t) {
    if (t) {
        st.bind(index, static_cast<std::int64_t>(t->time_since_epoch().count()));
    } else {
        st.bind(index);
    }
}

std::string read_limited(const fs::path& file, std::int64_t size) {
    if (size > k_max_file_size) {
        throw Error{ErrorKind::data, "file is too large (" + std::to_string(size / (1024 * 1024)) +
                                         " MiB; the limit is " + std::to_string(k_max_file_size / (1024 * 1024)) + " MiB)"};
    }
    return read_file(file);
}

// Default type for files whose front matter does not say: from where they live.
std::string type_from_path(const std::string& path) {
    if (path.find("/replies/") != std::string::npos) return "reply";
    if (path.find("/responses/") != std::string::npos) return "response";
    if (path.starts_with("meetings/")) return path.ends_with("/summary.md") ? "summary" : "meeting";
    if (path.starts_with("checkins/")) return "checkin";
    if (path.starts_with("people/")) return "item";
    return "doc";
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

class Writer {
public:
    explicit Writer(SQLite::Database& db)
        : m_db(db),
          m_upsert_file(db, "INSERT INTO files(path, size, mtime, kind, problem) VALUES (?, ?, ?, ?, ?) "
                            "ON CONFLICT(path) DO UPDATE SET size=excluded.size, mtime=excluded.mtime, "
                            "kind=excluded.kind, problem=excluded.problem"),
          m_find_doc(db, "SELECT rowid FROM docs WHERE path = ?"),
          m_insert_doc(db, "INSERT INTO docs(path, id, type, title, author, created, status, due, bundle, parent, "
                           "body_line, week) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"),
          m_update_doc(db, "UPDATE docs SET id=?, type=?, title=?, author=?, created=?, status=?, due=?, bundle=?, "
                           "parent=?, body_line=?, week=? WHERE rowid=?"),
          m_insert_fts(db, "INSERT INTO fts(rowid, title, body, extra) VALUES (?, ?, ?, ?)"),
          m_update_fts(db, "UPDATE fts SET title=?, body=? WHERE rowid=?"),
          m_person(db, "INSERT INTO doc_people(doc, handle, role) VALUES (?, ?, ?)"),
          m_tag(db, "INSERT INTO tags(doc, tag) VALUES (?, ?)"),
          m_action(db, "INSERT INTO actions(doc, line, owner, due, done, text, raw) VALUES (?,?,?,?,?,?,?)"),
          m_decision(db, "INSERT INTO decisions(doc, line, text) VALUES (?,?,?)"),
          m_mention(db, "INSERT INTO mentions(doc, handle) VALUES (?, ?)"),
          m_link(db, "INSERT INTO links(doc, target) VALUES (?, ?)"),
          m_attachment(db, "INSERT INTO attachments(doc, path) VALUES (?, ?)") {}

    void record_file(const FileStat& f, const std::string& problem) {
        m_upsert_file.bind(1, f.path);
        m_upsert_file.bind(2, f.size);
        m_upsert_file.bind(3, f.mtime);
        m_upsert_file.bind(4, f.kind == FileKind::transcript ? "transcript" : "document");
        if (problem.empty()) {
            m_upsert_file.bind(5);
        } else {
            m_upsert_file.bind(5, problem);
        }
        m_upsert_file.exec();
        m_upsert_file.reset();
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
        if (auto rowid = doc_rowid(path)) {
            clear_children(*rowid);
            m_db.exec("DELETE FROM fts WHERE rowid = " + std::to_string(*rowid));
            m_db.exec("DELETE FROM docs WHERE rowid = " + std::to_string(*rowid));
        }
    }

    void store_document(const std::string& path, const Document& doc, const Extracted& md) {
        std::string author = doc.get_string("author").value_or("");
        std::string bundle = bundle_of(path);
        std::string parent = parent_of(path);
        auto rowid = doc_rowid(path);
        SQLite::Statement& st = rowid ? m_update_doc : m_insert_doc;
        int i = 1;
        if (!rowid) {
            st.bind(i++, path);
        }
        st.bind(i++, doc.get_string("id").value_or(""));
        st.bind(i++, doc.get_string("type").value_or(type_from_path(path)));
        st.bind(i++, doc.get_string("title").value_or(""));
        st.bind(i++, author);
        bind_optional_time(st, i++, doc.get_time("created"));
        st.bind(i++, doc.get_string("status").value_or(""));
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
            m_update_fts.bind(1, doc.get_string("title").value_or(""));
            m_update_fts.bind(2, md.plain);
            m_update_fts.bind(3, id);
            m_update_fts.exec();
            m_update_fts.reset();
        } else {
            m_insert_fts.bind(1, id);
            m_insert_fts.bind(2, doc.get_string("title").value_or(""));
            m_insert_fts.bind(3, md.plain);
            m_insert_fts.bind(4, transcripts_of(bundle, path));
            m_insert_fts.exec();
            m_insert_fts.reset();
        }
        for (const char* role : {"reviewers", "participants", "for"}) {
            for (const auto& handle : doc.get_strings(role)) {
                insert3(m_person, id, to_lower_ascii(handle), role);
            }
        }
        for (const auto& tag : doc.get_strings("tags")) {
            insert2(m_tag, id, tag);
        }
        for (const auto& a : md.actions) {
            m_action.bind(1, id);
            m_action.bind(2, static_cast<std::int64_t>(a.line + doc.body_line() - 1));
            m_action.bind(3, a.owner.value_or(to_lower_ascii(author)));
            if (a.due) {
                m_action.bind(4, *a.due);
            } else {
                m_action.bind(4);
            }
            m_action.bind(5, a.done ? 1 : 0);
            m_action.bind(6, a.text);
            m_action.bind(7, a.raw);
            m_action.exec();
            m_action.reset();
        }
        for (const auto& d : md.decisions) {
            m_decision.bind(1, id);
            m_decision.bind(2, static_cast<std::int64_t>(d.line + doc.body_line() - 1));
            m_decision.bind(3, d.text);
            m_decision.exec();
            m_decision.reset();
        }
        for (const auto& m : md.mentions) {
            insert2(m_mention, id, m);
        }
        for (const auto& l : md.links) {
            insert2(m_link, id, l);
        }
        for (const auto& a : md.attachments) {
            insert2(m_attachment, id, a);
        }
    }

    // The transcripts' text goes into the 'extra' column of the bundle document's search row.
    void refresh_extra(const std::string& bundle) {
        std::string owner = bundle + "/index.md";
        if (auto rowid = doc_rowid(owner)) {
            SQLite::Statement st{m_db, "UPDATE fts SET extra = ? WHERE rowid = ?"};
            st.bind(1, transcripts_of(bundle, owner));
            st.bind(2, *rowid);
            st.exec();
        }
    }

    void store_transcript(const std::string& path, const std::string& text) {
        SQLite::Statement st{m_db, "INSERT INTO transcripts(path, bundle, text) VALUES (?, ?, ?) "
                                   "ON CONFLICT(path) DO UPDATE SET text = excluded.text"};
        st.bind(1, path);
        st.bind(2, bundle_of(path));
        st.bind(3, strip_transcript(text));
        st.exec();
    }

    void remove_transcript(const std::string& path) {
        SQLite::Statement st{m_db, "DELETE FROM transcripts WHERE path = ?"};
        st.bind(1, path);
        st.exec();
    }

private:
    std::string transcripts_of(const std::string& bundle, const std::string& owner) {
        if (owner != bundle + "/index.md") {
            return {};
        }
        SQLite::Statement st{m_db, "SELECT text FROM transcripts WHERE bundle = ? ORDER BY path"};
        st.bind(1, bundle);
        std::string out;
        while (st.executeStep()) {
            out += st.getColumn(0).getString();
        }
        return out;
    }

    void clear_children(std::int64_t rowid) {
        for (const char* table : {"doc_people", "tags", "actions", "decisions", "mentions", "links", "attachments"}) {
            m_db.exec(std::string{"DELETE FROM "} + table + " WHERE doc = " + std::to_string(rowid));
        }
    }

    static void insert2(SQLite::Statement& st, std::int64_t id, const std::string& value) {
        st.bind(1, id);
        st.bind(2, value);
        st.exec();
        st.reset();
    }

    static void insert3(SQLite::Statement& st, std::int64_t id, const std::string& a, const std::string& b) {
        st.bind(1, id);
        st.bind(2, a);
        st.bind(3, b);
        st.exec();
        st.reset();
    }

    SQLite::Database& m_db;
    SQLite::Statement m_upsert_file, m_find_doc, m_insert_doc, m_update_doc, m_insert_fts, m_update_fts, m_person,
        m_tag, m_action, m_decision, m_mention, m_link, m_attachment;
};

constexpr const char* k_schema = R"sql(
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
CREATE INDEX docs_id ON docs(id);
CREATE INDEX docs_parent ON docs(parent);
CREATE INDEX docs_type_created ON docs(type, created);
CREATE TABLE doc_people(doc INTEGER NOT NULL, handle TEXT NOT NULL, role TEXT NOT NULL);
CREATE INDEX doc_people_doc ON doc_people(doc);
CREATE INDEX doc_people_handle ON doc_people(handle);
CREATE TABLE tags(doc INTEGER NOT NULL, tag TEXT NOT NULL);
CREATE INDEX tags_doc ON tags(doc);
CREATE INDEX tags_tag ON tags(tag);
CREATE TABLE actions(doc INTEGER NOT NULL, line INTEGER NOT NULL, owner TEXT NOT NULL, due TEXT,
                     done INTEGER NOT NULL, text TEXT NOT NULL, raw TEXT NOT NULL);
CREATE INDEX actions_doc ON actions(doc);
CREATE INDEX actions_owner ON actions(owner, done);
CREATE TABLE decisions(doc INTEGER NOT NULL, line INTEGER NOT NULL, text TEXT NOT NULL);
CREATE INDEX decisions_doc ON decisions(doc);
CREATE TABLE mentions(doc INTEGER NOT NULL, handle TEXT NOT NULL);
CREATE INDEX mentions_doc ON mentions(doc);
CREATE INDEX mentions_handle ON mentions(handle);
CREATE TABLE links(doc INTEGER NOT NULL, target TEXT NOT NULL);
CREATE INDEX links_doc ON links(doc);
CREATE TABLE attachments(doc INTEGER NOT NULL, path TEXT NOT NULL);
CREATE INDEX attachments_doc ON attachments(doc);
CREATE TABLE transcripts(path TEXT PRIMARY KEY, bundle TEXT NOT NULL, text TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX transcripts_bundle ON transcripts(bundle);
CREATE VIRTUAL TABLE fts USING fts5(title, body, extra, tokenize = 'unicode61 remove_diacritics 2');
)sql";

void remove_db_files(const fs::path& db) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        fs::remove(db.string() + suffix, ec);
    }
}

} // namespace

Index::Index(const Workspace& ws) : m_ws(ws) {
    open();
}

Index::~Index() = default;

void Index::open() {
    fs::path file = m_ws.index_file();
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    for (int attempt = 0; attempt < 2; ++attempt) {
        try {
            m_db = std::make_unique<SQLite::Database>(file, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            m_db->setBusyTimeout(k_busy_timeout_ms);
            int version = m_db->execAndGet("PRAGMA user_version").getInt();
            if (version == 0) {
                create_schema();
                return;
            }
            if (version == k_index_schema_version) {
                m_db->exec("PRAGMA synchronous = NORMAL");
                return;
            }
            m_rebuilt_because = "the index was made by another version of async (schema " +
                                std::to_string(version) + "); rebuilding it from the files";
        } catch (const SQLite::Exception& e) {
            if (attempt == 1) {
                throw Error{ErrorKind::data, "cannot open the index '" + file.string() + "': " + e.what(),
                            "delete it; the next command rebuilds it from the files"};
            }
            m_rebuilt_because = std::string{"the index was unreadable ("} + e.what() + "); rebuilding it from the files";
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
    m_db->exec(k_schema);
    m_db->exec("PRAGMA user_version = " + std::to_string(k_index_schema_version));
    tx.commit();
}

RefreshStats Index::refresh(RefreshMode mode, const Progress& progress) {
    try {
        return refresh_once(mode, progress);
    } catch (const SQLite::Exception& e) {
        if (e.getErrorCode() != SQLITE_CORRUPT && e.getErrorCode() != SQLITE_NOTADB) {
            throw Error{ErrorKind::data, std::string{"cannot update the index: "} + e.what(),
                        "delete .async/index.db; the next command rebuilds it from the files"};
        }
        // A damaged index is only a cache: start again from the files, once.
        m_db.reset();
        remove_db_files(m_ws.index_file());
        open();
        m_rebuilt_because = std::string{"the index was damaged ("} + e.what() + "); rebuilding it from the files";
        return refresh_once(RefreshMode::full, progress);
    }
}

RefreshStats Index::refresh_once(RefreshMode mode, const Progress& progress) {
    RefreshStats stats;
    stats.rebuilt_because = std::exchange(m_rebuilt_because, {});
    const fs::path& root = m_ws.root();
    std::vector<FileStat> files = scan(root);
    stats.scanned = files.size();

    struct Known {
        std::int64_t size, mtime;
        bool seen = false;
    };
    auto load_known = [&] {
        std::unordered_map<std::string, Known> known;
        known.reserve(files.size() + 16);
        SQLite::Statement st{*m_db, "SELECT path, size, mtime FROM files"};
        while (st.executeStep()) {
            known.emplace(st.getColumn(0).getString(), Known{st.getColumn(1).getInt64(), st.getColumn(2).getInt64()});
        }
        return known;
    };
    auto changes = [&](std::unordered_map<std::string, Known>& known) {
        std::vector<const FileStat*> changed;
        for (const auto& f : files) {
            auto it = known.find(f.path);
            if (it != known.end()) {
                it->second.seen = true;
            }
            if (mode == RefreshMode::full || it == known.end() || it->second.size != f.size ||
                it->second.mtime != f.mtime) {
                changed.push_back(&f);
            }
        }
        std::vector<std::string> gone;
        for (const auto& [path, k] : known) {
            if (!k.seen) {
                gone.push_back(path);
            }
        }
        return std::pair{changed, gone};
    };

    {
        auto known = load_known();
        auto [changed, gone] = changes(known);
        if (changed.empty() && gone.empty()) {
            return stats;
        }
        SQLite::Transaction tx{*m_db, SQLite::TransactionBehavior::IMMEDIATE};
        // Another process may have done the work while we waited for the lock.
        known = load_known();
        std::tie(changed, gone) = changes(known);
        if (mode == RefreshMode::full) {
            for (const char* table : {"files", "docs", "fts", "doc_people", "tags", "actions", "decisions", "mentions",
                                      "links", "attachments", "transcripts"}) {
                m_db->exec(std::string{"DELETE FROM "} + table);
            }
            gone.clear();
        }
        Writer writer{*m_db};
        std::vector<std::string> touched_bundles;
        for (const auto& path : gone) {
            writer.remove_doc(path);
            writer.remove_transcript(path);
            touched_bundles.push_back(bundle_of(path));
            SQLite::Statement del{*m_db, "DELETE FROM files WHERE path = ?"};
            del.bind(1, path);
            del.exec();
            ++stats.removed;
        }
        std::size_t done = 0;
        for (const FileStat* f : changed) {
            std::string problem = f->problem;
            if (problem.empty()) {
                try {
                    std::string text = read_limited(root / f->path, f->size);
                    if (f->kind == FileKind::transcript) {
                        if (auto bad = find_invalid_utf8(text)) {
                            throw Error{ErrorKind::data, "invalid UTF-8 at byte " + std::to_string(*bad)};
                        }
                        writer.store_transcript(f->path, text);
                        touched_bundles.push_back(bundle_of(f->path));
                    } else {
                        Document doc = Document::parse(text, f->path);
                        writer.store_document(f->path, doc, extract_markdown(doc.body()));
                    }
                    ++stats.parsed;
                } catch (const Error& e) {
                    problem = e.what();
                }
            }
            if (!problem.empty()) {
                writer.remove_doc(f->path);
                // Parse errors already read "path:line:col: message".
                stats.problems.push_back(problem.starts_with(f->path + ":") ? problem : f->path + ": " + problem);
            }
            writer.record_file(*f, problem);
            if (progress && (++done % 256 == 0 || done == changed.size())) {
                progress(done, changed.size());
            }
        }
        std::sort(touched_bundles.begin(), touched_bundles.end());
        touched_bundles.erase(std::unique(touched_bundles.begin(), touched_bundles.end()), touched_bundles.end());
        for (const auto& bundle : touched_bundles) {
            writer.refresh_extra(bundle);
        }
        tx.commit();
    }
    return stats;
}

std::vector<std::string> Index::check() {
    std::vector<std::string> out;
    std::vector<FileStat> files = scan(m_ws.root());
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
            Document doc = Document::parse(read_file(m_ws.root() / path), path);
            if (doc.get_string("id").value_or("") != docs.getColumn(1).getString() ||
                doc.get_string("title").value_or("") != docs.getColumn(2).getString() ||
                docs.getColumn(3).isNull()) {
                out.push_back(path + ": the index disagrees with the file");
            }
        } catch (const Error&) {
            out.push_back(path + ": indexed but no longer valid");
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace async
