#pragma once
// Part of the index module (index.cpp, query.cpp and their tests): the SQLite connection behind
// an Index, and the one place where SQLite's exceptions become async::Error. Nothing outside
// the index module includes this; it asks the index through index.hpp and query.hpp.
#include <async/index.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>

namespace async {

class IndexAccess {
public:
    static SQLite::Database& db(Index& index) { return *index.m_db; }
    // Index::repair with the stats handed to the Index's on_repair listener.
    static bool repair(Index& index);
};

// The connection of index.
inline SQLite::Database& db_of(Index& index) { return IndexAccess::db(index); }

// e as the Error that leaves the index, with what SQLite said and what to do: kind environment
// for an index that cannot be written or read for the machine's reasons (a full disk, I/O
// errors, permissions), else data (a damaged index is rebuilt with 'async index --full'; a
// busy one is not damaged). Every public function of the index module that runs SQL ends in
// `catch (const SQLite::Exception& e) { throw_index_error(e); }`.
[[noreturn]] void throw_index_error(const SQLite::Exception& e);

// True when e says the database file itself is damaged (SQLITE_CORRUPT, SQLITE_NOTADB).
bool is_index_damage(const SQLite::Exception& e);

// The handler of every public question to the index that may be asked again: when e says the
// index is damaged and this Index has not rebuilt it yet, rebuilds it from the files and
// returns, and the caller asks its question again (once: a second failure throws); otherwise
// throws what throw_index_error throws. Pattern:
// `catch (const SQLite::Exception& e) { repair_or_throw(index, e); return question(index, …); }`
void repair_or_throw(Index& index, const SQLite::Exception& e);

} // namespace async
