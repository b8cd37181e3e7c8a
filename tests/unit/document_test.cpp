#include <async/document.hpp>
#include <async/error.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <array>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

using async::Document;
using async::ErrorKind;
using async::TimePoint;
using async_test::error_of;
using namespace std::string_literals;

namespace {

// Built without the code under test.
TimePoint utc(int y, unsigned m, unsigned d, int h = 0, int min = 0, int s = 0) {
    return TimePoint{std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} /
                                           std::chrono::day{d}}} +
           std::chrono::hours{h} + std::chrono::minutes{min} + std::chrono::seconds{s};
}

// A front matter with everything async must keep verbatim: comments, unknown keys, a literal
// string, an inline table, multi-line arrays (one of them with lines starting with '['), a
// multi-line string with a line that looks like a table header, and nested tables.
const std::string k_rich_front = "# leading comment\n"
                                 "id = \"k3f9q2ma\"\n"
                                 "type = \"doc\"\n"
                                 "title = \"Pricing page redesign\"   # trailing comment\n"
                                 "author = \"alice\"\n"
                                 "created = 2026-11-26T10:15:00Z\n"
                                 "status = \"open\"                  # draft | open | closed\n"
                                 "reviewers = [\n"
                                 "  \"bob\",   # first\n"
                                 "  \"carol\",\n"
                                 "]\n"
                                 "point = { x = 1, y = [1, 2] }\n"
                                 "unknown_key = 'literal \\ string'\n"
                                 "multi = \"\"\"\n"
                                 "line one\n"
                                 "[not a table]\n"
                                 "\"\"\"\n"
                                 "matrix = [\n"
                                 "  [1, 2],\n"
                                 "  [3],\n"
                                 "]\n"
                                 "\n"
                                 "[extra]  # a nested table\n"
                                 "foo = \"bar\"\n"
                                 "[extra.deeper]\n"
                                 "baz = 1\n";
const std::string k_rich_body = "# Body\n\nText with\n+++\ninside.\n";
const std::string k_rich = "+++\n" + k_rich_front + "+++\n" + k_rich_body;

// text with the one line equal to from replaced by to (which may be several lines or empty).
std::string replace_line(const std::string& text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.substr(0, at) + to + text.substr(at + from.size());
}

} // namespace

