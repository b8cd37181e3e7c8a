// The full-text table of a new index, filled on its own thread (lib/index/src/fts_loader.hpp, part of
// the index module; index_test.cpp covers it through Index::refresh).
#include "fts_loader.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <string>
#include <vector>

namespace fs = std::filesystem;
using async::FtsLoader;

namespace {

constexpr const char* k_schema = R"sql(
CREATE TABLE docs(rowid INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);
CREATE TABLE tags(doc INTEGER NOT NULL, tag TEXT NOT NULL);
CREATE INDEX tags_tag ON tags(tag);
CREATE VIRTUAL TABLE fts USING fts5(title, body, extra);
)sql";

// A finished file of the other tables, as Index::rebuild's writer leaves it: docs with rowids
// 1..n (paths d1..dn), one tag each.
fs::path write_tables(const fs::path& dir, int n) {
    fs::path file = dir / "rows.db";
    SQLite::Database db{file, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
    db.exec("CREATE TABLE docs(rowid INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);"
            "CREATE TABLE tags(doc INTEGER NOT NULL, tag TEXT NOT NULL);");
    SQLite::Transaction tx{db};
    for (int i = 1; i <= n; ++i) {
        db.exec("INSERT INTO docs(path) VALUES ('d" + std::to_string(i) + "')");
        db.exec("INSERT INTO tags VALUES (" + std::to_string(i) + ", 't" + std::to_string(i % 3) + "')");
    }
    db.exec("CREATE INDEX tags_tag ON tags(tag)");
    tx.commit();
    return file;
}

std::vector<std::string> match(SQLite::Database& db, const std::string& query) {
    SQLite::Statement st{db, "SELECT d.path FROM fts JOIN docs d ON d.rowid = fts.rowid WHERE fts MATCH ? "
                             "ORDER BY d.path"};
    st.bind(1, query);
    std::vector<std::string> out;
    while (st.executeStep()) {
        out.push_back(st.getColumn(0).getString());
    }
    return out;
}

} // namespace

TEST_CASE("fts_loader::copy_tables_from") {
    async_test::TempDir tmp{"fts"};
    const fs::path file = tmp.path() / "index.db";

    SUBCASE("the search rows and the copied rows agree on rowids") {
        const int n = 3000; // more text than fits the queue at once
        const std::string filler(2000, 'x');
        {
            FtsLoader fts{file, k_schema};
            for (int i = 1; i <= n; ++i) {
                fts.insert(i, "title " + std::to_string(i), "body word" + std::to_string(i) + " " + filler,
                           "");
            }
            fts.set_extra(7, "zebrafish");
            SQLite::Database& db = fts.copy_tables_from(write_tables(tmp.path(), n), 5);
            CHECK(db.execAndGet("PRAGMA user_version").getInt() == 5);
            CHECK(db.execAndGet("SELECT count(*) FROM docs").getInt() == n);
            CHECK(db.execAndGet("SELECT count(*) FROM tags WHERE tag = 't1'").getInt() == n / 3);
            CHECK(match(db, "word2999") == std::vector<std::string>{"d2999"});
            CHECK(match(db, "zebrafish") == std::vector<std::string>{"d7"});
            CHECK(match(db, "title AND 12") == std::vector<std::string>{"d12"});
            db.exec("INSERT INTO fts(fts) VALUES ('integrity-check')");
        }
        SQLite::Database reopened{file};
        CHECK(reopened.execAndGet("PRAGMA integrity_check").getString() == "ok");
        CHECK(reopened.execAndGet("SELECT count(*) FROM fts").getInt() == n);
    }

    SUBCASE("a failure on the thread reaches the caller, without waiting for ever") {
        FtsLoader fts{file, k_schema};
        fts.insert(1, "a", "b", "");
        fts.insert(1, "same rowid", "fails", ""); // a constraint error on the thread
        bool thrown = false;
        // The caller learns of it at its next insert once the thread has stopped, or at the end.
        try {
            const std::string text(256 * 1024, 'y');
            for (int i = 2; i < 200; ++i) { // 50 MB: far more than the queue holds
                fts.insert(i, "t", text, "");
            }
            fts.copy_tables_from(write_tables(tmp.path(), 1), 1);
        } catch (const SQLite::Exception& e) {
            thrown = true;
            CHECK(std::string{e.what()}.find("constraint") != std::string::npos);
        }
        CHECK(thrown);
    }

    SUBCASE("giving up with rows queued stops the thread") {
        {
            FtsLoader fts{file, k_schema};
            const std::string text(64 * 1024, 'z');
            for (int i = 1; i <= 200; ++i) {
                fts.insert(i, "t", text, "");
            }
        } // no copy_tables_from: as when the rest of the build throws
        CHECK(fs::exists(file)); // left for the caller to remove
    }
}
