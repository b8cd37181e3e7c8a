#pragma once
// `async check`: validates workspace files and reports findings as data (path, line, column,
// severity, message); the command prints them. What is checked, per file: it can be read and
// parsed (front matter, TOML, UTF-8, no NUL, at most 4 MiB), the required front matter keys of
// its type and the TOML types of known keys, the due dates of its actions, the people it names
// (when the team is listed), and across files: duplicate ids, "#id" links that resolve to
// no document, relative links to a file that does not exist and "[[wiki links]]" that resolve
// to no document or to several (LinkTargets, query.hpp; warnings).
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace async {

class Config;
class Index;
class Workspace;

// info: nothing is wrong, but the file is read differently from async's own (a plain Markdown
// note).
enum class Severity { error, warning, info };

// "error", "warning", "info".
std::string_view to_string(Severity severity);

struct Finding {
    std::string path;       // relative to the workspace root, '/'-separated
    std::size_t line = 1;   // 1-based line of the file
    std::size_t column = 1; // 1-based column, in bytes
    Severity severity = Severity::error;
    std::string message; // lowercase, no trailing period; raw file text (not sanitised)
};

enum class CheckSource {
    working_tree, // the files on disk
    staged,       // the versions staged in git (`git add`), for pre-commit hooks
};

struct CheckRequest {
    // Workspace-relative files or folders (see resolve_check_path); "" or empty: everything.
    std::vector<std::string> paths;
    CheckSource source = CheckSource::working_tree;
};

// A PATH typed on the command line (relative to cwd, or absolute) as a workspace-relative,
// '/'-separated path ("" for the root itself). Symbolic links in the last component are not
// followed. Throws Error{usage} when arg is outside the workspace, or when must_exist and
// nothing (not even a broken symbolic link) is there.
std::string resolve_check_path(const Workspace& ws, const std::filesystem::path& cwd,
                               std::string_view arg, bool must_exist);

// Checks what request names and returns the findings sorted by path, line and column. index
// must be open and refreshed (it answers which files exist and which ids are taken); config
// gives the team ([people.HANDLE]). Staged mode runs git in the workspace and throws
// Error{environment} when git cannot be run or the workspace is not in a git repository.
std::vector<Finding> check_workspace(const Workspace& ws, const Config& config, Index& index,
                                     const CheckRequest& request);

// The checks of one document that need no other file (everything but duplicate ids and links),
// on its text. path names it in the findings; team holds the handles of [people.HANDLE] (empty:
// people are not checked).
std::vector<Finding> check_document_text(std::string_view path, std::string_view text,
                                         const std::vector<std::string>& team);

} // namespace async
