#include "index_access.hpp"

#include <async/error.hpp>

#include <sqlite3.h>

#include <string>

namespace async {

void throw_index_error(const SQLite::Exception& e) {
    const std::string what = e.what();
    switch (e.getErrorCode() & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        throw Error{ErrorKind::data, "the index is busy: " + what,
                    "another async command is writing it; run this one again when it has finished"};
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_NOMEM:
        // The machine's trouble (a full disk, a read-only folder), not a damaged index.
        throw Error{ErrorKind::environment, "cannot use the index: " + what,
                    "check the free space and the permissions of the workspace's .async folder"};
    default:
        throw Error{ErrorKind::data, "cannot read the index: " + what,
                    "the index is damaged: run 'async index --full' to rebuild it from the files"};
    }
}

bool is_index_damage(const SQLite::Exception& e) {
    int code = e.getErrorCode() & 0xff;
    return code == SQLITE_CORRUPT || code == SQLITE_NOTADB;
}

void repair_or_throw(Index& index, const SQLite::Exception& e) {
    if (!is_index_damage(e) || !IndexAccess::repair(index)) {
        throw_index_error(e);
    }
}

ReadSnapshot::ReadSnapshot(Index& index) : m_index(index) {
    try {
        db_of(m_index).exec("SAVEPOINT read_snapshot");
        return;
    } catch (const SQLite::Exception& e) {
        repair_or_throw(m_index, e);
    }
    try {
        db_of(m_index).exec("SAVEPOINT read_snapshot");
    } catch (const SQLite::Exception& e) {
        throw_index_error(e);
    }
}

ReadSnapshot::~ReadSnapshot() {
    try {
        // After a repair this is a new connection without the savepoint: nothing to end.
        db_of(m_index).exec("RELEASE read_snapshot");
    } catch (const SQLite::Exception&) {
        // Nothing was written; a failure to end the read leaves nothing to undo.
    }
}

} // namespace async
