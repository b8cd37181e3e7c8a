#include <async/config.hpp>
#include <async/editor.hpp>
#include <async/env.hpp>
#include <async/error.hpp>
#include <async/process.hpp>

#include <csignal>

namespace async {
namespace {

// Restores SIGINT/SIGQUIT handling when the editor returns, whatever happens.
class IgnoreInterrupts {
public:
    IgnoreInterrupts() {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        sigemptyset(&ignore.sa_mask);
        sigaction(SIGINT, &ignore, &m_int);
        sigaction(SIGQUIT, &ignore, &m_quit);
    }
    ~IgnoreInterrupts() {
        sigaction(SIGINT, &m_int, nullptr);
        sigaction(SIGQUIT, &m_quit, nullptr);
    }
    IgnoreInterrupts(const IgnoreInterrupts&) = delete;
    IgnoreInterrupts& operator=(const IgnoreInterrupts&) = delete;

private:
    struct sigaction m_int {};
    struct sigaction m_quit {};
};

} // namespace

std::optional<std::string> configured_editor(const Env& env, const Config& config) {
    for (const char* name : {"VISUAL", "EDITOR"}) {
        if (auto value = env.get(name)) {
            return value;
        }
    }
    if (auto value = config.get("core.editor"); value && !value->empty()) {
        return value;
    }
    return std::nullopt;
}

std::string resolve_editor(const Env& env, const Config& config) {
    if (auto editor = configured_editor(env, config)) {
        return *editor;
    }
    if (!has_terminal()) {
        throw Error{ErrorKind::environment, "no editor is set and there is no terminal",
                    "use -m TEXT, --file PATH or --no-edit, or set EDITOR"};
    }
    return "vi";
}

int run_editor(const std::filesystem::path& file, const std::string& editor) {
    IgnoreInterrupts guard;
    // "$0" is the editor command for error messages from sh; the path is "$1", never parsed
    // by the shell.
    auto result = run_process({"sh", "-c", editor + " \"$@\"", editor, file.string()}, Capture::none);
    if (!result) {
        throw Error{ErrorKind::environment, "cannot start the editor '" + editor + "'"};
    }
    if (result->exit_status == 127) {
        throw Error{ErrorKind::environment, "cannot start the editor '" + editor + "' (command not found)",
                    "check VISUAL, EDITOR or 'async config get core.editor'"};
    }
    return result->exit_status;
}

} // namespace async