TEST_CASE("document::parse") {
    SUBCASE("round-trips a rich front matter and body byte for byte") {
        Document doc = Document::parse(k_rich, "doc.md");
        CHECK(doc.render() == k_rich);
        CHECK(doc.front_matter() == k_rich_front);
        CHECK(doc.body() == k_rich_body);
        CHECK(doc.body_line() == 29);
    }
    SUBCASE("keys are the top-level keys in file order, nested tables excluded") {
        Document doc = Document::parse(k_rich, "doc.md");
        CHECK(doc.keys() == std::vector<std::string>{"id", "type", "title", "author", "created",
                                                     "status", "reviewers", "point", "unknown_key",
                                                     "multi", "matrix"});
        CHECK(doc.has("point"));
        CHECK_FALSE(doc.has("extra"));
        CHECK_FALSE(doc.has("foo"));
        CHECK_FALSE(doc.has("missing"));
    }
    SUBCASE("values") {
        Document doc = Document::parse(k_rich, "doc.md");
        CHECK(doc.get_string("title") == "Pricing page redesign");
        CHECK(doc.get_string("unknown_key") == "literal \\ string");
        CHECK(doc.get_string("multi") == "line one\n[not a table]\n");
        CHECK(doc.get_string("missing") == std::nullopt);
        CHECK(doc.get_string("reviewers") == std::nullopt);
        CHECK(doc.get_strings("reviewers") == std::vector<std::string>{"bob", "carol"});
        CHECK(doc.get_strings("author") == std::vector<std::string>{"alice"});
        CHECK(doc.get_strings("missing").empty());
        CHECK(doc.get_time("created") == utc(2026, 11, 26, 10, 15));
    }
    SUBCASE("an empty front matter") {
        Document doc = Document::parse("+++\n+++\nbody\n", "doc.md");
        CHECK(doc.keys().empty());
        CHECK(doc.front_matter() == "");
        CHECK(doc.body() == "body\n");
        CHECK(doc.body_line() == 3);
        CHECK(doc.render() == "+++\n+++\nbody\n");
    }
    SUBCASE("no body") {
        Document doc = Document::parse("+++\na = 1\n+++\n", "doc.md");
        CHECK(doc.body() == "");
        CHECK(doc.render() == "+++\na = 1\n+++\n");
    }
    SUBCASE("unicode keys and values") {
        const std::string text = "+++\ntitle = \"Crème brûlée 😀 日本語\"\n\"clé\" = \"ü\"\n+++\nÄrger\n";
        Document doc = Document::parse(text, "doc.md");
        CHECK(doc.get_string("title") == "Crème brûlée 😀 日本語");
        CHECK(doc.get_string("clé") == "ü");
        CHECK(doc.body() == "Ärger\n");
        CHECK(doc.render() == text);
    }
    SUBCASE("CRLF input is read as LF and rendered back with CRLF") {
        const std::string text = "+++\r\ntitle = \"T\"\r\ntags = [\r\n  \"a\",\r\n]\r\n+++\r\nBody\r\nline 2\r\n";
        Document doc = Document::parse(text, "doc.md");
        CHECK(doc.get_string("title") == "T");
        CHECK(doc.get_strings("tags") == std::vector<std::string>{"a"});
        CHECK(doc.front_matter() == "title = \"T\"\ntags = [\n  \"a\",\n]\n");
        CHECK(doc.body() == "Body\nline 2\n");
        CHECK(doc.render() == text);
        doc.set_string("status", "open");
        CHECK(doc.render() == "+++\r\ntitle = \"T\"\r\ntags = [\r\n  \"a\",\r\n]\r\nstatus = \"open\"\r\n"
                              "+++\r\nBody\r\nline 2\r\n");
    }
    SUBCASE("a UTF-8 BOM is skipped") {
        Document doc = Document::parse("\xEF\xBB\xBF+++\ntitle = \"T\"\n+++\nbody\n", "doc.md");
        CHECK(doc.get_string("title") == "T");
        CHECK(doc.body() == "body\n");
        CHECK(doc.render() == "\xEF\xBB\xBF+++\ntitle = \"T\"\n+++\nbody\n"); // kept on a rewrite
    }
    SUBCASE("fences may carry trailing blanks") {
        Document doc = Document::parse("+++ \na = 1\n+++\t\nbody\n", "doc.md");
        CHECK(doc.get_string("a") == "1");
        CHECK(doc.body() == "body\n");
    }
}

TEST_CASE("document::parse errors") {
    auto check_error = [](const std::string& text, const std::string& message) {
        auto e = error_of([&] { (void)Document::parse(text, "docs/x/index.md"); });
        CHECK(e.kind() == ErrorKind::data);
        CHECK(std::string{e.what()} == message);
    };
    SUBCASE("no front matter") {
        check_error("# Title\n\nbody\n",
                    "docs/x/index.md:1:1: no front matter (the first line must be '+++')");
        check_error("", "docs/x/index.md:1:1: no front matter (the first line must be '+++')");
        check_error("\n+++\na = 1\n+++\n",
                    "docs/x/index.md:1:1: no front matter (the first line must be '+++')");
    }
    SUBCASE("unclosed front matter") {
        check_error("+++\ntitle = \"T\"\nbody\n",
                    "docs/x/index.md:1:1: front matter is not closed (no second '+++' line)");
        check_error("+++", "docs/x/index.md:1:1: front matter is not closed (no second '+++' line)");
        check_error("+++\n", "docs/x/index.md:1:1: front matter is not closed (no second '+++' line)");
    }
    SUBCASE("invalid TOML is located on the file's line (the TOML starts on line 2)") {
        auto e = error_of(
            [] { (void)Document::parse("+++\ntitle = \"ok\"\nbad = \n+++\nbody\n", "docs/x/index.md"); });
        CHECK(e.kind() == ErrorKind::data);
        CHECK(std::string{e.what()}.starts_with("docs/x/index.md:3:7: "));
        CHECK(std::string{e.what()}.find("expected value") != std::string::npos);

        auto dup = error_of(
            [] { (void)Document::parse("+++\na = 1\nb = 2\na = 3\n+++\n", "docs/x/index.md"); });
        CHECK(dup.kind() == ErrorKind::data);
        CHECK(std::string{dup.what()}.starts_with("docs/x/index.md:4:5: "));
    }
    SUBCASE("invalid TOML in a CRLF file keeps the line numbers") {
        auto e = error_of(
            [] { (void)Document::parse("+++\r\na = 1\r\n\r\nbad = \r\n+++\r\n", "docs/x/index.md"); });
        CHECK(std::string{e.what()}.starts_with("docs/x/index.md:4:7: "));
    }
    SUBCASE("NUL byte") {
        check_error("+++\ntitle = \"a\0b\"\n+++\n"s, "docs/x/index.md:2:11: NUL byte in file");
        check_error("+++\na = 1\n+++\nbody\nmore\0\n"s,
                    "docs/x/index.md:5:5: NUL byte in file");
    }
    SUBCASE("invalid UTF-8") {
        check_error("+++\ntitle = \"caf\xE9\"\n+++\n", "docs/x/index.md:2:13: invalid UTF-8");
        check_error("+++\na = 1\n+++\nbody \xC0\xAF\n", "docs/x/index.md:4:6: invalid UTF-8");
        check_error("+++\na = 1\n+++\ncut \xE2\x82", "docs/x/index.md:4:5: invalid UTF-8");
    }
}

