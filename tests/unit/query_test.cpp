#include <async/dates.hpp>
#include <async/error.hpp>
#include <async/index.hpp>
#include <async/due.hpp>
#include <async/query.hpp>
#include <async/workspace.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "string_maker.hpp"

namespace fs = std::filesystem;
using async::ErrorKind;
using async::Index;
using async::TimePoint;
using async_test::error_of;
using namespace std::chrono_literals;
using namespace std::string_literals;

namespace {

using Strings = std::vector<std::string>;

// Built without the code under test.
TimePoint utc(int y, unsigned m, unsigned d, int h = 0, int min = 0, int s = 0) {
    return TimePoint{std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} /
                                           std::chrono::day{d}}} +
           std::chrono::hours{h} + std::chrono::minutes{min} + std::chrono::seconds{s};
}

// A fresh workspace (async::init_workspace) in its own temp folder, and its index.
struct Fixture {
    async_test::TempDir tmp{"query"};
    async::Workspace ws{init(tmp.path())};

    static fs::path init(const fs::path& dir) {
        async::init_workspace(dir);
        return dir;
    }

    const fs::path& root() const { return tmp.path(); }

    void write(const std::string& rel, std::string_view content) const {
        async::write_file_atomic(tmp / rel, content);
    }

    // Rewrites rel and moves its mtime 10 s past the old one so refresh sees the change.
    void rewrite(const std::string& rel, std::string_view content) const {
        fs::path p = tmp / rel;
        auto before = fs::last_write_time(p);
        async::write_file_atomic(p, content);
        fs::last_write_time(p, before + 10s);
    }
};

std::string file(const std::string& front, const std::string& body = "Body.\n") {
    return "+++\n" + front + "+++\n" + body;
}

Strings paths_of(const std::vector<async::DocSummary>& docs) {
    Strings out;
    for (const auto& d : docs) {
        out.push_back(d.path);
    }
    return out;
}

const std::string k_alpha = "docs/2026-11-01-alpha/index.md";
const std::string k_alpha_bob = "docs/2026-11-01-alpha/replies/bob.md";
const std::string k_alpha_carol = "docs/2026-11-01-alpha/replies/carol.md";
const std::string k_beta = "docs/2026-11-05-beta/index.md";
const std::string k_gamma = "docs/2026-11-03-gamma/index.md";
const std::string k_sync = "meetings/2026-11-04-sync/index.md";
const std::string k_sync_summary = "meetings/2026-11-04-sync/summary.md";
const std::string k_sync_alice = "meetings/2026-11-04-sync/responses/alice.md";

// Documents of every kind for listing and resolving.
void seed_documents(const Fixture& f) {
    f.write(k_alpha,
            file("id = \"k3f9q2ma\"\ntitle = \"Alpha\"\nauthor = \"alice\"\n"
                 "created = 2026-11-01T10:00:00Z\nstatus = \"open\"\ndue = 2026-12-01T17:00:00Z\n"
                 "tags = [\"pricing\", \"web\"]\nreviewers = [\"bob\", \"carol\"]\nparticipants = "
                 "[\"dave\"]\n"));
    f.write(k_alpha_bob, file("id = \"r1000001\"\ntitle = \"Re: Alpha\"\nauthor = \"bob\"\n"
                              "created = 2026-11-02T09:00:00Z\n"));
    f.write(k_alpha_carol, file("id = \"r1000002\"\ntitle = \"\"\nauthor = \"carol\"\n"
                                "created = 2026-11-01T12:00:00Z\n"));
    f.write(k_beta,
            file("id = \"abcd1111\"\ntype = \"decision\"\ntitle = \"beta\"\nauthor = \"bob\"\n"
                 "created = 2026-11-05T08:00:00Z\nstatus = \"closed\"\ntags = [\"pricing\"]\n"));
    f.write(k_gamma,
            file("id = \"abcd2222\"\ntitle = \"Gamma\"\nauthor = \"alice\"\n"
                 "created = 2026-11-03T10:00:00Z\nstatus = \"draft\"\ndue = 2026-11-20T17:00:00Z\n"
                 "tags = [\"web\"]\n"));
    f.write(k_sync, file("id = \"m7tt0001\"\ntitle = \"Sync\"\nauthor = \"carol\"\n"
                         "created = 2026-11-04T15:00:00Z\nparticipants = [\"alice\", \"bob\"]\n"));
    f.write(k_sync_summary, file("id = \"s1000001\"\ntitle = \"Sync summary\"\nauthor = \"carol\"\n"
                                 "created = 2026-11-06T09:00:00Z\n"));
    f.write(k_sync_alice, file("id = \"p1000001\"\ntitle = \"\"\nauthor = \"alice\"\n"
                               "created = 2026-11-04T18:00:00Z\n"));
}

Strings listed(Index& index, const async::ListFilter& filter) {
    return paths_of(async::list_documents(index, filter));
}

const std::string k_search_hint =
    "search takes words, \"exact phrases\", OR between alternatives, -word to exclude, prefix*, and tag:, type:, author:, status:";

} // namespace

