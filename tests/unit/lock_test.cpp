#include <async/error.hpp>
#include <async/lock.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <chrono>
#include <fstream>
#include <unistd.h>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using async::FileLock;

namespace {

std::string slurp(const fs::path& path) {
    std::ifstream in{path};
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void spit(const fs::path& path, const std::string& text) {
    std::ofstream{path} << text;
}

// Restores the process-wide wait after a test changed it.
struct ScopedWait {
    explicit ScopedWait(std::chrono::milliseconds wait) : m_old(async::lock_wait()) { async::set_lock_wait(wait); }
    ~ScopedWait() { async::set_lock_wait(m_old); }
    std::chrono::milliseconds m_old;
};

} // namespace

TEST_CASE("lock: commit replaces the target through its lock file and releases it") {
    async_test::TempDir dir;
    fs::path target = dir.path() / "sub" / "state.toml";
    {
        FileLock lock{target};
        CHECK(lock.path() == dir.path() / "sub" / "state.toml.lock");
        CHECK(fs::exists(lock.path()));
        lock.commit("one\n");
    }
    CHECK(slurp(target) == "one\n");
    CHECK_FALSE(fs::exists(async::lock_file_of(target)));
    ::chmod(target.c_str(), 0600);
    {
        FileLock lock{target};
        lock.commit("two\n");
    }
    CHECK(slurp(target) == "two\n");
    struct stat st {};
    REQUIRE(::stat(target.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("lock: a lock not committed is removed and the target kept") {
    async_test::TempDir dir;
    fs::path target = dir.path() / "config.toml";
    spit(target, "kept\n");
    {
        FileLock lock{target};
    }
    CHECK(slurp(target) == "kept\n");
    CHECK(fs::directory_iterator{dir.path()}->path() == target);
}

TEST_CASE("lock: a held lock fails after the wait with the environment kind, naming the lock") {
    async_test::TempDir dir;
    ScopedWait wait{std::chrono::milliseconds{200}};
    fs::path target = dir.path() / "index.md";
    spit(target, "kept\n");
    spit(async::lock_file_of(target), "");
    auto start = std::chrono::steady_clock::now();
    auto e = async_test::error_of([&] { FileLock lock{target}; });
    auto waited = std::chrono::steady_clock::now() - start;
    CHECK(e.kind() == async::ErrorKind::environment);
    CHECK(std::string{e.what()} == "another async is writing '" + target.string() + "'; if none is running, remove '" +
                                       target.string() + ".lock'");
    CHECK(waited >= std::chrono::milliseconds{200});
    CHECK(waited < std::chrono::seconds{2});
    CHECK(slurp(target) == "kept\n");
    CHECK(fs::exists(async::lock_file_of(target)));
}

TEST_CASE("lock: writers take turns and none is lost") {
    async_test::TempDir dir;
    fs::path target = dir.path() / "counter";
    spit(target, "0");
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 25; ++i) {
                FileLock lock{target};
                lock.commit(std::to_string(std::stoi(slurp(target)) + 1));
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    CHECK(slurp(target) == "200");
    CHECK_FALSE(fs::exists(async::lock_file_of(target)));
}

TEST_CASE("lock: a lock that cannot be created is a data error") {
    async_test::TempDir dir;
    fs::path file = dir.path() / "file";
    spit(file, "");
    auto e = async_test::error_of([&] { FileLock lock{file / "below"}; });
    CHECK(e.kind() == async::ErrorKind::data);
}

TEST_CASE("lock: temp files and lock files are told apart from the team's files") {
    std::string pattern = async::temp_file_pattern("/w/people/al/state.toml");
    CHECK(pattern == "/w/people/al/.state.toml.tmp-" + std::to_string(::getpid()) + "-XXXXXX");
    CHECK(async::is_write_leftover_name(".state.toml.tmp-123-abcdef"));
    CHECK(async::is_write_leftover_name(".index.md.tmp-Ab3dE9"));
    CHECK(async::is_write_leftover_name("index.md.lock"));
    CHECK(async::is_write_leftover_name("config.toml.lock"));
    CHECK_FALSE(async::is_write_leftover_name("index.md"));
    CHECK_FALSE(async::is_write_leftover_name("notes.tmp-123456.md.txt"));
    CHECK_FALSE(async::is_write_leftover_name("Cargo.lock"));
    CHECK_FALSE(async::is_write_leftover_name(".tmp-"));
}

TEST_CASE("lock: stale temp files go, live ones and locks stay") {
    async_test::TempDir dir;
    auto old_time = fs::file_time_type::clock::now() - std::chrono::minutes{11};
    // A pid that runs (this one) and one that does not (beyond pid_max).
    fs::path live = dir.path() / (".a.md.tmp-" + std::to_string(::getpid()) + "-abcdef");
    fs::path dead = dir.path() / ".a.md.tmp-2147483000-abcdef";
    fs::path old_style_fresh = dir.path() / ".b.md.tmp-QwErTy";
    fs::path old_style_old = dir.path() / ".c.md.tmp-AsDfGh";
    fs::path lock = dir.path() / "a.md.lock";
    fs::path doc = dir.path() / "a.md";
    for (const auto& p : {live, dead, old_style_fresh, old_style_old, lock, doc}) {
        spit(p, "x");
    }
    fs::last_write_time(old_style_old, old_time);
    fs::last_write_time(lock, old_time);
    fs::last_write_time(doc, old_time);
    async::remove_stale_temp_files(dir.path());
    CHECK(fs::exists(live));
    CHECK_FALSE(fs::exists(dead));
    CHECK(fs::exists(old_style_fresh));
    CHECK_FALSE(fs::exists(old_style_old));
    CHECK(fs::exists(lock));
    CHECK(fs::exists(doc));
    fs::last_write_time(live, old_time);
    async::remove_stale_temp_files(dir.path());
    CHECK_FALSE(fs::exists(live));
}