TEST_CASE("document::read_document") {
    async_test::TempDir dir;
    std::filesystem::create_directories(dir / "docs/x");
    {
        std::ofstream out{dir / "docs/x/index.md"};
        out << "+++\ntitle = \"T\"\n+++\nbody\n";
    }
    SUBCASE("reads and parses the file under the root") {
        Document doc = async::read_document(dir.path(), "docs/x/index.md");
        CHECK(doc.get_string("title") == "T");
        CHECK(doc.body() == "body\n");
    }
    SUBCASE("messages name the workspace-relative path") {
        {
            std::ofstream out{dir / "docs/x/index.md"};
            out << "+++\nno closing line\n";
        }
        auto e = error_of([&] { (void)async::read_document(dir.path(), "docs/x/index.md"); });
        CHECK(e.kind() == ErrorKind::data);
        CHECK(std::string{e.what()} == "docs/x/index.md:1:1: front matter is not closed (no second '+++' line)");
    }
    SUBCASE("a missing file is a data error") {
        auto e = error_of([&] { (void)async::read_document(dir.path(), "docs/gone/index.md"); });
        CHECK(e.kind() == ErrorKind::data);
    }
}

TEST_CASE("document::from_parts") {
    SUBCASE("adds the final newline of the front matter and counts the body line") {
        Document doc = Document::from_parts("a = 1\nb = \"x\"", "body\n");
        CHECK(doc.front_matter() == "a = 1\nb = \"x\"\n");
        CHECK(doc.render() == "+++\na = 1\nb = \"x\"\n+++\nbody\n");
        CHECK(doc.body_line() == 5);
        CHECK(doc.keys() == std::vector<std::string>{"a", "b"});
    }
    SUBCASE("empty front matter") {
        Document doc = Document::from_parts("", "body\n");
        CHECK(doc.render() == "+++\n+++\nbody\n");
        CHECK(doc.body_line() == 3);
    }
    SUBCASE("invalid TOML is located within the front matter text") {
        auto e = error_of([] { (void)Document::from_parts("a = 1\nb = \n", ""); });
        CHECK(e.kind() == ErrorKind::data);
        CHECK(std::string{e.what()}.starts_with("front matter:2:5: "));
    }
}

TEST_CASE("document::get_time") {
    Document doc = Document::from_parts("offset_dt = 2026-11-28T18:00:00+01:00\n"
                                        "utc_dt = 2026-11-28T17:00:00Z\n"
                                        "local_dt = 2026-11-28T17:00:00\n"
                                        "date_only = 2026-11-28\n"
                                        "iso_string = \"2026-11-28T17:00:00Z\"\n"
                                        "iso_offset_string = \"2026-11-28T12:00:00-05:00\"\n"
                                        "date_string = \"2026-11-28\"\n"
                                        "word = \"tomorrow\"\n"
                                        "number = 25\n",
                                        "");
    const TimePoint five_pm = utc(2026, 11, 28, 17);
    CHECK(doc.get_time("offset_dt") == five_pm);
    CHECK(doc.get_time("utc_dt") == five_pm);
    CHECK(doc.get_time("local_dt") == five_pm); // local date-times are read as UTC
    CHECK(doc.get_time("date_only") == utc(2026, 11, 28));
    CHECK(doc.get_time("iso_string") == five_pm);
    CHECK(doc.get_time("iso_offset_string") == five_pm);
    CHECK(doc.get_time("date_string") == utc(2026, 11, 28));
    CHECK(doc.get_time("word") == std::nullopt);
    CHECK(doc.get_time("number") == std::nullopt);
    CHECK(doc.get_time("missing") == std::nullopt);
    // Times read as strings are rendered in UTC.
    CHECK(doc.get_string("offset_dt") == "2026-11-28T17:00:00Z");
    CHECK(doc.get_string("number") == "25");
}

