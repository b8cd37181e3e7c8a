#include <async/completion.hpp>
#include <async/env.hpp>
#include <async/index.hpp>
#include <async/workspace.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using async::Candidate;
using async::CompletionKind;

namespace {

std::string doc(const std::string& id, const std::string& type, const std::string& title, const std::string& created,
                const std::string& body = "Text.\n") {
    return "+++\nid = \"" + id + "\"\ntype = \"" + type + "\"\ntitle = " + title + "\nauthor = \"alice\"\ncreated = " +
           created + "\nstatus = \"open\"\n+++\n" + body;
}

struct Fixture {
    async_test::TempDir tmp{"completion"};
    async::Env env;

    Fixture() {
        env.set("HOME", (tmp / "home").string());
        env.set("XDG_CONFIG_HOME", (tmp / "home" / ".config").string());
        env.set("XDG_DATA_HOME", (tmp / "home" / ".local" / "share").string());
        env.set("ASYNC_USER", "alice");
        env.set("ASYNC_NOW", "2026-11-26T10:15:00Z");
        env.set("TZ", "UTC");
    }

    fs::path ws_dir() const { return tmp / "ws"; }

    // A workspace with two documents, a meeting with two actions (one done), a teammate.
    void make_workspace() {
        async::init_workspace(ws_dir());
        async::write_file_atomic(ws_dir() / ".async" / "config.toml",
                                 "[people.bob]\nname = \"Bob Example\"\nemail = \"bob@example.com\"\n");
        async::write_file_atomic(ws_dir() / "docs/a/index.md", doc("aaaa1111", "doc", "\"Pricing\"", "2026-11-20T10:00:00Z"));
        async::write_file_atomic(ws_dir() / "docs/b/index.md", doc("abcd2222", "doc", "\"Hiring\"", "2026-11-21T10:00:00Z"));
        async::write_file_atomic(ws_dir() / "meetings/m/index.md",
                                 doc("mmmm3333", "meeting", "\"Sync\"", "2026-11-22T10:00:00Z",
                                     "- [ ] @bob ship it due:2026-12-01\n- [x] done already\n"));
    }

    void index() const {
        async::Workspace ws{ws_dir()};
        async::Index index{ws};
        index.refresh();
    }

    std::vector<Candidate> complete(CompletionKind kind, const std::string& prefix = {}, bool global = false,
                                    fs::path cwd = {}) const {
        async::CompletionPlace place{env, cwd.empty() ? ws_dir() : cwd, async::StartedIn::cwd};
        return async::complete({kind, prefix, global}, place);
    }

    std::map<std::string, std::string> map(CompletionKind kind, const std::string& prefix = {}) const {
        std::map<std::string, std::string> out;
        for (const auto& c : complete(kind, prefix)) {
            out[c.value] = c.description;
        }
        return out;
    }
};

std::set<std::string> values(const std::vector<Candidate>& candidates) {
    std::set<std::string> out;
    for (const auto& c : candidates) {
        out.insert(c.value);
    }
    return out;
}

} // namespace

TEST_CASE("completion::completion_kind") {
    CHECK(async::completion_kind("ids") == CompletionKind::ids);
    CHECK(async::completion_kind("settable-keys") == CompletionKind::settable_keys);
    CHECK(async::completion_kind("settable_keys") == std::nullopt);
    CHECK(async::completion_kind("") == std::nullopt);
    CHECK(async::completion_kind_names().starts_with("ids, meetings, handles"));
}

