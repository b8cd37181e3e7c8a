#include <async/document.hpp>
#include <async/error.hpp>
#include <async/yaml.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

using async::Document;
using async::ErrorKind;
using async::parse_yaml;
using async::TimePoint;
using async::YamlNode;
using async_test::error_of;
using namespace std::string_literals;

namespace {

TimePoint utc(int y, unsigned m, unsigned d, int h = 0, int min = 0, int s = 0) {
    return TimePoint{std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} /
                                           std::chrono::day{d}}} +
           std::chrono::hours{h} + std::chrono::minutes{min} + std::chrono::seconds{s};
}

std::string message_of(std::string_view text) {
    auto e = error_of([&] { (void)Document::parse(text, "docs/n.md"); });
    CHECK(e.kind() == ErrorKind::data);
    return e.what();
}

} // namespace

TEST_CASE("yaml: the tree of block and flow collections, block scalars, anchors and escapes") {
    YamlNode root = parse_yaml("title: Hello\n"
                               "tags: [web, \"a b\"]\n"
                               "people:\n  - name: a\n  - name: b\n"
                               "text: |\n  one\n  two\n"
                               "folded: >-\n  x\n  y\n"
                               "base: &b {k: v}\n"
                               "copy: *b\n"
                               "esc: \"t\\tq\\u00e9\"\n"
                               "empty:\n",
                               "f", 0);
    REQUIRE(root.kind == YamlNode::Kind::mapping);
    REQUIRE(root.keys.size() == 9);
    CHECK(root.keys[0].text == "title");
    CHECK(root.items[0].text == "Hello");
    CHECK(root.items[0].plain);
    CHECK(root.items[1].items.size() == 2);
    CHECK_FALSE(root.items[1].items[1].plain);
    CHECK(root.items[2].items[1].items[0].text == "b");
    CHECK(root.items[3].text == "one\ntwo\n");
    CHECK(root.items[4].text == "x y");
    CHECK(async::yaml_flow_text(root.items[6]) == "{k: v}");
    CHECK(root.items[7].text == "t\tq\xC3\xA9");
    CHECK(root.items[8].is_null());
    CHECK(root.keys[1].line == 2);
    CHECK(root.keys[1].column == 1);
}

TEST_CASE("yaml: front matter reads into the document's values") {
    Document doc = Document::parse("---\n"
                                   "title: \"Weekly notes: API\"\n"
                                   "date: 2026-01-05 10:00:00\n"
                                   "authors: [alice, bob]\n"
                                   "tags: web\n"
                                   "aliases:\n  - API notes\n"
                                   "status: draft\n"
                                   "due: 2026-02-01\n"
                                   "layout: post\n"
                                   "extra: {a: [1, 2]}\n"
                                   "---\n"
                                   "# Body\n",
                                   "docs/n.md");
    CHECK(doc.front_matter_kind() == Document::FrontMatter::yaml);
    CHECK(doc.get_string("title") == "Weekly notes: API");
    CHECK(doc.get_time("date") == utc(2026, 1, 5, 10));
    CHECK(doc.get_time("created") == utc(2026, 1, 5, 10)); // date stands for created
    CHECK(doc.get_string("author") == "alice");           // the first of authors
    CHECK(doc.get_strings("authors") == std::vector<std::string>{"alice", "bob"});
    CHECK(doc.get_strings("tags") == std::vector<std::string>{"web"});
    CHECK(doc.get_strings("aliases") == std::vector<std::string>{"API notes"});
    CHECK(doc.get_string("status") == "draft");
    CHECK(doc.get_time("due") == utc(2026, 2, 1));
    CHECK(doc.get_string("layout") == "post");
    CHECK(doc.get_string("extra") == "{a: [1, 2]}");
    CHECK(doc.get_string("type") == "note");
    CHECK(doc.body() == "# Body\n");
    CHECK(doc.body_line() == 13);
    auto keys = doc.keys();
    CHECK(keys.front() == "title");
    CHECK(std::find(keys.begin(), keys.end(), "layout") != keys.end());
    // key_infos are what the file says, where it says it: derived keys are not among them.
    const auto& infos = doc.key_infos();
    REQUIRE(infos.size() == 9);
    CHECK(infos[1].name == "date");
    CHECK(infos[1].line == 3);
    CHECK(infos[1].kind == Document::ValueKind::time);
    CHECK(infos[2].kind == Document::ValueKind::string_list);
    CHECK(infos[3].kind == Document::ValueKind::string);
    CHECK(std::none_of(infos.begin(), infos.end(), [](const auto& i) { return i.name == "created" || i.name == "type"; }));
}