TEST_CASE("document::literal") {
    Document doc = Document::parse(k_rich, "doc.md");
    CHECK(doc.literal("id") == "\"k3f9q2ma\"");
    CHECK(doc.literal("created") == "2026-11-26T10:15:00Z");
    CHECK(doc.literal("reviewers") == "[\n  \"bob\",   # first\n  \"carol\",\n]");
    CHECK(doc.literal("point") == "{ x = 1, y = [1, 2] }");
    CHECK(doc.literal("unknown_key") == "'literal \\ string'");
    CHECK(doc.literal("multi") == "\"\"\"\nline one\n[not a table]\n\"\"\"");
    CHECK(doc.literal("missing") == std::nullopt);
    CHECK(doc.literal("extra") == std::nullopt);

    SUBCASE("a literal copied to another document gives the same value") {
        Document other = Document::from_parts("", "");
        for (const auto& key : doc.keys()) {
            other.set_literal(key, *doc.literal(key));
        }
        CHECK(other.keys() == doc.keys());
        CHECK(other.get_strings("reviewers") == std::vector<std::string>{"bob", "carol"});
        CHECK(other.get_string("multi") == "line one\n[not a table]\n");
        CHECK(other.get_time("created") == utc(2026, 11, 26, 10, 15));
    }
}

TEST_CASE("document::set_string") {
    SUBCASE("replaces only the key's own line") {
        Document doc = Document::parse(k_rich, "doc.md");
        doc.set_string("status", "closed");
        CHECK(doc.render() ==
              replace_line(k_rich, "status = \"open\"                  # draft | open | closed\n",
                           "status = \"closed\"\n"));
        CHECK(doc.get_string("status") == "closed");
        CHECK(doc.keys().size() == 11);
    }
    SUBCASE("a new key goes before the first [table], after the multi-line values") {
        Document doc = Document::parse(k_rich, "doc.md");
        doc.set_string("new_key", "v");
        CHECK(doc.render() ==
              replace_line(k_rich, "[extra]  # a nested table\n", "new_key = \"v\"\n[extra]  # a nested table\n"));
        CHECK(doc.keys().back() == "new_key");
        CHECK(doc.get_string("new_key") == "v");
        CHECK(doc.get_string("title") == "Pricing page redesign");
    }
    SUBCASE("a new key without tables is appended") {
        Document doc = Document::parse("+++\na = 1\n# end\n+++\nbody\n", "doc.md");
        doc.set_string("b", "x");
        CHECK(doc.render() == "+++\na = 1\n# end\nb = \"x\"\n+++\nbody\n");
    }
    SUBCASE("values needing escapes and unicode round-trip") {
        Document doc = Document::from_parts("", "");
        const std::string nasty = "quote \" backslash \\ newline \n tab \t esc \x1b del \x7f Crème 😀";
        doc.set_string("title", nasty);
        CHECK(doc.get_string("title") == nasty);
        Document again = Document::parse(doc.render(), "again.md");
        CHECK(again.get_string("title") == nasty);
        CHECK(again.front_matter().find('\n') == again.front_matter().size() - 1); // one line
    }
    SUBCASE("a key that is not bare is quoted") {
        Document doc = Document::from_parts("", "");
        doc.set_string("clé d'or", "v");
        CHECK(doc.front_matter() == "\"clé d'or\" = \"v\"\n");
        CHECK(doc.get_string("clé d'or") == "v");
        doc.set_string("clé d'or", "w");
        CHECK(doc.front_matter() == "\"clé d'or\" = \"w\"\n");
    }
}

