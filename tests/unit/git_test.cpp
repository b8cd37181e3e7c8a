#include <async/error.hpp>
#include <async/git.hpp>
#include <async/workspace.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

namespace fs = std::filesystem;
using async::ErrorKind;
using async_test::error_of;
using async_test::TempDir;

TEST_CASE("git::find_git_repository") {
    TempDir tmp{"git"};
    SUBCASE("no repository") {
        CHECK_FALSE(async::find_git_repository(tmp.path()));
    }
    SUBCASE("the top, a subfolder, and core.hooksPath") {
        REQUIRE(async::ensure_git_repository(tmp.path()));
        CHECK_FALSE(async::ensure_git_repository(tmp.path())); // already one
        auto repo = async::find_git_repository(tmp.path());
        REQUIRE(repo);
        CHECK(repo->top == tmp.path());
        CHECK(repo->prefix == "");
        CHECK(repo->git_dir == tmp / ".git");
        CHECK(repo->hooks == tmp / ".git/hooks");

        fs::create_directories(tmp / "team docs");
        auto sub = async::find_git_repository(tmp / "team docs");
        REQUIRE(sub);
        CHECK(sub->top == tmp.path());
        CHECK(sub->prefix == "team docs/");
        CHECK(sub->hooks == tmp / ".git/hooks");

        auto set = async::run_git(tmp.path(), {"config", "core.hooksPath", "my hooks"});
        REQUIRE(set.exit_status == 0);
        CHECK(async::find_git_repository(tmp / "team docs")->hooks == tmp / "my hooks");
    }
    SUBCASE("a folder inside another repository gets its own") {
        REQUIRE(async::ensure_git_repository(tmp.path()));
        fs::create_directories(tmp / "inner");
        CHECK(async::ensure_git_repository(tmp / "inner"));
        CHECK(async::find_git_repository(tmp / "inner")->top == tmp / "inner");
    }
}

TEST_CASE("git::require_git_repository") {
    TempDir tmp{"git"};
    async::Workspace ws{tmp.path()};
    auto e = error_of([&] { async::require_git_repository(ws, "do this"); });
    CHECK(e.kind() == ErrorKind::environment);
    CHECK(std::string{e.what()} ==
          "the workspace '" + tmp.path().string() + "' is not in a git repository");
    CHECK(e.hint() == "do this");
}

TEST_CASE("git::first_line") {
    CHECK(async::first_line("main  \nrest") == "main");
    CHECK(async::first_line("") == "");
    CHECK(async::first_line("one\r\n") == "one");
}

TEST_CASE("git::escape_path") {
    CHECK(async::escape_path("docs/a b/index.md") == "docs/a b/index.md");
    CHECK(async::escape_path("a\nb\tc\\d") == "a\\nb\\tc\\\\d");
    CHECK(async::escape_path(std::string{"e\x1b[31m"}) == "e\\033[31m");
    CHECK(async::escape_path("caf\xc3\xa9") == "caf\xc3\xa9");
}
