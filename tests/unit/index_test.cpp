#include <async/error.hpp>
#include <async/index.hpp>
#include <async/query.hpp>
#include <async/workspace.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include "index_access.hpp"
#include "temp_dir.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <sys/stat.h>
#include <utility>
#include <vector>

#include "string_maker.hpp"

namespace fs = std::filesystem;
using async::db_of;
using async::Index;
using async::RefreshMode;
using async::RefreshStats;
using namespace std::chrono_literals;
using namespace std::string_literals;

namespace {

using Strings = std::vector<std::string>;

// A fresh workspace (async::init_workspace) in its own temp folder.
struct Fixture {
    async_test::TempDir tmp{"index"};
    async::Workspace ws{init(tmp.path())};

    static fs::path init(const fs::path& dir) {
        async::init_workspace(dir);
        return dir;
    }

    fs::path write(const std::string& rel, std::string_view content) const {
        fs::path p = tmp / rel;
        async::write_file_atomic(p, content);
        return p;
    }

    // Rewrites rel and moves its mtime 10 s past the old one, so the change is seen even when
    // the size stays the same and the clock did not tick between the two writes.
    fs::path rewrite(const std::string& rel, std::string_view content) const {
        fs::path p = tmp / rel;
        auto before = fs::last_write_time(p);
        async::write_file_atomic(p, content);
        fs::last_write_time(p, before + 10s);
        return p;
    }
};

// A document file: front matter with id and title (plus `more` lines), then body.
std::string doc(const std::string& id, const std::string& title, const std::string& more = "",
                const std::string& body = "Body text.\n") {
    return "+++\nid = \"" + id + "\"\ntitle = \"" + title + "\"\n" + more + "+++\n" + body;
}

std::int64_t scalar(Index& index, const std::string& sql) {
    return db_of(index).execAndGet(sql).getInt64();
}

Strings column(Index& index, const std::string& sql) {
    SQLite::Statement st{db_of(index), sql};
    Strings out;
    while (st.executeStep()) {
        out.push_back(st.getColumn(0).isNull() ? std::string{"NULL"} : st.getColumn(0).getString());
    }
    return out;
}

Strings paths_of(const std::vector<async::DocSummary>& docs) {
    Strings out;
    for (const auto& d : docs) {
        out.push_back(d.path);
    }
    return out;
}

Strings all_doc_paths(Index& index) {
    async::ListFilter filter;
    filter.include_children = true;
    filter.sort = async::SortKey::title;
    return paths_of(async::list_documents(index, filter));
}

Strings search_paths(Index& index, std::string_view query) {
    Strings out;
    for (const auto& hit : async::search(index, query, async::SearchFilter{})) {
        out.push_back(hit.doc.path);
    }
    return out;
}

} // namespace

TEST_CASE("index::Index") {
    Fixture f;
    const fs::path db_file = f.ws.index_file();

    SUBCASE("a fresh index has the current schema version and WAL journal") {
        Index index{f.ws};
        CHECK(fs::is_regular_file(db_file));
        CHECK(scalar(index, "PRAGMA user_version") == async::k_index_schema_version);
        CHECK(db_of(index).execAndGet("PRAGMA journal_mode").getString() == "wal");
        CHECK(index.refresh().rebuilt_because == "");
    }

    SUBCASE("WAL and the version stick to the file when it is reopened") {
        { Index index{f.ws}; }
        Index index{f.ws};
        CHECK(scalar(index, "PRAGMA user_version") == async::k_index_schema_version);
        CHECK(db_of(index).execAndGet("PRAGMA journal_mode").getString() == "wal");
        CHECK(index.refresh().rebuilt_because == "");
    }

    SUBCASE("an index of another schema version is rebuilt") {
        f.write("docs/2026-11-01-a/index.md", doc("abcd0001", "Alpha"));
        {
            Index index{f.ws};
            REQUIRE(index.refresh().parsed == 1);
            db_of(index).exec("PRAGMA user_version = 99");
        }
        Index index{f.ws};
        CHECK(scalar(index, "PRAGMA user_version") == async::k_index_schema_version);
        CHECK(scalar(index, "SELECT count(*) FROM docs") == 0); // really recreated
        RefreshStats stats = index.refresh();
        CHECK(stats.rebuilt_because == "the index was made by another version of async (schema "
                                       "99); rebuilding it from the files");
        CHECK(stats.parsed == 1);
        CHECK(all_doc_paths(index) == Strings{"docs/2026-11-01-a/index.md"});
        // Said once only.
        RefreshStats again = index.refresh();
        CHECK(again.rebuilt_because == "");
        CHECK(again.parsed == 0);
    }

    SUBCASE("a corrupt index file is rebuilt") {
        f.write("docs/2026-11-01-a/index.md", doc("abcd0001", "Alpha"));
        {
            Index index{f.ws};
            REQUIRE(index.refresh().parsed == 1);
        }
        for (const char* suffix : {"-wal", "-shm"}) {
            fs::remove(db_file.string() + suffix);
        }
        std::string garbage;
        for (int i = 0; i < 512; ++i) {
            garbage += "this is no database at all\x01\x02\xff\n";
        }
        f.write(".async/index.db", garbage);
        Index index{f.ws};
        CHECK(scalar(index, "PRAGMA user_version") == async::k_index_schema_version);
        CHECK(db_of(index).execAndGet("PRAGMA journal_mode").getString() == "wal");
        RefreshStats stats = index.refresh();
        CHECK(stats.rebuilt_because == "the index was damaged; rebuilt it from the files");
        CHECK(stats.parsed == 1);
        CHECK(all_doc_paths(index) == Strings{"docs/2026-11-01-a/index.md"});
        CHECK(index.refresh().rebuilt_because == "");
    }

    SUBCASE("a deleted index is recreated silently") {
        f.write("docs/2026-11-01-a/index.md", doc("abcd0001", "Alpha"));
        {
            Index index{f.ws};
            REQUIRE(index.refresh().parsed == 1);
        }
        for (const char* suffix : {"", "-wal", "-shm"}) {
            fs::remove(db_file.string() + suffix);
        }
        REQUIRE_FALSE(fs::exists(db_file));
        Index index{f.ws};
        CHECK(fs::is_regular_file(db_file));
        RefreshStats stats = index.refresh();
        CHECK(stats.rebuilt_because == "");
        CHECK(stats.parsed == 1);
        CHECK(all_doc_paths(index) == Strings{"docs/2026-11-01-a/index.md"});
    }

    SUBCASE("a missing .async folder is created") {
        fs::remove_all(f.tmp / ".async");
        Index index{f.ws};
        CHECK(fs::is_regular_file(db_file));
        CHECK(scalar(index, "PRAGMA user_version") == async::k_index_schema_version);
    }
}

