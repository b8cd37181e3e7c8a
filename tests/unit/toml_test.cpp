#include <async/document.hpp>
#include <async/error.hpp>
#include <async/toml.hpp>

#include <doctest/doctest.h>

#include <string>

namespace {

std::string repeated(const std::string& part, std::size_t n, const std::string& sep) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out += (i ? sep : "") + part;
    }
    return out;
}

// The parse_error parse_toml throws for text, as "line:column: description"; "" if it parses.
std::string failure_of(const std::string& text) {
    try {
        async::parse_toml(text, "t.toml");
    } catch (const toml::parse_error& e) {
        return std::to_string(e.source().begin.line) + ":" + std::to_string(e.source().begin.column) +
               ": " + std::string{e.description()};
    }
    return "";
}

bool too_deep(const std::string& text) {
    return failure_of(text).find("TOML nested more than 64 levels deep") != std::string::npos;
}

} // namespace

TEST_CASE("toml::parse_toml bounds nesting before toml++ sees it") {
    SUBCASE("dotted keys: 64 parts are read, 65 are refused where the 65th starts") {
        auto table = async::parse_toml(repeated("a", 64, ".") + " = 1\n", "t.toml");
        CHECK(table.at_path(repeated("a", 64, ".")).value<int>() == 1);
        CHECK(failure_of("x = 1\n" + repeated("a", 65, ".") + " = 1\n").starts_with("2:128: TOML nested"));
    }
    SUBCASE("table headers, arrays of tables, arrays and inline tables count") {
        CHECK_FALSE(too_deep("[" + repeated("a", 64, ".") + "]\n"));
        CHECK(too_deep("[" + repeated("a", 65, ".") + "]\n"));
        CHECK(too_deep("[[" + repeated("a", 65, " . ") + "]]\n"));
        CHECK_FALSE(too_deep("x = " + std::string(63, '[') + std::string(63, ']') + "\n"));
        CHECK(too_deep("x = " + std::string(64, '[') + std::string(64, ']') + "\n"));
        CHECK(too_deep("x = " + repeated("{y = ", 64, "") + "1" + std::string(64, '}') + "\n"));
        CHECK(failure_of("x = " + repeated("{y = ", 64, "") + "1" + std::string(64, '}') + "\n")
                  .starts_with("1:161: "));
    }
    SUBCASE("levels add up: a header's parts, a key's parts and the brackets of its value") {
        std::string header = "[" + repeated("t", 30, ".") + "]\n";
        CHECK_FALSE(too_deep(header + repeated("k", 30, ".") + " = [[1]]\n"));
        CHECK(too_deep(header + repeated("k", 30, ".") + " = [[[[[1]]]]]\n"));
        CHECK(too_deep("x = {" + repeated("k", 40, ".") + " = {" + repeated("k", 30, ".") + " = 1}}\n"));
    }
    SUBCASE("what is not nesting does not count") {
        std::string dots = repeated("a", 100, ".");
        std::string brackets = std::string(100, '[');
        CHECK(failure_of("s = \"" + dots + brackets + "\"\n"
                         "l = '" + dots + "'\n"
                         "m = \"\"\"\n" + dots + "\n" + brackets + "\"\"\"\"\n"
                         "n = '''" + brackets + "\n''''\n"
                         "e = \"\\\"" + brackets + "\"\n"
                         "f = [1.5, 2.5, 1979-05-27T07:32:00.999Z]\n"
                         "# " + dots + brackets + "\n"
                         "\"" + dots + "\" = 1\n"
                         "[\"h." + dots + "\".'" + dots + "']\n") == "");
        // Siblings are not nested: the level of each comes back when it closes.
        std::string many;
        for (int i = 0; i < 200; ++i) {
            many += "[" + repeated("s" + std::to_string(i), 40, ".") + "]\n" + repeated("k", 19, ".") +
                    " = [{" + repeated("a", 2, ".") + " = 1}, {" + repeated("b", 2, ".") + " = [1]}]\n";
        }
        CHECK(failure_of(many) == "");
    }
    SUBCASE("300,000 levels fail as a parse error instead of overflowing the stack") {
        CHECK(too_deep(repeated("a", 300000, ".") + " = 1\n"));
        CHECK(too_deep("[" + repeated("a", 300000, ".") + "]\n"));
        CHECK(too_deep("x = " + std::string(300000, '[') + "\n"));
        CHECK(too_deep("x = " + repeated("{a = ", 300000, "") + "\n"));
    }
}

TEST_CASE("toml::parse_toml survives toml++ 3.3.0's known failures") {
    // In a build without NDEBUG (scripts/sanitize.sh) these aborted on an assertion or reached
    // __builtin_unreachable(); everywhere they must be ordinary parse errors.
    for (std::string text : {"created = 2026-11-06T10id0:0\u03a5\n", "[[[x]]]\n", "T::1:\n",
                             "x = 1 \u00a1\n", "x = 1 \u0499\n", "x = 1 \ufba6\n", "x = 1 \uff9f\n"}) {
        CAPTURE(text);
        CHECK_THROWS_AS(async::parse_toml(text, "t.toml"), toml::parse_error);
    }
    // The characters of the ranges the whitespace table forgot are still read where they belong.
    auto table = async::parse_toml("t = \"\u03a5\u00e9 \uff10\"\n\"\u0100\" = 1\n"
                                   "a = \"\"\"\\\n  \u0100\"\"\"\n", "t.toml");
    CHECK(table["t"].value<std::string>() == "\u03a5\u00e9 \uff10");
    CHECK(table["\u0100"].value<int>() == 1);
    CHECK(table["a"].value<std::string>() == "\u0100");
}

TEST_CASE("toml::parse_toml errors reach documents with their position") {
    std::string front = "+++\nid = \"abcd1234\"\n" + repeated("a", 300000, ".") + " = 1\n+++\nbody\n";
    try {
        async::Document::parse(front, "docs/x/index.md");
        FAIL("a document nested 300,000 levels deep parsed");
    } catch (const async::Error& e) {
        CHECK(std::string{e.what()}.starts_with("docs/x/index.md:3:128: TOML nested more than 64 levels deep"));
    }
}
