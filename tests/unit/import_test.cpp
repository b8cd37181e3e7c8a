#include <async/import.hpp>

#include <doctest/doctest.h>

#include <string>

using async::parse_adr;

namespace {

const char* const k_adr = "# 2. Use PostgreSQL for storage\n"
                          "\n"
                          "Date: 2017-02-03\n"
                          "\n"
                          "## Status\n"
                          "\n"
                          "Superseded by [3. Use SQLite](0003-use-sqlite.md)\n"
                          "\n"
                          "Amended by [4. Pools](0004-pools.md)\n"
                          "\n"
                          "## Context\n"
                          "\n"
                          "Text.\n";

} // namespace

TEST_CASE("import::parse_adr") {
    SUBCASE("an adr-tools record") {
        auto adr = parse_adr("0002-use-postgresql.md", k_adr);
        REQUIRE(adr);
        CHECK(adr->number == 2);
        CHECK(adr->title == "Use PostgreSQL for storage");
        CHECK(adr->date == "2017-02-03");
        // The first paragraph only.
        CHECK(adr->status == "Superseded by [3. Use SQLite](0003-use-sqlite.md)");
    }
    SUBCASE("a status over two lines is one line") {
        auto adr = parse_adr("0001-x.md", "# 1. X\n\nDate: 2020-01-01\n\n## Status\nAccepted\non Monday\n\n## Context\n");
        REQUIRE(adr);
        CHECK(adr->status == "Accepted on Monday");
    }
    SUBCASE("CRLF") {
        auto adr = parse_adr("0001-x.md", "# 1. X\r\n\r\nDate: 2020-01-01\r\n\r\n## Status\r\n\r\nProposed\r\n");
        REQUIRE(adr);
        CHECK(adr->title == "X");
        CHECK(adr->date == "2020-01-01");
        CHECK(adr->status == "Proposed");
    }
    SUBCASE("no Date: still an ADR, without a date") {
        auto adr = parse_adr("0001-x.md", "# 1. X\n\n## Status\n\nAccepted\n");
        REQUIRE(adr);
        CHECK_FALSE(adr->date);
        CHECK(adr->status == "Accepted");
    }
    SUBCASE("no Status: an ADR with its date, status empty") {
        auto adr = parse_adr("0001-x.md", "# 1. X\n\nDate: 2020-01-01\n\n## Context\n\nAccepted\n");
        REQUIRE(adr);
        CHECK(adr->status.empty());
    }
    SUBCASE("neither Date nor Status, no title, or another file name: not an ADR") {
        CHECK_FALSE(parse_adr("0001-x.md", "# 1. X\n\nText.\n"));
        CHECK_FALSE(parse_adr("0001-x.md", "Date: 2020-01-01\n\n## Status\n\nAccepted\n"));
        CHECK_FALSE(parse_adr("notes.md", k_adr));
        CHECK_FALSE(parse_adr("001-x.md", k_adr));
        CHECK_FALSE(parse_adr("0001-x.txt", k_adr));
        CHECK_FALSE(parse_adr("", ""));
    }
    SUBCASE("a Date: after the first section or a malformed one is no date") {
        auto adr = parse_adr("0001-x.md", "# 1. X\n\n## Status\n\nAccepted\n\n## Context\n\nDate: 2020-01-01\n");
        REQUIRE(adr);
        CHECK_FALSE(adr->date);
        adr = parse_adr("0001-x.md", "# 1. X\n\nDate: 18 Jan 2017\n\n## Status\n\nAccepted\n");
        REQUIRE(adr);
        CHECK_FALSE(adr->date);
    }
    SUBCASE("headings and Status inside fenced code do not count") {
        auto adr = parse_adr("0001-x.md", "# 1. X\n\nDate: 2020-01-01\n\n```\n## Status\n\nFake\n```\n\n## Status\n\nAccepted\n");
        REQUIRE(adr);
        CHECK(adr->status == "Accepted");
    }
    SUBCASE("hostile titles: control characters dropped, one line") {
        auto adr = parse_adr("0001-x.md", "# 1. Evil\x1b[31m title\x07\t!\n\n## Status\n\nAcc\x1b]0;pwn\x07epted\n");
        REQUIRE(adr);
        CHECK(adr->title == "Evil[31m title !");
        CHECK(adr->title.find('\x1b') == std::string::npos);
        CHECK(adr->status.find('\x1b') == std::string::npos);
        CHECK(adr->status.find('\x07') == std::string::npos);
    }
    SUBCASE("NUL and invalid UTF-8 never reach the title") {
        std::string text = std::string{"# 1. A"} + '\0' + "B\xff\n\n## Status\n\nAccepted\n";
        auto adr = parse_adr("0001-x.md", text);
        REQUIRE(adr);
        CHECK(adr->title.find('\0') == std::string::npos);
        CHECK(adr->title.find('\xff') == std::string::npos);
    }
    SUBCASE("+++ lines in the body are body") {
        auto adr = parse_adr("0001-x.md", "# 1. X\n\n+++\nid = \"x\"\n+++\n\n## Status\n\nAccepted\n");
        REQUIRE(adr);
        CHECK(adr->title == "X");
        CHECK(adr->status == "Accepted");
    }
    SUBCASE("huge: a title and a status are cut to 500 bytes on a character boundary") {
        std::string title(100000, 'a');
        std::string status;
        for (int i = 0; i < 50000; ++i) {
            status += "\xC3\xA9"; // é
        }
        auto adr = parse_adr("0001-x.md", "# 1. " + title + "\n\n## Status\n\n" + status + "\n");
        REQUIRE(adr);
        CHECK(adr->title.size() == 500);
        CHECK(adr->status.size() == 500);
        CHECK(adr->status.substr(498) == "\xC3\xA9");
    }
    SUBCASE("many lines") {
        std::string body = "# 1. X\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\n## Context\n\n";
        for (int i = 0; i < 200000; ++i) {
            body += "line\n";
        }
        auto adr = parse_adr("0001-x.md", body);
        REQUIRE(adr);
        CHECK(adr->status == "Accepted");
    }
}

TEST_CASE("import::status_of_adr") {
    CHECK(async::status_of_adr("Accepted") == "closed");
    CHECK(async::status_of_adr("accepted on 2020-01-01") == "closed");
    CHECK(async::status_of_adr("Superseded by [3. X](0003-x.md)") == "closed");
    CHECK(async::status_of_adr("Deprecated") == "closed");
    CHECK(async::status_of_adr("Rejected") == "closed");
    CHECK(async::status_of_adr("Proposed") == "open");
    CHECK(async::status_of_adr("Draft") == "draft");
    CHECK(async::status_of_adr("") == "open");
    CHECK(async::status_of_adr("whatever") == "open");
}

TEST_CASE("import::import_hash") {
    CHECK(async::import_hash("") == "fnv1a64:cbf29ce484222325");
    CHECK(async::import_hash("a") == "fnv1a64:af63dc4c8601ec8c");
    CHECK(async::import_hash("a") != async::import_hash("b"));
}