TEST_CASE("query::to_fts_query") {
    SUBCASE("translations") {
        const std::vector<std::pair<std::string, std::string>> cases{
            {"pricing", "(\"pricing\")"},
            {"  pricing\tpage\n", "(\"pricing\" AND \"page\")"},
            {"a b OR c", "(\"a\" AND (\"b\" OR \"c\"))"},
            {"a OR b c", "((\"a\" OR \"b\") AND \"c\")"},
            {"a OR b OR c", "((\"a\" OR \"b\" OR \"c\"))"},
            {"\"exact phrase\"", "(\"exact phrase\")"},
            {"\"exact phrase\" OR word", "((\"exact phrase\" OR \"word\"))"},
            {"\"a OR b\"", "(\"a OR b\")"},
            {"a -x", "(\"a\") NOT \"x\""},
            {"-x a", "(\"a\") NOT \"x\""},
            {"a -x b -y", "(\"a\" AND \"b\") NOT \"x\" NOT \"y\""},
            {"a -\"two words\"", "(\"a\") NOT \"two words\""},
            {"pre*", "(\"pre\"*)"},
            {"a -pre*", "(\"a\") NOT \"pre\"*"},
            {"a -OR", "(\"a\") NOT \"OR\""},
            {"\"OR\"", "(\"OR\")"},
            {"or and not near", "(\"or\" AND \"and\" AND \"not\" AND \"near\")"},
            {"AND NOT NEAR(x", "(\"AND\" AND \"NOT\" AND \"NEAR(x\")"},
            {"title:zebra a-b it's", "(\"title:zebra\" AND \"a-b\" AND \"it's\")"},
            // A quote ends a word and starts a phrase, so no quote reaches the inside of a term.
            {"say\"hi there\"", "(\"say\" AND \"hi there\")"},
            {"über café*", "(\"über\" AND \"café\"*)"},
        };
        for (const auto& [input, expected] : cases) {
            CAPTURE(input);
            CHECK(async::to_fts_query(input) == expected);
        }
    }

    SUBCASE("4096 bytes is the longest query") {
        CHECK(async::to_fts_query(std::string(4096, 'a')) ==
              "(\"" + std::string(4096, 'a') + "\")");
    }

    SUBCASE("malformed queries are usage errors") {
        const std::vector<std::pair<std::string, std::string>> cases{
            {"\"unterminated phrase", "unterminated quote in the search query"},
            {"a \"b", "unterminated quote in the search query"},
            {"OR", "OR needs a word on each side"},
            {"OR a", "OR needs a word on each side"},
            {"a OR", "OR needs a word on each side"},
            {"a OR OR b", "OR needs a word on each side"},
            {"a OR -b", "OR needs a word on each side"},
            {"-x", "a search needs at least one word to find, not only words to exclude"},
            {"-x -\"y z\"", "a search needs at least one word to find, not only words to exclude"},
            {"*", "'*' goes at the end of a word, as in pric*"},
            {"a*b", "'*' goes at the end of a word, as in pric*"},
            {"pre**", "'*' goes at the end of a word, as in pric*"},
            {"\"phrase\"*", "'*' goes at the end of a word, as in pric*"},
            {"", "empty search query"},
            {" \t\n ", "empty search query"},
            {"a -", "'-' must be followed by a word or a phrase to exclude"},
            {"a - b", "'-' must be followed by a word or a phrase to exclude"},
            {"a \"\"", "empty phrase \"\" in the search query"},
            {"a \"  \"", "empty phrase \"\" in the search query"},
            {std::string(4097, 'a'), "the search query is too long (over 4096 bytes)"},
            {"caf\xe9", "the search query is not valid UTF-8"},
            {"a\0b"s, "the search query is not valid UTF-8"},
        };
        for (const auto& [input, message] : cases) {
            CAPTURE(input);
            auto e = error_of([&] { async::to_fts_query(input); });
            CHECK(e.kind() == ErrorKind::usage);
            CHECK(std::string{e.what()} == message);
            CHECK(e.hint() == k_search_hint);
        }
    }

    SUBCASE("field terms") {
        auto q = async::parse_search_query("pricing tag:web -TAG:draft Type:decision author:Bob status:open");
        CHECK(q.fts == "(\"pricing\")");
        REQUIRE(q.fields.size() == 5);
        CHECK((q.fields[0].field == "tag" && q.fields[0].value == "web" && !q.fields[0].negated));
        CHECK((q.fields[1].field == "tag" && q.fields[1].value == "draft" && q.fields[1].negated));
        CHECK((q.fields[2].field == "type" && q.fields[2].value == "decision"));
        CHECK((q.fields[3].field == "author" && q.fields[3].value == "bob")); // a handle: lower-case
        CHECK((q.fields[4].field == "status" && q.fields[4].value == "open"));
        // Fields only: a listing, no FTS query.
        CHECK(async::parse_search_query("tag:web").fts.empty());
        CHECK(async::parse_search_query("-tag:web").fields.size() == 1);
        // Other words with a colon stay words; a quoted field is a phrase.
        CHECK(async::to_fts_query("title:zebra 10:30 http://x") == "(\"title:zebra\" AND \"10:30\" AND \"http://x\")");
        CHECK(async::to_fts_query("\"tag:web\"") == "(\"tag:web\")");
        CHECK(async::parse_search_query("\"tag:web\"").fields.empty());
        // The value is a parameter of the SQL, never part of it; FTS5 never sees it.
        auto hostile = async::parse_search_query("x tag:'); DROP TABLE docs;--");
        CHECK(hostile.fts == "(\"x\" AND \"DROP\" AND \"TABLE\" AND \"docs;--\")");
        CHECK(hostile.fields.front().value == "');");
        for (const auto& [input, message] : std::vector<std::pair<std::string, std::string>>{
                 {"tag:", "'tag:' needs a value, as in tag:web"},
                 {"a author:", "'author:' needs a value, as in author:bob"},
                 {"tag:web OR x", "OR joins words, not field terms such as tag:web (every field term must hold)"},
                 {"x OR tag:web", "OR joins words, not field terms such as tag:web (every field term must hold)"},
                 {"-x tag:web", "a search needs at least one word to find, not only words to exclude"},
             }) {
            CAPTURE(input);
            auto e = error_of([&] { async::parse_search_query(input); });
            CHECK(e.kind() == ErrorKind::usage);
            CHECK(std::string{e.what()} == message);
        }
    }

    SUBCASE("'-' before a tab or a newline") {
        for (std::string input : {"a -\tb", "a -\n"}) {
            CAPTURE(input);
            std::string out;
            bool threw_usage = false;
            try {
                out = async::to_fts_query(input);
            } catch (const async::Error& e) {
                threw_usage = e.kind() == ErrorKind::usage;
            }
            CHECK(threw_usage);
            CHECK(out.find("NOT \"\"") == std::string::npos);
        }
    }
}

