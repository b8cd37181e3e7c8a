#include <async/error.hpp>
#include <async/hooks.hpp>
#include <async/process.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <sys/stat.h>

namespace fs = std::filesystem;
using async::HookAction;
using async_test::TempDir;

namespace {

std::vector<HookAction> actions(const std::vector<async::HookOutcome>& hooks) {
    std::vector<HookAction> out;
    for (const auto& h : hooks) {
        out.push_back(h.action);
    }
    return out;
}

std::vector<HookAction> all(HookAction a) {
    return {a, a, a, a};
}

// What sh makes of a quoted word (printf %s of it).
std::string through_sh(const std::string& word) {
    auto r = async::run_process({"sh", "-c", "printf %s " + async::shell_quote(word)},
                                async::Capture::stdout_only);
    REQUIRE(r);
    return r->out;
}

} // namespace

TEST_CASE("hooks::shell_quote") {
    CHECK(async::shell_quote("plain") == "'plain'");
    CHECK(async::shell_quote("it's") == "'it'\\''s'");
    CHECK(async::shell_quote("") == "''");
    for (std::string word :
         {"a b", "it's", "\"q\" $HOME `id` $(id) ; rm -rf ~", "x\ny", "''", "\\"}) {
        CHECK(through_sh(word) == word);
    }
}

TEST_CASE("hooks::hook_script") {
    std::string pre = async::hook_script("pre-commit", "/opt/it's/async", "team/");
    CHECK(async::is_async_hook(pre));
    CHECK(pre.starts_with("#!/bin/sh\n# async-hook: pre-commit,"));
    CHECK(pre.find("async_bin='/opt/it'\\''s/async'\n") != std::string::npos);
    CHECK(pre.find("cd 'team/' ") != std::string::npos);
    CHECK(pre.find("exec \"$async_bin\" -C . check --staged\n") != std::string::npos);
    std::string post = async::hook_script("post-merge", "", "");
    CHECK(post.find("async_bin=''\n") != std::string::npos);
    CHECK(post.find("cd '.' ") != std::string::npos);
    CHECK(post.find("index </dev/null >/dev/null 2>&1\nexit 0\n") != std::string::npos);
    // Valid sh.
    for (auto name : async::k_hook_names) {
        auto r =
            async::run_process({"sh", "-n", "-c", async::hook_script(name, "/x y/async", "a'b/")},
                               async::Capture::combined);
        REQUIRE(r);
        CHECK_MESSAGE(r->exit_status == 0, r->out);
    }
}

TEST_CASE("hooks::is_async_hook") {
    CHECK(async::is_async_hook("#!/bin/sh\n# async-hook: pre-commit\n"));
    CHECK_FALSE(async::is_async_hook("#!/bin/sh\nasync check --staged\n"));
    CHECK_FALSE(async::is_async_hook("#!/bin/sh\necho '# async-hook:'\n"));
    CHECK_FALSE(async::is_async_hook(""));
}

TEST_CASE("hooks::hook_chain_line") {
    CHECK(async::hook_chain_line("pre-commit", "/bin dir/async", "") ==
          "'/bin dir/async' -C '.' check --staged || exit 1");
    CHECK(async::hook_chain_line("post-merge", "", "team/") ==
          "async -q -C 'team/' index </dev/null >/dev/null 2>&1 || true");
}

TEST_CASE("hooks::install_hooks and uninstall_hooks") {
    TempDir tmp{"hooks"};
    REQUIRE(async::ensure_git_repository(tmp.path()));
    auto repo = *async::find_git_repository(tmp.path());

    SUBCASE("install, again, another binary, uninstall, again") {
        CHECK(actions(async::install_hooks(repo, "/usr/bin/async")) == all(HookAction::installed));
        struct stat st {};
        REQUIRE(::stat((repo.hooks / "pre-commit").c_str(), &st) == 0);
        CHECK((st.st_mode & 0111) == 0111);
        CHECK(actions(async::install_hooks(repo, "/usr/bin/async")) == all(HookAction::unchanged));
        CHECK(actions(async::install_hooks(repo, "/opt/async")) == all(HookAction::updated));
        CHECK(async::read_file(repo.hooks / "post-rewrite").find("'/opt/async'") !=
              std::string::npos);
        CHECK(actions(async::uninstall_hooks(repo)) == all(HookAction::removed));
        CHECK_FALSE(fs::exists(repo.hooks / "pre-commit"));
        CHECK(actions(async::uninstall_hooks(repo)) == all(HookAction::absent));
    }
    SUBCASE("foreign hooks are never touched") {
        async::write_file_atomic(repo.hooks / "pre-commit", "#!/bin/sh\nexit 0\n");
        fs::create_symlink("/bin/true", repo.hooks / "post-merge");
        CHECK(actions(async::install_hooks(repo, "/usr/bin/async")) ==
              std::vector{HookAction::foreign, HookAction::foreign, HookAction::installed,
                          HookAction::installed});
        CHECK(async::read_file(repo.hooks / "pre-commit") == "#!/bin/sh\nexit 0\n");
        CHECK(actions(async::uninstall_hooks(repo)) ==
              std::vector{HookAction::foreign, HookAction::foreign, HookAction::removed,
                          HookAction::removed});
        CHECK(fs::is_symlink(repo.hooks / "post-merge"));
        CHECK(fs::exists(repo.hooks / "pre-commit"));
    }
    SUBCASE("a symbolic link is never written or removed through, wherever it points") {
        // A hook kept elsewhere (a shared folder, a dotfiles repository) and linked in: even
        // when its target is a hook async wrote, the link is the user's arrangement, as git
        // itself never replaces one.
        fs::path shared = tmp / "shared-hooks";
        fs::create_directories(shared);
        std::string ours = async::hook_script("pre-commit", "/old/async", "");
        async::write_file_atomic(shared / "pre-commit", ours);
        fs::create_symlink(shared / "pre-commit", repo.hooks / "pre-commit");
        fs::create_symlink(shared / "missing", repo.hooks / "post-merge");
        CHECK(actions(async::install_hooks(repo, "/usr/bin/async")) ==
              std::vector{HookAction::foreign, HookAction::foreign, HookAction::installed,
                          HookAction::installed});
        CHECK(fs::is_symlink(repo.hooks / "pre-commit"));
        CHECK(fs::is_symlink(repo.hooks / "post-merge"));
        CHECK(async::read_file(shared / "pre-commit") == ours);
        CHECK_FALSE(fs::exists(shared / "missing"));
        CHECK(actions(async::uninstall_hooks(repo)) ==
              std::vector{HookAction::foreign, HookAction::foreign, HookAction::removed,
                          HookAction::removed});
        CHECK(fs::is_symlink(repo.hooks / "pre-commit"));
        CHECK(fs::is_symlink(repo.hooks / "post-merge"));
        CHECK(async::read_file(shared / "pre-commit") == ours);
    }
    SUBCASE("a missing hooks folder is created") {
        fs::remove_all(repo.hooks);
        CHECK(actions(async::install_hooks(repo, "")) == all(HookAction::installed));
    }
}