TEST_CASE("document::set_time") {
    Document doc = Document::parse(k_rich, "doc.md");
    doc.set_time("created", utc(2027, 1, 2, 3, 4, 5));
    CHECK(doc.render() == replace_line(k_rich, "created = 2026-11-26T10:15:00Z\n",
                                       "created = 2027-01-02T03:04:05Z\n"));
    doc.set_time("due", utc(2026, 11, 28, 17));
    CHECK(doc.get_time("due") == utc(2026, 11, 28, 17));
    CHECK(doc.literal("due") == "2026-11-28T17:00:00Z");
    CHECK(doc.render().find("due = 2026-11-28T17:00:00Z\n[extra]") != std::string::npos);
}

TEST_CASE("document::set_strings") {
    SUBCASE("replaces a multi-line array with one line") {
        Document doc = Document::parse(k_rich, "doc.md");
        doc.set_strings("reviewers", {"dan", "erin \"e\""});
        CHECK(doc.render() == replace_line(k_rich, "reviewers = [\n  \"bob\",   # first\n  \"carol\",\n]\n",
                                           "reviewers = [\"dan\", \"erin \\\"e\\\"\"]\n"));
        CHECK(doc.get_strings("reviewers") == std::vector<std::string>{"dan", "erin \"e\""});
    }
    SUBCASE("an empty list") {
        Document doc = Document::from_parts("tags = [\"a\"]\n", "");
        doc.set_strings("tags", {});
        CHECK(doc.front_matter() == "tags = []\n");
        CHECK(doc.get_strings("tags").empty());
        CHECK(doc.has("tags"));
    }
    SUBCASE("replacing the array whose lines start with '['") {
        Document doc = Document::parse(k_rich, "doc.md");
        doc.set_strings("matrix", {"flat"});
        CHECK(doc.render() == replace_line(k_rich, "matrix = [\n  [1, 2],\n  [3],\n]\n",
                                           "matrix = [\"flat\"]\n"));
    }
}

TEST_CASE("document::set_literal") {
    SUBCASE("a valid literal") {
        Document doc = Document::parse(k_rich, "doc.md");
        doc.set_literal("count", "42");
        doc.set_literal("point", "{ x = 2 }");
        CHECK(doc.literal("count") == "42");
        CHECK(doc.get_string("count") == "42");
        CHECK(doc.literal("point") == "{ x = 2 }");
        CHECK(doc.render() ==
              replace_line(replace_line(k_rich, "point = { x = 1, y = [1, 2] }\n", "point = { x = 2 }\n"),
                           "[extra]  # a nested table\n", "count = 42\n[extra]  # a nested table\n"));
    }
    SUBCASE("an invalid literal throws and leaves the document unchanged") {
        Document doc = Document::parse(k_rich, "doc.md");
        for (const char* bad : {"[unclosed", "not valid", "\"open", "1\nid = \"dup\"", ""}) {
            CAPTURE(bad);
            auto e = error_of([&] { doc.set_literal("status", bad); });
            CHECK(e.kind() == ErrorKind::data);
            CHECK(doc.render() == k_rich);
            CHECK(doc.get_string("status") == "open");
            auto e2 = error_of([&] { doc.set_literal("brand_new", bad); });
            CHECK(e2.kind() == ErrorKind::data);
            CHECK(doc.render() == k_rich);
            CHECK_FALSE(doc.has("brand_new"));
            CHECK(doc.keys().size() == 11);
        }
    }
    SUBCASE("a key that clashes with a nested table throws and changes nothing") {
        Document doc = Document::parse(k_rich, "doc.md");
        auto e = error_of([&] { doc.set_literal("extra", "1"); });
        CHECK(e.kind() == ErrorKind::data);
        CHECK(doc.render() == k_rich);
    }
}