TEST_CASE("index::refresh") {
    Fixture f;
    const std::string a = "docs/2026-11-01-a/index.md";
    const std::string body = "Intro.\n\n- [ ] @bob ship it due:2026-12-01\n\nDecision: go\n";

    SUBCASE("a new file is parsed, a second refresh parses nothing") {
        f.write(a, doc("abcd0001", "Alpha", "author = \"alice\"\n", body));
        Index index{f.ws};
        RefreshStats first = index.refresh();
        CHECK(first.scanned == 1);
        CHECK(first.parsed == 1);
        CHECK(first.removed == 0);
        CHECK(first.problems.empty());
        CHECK(first.rebuilt_because == "");
        CHECK(all_doc_paths(index) == Strings{a});
        CHECK(column(index, "SELECT title FROM docs") == Strings{"Alpha"});

        RefreshStats second = index.refresh();
        CHECK(second.scanned == 1);
        CHECK(second.parsed == 0);
        CHECK(second.removed == 0);
        CHECK(second.problems.empty());

        // A new Index object on the same file sees it up to date too.
        Index reopened{f.ws};
        CHECK(reopened.refresh().parsed == 0);
    }

    SUBCASE("a touched file with the same content is re-parsed and keeps one row") {
        fs::path p = f.write(a, doc("abcd0001", "Alpha", "", body));
        Index index{f.ws};
        REQUIRE(index.refresh().parsed == 1);
        fs::last_write_time(p, fs::last_write_time(p) + 5s);
        RefreshStats stats = index.refresh();
        CHECK(stats.parsed == 1);
        CHECK(stats.removed == 0);
        CHECK(scalar(index, "SELECT count(*) FROM docs") == 1);
        CHECK(scalar(index, "SELECT count(*) FROM fts") == 1);
        CHECK(scalar(index, "SELECT count(*) FROM files") == 1);
        CHECK(scalar(index, "SELECT count(*) FROM actions") == 1);
        CHECK(scalar(index, "SELECT count(*) FROM decisions") == 1);
        CHECK(index.refresh().parsed == 0);
    }

    SUBCASE("a modified file gets its new title, also in search") {
        f.write(a, doc("abcd0001", "Alpha", "", body));
        Index index{f.ws};
        REQUIRE(index.refresh().parsed == 1);
        f.rewrite(a, doc("abcd0001", "Omega", "", body));
        RefreshStats stats = index.refresh();
        CHECK(stats.parsed == 1);
        CHECK(column(index, "SELECT title FROM docs") == Strings{"Omega"});
        CHECK(search_paths(index, "omega") == Strings{a});
        CHECK(search_paths(index, "alpha").empty());
    }

    SUBCASE("a modified file of the same size and content length is seen through its mtime") {
        f.write(a, doc("abcd0001", "AAAA", "", body));
        Index index{f.ws};
        REQUIRE(index.refresh().parsed == 1);
        f.rewrite(a, doc("abcd0001", "BBBB", "", body));
        CHECK(index.refresh().parsed == 1);
        CHECK(column(index, "SELECT title FROM docs") == Strings{"BBBB"});
    }

    SUBCASE("a deleted file takes its document, actions and everything else with it") {
        f.write(a, doc("abcd0001", "Alpha",
                       "author = \"alice\"\ntags = [\"x\"]\nreviewers = [\"bob\"]\n",
                       body + "See #abcd0002 and @carol, [f](attachments/f.png).\n"));
        f.write("docs/2026-11-02-b/index.md", doc("abcd0002", "Beta"));
        Index index{f.ws};
        REQUIRE(index.refresh().parsed == 2);
        REQUIRE(scalar(index, "SELECT count(*) FROM actions") == 1);
        REQUIRE(scalar(index, "SELECT count(*) FROM mentions") == 2);
        fs::remove(f.tmp / a);
        RefreshStats stats = index.refresh();
        CHECK(stats.scanned == 1);
        CHECK(stats.parsed == 0);
        CHECK(stats.removed == 1);
        CHECK(all_doc_paths(index) == Strings{"docs/2026-11-02-b/index.md"});
        CHECK(scalar(index, "SELECT count(*) FROM fts") == 1);
        CHECK(scalar(index, "SELECT count(*) FROM files") == 1);
        for (const char* table :
             {"doc_people", "tags", "actions", "decisions", "mentions", "links", "attachments"}) {
            CAPTURE(table);
            CHECK(scalar(index, std::string{"SELECT count(*) FROM "} + table) == 0);
        }
        CHECK(async::list_actions(index, async::ActionFilter{}).empty());
        CHECK(search_paths(index, "intro").empty());
    }

    SUBCASE("a moved bundle keeps its id under the new path") {
        f.write(a, doc("abcd0001", "Alpha", "", body));
        Index index{f.ws};
        REQUIRE(index.refresh().parsed == 1);
        fs::rename(f.tmp / "docs/2026-11-01-a", f.tmp / "docs/2026-11-09-renamed");
        RefreshStats stats = index.refresh();
        CHECK(stats.removed == 1);
        CHECK(stats.parsed == 1);
        CHECK(all_doc_paths(index) == Strings{"docs/2026-11-09-renamed/index.md"});
        auto moved = async::resolve_ref(index, "abcd0001", f.tmp.path());
        CHECK(moved.id == "abcd0001");
        CHECK(moved.path == "docs/2026-11-09-renamed/index.md");
        CHECK(scalar(index, "SELECT count(*) FROM actions") == 1);
        CHECK(column(index, "SELECT path FROM files") ==
              Strings{"docs/2026-11-09-renamed/index.md"});
    }

    SUBCASE("RefreshMode::full re-parses every file") {
        f.write(a, doc("abcd0001", "Alpha", "", body));
        f.write("docs/2026-11-02-b/index.md", doc("abcd0002", "Beta"));
        Index index{f.ws};
        REQUIRE(index.refresh().parsed == 2);
        RefreshStats stats = index.refresh(RefreshMode::full);
        CHECK(stats.scanned == 2);
        CHECK(stats.parsed == 2);
        CHECK(stats.removed == 0);
        CHECK(scalar(index, "SELECT count(*) FROM docs") == 2);
        CHECK(scalar(index, "SELECT count(*) FROM fts") == 2);
        CHECK(scalar(index, "SELECT count(*) FROM actions") == 1);
        CHECK(index.refresh().parsed == 0);
    }

    SUBCASE("progress is reported once the changed files are done") {
        for (int i = 1; i <= 3; ++i) {
            f.write("docs/2026-11-0" + std::to_string(i) + "-d/index.md",
                    doc("abcd000" + std::to_string(i), "D"));
        }
        Index index{f.ws};
        std::vector<std::pair<std::size_t, std::size_t>> calls;
        index.refresh(RefreshMode::incremental, [&](std::size_t done, std::size_t total) {
            calls.emplace_back(done, total);
        });
        CHECK(calls == std::vector<std::pair<std::size_t, std::size_t>>{{3, 3}});
        calls.clear();
        index.refresh(RefreshMode::incremental, [&](std::size_t done, std::size_t total) {
            calls.emplace_back(done, total);
        });
        CHECK(calls.empty());
    }

    SUBCASE("only .md files in the four sections are indexed") {
        f.write("README.md", doc("abcd0001", "Readme"));
        f.write("notes/x.md", doc("abcd0002", "Notes"));
        f.write("docs/2026-11-01-a/index.txt", doc("abcd0003", "Text"));
        f.write("docs/.hidden/index.md", doc("abcd0004", "Hidden"));
        f.write("docs/2026-11-01-a/index.md", doc("abcd0005", "Doc"));
        f.write("meetings/2026-11-01-m/index.md", doc("abcd0006", "Meeting"));
        f.write("checkins/2026-W45/alice.md", doc("abcd0007", "Checkin"));
        f.write("people/alice.md", doc("abcd0008", "Item"));
        Index index{f.ws};
        RefreshStats stats = index.refresh();
        CHECK(stats.scanned == 4);
        CHECK(stats.parsed == 4);
        CHECK(column(index, "SELECT path || ' ' || type FROM docs ORDER BY path") ==
              Strings{"checkins/2026-W45/alice.md checkin", "docs/2026-11-01-a/index.md doc",
                      "meetings/2026-11-01-m/index.md meeting", "people/alice.md item"});
    }

    SUBCASE("folder symlinks are not followed, file symlinks are") {
        f.write("outside/target.md", doc("abcd0001", "Linked"));
        fs::create_directories(f.tmp / "docs/2026-11-01-a");
        fs::create_directory_symlink(f.tmp / "docs", f.tmp / "docs/2026-11-01-a/loop");
        fs::create_symlink(f.tmp / "outside/target.md", f.tmp / "docs/2026-11-01-a/index.md");
        Index index{f.ws};
        RefreshStats stats = index.refresh();
        CHECK(stats.scanned == 1);
        CHECK(stats.problems.empty());
        CHECK(all_doc_paths(index) == Strings{"docs/2026-11-01-a/index.md"});
    }
}

