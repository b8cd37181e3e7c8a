#include <async/env.hpp>
#include <async/error.hpp>
#include <async/workspace.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"
#include "unprivileged.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using async::Discovery;
using async::Env;
using async::ErrorKind;
using async::StartedIn;
using async::Workspace;
using async_test::error_of;
using async_test::TempDir;

namespace {

void write_text(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE(out.good());
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    return std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Names in dir, sorted (hidden files included).
std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) {
        names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

mode_t mode_of(const fs::path& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

// Sets the umask for the scope.
class ScopedUmask {
public:
    explicit ScopedUmask(mode_t mask) : m_old(::umask(mask)) {}
    ~ScopedUmask() { ::umask(m_old); }
    ScopedUmask(const ScopedUmask&) = delete;
    ScopedUmask& operator=(const ScopedUmask&) = delete;

private:
    mode_t m_old;
};

void make_workspace(const fs::path& dir) {
    fs::create_directories(dir / ".async");
}

} // namespace

TEST_CASE("workspace::init_workspace") {
    TempDir tmp{"workspace"};
    SUBCASE("creates the layout, the config and the .gitignore lines") {
        fs::path dir = tmp / "team";
        CHECK(async::init_workspace(dir) == async::InitResult::created);
        for (auto sub : {".async", ".async/templates", ".async/local", ".async/local/drafts", "docs",
                         "meetings", "checkins", "people"}) {
            CAPTURE(sub);
            CHECK(fs::is_directory(dir / sub));
        }
        CHECK(fs::is_regular_file(dir / ".async/config.toml"));
        CHECK(read_text(dir / ".async/config.toml").find("day = \"fri\"") != std::string::npos);
        CHECK(read_text(dir / ".gitignore") == ".async/index.db*\n.async/local/\n" ".*.tmp-*\n*.md.lock\n*.toml.lock\n");
        CHECK(names_in(dir) == std::vector<std::string>{".async", ".gitignore", "checkins", "docs",
                                                        "meetings", "people"});
        CHECK(names_in(dir / ".async") == std::vector<std::string>{"config.toml", "local", "templates"});
        CHECK(async::find_enclosing_workspace(dir / "docs") == dir);
    }
    SUBCASE("is idempotent and never overwrites what is there") {
        fs::path dir = tmp / "team";
        REQUIRE(async::init_workspace(dir) == async::InitResult::created);
        write_text(dir / ".async/config.toml", "# mine\n[team]\nname = \"Ours\"\n");
        write_text(dir / "docs/keep.md", "keep\n");
        CHECK(async::init_workspace(dir) == async::InitResult::already_there);
        CHECK(async::init_workspace(dir / "") == async::InitResult::already_there);
        CHECK(read_text(dir / ".async/config.toml") == "# mine\n[team]\nname = \"Ours\"\n");
        CHECK(read_text(dir / "docs/keep.md") == "keep\n");
        CHECK(read_text(dir / ".gitignore") == ".async/index.db*\n.async/local/\n" ".*.tmp-*\n*.md.lock\n*.toml.lock\n");
    }
    SUBCASE("completes an existing .gitignore without repeating lines") {
        fs::path dir = tmp / "repo";
        write_text(dir / ".gitignore", "node_modules\n.async/local/\nbuild");
        CHECK(async::init_workspace(dir) == async::InitResult::created);
        CHECK(read_text(dir / ".gitignore") == "node_modules\n.async/local/\nbuild\n.async/index.db*\n" ".*.tmp-*\n*.md.lock\n*.toml.lock\n");
        async::init_workspace(dir);
        CHECK(read_text(dir / ".gitignore") == "node_modules\n.async/local/\nbuild\n.async/index.db*\n" ".*.tmp-*\n*.md.lock\n*.toml.lock\n");
    }
    SUBCASE("completes a half-made workspace") {
        fs::path dir = tmp / "half";
        make_workspace(dir);
        CHECK(async::init_workspace(dir) == async::InitResult::already_there);
        CHECK(fs::is_regular_file(dir / ".async/config.toml"));
        CHECK(fs::is_directory(dir / "people"));
    }
    SUBCASE("refuses to nest") {
        fs::path outer = tmp / "outer";
        REQUIRE(async::init_workspace(outer) == async::InitResult::created);
        for (auto inner : {outer / "docs", outer / "sub", outer / "a" / "b" / "c"}) {
            CAPTURE(inner);
            auto e = error_of([&] { async::init_workspace(inner); });
            CHECK(e.kind() == ErrorKind::usage);
            CHECK(std::string{e.what()} ==
                  "refusing to create a workspace inside the workspace '" + outer.string() + "'");
            CHECK_FALSE(fs::exists(inner / ".async"));
        }
        CHECK_FALSE(fs::exists(outer / "sub"));
    }
    SUBCASE("refuses a file") {
        fs::path file = tmp / "plain.txt";
        write_text(file, "text\n");
        auto e = error_of([&] { async::init_workspace(file); });
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(std::string{e.what()} == "'" + file.string() + "' exists and is not a folder");
        CHECK(read_text(file) == "text\n");
    }
    SUBCASE("a relative path is taken from the current folder") {
        async_test::ScopedCwd cwd{tmp.path()};
        CHECK(async::init_workspace("rel") == async::InitResult::created);
        CHECK(fs::is_directory(tmp / "rel/.async"));
    }
}

TEST_CASE("workspace::find_enclosing_workspace") {
    TempDir tmp{"workspace"};
    fs::path root = tmp / "ws";
    make_workspace(root);
    fs::create_directories(root / "docs/a/b");
    CHECK(async::find_enclosing_workspace(root) == root);
    CHECK(async::find_enclosing_workspace(root / "docs/a/b") == root);
    CHECK(async::find_enclosing_workspace(root / "docs/not/there/yet") == root);
    CHECK(async::find_enclosing_workspace(tmp.path()) == std::nullopt);
    SUBCASE("the nearest one wins") {
        make_workspace(root / "docs/a");
        CHECK(async::find_enclosing_workspace(root / "docs/a/b") == root / "docs/a");
    }
    SUBCASE("a file named .async is no workspace") {
        write_text(tmp / "fake/.async", "");
        CHECK(async::find_enclosing_workspace(tmp / "fake") == std::nullopt);
    }
    SUBCASE("relative starts and symlinks are resolved") {
        async_test::ScopedCwd cwd{root / "docs"};
        CHECK(async::find_enclosing_workspace("a/b") == root);
        CHECK(async::find_enclosing_workspace(".") == root);
        fs::create_directory_symlink(root / "docs/a", tmp / "link");
        CHECK(async::find_enclosing_workspace(tmp / "link/b") == root);
    }
}

TEST_CASE("workspace::discover_workspace") {
    TempDir tmp{"workspace"};
    fs::path a = tmp / "a";
    fs::path b = tmp / "b";
    fs::path c = tmp / "c";
    make_workspace(a);
    make_workspace(b);
    make_workspace(c);
    fs::create_directories(a / "docs/x");
    fs::path outside = tmp / "outside";
    fs::create_directories(outside);
    Env env{std::map<std::string, std::string>{{"HOME", (tmp / "home").string()},
                                               {"XDG_DATA_HOME", (tmp / "xdg").string()}}};
    Discovery how = Discovery::created;

    SUBCASE("-C: the workspace at or above the folder, whatever else is set") {
        Env with_dir = env;
        with_dir.set("ASYNC_DIR", b.string());
        auto ws = async::discover_workspace(a / "docs/x", StartedIn::dash_c, with_dir, c.string(), how);
        CHECK(ws.root() == a);
        CHECK(how == Discovery::found);
    }
    SUBCASE("-C into a folder that is no workspace is an error, not a fallback") {
        auto e = error_of([&] {
            async::discover_workspace(outside, StartedIn::dash_c, env, c.string(), how);
        });
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(std::string{e.what()} == "not in an async workspace: '" + outside.string() + "'");
        CHECK_FALSE(fs::exists(tmp / "xdg/async"));
    }
    SUBCASE("ASYNC_DIR beats the walk-up and the config") {
        Env with_dir = env;
        with_dir.set("ASYNC_DIR", b.string());
        auto ws = async::discover_workspace(a / "docs/x", StartedIn::cwd, with_dir, c.string(), how);
        CHECK(ws.root() == b);
        CHECK(how == Discovery::found);
    }
    SUBCASE("ASYNC_DIR relative to the current folder, normalised") {
        async_test::ScopedCwd cwd{tmp.path()};
        Env with_dir = env;
        with_dir.set("ASYNC_DIR", "./b/../b");
        auto ws = async::discover_workspace(outside, StartedIn::cwd, with_dir, std::nullopt, how);
        CHECK(ws.root() == b);
    }
    SUBCASE("ASYNC_DIR that is no workspace is an error") {
        Env with_dir = env;
        with_dir.set("ASYNC_DIR", outside.string());
        auto e = error_of([&] {
            async::discover_workspace(a, StartedIn::cwd, with_dir, std::nullopt, how);
        });
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(std::string{e.what()} == "ASYNC_DIR '" + outside.string() + "' is not an async workspace");
    }
    SUBCASE("an empty ASYNC_DIR counts as unset") {
        Env with_dir = env;
        with_dir.set("ASYNC_DIR", "");
        auto ws = async::discover_workspace(a / "docs", StartedIn::cwd, with_dir, std::nullopt, how);
        CHECK(ws.root() == a);
    }
    SUBCASE("the walk-up beats the config") {
        auto ws = async::discover_workspace(a / "docs/x", StartedIn::cwd, env, c.string(), how);
        CHECK(ws.root() == a);
        CHECK(how == Discovery::found);
    }
    SUBCASE("the config's workspace when nothing encloses the folder") {
        auto ws = async::discover_workspace(outside, StartedIn::cwd, env, c.string(), how);
        CHECK(ws.root() == c);
        CHECK(how == Discovery::found);
        CHECK_FALSE(fs::exists(tmp / "xdg/async"));
    }
    SUBCASE("the config's workspace may start with ~/") {
        make_workspace(tmp / "home/notes");
        auto ws = async::discover_workspace(outside, StartedIn::cwd, env, std::string{"~/notes"}, how);
        CHECK(ws.root() == tmp / "home/notes");
    }
    SUBCASE("a configured folder that is no workspace is an error") {
        auto e = error_of([&] {
            async::discover_workspace(outside, StartedIn::cwd, env, outside.string(), how);
        });
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(std::string{e.what()} ==
              "the configured workspace '" + outside.string() + "' is not an async workspace");
    }
    SUBCASE("the XDG default is created on first use, then found") {
        auto ws = async::discover_workspace(outside, StartedIn::cwd, env, std::nullopt, how);
        CHECK(ws.root() == tmp / "xdg/async");
        CHECK(how == Discovery::created);
        CHECK(fs::is_regular_file(tmp / "xdg/async/.async/config.toml"));
        CHECK(read_text(tmp / "xdg/async/.gitignore") == ".async/index.db*\n.async/local/\n" ".*.tmp-*\n*.md.lock\n*.toml.lock\n");
        auto again = async::discover_workspace(outside, StartedIn::cwd, env, std::nullopt, how);
        CHECK(again.root() == tmp / "xdg/async");
        CHECK(how == Discovery::found);
    }
    SUBCASE("without XDG_DATA_HOME (or with a relative one) it is ~/.local/share/async") {
        Env home_only{std::map<std::string, std::string>{{"HOME", (tmp / "home").string()},
                                                         {"XDG_DATA_HOME", "relative/dir"}}};
        CHECK(async::default_workspace_dir(home_only) == tmp / "home/.local/share/async");
        auto ws = async::discover_workspace(outside, StartedIn::cwd, home_only, std::nullopt, how);
        CHECK(ws.root() == tmp / "home/.local/share/async");
        CHECK(how == Discovery::created);
        CHECK(async::default_workspace_dir(env) == tmp / "xdg/async");
    }
    SUBCASE("without HOME (unset, empty or relative) nothing is created, and the error says why") {
        for (const auto& vars : std::vector<std::map<std::string, std::string>>{
                 {}, {{"HOME", ""}}, {{"HOME", "relative"}}, {{"XDG_DATA_HOME", "relative"}}}) {
            Env no_home{vars};
            CHECK(!no_home.home());
            CHECK(!async::find_workspace(outside, StartedIn::cwd, no_home, std::nullopt));
            auto e = error_of([&] { (void)async::discover_workspace(outside, StartedIn::cwd, no_home, std::nullopt, how); });
            CHECK(e.kind() == ErrorKind::environment);
            CHECK(std::string{e.what()} == "HOME is not set, so the default workspace cannot be found");
            CHECK(e.hint() == "set HOME to your home folder, or name the workspace with -C DIR or ASYNC_DIR");
        }
    }
}

TEST_CASE("workspace::Workspace") {
    TempDir tmp{"workspace"};
    Workspace ws{tmp / "ws"};
    SUBCASE("layout paths") {
        CHECK(ws.root() == tmp / "ws");
        CHECK(ws.async_dir() == tmp / "ws/.async");
        CHECK(ws.config_file() == tmp / "ws/.async/config.toml");
        CHECK(ws.templates_dir() == tmp / "ws/.async/templates");
        CHECK(ws.index_file() == tmp / "ws/.async/index.db");
        CHECK(ws.local_dir() == tmp / "ws/.async/local");
        CHECK(ws.drafts_dir() == tmp / "ws/.async/local/drafts");
    }
    SUBCASE("inside accepts paths that stay inside") {
        CHECK(ws.inside("docs/x/index.md") == tmp / "ws/docs/x/index.md");
        CHECK(ws.inside("docs/../people/bob") == tmp / "ws/people/bob");
        CHECK(ws.inside("./docs") == tmp / "ws/docs");
    }
    SUBCASE("inside rejects paths that leave") {
        for (const char* rel : {"../x", "..", "docs/../../x", "a/b/../../../etc", "/etc/passwd", "/", ""}) {
            CAPTURE(rel);
            auto e = error_of([&] { (void)ws.inside(rel); });
            CHECK(e.kind() == ErrorKind::usage);
            CHECK(std::string{e.what()} == "path '" + std::string{rel} + "' is outside the workspace");
        }
    }
    SUBCASE("display") {
        CHECK(ws.display(tmp / "ws/docs/x/index.md") == "docs/x/index.md");
        CHECK(ws.display(tmp / "elsewhere/file.md") == (tmp / "elsewhere/file.md").string());
        CHECK(ws.display("/etc/passwd") == "/etc/passwd");
    }
}

TEST_CASE("workspace::write_file_atomic") {
    TempDir tmp{"workspace"};
    SUBCASE("writes the content, creating folders, and leaves no temp file") {
        fs::path file = tmp / "a/b/c.md";
        async::write_file_atomic(file, "hello\n");
        CHECK(read_text(file) == "hello\n");
        CHECK(names_in(tmp / "a/b") == std::vector<std::string>{"c.md"});
        async::write_file_atomic(file, std::string(200000, 'x'));
        CHECK(read_text(file) == std::string(200000, 'x'));
        async::write_file_atomic(file, "");
        CHECK(read_text(file) == "");
        CHECK(names_in(tmp / "a/b") == std::vector<std::string>{"c.md"});
    }
    SUBCASE("binary content, NUL bytes included") {
        fs::path file = tmp / "bin";
        const std::string bytes{"\0\xFF\r\n\x1b", 5};
        async::write_file_atomic(file, bytes);
        CHECK(read_text(file) == bytes);
    }
    SUBCASE("keeps an existing file's mode") {
        fs::path file = tmp / "private.md";
        write_text(file, "old\n");
        fs::permissions(file, fs::perms(0640), fs::perm_options::replace);
        async::write_file_atomic(file, "new\n");
        CHECK(read_text(file) == "new\n");
        CHECK(mode_of(file) == 0640);
        fs::permissions(file, fs::perms(0755), fs::perm_options::replace);
        async::write_file_atomic(file, "newer\n");
        CHECK(mode_of(file) == 0755);
        CHECK(names_in(tmp.path()) == std::vector<std::string>{"private.md"});
    }
    SUBCASE("a new file gets 0666 minus the umask") {
        ScopedUmask mask{027};
        async::write_file_atomic(tmp / "new.md", "x");
        CHECK(mode_of(tmp / "new.md") == 0640);
    }
    SUBCASE("replaces a file other processes still have open") {
        fs::path file = tmp / "f.md";
        write_text(file, "old\n");
        std::ifstream reader(file, std::ios::binary);
        async::write_file_atomic(file, "new\n");
        std::string seen{std::istreambuf_iterator<char>(reader), std::istreambuf_iterator<char>()};
        CHECK(seen == "old\n"); // the reader keeps the old, complete file
        CHECK(read_text(file) == "new\n");
    }
    SUBCASE("failure is a data error naming the path") {
        write_text(tmp / "file", "x");
        auto e = error_of([&] { async::write_file_atomic(tmp / "file/child.md", "y"); });
        CHECK(e.kind() == ErrorKind::data);
        CHECK(std::string{e.what()}.find("'" + (tmp / "file").string()) != std::string::npos);
        // The rename onto a folder fails after the temp file was written beside it, in tmp:
        // that temp file must be gone again.
        fs::create_directories(tmp / "dir/inside");
        auto dir = error_of([&] { async::write_file_atomic(tmp / "dir", "y"); });
        CHECK(dir.kind() == ErrorKind::data);
        CHECK(std::string{dir.what()}.find("'" + (tmp / "dir").string() + "'") != std::string::npos);
        CHECK(names_in(tmp.path()) == std::vector<std::string>{"dir", "file"});
        CHECK(names_in(tmp / "dir") == std::vector<std::string>{"inside"});
    }
}

TEST_CASE("workspace::create_file_exclusive") {
    TempDir tmp{"workspace"};
    fs::path file = tmp / "docs/x/index.md";
    CHECK(async::create_file_exclusive(file, "first\n"));
    CHECK(read_text(file) == "first\n");
    CHECK(names_in(tmp / "docs/x") == std::vector<std::string>{"index.md"});
    fs::permissions(file, fs::perms(0600), fs::perm_options::replace);
    auto before = fs::last_write_time(file);

    CHECK_FALSE(async::create_file_exclusive(file, "second\n"));
    CHECK(read_text(file) == "first\n");
    CHECK(mode_of(file) == 0600);
    CHECK(fs::last_write_time(file) == before);
    CHECK(names_in(tmp / "docs/x") == std::vector<std::string>{"index.md"});

    SUBCASE("an existing folder or symlink is never replaced either") {
        fs::create_directories(tmp / "dir");
        CHECK_FALSE(async::create_file_exclusive(tmp / "dir", "x"));
        CHECK(fs::is_directory(tmp / "dir"));
        fs::create_symlink(tmp / "nowhere", tmp / "dangling");
        CHECK_FALSE(async::create_file_exclusive(tmp / "dangling", "x"));
        CHECK_FALSE(fs::exists(tmp / "nowhere"));
    }
}

TEST_CASE("workspace::read_file") {
    TempDir tmp{"workspace"};
    SUBCASE("reads every byte") {
        const std::string bytes = std::string{"a\0b\r\n", 5} + std::string(150000, 'z');
        write_text(tmp / "f", bytes);
        CHECK(async::read_file(tmp / "f") == bytes);
        write_text(tmp / "empty", "");
        CHECK(async::read_file(tmp / "empty") == "");
    }
    SUBCASE("a missing file") {
        auto e = error_of([&] { (void)async::read_file(tmp / "missing.md"); });
        CHECK(e.kind() == ErrorKind::data);
        CHECK(std::string{e.what()} ==
              "cannot read '" + (tmp / "missing.md").string() + "': No such file or directory");
    }
    SUBCASE("a folder") {
        auto e = error_of([&] { (void)async::read_file(tmp.path()); });
        CHECK(e.kind() == ErrorKind::data);
        CHECK(std::string{e.what()} == "cannot read '" + tmp.path().string() + "': Is a directory");
    }
}

TEST_CASE("workspace::read_file of a file it may not read") {
    if (async_test::ran_as_nobody("workspace::read_file of a file it may not read")) {
        return;
    }
    TempDir tmp{"workspace"};
    write_text(tmp / "secret", "x");
    fs::permissions(tmp / "secret", fs::perms::none, fs::perm_options::replace);
    auto e = error_of([&] { (void)async::read_file(tmp / "secret"); });
    CHECK(e.kind() == ErrorKind::data);
    CHECK(std::string{e.what()} ==
          "cannot read '" + (tmp / "secret").string() + "': Permission denied");
}