TEST_CASE("yaml: dates, created over date, a known type kept, an unknown one a note") {
    Document doc = Document::parse("---\ncreated: 2026-03-01T09:30:00+01:00\ndate: 2020-01-01\n"
                                   "iso: \"2026-03-02 08:00\"\ntype: decision\nauthor: carol\n...\nbody\n",
                                   "x.md");
    CHECK(doc.get_time("created") == utc(2026, 3, 1, 8, 30));
    CHECK(doc.get_time("iso") == utc(2026, 3, 2, 8));
    CHECK(doc.get_string("type") == "decision");
    CHECK(doc.get_string("author") == "carol");
    CHECK(doc.body() == "body\n");
    CHECK(Document::parse("---\ntype: article\n---\n", "x.md").get_string("type") == "note");
    CHECK(Document::parse("---\n---\n", "x.md").keys() == std::vector<std::string>{"type"});
    CHECK(Document::parse("---\ndate: 2026-01-05 10:00:00.25 +2\n---\n", "x.md").get_time("date") ==
          utc(2026, 1, 5, 8));
    CHECK(Document::parse("---\ndate: 2026-03-08 16:45:00 +0100\n---\n", "x.md").get_time("created") ==
          utc(2026, 3, 8, 15, 45));
    CHECK_FALSE(Document::parse("---\ndate: soon\n---\n", "x.md").get_time("created"));
}

TEST_CASE("yaml: malformed front matter is path:line:col in the file") {
    CHECK(message_of("---\ntitle: ok\ntags: [a, b\n---\n").starts_with("docs/n.md:"));
    CHECK(message_of("---\ntitle: ok\ntags: [a, b\n---\n").find("invalid YAML") != std::string::npos);
    CHECK(message_of("---\na: 1\nb:\n  c: 2\n d: 3\n---\n").starts_with("docs/n.md:"));
    CHECK(message_of("---\ntitle: a\ntitle: b\n---\n") == "docs/n.md:3:1: invalid YAML: duplicate key 'title'");
    CHECK(message_of("---\n- a\n- b\n---\n") ==
          "docs/n.md:2:1: invalid YAML: the front matter must be a mapping of keys to values");
    CHECK(message_of("---\njust text\n---\n").find("must be a mapping") != std::string::npos);
    CHECK(message_of("---\na: *nothing\n---\n") == "docs/n.md:2:5: invalid YAML: unknown alias *nothing");
    CHECK(message_of("---\ntitle: x\n") == "docs/n.md:1:1: front matter is not closed (no second '---' line)");
    CHECK(message_of("---") == "docs/n.md:1:1: front matter is not closed (no second '---' line)");
    CHECK(message_of("---\na:\n\t- b\n---\n") ==
          "docs/n.md:3:1: invalid YAML: tab character may not be used as indentation");
    CHECK(message_of("---\na: \"open\n---\n") ==
          "docs/n.md:2:5: invalid YAML: double-quoted scalar without closing quote");
    CHECK(message_of("---\na: 1\nb:\n  c: 2\n d: 3\n---\n") == "docs/n.md:5:2: invalid YAML: invalid indentation in mapping");
}

