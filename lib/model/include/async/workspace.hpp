#pragma once
// The workspace: discovery, layout and paths, and the only way files are written (atomically).
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace async {

class Env;

enum class Discovery {
    found,     // -C/cwd walk-up, ASYNC_DIR or config found an existing workspace
    created,   // the XDG default was created just now (caller prints the notice)
};

class Workspace {
public:
    explicit Workspace(std::filesystem::path root);

    const std::filesystem::path& root() const { return m_root; }
    std::filesystem::path async_dir() const { return m_root / ".async"; }
    std::filesystem::path config_file() const { return async_dir() / "config.toml"; }
    std::filesystem::path templates_dir() const { return async_dir() / "templates"; }
    std::filesystem::path index_file() const { return async_dir() / "index.db"; }
    std::filesystem::path local_dir() const { return async_dir() / "local"; }
    std::filesystem::path drafts_dir() const { return local_dir() / "drafts"; }

    // path relative to the root when inside it, else path unchanged (for messages).
    std::string display(const std::filesystem::path& path) const;

    // A path inside the workspace from a relative one; throws Error{usage} when rel would
    // leave the workspace (absolute, or with ".." escaping the root).
    std::filesystem::path inside(const std::filesystem::path& rel) const;

private:
    std::filesystem::path m_root;
};

// Where the search starts: the current directory, or one named with -C (the caller has already
// changed into it, like git).
enum class StartedIn { cwd, dash_c };

// Finds the workspace in the documented order (first match wins): a workspace at or above cwd
// when started with -C (an error when there is none), ASYNC_DIR, walking up from cwd to a
// folder containing .async/, config_workspace (the user config's `workspace`), then
// $XDG_DATA_HOME/async (~/.local/share/async), created on first use; how says which.
// Throws Error{usage} when an explicitly named place (-C, ASYNC_DIR, config) is no workspace.
Workspace discover_workspace(const std::filesystem::path& cwd, StartedIn started, const Env& env,
                             const std::optional<std::string>& config_workspace,
                             Discovery& how);

// The workspace discover_workspace would find, the same way, without ever creating one: nullopt
// where it would create the default $XDG_DATA_HOME/async. Throws Error{usage} like it for an
// explicitly named place that is no workspace (for shell completion, which creates nothing).
std::optional<Workspace> find_workspace(const std::filesystem::path& cwd, StartedIn started, const Env& env,
                                        const std::optional<std::string>& config_workspace);

// $XDG_DATA_HOME/async, else ~/.local/share/async. Throws Error{environment} ("HOME is not
// set, …") when neither says where that is: never a folder under "/".
std::filesystem::path default_workspace_dir(const Env& env);

// The folder holding .async/ at or above start, if any.
std::optional<std::filesystem::path> find_enclosing_workspace(const std::filesystem::path& start);

enum class InitResult { created, already_there };

// Creates (or completes) a workspace in dir: .async/config.toml (with a new random workspace id),
// .async/templates/, .async/local/, .gitignore entries, docs/ meetings/ checkins/ people/.
// Idempotent: an existing config is never changed (one without a workspace id keeps none).
// Throws Error{usage} when dir is inside another workspace.
InitResult init_workspace(const std::filesystem::path& dir);

// The text of .async/config.toml as init_workspace writes it with workspace id id.
std::string config_skeleton(std::string_view id);

// Whether text is config_skeleton of some workspace id (to tell a fresh workspace).
bool is_config_skeleton(std::string_view text);

// Writes content to path atomically: a temp file in the same folder, fsync, rename, fsync of
// the folder. Creates missing parent folders. Throws Error{data} with the path on failure.
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

// Creates path exclusively (O_EXCL) with content, fsynced; false when it already exists.
// For files that must never replace another (new documents, replies).
bool create_file_exclusive(const std::filesystem::path& path, std::string_view content);

// Creates dir/<stem>.md exclusively, or <stem>-2.md, -3.md… when taken, and returns the path:
// two writers in the same second get two files, and none replaces another.
std::filesystem::path create_file_numbered(const std::filesystem::path& dir, const std::string& stem,
                                           std::string_view content);

// Reads a whole file. Throws Error{data} "cannot read 'path': reason".
std::string read_file(const std::filesystem::path& path);

// Why a workspace file that is a symbolic link out of the workspace is not read.
inline constexpr const char* k_outside_link_problem = "symbolic link to a file outside the workspace";

// A workspace file opened for reading: fd, or -1 with error (an errno) or outside set.
struct OpenedFile {
    int fd = -1;
    int error = 0;
    bool outside = false; // a symbolic link whose target resolves outside the workspace
};

// Opens root/rel read-only (O_CLOEXEC and extra_flags, e.g. O_NONBLOCK). A symbolic link is
// followed only when its target resolves inside root, so a teammate's `ln -s ~/.ssh/id_rsa
// docs/x/index.md` is never indexed, shown, searched or published. Files that are not links
// cost no extra system call. The caller closes fd.
OpenedFile open_workspace_file(const std::filesystem::path& root, std::string_view rel, int extra_flags = 0);

// Reads the whole workspace file root/rel through open_workspace_file. Throws Error{data}
// "cannot read 'path': reason", or "rel: <k_outside_link_problem>" for a link out.
std::string read_workspace_file(const std::filesystem::path& root, std::string_view rel);

} // namespace async
