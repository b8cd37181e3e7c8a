#pragma once
// Running other programs with an argument vector, never through a shell that sees user text.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace async {

struct ProcessResult {
    int exit_status = -1; // the exit code, or 128+signal when killed by a signal
    std::string out;      // captured stdout (when capturing)
};

enum class Capture {
    none,        // stdout and stderr inherited
    stdout_only, // stdout captured, stderr inherited
    combined,    // stdout and stderr captured together, in the order written (a tool's chatter)
    stdout_silent, // stdout captured, stderr discarded (questions whose "no" is not news)
};

// Runs argv[0] (looked up in PATH) with argv, inheriting the terminal unless capture says
// otherwise; stdin is inherited. cwd may be empty (the current folder). Returns
// nullopt when the program cannot be started (not found, not executable).
std::optional<ProcessResult> run_process(const std::vector<std::string>& argv, Capture capture,
                                         const std::filesystem::path& cwd = {});

// Like run_process, with input written to the program's stdin (then closed) instead of
// inheriting ours. A program that exits without reading it all is no error here (its exit status
// says what happened); SIGPIPE never reaches us.
std::optional<ProcessResult> run_process_with_input(const std::vector<std::string>& argv,
                                                    std::string_view input, Capture capture,
                                                    const std::filesystem::path& cwd = {});

// The absolute path of the running program (/proc/self/exe), empty when it cannot be told.
std::filesystem::path current_executable();

// True when stdin and stdout are both terminals, or /dev/tty can be opened for the editor.
bool has_terminal();

} // namespace async
