#include <async/error.hpp>
#include <async/hooks.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace async {
namespace {

std::string workspace_dir(std::string_view workspace) {
    return workspace.empty() ? std::string{"."} : std::string{workspace};
}

// What every hook starts with: the marker, where async is, and the step that finds it. Git runs
// hooks at the top of the working tree; GIT_DIR and GIT_INDEX_FILE may be relative to it, so
// they are made absolute before changing into the workspace.
std::string preamble(std::string_view name, std::string_view purpose, const fs::path& binary,
                     std::string_view workspace) {
    std::string s = "#!/bin/sh\n";
    s += std::string{k_hook_marker} + " " + std::string{name} +
         ", written by 'async hook install'; 'async hook uninstall' removes it.\n";
    s += std::string{purpose};
    s += "# async is the binary that installed this hook, else the one on PATH.\n";
    s += "async_bin=" + shell_quote(binary.string()) + "\n";
    s += "[ -n \"$async_bin\" ] && [ -x \"$async_bin\" ] || async_bin=$(command -v async) || "
         "async_bin=\n";
    s += "case ${GIT_DIR-} in ''|/*) ;; *) GIT_DIR=$PWD/$GIT_DIR; export GIT_DIR ;; esac\n";
    s += "case ${GIT_INDEX_FILE-} in ''|/*) ;; *) GIT_INDEX_FILE=$PWD/$GIT_INDEX_FILE; export "
         "GIT_INDEX_FILE ;; esac\n";
    s +=
        "cd " + shell_quote(workspace_dir(workspace)) + " 2>/dev/null && [ -d .async ] || exit 0\n";
    return s;
}

HookOutcome outcome(const GitRepository& repo, std::string_view name, HookAction action) {
    return HookOutcome{std::string{name}, repo.hooks / std::string{name}, action};
}

enum class Existing { none, ours, foreign };

Existing inspect(const fs::path& path, std::string* text) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) {
            return Existing::none;
        }
        throw Error{ErrorKind::data,
                    "cannot read '" + path.string() + "': " + std::strerror(errno)};
    }
    if (!S_ISREG(st.st_mode)) {
        return Existing::foreign; // a symbolic link or folder: someone else's arrangement
    }
    std::string content = read_file(path);
    if (!is_async_hook(content)) {
        return Existing::foreign;
    }
    if (text) {
        *text = std::move(content);
    }
    return Existing::ours;
}

} // namespace

std::string hook_script(std::string_view name, const fs::path& binary, std::string_view workspace) {
    if (name == "pre-commit") {
        std::string s = preamble(
            name,
            "# Checks the staged workspace files ('async check --staged'); a finding refuses the\n"
            "# commit, 'git commit --no-verify' skips the check. Without async the commit goes "
            "on.\n",
            binary, workspace);
        s += "if [ -z \"$async_bin\" ]; then\n";
        s += "    echo 'async: warning: async is not installed here: the staged files were not "
             "checked' >&2\n";
        s += "    exit 0\n";
        s += "fi\n";
        s += "exec \"$async_bin\" -C . check --staged\n";
        return s;
    }
    std::string s = preamble(
        name,
        "# Refreshes the async index after git changed the files: quiet, and never fails git.\n",
        binary, workspace);
    s += "[ -n \"$async_bin\" ] || exit 0\n";
    s += "\"$async_bin\" -q -C . index </dev/null >/dev/null 2>&1\n";
    s += "exit 0\n";
    return s;
}

std::string hook_chain_line(std::string_view name, const fs::path& binary,
                            std::string_view workspace) {
    std::string bin = binary.empty() ? std::string{"async"} : shell_quote(binary.string());
    std::string dir = shell_quote(workspace_dir(workspace));
    if (name == "pre-commit") {
        return bin + " -C " + dir + " check --staged || exit 1";
    }
    return bin + " -q -C " + dir + " index </dev/null >/dev/null 2>&1 || true";
}

bool is_async_hook(std::string_view text) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        std::string_view line = text.substr(pos, end == std::string_view::npos ? end : end - pos);
        if (line.starts_with(k_hook_marker)) {
            return true;
        }
        if (end == std::string_view::npos) {
            break;
        }
        pos = end + 1;
    }
    return false;
}

std::vector<HookOutcome> install_hooks(const GitRepository& repo, const fs::path& binary) {
    std::vector<HookOutcome> out;
    std::error_code ec;
    fs::create_directories(repo.hooks, ec);
    if (ec) {
        throw Error{ErrorKind::data, "cannot create the hooks folder '" + repo.hooks.string() +
                                         "': " + ec.message()};
    }
    for (auto name : k_hook_names) {
        fs::path path = repo.hooks / std::string{name};
        std::string script = hook_script(name, binary, repo.prefix);
        std::string current;
        Existing existing = inspect(path, &current);
        if (existing == Existing::foreign) {
            out.push_back(outcome(repo, name, HookAction::foreign));
            continue;
        }
        struct stat st {};
        bool executable = ::stat(path.c_str(), &st) == 0 && (st.st_mode & S_IXUSR);
        if (existing == Existing::ours && current == script && executable) {
            out.push_back(outcome(repo, name, HookAction::unchanged));
            continue;
        }
        write_file_atomic(path, script);
        if (::chmod(path.c_str(), 0755) != 0) {
            throw Error{ErrorKind::data,
                        "cannot make '" + path.string() + "' executable: " + std::strerror(errno)};
        }
        out.push_back(outcome(
            repo, name, existing == Existing::ours ? HookAction::updated : HookAction::installed));
    }
    return out;
}

std::vector<HookOutcome> uninstall_hooks(const GitRepository& repo) {
    std::vector<HookOutcome> out;
    for (auto name : k_hook_names) {
        fs::path path = repo.hooks / std::string{name};
        Existing existing = inspect(path, nullptr);
        if (existing == Existing::ours) {
            if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
                throw Error{ErrorKind::data,
                            "cannot remove '" + path.string() + "': " + std::strerror(errno)};
            }
            out.push_back(outcome(repo, name, HookAction::removed));
        } else {
            out.push_back(
                outcome(repo, name,
                        existing == Existing::foreign ? HookAction::foreign : HookAction::absent));
        }
    }
    return out;
}

} // namespace async