TEST_CASE("completion::complete") {
    Fixture f;
    SUBCASE("no workspace: nothing from the index, nothing created") {
        fs::create_directories(f.tmp / "empty");
        for (auto kind : {CompletionKind::ids, CompletionKind::meetings, CompletionKind::items,
                          CompletionKind::actions, CompletionKind::handles}) {
            CHECK(f.complete(kind, {}, false, f.tmp / "empty").empty());
        }
        CHECK_FALSE(fs::exists(f.tmp / "home" / ".local" / "share" / "async"));
        CHECK_FALSE(fs::exists(f.tmp / "empty" / ".async"));
        // Built-ins and the user config need no workspace.
        CHECK(values(f.complete(CompletionKind::templates, {}, false, f.tmp / "empty")).contains("doc"));
        CHECK(values(f.complete(CompletionKind::keys, {}, false, f.tmp / "empty")).contains("user.handle"));
        CHECK_FALSE(fs::exists(f.tmp / "home" / ".local" / "share" / "async"));
    }
    SUBCASE("a workspace without an index: no ids, and no index is created") {
        f.make_workspace();
        CHECK(f.complete(CompletionKind::ids).empty());
        CHECK(f.complete(CompletionKind::actions).empty());
        CHECK_FALSE(fs::exists(f.ws_dir() / ".async" / "index.db"));
        CHECK(f.map(CompletionKind::handles) == std::map<std::string, std::string>{{"bob", "Bob Example"}});
    }
    SUBCASE("ids, meetings and actions from the index as it is") {
        f.make_workspace();
        f.index();
        CHECK(f.map(CompletionKind::ids) ==
              std::map<std::string, std::string>{{"aaaa1111", "Pricing"}, {"abcd2222", "Hiring"}, {"mmmm3333", "Sync"}});
        auto ids = f.complete(CompletionKind::ids);
        REQUIRE(ids.size() == 3);
        CHECK(ids[0].value == "mmmm3333"); // newest first
        CHECK(values(f.complete(CompletionKind::ids, "ab")) == std::set<std::string>{"abcd2222"});
        CHECK(values(f.complete(CompletionKind::ids, "a")) == std::set<std::string>{"aaaa1111", "abcd2222"});
        CHECK(f.complete(CompletionKind::ids, "z").empty());
        CHECK(f.map(CompletionKind::meetings) == std::map<std::string, std::string>{{"mmmm3333", "Sync"}});
        auto actions = f.complete(CompletionKind::actions);
        REQUIRE(actions.size() == 1);
        CHECK(actions[0].value.size() == 7);
        CHECK(actions[0].description == "ship it (@bob, due 2026-12-01)");

        // Not refreshed: a new file is not seen, but a deleted one is never offered (its file
        // is stat'ed); nothing throws.
        async::write_file_atomic(f.ws_dir() / "docs/c/index.md", doc("cccc4444", "doc", "\"New\"", "2026-11-23T10:00:00Z"));
        fs::remove_all(f.ws_dir() / "docs/a");
        CHECK(values(f.complete(CompletionKind::ids)) == std::set<std::string>{"abcd2222", "mmmm3333"});
        CHECK(values(f.complete(CompletionKind::ids, "a")) == std::set<std::string>{"abcd2222"});
    }
    SUBCASE("inbox items: mine, with their kind") {
        f.make_workspace();
        async::write_file_atomic(f.ws_dir() / "people/alice/inbox/x.md",
                                 "+++\nid = \"iiii5555\"\ntype = \"item\"\ntitle = \"Call the bank\"\nauthor = \"alice\"\n"
                                 "created = 2026-11-25T10:00:00Z\nstatus = \"open\"\n+++\n");
        f.index();
        auto items = f.map(CompletionKind::items);
        // The captured item, and my ticked action (under its action handle, for inbox undo).
        REQUIRE(items.size() == 2);
        std::set<std::string> descriptions;
        for (const auto& [value, description] : items) {
            CHECK(value.size() == 7);
            descriptions.insert(description);
        }
        CHECK(descriptions == std::set<std::string>{"item: Call the bank", "action: done already (done)"});
    }
    SUBCASE("a damaged index gives nothing") {
        f.make_workspace();
        async::write_file_atomic(f.ws_dir() / ".async" / "index.db", "not a database at all");
        CHECK(f.complete(CompletionKind::ids).empty());
    }
    SUBCASE("a broken config gives nothing") {
        f.make_workspace();
        async::write_file_atomic(f.ws_dir() / ".async" / "config.toml", "[people.bob\n");
        CHECK(f.complete(CompletionKind::handles).empty());
    }
    SUBCASE("weeks around now") {
        auto weeks = f.complete(CompletionKind::weeks);
        REQUIRE(weeks.size() == 6);
        CHECK(weeks[0].value == "2026-W49");
        CHECK(weeks[0].description == "next week, from Mon 2026-11-30");
        CHECK(weeks[1].value == "2026-W48");
        CHECK(weeks[1].description == "this week, from Mon 2026-11-23");
        CHECK(weeks[5].value == "2026-W44");
        CHECK(values(f.complete(CompletionKind::weeks, "2026-W4")).size() == 6);
        CHECK(values(f.complete(CompletionKind::weeks, "2026-W45")) == std::set<std::string>{"2026-W45"});
        f.env.set("ASYNC_NOW", "not a date");
        CHECK(f.complete(CompletionKind::weeks).empty());
    }
    SUBCASE("config keys; settable ones are described") {
        f.make_workspace();
        auto keys = values(f.complete(CompletionKind::keys));
        CHECK(keys.contains("people.bob.email"));
        CHECK_FALSE(keys.contains("core.editor"));
        CHECK_FALSE(values(f.complete(CompletionKind::keys, {}, true)).contains("people.bob.email"));
        auto settable = f.map(CompletionKind::settable_keys);
        CHECK(settable.contains("people.bob.email"));
        CHECK(settable.at("core.editor") == "the editor when neither VISUAL nor EDITOR is set");
        CHECK(settable.at("checkin.day") == "the weekly check-in day (mon..sun, default fri)");
    }
    SUBCASE("templates: team overrides, described") {
        f.make_workspace();
        async::write_file_atomic(f.ws_dir() / ".async/templates/retro.md", "{{! Team retro }}\n## Went well\n");
        auto templates = f.map(CompletionKind::templates);
        CHECK(templates.at("retro") == "Team retro (team)");
        CHECK(templates.contains("doc"));
    }
}

TEST_CASE("completion::format_candidates") {
    using V = std::vector<Candidate>;
    CHECK(async::format_candidates(V{}) == "");
    CHECK(async::format_candidates(V{{"abcd", "A title"}, {"efgh", ""}}) == "abcd\tA title\nefgh\n");
    // Text from files never breaks a line or reaches the terminal raw.
    CHECK(async::format_candidates(V{{"abcd", "tab\there\nnew line \x1b[31mred\r"}}) ==
          "abcd\ttab here new line ^[[31mred\n");
    std::string long_title(2048, 'x');
    std::string line = async::format_candidates(V{{"abcd", long_title}});
    CHECK(line.size() < 100);
    CHECK(line.ends_with("…\n"));
    // A value that cannot be one word is left out.
    CHECK(async::format_candidates(V{{"", "x"}, {"a b", "x"}, {"a\tb", "x"}, {"a\x1b", "x"}, {"a\xff", "x"},
                                     {"ok", "x"}}) == "ok\tx\n");
}