TEST_CASE("yaml: hostile input is refused before it grows") {
    SUBCASE("deep flow nesting") {
        std::string text = "---\na: " + std::string(100000, '[') + std::string(100000, ']') + "\n---\n";
        CHECK(message_of(text).find("invalid YAML") != std::string::npos);
    }
    SUBCASE("deep block nesting") {
        std::string text = "---\n";
        for (int i = 0; i < 3000; ++i) {
            text += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
        }
        text += "---\n";
        CHECK(message_of(text).find("invalid YAML") != std::string::npos);
    }
    SUBCASE("billion laughs") {
        std::string text = "---\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
        for (int i = 1; i < 10; ++i) {
            text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
            for (int j = 0; j < 10; ++j) {
                text += (j ? ", *a" : "*a") + std::to_string(i - 1);
            }
            text += "]\n";
        }
        text += "---\n";
        CHECK(message_of(text).find("aliases copy more than 10000 nodes") != std::string::npos);
    }
    SUBCASE("more than one document") {
        auto e = error_of([] { (void)parse_yaml("a: 1\n---\nb: 2\n", "f", 1); });
        CHECK(std::string{e.what()} == "f:3:1: invalid YAML: more than one document");
        // In a file the second "---" ends the front matter: what follows is body.
        CHECK(Document::parse("---\na: 1\n---\nb: 2\n---\n", "x.md").body() == "b: 2\n---\n");
    }
}

TEST_CASE("yaml: a huge front matter parses in linear time") {
    std::string text = "---\n";
    for (int i = 0; i < 50000; ++i) {
        text += "key" + std::to_string(i) + ": value number " + std::to_string(i) + "\n";
    }
    text += "---\n";
    auto start = std::chrono::steady_clock::now();
    Document doc = Document::parse(text, "x.md");
    auto took = std::chrono::steady_clock::now() - start;
    CHECK(doc.get_string("key49999") == "value number 49999");
    // libfyaml's own duplicate check took minutes here; the one in parse_yaml is a hash set.
    CHECK(took < std::chrono::seconds{10});
}

TEST_CASE("yaml: a YAML document is never rewritten") {
    const std::string text = "---\r\ntitle: Kept\r\ntags: [a]\r\n--- \r\nbody\r\n";
    Document doc = Document::parse(text, "docs/vault/n.md");
    CHECK(doc.render() == text);
    auto refused = [&](auto&& write) {
        auto e = error_of(write);
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(std::string{e.what()} == "'docs/vault/n.md' has YAML front matter, which async reads but never rewrites");
        CHECK(e.hint() == "adopt it first: async import 'docs/vault/n.md'");
    };
    refused([&] { doc.set_string("title", "x"); });
    refused([&] { doc.set_strings("tags", {"a", "b"}); });
    refused([&] { doc.set_time("due", utc(2026, 1, 1)); });
    refused([&] { doc.set_literal("status", "\"closed\""); });
    refused([&] { doc.remove("tags"); });
    CHECK(doc.render() == text);
    // The body may change (a ticked task box); the front matter comes back as it was read.
    doc.set_body("- [x] body\n");
    CHECK(doc.render() == "---\r\ntitle: Kept\r\ntags: [a]\r\n--- \r\n- [x] body\r\n");
}

TEST_CASE("yaml: what libfyaml must never see is refused first") {
    auto message = [](std::string_view text) {
        try {
            (void)async::parse_yaml(text, "docs/x.md", 1);
        } catch (const async::Error& e) {
            return std::string{e.what()};
        }
        return std::string{"accepted"};
    };
    // An explicit key once crashed the parser's cleanup; a lone CR moved every later line.
    CHECK(message("a: 1\n? - x\n: y\n") == "docs/x.md:3:1: invalid YAML: explicit keys ('? ') are not read in front matter");
    CHECK(message("a: [1, ? b]\n") == "docs/x.md:2:8: invalid YAML: explicit keys ('? ') are not read in front matter");
    CHECK(message("a: x\rb: y\n") == "docs/x.md:2:5: invalid YAML: a carriage return without a line feed");
    CHECK(message(std::string_view{"%a\xff\x00\n", 5}) == "docs/x.md:2:3: invalid YAML: invalid UTF-8");
    // A question mark inside text is text.
    CHECK(message("title: Why? Because\nnote: \"? quoted\"\n") == "accepted");
}