TEST_CASE("query::list_documents") {
    Fixture f;
    seed_documents(f);
    Index index{f.ws};
    REQUIRE(index.refresh().parsed == 8);
    async::ListFilter filter;

    SUBCASE("default: newest first, no children") {
        CHECK(listed(index, filter) == Strings{k_beta, k_sync, k_gamma, k_alpha});
    }
    SUBCASE("every field of a summary") {
        auto docs = async::list_documents(index, filter);
        REQUIRE(docs.size() == 4);
        const auto& alpha = docs[3];
        CHECK(alpha.rowid > 0);
        CHECK(alpha.id == "k3f9q2ma");
        CHECK(alpha.path == k_alpha);
        CHECK(alpha.type == "doc");
        CHECK(alpha.title == "Alpha");
        CHECK(alpha.author == "alice");
        CHECK(alpha.created == std::optional<TimePoint>{utc(2026, 11, 1, 10)});
        CHECK(alpha.status == "open");
        CHECK(alpha.due == std::optional<TimePoint>{utc(2026, 12, 1, 17)});
        CHECK(alpha.parent == "");
        CHECK(alpha.tags == Strings{"pricing", "web"});
        CHECK(alpha.reviewers == Strings{"bob", "carol"});
        CHECK(alpha.participants == Strings{"dave"});
        const auto& sync = docs[1];
        CHECK(sync.type == "meeting");
        CHECK(sync.due == std::nullopt);
        CHECK(sync.status == "");
        CHECK(sync.tags.empty());
        CHECK(sync.reviewers.empty());
        CHECK(sync.participants == Strings{"alice", "bob"});
    }
    SUBCASE("reverse") {
        filter.reverse = true;
        CHECK(listed(index, filter) == Strings{k_alpha, k_gamma, k_sync, k_beta});
    }
    SUBCASE("children when asked") {
        filter.include_children = true;
        CHECK(listed(index, filter) == Strings{k_sync_summary, k_beta, k_sync_alice, k_sync,
                                               k_gamma, k_alpha_bob, k_alpha_carol, k_alpha});
        auto docs = async::list_documents(index, filter);
        CHECK(docs[5].type == "reply");
        CHECK(docs[5].parent == k_alpha);
        CHECK(docs[0].type == "summary");
        CHECK(docs[0].parent == k_sync);
        CHECK(docs[2].type == "response");
        CHECK(docs[2].parent == k_sync);
    }
    SUBCASE("type") {
        filter.type = "doc";
        CHECK(listed(index, filter) == Strings{k_gamma, k_alpha});
        filter.type = "decision";
        CHECK(listed(index, filter) == Strings{k_beta});
        filter.type = "meeting";
        CHECK(listed(index, filter) == Strings{k_sync});
        filter.type = "sop";
        CHECK(listed(index, filter).empty());
    }
    SUBCASE("a child type lists children without include_children") {
        filter.type = "reply";
        CHECK(listed(index, filter) == Strings{k_alpha_bob, k_alpha_carol});
        filter.type = "summary";
        CHECK(listed(index, filter) == Strings{k_sync_summary});
        filter.type = "response";
        CHECK(listed(index, filter) == Strings{k_sync_alice});
    }
    SUBCASE("author") {
        filter.author = "alice";
        CHECK(listed(index, filter) == Strings{k_gamma, k_alpha});
        filter.include_children = true;
        CHECK(listed(index, filter) == Strings{k_sync_alice, k_gamma, k_alpha});
        filter.author = "Alice"; // authors are compared as written
        CHECK(listed(index, filter).empty());
    }
    SUBCASE("status") {
        filter.status = "closed";
        CHECK(listed(index, filter) == Strings{k_beta});
        filter.status = "open";
        CHECK(listed(index, filter) == Strings{k_alpha});
    }
    SUBCASE("tags: all of them") {
        filter.tags = {"pricing"};
        CHECK(listed(index, filter) == Strings{k_beta, k_alpha});
        filter.tags = {"web"};
        CHECK(listed(index, filter) == Strings{k_gamma, k_alpha});
        filter.tags = {"pricing", "web"};
        CHECK(listed(index, filter) == Strings{k_alpha});
        filter.tags = {"pricing", "nope"};
        CHECK(listed(index, filter).empty());
    }
    SUBCASE("since and until are inclusive") {
        filter.since = utc(2026, 11, 3, 10);
        CHECK(listed(index, filter) == Strings{k_beta, k_sync, k_gamma});
        filter.since = utc(2026, 11, 3, 10, 0, 1);
        CHECK(listed(index, filter) == Strings{k_beta, k_sync});
        filter.since.reset();
        filter.until = utc(2026, 11, 3, 10);
        CHECK(listed(index, filter) == Strings{k_gamma, k_alpha});
        filter.until = utc(2026, 11, 3, 9, 59, 59);
        CHECK(listed(index, filter) == Strings{k_alpha});
        filter.since = utc(2026, 11, 2);
        filter.until = utc(2026, 11, 4, 23, 59, 59);
        CHECK(listed(index, filter) == Strings{k_sync, k_gamma});
    }
    SUBCASE("sort by title, case-insensitive") {
        filter.sort = async::SortKey::title;
        CHECK(listed(index, filter) == Strings{k_alpha, k_beta, k_gamma, k_sync});
        filter.reverse = true;
        CHECK(listed(index, filter) == Strings{k_sync, k_gamma, k_beta, k_alpha});
    }
    SUBCASE("sort by due, documents without one last") {
        filter.sort = async::SortKey::due;
        CHECK(listed(index, filter) == Strings{k_gamma, k_alpha, k_beta, k_sync});
        filter.reverse = true;
        CHECK(listed(index, filter) == Strings{k_alpha, k_gamma, k_beta, k_sync});
    }
    SUBCASE("sort by type, then path") {
        filter.sort = async::SortKey::type;
        CHECK(listed(index, filter) == Strings{k_beta, k_alpha, k_gamma, k_sync});
        filter.reverse = true;
        CHECK(listed(index, filter) == Strings{k_sync, k_alpha, k_gamma, k_beta});
    }
    SUBCASE("limit") {
        filter.limit = 2;
        CHECK(listed(index, filter) == Strings{k_beta, k_sync});
        filter.reverse = true;
        CHECK(listed(index, filter) == Strings{k_alpha, k_gamma});
        filter.limit = 100;
        CHECK(listed(index, filter).size() == 4);
    }
    SUBCASE("filters combine") {
        filter.type = "doc";
        filter.author = "alice";
        filter.tags = {"web"};
        filter.since = utc(2026, 11, 2);
        CHECK(listed(index, filter) == Strings{k_gamma});
    }
}

TEST_CASE("query::list_documents fills tags and people the same for few and many documents") {
    Fixture f;
    // More documents than finish_docs looks up one by one, so a full listing takes the other
    // path (one pass over each table) and a short one looks them up.
    for (int i = 0; i < 300; ++i) {
        std::string n = std::to_string(1000 + i);
        std::string tags = i % 3 == 0 ? "[]" : "[\"t" + n + "\", \"common\"]";
        f.write("docs/d" + n + "/index.md",
                file("id = \"d" + n + "\"\ntitle = \"D" + n + "\"\nauthor = \"bob\"\ncreated = 2026-11-01T10:00:00Z\n"
                     "tags = " + tags + "\nreviewers = [\"alice\", \"r" + n + "\"]\n" +
                     (i % 2 == 0 ? "participants = [\"p" + n + "\"]\n" : "")));
    }
    Index index{f.ws};
    index.refresh();
    async::ListFilter all;
    all.sort = async::SortKey::title;
    auto many = async::list_documents(index, all);
    REQUIRE(many.size() == 300);
    async::ListFilter some = all;
    some.limit = 12;
    auto few = async::list_documents(index, some);
    REQUIRE(few.size() == 12);
    for (std::size_t i = 0; i < few.size(); ++i) {
        CHECK(few[i].id == many[i].id);
        CHECK(few[i].tags == many[i].tags);
        CHECK(few[i].reviewers == many[i].reviewers);
        CHECK(few[i].participants == many[i].participants);
    }
    for (std::size_t i = 0; i < many.size(); ++i) {
        std::string n = std::to_string(1000 + i);
        CHECK(many[i].tags == (i % 3 == 0 ? Strings{} : Strings{"t" + n, "common"}));
        CHECK(many[i].reviewers == Strings{"alice", "r" + n});
        CHECK(many[i].participants == (i % 2 == 0 ? Strings{"p" + n} : Strings{}));
    }
}

