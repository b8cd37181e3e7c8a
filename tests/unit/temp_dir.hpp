#pragma once
// Helpers shared by the unit tests: a private temp folder per test, scoped changes to the
// process environment and working folder, and capturing an async::Error to check its kind and
// message exactly.
#include <async/error.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unistd.h>
#include <utility>

namespace async_test {

// A fresh, empty folder under the system temp dir (canonical path), removed with everything in
// it when the object goes away.
class TempDir {
public:
    explicit TempDir(std::string_view tag = "unit") {
        namespace fs = std::filesystem;
        static std::atomic<unsigned> counter{0};
        std::random_device random;
        for (int attempt = 0; attempt < 100; ++attempt) {
            fs::path candidate = fs::temp_directory_path() /
                                 ("async-" + std::string{tag} + "-" + std::to_string(::getpid()) +
                                  "-" + std::to_string(counter++) + "-" + std::to_string(random()));
            std::error_code ec;
            if (fs::create_directory(candidate, ec)) {
                m_path = fs::canonical(candidate);
                return;
            }
        }
        throw std::runtime_error("cannot create a temp folder");
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(const std::filesystem::path& rel) const { return m_path / rel; }

private:
    std::filesystem::path m_path;
};

// Sets (or with nullopt unsets) an environment variable of this process until the end of the
// scope, then restores what was there. Calls tzset() when the variable is TZ.
class ScopedEnvVar {
public:
    ScopedEnvVar(std::string name, std::optional<std::string> value) : m_name(std::move(name)) {
        if (const char* old = std::getenv(m_name.c_str())) {
            m_old = old;
        }
        apply(value);
    }
    ~ScopedEnvVar() { apply(m_old); }
    ScopedEnvVar(const ScopedEnvVar&) = delete;
    ScopedEnvVar& operator=(const ScopedEnvVar&) = delete;

private:
    void apply(const std::optional<std::string>& value) {
        if (value) {
            ::setenv(m_name.c_str(), value->c_str(), 1);
        } else {
            ::unsetenv(m_name.c_str());
        }
        if (m_name == "TZ") {
            ::tzset();
        }
    }
    std::string m_name;
    std::optional<std::string> m_old;
};

// Changes the process's working folder until the end of the scope.
class ScopedCwd {
public:
    explicit ScopedCwd(const std::filesystem::path& dir) : m_old(std::filesystem::current_path()) {
        std::filesystem::current_path(dir);
    }
    ~ScopedCwd() {
        std::error_code ec;
        std::filesystem::current_path(m_old, ec);
    }
    ScopedCwd(const ScopedCwd&) = delete;
    ScopedCwd& operator=(const ScopedCwd&) = delete;

private:
    std::filesystem::path m_old;
};

// The async::Error that f throws; fails the test when it throws nothing (or something else).
template <class F> async::Error error_of(F&& f) {
    try {
        std::forward<F>(f)();
    } catch (const async::Error& e) {
        return e;
    }
    FAIL("expected an async::Error");
    return async::Error{async::ErrorKind::interrupted, "unreachable"};
}

} // namespace async_test
