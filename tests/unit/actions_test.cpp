#include <async/actions.hpp>
#include <async/config.hpp>
#include <async/env.hpp>
#include <async/error.hpp>
#include <async/markdown.hpp>
#include <async/workspace.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <fstream>
#include <sstream>

namespace {

std::string read(const std::filesystem::path& path) {
    std::ifstream in{path, std::ios::binary};
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void write(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream{path, std::ios::binary} << text;
}

const std::string k_front = "+++\nid = \"aaaa0001\"\ntitle = \"A\"\nauthor = \"bob\"\n+++\n\n";

} // namespace

TEST_CASE("actions::mark_action") {
    async_test::TempDir dir{"actions"};
    async::init_workspace(dir.path());
    async::Workspace ws{dir.path()};
    const std::string path = "docs/a/index.md";
    auto file = dir.path() / path;
    // Two actions with the same text: the handle names the second by its occurrence.
    write(file, k_front + "Intro [ ] not a box.\n\n- [ ] @alice same due:2026-12-01\n- [ ] @alice same\n");
    std::string first = async::action_handle("aaaa0001", "@alice same due:2026-12-01", 1);
    std::string second = async::action_handle("aaaa0001", "@alice same", 1);

    SUBCASE("ticks only that box, and unticks it") {
        auto r = async::mark_action(ws, path, second, async::ActionMark::done, async::WriteMode::write);
        CHECK(r.changed);
        CHECK(r.line == 10);
        CHECK(read(file) == k_front + "Intro [ ] not a box.\n\n- [ ] @alice same due:2026-12-01\n- [x] @alice same\n");
        r = async::mark_action(ws, path, second, async::ActionMark::done, async::WriteMode::write);
        CHECK_FALSE(r.changed);
        r = async::mark_action(ws, path, second, async::ActionMark::open, async::WriteMode::write);
        CHECK(r.changed);
        CHECK(read(file) == k_front + "Intro [ ] not a box.\n\n- [ ] @alice same due:2026-12-01\n- [ ] @alice same\n");
    }
    SUBCASE("a dry run changes nothing") {
        auto r = async::mark_action(ws, path, first, async::ActionMark::done, async::WriteMode::dry_run);
        CHECK(r.changed);
        CHECK(r.line == 9);
        CHECK(read(file).find("[x]") == std::string::npos);
    }
    SUBCASE("a moved action is found again by its handle") {
        write(file, k_front + "New line.\n\n- [ ] @alice same\n\n- [ ] @alice same due:2026-12-01\n");
        auto r = async::mark_action(ws, path, first, async::ActionMark::done, async::WriteMode::write);
        CHECK(r.line == 11);
        CHECK(read(file) == k_front + "New line.\n\n- [ ] @alice same\n\n- [x] @alice same due:2026-12-01\n");
    }
    SUBCASE("an edited action is not that action any more") {
        write(file, k_front + "- [ ] @alice something else\n");
        auto e = async_test::error_of(
            [&] { async::mark_action(ws, path, first, async::ActionMark::done, async::WriteMode::write); });
        CHECK(e.kind() == async::ErrorKind::data);
        CHECK(read(file) == k_front + "- [ ] @alice something else\n");
    }
}

TEST_CASE("actions::add_action") {
    async_test::TempDir dir{"actions-add"};
    async::init_workspace(dir.path());
    async::Workspace ws{dir.path()};
    async::Config config;
    async::Env env;
    async::Session me{ws, env, config, async::TimePoint{std::chrono::seconds{1'796'000'000}}, "bob"};
    const std::string path = "docs/a/index.md";
    auto file = dir.path() / path;

    SUBCASE("after the last item of the last task list, with its indentation and bullet") {
        write(file, k_front + "- [ ] @alice one\n\nText.\n\n1. [ ] two\n   more of two\n\n2. [x] three\n\nAfter.\n");
        auto added = async::add_action(me, {"four", "", std::string{"2026-12-01"}, path});
        CHECK(added.line == 15);
        CHECK(read(file) == k_front + "- [ ] @alice one\n\nText.\n\n1. [ ] two\n   more of two\n\n2. [x] three\n"
                                      "2. [ ] @bob four due:2026-12-01\n\nAfter.\n");
        CHECK(added.handle == async::action_handle("aaaa0001", "@bob four due:2026-12-01", 1));
        CHECK(added.text == "four");
    }
    SUBCASE("after the list's later plain items of a loose ordered list") {
        write(file, k_front + "1. [ ] a\n\n2. plain\n   more\n\nAfter.\n");
        async::add_action(me, {"b", "", std::nullopt, path});
        CHECK(read(file) == k_front + "1. [ ] a\n\n2. plain\n   more\n1. [ ] @bob b\n\nAfter.\n");
    }
    SUBCASE("a second identical action gets its own handle") {
        write(file, k_front + "- [ ] @bob same\n");
        auto added = async::add_action(me, {"same", "", std::nullopt, path});
        CHECK(added.handle == async::action_handle("aaaa0001", "@bob same", 2));
    }
    SUBCASE("a new section when there is no action") {
        write(file, k_front + "Prose without a newline at the end");
        async::add_action(me, {"x", "carol", std::nullopt, path});
        CHECK(read(file) == k_front + "Prose without a newline at the end\n\n## Actions\n\n- [ ] @carol x\n");
    }
    SUBCASE("someone else's document is refused and left alone") {
        write(file, k_front + "- [ ] one\n");
        async::Session alice{ws, env, config, me.now, "alice"};
        CHECK_THROWS_AS(async::add_action(alice, {"x", "", std::nullopt, path}), async::Error);
        CHECK(read(file) == k_front + "- [ ] one\n");
    }
    SUBCASE("not into the agenda or a response of a meeting that has a summary") {
        const std::string agenda = "meetings/m/index.md";
        const std::string response = "meetings/m/responses/bob.md";
        write(dir.path() / agenda, k_front + "## Item\n");
        write(dir.path() / response, k_front + "- [ ] mine\n");
        async::add_action(me, {"before", "", std::nullopt, response});
        write(dir.path() / "meetings/m/summary.md", k_front + "## Actions\n\n- [ ] @bob y\n");
        for (const auto& p : {agenda, response}) {
            CAPTURE(p);
            std::string before = read(dir.path() / p);
            CHECK_THROWS_AS(async::add_action(me, {"x", "", std::nullopt, p}), async::Error);
            CHECK(read(dir.path() / p) == before);
        }
        CHECK(async::add_action(me, {"x", "", std::nullopt, "meetings/m/summary.md"}).line == 10);
    }
    SUBCASE("the capture file is created once") {
        auto first = async::add_action(me, {"x", "", std::nullopt, ""});
        CHECK(first.created_file);
        CHECK(first.path == "people/bob/actions.md");
        auto second = async::add_action(me, {"y", "", std::nullopt, ""});
        CHECK_FALSE(second.created_file);
        CHECK(second.line == first.line + 1);
        CHECK(read(dir.path() / "people/bob/actions.md").ends_with("## Actions\n\n- [ ] @bob x\n- [ ] @bob y\n"));
    }
    SUBCASE("hostile text") {
        for (const char* text : {"a\nb", "a\rb", "\x1b[2J", "due:2026-01-01", "x due: friday", "", "  ", "\xff\xfe"}) {
            CAPTURE(text);
            try {
                async::add_action(me, {text, "", std::nullopt, ""});
                FAIL("accepted");
            } catch (const async::Error& e) {
                CHECK(e.kind() == async::ErrorKind::usage);
            }
        }
        CHECK_THROWS_AS(async::add_action(me, {std::string(1001, 'a'), "", std::nullopt, ""}), async::Error);
        CHECK_THROWS_AS(async::add_action(me, {"x", "", std::string{"2026-02-30"}, ""}), async::Error);
        CHECK_FALSE(std::filesystem::exists(dir.path() / "people/bob/actions.md"));
    }
}

TEST_CASE("actions::set_action_due") {
    async_test::TempDir dir{"actions-due"};
    async::init_workspace(dir.path());
    async::Workspace ws{dir.path()};
    async::Config config;
    async::Env env;
    async::Session bob{ws, env, config, async::TimePoint{std::chrono::seconds{1'796'000'000}}, "bob"};
    async::Session carol{ws, env, config, bob.now, "carol"};
    async::Session alice{ws, env, config, bob.now, "alice"};
    const std::string path = "docs/a/index.md";
    auto file = dir.path() / path;
    write(file, k_front + "- [ ] @alice pay due:2026-12-01 soon\n- [ ] @carol call\n- [ ] overdue: invoices\n");
    std::string pay = async::action_handle("aaaa0001", "@alice pay due:2026-12-01 soon", 1);

    auto r = async::set_action_due(alice, path, pay, std::string{"2026-12-24"}, async::WriteMode::write);
    CHECK(r.changed);
    CHECK(r.handle == async::action_handle("aaaa0001", "@alice pay due:2026-12-24 soon", 1));
    r = async::set_action_due(bob, path, r.handle, std::nullopt, async::WriteMode::write); // bob wrote the file
    CHECK(r.handle == async::action_handle("aaaa0001", "@alice pay soon", 1));
    std::string invoices = async::action_handle("aaaa0001", "overdue: invoices", 1);
    r = async::set_action_due(bob, path, invoices, std::string{"2026-12-02"}, async::WriteMode::write);
    CHECK(read(file) == k_front + "- [ ] @alice pay soon\n- [ ] @carol call\n- [ ] overdue: invoices due:2026-12-02\n");
    // carol owns neither the file nor that action.
    std::string before = read(file);
    CHECK_THROWS_AS(async::set_action_due(carol, path, r.handle, std::nullopt, async::WriteMode::write), async::Error);
    auto dry = async::set_action_due(carol, path, async::action_handle("aaaa0001", "@carol call", 1),
                                     std::string{"2026-12-03"}, async::WriteMode::dry_run);
    CHECK(dry.changed);
    CHECK(read(file) == before);
    CHECK_THROWS_AS(async::set_action_due(bob, path, pay, std::string{"2026-12-03"}, async::WriteMode::write), async::Error);
}
