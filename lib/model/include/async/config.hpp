#pragma once
// Settings, layered like git config: built-in < user (~/.config/async/config.toml) <
// workspace (.async/config.toml) < environment (ASYNC_USER) < command-line flags (applied by
// the caller). The workspace's settings that name a program count only in a workspace the
// user trusts (trust.workspaces). Keys are dotted paths into the TOML tables: "core.editor",
// "people.bob.email".
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace async {

class Env;

enum class ConfigScope { builtin, user, workspace, env };

// "built-in", "user", "workspace", "env".
std::string_view to_string(ConfigScope scope);

struct ConfigEntry {
    std::string key;
    std::string value;               // scalars as plain text; arrays as a TOML array literal
    std::vector<std::string> items;  // the elements when the value is an array
    bool is_list = false;
    ConfigScope scope = ConfigScope::builtin;
};

struct Person {
    std::string handle;
    std::string name;
    std::string email;
};

struct Team {
    std::string name;                 // NAME of [teams.NAME]
    std::vector<std::string> members; // its members, as handle_or_lower compares them
};

class Config {
public:
    // Loads the layers. workspace_file may be empty (no workspace yet). A file that does not
    // exist is an empty layer; one that does not parse throws Error{data} "path:line:col: …".
    static Config load(const Env& env, const std::filesystem::path& workspace_file);

    // The effective value of key, nullopt when unset.
    std::optional<std::string> get(std::string_view key) const;
    // The effective list at key (a scalar is a one-element list; unset is empty).
    std::vector<std::string> get_list(std::string_view key) const;
    // Every effective entry, sorted by key.
    std::vector<ConfigEntry> entries() const;
    // Team members from [people.HANDLE] tables, sorted by handle.
    std::vector<Person> people() const;
    // The teams from [teams.NAME] tables (`members = ["alice", "bob"]`), sorted by name.
    std::vector<Team> teams() const;
    // The workspace's id, `workspace.id` of the workspace layer only (the committed
    // .async/config.toml: a user's own file must not change it), when it is_workspace_id.
    std::optional<std::string> workspace_id() const;

    // Sets key in memory at scope (used by tests and flags).
    void set(std::string key, std::string value, ConfigScope scope);

    // The keys of the workspace configuration that load() left out, in file order: those that
    // name a program (names_a_program) when the user has not trusted the workspace, and
    // trust.workspaces always (only the user's own configuration grants trust).
    const std::vector<std::string>& refused() const { return m_refused; }

private:
    const ConfigEntry* find(std::string_view key) const;
    std::vector<ConfigEntry> m_entries; // later layers replace earlier ones
    std::vector<std::string> m_refused;
};

// The user configuration's list of trusted workspaces: folders (a leading ~/ is the home
// folder) whose committed settings may name programs, or "*" for every workspace.
inline constexpr std::string_view k_trust_key = "trust.workspaces";

// The settings that name a program async runs (the editor, sendmail).
inline constexpr std::string_view k_program_keys[] = {"core.editor", "mail.sendmail"};

// Whether key is one of k_program_keys: taken from the workspace configuration only when the
// user trusts the workspace (Config::load).
bool names_a_program(std::string_view key);

// $XDG_CONFIG_HOME/async/config.toml, else ~/.config/async/config.toml; nullopt when neither
// variable says where that is (Config::load then reads no user config).
std::optional<std::filesystem::path> find_user_config_file(const Env& env);

// find_user_config_file(env), for a command that must write it (`config set --global`):
// throws Error{environment} when there is none.
std::filesystem::path user_config_file(const Env& env);

// Throws Error{usage} unless key is a dotted path of [A-Za-z0-9_-] segments.
void validate_config_key(std::string_view key);

// Throws Error{usage} naming what is allowed when value cannot be key's: checkin.day and
// watercooler.day (a weekday name, weekday_from_name), checkin.cadence (weekly or daily), user.handle (normalize_handle accepts it), workspace.id
// (is_workspace_id), mail.from and people.HANDLE.email (a plain local@domain,
// address_problem), publish.base_url (base_url_problem), publish.dir (publish_dir_problem).
// Any other key takes any value.
void validate_config_value(std::string_view key, std::string_view value);

// Why value cannot be publish.dir, or nullopt: empty, control characters, or a relative folder
// (relative to the workspace root) that is the root, above it, .async/ or a document folder
// (docs/, meetings/, checkins/, people/). Absolute and ~/ folders are checked by publish when
// it runs (it knows where the workspace is).
std::optional<std::string> publish_dir_problem(std::string_view value);

// The members of the team named name (Config::teams). Throws Error{usage} naming the teams
// there are when the config has no such team.
std::vector<std::string> team_members(const Config& config, std::string_view name);

// Whether text can be a workspace id: 1 to 64 of [0-9a-z_-] (it is part of calendar UIDs).
bool is_workspace_id(std::string_view text);

// A new random workspace id: 16 characters of [0-9a-z] (new_id twice).
std::string new_workspace_id();

// The id that tells this workspace from every other (calendar UIDs): config's workspace_id(),
// else one derived from root (the workspace's absolute path made canonical): stable for that
// folder, but a teammate's clone elsewhere gets another. `async init` writes a real one into a
// new workspace; an older one gets it with `config set workspace.id`.
std::string workspace_id_or_derived(const Config& config, const std::filesystem::path& root);

// Writes key = value into the TOML file (created if missing) keeping every other line,
// comment and formatting as it was. value is typed like git config: true/false and integers
// stay bare, "[…]" must be a TOML array, anything else becomes a string. Throws Error{usage}
// when validate_config_value refuses it, before the file is touched.
void config_file_set(const std::filesystem::path& file, std::string_view key,
                     std::string_view value);

// Removes key from the file; false when it was not there.
bool config_file_unset(const std::filesystem::path& file, std::string_view key);

} // namespace async
