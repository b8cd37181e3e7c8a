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
};

// The connection of index.
inline SQLite::Database& db_of(Index& index) { return IndexAccess::db(index); }

// e as the Error that leaves the index: kind data, with what SQLite said and what to do
// (a damaged index is rebuilt with 'async index --full'; a busy or unwritable one is not
// damaged). Every public function of the index module that runs SQL ends in
// `catch (const SQLite::Exception& e) { throw_index_error(e); }`.
[[noreturn]] void throw_index_error(const SQLite::Exception& e);

} // namespace async