TEST_CASE("query::resolve_ref") {
    Fixture f;
    seed_documents(f);
    Index index{f.ws};
    REQUIRE(index.refresh().parsed == 8);
    const fs::path& root = f.root();
    const std::string no_hint =
        "a REF is an id, an id prefix of 4+ characters, or a path; see 'async list'";

    SUBCASE("exact id") {
        auto d = async::resolve_ref(index, "k3f9q2ma", root);
        CHECK(d.path == k_alpha);
        CHECK(d.id == "k3f9q2ma");
        CHECK(d.tags == Strings{"pricing", "web"});
        CHECK(async::resolve_ref(index, "  r1000001 ", root / "people").path == k_alpha_bob);
    }
    SUBCASE("unique prefix of 4+ characters") {
        CHECK(async::resolve_ref(index, "k3f9", root).path == k_alpha);
        CHECK(async::resolve_ref(index, "abcd1", root).path == k_beta);
        CHECK(async::resolve_ref(index, "abcd2222", root).path == k_gamma);
    }
    SUBCASE("ambiguous prefix lists the candidates") {
        auto e = error_of([&] { async::resolve_ref(index, "abcd", root); });
        CHECK(e.kind() == ErrorKind::no);
        CHECK(std::string{e.what()} == "'abcd' is ambiguous");
        CHECK(e.hint() == "it matches abcd1111 (" + k_beta + "), abcd2222 (" + k_gamma + ")");
    }
    SUBCASE("three characters are no prefix") {
        auto e = error_of([&] { async::resolve_ref(index, "k3f", root); });
        CHECK(e.kind() == ErrorKind::no);
        CHECK(std::string{e.what()} == "no document matches 'k3f'");
        CHECK(e.hint() == no_hint);
    }
    SUBCASE("duplicate ids are ambiguous") {
        const std::string copy = "docs/2026-11-07-copy/index.md";
        f.write(
            copy,
            file("id = \"k3f9q2ma\"\ntitle = \"Alpha copy\"\ncreated = 2026-11-07T10:00:00Z\n"));
        REQUIRE(index.refresh().parsed == 1);
        for (std::string ref : {"k3f9q2ma", "k3f9"}) {
            CAPTURE(ref);
            auto e = error_of([&] { async::resolve_ref(index, ref, root); });
            CHECK(e.kind() == ErrorKind::no);
            CHECK(std::string{e.what()} == "'" + ref + "' is ambiguous");
            CHECK(e.hint() == "it matches k3f9q2ma (" + k_alpha + "), k3f9q2ma (" + copy + ")");
        }
        // A path still tells them apart.
        CHECK(async::resolve_ref(index, copy, root).title == "Alpha copy");
    }
    SUBCASE("path relative to cwd") {
        CHECK(async::resolve_ref(index, "2026-11-01-alpha/index.md", root / "docs").path ==
              k_alpha);
        CHECK(async::resolve_ref(index, "index.md", root / "docs/2026-11-01-alpha").path ==
              k_alpha);
        CHECK(async::resolve_ref(index, "./replies/bob.md", root / "docs/2026-11-01-alpha").path ==
              k_alpha_bob);
        CHECK(
            async::resolve_ref(index, "../2026-11-05-beta/index.md", root / "docs/2026-11-01-alpha")
                .path == k_beta);
        CHECK(async::resolve_ref(index, "summary.md", root / "meetings/2026-11-04-sync").path ==
              k_sync_summary);
    }
    SUBCASE("path relative to the workspace root from anywhere") {
        CHECK(async::resolve_ref(index, k_gamma, root / "meetings").path == k_gamma);
        CHECK(async::resolve_ref(index, k_gamma, fs::path{"/"}).path == k_gamma);
    }
    SUBCASE("absolute path") {
        CHECK(async::resolve_ref(index, (root / k_sync).string(), fs::path{"/"}).path == k_sync);
        CHECK(
            async::resolve_ref(index, (root / "docs/x/../2026-11-05-beta/index.md").string(), root)
                .path == k_beta);
    }
    SUBCASE("bundle folder path means its index.md") {
        CHECK(async::resolve_ref(index, "docs/2026-11-03-gamma", root).path == k_gamma);
        CHECK(async::resolve_ref(index, "docs/2026-11-03-gamma/", root / "checkins").path ==
              k_gamma);
        CHECK(async::resolve_ref(index, "2026-11-04-sync", root / "meetings").path == k_sync);
        CHECK(async::resolve_ref(index, (root / "meetings/2026-11-04-sync").string(), root).path ==
              k_sync);
        CHECK(async::resolve_ref(index, ".", root / "docs/2026-11-01-alpha").path == k_alpha);
    }
    SUBCASE("unknown") {
        for (std::string ref : {"zzzz9999", "docs/nope/index.md", "docs/2026-11-01-alpha/replies",
                                "nothing.md", "/etc/passwd", "../outside.md"}) {
            CAPTURE(ref);
            auto e = error_of([&] { async::resolve_ref(index, ref, root); });
            CHECK(e.kind() == ErrorKind::no);
            CHECK(std::string{e.what()} == "no document matches '" + ref + "'");
            CHECK(e.hint() == no_hint);
        }
    }
    SUBCASE("empty") {
        auto e = error_of([&] { async::resolve_ref(index, "  ", root); });
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(std::string{e.what()} == "empty document reference");
    }
}

TEST_CASE("query::children_of") {
    Fixture f;
    seed_documents(f);
    Index index{f.ws};
    REQUIRE(index.refresh().parsed == 8);
    auto alpha = async::resolve_ref(index, "k3f9q2ma", f.root());
    auto children = async::children_of(index, alpha);
    CHECK(paths_of(children) == Strings{k_alpha_carol, k_alpha_bob});
    REQUIRE(children.size() == 2);
    CHECK(children[0].created == std::optional<TimePoint>{utc(2026, 11, 1, 12)});
    CHECK(children[1].author == "bob");
    CHECK(paths_of(async::children_of(index, async::resolve_ref(index, "m7tt", f.root()))) ==
          Strings{k_sync_alice, k_sync_summary});
    CHECK(async::children_of(index, async::resolve_ref(index, "abcd1111", f.root())).empty());
    // A new reply shows up after a refresh, in created order.
    f.write("docs/2026-11-01-alpha/replies/dave.md",
            file("id = \"r1000003\"\nauthor = \"dave\"\ncreated = 2026-11-01T11:00:00Z\n"));
    REQUIRE(index.refresh().parsed == 1);
    CHECK(paths_of(async::children_of(index, alpha)) ==
          Strings{"docs/2026-11-01-alpha/replies/dave.md", k_alpha_carol, k_alpha_bob});
}

