#include <async/text.hpp>

#include <doctest/doctest.h>

// The library is built against the shared toml++; the test uses it the same way.
#include <async/toml.hpp>

#include <optional>
#include <string>
#include <vector>

using async::Newlines;
using namespace std::string_literals;

namespace {

const std::string k_replacement = "\xEF\xBF\xBD"; // U+FFFD

} // namespace

TEST_CASE("text::find_invalid_utf8") {
    using namespace std::string_view_literals;
    using async::find_invalid_utf8;
    SUBCASE("clean text") {
        CHECK(find_invalid_utf8("") == std::nullopt);
        CHECK(find_invalid_utf8("plain ASCII\twith\nnewlines") == std::nullopt);
        CHECK(find_invalid_utf8("é ß € 日本 😀") == std::nullopt);
        CHECK(find_invalid_utf8("\x7F") == std::nullopt);
        CHECK(find_invalid_utf8("\xC2\x80") == std::nullopt);         // U+0080, smallest 2-byte
        CHECK(find_invalid_utf8("\xDF\xBF") == std::nullopt);         // U+07FF
        CHECK(find_invalid_utf8("\xE0\xA0\x80") == std::nullopt);     // U+0800, smallest 3-byte
        CHECK(find_invalid_utf8("\xED\x9F\xBF") == std::nullopt);     // U+D7FF, below surrogates
        CHECK(find_invalid_utf8("\xEE\x80\x80") == std::nullopt);     // U+E000, above surrogates
        CHECK(find_invalid_utf8("\xEF\xBF\xBF") == std::nullopt);     // U+FFFF
        CHECK(find_invalid_utf8("\xF0\x90\x80\x80") == std::nullopt); // U+10000
        CHECK(find_invalid_utf8("\xF4\x8F\xBF\xBF") == std::nullopt); // U+10FFFF
    }
    SUBCASE("a bad byte at every place of a word of eight, after clean text of any length") {
        // The ASCII runs are checked eight bytes at a time: every alignment, both sides.
        for (std::size_t before = 0; before < 20; ++before) {
            for (std::string_view bad : {"\0"sv, "\x80"sv, "\xFF"sv, "\xC3"sv, "\xE2\x82"sv, "\xED\xA0\x80"sv}) {
                for (std::size_t after : {0u, 1u, 7u, 8u, 9u, 17u}) {
                    std::string text = std::string(before, 'a') + std::string{bad} + std::string(after, 'z');
                    CAPTURE(before);
                    CAPTURE(after);
                    CHECK(find_invalid_utf8(text) == before);
                    std::string good = std::string(before, 'a') + "é€😀" + std::string(after, 'z');
                    CHECK(find_invalid_utf8(good) == std::nullopt);
                }
            }
        }
    }
    SUBCASE("overlong forms") {
        CHECK(find_invalid_utf8("\xC0\xAF") == 0u);             // '/' in 2 bytes
        CHECK(find_invalid_utf8("ab\xC1\xBF") == 2u);           // U+007F in 2 bytes
        CHECK(find_invalid_utf8("a\xE0\x80\xAF") == 1u);        // '/' in 3 bytes
        CHECK(find_invalid_utf8("abc\xE0\x9F\xBF") == 3u);      // U+07FF in 3 bytes
        CHECK(find_invalid_utf8("\xF0\x80\x80\xAF") == 0u);     // '/' in 4 bytes
        CHECK(find_invalid_utf8("\xF0\x8F\xBF\xBF") == 0u);     // U+FFFF in 4 bytes
        CHECK(find_invalid_utf8("x\xC0\x80") == 1u);            // "modified UTF-8" NUL
    }
    SUBCASE("surrogates") {
        CHECK(find_invalid_utf8("\xED\xA0\x80") == 0u);         // U+D800
        CHECK(find_invalid_utf8("ok \xED\xBF\xBF") == 3u);      // U+DFFF
        CHECK(find_invalid_utf8("\xED\xA0\xBD\xED\xB8\x80") == 0u); // CESU-8 pair
    }
    SUBCASE("above U+10FFFF") {
        CHECK(find_invalid_utf8("\xF4\x90\x80\x80") == 0u);     // U+110000
        CHECK(find_invalid_utf8("ab\xF7\xBF\xBF\xBF") == 2u);
        CHECK(find_invalid_utf8("\xF8\x88\x80\x80\x80") == 0u); // 5-byte form
        CHECK(find_invalid_utf8("\xFC\x84\x80\x80\x80\x80") == 0u);
        CHECK(find_invalid_utf8("\xFE") == 0u);
        CHECK(find_invalid_utf8("a\xFF") == 1u);
    }
    SUBCASE("truncated and broken sequences") {
        CHECK(find_invalid_utf8("ab\xE2\x82") == 2u);           // € cut short at the end
        CHECK(find_invalid_utf8("\xC3") == 0u);
        CHECK(find_invalid_utf8("\xF0\x9F\x98") == 0u);
        CHECK(find_invalid_utf8("\xE2\x82x") == 0u);            // continuation missing mid-text
        CHECK(find_invalid_utf8("\xC3 b") == 0u);
        CHECK(find_invalid_utf8("\x80") == 0u);                 // lone continuation byte
        CHECK(find_invalid_utf8("é\xA9") == 2u);                // one continuation too many
    }
    SUBCASE("NUL bytes") {
        CHECK(find_invalid_utf8("\0"s) == 0u);
        CHECK(find_invalid_utf8("abc\0def"s) == 3u);
        CHECK(find_invalid_utf8("é\0"s) == 2u);
    }
    SUBCASE("the first problem is reported") {
        CHECK(find_invalid_utf8("ok\0then \xFF"s) == 2u);
        CHECK(find_invalid_utf8("ok \xFF then\0"s) == 3u);
    }
}