TEST_CASE("document::remove") {
    SUBCASE("removes a one-line key") {
        Document doc = Document::parse(k_rich, "doc.md");
        doc.remove("author");
        CHECK(doc.render() == replace_line(k_rich, "author = \"alice\"\n", ""));
        CHECK_FALSE(doc.has("author"));
    }
    SUBCASE("removes every line of a multi-line value") {
        Document doc = Document::parse(k_rich, "doc.md");
        doc.remove("reviewers");
        doc.remove("multi");
        doc.remove("matrix");
        std::string expected = replace_line(k_rich, "reviewers = [\n  \"bob\",   # first\n  \"carol\",\n]\n", "");
        expected = replace_line(expected, "multi = \"\"\"\nline one\n[not a table]\n\"\"\"\n", "");
        expected = replace_line(expected, "matrix = [\n  [1, 2],\n  [3],\n]\n", "");
        CHECK(doc.render() == expected);
        CHECK(doc.keys() == std::vector<std::string>{"id", "type", "title", "author", "created",
                                                     "status", "point", "unknown_key"});
    }
    SUBCASE("removes an inline table") {
        Document doc = Document::parse(k_rich, "doc.md");
        doc.remove("point");
        CHECK(doc.render() == replace_line(k_rich, "point = { x = 1, y = [1, 2] }\n", ""));
    }
    SUBCASE("a missing key or a nested table is left alone") {
        Document doc = Document::parse(k_rich, "doc.md");
        doc.remove("missing");
        doc.remove("extra");
        doc.remove("foo");
        CHECK(doc.render() == k_rich);
    }
}

TEST_CASE("document::new_id") {
    constexpr int k_draws = 100000;
    const std::string alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
    std::unordered_set<std::string> seen;
    std::array<std::array<int, 36>, 8> per_position{};
    std::array<int, 36> overall{};
    int collisions = 0;
    bool all_well_formed = true;
    for (int i = 0; i < k_draws; ++i) {
        std::string id = async::new_id();
        if (id.size() != 8) {
            all_well_formed = false;
            continue;
        }
        for (std::size_t pos = 0; pos < 8; ++pos) {
            auto index = alphabet.find(id[pos]);
            if (index == std::string::npos) {
                all_well_formed = false;
                break;
            }
            ++per_position[pos][index];
            ++overall[index];
        }
        if (!seen.insert(id).second) {
            ++collisions;
        }
    }
    CHECK(all_well_formed);
    // 36^8 ids: about 0.0018 colliding pairs are expected in 100,000 draws.
    CHECK(collisions <= 2);
    // Expected counts: 22,222 per symbol overall (sd ~149) and 2,778 per position (sd ~52), so
    // 0.8x..1.2x is more than 10 standard deviations away: it never flakes, yet a biased
    // generator (e.g. a plain modulo of a byte, or a missing symbol) fails.
    const double expected_overall = k_draws * 8.0 / 36.0;
    for (std::size_t s = 0; s < 36; ++s) {
        CAPTURE(alphabet[s]);
        CHECK(overall[s] > 0.8 * expected_overall);
        CHECK(overall[s] < 1.2 * expected_overall);
    }
    const double expected_position = k_draws / 36.0;
    int outliers = 0;
    for (std::size_t pos = 0; pos < 8; ++pos) {
        for (std::size_t s = 0; s < 36; ++s) {
            if (per_position[pos][s] < 0.8 * expected_position ||
                per_position[pos][s] > 1.2 * expected_position) {
                ++outliers;
            }
        }
    }
    CHECK(outliers == 0);
    CHECK(async::looks_like_id(async::new_id()));
}

TEST_CASE("document::key_infos") {
    using Kind = Document::ValueKind;
    auto doc = Document::parse("+++\nid = \"k3f9q2ma\"\ncreated = 2026-11-26T10:15:00Z\n  tags = [\"a\"]\n"
                               "n = [1]\ncount = 3\n[extra]\nx = 1\n+++\nbody\n",
                               "t.md");
    const auto& keys = doc.key_infos();
    REQUIRE(keys.size() == 6);
    CHECK(keys[0].name == "id");
    CHECK((keys[0].kind == Kind::string && keys[0].line == 2 && keys[0].column == 1));
    CHECK((keys[1].kind == Kind::time && keys[1].line == 3));
    CHECK((keys[2].name == "tags" && keys[2].kind == Kind::string_list && keys[2].line == 4 && keys[2].column == 3));
    CHECK(keys[3].kind == Kind::other_list);
    CHECK(keys[4].kind == Kind::other);
    CHECK((keys[5].name == "extra" && keys[5].kind == Kind::table));
}

