#include <async/check.hpp>
#include <async/config.hpp>
#include <async/env.hpp>
#include <async/error.hpp>
#include <async/index.hpp>
#include <async/workspace.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using async::check_document_text;
using async::CheckRequest;
using async::ErrorKind;
using async::Finding;
using async::Severity;
using async_test::error_of;
using async_test::TempDir;

namespace {

std::string good(const std::string& id, const std::string& body = "Text.",
                 const std::string& extra = "") {
    return "+++\nid = \"" + id +
           "\"\ntype = \"doc\"\ntitle = \"T\"\nauthor = \"alice\"\n"
           "created = 2026-11-26T10:15:00Z\n" +
           extra + "+++\n\n" + body + "\n";
}

// "line:col: severity: message" per finding, for compact comparisons.
std::vector<std::string> shown(const std::vector<Finding>& findings) {
    std::vector<std::string> out;
    for (const auto& f : findings) {
        out.push_back(f.path + ":" + std::to_string(f.line) + ":" + std::to_string(f.column) +
                      ": " + std::string{async::to_string(f.severity)} + ": " + f.message);
    }
    return out;
}

void write_text(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE(out.good());
}

struct Fixture {
    TempDir dir{"check"};
    async::Workspace ws{dir.path()};
    Fixture() { async::init_workspace(dir.path()); }

    std::vector<Finding> check(const std::vector<std::string>& paths = {},
                               const async::Config& config = {}) {
        async::Index index{ws};
        index.refresh();
        CheckRequest request;
        request.paths = paths;
        return async::check_workspace(ws, config, index, request);
    }
};

} // namespace

TEST_CASE("check::check_document_text") {
    SUBCASE("a good document has no findings") {
        CHECK(check_document_text("a.md", good("aaaa1111"), {}).empty());
    }
    SUBCASE("parse errors keep their position") {
        auto f = check_document_text("a.md", "+++\nid = \"aaaa1111\"\ntitle = \"x\" y\n+++\n", {});
        REQUIRE(f.size() == 1);
        CHECK(f[0].line == 3);
        CHECK(f[0].column == 13);
        CHECK(f[0].severity == Severity::error);
        CHECK(f[0].message.find("'y'") != std::string::npos);
        CHECK(shown(check_document_text("docs/a.md", "body only\n", {})) ==
              std::vector<std::string>{
                  "docs/a.md:1:1: info: no front matter: indexed as a read-only note (async import adopts it)"});
        CHECK(shown(check_document_text("meetings/m/index.md", "body only\n", {})) ==
              std::vector<std::string>{
                  "meetings/m/index.md:1:1: error: no front matter (the first line must be '+++')"});
        CHECK(shown(check_document_text("a.md", std::string{"+++\n+++\na\0b\n", 12}, {})) ==
              std::vector<std::string>{"a.md:3:2: error: NUL byte in file"});
    }
    SUBCASE("required keys depend on the type") {
        CHECK(
            shown(check_document_text("r.md",
                                      "+++\nid = \"aaaa1111\"\ntype = \"reply\"\nauthor = \"bob\"\n"
                                      "created = 2026-11-26T10:15:00Z\n+++\n",
                                      {}))
                .empty());
        CHECK(shown(check_document_text(
                  "m.md",
                  "+++\nid = \"aaaa1111\"\ntype = \"meeting\"\nauthor = \"bob\"\n"
                  "created = 2026-11-26T10:15:00Z\n+++\n",
                  {})) ==
              std::vector<std::string>{
                  "m.md:1:1: error: missing required key 'title' (every meeting has one)"});
        CHECK(shown(check_document_text("x.md", "+++\n+++\n", {})) ==
              std::vector<std::string>{"x.md:1:1: error: missing required key 'id'",
                                       "x.md:1:1: error: missing required key 'type'",
                                       "x.md:1:1: error: missing required key 'author'",
                                       "x.md:1:1: error: missing required key 'created'"});
    }
    SUBCASE("values of the wrong type point at their key") {
        auto f = shown(check_document_text(
            "a.md", good("aaaa1111", "x", "  due = 17\nparticipants = [\"a\"]\n"), {}));
        CHECK(f == std::vector<std::string>{
                       "a.md:7:3: error: 'due' must be a date-time such as 2026-11-26T10:15:00Z"});
    }
    SUBCASE("a CRLF file and a BOM keep line numbers") {
        std::string text = "\xEF\xBB\xBF+++\r\nid = \"aaaa1111\"\r\ntype = \"doc\"\r\ntitle = "
                           "\"T\"\r\nauthor = \"a\"\r\n"
                           "created = 2026-11-26T10:15:00Z\r\nstatus = \"nope\"\r\n+++\r\n";
        CHECK(shown(check_document_text("a.md", text, {})) ==
              std::vector<std::string>{
                  "a.md:7:1: error: 'status' must be draft, open or closed, not 'nope'"});
    }
    SUBCASE("action due dates") {
        auto f = shown(check_document_text(
            "a.md", good("aaaa1111", "- [ ] x due:2026-02-29\n- [ ] y due:2028-02-29"), {}));
        CHECK(f == std::vector<std::string>{
                       "a.md:9:9: error: impossible due date 'due:2026-02-29' in an action"});
    }
    SUBCASE("people are checked only against a listed team, case-insensitively") {
        std::string text =
            good("aaaa1111", "Hi @Bob, @carol and @dave.", "reviewers = [\"@BOB\"]\n");
        CHECK(check_document_text("a.md", text, {}).empty());
        CHECK(shown(check_document_text("a.md", text, {"alice", "bob", "Carol"})) ==
              std::vector<std::string>{
                  "a.md:10:21: warning: unknown person '@dave' (no [people.dave] in "
                  ".async/config.toml)"});
    }
    SUBCASE("a mention's position: where the Markdown parser first finds it (not in code or addresses)") {
        std::string body = "x@zed @zeda @zed@x.org @zed.b\n"
                           "```\n@zed\n```\n"
                           "See @ZED.B, then @zed. And @zed.b again.";
        CHECK(shown(check_document_text("a.md", good("aaaa1111", body), {"alice"})) ==
              std::vector<std::string>{
                  "a.md:9:7: warning: unknown person '@zeda' (no [people.zeda] in .async/config.toml)",
                  "a.md:9:24: warning: unknown person '@zed.b' (no [people.zed.b] in .async/config.toml)",
                  // "@zed.b" is another handle; "@zed." is @zed ending a sentence.
                  "a.md:13:18: warning: unknown person '@zed' (no [people.zed] in .async/config.toml)"});
    }
}