TEST_CASE("text::line_col_at") {
    using async::line_col_at;
    auto at = [](std::string_view text, std::size_t offset) {
        auto lc = line_col_at(text, offset);
        return std::to_string(lc.line) + ":" + std::to_string(lc.column);
    };
    CHECK(at("", 0) == "1:1");
    CHECK(at("abc", 0) == "1:1");
    CHECK(at("abc", 2) == "1:3");
    CHECK(at("ab\ncd", 2) == "1:3"); // the newline itself is the end of line 1
    CHECK(at("ab\ncd", 3) == "2:1");
    CHECK(at("ab\ncd", 4) == "2:2");
    CHECK(at("a\n\n\nb", 4) == "4:1");
    CHECK(at("é!", 2) == "1:3"); // columns count bytes
    CHECK(at("ab\ncd", 99) == "2:3"); // clamped to the end of the text
}

TEST_CASE("text::LineIndex agrees with line_col_at and counts CommonMark's line breaks") {
    auto at = [](std::string_view text, std::size_t offset) {
        auto lc = async::LineIndex{text}.at(offset);
        return std::to_string(lc.line) + ":" + std::to_string(lc.column);
    };
    for (std::string_view text : {"", "abc", "ab\ncd", "a\n\n\nb", "\xc3\xa9!\nx\n"}) {
        async::LineIndex index{text};
        for (std::size_t offset = 0; offset <= text.size() + 1; ++offset) {
            auto expected = async::line_col_at(text, offset);
            CHECK(index.at(offset).line == expected.line);
            CHECK(index.at(offset).column == expected.column);
            CHECK(index.line_of(offset) == expected.line);
        }
    }
    CHECK(at("ab\r\ncd", 2) == "1:3"); // "\r\n" is one break, its "\r" the end of line 1
    CHECK(at("ab\r\ncd", 4) == "2:1");
    CHECK(at("ab\rcd", 3) == "2:1"); // a lone "\r" breaks a line too
    CHECK(at("a\r\rb", 3) == "3:1");
    CHECK(at("ab\ncd", 99) == "2:3");
}

