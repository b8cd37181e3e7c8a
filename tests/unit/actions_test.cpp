#include <async/actions.hpp>
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