TEST_CASE("query::children_of_each answers as children_of does for each document") {
    Fixture f;
    // More documents than one question takes (500), some without children, one listed twice.
    for (int i = 0; i < 620; ++i) {
        std::string n = std::to_string(1000 + i);
        f.write("docs/d" + n + "/index.md",
                file("id = \"d" + n + "\"\ntitle = \"D" + n + "\"\nauthor = \"bob\"\ncreated = 2026-11-01T10:00:00Z\n"));
        for (int r = 0; r < i % 3; ++r) {
            f.write("docs/d" + n + "/replies/r" + std::to_string(r) + ".md",
                    file("type = \"reply\"\nauthor = \"carol\"\ncreated = 2026-11-0" + std::to_string(3 - r) +
                         "T10:00:00Z\ntags = [\"t" + std::to_string(r) + "\"]\n"));
        }
    }
    Index index{f.ws};
    index.refresh();
    async::ListFilter top;
    auto docs = async::list_documents(index, top);
    REQUIRE(docs.size() == 620);
    auto twice = std::find_if(docs.begin(), docs.end(), [](const auto& d) { return d.id == "d1001"; });
    REQUIRE(twice != docs.end());
    docs.push_back(*twice); // with one reply
    auto each = async::children_of_each(index, docs);
    std::size_t with_children = 0;
    for (const auto& doc : docs) {
        auto one = async::children_of(index, doc);
        auto found = each.find(doc.path);
        INFO(doc.path);
        if (one.empty()) {
            CHECK(found == each.end());
            continue;
        }
        REQUIRE(found != each.end());
        CHECK(paths_of(found->second) == paths_of(one)); // oldest first, as children_of
        for (std::size_t k = 0; k < one.size(); ++k) {
            CHECK(found->second[k].tags == one[k].tags);
            CHECK(found->second[k].title == one[k].title);
        }
        ++with_children;
    }
    CHECK(each.size() == 413); // 620 documents, a third of them without replies
    CHECK(with_children == 414);
    CHECK(async::children_of_each(index, {}).empty());
}

TEST_CASE("query::search") {
    Fixture f;
    const std::string zebra = "docs/2026-11-01-zebra/index.md";
    const std::string other = "docs/2026-11-02-other/index.md";
    const std::string cafe = "docs/2026-11-03-cafe/index.md";
    f.write(zebra, file("id = \"aaaa0001\"\ntitle = \"Zebra migration plan\"\nauthor = \"alice\"\n"
                        "created = 2026-11-01T10:00:00Z\ntags = [\"animals\"]\n",
                        "We move the animals north.\n"));
    // Newer, and the word three times in its body: only the title weight puts zebra first.
    f.write(other, file("id = \"aaaa0002\"\ntype = \"decision\"\ntitle = \"Quarterly "
                        "notes\"\nauthor = \"bob\"\n"
                        "created = 2026-11-02T10:00:00Z\n",
                        "A zebra, a zebra and one more zebra in the field.\n"));
    f.write(
        cafe,
        file("id = \"aaaa0003\"\ntype = \"post\"\ntitle = \"Café opening\"\nauthor = \"carol\"\n"
             "created = 2026-11-03T10:00:00Z\n",
             "Coffee for **everyone**.\n"));
    Index index{f.ws};
    REQUIRE(index.refresh().parsed == 3);
    async::SearchFilter filter;
    auto paths = [&](std::string_view query) {
        Strings out;
        for (const auto& hit : async::search(index, query, filter)) {
            out.push_back(hit.doc.path);
        }
        return out;
    };

    SUBCASE("a title match ranks above a body-only match") {
        auto hits = async::search(index, "zebra", filter);
        REQUIRE(hits.size() == 2);
        CHECK(hits[0].doc.path == zebra);
        CHECK(hits[1].doc.path == other);
        CHECK(hits[0].rank < hits[1].rank);
        CHECK(hits[0].snippet == "\x02Zebra\x03 migration plan");
        CHECK(hits[1].snippet ==
              "A \x02zebra\x03, a \x02zebra\x03 and one more \x02zebra\x03 in the field.");
        CHECK(hits[0].doc.id == "aaaa0001");
        CHECK(hits[0].doc.tags == Strings{"animals"});
        CHECK(hits[0].doc.created == std::optional<TimePoint>{utc(2026, 11, 1, 10)});
    }
    SUBCASE("type, author and limit filter") {
        filter.type = "decision";
        CHECK(paths("zebra") == Strings{other});
        filter.type.reset();
        filter.author = "alice";
        CHECK(paths("zebra") == Strings{zebra});
        filter.author = "carol";
        CHECK(paths("zebra").empty());
        filter.author.reset();
        filter.limit = 1;
        CHECK(paths("zebra") == Strings{zebra});
        filter.limit = 0; // no limit
        CHECK(paths("zebra") == Strings{zebra, other});
    }
    SUBCASE("the query language reaches FTS") {
        CHECK(paths("zeb*") == Strings{zebra, other});
        CHECK(paths("zebra -field") == Strings{zebra});
        CHECK(paths("\"migration plan\"") == Strings{zebra});
        CHECK(paths("\"plan migration\"").empty());
        CHECK(paths("north OR coffee") == Strings{cafe, zebra});
        CHECK(paths("cafe") == Strings{cafe});     // diacritics removed
        CHECK(paths("everyone") == Strings{cafe}); // markup stripped
        CHECK(paths("NEAR AND").empty());
        CHECK(paths("nothing").empty());
    }
    SUBCASE("a malformed query is a usage error") {
        auto e = error_of([&] { async::search(index, "zebra OR", filter); });
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(std::string{e.what()} == "OR needs a word on each side");
    }
}

TEST_CASE("query::search with a limit ranks as without one") {
    // Equal scores in tiers: a limit cuts inside a tier of ties, which only the date orders.
    Fixture f;
    auto add = [&](int n, const std::string& title, const std::string& body, bool dated) {
        char id[16];
        std::snprintf(id, sizeof id, "t%07d", n);
        std::string created = dated ? "created = 2026-10-" + std::string{n % 28 < 9 ? "0" : ""} +
                                          std::to_string(n % 28 + 1) + "T10:" + (n < 10 ? "0" : "") +
                                          std::to_string(n) + ":00Z\n"
                                    : "";
        f.write("docs/2026-10-01-t" + std::to_string(n) + "/index.md",
                file("id = \"" + std::string{id} + "\"\ntitle = \"" + title + "\"\nauthor = \"alice\"\n" + created,
                     body));
    };
    for (int n = 0; n < 3; ++n) {
        add(n, "Okapi notes", "An okapi, one more okapi.\n", true);
    }
    for (int n = 3; n < 7; ++n) {
        add(n, "Notes", "An okapi seen here.\n", n != 4); // one undated: last of its tier
    }
    for (int n = 7; n < 57; ++n) {
        add(n, "Notes", "An okapi seen here, with many more words after it to make it longer.\n", true);
    }
    Index index{f.ws};
    REQUIRE(index.refresh().parsed == 57);
    async::SearchFilter all;
    all.limit = 0;
    std::vector<async::SearchHit> ranked = async::search(index, "okapi", all);
    REQUIRE(ranked.size() == 57);
    auto number = [](const async::SearchHit& h) { return std::stoi(h.doc.id.substr(1)); };
    // Tier by tier, newest first (n sets the minute), the undated one last of tier two.
    CHECK(std::vector<int>{number(ranked[0]), number(ranked[1]), number(ranked[2])} == std::vector<int>{2, 1, 0});
    CHECK(std::vector<int>{number(ranked[3]), number(ranked[4]), number(ranked[5]), number(ranked[6])} ==
          std::vector<int>{6, 5, 3, 4});
    for (std::size_t i = 1; i < ranked.size(); ++i) {
        REQUIRE(ranked[i - 1].rank <= ranked[i].rank);
    }
    for (std::size_t limit = 1; limit <= 60; ++limit) {
        CAPTURE(limit);
        async::SearchFilter some;
        some.limit = limit;
        std::vector<async::SearchHit> hits = async::search(index, "okapi", some);
        REQUIRE(hits.size() == std::min<std::size_t>(limit, ranked.size()));
        for (std::size_t i = 0; i < hits.size(); ++i) {
            CHECK(hits[i].doc.path == ranked[i].doc.path);
            CHECK(hits[i].rank == ranked[i].rank);
            CHECK(hits[i].snippet == ranked[i].snippet);
        }
    }
}

