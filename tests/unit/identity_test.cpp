#include <async/config.hpp>
#include <async/env.hpp>
#include <async/error.hpp>
#include <async/identity.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using async::Config;
using async::ConfigScope;
using async::Env;
using async::ErrorKind;
using async_test::error_of;
using async_test::TempDir;

namespace {

Env env_of(std::map<std::string, std::string> vars) { return Env{std::move(vars)}; }

void write_text(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE(out.good());
}

// What git would answer, counting the questions.
struct FakeGit {
    std::optional<std::string> email;
    int asked = 0;
    async::GitEmail source() {
        return [this] {
            ++asked;
            return email;
        };
    }
};

} // namespace

TEST_CASE("identity::normalize_handle") {
    using async::normalize_handle;
    SUBCASE("normal forms") {
        CHECK(normalize_handle("@Bob") == "bob");
        CHECK(normalize_handle("Git.Person") == "git.person");
        CHECK(normalize_handle("alice") == "alice");
        CHECK(normalize_handle("  carol_2 \n") == "carol_2");
        CHECK(normalize_handle("9lives") == "9lives");
        CHECK(normalize_handle("x..") == "x..");
        CHECK(normalize_handle(std::string(64, 'a')) == std::string(64, 'a'));
        CHECK(normalize_handle("@" + std::string(64, 'B')) == std::string(64, 'b'));
    }
    SUBCASE("nothing usable is a usage error") {
        for (const std::string& bad : std::vector<std::string>{
                 "../..", "", "@", "   ", "..", ".hidden", "-dash", "---", "@@bob", "😀",
                 // Each would have become 'a-b' (or 'mary-jane', 'zo--'): one person of several.
                 "a/b", "a:b", "a b", "A B", "Mary Jane", "Zoë", "a\tb",
                 std::string(65, 'a'), "@" + std::string(65, 'a')}) {
            CAPTURE(bad);
            auto e = error_of([&] { (void)normalize_handle(bad); });
            CHECK(e.kind() == ErrorKind::usage);
        }
        auto e = error_of([] { (void)normalize_handle("../.."); });
        CHECK(std::string{e.what()} == "invalid handle '../..'");
        CHECK(std::string{error_of([] { (void)normalize_handle(" a:b "); }).what()} == "invalid handle 'a:b'");
        auto esc = error_of([] { (void)normalize_handle("\x1b[2J"); });
        CHECK(std::string{esc.what()} == "invalid handle '^[[2J'");
    }
}

TEST_CASE("identity::current_handle") {
    TempDir tmp{"identity"};
    const fs::path home = tmp / "home";
    fs::create_directories(home);
    FakeGit git{"Git.Person@example.com"};

    SUBCASE("ASYNC_USER first (through the config's env layer), without asking git") {
        Config config = Config::load(env_of({{"HOME", home.string()}, {"ASYNC_USER", "@Dave"}}), "");
        CHECK(async::current_handle(env_of({{"USER", "erin"}}), config, git.source()) == "dave");
        CHECK(git.asked == 0);
    }
    SUBCASE("then the configured user.handle, without asking git") {
        write_text(home / ".config/async/config.toml", "[user]\nhandle = \"Carol\"\n");
        Config config = Config::load(env_of({{"HOME", home.string()}}), "");
        CHECK(async::current_handle(env_of({{"USER", "erin"}}), config, git.source()) == "carol");
        CHECK(git.asked == 0);
    }
    SUBCASE("an invalid configured handle is an error, not a fallback") {
        Config config;
        config.set("user.handle", "../..", ConfigScope::user);
        auto e = error_of([&] { (void)async::current_handle(env_of({{"USER", "erin"}}), config, git.source()); });
        CHECK(e.kind() == ErrorKind::usage);
    }
    SUBCASE("then the local part of git's user.email") {
        Config config;
        CHECK(async::current_handle(env_of({{"USER", "erin"}}), config, git.source()) == "git.person");
        CHECK(git.asked == 1);
    }
    SUBCASE("then $USER") {
        git.email = std::nullopt;
        Config config;
        CHECK(async::current_handle(env_of({{"USER", "Erin"}}), config, git.source()) == "erin");
        CHECK(async::current_handle(env_of({{"USER", "Erin"}}), config, {}) == "erin");
    }
    SUBCASE("an email without a local part is skipped") {
        git.email = "@example.com";
        Config config;
        CHECK(async::current_handle(env_of({{"USER", "erin"}}), config, git.source()) == "erin");
    }
    SUBCASE("nobody at all is an environment error") {
        git.email = std::nullopt;
        Config config;
        auto e = error_of([&] { (void)async::current_handle(env_of({}), config, git.source()); });
        CHECK(e.kind() == ErrorKind::environment);
        CHECK(std::string{e.what()} == "cannot tell who you are");
        CHECK(e.hint() == "set ASYNC_USER or run 'async config set --global user.handle NAME'");
    }
}

TEST_CASE("identity::resolve_identity") {
    using async::IdentitySource;
    FakeGit git{"Git.Person@example.com"};
    int names_asked = 0;
    async::GitName git_name = [&]() -> std::optional<std::string> {
        ++names_asked;
        return "Git Person";
    };

    SUBCASE("each field says where it came from; the team's table before git") {
        Config config;
        config.set("user.handle", "Dave", ConfigScope::env);
        config.set("people.dave.name", "Dave Team", ConfigScope::workspace);
        config.set("people.dave.email", "dave@example.com", ConfigScope::user);
        auto me = async::resolve_identity(env_of({{"USER", "erin"}}), config, git.source(), git_name);
        CHECK(me.handle.value == "dave");
        CHECK(me.handle.source == IdentitySource::env);
        CHECK(me.handle.key == "ASYNC_USER");
        CHECK(me.name.value == "Dave Team");
        CHECK(me.name.source == IdentitySource::workspace_config);
        CHECK(me.name.key == "people.dave.name");
        CHECK(me.email.source == IdentitySource::user_config);
        CHECK(git.asked == 0);
        CHECK(names_asked == 0);
    }
    SUBCASE("git answers what the config does not") {
        Config config;
        auto me = async::resolve_identity(env_of({{"USER", "erin"}}), config, git.source(), git_name);
        CHECK(me.handle.value == "git.person");
        CHECK(me.handle.source == IdentitySource::git);
        CHECK(me.name.value == "Git Person");
        CHECK(me.name.key == "user.name");
        CHECK(me.email.value == "Git.Person@example.com");
        CHECK(me.email.source == IdentitySource::git);
    }
    SUBCASE("$USER, and nothing else known") {
        git.email = std::nullopt;
        Config config;
        auto me = async::resolve_identity(env_of({{"USER", "Erin"}}), config, git.source(), {});
        CHECK(me.handle.value == "erin");
        CHECK(me.handle.key == "USER");
        CHECK(me.name.source == IdentitySource::unset);
        CHECK(me.name.value.empty());
        CHECK(me.email.key.empty());
        CHECK(async::to_string(me.email.source) == "unset");
    }
}