TEST_CASE("index::refresh bad files") {
    Fixture f;
    const std::string big_path = "docs/d-big/index.md";
    f.write("docs/a-nofm/index.md", "+++\nJust text, front matter not closed.\n");
    f.write("docs/b-toml/index.md", "+++\nid = \"abcd0002\"\ntitle = oops\n+++\nBody.\n");
    f.write("docs/c-nul/index.md", "+++\nid = \"abcd0003\"\n+++\nab\0c\n"s);
    f.write(big_path, doc("abcd0004", "Big", "", std::string(5 * 1024 * 1024, 'x') + "\n"));
    fs::create_directories(f.tmp / "docs/e-loop");
    fs::create_symlink("index.md", f.tmp / "docs/e-loop/index.md");
    f.write("docs/f-utf8/index.md", "+++\nid = \"abcd0006\"\ntitle = \"caf\xe9\"\n+++\n");
    f.write("docs/g-good/index.md", doc("abcd0007", "Good"));
    const Strings expected_problems{
        "docs/a-nofm/index.md:1:1: front matter is not closed (no second '+++' line)",
        "docs/b-toml/index.md:3:9: invalid TOML in value: could not determine value type",
        "docs/c-nul/index.md:4:3: NUL byte in file",
        "docs/d-big/index.md: file is too large (5 MiB; the limit is 4 MiB)",
        "docs/e-loop/index.md: symbolic link loop",
        "docs/f-utf8/index.md:3:13: invalid UTF-8",
    };

    Index index{f.ws};
    RefreshStats stats = index.refresh();
    CHECK(stats.scanned == 7);
    CHECK(stats.parsed == 1);
    CHECK(stats.problems == expected_problems);
    CHECK(all_doc_paths(index) == Strings{"docs/g-good/index.md"});

    SUBCASE("reported once") {
        RefreshStats again = index.refresh();
        CHECK(again.parsed == 0);
        CHECK(again.problems.empty());
        CHECK(index.check().empty());
    }

    SUBCASE("reported again by a full refresh") {
        RefreshStats full = index.refresh(RefreshMode::full);
        CHECK(full.parsed == 1);
        CHECK(full.problems == expected_problems);
        CHECK(all_doc_paths(index) == Strings{"docs/g-good/index.md"});
    }

    SUBCASE("a bad file fixed later is indexed") {
        f.rewrite("docs/b-toml/index.md", doc("abcd0002", "Fixed"));
        fs::remove(f.tmp / "docs/e-loop/index.md");
        f.write("docs/e-loop/index.md", doc("abcd0005", "Loop fixed"));
        RefreshStats fixed = index.refresh();
        CHECK(fixed.parsed == 2);
        CHECK(fixed.problems.empty());
        CHECK(all_doc_paths(index) ==
              Strings{"docs/b-toml/index.md", "docs/g-good/index.md", "docs/e-loop/index.md"});
        CHECK(index.check().empty());
    }

    SUBCASE("a good file broken later leaves the index") {
        f.rewrite("docs/g-good/index.md", "+++\nid = \"abcd0007\"\n");
        RefreshStats broken = index.refresh();
        CHECK(broken.parsed == 0);
        CHECK(
            broken.problems ==
            Strings{"docs/g-good/index.md:1:1: front matter is not closed (no second '+++' line)"});
        CHECK(all_doc_paths(index).empty());
        CHECK(scalar(index, "SELECT count(*) FROM fts") == 0);
    }

    SUBCASE("exactly 4 MiB is accepted, one byte more is not") {
        std::string head = doc("abcd0004", "Big", "", "");
        std::string exact = head + std::string(4 * 1024 * 1024 - head.size() - 1, 'x') + "\n";
        REQUIRE(exact.size() == 4 * 1024 * 1024);
        f.rewrite(big_path, exact);
        RefreshStats at_limit = index.refresh();
        CHECK(at_limit.parsed == 1);
        CHECK(at_limit.problems.empty());
        CHECK(column(index, "SELECT title FROM docs ORDER BY path") == Strings{"Big", "Good"});
        f.rewrite(big_path, exact + "x");
        RefreshStats over = index.refresh();
        CHECK(over.parsed == 0);
        CHECK(over.problems ==
              Strings{"docs/d-big/index.md: file is too large (4 MiB; the limit is 4 MiB)"});
        CHECK(column(index, "SELECT title FROM docs ORDER BY path") == Strings{"Good"});
    }
}

TEST_CASE("index::refresh transcripts") {
    Fixture f;
    const std::string bundle = "docs/2026-11-01-call";
    const std::string vtt =
        "WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.500\nThe zebrafish migration\n\n"
        "2\n00:00:02.500 --> 00:00:04.000\nstarts on Monday\n";
    f.write(bundle + "/index.md", doc("abcd0001", "Call notes", "", "Short.\n"));
    f.write(bundle + "/attachments/call.ogg", "OggS fake audio");

    SUBCASE("a .vtt beside a recording is searchable until it is removed") {
        f.write(bundle + "/attachments/call.vtt", vtt);
        Index index{f.ws};
        RefreshStats stats = index.refresh();
        CHECK(stats.scanned == 2); // index.md and call.vtt; the audio is not read
        CHECK(stats.parsed == 2);
        CHECK(search_paths(index, "zebrafish") == Strings{bundle + "/index.md"});
        CHECK(search_paths(index, "\"starts on monday\"") == Strings{bundle + "/index.md"});
        // Cue numbers and timings are not words of the transcript.
        CHECK(search_paths(index, "500").empty());
        CHECK(search_paths(index, "webvtt").empty());
        CHECK(column(index, "SELECT text FROM transcripts") ==
              Strings{"The zebrafish migration\nstarts on Monday\n"});

        fs::remove(f.tmp / (bundle + "/attachments/call.vtt"));
        RefreshStats after = index.refresh();
        CHECK(after.removed == 1);
        CHECK(after.parsed == 0);
        CHECK(search_paths(index, "zebrafish").empty());
        CHECK(search_paths(index, "short") == Strings{bundle + "/index.md"});
        CHECK(scalar(index, "SELECT count(*) FROM transcripts") == 0);
    }

    SUBCASE("a transcript added after its document is indexed joins it") {
        Index index{f.ws};
        REQUIRE(index.refresh().parsed == 1);
        f.write(bundle + "/attachments/call.vtt", vtt);
        RefreshStats stats = index.refresh();
        CHECK(stats.parsed == 1);
        CHECK(search_paths(index, "zebrafish") == Strings{bundle + "/index.md"});
        // Editing the document keeps the transcript's words.
        f.rewrite(bundle + "/index.md", doc("abcd0001", "Call notes, edited", "", "Longer now.\n"));
        CHECK(index.refresh().parsed == 1);
        CHECK(search_paths(index, "zebrafish") == Strings{bundle + "/index.md"});
        // A full refresh too.
        CHECK(index.refresh(RefreshMode::full).parsed == 2);
        CHECK(search_paths(index, "zebrafish") == Strings{bundle + "/index.md"});
    }

    SUBCASE("a moved bundle takes its transcript along") {
        f.write(bundle + "/attachments/call.vtt", vtt);
        Index index{f.ws};
        REQUIRE(index.refresh().parsed == 2);
        fs::rename(f.tmp / bundle, f.tmp / "docs/2026-11-02-call");
        RefreshStats stats = index.refresh();
        CHECK(stats.removed == 2);
        CHECK(stats.parsed == 2);
        CHECK(search_paths(index, "zebrafish") == Strings{"docs/2026-11-02-call/index.md"});
        CHECK(column(index, "SELECT path FROM transcripts") ==
              Strings{"docs/2026-11-02-call/attachments/call.vtt"});
    }

    SUBCASE("a .txt counts only beside a recording") {
        f.write(bundle + "/attachments/call.txt", "okapi herd\n");
        f.write(bundle + "/attachments/notes.txt", "narwhal pod\n");
        Index index{f.ws};
        RefreshStats stats = index.refresh();
        CHECK(stats.scanned == 2);
        CHECK(search_paths(index, "okapi") == Strings{bundle + "/index.md"});
        CHECK(search_paths(index, "narwhal").empty());
    }

    SUBCASE("a transcript with invalid UTF-8 is a problem") {
        f.write(bundle + "/attachments/call.vtt", "WEBVTT\n\nbad \xff byte\n");
        Index index{f.ws};
        RefreshStats stats = index.refresh();
        CHECK(stats.parsed == 1);
        CHECK(stats.problems ==
              Strings{bundle + "/attachments/call.vtt: invalid UTF-8 at byte 12"});
        CHECK(search_paths(index, "bad").empty());
    }
}