TEST_CASE("query::list_actions") {
    Fixture f;
    const std::string x = "docs/2026-11-01-x/index.md";
    const std::string y = "docs/2026-11-02-y/index.md";
    const std::string x_front =
        "id = \"xxxx0001\"\ntitle = \"X\"\nauthor = \"Alice\"\ncreated = 2026-11-01T10:00:00Z\n";
    const std::string x_body = "- [ ] @bob ship due:2026-11-10\n"     // 7
                               "- [x] @carol review due:2026-11-01\n" // 8
                               "- [ ] write summary\n"                // 9
                               "- [ ] @bob later due:2026-11-20\n";   // 10
    f.write(x, file(x_front, x_body));
    f.write(
        y,
        file("id = \"yyyy0001\"\ntitle = \"Y\"\nauthor = \"bob\"\ncreated = 2026-11-02T10:00:00Z\n",
             "- [ ] @bob thing due:2026-11-09\n" // 7
             "- [ ] @dave same\n"                // 8
             "- [x] @dave same\n"));             // 9
    Index index{f.ws};
    REQUIRE(index.refresh().parsed == 2);

    auto rows = [&](const async::ActionFilter& filter) {
        Strings out;
        for (const auto& a : async::list_actions(index, filter)) {
            out.push_back(a.doc->id + ":" + std::to_string(a.line) + " " + a.owner + " " +
                          a.due.value_or("-") + " " + (a.done ? "x" : "o") + " " + a.text);
        }
        return out;
    };
    auto handles = [&](const async::ActionFilter& filter) {
        std::map<std::string, std::string> out; // "id:text:done" -> handle
        for (const auto& a : async::list_actions(index, filter)) {
            out[a.doc->id + ":" + a.text + ":" + (a.done ? "x" : "o")] = a.handle;
        }
        return out;
    };
    async::ActionFilter filter;

    SUBCASE("open ones by default, due ones first") {
        CHECK(rows(filter) ==
              Strings{"yyyy0001:7 bob 2026-11-09 o thing", "xxxx0001:7 bob 2026-11-10 o ship",
                      "xxxx0001:10 bob 2026-11-20 o later", "xxxx0001:9 alice - o write summary",
                      "yyyy0001:8 dave - o same"});
        auto all = async::list_actions(index, filter);
        REQUIRE(all.size() == 5);
        CHECK(all[0].doc->path == y);
        CHECK(all[0].doc->title == "Y");
        CHECK(all[0].doc->author == "bob");
    }
    SUBCASE("done") {
        filter.state = async::ActionState::done;
        CHECK(rows(filter) ==
              Strings{"xxxx0001:8 carol 2026-11-01 x review", "yyyy0001:9 dave - x same"});
    }
    SUBCASE("all") {
        filter.state = async::ActionState::all;
        CHECK(rows(filter) ==
              Strings{"xxxx0001:8 carol 2026-11-01 x review", "yyyy0001:7 bob 2026-11-09 o thing",
                      "xxxx0001:7 bob 2026-11-10 o ship", "xxxx0001:10 bob 2026-11-20 o later",
                      "xxxx0001:9 alice - o write summary", "yyyy0001:8 dave - o same",
                      "yyyy0001:9 dave - x same"});
    }
    SUBCASE("owner, with the author as the fallback owner") {
        filter.owner = "bob";
        CHECK(rows(filter) == Strings{"yyyy0001:7 bob 2026-11-09 o thing",
                                      "xxxx0001:7 bob 2026-11-10 o ship",
                                      "xxxx0001:10 bob 2026-11-20 o later"});
        filter.owner = "alice";
        CHECK(rows(filter) == Strings{"xxxx0001:9 alice - o write summary"});
        filter.owner = "carol";
        CHECK(rows(filter).empty());
        filter.state = async::ActionState::all;
        CHECK(rows(filter) == Strings{"xxxx0001:8 carol 2026-11-01 x review"});
    }
    SUBCASE("overdue: open, and past 17:00 local on the due date (due.hpp), with due_at") {
        auto five_pm = [](const char* date) { return async::due_at(date).value(); };
        filter.overdue_at = five_pm("2026-11-10");
        CHECK(rows(filter) == Strings{"yyyy0001:7 bob 2026-11-09 o thing"}); // at 17:00 itself: not yet
        filter.overdue_at = five_pm("2026-11-10") + std::chrono::seconds{1};
        CHECK(rows(filter) ==
              Strings{"yyyy0001:7 bob 2026-11-09 o thing", "xxxx0001:7 bob 2026-11-10 o ship"});
        filter.overdue_at = five_pm("2026-11-10") - std::chrono::hours{1};
        CHECK(rows(filter) == Strings{"yyyy0001:7 bob 2026-11-09 o thing"});
        filter.overdue_at = five_pm("2026-11-09");
        CHECK(rows(filter).empty());
        filter.overdue_at = utc(2027, 1, 1);
        filter.state = async::ActionState::all; // a done action is never overdue
        auto all = async::list_actions(index, filter);
        CHECK(rows(filter) == Strings{"yyyy0001:7 bob 2026-11-09 o thing",
                                      "xxxx0001:7 bob 2026-11-10 o ship",
                                      "xxxx0001:10 bob 2026-11-20 o later"});
        REQUIRE(all.size() == 3);
        CHECK(all[0].due_at == five_pm("2026-11-09"));
        CHECK(all[2].due_at == five_pm("2026-11-20"));
        filter.owner = "alice"; // no due date, never overdue
        CHECK(rows(filter).empty());
    }
    SUBCASE("handles: 7 hex digits, unique, the same whatever the filter") {
        filter.state = async::ActionState::all;
        auto all = async::list_actions(index, filter);
        std::set<std::string> unique;
        for (const auto& a : all) {
            CAPTURE(a.text);
            CHECK(a.handle.size() == 7);
            CHECK(a.handle.find_first_not_of("0123456789abcdef") == std::string::npos);
            unique.insert(a.handle);
        }
        CHECK(unique.size() == 7); // the two "@dave same" differ by occurrence
        auto by_text = handles(filter);
        CHECK(by_text.at("yyyy0001:same:o") != by_text.at("yyyy0001:same:x"));
        async::ActionFilter done_only;
        done_only.state = async::ActionState::done;
        CHECK(handles(done_only).at("yyyy0001:same:x") == by_text.at("yyyy0001:same:x"));
        async::ActionFilter dave;
        dave.owner = "dave";
        CHECK(handles(dave).at("yyyy0001:same:o") == by_text.at("yyyy0001:same:o"));
    }
    SUBCASE("handles survive moved lines, a tick and a moved bundle") {
        filter.state = async::ActionState::all;
        auto before = handles(filter);
        f.rewrite(x, file(x_front, "Intro paragraph.\n\nMore text.\n\n" + x_body));
        REQUIRE(index.refresh().parsed == 1);
        CHECK(rows(filter) ==
              Strings{"xxxx0001:12 carol 2026-11-01 x review", "yyyy0001:7 bob 2026-11-09 o thing",
                      "xxxx0001:11 bob 2026-11-10 o ship", "xxxx0001:14 bob 2026-11-20 o later",
                      "xxxx0001:13 alice - o write summary", "yyyy0001:8 dave - o same",
                      "yyyy0001:9 dave - x same"});
        CHECK(handles(filter) == before);

        std::string ticked = x_body;
        ticked.replace(ticked.find("- [ ] @bob ship"), 5, "- [x]");
        f.rewrite(x, file(x_front, ticked));
        REQUIRE(index.refresh().parsed == 1);
        auto after_tick = handles(filter);
        CHECK(after_tick.at("xxxx0001:ship:x") == before.at("xxxx0001:ship:o"));

        fs::rename(f.root() / "docs/2026-11-01-x", f.root() / "docs/2026-11-08-x-moved");
        REQUIRE(index.refresh().parsed == 1);
        CHECK(handles(filter) == after_tick);
    }
    SUBCASE("resolve_action") {
        filter.state = async::ActionState::all;
        auto all = async::list_actions(index, filter);
        REQUIRE(all.size() == 7);
        const auto& ship = all[2];
        REQUIRE(ship.text == "ship");
        CHECK(async::resolve_action(index, ship.handle).handle == ship.handle);
        auto by_prefix = async::resolve_action(index, ship.handle.substr(0, 4));
        CHECK(by_prefix.text == "ship");
        CHECK(by_prefix.line == 7);
        CHECK(by_prefix.doc->path == x);
        std::string upper = ship.handle;
        std::transform(upper.begin(), upper.end(), upper.begin(),
                       [](unsigned char c) { return std::toupper(c); });
        CHECK(async::resolve_action(index, " " + upper + " ").handle == ship.handle);
        // Done actions resolve too.
        CHECK(async::resolve_action(index, all[0].handle).text == "review");

        for (std::string bad : {"xyz1", "abc", "abcdef01", "", "12 34"}) {
            CAPTURE(bad);
            auto e = error_of([&] { async::resolve_action(index, bad); });
            CHECK(e.kind() == ErrorKind::usage);
            CHECK(std::string{e.what()} == "invalid action reference '" + bad + "'");
            CHECK(e.hint() == "use the handle 'async actions' prints (4 to 7 hex digits)");
        }

        std::string unknown;
        for (std::string candidate : {"0000", "ffff", "1234", "abcd", "9876"}) {
            bool used = std::any_of(all.begin(), all.end(),
                                    [&](const auto& a) { return a.handle.starts_with(candidate); });
            if (!used) {
                unknown = candidate;
                break;
            }
        }
        REQUIRE(unknown != "");
        auto e = error_of([&] { async::resolve_action(index, unknown); });
        CHECK(e.kind() == ErrorKind::no);
        CHECK(std::string{e.what()} == "no action matches '" + unknown + "'");
        CHECK(e.hint() == "see 'async actions --all'");
    }
}