TEST_CASE("document::find_merge_conflict") {
    using async::find_merge_conflict;
    SUBCASE("git's three markers, reported at the first") {
        CHECK(find_merge_conflict("a\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> 3f2a1bc (x)\n") == 2u);
        CHECK(find_merge_conflict("<<<<<<<\r\n=======\r\n>>>>>>>\r\n") == 1u); // CRLF, no names
        CHECK(find_merge_conflict("+++\n<<<<<<< HEAD\nid = \"a\"\n=======\nid = \"b\"\n>>>>>>> b\n+++\n") == 2u);
    }
    SUBCASE("look-alikes are no conflict") {
        CHECK_FALSE(find_merge_conflict("Title\n=======\n"));                            // a heading
        CHECK_FALSE(find_merge_conflict("<<<<<<< HEAD\nours\n=======\ntheirs\n"));        // no end
        CHECK_FALSE(find_merge_conflict("=======\n>>>>>>> x\n"));                         // no start
        CHECK_FALSE(find_merge_conflict("<<<<<<<< x\n=======\n>>>>>>> x\n"));             // eight
        CHECK_FALSE(find_merge_conflict(" <<<<<<< x\n=======\n>>>>>>> x\n"));             // indented
        CHECK_FALSE(find_merge_conflict("<<<<<<<x\n=======\n>>>>>>> x\n"));               // glued
        CHECK_FALSE(find_merge_conflict("<<<<<<< x\n======= x\n>>>>>>> x\n"));            // middle not alone
        CHECK_FALSE(find_merge_conflict(""));
    }
    SUBCASE("inside fenced code it is an example") {
        CHECK_FALSE(find_merge_conflict("```\n<<<<<<< HEAD\n=======\n>>>>>>> x\n```\n"));
        CHECK_FALSE(find_merge_conflict("~~~~ text\n<<<<<<< HEAD\n~~~\n=======\n>>>>>>> x\n~~~~\n"));
        CHECK(find_merge_conflict("```\ncode\n```\n<<<<<<< HEAD\n=======\n>>>>>>> x\n") == 4u);
        // An unclosed fence runs to the end, as in CommonMark.
        CHECK_FALSE(find_merge_conflict("```\n<<<<<<< HEAD\n=======\n>>>>>>> x\n"));
    }
}