TEST_CASE("index::check") {
    Fixture f;
    const std::string a = "docs/2026-11-01-a/index.md";
    const std::string b = "docs/2026-11-02-b/index.md";
    f.write(a, doc("abcd0001", "Alpha"));
    f.write(b, doc("abcd0002", "Beta"));
    Index index{f.ws};

    SUBCASE("everything is missing before the first refresh") {
        CHECK(index.check() == Strings{a + ": not in the index", b + ": not in the index"});
    }

    REQUIRE(index.refresh().parsed == 2);
    CHECK(index.check().empty());

    SUBCASE("a file changed after the refresh") {
        fs::last_write_time(f.tmp / a, fs::last_write_time(f.tmp / a) + 5s);
        CHECK(index.check() == Strings{a + ": changed since it was indexed"});
        CHECK(index.check() ==
              Strings{a + ": changed since it was indexed"}); // check changes nothing
        index.refresh();
        CHECK(index.check().empty());
    }

    SUBCASE("a file deleted") {
        fs::remove(f.tmp / b);
        Strings found = index.check();
        CHECK(found.size() >= 1);
        CHECK(found.front() == b + ": in the index but not on disk");
        CHECK(found == Strings{b + ": in the index but not on disk"});
        index.refresh();
        CHECK(index.check().empty());
    }

    SUBCASE("a file added") {
        f.write("meetings/2026-11-03-m/index.md", doc("abcd0003", "Meeting"));
        CHECK(index.check() == Strings{"meetings/2026-11-03-m/index.md: not in the index"});
        index.refresh();
        CHECK(index.check().empty());
    }

    SUBCASE("an edit that kept size and mtime") {
        auto mtime = fs::last_write_time(f.tmp / a);
        async::write_file_atomic(f.tmp / a, doc("abcd0001", "Alphz"));
        fs::last_write_time(f.tmp / a, mtime);
        CHECK(index.refresh().parsed == 0); // refresh trusts size and mtime
        CHECK(index.check() == Strings{a + ": the index disagrees with the file"});
        index.refresh(RefreshMode::full);
        CHECK(index.check().empty());
    }

    SUBCASE("an indexed file that became invalid without a size or mtime change") {
        auto mtime = fs::last_write_time(f.tmp / a);
        std::string broken = doc("abcd0001", "Alpha");
        broken[broken.find('=')] = '#'; // id # "abcd0001": invalid TOML, the same size
        async::write_file_atomic(f.tmp / a, broken);
        fs::last_write_time(f.tmp / a, mtime);
        CHECK(index.check() == Strings{a + ": indexed but no longer valid"});
    }
}

TEST_CASE("index::refresh extraction") {
    Fixture f;
    const std::string a = "docs/2026-11-01-a/index.md";
    // Lines of the file:         1..6 front matter, 7 blank, 8 "Intro.", ...
    const std::string text = "+++\n"                               // 1
                             "id = \"abcd0001\"\n"                 // 2
                             "title = \"Plan\"\n"                  // 3
                             "author = \"Alice\"\n"                // 4
                             "created = 2026-11-01T10:00:00Z\n"    // 5
                             "+++\n"                               // 6
                             "\n"                                  // 7
                             "Intro.\n"                            // 8
                             "\n"                                  // 9
                             "- [ ] write the summary\n"           // 10
                             "- [x] @Bob ship it due:2026-12-01\n" // 11
                             "\n"                                  // 12
                             "```\n"                               // 13
                             "- [ ] @carol hidden in code\n"       // 14
                             "Decision: hidden too\n"              // 15
                             "```\n"                               // 16
                             "\n"                                  // 17
                             "Decision: ship on Friday\n"          // 18
                             "\n"                                  // 19
                             "## Decisions\n"                      // 20
                             "\n"                                  // 21
                             "- keep the name\n";                  // 22
    // Each action's handle: the first 7 hex digits of the 64-bit FNV-1a hash of "<document
    // id>\n<raw text>\n<occurrence>", computed here on its own. The offset basis is not FNV's
    // published one (it lacks its last digit), and handles have always been made with it: they
    // are in people's state files and scripts, so it stays.
    auto handle = [](std::string_view key) {
        std::uint64_t h = 1469598103934665603ULL;
        for (unsigned char c : key) {
            h = (h ^ c) * 1099511628211ULL;
        }
        char hex[17];
        std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
        return std::string{hex, 7};
    };
    const Strings expected_actions{"10|alice|NULL|0|write the summary|" + handle("abcd0001\nwrite the summary\n1"),
                                   "11|bob|2026-12-01|1|ship it|" + handle("abcd0001\n@Bob ship it due:2026-12-01\n1")};
    const Strings expected_decisions{"18|ship on Friday", "22|keep the name"};
    const std::string actions_sql = "SELECT line || '|' || owner || '|' || ifnull(due, 'NULL') || "
                                    "'|' || done || '|' || text || '|' || handle "
                                    "FROM actions ORDER BY line";
    const std::string decisions_sql = "SELECT line || '|' || text FROM decisions ORDER BY line";

    SUBCASE("LF") {
        f.write(a, text);
    }
    SUBCASE("CRLF") {
        std::string crlf;
        for (char c : text) {
            crlf += c == '\n' ? std::string{"\r\n"} : std::string(1, c);
        }
        f.write(a, crlf);
    }
    SUBCASE("UTF-8 BOM") {
        f.write(a, "\xEF\xBB\xBF" + text);
    }
    Index index{f.ws};
    REQUIRE(index.refresh().parsed == 1);
    CHECK(column(index, actions_sql) == expected_actions);
    CHECK(column(index, decisions_sql) == expected_decisions);
    CHECK(scalar(index, "SELECT body_line FROM docs") == 7);
    CHECK(column(index, "SELECT handle FROM mentions") == Strings{"bob"});
}

