#pragma once
// The git hooks of a workspace: pre-commit runs `async check --staged`; post-merge,
// post-checkout and post-rewrite refresh the index quietly and never fail git. A hook is ours
// when it holds the marker line (k_hook_marker); any other file is foreign and never touched.
#include <async/git.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace async {

// The hooks async writes, in the order they are reported.
inline constexpr std::string_view k_hook_names[] = {"pre-commit", "post-merge", "post-checkout",
                                                    "post-rewrite"};

// The line that marks a hook file as written by async (it starts the second line).
inline constexpr std::string_view k_hook_marker = "# async-hook:";

enum class HookAction {
    installed, // written where there was none
    updated,   // ours, rewritten (another binary path or an older version)
    unchanged, // ours, already as it would be written
    removed,   // ours, deleted by uninstall
    foreign,   // a file async did not write: left alone
    absent,    // uninstall: nothing there
};

struct HookOutcome {
    std::string name;           // "pre-commit"
    std::filesystem::path path; // hooks folder / name
    HookAction action = HookAction::absent;
};

// The script of hook name. binary: the absolute path of the async to run (tried first; empty:
// PATH only); workspace: the workspace folder relative to the top of the working tree ("" or
// "team/", as GitRepository::prefix).
std::string hook_script(std::string_view name, const std::filesystem::path& binary,
                        std::string_view workspace);

// The line to add to a foreign hook name so it also runs async's step (for the message).
std::string hook_chain_line(std::string_view name, const std::filesystem::path& binary,
                            std::string_view workspace);

// True when text is a hook async wrote (it has the marker line).
bool is_async_hook(std::string_view text);

// Writes the four hooks into repo.hooks (created when missing) for the workspace at
// repo.prefix, running binary; leaves foreign hooks alone. Idempotent. Throws Error{data}
// when a hook cannot be written.
std::vector<HookOutcome> install_hooks(const GitRepository& repo,
                                       const std::filesystem::path& binary);

// Removes the hooks async wrote from repo.hooks; leaves foreign ones. Idempotent.
std::vector<HookOutcome> uninstall_hooks(const GitRepository& repo);

} // namespace async