TEST_CASE("document::slugify") {
    using async::slugify;
    SUBCASE("path characters never survive") {
        CHECK(slugify("../../etc/passwd") == "etc-passwd");
        CHECK(slugify("a/b\\c") == "a-b-c");
        CHECK(slugify("..") == "untitled");
        CHECK(slugify("/") == "untitled");
        CHECK(slugify(".hidden") == "hidden");
        CHECK(slugify("v1.2 release") == "v1-2-release");
    }
    SUBCASE("plain titles") {
        CHECK(slugify("Pricing page redesign") == "pricing-page-redesign");
        CHECK(slugify("  Hello,   World!  ") == "hello-world");
        CHECK(slugify("Q3 2026 OKRs") == "q3-2026-okrs");
        CHECK(slugify("--a--b--") == "a-b");
    }
    SUBCASE("nothing usable left") {
        CHECK(slugify("") == "untitled");
        CHECK(slugify("   ") == "untitled");
        CHECK(slugify("😀🎉") == "untitled");
        CHECK(slugify("日本語") == "untitled");
        CHECK(slugify("!!!") == "untitled");
        CHECK(slugify("'") == "untitled");
    }
    SUBCASE("accents folded, apostrophes dropped, other letters separate words") {
        CHECK(slugify("Crème brûlée") == "creme-brulee");
        CHECK(slugify("ÀÉÎÕÜ àéîõü ñ ç ß") == "aeioue-aeioue-n-c-ss");
        CHECK(slugify("Alice's plan") == "alices-plan");
        CHECK(slugify("Straße 5 × 3") == "strasse-5-3");
        CHECK(slugify("café😀bar") == "cafe-bar");
    }
    SUBCASE("long titles") {
        std::string title;
        for (int i = 0; i < 60; ++i) {
            title += "word ";
        }
        REQUIRE(title.size() == 300);
        std::string slug = slugify(title);
        CHECK(slug.size() <= 50);
        CHECK(slug.back() != '-');
        CHECK(slug == "word-word-word-word-word-word-word-word-word-word");

        std::string long_word(300, 'x');
        CHECK(slugify(long_word) == std::string(50, 'x'));
        CHECK(slugify(std::string(300, '-') + "a") == "a");
        CHECK(slugify(std::string(49, 'x') + " yz") == std::string(49, 'x'));
    }
    SUBCASE("a slug of 41 to 50 characters that was not truncated is kept whole") {
        const std::string a35(35, 'a');
        CHECK(slugify(a35 + " " + std::string(9, 'b')) == a35 + "-" + std::string(9, 'b'));
        CHECK(slugify(a35 + " " + std::string(14, 'b')) == a35 + "-" + std::string(14, 'b'));
        CHECK(slugify(a35 + " " + std::string(14, 'b') + "!!!") == a35 + "-" + std::string(14, 'b'));
        CHECK(slugify("Pricing page redesign for the enterprise tier") ==
              "pricing-page-redesign-for-the-enterprise-tier"); // 45 characters
    }
    SUBCASE("a truncated slug is cut at a word boundary when one is near") {
        const std::string a35(35, 'a');
        // Cut mid-word: back to the last '-'.
        CHECK(slugify(a35 + " " + std::string(20, 'b')) == a35);
        // The cut falls exactly between two words: nothing more to remove.
        CHECK(slugify(a35 + " " + std::string(14, 'b') + " ccc") == a35 + "-" + std::string(14, 'b'));
        // No boundary near the end: the hard cut stays.
        CHECK(slugify(std::string(20, 'a') + " " + std::string(40, 'b')) ==
              std::string(20, 'a') + "-" + std::string(29, 'b'));
        // A folded accent crossing the limit.
        CHECK(slugify(a35 + " " + std::string(13, 'b') + "ææ") == a35);
    }
    SUBCASE("never a path separator or a dot") {
        const std::vector<std::string> titles = {
            "../../etc/passwd", "a/b\\c", "...", "C:\\Windows\\system32", "~/x/.ssh/id_rsa",
            std::string(300, '.'), "name.with.dots", "\xC3", "\xFF\xFE/..", "a\0b/../c"s};
        for (const auto& title : titles) {
            std::string slug = slugify(title);
            CAPTURE(title);
            CHECK(slug.find_first_of("/.\\") == std::string::npos);
            CHECK(!slug.empty());
            CHECK(slug.size() <= 50);
            CHECK(slug.front() != '-');
            CHECK(slug.back() != '-');
            for (char c : slug) {
                CHECK(((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'));
            }
        }
    }
}

TEST_CASE("document::raise_sequence_if_rescheduled") {
    auto event = [](const char* start, const char* sequence) {
        return async::Document::parse(std::string{"+++\nid = \"e1234567\"\ntype = \"event\"\nstart = "} + start +
                                          "\nend = 2026-03-27T10:00:00Z\nsequence = " + sequence + "\n+++\nAgenda.\n",
                                      "event.md");
    };
    async::Document before = event("2026-03-27T09:00:00Z", "3");
    async::Document same = event("2026-03-27T09:00:00Z", "3");
    CHECK_FALSE(async::raise_sequence_if_rescheduled(before, same));
    async::Document moved = event("2026-03-27T08:00:00Z", "3");
    CHECK(async::raise_sequence_if_rescheduled(before, moved));
    CHECK(moved.literal("sequence") == std::optional<std::string>{"4"});
    async::Document raised = event("2026-03-27T08:00:00Z", "9");
    CHECK_FALSE(async::raise_sequence_if_rescheduled(before, raised));
    async::Document garbage = event("2026-03-27T08:00:00Z", "\"x\"");
    CHECK(async::raise_sequence_if_rescheduled(event("2026-03-27T09:00:00Z", "\"y\""), garbage));
    CHECK(garbage.literal("sequence") == std::optional<std::string>{"1"});
    async::Document doc = async::Document::parse("+++\nid = \"d1234567\"\ntype = \"doc\"\nstart = 2026-03-27T08:00:00Z\n+++\n", "d.md");
    async::Document doc_before = async::Document::parse("+++\nid = \"d1234567\"\ntype = \"doc\"\n+++\n", "d.md");
    CHECK_FALSE(async::raise_sequence_if_rescheduled(doc_before, doc));
}