TEST_CASE("text::closest_words") {
    using async::closest_words;
    using Words = std::vector<std::string>;
    Words commands{"init", "doc", "inbox", "index", "list", "show"};
    CHECK(closest_words("dco", commands) == Words{"doc"});   // a swap is one edit
    CHECK(closest_words("lsit", commands) == Words{"list"});
    CHECK(closest_words("INIT", commands) == Words{"init"}); // case ignored
    CHECK(closest_words("in", commands) == Words{"init", "inbox", "index"}); // words it begins
    CHECK(closest_words("nosuch", commands).empty());
    CHECK(closest_words("x", commands).empty());             // one letter is too short to guess
    CHECK(closest_words("", commands).empty());
    CHECK(closest_words(std::string(100000, 'd'), commands).empty());
}

TEST_CASE("text::is_printable_ascii checks every byte value at every place of a word") {
    // Eight bytes are checked at once: each byte value, at each place in and after the first
    // two words (and in a tail shorter than a word), must give the answer of a plain test.
    for (std::size_t size : {1u, 7u, 8u, 9u, 16u, 19u}) {
        for (std::size_t at = 0; at < size; ++at) {
            for (int value = 0; value < 256; ++value) {
                std::string text(size, 'a');
                text[at] = static_cast<char>(value);
                bool printable = value >= 0x20 && value < 0x7F;
                CAPTURE(size);
                CAPTURE(at);
                CAPTURE(value);
                CHECK(async::is_printable_ascii(text) == printable);
            }
        }
    }
    CHECK(async::is_printable_ascii(""));
    CHECK(async::is_printable_ascii(" ~~~~~~~~~~~~~~~~ "));          // the edges of the range
    CHECK_FALSE(async::is_printable_ascii("\x1f\x7f\x1f\x7f\x1f\x7f\x1f\x7f")); // just outside
    CHECK_FALSE(async::is_printable_ascii("abcdefg\xff"));            // a carry out of the word
}

TEST_CASE("text::sanitize_for_terminal") {
    using async::sanitize_for_terminal;
    SUBCASE("escape sequences are shown, not sent") {
        CHECK(sanitize_for_terminal("\x1b[2J") == "^[[2J");
        CHECK(sanitize_for_terminal("red \x1b[31mtext\x1b[0m") == "red ^[[31mtext^[[0m");
        CHECK(sanitize_for_terminal("\x1b]0;title\x07") == "^[]0;title^G");
        CHECK(sanitize_for_terminal("bell\x07 bs\x08 del\x7f") == "bell^G bs^H del^?");
        CHECK(sanitize_for_terminal("\0"s) == "^@");
        CHECK(sanitize_for_terminal("\x1f") == "^_");
    }
    SUBCASE("C1 controls become U+FFFD") {
        CHECK(sanitize_for_terminal("\xC2\x9B" "31m") == k_replacement + "31m"); // CSI
        CHECK(sanitize_for_terminal("a\xC2\x80" "b\xC2\x9F" "c") ==
              "a" + k_replacement + "b" + k_replacement + "c");
        CHECK(sanitize_for_terminal("\xC2\xA0") == "\xC2\xA0"); // U+00A0 is no control
    }
    SUBCASE("bidirectional controls are removed") {
        CHECK(sanitize_for_terminal("abc\xE2\x80\xAE" "fed") == "abcfed");               // RLO
        CHECK(sanitize_for_terminal("\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD") == "");
        CHECK(sanitize_for_terminal("x\xE2\x81\xA6y\xE2\x81\xA9z") == "xyz");           // LRI, PDI
        CHECK(sanitize_for_terminal("\xE2\x80\x8E\xE2\x80\x8F\xD8\x9C!") == "!");       // LRM RLM ALM
        CHECK(sanitize_for_terminal("\xE2\x80\x8D") == "\xE2\x80\x8D"); // ZWJ is kept
    }
    SUBCASE("invalid UTF-8 becomes U+FFFD, one per bad byte") {
        CHECK(sanitize_for_terminal("a\xFF" "b") == "a" + k_replacement + "b");
        CHECK(sanitize_for_terminal("\xE2\x82") == k_replacement + k_replacement);
        CHECK(sanitize_for_terminal("\xC0\xAF") == k_replacement + k_replacement);
        CHECK(sanitize_for_terminal("\xED\xA0\x80") == k_replacement + k_replacement + k_replacement);
    }
    SUBCASE("ordinary text is unchanged") {
        const std::string text = "Crème brûlée — 日本語 😀\n\tindented\n";
        CHECK(sanitize_for_terminal(text) == text);
    }
    SUBCASE("carriage returns are dropped so they cannot overwrite a line") {
        CHECK(sanitize_for_terminal("a\r\nb") == "a\nb");
        CHECK(sanitize_for_terminal("safe\rEVIL") == "safeEVIL");
    }
    SUBCASE("flatten turns newlines, tabs and CRs into spaces") {
        CHECK(sanitize_for_terminal("a\nb\tc\r\nd", Newlines::flatten) == "a b c  d");
        CHECK(sanitize_for_terminal("x\x1b[2Jy\n", Newlines::flatten) == "x^[[2Jy ");
        CHECK(sanitize_for_terminal("a\nb", Newlines::keep) == "a\nb");
    }
}

