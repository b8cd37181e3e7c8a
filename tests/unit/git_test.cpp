#include <async/error.hpp>
#include <async/git.hpp>
#include <async/workspace.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

TEST_CASE("git::split_z") {
    using V = std::vector<std::string_view>;
    CHECK(async::split_z("") == V{});
    CHECK(async::split_z(std::string_view{"a\0b c\0", 6}) == V{"a", "b c"});
    CHECK(async::split_z(std::string_view{"a\0\0cut", 6}) == V{"a", "", "cut"});
}

namespace {

// `git config user.email` runs in this process's environment and folder: point HOME at home,
// hide every other git configuration, and stand in a folder that is no repository.
class IsolatedGit {
public:
    IsolatedGit(const fs::path& home, const fs::path& cwd) : m_cwd(cwd) {
        for (const char* name : {"GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_DIR", "GIT_WORK_TREE",
                                 "XDG_CONFIG_HOME", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT",
                                 "EMAIL", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"}) {
            m_vars.push_back(std::make_unique<async_test::ScopedEnvVar>(name, std::nullopt));
        }
        m_vars.push_back(std::make_unique<async_test::ScopedEnvVar>("HOME", home.string()));
        m_vars.push_back(std::make_unique<async_test::ScopedEnvVar>("GIT_CONFIG_NOSYSTEM", "1"));
        m_vars.push_back(
            std::make_unique<async_test::ScopedEnvVar>("GIT_CEILING_DIRECTORIES", cwd.parent_path().string()));
    }

private:
    std::vector<std::unique_ptr<async_test::ScopedEnvVar>> m_vars;
    async_test::ScopedCwd m_cwd;
};

void write_file(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE(out.good());
}

} // namespace

TEST_CASE("git::git_user_email") {
    TempDir tmp{"git"};
    fs::create_directories(tmp / "home");
    fs::create_directories(tmp / "work");
    IsolatedGit git{tmp / "home", tmp / "work"};
    CHECK_FALSE(async::git_user_email());
    write_file(tmp / "home/.gitconfig", "[user]\n\temail = Git.Person@example.com\n");
    CHECK(async::git_user_email() == "Git.Person@example.com");
    write_file(tmp / "home/.gitconfig", "[user]\n\temail = \"  \"\n");
    CHECK_FALSE(async::git_user_email());
    async_test::ScopedEnvVar path{"PATH", (tmp / "nowhere").string()};
    CHECK_FALSE(async::git_user_email()); // no git at all is no answer, not an error
}

TEST_CASE("git::git_dir_of") {
    TempDir tmp{"git"};
    CHECK_FALSE(async::git_dir_of(tmp.path()));
    REQUIRE(async::ensure_git_repository(tmp.path()));
    CHECK(async::git_dir_of(tmp.path()) == tmp / ".git");
    REQUIRE(async::run_git(tmp.path(), {"init", "-q", "--bare", "bare.git"}).exit_status == 0);
    CHECK(async::git_dir_of(tmp / "bare.git") == tmp / "bare.git");
}

TEST_CASE("git::staged_files and read_blob") {
    TempDir tmp{"git"};
    SUBCASE("no repository") {
        auto e = error_of([&] { async::staged_files(tmp.path(), "do this"); });
        CHECK(e.kind() == ErrorKind::environment);
        CHECK(e.hint() == "do this");
    }
    SUBCASE("added, modified and deleted files, relative to the folder") {
        REQUIRE(async::ensure_git_repository(tmp.path()));
        for (auto [key, value] : {std::pair{"user.email", "a@example.com"}, std::pair{"user.name", "A"}}) {
            REQUIRE(async::run_git(tmp.path(), {"config", key, value}).exit_status == 0);
        }
        write_file(tmp / "team/kept.md", "old\n");
        write_file(tmp / "team/gone.md", "bye\n");
        REQUIRE(async::run_git(tmp.path(), {"add", "-A"}).exit_status == 0);
        REQUIRE(async::run_git(tmp.path(), {"commit", "-q", "-m", "first"}).exit_status == 0);
        write_file(tmp / "team/kept.md", "new\n");
        write_file(tmp / "team/a b\nc.md", "odd name\n");
        fs::remove(tmp / "team/gone.md");
        REQUIRE(async::run_git(tmp.path(), {"add", "-A"}).exit_status == 0);

        auto staged = async::staged_files(tmp / "team", "");
        REQUIRE(staged.size() == 3);
        CHECK(staged[0].path == "a b\nc.md");
        CHECK(staged[0].status == 'A');
        CHECK(staged[0].mode == "100644");
        CHECK(staged[1].path == "gone.md");
        CHECK(staged[1].status == 'D');
        CHECK(staged[2].path == "kept.md");
        CHECK(staged[2].status == 'M');
        CHECK(async::read_blob(tmp.path(), staged[2].blob) == "new\n");
        CHECK_FALSE(async::read_blob(tmp.path(), std::string(40, '0')));
    }
}
