#include <async/config.hpp>
#include <async/editor.hpp>
#include <async/env.hpp>
#include <async/error.hpp>
#include <async/process.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <algorithm>
#include <fstream>
#include <map>
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

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    return std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A path for the shell, in single quotes.
std::string sh_quoted(const fs::path& path) {
    std::string out = "'";
    for (char c : path.string()) {
        out += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
    }
    return out + "'";
}

} // namespace

TEST_CASE("editor::configured_editor") {
    Config with_core;
    with_core.set("core.editor", "nano -w", ConfigScope::user);
    const Config none;
    CHECK(async::configured_editor(env_of({{"VISUAL", "code --wait"}, {"EDITOR", "vim"}}), with_core) ==
          "code --wait");
    CHECK(async::configured_editor(env_of({{"EDITOR", "vim"}}), with_core) == "vim");
    CHECK(async::configured_editor(env_of({{"VISUAL", ""}, {"EDITOR", "vim"}}), with_core) == "vim");
    CHECK(async::configured_editor(env_of({}), with_core) == "nano -w");
    CHECK(async::configured_editor(env_of({{"EDITOR", ""}}), with_core) == "nano -w");
    CHECK(async::configured_editor(env_of({}), none) == std::nullopt);
    Config empty_core;
    empty_core.set("core.editor", "", ConfigScope::user);
    CHECK(async::configured_editor(env_of({}), empty_core) == std::nullopt);
}

TEST_CASE("editor::resolve_editor") {
    const Config none;
    CHECK(async::resolve_editor(env_of({{"EDITOR", "ed"}}), none) == "ed");
    // Without a configured editor the answer depends on whether there is a terminal.
    if (async::has_terminal()) {
        CHECK(async::resolve_editor(env_of({}), none) == "vi");
    } else {
        auto e = error_of([&] { (void)async::resolve_editor(env_of({}), none); });
        CHECK(e.kind() == ErrorKind::environment);
        CHECK(std::string{e.what()} == "no editor is set and there is no terminal");
        CHECK(e.hint() == "use -m TEXT, --file PATH or --no-edit, or set EDITOR");
    }
}

TEST_CASE("editor::run_editor") {
    TempDir tmp{"editor"};
    const fs::path file = tmp / "draft.md";
    std::ofstream(file) << "text\n";

    SUBCASE("the exit status is returned") {
        CHECK(async::run_editor(file, "true") == 0);
        CHECK(async::run_editor(file, "false") == 1);
        CHECK(async::run_editor(file, "sh -c 'exit 7'") == 7);
    }
    SUBCASE("killed by a signal is 128+N") {
        CHECK(async::run_editor(file, "kill -TERM $$;") == 128 + 15);
    }
    SUBCASE("the path is one argument, never parsed by the shell") {
        const fs::path nasty = tmp / "a b;touch PWNED;$(touch PWNED2)'`x`\".md";
        std::ofstream(nasty) << "";
        const fs::path out = tmp / "out";
        CHECK(async::run_editor(nasty, "printf '%s|' > " + sh_quoted(out)) == 0);
        CHECK(read_text(out) == nasty.string() + "|");
        CHECK_FALSE(fs::exists("PWNED"));
        CHECK_FALSE(fs::exists(tmp / "PWNED"));
        CHECK_FALSE(fs::exists("PWNED2"));
    }
    SUBCASE("an editor command with arguments works (like EDITOR=\"code --wait\")") {
        CHECK(async::run_editor(file, "sh -c 'cat \"$1\" > \"$1.copy\"' editor") == 0);
        CHECK(read_text(tmp / "draft.md.copy") == "text\n");
    }
    SUBCASE("an editor that does not exist is an environment error") {
        auto e = error_of([&] { (void)async::run_editor(file, "no-such-editor-for-async-tests"); });
        CHECK(e.kind() == ErrorKind::environment);
        CHECK(std::string{e.what()} ==
              "cannot start the editor 'no-such-editor-for-async-tests' (command not found)");
    }
}