TEST_CASE("text::to_lower_ascii") {
    CHECK(async::to_lower_ascii("Hello WORLD 42") == "hello world 42");
    CHECK(async::to_lower_ascii("ÀÉ Ü") == "ÀÉ Ü"); // only ASCII letters change
    CHECK(async::to_lower_ascii("") == "");
}

TEST_CASE("text::trim") {
    using async::trim;
    CHECK(trim("  a b  ") == "a b");
    CHECK(trim(" \t\r\n a\tb \r\n\t") == "a\tb");
    CHECK(trim("") == "");
    CHECK(trim(" \t\r\n") == "");
    CHECK(trim("x") == "x");
    CHECK(trim("\va\f") == "\va\f"); // only space, tab, CR and LF are blanks
    CHECK(trim("\xC2\xA0" "a") == "\xC2\xA0" "a");
}

TEST_CASE("text::split_list") {
    using async::split_list;
    using V = std::vector<std::string>;
    CHECK(split_list("a, b,,c") == V{"a", "b", "c"});
    CHECK(split_list("") == V{});
    CHECK(split_list(" , ,, ") == V{});
    CHECK(split_list("solo") == V{"solo"});
    CHECK(split_list(" bob ,\tcarol\n") == V{"bob", "carol"});
    CHECK(split_list("a,") == V{"a"});
    CHECK(split_list(",a") == V{"a"});
    CHECK(split_list("a b, c d") == V{"a b", "c d"});
    CHECK(split_list("x;y, z", ';') == V{"x", "y, z"});
}

TEST_CASE("text::toml_quote") {
    using async::toml_quote;
    SUBCASE("exact escapes") {
        CHECK(toml_quote("") == "\"\"");
        CHECK(toml_quote("plain") == "\"plain\"");
        CHECK(toml_quote("a\"b") == "\"a\\\"b\"");
        CHECK(toml_quote("a\\b") == "\"a\\\\b\"");
        CHECK(toml_quote("l1\nl2\tx\ry") == "\"l1\\nl2\\tx\\ry\"");
        CHECK(toml_quote("\x01\x1b\x1f\x7f") == "\"\\u0001\\u001B\\u001F\\u007F\"");
        CHECK(toml_quote("\0"s) == "\"\\u0000\"");
        CHECK(toml_quote("é 😀") == "\"é 😀\"");
        CHECK(toml_quote("'single' #hash") == "\"'single' #hash\"");
    }
    SUBCASE("round-trips through a TOML parser") {
        std::vector<std::string> values = {"",
                                           "plain",
                                           "quote \" and backslash \\",
                                           "\\u0041 is not unescaped",
                                           "new\nline\r\ncrlf\ttab",
                                           "\"\"\" triple",
                                           "Crème brûlée 😀 日本語",
                                           "\x01\x02\x1b[2J\x7f",
                                           "\0 nul"s,
                                           "# not a comment",
                                           "= [x] {y}"};
        std::string all;
        for (int c = 1; c < 0x80; ++c) {
            all += static_cast<char>(c);
        }
        values.push_back(all);
        for (const auto& value : values) {
            CAPTURE(value);
            std::string doc = "v = " + toml_quote(value) + "\n";
            toml::table table;
            try {
                table = toml::parse(doc);
            } catch (const toml::parse_error& e) {
                FAIL("toml++ rejected " << doc << ": " << e.description());
            }
            auto parsed = table["v"].value<std::string>();
            REQUIRE(parsed.has_value());
            CHECK(*parsed == value);
            CHECK(doc.find('\n') == doc.size() - 1); // always a single line
        }
    }
}

