#include <async/process.hpp>

#include <cerrno>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace async {

std::optional<ProcessResult> run_process(const std::vector<std::string>& argv, Capture capture,
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

    int pipe_fds[2] = {-1, -1};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    bool capturing = capture != Capture::none;
    if (capturing) {
        if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
            posix_spawn_file_actions_destroy(&actions);
            return std::nullopt;
        }
        posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
        if (capture == Capture::combined) {
            posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
        } else if (capture == Capture::stdout_silent) {
            posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
        }
    }
    std::string dir = cwd.string();
    if (!dir.empty()) {
        posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
    }
    pid_t pid = 0;
    int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (capturing) {
        ::close(pipe_fds[1]);
    }
    if (rc != 0) {
        if (capturing) {
            ::close(pipe_fds[0]);
        }
        return std::nullopt;
    }
    ProcessResult result;
    if (capturing) {
        char buf[8192];
        while (true) {
            ssize_t n = ::read(pipe_fds[0], buf, sizeof buf);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                break;
            }
            result.out.append(buf, static_cast<std::size_t>(n));
        }
        ::close(pipe_fds[0]);
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
