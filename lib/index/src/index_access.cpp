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
        throw Error{ErrorKind::data, "cannot use the index: " + what,
                    "check the free space and the permissions of the workspace's .async folder"};
    default:
        throw Error{ErrorKind::data, "cannot read the index: " + what,
                    "the index is damaged: run 'async index --full' to rebuild it from the files"};
    }
}

ReadSnapshot::ReadSnapshot(Index& index) try : m_db(db_of(index)) {
    m_db.exec("SAVEPOINT read_snapshot");
} catch (const SQLite::Exception& e) {
    throw_index_error(e);
}

ReadSnapshot::~ReadSnapshot() {
    try {
        m_db.exec("RELEASE read_snapshot");
    } catch (const SQLite::Exception&) {
        // Nothing was written; a failure to end the read leaves nothing to undo.
    }
}

} // namespace async