TEST_CASE("text::strip_controls") {
    using async::Newlines;
    using async::strip_controls;
    CHECK(strip_controls("a\x1b[31mb\x7f", Newlines::keep) == "a[31mb");
    CHECK(strip_controls("l1\nl2\tx", Newlines::keep) == "l1\nl2\tx");
    CHECK(strip_controls("l1\nl2\tx", Newlines::flatten) == "l1 l2 x");
    CHECK(strip_controls("pay \xE2\x80\xAE" "evil\xE2\x80\xAC \xC2\x9B" "31m \xE2\x81\xA6x\xE2\x81\xA9", Newlines::keep) ==
          "pay evil 31m x");
    CHECK(strip_controls("bad \xFF byte", Newlines::keep) == "bad \xEF\xBF\xBD byte");
    CHECK(strip_controls("Crème 😀 — ok", Newlines::keep) == "Crème 😀 — ok");
    CHECK(async::is_invisible_control(0x9B));
    CHECK(async::is_invisible_control(0x202E));
    CHECK(!async::is_invisible_control(0xA0));
    CHECK(!async::is_invisible_control(0x2014));
}

TEST_CASE("text::split_lines") {
    using V = std::vector<std::string_view>;
    CHECK(async::split_lines("") == V{});
    CHECK(async::split_lines("a") == V{"a"});
    CHECK(async::split_lines("a\n") == V{"a"});
    CHECK(async::split_lines("a\n\nb") == V{"a", "", "b"});
    CHECK(async::split_lines("\n") == V{""});
    CHECK(async::split_lines("a\r\nb\r\n") == V{"a\r", "b\r"});
}

TEST_CASE("text::fnv1a_64 and leading_hex") {
    // FNV's published test values, so imported_hash stays what other tools compute.
    CHECK(async::fnv1a_64({""}, async::k_fnv1a_offset_basis) == 0xcbf29ce484222325ULL);
    CHECK(async::fnv1a_64({"a"}, async::k_fnv1a_offset_basis) == 0xaf63dc4c8601ec8cULL);
    // async's own basis: parts hash as if joined, and ids stay what they were.
    CHECK(async::fnv1a_64({"ab", "c"}) == async::fnv1a_64({"abc"}));
    CHECK(async::fnv1a_64({""}) == async::k_async_hash_basis);
    CHECK(async::leading_hex(0xcbf29ce484222325ULL, 7) == "cbf29ce");
    CHECK(async::leading_hex(0xcbf29ce484222325ULL, 16) == "cbf29ce484222325");
    CHECK(async::leading_hex(0x1ULL, 20) == "0000000000000001");
    CHECK(async::short_hash("abc") == async::leading_hex(async::fnv1a_64({"abc"}), 7));
}

TEST_CASE("text::is_ascii_digit") {
    CHECK(async::is_ascii_digit('0'));
    CHECK(async::is_ascii_digit('9'));
    CHECK_FALSE(async::is_ascii_digit('a'));
    CHECK_FALSE(async::is_ascii_digit('\xd9')); // a UTF-8 byte of an Arabic-Indic digit
}
