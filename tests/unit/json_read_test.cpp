#include <async/error.hpp>
#include <async/json_read.hpp>

#include <doctest/doctest.h>

#include <string>

using async::JsonLimits;
using async::JsonValue;
using async::parse_json;
using namespace std::string_literals;

TEST_CASE("json_read::a watchman answer") {
    JsonValue v = parse_json(R"( {"version": "4.9.0", "clock": "c:1:2:3", "is_fresh_instance": false,
        "files": [{"name": "docs/a.md", "exists": true, "type": "f"}, {"name": "docs/b", "exists": false}]} )");
    REQUIRE(v.type == JsonValue::Type::object);
    CHECK(*v.find_string("clock") == "c:1:2:3");
    CHECK(v.find("is_fresh_instance")->type == JsonValue::Type::boolean);
    CHECK_FALSE(v.find("is_fresh_instance")->boolean);
    const JsonValue* files = v.find("files");
    REQUIRE(files->items.size() == 2);
    CHECK(*files->items[0].find_string("name") == "docs/a.md");
    CHECK(files->items[1].find("exists")->boolean == false);
    CHECK(v.find("missing") == nullptr);
    CHECK(v.find_string("files") == nullptr);
}

TEST_CASE("json_read::scalars, escapes and numbers") {
    CHECK(parse_json("null").type == JsonValue::Type::null);
    CHECK(parse_json("true").boolean);
    CHECK(parse_json("-12.5e1").number == -125);
    CHECK(parse_json("0").number == 0);
    CHECK(parse_json(R"("a\"\\\/\b\f\n\r\t")").string == "a\"\\/\b\f\n\r\t");
    CHECK(parse_json(R"("\u00e9\ud83d\ude00")").string == "\xC3\xA9\xF0\x9F\x98\x80");
    CHECK(parse_json("\"caf\xC3\xA9\"").string == "caf\xC3\xA9");
    CHECK(parse_json("[]").items.empty());
    CHECK(parse_json("{}").members.empty());
}

TEST_CASE("json_read::malformed text is refused") {
    for (std::string bad : {""s, " "s, "{"s, "["s, "[1,]"s, "{\"a\":1,}"s, "{\"a\" 1}"s, "{a:1}"s, "01"s, "1."s,
                            "-"s, "1e"s, ".5"s, "+1"s, "nul"s, "truex"s, "[1] [2]"s, "\"abc"s, "\"\\x\""s,
                            "\"\\u12\""s, "\"\\ud800\""s, "\"\\udc00\""s, "\"\\ud800\\u0041\""s, "\"a\nb\""s,
                            "\"\x01\""s, "\"\xC3\""s, "\"\xED\xA0\x80\""s, "\"\xFF\""s, "1e999"s, "[1 2]"s,
                            "\"a\\"s, "\0"s, "\"\\u0000\""s, "{\"a\\u0000b\":1}"s, "{\"a\":1,\"a\":2}"s,
                            "NaN"s, "Infinity"s}) {
        CAPTURE(bad);
        CHECK_THROWS_AS(parse_json(bad), async::Error);
    }
}

TEST_CASE("json_read::hostile nesting, size and count are bounded") {
    std::string deep(100000, '[');
    CHECK_THROWS_WITH_AS(parse_json(deep), doctest::Contains("nested deeper"), async::Error);
    std::string ok = std::string(64, '[') + std::string(64, ']');
    CHECK(parse_json(ok).items.size() == 1);
    std::string too_deep = std::string(65, '[') + std::string(65, ']');
    CHECK_THROWS_AS(parse_json(too_deep), async::Error);
    JsonLimits small;
    small.max_bytes = 10;
    CHECK_THROWS_WITH_AS(parse_json("[1,2,3,4,5,6]", small), doctest::Contains("longer than"), async::Error);
    JsonLimits few;
    few.max_values = 3;
    CHECK(parse_json("[1,2]", few).items.size() == 2);
    CHECK_THROWS_AS(parse_json("[1,2,3]", few), async::Error);
    // A huge flat object with many distinct keys parses in reasonable time; one repeat fails.
    std::string big = "{";
    for (int i = 0; i < 200000; ++i) {
        big += (i == 0 ? "\"k" : ",\"k") + std::to_string(i) + "\":" + std::to_string(i);
    }
    CHECK(parse_json(big + "}").members.size() == 200000);
    CHECK_THROWS_WITH_AS(parse_json(big + ",\"k7\":0}"), doctest::Contains("duplicate key"), async::Error);
    std::string long_string = "\"" + std::string(1 << 20, 'x') + "\"";
    CHECK(parse_json(long_string).string.size() == (1u << 20));
}
