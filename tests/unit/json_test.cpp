#include <async/json.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

using async::JsonWriter;
using async::json_quote;
using namespace std::string_literals;

TEST_CASE("json::k_json_schema") {
    static_assert(async::k_json_schema >= 1);
    CHECK(async::k_json_schema == 1);
    JsonWriter out;
    out.begin_object().key("schema").value(async::k_json_schema).end_object();
    CHECK(out.str() == "{\"schema\":1}\n");
}

TEST_CASE("json::JsonWriter") {
    SUBCASE("empty containers") {
        CHECK(JsonWriter{}.begin_object().end_object().str() == "{}\n");
        CHECK(JsonWriter{}.begin_array().end_array().str() == "[]\n");
    }
    SUBCASE("every kind of value, with commas only between siblings") {
        JsonWriter out;
        out.begin_object()
            .key("schema").value(async::k_json_schema)
            .key("s").value("text")
            .key("std").value("owned"s)
            .key("n").value(std::int64_t{-42})
            .key("t").value(true)
            .key("f").value(false)
            .key("z").null()
            .key("list").value(std::vector<std::string>{"a", "b"})
            .key("none").value(std::vector<std::string>{})
            .end_object();
        CHECK(out.str() == "{\"schema\":1,\"s\":\"text\",\"std\":\"owned\",\"n\":-42,\"t\":true,"
                           "\"f\":false,\"z\":null,\"list\":[\"a\",\"b\"],\"none\":[]}\n");
    }
    SUBCASE("nesting") {
        JsonWriter out;
        out.begin_object().key("items").begin_array();
        for (int i = 0; i < 3; ++i) {
            out.begin_object().key("i").value(i).key("tags").begin_array().end_array().end_object();
        }
        out.end_array().key("nested").begin_array().begin_array().end_array().begin_array().value(1)
            .value(2).end_array().begin_object().end_object().end_array().key("after").value(0)
            .end_object();
        CHECK(out.str() == "{\"items\":[{\"i\":0,\"tags\":[]},{\"i\":1,\"tags\":[]},{\"i\":2,\"tags\":[]}],"
                           "\"nested\":[[],[1,2],{}],\"after\":0}\n");
    }
    SUBCASE("a top-level array of objects") {
        JsonWriter out;
        out.begin_array().begin_object().key("a").value(1).end_object().begin_object().end_object()
            .end_array();
        CHECK(out.str() == "[{\"a\":1},{}]\n");
    }
    SUBCASE("integer limits") {
        JsonWriter out;
        out.begin_array()
            .value(std::numeric_limits<std::int64_t>::max())
            .value(std::numeric_limits<std::int64_t>::min())
            .value(0)
            .end_array();
        CHECK(out.str() == "[9223372036854775807,-9223372036854775808,0]\n");
    }
    SUBCASE("keys are escaped like values") {
        JsonWriter out;
        out.begin_object().key("a\"b\n").value("c").end_object();
        CHECK(out.str() == "{\"a\\\"b\\n\":\"c\"}\n");
    }
}

TEST_CASE("json::json_quote") {
    SUBCASE("quotes and backslashes") {
        CHECK(json_quote("") == "\"\"");
        CHECK(json_quote("plain") == "\"plain\"");
        CHECK(json_quote("say \"hi\"") == "\"say \\\"hi\\\"\"");
        CHECK(json_quote("C:\\dir\\") == "\"C:\\\\dir\\\\\"");
        CHECK(json_quote("a/b") == "\"a/b\"");
    }
    SUBCASE("control characters") {
        CHECK(json_quote("l1\nl2\r\tx") == "\"l1\\nl2\\r\\tx\"");
        CHECK(json_quote("\x01\x08\x0c\x1b\x1f") == "\"\\u0001\\u0008\\u000c\\u001b\\u001f\"");
        CHECK(json_quote("\x1b[2J") == "\"\\u001b[2J\"");
        CHECK(json_quote("del\x7f") == "\"del\\u007f\"");
    }
    SUBCASE("C1 controls and bidirectional formatting are escaped") {
        CHECK(json_quote("\xC2\x9B" "31m") == "\"\\u009b31m\"");
        CHECK(json_quote("\xC2\x80|\xC2\x9F") == "\"\\u0080|\\u009f\"");
        CHECK(json_quote("abc\xE2\x80\xAE" "def") == "\"abc\\u202edef\"");
        CHECK(json_quote("\xE2\x81\xA6x\xE2\x81\xA9\xE2\x80\x8E\xE2\x80\x8F\xD8\x9C") ==
              "\"\\u2066x\\u2069\\u200e\\u200f\\u061c\"");
        CHECK(json_quote("\xC2\xA0\xE2\x80\x94") == "\"\xC2\xA0\xE2\x80\x94\""); // NBSP, em dash kept
    }
    SUBCASE("NUL is escaped, not dropped") {
        CHECK(json_quote("\0"s) == "\"\\u0000\"");
        CHECK(json_quote("a\0b\0"s) == "\"a\\u0000b\\u0000\"");
    }
    SUBCASE("valid UTF-8 passes through") {
        CHECK(json_quote("Crème 😀 日本") == "\"Crème 😀 日本\"");
    }
    SUBCASE("invalid UTF-8 becomes \\ufffd, one per bad byte") {
        CHECK(json_quote("a\xFF" "b") == "\"a\\ufffdb\"");
        CHECK(json_quote("\xE2\x82") == "\"\\ufffd\\ufffd\"");
        CHECK(json_quote("\xC0\xAF\"") == "\"\\ufffd\\ufffd\\\"\"");
        CHECK(json_quote("\xED\xA0\x80 é") == "\"\\ufffd\\ufffd\\ufffd é\"");
        CHECK(json_quote("ok\xF4\x90\x80\x80\n") == "\"ok\\ufffd\\ufffd\\ufffd\\ufffd\\n\"");
    }
    SUBCASE("long text with many bad bytes stays linear and exact") {
        std::string text(100000, '\xFF');
        std::string quoted = json_quote(text);
        CHECK(quoted.size() == 2 + 6 * 100000);
        CHECK(quoted.substr(0, 13) == "\"\\ufffd\\ufffd");
    }
}
