#pragma once
// Launching the user's editor the way git does: VISUAL, else EDITOR, else config core.editor,
// else vi; run through `sh -c 'EDITOR "$@"'` so "code --wait" works, with the file path passed
// as an argument and never spliced into the command.
#include <filesystem>
#include <optional>
#include <string>

namespace async {

class Config;
class Env;

// The configured editor command, nullopt when none of VISUAL, EDITOR, core.editor is set.
std::optional<std::string> configured_editor(const Env& env, const Config& config);

// The editor command to run: the configured one, else "vi" when there is a terminal. Throws
// Error{environment} when none is configured and there is no terminal (instead of hanging).
std::string resolve_editor(const Env& env, const Config& config);

// Opens file in editor (a command from resolve_editor) and waits. Returns the editor's exit
// status (128+N when killed by signal N). Throws Error{environment} when the shell or the
// editor cannot be started. SIGINT and SIGQUIT are ignored by async while the editor runs,
// so Ctrl-C reaches only the editor.
int run_editor(const std::filesystem::path& file, const std::string& editor);

} // namespace async
