#include <async/process.hpp>

#include <cerrno>
#include <csignal>
#include <ctime>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace async {
namespace {

void close_fd(int& fd) {
    if (fd >= 0) {
        ::close(fd);
        fd = -1;
    }
}

// Writes input to in_fd and reads out_fd (either may be -1) until both are done, with poll so a
// program that writes before it has read everything cannot deadlock us.
void pump(int& in_fd, std::string_view input, int& out_fd, std::string& out) {
    std::size_t written = 0;
    if (in_fd >= 0 && input.empty()) {
        close_fd(in_fd);
    }
    if (in_fd >= 0) {
        ::fcntl(in_fd, F_SETFL, ::fcntl(in_fd, F_GETFL) | O_NONBLOCK);
    }
    while (in_fd >= 0 || out_fd >= 0) {
        pollfd fds[2];
        nfds_t n = 0;
        if (in_fd >= 0) {
            fds[n++] = pollfd{in_fd, POLLOUT, 0};
        }
        if (out_fd >= 0) {
            fds[n++] = pollfd{out_fd, POLLIN, 0};
        }
        if (::poll(fds, n, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        for (nfds_t i = 0; i < n; ++i) {
            if (fds[i].revents == 0) {
                continue;
            }
            if (fds[i].fd == in_fd) {
                ssize_t w = ::write(in_fd, input.data() + written, input.size() - written);
                if (w < 0 && (errno == EINTR || errno == EAGAIN)) {
                    continue;
                }
                if (w < 0) {
                    close_fd(in_fd); // EPIPE: the program stopped reading
                    continue;
                }
                written += static_cast<std::size_t>(w);
                if (written == input.size()) {
                    close_fd(in_fd);
                }
            } else {
                char buf[8192];
                ssize_t r = ::read(out_fd, buf, sizeof buf);
                if (r < 0 && errno == EINTR) {
                    continue;
                }
                if (r <= 0) {
                    close_fd(out_fd);
                    continue;
                }
                out.append(buf, static_cast<std::size_t>(r));
            }
        }
    }
    close_fd(in_fd);
    close_fd(out_fd);
}

std::optional<ProcessResult> spawn(const std::vector<std::string>& argv,
                                   const std::string_view* input, Capture capture,
                                   const std::filesystem::path& cwd) {
    if (argv.empty()) {
        return std::nullopt;
    }
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);

    int out_fds[2] = {-1, -1};
    int in_fds[2] = {-1, -1};
    bool capturing = capture != Capture::none;
    if ((capturing && ::pipe2(out_fds, O_CLOEXEC) != 0) ||
        (input != nullptr && ::pipe2(in_fds, O_CLOEXEC) != 0)) {
        for (int* fd : {&out_fds[0], &out_fds[1], &in_fds[0], &in_fds[1]}) {
            close_fd(*fd);
        }
        return std::nullopt;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (capturing) {
        posix_spawn_file_actions_adddup2(&actions, out_fds[1], STDOUT_FILENO);
        if (capture == Capture::combined) {
            posix_spawn_file_actions_adddup2(&actions, out_fds[1], STDERR_FILENO);
        } else if (capture == Capture::stdout_silent) {
            posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
        }
    }
    if (input != nullptr) {
        posix_spawn_file_actions_adddup2(&actions, in_fds[0], STDIN_FILENO);
    }
    std::string dir = cwd.string();
    if (!dir.empty()) {
        posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
    }
    pid_t pid = 0;
    int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close_fd(out_fds[1]);
    close_fd(in_fds[0]);
    if (rc != 0) {
        close_fd(out_fds[0]);
        close_fd(in_fds[1]);
        return std::nullopt;
    }
    ProcessResult result;
    if (input != nullptr) {
        // Writing to a program that has exited raises SIGPIPE: block it in this thread while we
        // write, and take any pending one before unblocking, so it never kills async.
        sigset_t pipe_set, old_set;
        sigemptyset(&pipe_set);
        sigaddset(&pipe_set, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
        pump(in_fds[1], *input, out_fds[0], result.out);
        timespec zero{0, 0};
        while (sigtimedwait(&pipe_set, nullptr, &zero) == SIGPIPE) {
        }
        pthread_sigmask(SIG_SETMASK, &old_set, nullptr);
    } else {
        pump(in_fds[1], {}, out_fds[0], result.out);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return std::nullopt;
        }
    }
    if (WIFEXITED(status)) {
        result.exit_status = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        result.exit_status = 128 + WTERMSIG(status);
    }
    return result;
}

} // namespace

std::optional<ProcessResult> run_process(const std::vector<std::string>& argv, Capture capture,
                                         const std::filesystem::path& cwd) {
    return spawn(argv, nullptr, capture, cwd);
}

std::optional<ProcessResult> run_process_with_input(const std::vector<std::string>& argv,
                                                    std::string_view input, Capture capture,
                                                    const std::filesystem::path& cwd) {
    return spawn(argv, &input, capture, cwd);
}

std::filesystem::path current_executable() {
    std::error_code ec;
    auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec || !path.is_absolute()) {
        return {};
    }
    return path;
}

bool has_terminal() {
    if (::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO)) {
        return true;
    }
    int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        return false;
    }
    ::close(fd);
    return true;
}

} // namespace async