TEST_CASE("check::check_workspace") {
    Fixture fx;
    SUBCASE("clean") {
        write_text(fx.dir / "docs/a/index.md", good("aaaa1111", "See #bbbb2222."));
        write_text(fx.dir / "meetings/b/index.md", good("bbbb2222", "See #aaaa."));
        CHECK(fx.check().empty());
    }
    SUBCASE("duplicates and links across files") {
        write_text(fx.dir / "docs/a/index.md", good("aaaa1111"));
        write_text(fx.dir / "docs/b/index.md", good("aaaa1111", "Broken #cccc3333."));
        CHECK(shown(fx.check()) ==
              std::vector<std::string>{
                  "docs/a/index.md:2:1: error: duplicate id 'aaaa1111' (also in 'docs/b/index.md')",
                  "docs/b/index.md:2:1: error: duplicate id 'aaaa1111' (also in 'docs/a/index.md')",
                  "docs/b/index.md:9:8: error: broken link '#cccc3333': no document has this id",
              });
        CHECK(
            shown(fx.check({"docs/a"})) ==
            std::vector<std::string>{
                "docs/a/index.md:2:1: error: duplicate id 'aaaa1111' (also in 'docs/b/index.md')"});
    }
    SUBCASE("bad files are findings, once each, wherever they are named") {
        write_text(fx.dir / "docs/a.md", "+++\nnope\n");
        write_text(fx.dir / "people/bob/inbox/x.md", "+++\n");
        auto expected = std::vector<std::string>{
            "docs/a.md:1:1: error: front matter is not closed (no second '+++' line)",
            "people/bob/inbox/x.md:1:1: error: front matter is not closed (no second '+++' line)"};
        CHECK(shown(fx.check()) == expected);
        CHECK(shown(fx.check({"docs", "docs/a.md", "", "people/bob"})) == expected);
    }
    SUBCASE("the team comes from the config") {
        write_text(fx.dir / ".async/config.toml", "[people.alice]\nname = \"A\"\n");
        write_text(fx.dir / "docs/a.md", good("aaaa1111", "- [ ] @zoe do it"));
        auto config = async::Config::load(async::Env{{{"HOME", (fx.dir / "home").string()}}},
                                          fx.ws.config_file());
        CHECK(shown(fx.check({}, config)) ==
              std::vector<std::string>{
                  "docs/a.md:9:7: warning: unknown person '@zoe' (no [people.zoe] in "
                  ".async/config.toml)"});
    }
}

TEST_CASE("check::resolve_check_path") {
    TempDir dir{"check-path"};
    async::init_workspace(dir.path());
    async::Workspace ws{dir.path()};
    fs::create_directories(dir / "docs/a");
    CHECK(async::resolve_check_path(ws, dir / "docs", "a", true) == "docs/a");
    CHECK(async::resolve_check_path(ws, dir / "docs", "a/", true) == "docs/a");
    CHECK(async::resolve_check_path(ws, dir / "docs", "..", true) == "");
    CHECK(async::resolve_check_path(ws, fs::path{"/"}, (dir / "docs").string(), true) == "docs");
    CHECK(async::resolve_check_path(ws, dir / "docs", "a/missing.md", false) ==
          "docs/a/missing.md");
    fs::create_symlink("loop.md", dir / "docs/loop.md");
    CHECK(async::resolve_check_path(ws, dir.path(), "docs/loop.md", true) == "docs/loop.md");
    auto outside = error_of([&] { async::resolve_check_path(ws, dir / "docs", "../..", true); });
    CHECK(outside.kind() == ErrorKind::usage);
    CHECK(std::string{outside.what()}.find("outside the workspace") != std::string::npos);
    auto missing = error_of([&] { async::resolve_check_path(ws, dir / "docs", "nope.md", true); });
    CHECK(missing.kind() == ErrorKind::usage);
    CHECK(std::string{missing.what()} == "no such file or folder 'nope.md'");
}
