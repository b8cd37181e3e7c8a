#pragma once
// The one exception type of the library. cmd/main.cpp maps each kind to its exit code.
#include <cerrno>
#include <stdexcept>
#include <string>
#include <string_view>

namespace async {

enum class ErrorKind {
    no,          // the answer is "no" / nothing found / aborted edit (exit 1)
    usage,       // bad flag, bad date, bad query (exit 2)
    data,        // unreadable or invalid file, corrupt index (exit 3)
    environment, // no editor, no git, sendmail failed (exit 4)
    interrupted, // Ctrl-C (exit 130)
};

class Error : public std::runtime_error {
public:
    // kind picks the exit code; message is lowercase without trailing period; hint (optional)
    // is printed on its own "hint:" line.
    Error(ErrorKind kind, std::string message, std::string hint = {})
        : std::runtime_error(std::move(message)), m_kind(kind), m_hint(std::move(hint)) {}

    ErrorKind kind() const { return m_kind; }
    const std::string& hint() const { return m_hint; }

private:
    ErrorKind m_kind;
    std::string m_hint;
};

// The kind of a failed file system call by its errno: the machine's (environment: a full disk
// or quota, a file size limit, a read-only file system) or the file's (data).
inline ErrorKind io_error_kind(int err) {
    return err == ENOSPC || err == EDQUOT || err == EFBIG || err == EROFS ? ErrorKind::environment
                                                                         : ErrorKind::data;
}

// The hint of an io_error_kind environment error.
inline constexpr const char* k_io_environment_hint = "free some space, or write to a writable file system";

// The error of a failed file system call: "cannot WHAT 'PATH': strerror(err)", of
// io_error_kind(err), with k_io_environment_hint when the machine is to blame. path is shown as
// given (callers pass the form the user knows: relative to the workspace where they can).
Error io_error(std::string_view what, std::string_view path, int err);

} // namespace async
