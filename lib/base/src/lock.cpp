#include <async/error.hpp>
#include <async/lock.hpp>

#include <atomic>
#include <charconv>
#include <csignal>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <set>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace async {
namespace {

std::atomic<long long> g_wait_ms{5000};

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

mode_t mode_for(const fs::path& target) {
    struct stat st {};
    if (::stat(target.c_str(), &st) == 0) {
        return st.st_mode & 07777;
    }
    mode_t mask = ::umask(0);
    ::umask(mask);
    return 0666 & ~mask;
}

void fsync_dir(const fs::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

fs::path folder_of(const fs::path& path) {
    return path.has_parent_path() ? path.parent_path() : fs::path{"."};
}

constexpr std::string_view k_temp_marker = ".tmp-";

} // namespace

std::string temp_file_pattern(const fs::path& target) {
    return (folder_of(target) / ("." + target.filename().string() + std::string{k_temp_marker} +
                                 std::to_string(::getpid()) + "-XXXXXX"))
        .string();
}

bool is_write_leftover_name(std::string_view name) {
    if (name.ends_with(".md.lock") || name.ends_with(".toml.lock")) {
        return true;
    }
    auto marker = name.rfind(k_temp_marker);
    return name.size() > 1 && name.front() == '.' && marker != std::string_view::npos && marker > 1 &&
           name.size() - marker - k_temp_marker.size() >= 6;
}

void remove_stale_temp_files(const fs::path& dir) {
    std::error_code ec;
    auto now = fs::file_time_type::clock::now();
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
        std::string name = it->path().filename().string();
        auto marker = name.rfind(k_temp_marker);
        if (!is_write_leftover_name(name) || marker == std::string::npos || !name.starts_with('.')) {
            continue;
        }
        // ".NAME.tmp-PID-XXXXXX": the pid runs to the last '-'.
        std::string_view rest = std::string_view{name}.substr(marker + k_temp_marker.size());
        auto dash = rest.rfind('-');
        bool dead = false;
        if (dash != std::string_view::npos && dash > 0) {
            long pid = 0;
            auto digits = rest.substr(0, dash);
            auto [end, err] = std::from_chars(digits.data(), digits.data() + digits.size(), pid);
            dead = err == std::errc{} && end == digits.data() + digits.size() && pid > 0 &&
                   ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
        }
        std::error_code time_ec;
        auto written = fs::last_write_time(it->path(), time_ec);
        bool old = !time_ec && now - written > std::chrono::minutes{10};
        if (dead || old) {
            std::error_code ignored;
            fs::remove(it->path(), ignored);
        }
    }
}

void remove_stale_temp_files_once(const fs::path& dir) {
    static std::mutex mutex;
    static std::set<fs::path> cleaned;
    {
        std::lock_guard guard{mutex};
        if (!cleaned.insert(dir.lexically_normal()).second) {
            return;
        }
    }
    remove_stale_temp_files(dir);
}

void set_lock_wait(std::chrono::milliseconds wait) {
    g_wait_ms = wait.count() < 0 ? 0 : wait.count();
}

std::chrono::milliseconds lock_wait() {
    return std::chrono::milliseconds{g_wait_ms.load()};
}

fs::path lock_file_of(const fs::path& target) {
    fs::path lock = target;
    lock += ".lock";
    return lock;
}

FileLock::FileLock(fs::path target) : m_target(std::move(target)), m_lock(lock_file_of(m_target)) {
    std::error_code ec;
    fs::create_directories(folder_of(m_target), ec);
    if (ec) {
        throw io_error("create folder", folder_of(m_target).string(), ec.value());
    }
    using clock = std::chrono::steady_clock;
    auto deadline = clock::now() + lock_wait();
    auto pause = std::chrono::milliseconds{1};
    while (true) {
        m_fd = ::open(m_lock.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_for(m_target));
        if (m_fd >= 0) {
            return;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno != EEXIST) {
            throw io_error("create the lock", m_lock.string(), errno);
        }
        auto now = clock::now();
        if (now >= deadline) {
            throw Error{ErrorKind::environment, "another async is writing " + quoted(m_target) +
                                                    "; if none is running, remove " + quoted(m_lock)};
        }
        // Writers hold a lock for milliseconds: start short, back off to 50 ms.
        std::this_thread::sleep_for(std::min<clock::duration>(pause, deadline - now));
        pause = std::min(pause * 2, std::chrono::milliseconds{50});
    }
}

FileLock::~FileLock() {
    if (m_fd >= 0) {
        ::close(m_fd);
        ::unlink(m_lock.c_str());
    }
}

void FileLock::commit(std::string_view content) {
    if (m_fd < 0) {
        throw Error{ErrorKind::data, "cannot write " + quoted(m_target) + ": its lock was already released"};
    }
    auto fail = [&](int err) {
        ::close(m_fd);
        m_fd = -1;
        ::unlink(m_lock.c_str());
        return io_error("write", m_target.string(), err);
    };
    // open() applied the umask: the target's own permissions are what it keeps.
    ::fchmod(m_fd, mode_for(m_target));
    while (!content.empty()) {
        ssize_t n = ::write(m_fd, content.data(), content.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw fail(errno);
        }
        content.remove_prefix(static_cast<std::size_t>(n));
    }
    if (::fsync(m_fd) != 0) {
        throw fail(errno);
    }
    int fd = m_fd;
    m_fd = -1;
    if (::close(fd) != 0 || ::rename(m_lock.c_str(), m_target.c_str()) != 0) {
        int err = errno;
        ::unlink(m_lock.c_str());
        throw io_error("write", m_target.string(), err);
    }
    fsync_dir(folder_of(m_target));
    remove_stale_temp_files_once(folder_of(m_target));
}

} // namespace async
