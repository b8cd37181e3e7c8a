#pragma once
// Part of the query module (see query.cpp), also used by the inbox: one read transaction around
// several statements.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>

namespace async {

// One read transaction around the statements of a query: they all see one snapshot of the
// index, and SQLite takes its WAL read lock once instead of once per statement (two fcntl calls
// each; a thousand lookups were two thousand system calls). A savepoint, so that it nests in a
// transaction the caller may hold.
class ReadSnapshot {
public:
    explicit ReadSnapshot(SQLite::Database& db) : m_db(db) { m_db.exec("SAVEPOINT read_snapshot"); }
    ~ReadSnapshot() {
        try {
            m_db.exec("RELEASE read_snapshot");
        } catch (const SQLite::Exception&) {
            // Nothing was written; a failure to end the read leaves nothing to undo.
        }
    }
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

private:
    SQLite::Database& m_db;
};

} // namespace async