TEST_CASE("index::refresh front matter") {
    Fixture f;
    f.write("docs/2026-11-01-a/index.md",
            doc("abcd0001", "Plan",
                "author = \"alice\"\nstatus = \"open\"\ncreated = 2026-11-01T10:00:00Z\n"
                "due = 2026-11-28T17:00:00Z\ntags = [\"pricing\", \"web\"]\nreviewers = [\"Bob\", "
                "\"carol\"]\n"
                "participants = [\"dave\"]\n",
                "See #abcd0002, [the plan](attachments/plan.pdf) and ![x](attachments/x.png).\n"));
    f.write("docs/2026-11-01-a/replies/bob.md", doc("abcd0002", "", "author = \"bob\"\n"));
    f.write("meetings/2026-11-03-m/summary.md", doc("abcd0003", "Summary"));
    f.write("meetings/2026-11-03-m/responses/carol.md", doc("abcd0004", "Response"));
    f.write("checkins/2026-W45/alice.md", doc("abcd0005", "Week", "week = \"2026-W45\"\n"));
    Index index{f.ws};
    REQUIRE(index.refresh().parsed == 5);
    CHECK(
        column(index, "SELECT path || '|' || type || '|' || bundle || '|' || ifnull(parent, "
                      "'NULL') || '|' || week "
                      "FROM docs ORDER BY path") ==
        Strings{
            "checkins/2026-W45/alice.md|checkin|checkins/2026-W45|NULL|2026-W45",
            "docs/2026-11-01-a/index.md|doc|docs/2026-11-01-a|NULL|",
            "docs/2026-11-01-a/replies/bob.md|reply|docs/2026-11-01-a|docs/2026-11-01-a/index.md|",
            "meetings/2026-11-03-m/responses/carol.md|response|meetings/2026-11-03-m|meetings/"
            "2026-11-03-m/index.md|",
            "meetings/2026-11-03-m/summary.md|summary|meetings/2026-11-03-m|meetings/2026-11-03-m/"
            "index.md|"});
    CHECK(column(index, "SELECT created || ' ' || due FROM docs WHERE id = 'abcd0001'") ==
          Strings{"1793527200 1795885200"});
    CHECK(column(index, "SELECT tag FROM tags ORDER BY rowid") == Strings{"pricing", "web"});
    CHECK(column(index, "SELECT role || ':' || handle FROM doc_people ORDER BY rowid") ==
          Strings{"reviewers:bob", "reviewers:carol", "participants:dave"});
    CHECK(column(index, "SELECT target FROM links") == Strings{"abcd0002"});
    CHECK(column(index, "SELECT path FROM attachments ORDER BY rowid") ==
          Strings{"attachments/plan.pdf", "attachments/x.png"});
}