TEST_CASE("query::list_decisions") {
    Fixture f;
    const std::string p = "docs/2026-11-01-p/index.md";
    const std::string q = "meetings/2026-11-05-q/summary.md";
    f.write(p, file("id = \"pppp0001\"\ntitle = \"P\"\ncreated = 2026-11-01T10:00:00Z\n",
                    "Decision: first call\n" // 6
                    "\n"                     // 7
                    "## Decisions\n"         // 8
                    "\n"                     // 9
                    "- second call\n"));     // 10
    f.write(q, file("id = \"qqqq0001\"\ntitle = \"Q\"\ncreated = 2026-11-05T10:00:00Z\n",
                    "Text.\n\n- Decision: third call\n")); // 8
    f.write("docs/2026-11-03-r/index.md",
            file("id = \"rrrr0001\"\ntitle = \"R\"\ncreated = 2026-11-03T10:00:00Z\n",
                 "No decisions here.\n"));
    Index index{f.ws};
    REQUIRE(index.refresh().parsed == 3);
    auto rows = [&](std::optional<TimePoint> since) {
        Strings out;
        for (const auto& d : async::list_decisions(index, since)) {
            out.push_back(d.doc.path + ":" + std::to_string(d.line) + " " + d.text);
        }
        return out;
    };
    CHECK(rows(std::nullopt) ==
          Strings{q + ":8 third call", p + ":6 first call", p + ":10 second call"});
    CHECK(rows(utc(2026, 11, 5, 10)) == Strings{q + ":8 third call"});
    CHECK(rows(utc(2026, 11, 5, 10, 0, 1)).empty());
    CHECK(rows(utc(2026, 11, 1, 10)) ==
          Strings{q + ":8 third call", p + ":6 first call", p + ":10 second call"});
    auto decisions = async::list_decisions(index, std::nullopt);
    REQUIRE(decisions.size() == 3);
    CHECK(decisions[0].doc.type == "summary");
    CHECK(decisions[0].doc.parent == "meetings/2026-11-05-q/index.md");
    CHECK(decisions[1].doc.id == "pppp0001");
}

