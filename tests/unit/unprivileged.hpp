#pragma once
// Test cases about file permissions, which root (as in CI) bypasses: run as root, such a case
// runs itself again as the user nobody instead of being skipped.
#include <async/process.hpp>

#include <doctest/doctest.h>

#include <pwd.h>
#include <string>
#include <unistd.h>

namespace async_test {

// True when the caller is root: this unit test binary has then been run again through setpriv
// as nobody with only test_case selected (a name without ',', '*' or '?'), and that run's
// result was checked here; the caller must return. False for any other user, who runs the
// checks itself.
inline bool ran_as_nobody(const std::string& test_case) {
    if (::geteuid() != 0) {
        return false;
    }
    const passwd* nobody = ::getpwnam("nobody");
    REQUIRE_MESSAGE(nobody != nullptr, "running as root needs the user nobody");
    auto self = async::current_executable();
    REQUIRE(!self.empty());
    auto r = async::run_process({"setpriv", "--reuid=" + std::to_string(nobody->pw_uid),
                                 "--regid=" + std::to_string(nobody->pw_gid), "--clear-groups",
                                 self.string(), "--test-case=" + test_case, "--no-version"},
                                async::Capture::combined, "/");
    REQUIRE_MESSAGE(r.has_value(), "running as root needs setpriv (util-linux)");
    CHECK_MESSAGE(r->exit_status == 0, "as nobody:\n" << r->out);
    return true;
}

} // namespace async_test