TEST_CASE("index::Index damaged") {
    Fixture f;
    const fs::path db_file = f.ws.index_file();

    SUBCASE("a folder where the index file goes is a data error") {
        fs::create_directories(db_file / "keep");
        auto e = async_test::error_of([&] { Index index{f.ws}; });
        CHECK(e.kind() == async::ErrorKind::data);
        CHECK(std::string{e.what()}.starts_with("cannot open the index '" + db_file.string() +
                                                "': "));
        CHECK(e.hint() == "delete it; the next command rebuilds it from the files");
    }

    SUBCASE("an index damaged behind an intact header and schema") {
        for (int i = 0; i < 20; ++i) {
            f.write("docs/2026-11-01-a" + std::to_string(i) + "/index.md",
                    doc("abcd" + std::to_string(1000 + i), "Alpha " + std::to_string(i), "",
                        std::string(3000, static_cast<char>('a' + i)) + "\n"));
        }
        {
            Index index{f.ws};
            REQUIRE(index.refresh().parsed == 20);
            db_of(index).exec("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        std::string content = async::read_file(db_file);
        REQUIRE(content.size() > 16384);
        for (std::size_t i = 8192; i < content.size(); ++i) {
            content[i] = static_cast<char>(i * 7);
        }
        async::write_file_atomic(db_file, content);
        // A full refresh rebuilds the index from the files without reading the damaged one.
        // An incremental refresh reads only the file table; the damage elsewhere is found by the
        // first query, which rebuilds the index once (on_repair hears of it) and asks again.
        // checked reads every page first.
        for (RefreshMode mode : {RefreshMode::full, RefreshMode::incremental, RefreshMode::checked}) {
            CAPTURE(static_cast<int>(mode));
            async::write_file_atomic(db_file, content);
            for (const char* suffix : {"-wal", "-shm"}) {
                fs::remove(db_file.string() + suffix);
            }
            std::string error;
            std::size_t listed = 0;
            std::vector<std::string> repairs;
            try {
                Index index{f.ws};
                index.on_repair([&](const RefreshStats& stats) { repairs.push_back(stats.rebuilt_because); });
                try {
                    index.refresh(mode);
                } catch (const async::Error& e) {
                    CHECK(e.kind() ==
                          async::ErrorKind::data); // the documented kind, when it throws
                    throw;
                }
                listed = all_doc_paths(index).size();
                (void)async::search(index, "alpha", async::SearchFilter{});
            } catch (const std::exception& e) {
                error = e.what();
            }
            CHECK(error == "");
            CHECK(listed == 20);
            // Where the incremental refresh itself met the damage, its stats said so instead.
            CHECK(repairs.size() <= (mode == RefreshMode::incremental ? 1U : 0U));
            for (const auto& why : repairs) {
                CHECK(why == async::k_index_damaged_notice);
            }
        }
        CHECK(Index::check(f.ws).empty());
    }

    SUBCASE("--check reports damage and leaves the file as it is") {
        f.write("docs/2026-11-01-a/index.md", doc("abcd0001", "Alpha"));
        {
            Index index{f.ws};
            REQUIRE(index.refresh().parsed == 1);
            db_of(index).exec("DROP TABLE tags");
        }
        std::string before = async::read_file(db_file);
        CHECK(Index::check(f.ws) ==
              Strings{".async/index.db: the index is damaged (the table or index 'tags' is missing)"});
        CHECK(async::read_file(db_file) == before);
        Index index{f.ws};
        CHECK(index.refresh().rebuilt_because == async::k_index_damaged_notice);
        CHECK(Index::check(f.ws).empty());
    }
}

TEST_CASE("index::refresh concurrent") {
    Fixture f;
    f.write("docs/2026-11-01-a/index.md", doc("abcd0001", "Alpha"));
    Index first{f.ws};
    Index second{f.ws};
    CHECK(first.refresh().parsed == 1);
    RefreshStats stats = second.refresh();
    CHECK(stats.parsed == 0);
    CHECK(stats.problems.empty());
    CHECK(all_doc_paths(second) == Strings{"docs/2026-11-01-a/index.md"});
}

TEST_CASE("index::refresh special files") {
    Fixture f;
    fs::create_directories(f.tmp / "docs/2026-11-01-a");
    REQUIRE(::mkfifo((f.tmp / "docs/2026-11-01-a/index.md").c_str(), 0600) == 0);
    fs::create_symlink(f.tmp / "docs/missing.md", f.tmp / "docs/2026-11-01-a/broken.md");
    Index index{f.ws};
    RefreshStats stats = index.refresh(); // never opens the FIFO (would block)
    CHECK(stats.scanned == 1);
    CHECK(stats.problems == Strings{"docs/2026-11-01-a/broken.md: No such file or directory"});
    CHECK(all_doc_paths(index).empty());
}

TEST_CASE("index::refresh documents outside a bundle") {
    Fixture f;
    f.write("docs/loose.md", doc("abcd0001", "Loose"));
    f.write("docs/2026-11-01-a/index.md", doc("abcd0002", "Bundled"));
    Index index{f.ws};
    REQUIRE(index.refresh().parsed == 2);
    CHECK(column(index, "SELECT type FROM docs WHERE path = 'docs/loose.md'") == Strings{"doc"});
    // A document outside a bundle has no parent and is listed like any other.
    CHECK(column(index, "SELECT ifnull(parent, 'NULL') FROM docs WHERE path = 'docs/loose.md'") ==
          Strings{"NULL"});
    CHECK(paths_of(async::list_documents(index, async::ListFilter{})).size() == 2);
}

namespace {

// Stores every folder's current ctime and inode in the index, as a refresh would once the
// folders are a few seconds old (folders changed just before a refresh are stored as unknown,
// so a change within the same clock tick is never missed).
void settle_folders(Index& index, const fs::path& root) {
    SQLite::Statement st{db_of(index), "SELECT path FROM dirs"};
    Strings paths;
    while (st.executeStep()) {
        paths.push_back(st.getColumn(0).getString());
    }
    for (const auto& path : paths) {
        struct stat s {};
        REQUIRE(::stat((root / path).c_str(), &s) == 0);
        SQLite::Statement up{db_of(index), "UPDATE dirs SET ctime = ?, ino = ? WHERE path = ?"};
        up.bind(1, static_cast<std::int64_t>(s.st_ctim.tv_sec) * 1000000000 + s.st_ctim.tv_nsec);
        up.bind(2, static_cast<std::int64_t>(s.st_ino));
        up.bind(3, path);
        up.exec();
    }
}

} // namespace

TEST_CASE("index::refresh unchanged folders") {
    Fixture f;
    const std::string a = "docs/2026-11-01-a/index.md";
    f.write(a, doc("abcd0001", "Alpha"));
    f.write("docs/2026-11-02-b/index.md", doc("abcd0002", "Beta"));
    Index index{f.ws};
    REQUIRE(index.refresh().parsed == 2);
    CHECK(column(index, "SELECT path FROM dirs WHERE path LIKE 'docs%' ORDER BY path") ==
          Strings{"docs", "docs/2026-11-01-a", "docs/2026-11-02-b"});
    // Just written: stored as unknown, so listed again by the next refresh.
    CHECK(scalar(index, "SELECT count(*) FROM dirs WHERE ctime <> 0") == 0);
    settle_folders(index, f.tmp.path());
    REQUIRE(index.refresh().parsed == 0);

    SUBCASE("a file modified in place (its folder unchanged) is re-parsed") {
        struct stat before {};
        REQUIRE(::stat((f.tmp / "docs/2026-11-01-a").c_str(), &before) == 0);
        {
            std::ofstream out{f.tmp / a, std::ios::app};
            out << "Appended in place.\n";
        }
        struct stat after {};
        REQUIRE(::stat((f.tmp / "docs/2026-11-01-a").c_str(), &after) == 0);
        REQUIRE(after.st_ctim.tv_nsec == before.st_ctim.tv_nsec);
        CHECK(index.refresh().parsed == 1);
        CHECK(search_paths(index, "appended") == Strings{a});
        CHECK(index.check().empty());
    }

    SUBCASE("a file added to a known folder is found") {
        f.write("docs/2026-11-01-a/replies/20261102T100000Z-bob.md", doc("abcd0003", "Re: Alpha"));
        RefreshStats stats = index.refresh();
        CHECK(stats.parsed == 1);
        CHECK(stats.scanned == 3);
        CHECK(index.check().empty());
        CHECK(column(index, "SELECT path FROM dirs WHERE path LIKE 'docs%' ORDER BY path") ==
              Strings{"docs", "docs/2026-11-01-a", "docs/2026-11-01-a/replies", "docs/2026-11-02-b"});
    }

    SUBCASE("a file deleted from a known folder leaves") {
        fs::remove(f.tmp / a);
        RefreshStats stats = index.refresh();
        CHECK(stats.removed == 1);
        CHECK(all_doc_paths(index) == Strings{"docs/2026-11-02-b/index.md"});
        CHECK(index.check().empty());
    }

    SUBCASE("a deleted folder takes its files and folder rows along") {
        fs::remove_all(f.tmp / "docs/2026-11-01-a");
        RefreshStats stats = index.refresh();
        CHECK(stats.removed == 1);
        CHECK(column(index, "SELECT path FROM dirs WHERE path LIKE 'docs%' ORDER BY path") ==
              Strings{"docs", "docs/2026-11-02-b"});
        CHECK(index.check().empty());
    }

    SUBCASE("a folder replaced by a symlink to it is no longer walked") {
        fs::rename(f.tmp / "docs/2026-11-02-b", f.tmp / "outside-b");
        fs::create_directory_symlink(f.tmp / "outside-b", f.tmp / "docs/2026-11-02-b");
        CHECK(index.refresh().removed == 1);
        CHECK(all_doc_paths(index) == Strings{a});
        CHECK(index.check().empty());
    }

    SUBCASE("a folder whose ctime is unchanged is not listed again") {
        // Proves the shortcut is taken: a file slipped in behind a stored ctime stays unseen
        // (only --check and a full refresh, which list every folder, find it).
        f.write("docs/2026-11-02-b/other.md", doc("abcd0004", "Sneaky"));
        settle_folders(index, f.tmp.path());
        CHECK(index.refresh().parsed == 0);
        CHECK(index.check() == Strings{"docs/2026-11-02-b/other.md: not in the index"});
        CHECK(index.refresh(RefreshMode::full).parsed == 3);
        CHECK(index.check().empty());
    }

    SUBCASE("a no-op refresh writes nothing") {
        Index other{f.ws};
        std::int64_t version = scalar(other, "PRAGMA data_version");
        CHECK(index.refresh().parsed == 0);
        CHECK(scalar(other, "PRAGMA data_version") == version);
    }
}

TEST_CASE("index::refresh full builds a new file") {
    Fixture f;
    for (int i = 0; i < 5; ++i) {
        f.write("docs/2026-11-0" + std::to_string(i + 1) + "-d/index.md",
                doc("abcd000" + std::to_string(i), "Doc " + std::to_string(i)));
    }
    const fs::path db_file = f.ws.index_file();
    auto inode = [&] {
        struct stat s {};
        REQUIRE(::stat(db_file.c_str(), &s) == 0);
        return s.st_ino;
    };
    auto leftovers = [&] {
        Strings out;
        for (const auto& e : fs::directory_iterator(db_file.parent_path())) {
            if (e.path().filename().string().starts_with("index.db.new")) {
                out.push_back(e.path().filename().string());
            }
        }
        return out;
    };

    SUBCASE("alone, the new file is renamed over the old one") {
        Index index{f.ws};
        REQUIRE(index.refresh().parsed == 5);
        auto before = inode();
        RefreshStats stats = index.refresh(RefreshMode::full);
        CHECK(stats.parsed == 5);
        CHECK(inode() != before);
        CHECK(db_of(index).execAndGet("PRAGMA journal_mode").getString() == "wal");
        CHECK(scalar(index, "PRAGMA user_version") == async::k_index_schema_version);
        CHECK(scalar(index, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'docs_id'") == 1);
        CHECK(index.check().empty());
        CHECK(leftovers().empty());
        CHECK(index.refresh().parsed == 0);
    }

    SUBCASE("while another connection reads, it is copied in and the reader goes on") {
        Index writer{f.ws};
        REQUIRE(writer.refresh().parsed == 5);
        Index reader{f.ws};
        auto before = inode();
        f.write("docs/2026-11-09-new/index.md", doc("abcd0009", "New"));
        SQLite::Transaction snapshot{db_of(reader)};
        SQLite::Statement st{db_of(reader), "SELECT path FROM docs ORDER BY path"};
        REQUIRE(st.executeStep());
        RefreshStats stats = writer.refresh(RefreshMode::full);
        CHECK(stats.parsed == 6);
        CHECK(inode() == before); // not replaced under the reader
        std::size_t rows = 1;
        while (st.executeStep()) {
            ++rows;
        }
        CHECK(rows == 5); // the reader's snapshot
        st.reset();
        snapshot.commit();
        CHECK(scalar(reader, "SELECT count(*) FROM docs") == 6);
        CHECK(writer.check().empty());
        CHECK(reader.check().empty());
        CHECK(leftovers().empty());
    }

    SUBCASE("what a killed rebuild left behind is removed, another's work is not") {
        // No process has a pid above the kernel's limit (at most 2^22).
        f.write(".async/index.db.new-999999999", "half-built");
        f.write(".async/index.db.new-999999999-wal", "half-built");
        f.write(".async/index.db.new-999999999-rows", "half-built");
        f.write(".async/index.db.new-1", "pid 1 is alive"); // init, never us
        Index index{f.ws};
        CHECK(index.refresh(RefreshMode::full).parsed == 5);
        CHECK(leftovers() == Strings{"index.db.new-1"});
    }

    SUBCASE("the first refresh of a new index builds it the same way") {
        Index index{f.ws};
        RefreshStats stats = index.refresh();
        CHECK(stats.parsed == 5);
        CHECK(stats.scanned == 5);
        CHECK(index.check().empty());
        CHECK(leftovers().empty());
        Index second{f.ws};
        CHECK(second.refresh().parsed == 0);
    }
}

TEST_CASE("index::refresh first refresh without files") {
    // init made the section folders; a first refresh that finds no file records them in the
    // index as it is, instead of building and swapping in a new file on every command.
    Fixture f;
    const fs::path db_file = f.ws.index_file();
    Index index{f.ws};
    struct stat before {};
    REQUIRE(::stat(db_file.c_str(), &before) == 0);
    RefreshStats stats = index.refresh();
    CHECK(stats.scanned == 0);
    CHECK(stats.parsed == 0);
    struct stat after {};
    REQUIRE(::stat(db_file.c_str(), &after) == 0);
    CHECK(after.st_ino == before.st_ino);
    CHECK(scalar(index, "SELECT count(*) FROM dirs WHERE path = 'docs'") == 1);
    for (const auto& e : fs::directory_iterator(db_file.parent_path())) {
        CHECK_FALSE(e.path().filename().string().starts_with("index.db.new"));
    }
    f.write("docs/2026-11-01-a/index.md", doc("abcd0001", "Alpha"));
    CHECK(index.refresh().parsed == 1);
    CHECK(all_doc_paths(index) == Strings{"docs/2026-11-01-a/index.md"});
    CHECK(index.check().empty());
}

TEST_CASE("index::refresh rows written in batches") {
    // Child rows go to the database 64 at a time: counts, order and values across the batch
    // boundaries, in a new index file and in an update of an existing one.
    Fixture f;
    auto body = [](int actions, const std::string& word) {
        std::string text = "## Decisions\n\n";
        for (int i = 0; i < 70; ++i) {
            text += "- choice " + std::to_string(i) + "\n";
        }
        text += "\n## Tasks\n\n";
        for (int i = 0; i < actions; ++i) {
            text += "- [ ] @p" + std::to_string(i) + " " + word + " " + std::to_string(i) + " due:2026-12-01\n";
        }
        return text;
    };
    std::string tags = "tags = [";
    for (int i = 0; i < 130; ++i) {
        tags += (i ? ", \"t" : "\"t") + std::to_string(i) + "\"";
    }
    tags += "]\n";
    const std::string a = "docs/2026-11-01-a/index.md";
    f.write(a, doc("abcd0001", "Alpha", tags, body(150, "ship")));
    for (int i = 2; i <= 9; ++i) {
        f.write("docs/2026-11-0" + std::to_string(i) + "-d/index.md",
                doc("abcd000" + std::to_string(i), "D", "tags = [\"x\"]\n", "- [ ] one\n"));
    }
    auto check_rows = [&](Index& index, int actions, const std::string& word) {
        std::string of_a = " WHERE doc = (SELECT rowid FROM docs WHERE path = '" + a + "')";
        CHECK(scalar(index, "SELECT count(*) FROM actions" + of_a) == actions);
        CHECK(scalar(index, "SELECT count(*) FROM tags" + of_a) == 130);
        CHECK(scalar(index, "SELECT count(*) FROM decisions" + of_a) == 70);
        CHECK(scalar(index, "SELECT count(*) FROM doc_people") == 0);
        CHECK(scalar(index, "SELECT count(*) FROM tags WHERE tag = 'x'") == 8);
        CHECK(scalar(index, "SELECT count(*) FROM actions") == actions + 8);
        Strings texts = column(index, "SELECT text FROM actions" + of_a + " ORDER BY rowid");
        REQUIRE(texts.size() == static_cast<std::size_t>(actions));
        for (int i = 0; i < actions; ++i) {
            CHECK(texts[static_cast<std::size_t>(i)] == word + " " + std::to_string(i));
        }
        CHECK(column(index, "SELECT owner || ' ' || due || ' ' || line FROM actions" + of_a +
                                " ORDER BY rowid LIMIT 1 OFFSET 64") == Strings{"p64 2026-12-01 145"});
        CHECK(column(index, "SELECT tag FROM tags" + of_a + " ORDER BY rowid LIMIT 2 OFFSET 63") ==
              Strings{"t63", "t64"});
        CHECK(column(index, "SELECT text FROM decisions" + of_a + " ORDER BY rowid LIMIT 1 OFFSET 69") ==
              Strings{"choice 69"});
        CHECK(scalar(index, "SELECT count(*) FROM files") == 9);
        CHECK(index.check().empty());
    };

    SUBCASE("a new index") {
        Index index{f.ws};
        CHECK(index.refresh().parsed == 9);
        check_rows(index, 150, "ship");
        CHECK(index.refresh(RefreshMode::full).parsed == 9);
        check_rows(index, 150, "ship");
    }
    SUBCASE("an update of an existing index") {
        Index index{f.ws};
        REQUIRE(index.refresh().parsed == 9);
        f.rewrite(a, doc("abcd0001", "Alpha", tags, body(100, "sail")));
        CHECK(index.refresh().parsed == 1);
        check_rows(index, 100, "sail");
    }
}

TEST_CASE("index::refresh progress of a full rebuild") {
    // The walk runs beside the parsing: the total is 0 until it is over, and the last call is
    // always (files, files).
    Fixture f;
    const std::size_t n = 600;
    for (std::size_t i = 0; i < n; ++i) {
        f.write("docs/2026-11-01-d" + std::to_string(i) + "/index.md", doc("d" + std::to_string(100000 + i), "D"));
    }
    Index index{f.ws};
    for (RefreshMode mode : {RefreshMode::incremental, RefreshMode::full}) {
        std::vector<std::pair<std::size_t, std::size_t>> calls;
        RefreshStats stats = index.refresh(mode, [&](std::size_t done, std::size_t total) {
            calls.emplace_back(done, total);
        });
        CHECK(stats.parsed == n);
        CHECK(stats.scanned == n);
        REQUIRE(calls.size() == 3);
        CHECK(calls[0].first == 256);
        CHECK((calls[0].second == 0 || calls[0].second == n));
        CHECK(calls[1].first == 512);
        CHECK(calls.back() == std::pair{n, n});
    }
}

TEST_CASE("index::refresh many files") {
    // Enough files and folders for the stat calls and the parsing to run on two threads.
    Fixture f;
    const int n = 1100;
    auto bundle = [](int i) { return "docs/2026-11-01-d" + std::to_string(i); };
    for (int i = 0; i < n; ++i) {
        fs::create_directories(f.tmp / bundle(i));
        std::ofstream out{f.tmp / (bundle(i) + "/index.md")};
        out << (i == 500 ? std::string{"+++\nfront matter not closed\n"}
                         : doc("d" + std::to_string(100000 + i), "Doc " + std::to_string(i), "",
                               "- [ ] @bob task " + std::to_string(i) + "\n"));
    }
    f.write(bundle(7) + "/attachments/call.ogg", "OggS");
    f.write(bundle(7) + "/attachments/call.vtt", "WEBVTT\n\nokapi\n");
    Index index{f.ws};
    RefreshStats first = index.refresh();
    CHECK(first.scanned == n + 1);
    CHECK(first.parsed == n);
    CHECK(first.problems.size() == 1);
    CHECK(scalar(index, "SELECT count(*) FROM docs") == n - 1);
    CHECK(scalar(index, "SELECT count(*) FROM actions") == n - 1);
    CHECK(column(index, "SELECT text FROM actions WHERE doc = (SELECT rowid FROM docs WHERE id = 'd100042')") ==
          Strings{"task 42"});
    CHECK(search_paths(index, "okapi") == Strings{bundle(7) + "/index.md"});
    CHECK(index.check().empty());

    settle_folders(index, f.tmp.path());
    // Changes at both ends of the sorted paths, so in the chunks of both stat threads.
    for (int i : {3, 999}) {
        std::ofstream out{f.tmp / (bundle(i) + "/index.md"), std::ios::app};
        out << "Appended.\n";
    }
    fs::remove(f.tmp / (bundle(4) + "/index.md"));
    f.write(bundle(5) + "/replies/20261102T100000Z-bob.md", doc("e1000001", "Reply"));
    RefreshStats second = index.refresh();
    CHECK(second.parsed == 3);
    CHECK(second.removed == 1);
    CHECK(second.scanned == n + 1);
    Strings appended = search_paths(index, "appended");
    std::sort(appended.begin(), appended.end());
    CHECK(appended == Strings{bundle(3) + "/index.md", bundle(999) + "/index.md"});
    CHECK(index.check().empty());
    CHECK(index.refresh().parsed == 0);
}

TEST_CASE("index::open_read_only") {
    Fixture f;
    fs::path db = f.ws.index_file();
    SUBCASE("no index: nullptr, and none is created") {
        CHECK(Index::open_read_only(f.ws) == nullptr);
        CHECK_FALSE(fs::exists(db));
        CHECK_FALSE(fs::exists(db.string() + ".lock"));
    }
    SUBCASE("the index as it is, never refreshed") {
        f.write("docs/a/index.md", doc("aaaa1111", "A"));
        {
            Index index{f.ws};
            index.refresh();
        }
        f.write("docs/b/index.md", doc("bbbb2222", "B"));
        auto index = Index::open_read_only(f.ws);
        REQUIRE(index != nullptr);
        CHECK(column(*index, "SELECT id FROM docs ORDER BY id") == Strings{"aaaa1111"});
        CHECK_THROWS(db_of(*index).exec("DELETE FROM docs"));
        CHECK(scalar(*index, "SELECT count(*) FROM docs") == 1);
    }
    SUBCASE("another schema version: nullptr, and the file is left alone") {
        {
            Index index{f.ws};
            db_of(index).exec("PRAGMA user_version = 99");
        }
        CHECK(Index::open_read_only(f.ws) == nullptr);
        SQLite::Database check{db.string(), SQLite::OPEN_READONLY};
        CHECK(check.execAndGet("PRAGMA user_version").getInt() == 99);
    }
    SUBCASE("not a database: nullptr") {
        f.write(".async/index.db", "not a database at all, not at all, not at all");
        CHECK(Index::open_read_only(f.ws) == nullptr);
        CHECK(async::read_file(db) == "not a database at all, not at all, not at all");
    }
}

TEST_CASE("index::update") {
    Fixture f;
    f.write("docs/a/index.md", doc("aaaa1111", "A"));
    Index index{f.ws};
    index.refresh();
    const auto ids = [&] { return column(index, "SELECT id FROM docs ORDER BY id"); };

    SUBCASE("a new file, by absolute or relative path; then an unchanged one costs nothing") {
        fs::path b = f.write("docs/b/index.md", doc("bbbb2222", "B"));
        RefreshStats stats = index.update({b});
        CHECK(stats.parsed == 1);
        CHECK(ids() == Strings{"aaaa1111", "bbbb2222"});
        CHECK(index.update({"docs/b/index.md"}).parsed == 0);
        CHECK(index.check().empty());
        // The next refresh lists docs/ (its ctime changed) and finds nothing left to parse.
        CHECK(index.refresh().parsed == 0);
    }
    SUBCASE("a changed file is parsed again, a gone one removed") {
        f.rewrite("docs/a/index.md", doc("aaaa1111", "A2"));
        CHECK(index.update({f.tmp / "docs/a/index.md"}).parsed == 1);
        CHECK(column(index, "SELECT title FROM docs") == Strings{"A2"});
        fs::remove(f.tmp / "docs/a/index.md");
        CHECK(index.update({f.tmp / "docs/a/index.md"}).removed == 1);
        CHECK(ids().empty());
        CHECK(scalar(index, "SELECT count(*) FROM files") == 0);
    }
    SUBCASE("a folder is listed with its attachments; files gone from it are removed") {
        f.write("meetings/m/index.md", doc("mmmm3333", "M"));
        f.write("meetings/m/attachments/sync.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\nzebrafish\n");
        f.write("meetings/m/attachments/notes.md", "not a document");
        CHECK(index.update({f.tmp / "meetings/m"}).parsed == 2);
        CHECK(column(index, "SELECT path FROM transcripts") == Strings{"meetings/m/attachments/sync.vtt"});
        CHECK(scalar(index, "SELECT count(*) FROM fts WHERE fts MATCH 'zebrafish'") == 1);
        CHECK(index.check().empty());
        fs::remove(f.tmp / "meetings/m/attachments/sync.vtt");
        CHECK(index.update({f.tmp / "meetings/m"}).removed == 1);
        CHECK(scalar(index, "SELECT count(*) FROM transcripts") == 0);
        CHECK(index.check().empty());
    }
    SUBCASE("paths outside the sections, hidden or not Markdown are ignored") {
        f.write("README.md", doc("rrrr4444", "R"));
        f.write("docs/.hidden.md", doc("hhhh5555", "H"));
        f.write("people/alice/state.toml", "x = 1\n");
        fs::path outside = f.tmp.path().parent_path() / "outside.md";
        CHECK(index.update({f.tmp / "README.md", f.tmp / "docs/.hidden.md", f.tmp / "people/alice/state.toml", outside,
                            f.tmp / "docs/../README.md"})
                  .parsed == 0);
        CHECK(ids() == Strings{"aaaa1111"});
    }
    SUBCASE("a bad file is a problem, like in a refresh") {
        fs::path bad = f.write("docs/c/index.md", "+++\nnot closed\n");
        RefreshStats stats = index.update({bad});
        REQUIRE(stats.problems.size() == 1);
        CHECK(stats.problems[0].starts_with("docs/c/index.md:"));
        CHECK(index.check().empty());
    }
    SUBCASE("another writer holding the index: Error{data} after a short wait, nothing lost") {
        fs::path b = f.write("docs/b/index.md", doc("bbbb2222", "B"));
        SQLite::Database other{f.ws.index_file().string(), SQLite::OPEN_READWRITE};
        other.exec("BEGIN IMMEDIATE");
        auto start = std::chrono::steady_clock::now();
        CHECK_THROWS_AS(index.update({b}), async::Error);
        CHECK(std::chrono::steady_clock::now() - start < 10s);
        other.exec("ROLLBACK");
        CHECK(index.refresh().parsed == 1);
        CHECK(ids() == Strings{"aaaa1111", "bbbb2222"});
    }
}

TEST_CASE("index::open_existing") {
    Fixture f;
    CHECK(Index::open_existing(f.ws) == nullptr);
    CHECK_FALSE(fs::exists(f.ws.index_file()));
    f.write("docs/a/index.md", doc("aaaa1111", "A"));
    {
        Index index{f.ws};
        index.refresh();
    }
    fs::path b = f.write("docs/b/index.md", doc("bbbb2222", "B"));
    auto index = Index::open_existing(f.ws);
    REQUIRE(index != nullptr);
    CHECK(index->update({b}).parsed == 1);
    CHECK(column(*index, "SELECT id FROM docs ORDER BY id") == Strings{"aaaa1111", "bbbb2222"});
    index.reset();
    {
        Index other{f.ws};
        db_of(other).exec("PRAGMA user_version = 99");
    }
    CHECK(Index::open_existing(f.ws) == nullptr);
}