TEST_CASE("query::list_decisions taken") {
    Fixture f;
    const std::string p = "docs/2026-12-07-p/index.md";
    f.write(p, file("id = \"pppp0001\"\ntitle = \"P\"\ncreated = 2026-12-07T09:00:00Z\n"
                    "status = \"closed\"\nclosed = 2026-12-09T14:00:00Z\n",
                    "Decision: in the write-up\n\n## Outcome\n\nDecision: three tiers\n"));
    f.write("docs/2026-12-08-r/index.md",
            file("id = \"rrrr0001\"\ntitle = \"R\"\ncreated = 2026-12-08T10:00:00Z\n",
                 "## Outcome\n\nDecision: not closed\n"));
    Index index{f.ws};
    REQUIRE(index.refresh().parsed == 2);
    auto rows = [&](std::optional<TimePoint> since) {
        Strings out;
        for (const auto& d : async::list_decisions(index, since)) {
            out.push_back(d.text + " " + (d.taken ? async::format_utc(*d.taken) : "none"));
        }
        return out;
    };
    // The outcome of the closed document was taken when it closed; the rest when written.
    CHECK(rows(std::nullopt) == Strings{"three tiers 2026-12-09T14:00:00Z", "not closed 2026-12-08T10:00:00Z",
                                        "in the write-up 2026-12-07T09:00:00Z"});
    CHECK(rows(utc(2026, 12, 9)) == Strings{"three tiers 2026-12-09T14:00:00Z"});
}

TEST_CASE("query::ids_by_prefix") {
    Fixture f;
    f.write("docs/2026-11-01-alpha/index.md",
            file("id = \"ab12cd34\"\ntitle = \"Alpha\"\ntype = \"writeup\"\ncreated = 2026-11-01T10:00:00Z\n"));
    f.write("docs/2026-11-02-beta/index.md",
            file("id = \"ab99ef00\"\ntitle = \"Beta\"\ntype = \"decision\"\ncreated = 2026-11-02T10:00:00Z\n"));
    f.write("docs/2026-11-02-beta/replies/bob.md",
            file("id = \"ab55aa55\"\ntitle = \"Re\"\ntype = \"reply\"\ncreated = 2026-11-03T10:00:00Z\n"));
    f.write("docs/2026-11-03-gamma/index.md",
            file("id = \"cd00ef11\"\ntitle = \"Gamma\"\ntype = \"writeup\"\ncreated = 2026-11-03T10:00:00Z\n"));
    Index index{f.ws};
    index.refresh();
    auto ids = [&](const std::optional<std::string>& type, std::string_view prefix) {
        Strings out;
        for (const auto& d : async::ids_by_prefix(index, type, prefix)) {
            out.push_back(d.id + " " + d.title);
        }
        return out;
    };
    CHECK(ids(std::nullopt, "") == Strings{"cd00ef11 Gamma", "ab99ef00 Beta", "ab12cd34 Alpha"});
    CHECK(ids(std::nullopt, "ab") == Strings{"ab99ef00 Beta", "ab12cd34 Alpha"});
    CHECK(ids("writeup", "ab") == Strings{"ab12cd34 Alpha"});
    CHECK(ids(std::nullopt, "zz").empty());
}

TEST_CASE("query: a damaged index leaves the query functions as Error{data} with what to do") {
    Fixture f;
    f.write(k_alpha, file("id = \"ab12cd34\"\ntitle = \"Alpha\"\ntype = \"writeup\"\n"
                          "created = 2026-11-01T10:00:00Z\n",
                          "- [ ] @bob a task\n\nDecision: yes.\n"));
    Index index{f.ws};
    index.refresh();
    {
        // Another connection damages it: tables the queries need are gone.
        SQLite::Database db{f.ws.index_file(), SQLite::OPEN_READWRITE};
        db.exec("DROP TABLE actions; DROP TABLE decisions; DROP TABLE tags");
    }
    auto check_damaged = [](const async::Error& e) {
        CHECK(e.kind() == ErrorKind::data);
        CHECK(std::string{e.what()}.starts_with("cannot read the index: "));
        CHECK(e.hint() == "the index is damaged: run 'async index --full' to rebuild it from the files");
    };
    check_damaged(error_of([&] { async::list_actions(index, {}); }));
    check_damaged(error_of([&] { async::list_decisions(index, std::nullopt); }));
    check_damaged(error_of([&] { async::list_documents(index, {}); }));
    check_damaged(error_of([&] { async::resolve_action(index, "abcd"); }));
}

TEST_CASE("query::link_key") {
    using async::LinkKind;
    using async::link_key;
    CHECK(link_key(LinkKind::wiki, "Pricing PAGE", "docs/a/index.md") == "pricing page");
    CHECK(link_key(LinkKind::reference, "k3f9", "docs/a/index.md") == "k3f9");
    CHECK(link_key(LinkKind::file, "../b/index.md", "docs/a/index.md") == "docs/b/index.md");
    CHECK(link_key(LinkKind::file, "./replies/x.md", "docs/a/index.md") == "docs/a/replies/x.md");
    CHECK(link_key(LinkKind::file, "../../README.md", "docs/a/index.md") == "README.md");
    // Out of the workspace: no key, so it names no document.
    CHECK(link_key(LinkKind::file, "../../../etc/x.md", "docs/a/index.md").empty());
    CHECK(link_key(LinkKind::file, "../..", "docs/a/index.md").empty());
}

TEST_CASE("query::LinkTargets::resolve") {
    using async::LinkKind;
    using Paths = std::vector<std::string>;
    async::LinkTargets targets{{
        {"docs/2026-11-26-pricing/index.md", "aaaa1111", "Pricing page"},
        {"docs/b/index.md", "aaaa2222", "Same"},
        {"docs/c/index.md", "cccc3333", "Same"},
        {"docs/c/replies/notes.md", "dddd4444", ""},
        {"docs/e/index.md", "", "pricing page 2"},
    }};
    SUBCASE("wiki: id, then title, then file name; case-insensitive") {
        CHECK(targets.resolve(LinkKind::wiki, "aaaa1111") == Paths{"docs/2026-11-26-pricing/index.md"});
        CHECK(targets.resolve(LinkKind::wiki, "pricing page") == Paths{"docs/2026-11-26-pricing/index.md"});
        CHECK(targets.resolve(LinkKind::wiki, "2026-11-26-pricing") == Paths{"docs/2026-11-26-pricing/index.md"});
        CHECK(targets.resolve(LinkKind::wiki, "notes") == Paths{"docs/c/replies/notes.md"});
        CHECK(targets.resolve(LinkKind::wiki, "same").size() == 2); // ambiguous
        CHECK(targets.resolve(LinkKind::wiki, "aaaa").empty());     // no prefixes for wiki links
        CHECK(targets.resolve(LinkKind::wiki, "nothing").empty());
        CHECK(targets.resolve(LinkKind::wiki, "").empty());
    }
    SUBCASE("reference: id, else the ids it is a prefix of") {
        CHECK(targets.resolve(LinkKind::reference, "cccc") == Paths{"docs/c/index.md"});
        CHECK(targets.resolve(LinkKind::reference, "aaaa").size() == 2);
        CHECK(targets.resolve(LinkKind::reference, "aaaa2222") == Paths{"docs/b/index.md"});
    }
    SUBCASE("file: the indexed path") {
        CHECK(targets.resolve(LinkKind::file, "docs/b/index.md") == Paths{"docs/b/index.md"});
        CHECK(targets.resolve(LinkKind::file, "docs/b").empty());
        CHECK(targets.resolve(LinkKind::file, "").empty());
    }
}
