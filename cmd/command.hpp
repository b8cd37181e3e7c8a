#pragma once
// What every command gets: the environment snapshot, the clock, the global flags, and the
// workspace/config/identity opened lazily (so --help, --version and `templates` open nothing
// they do not need). One file per top-level command registers itself with CLI11 through an
// add_*_command function listed in main.cpp.
#include <async/clock.hpp>
#include <async/config.hpp>
#include <async/dates.hpp>
#include <async/env.hpp>
#include <async/session.hpp>
#include <async/workspace.hpp>
#include <async/writing.hpp>

#include <async/index.hpp>
#include <async/watcher.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace async {
struct HookOutcome;
struct Absences;
}

namespace async::cmd {

struct GlobalOptions {
    std::string dir;            // -C DIR
    bool json = false;          // --json
    std::string color = "auto"; // --color=auto|always|never
    bool quiet = false;         // -q/--quiet
    bool wide = false;          // --wide of the commands that print tables (output.hpp)
};

class Context {
public:
    explicit Context(Env env);

    GlobalOptions globals;

    const Env& env() const { return m_env; }
    // The clock (ASYNC_NOW honoured); throws Error{usage} for a malformed ASYNC_NOW.
    const Clock& clock();
    // Applies -C (once) and finds the workspace, creating the XDG default on first use.
    const Workspace& workspace();
    // The layered config, the workspace's file included (finds the workspace first).
    const Config& config();
    // The user config alone (no workspace needed).
    const Config& user_config();
    // The index, opened once and refreshed incrementally (what every read command does first);
    // a rebuild notice and files skipped as bad go to stderr.
    Index& index();
    // The file watcher the index asks (async/watcher.hpp): off when index.watcher is false in
    // the user's or the workspace's config (the committed config can turn it off, never on).
    Watcher& watcher();
    // The write-through every command that writes calls with what it wrote or removed (files,
    // or a folder such as a new bundle): the index is updated for those paths only, so
    // completion and the next command see them without a refresh (Index::update). Without an
    // index yet, builds it as the next read would. Never throws: the files are written
    // already, so a failure is a warning and the next refresh catches up.
    void wrote(const std::vector<std::filesystem::path>& paths);
    // My handle.
    const std::string& me();
    // Who acts, where and when: the workspace, config and handle above and one reading of the
    // clock, taken now (a command that waits on the user, like triage, takes a new one per step).
    Session session();
    // The folder async was started in (before -C).
    const std::filesystem::path& start_dir() const { return m_start_dir; }
    // Applies -C: changes into DIR like git (relative paths on the command line follow).
    void enter_directory();

    // Output helpers: stdout carries only answers; stderr carries notices unless --quiet.
    void print(std::string_view text);   // text is printed as is
    void notice(std::string_view text);  // "async: text" on stderr unless quiet
    void warn(std::string_view text);    // "async: warning: text" on stderr, even when quiet
    // Prints what a refresh found: the rebuild notice and one warning per skipped file.
    void report_refresh(const RefreshStats& stats);
    bool color_enabled() const;
    // path as the user should see it: relative to the folder async was started in (before
    // -C) when inside it, else absolute.
    std::string shown_path(const std::filesystem::path& path) const;

private:
    Env m_env;
    std::filesystem::path m_start_dir;
    bool m_entered = false;
    std::optional<Clock> m_clock;
    std::optional<Workspace> m_workspace;
    std::optional<Config> m_config;
    std::optional<Config> m_user_config;
    std::optional<std::string> m_me;
    std::unique_ptr<Watcher> m_watcher; // before m_index, which refers to it
    std::unique_ptr<Index> m_index;
    bool m_index_refreshed = false; // m_index may be opened by wrote() without a refresh
};

// The body flags every writing command shares: -m, --file, --edit, --no-edit.
struct BodyFlags {
    std::string message;
    bool has_message = false;
    std::string file;
    bool edit = false;
    bool no_edit = false;
};
void add_body_flags(CLI::App& cmd, BodyFlags& flags);
// Reads --file (or stdin for "-"); throws Error{usage} for conflicting flags.
async::BodyInput body_input(const BodyFlags& flags);

// Resolves a date typed on the command line and echoes it on stderr ("due Fri 2026-11-27 17:00").
// A deadline (DateRole::deadline) in the past is also a warning; the caller still uses it.
TimePoint resolve_date(Context& ctx, const std::string& text, DateRole role, std::string_view label);

// A warning on stderr for each of handles outside the team (unknown_people), named with flag
// ("--reviewers"): the command still writes them.
void warn_unknown_people(Context& ctx, const std::vector<std::string>& handles, std::string_view flag);

// One warning per away.toml (or entry of one) that load_absences skipped (cmd/away.cpp).
void warn_absence_problems(Context& ctx, const Absences& absences);

// A warning on stderr for each of handles who is away (practice/leave) at due, named with flag
// ("--reviewers"): the command still writes them.
void warn_away_people(Context& ctx, const std::vector<std::string>& handles, TimePoint due, std::string_view flag);

// Prints what `hook install` did (where: the hooks folder as shown); a warning and the line to
// chain for each foreign hook. Returns how many hooks were foreign (left alone).
std::size_t report_install(Context& ctx, const std::vector<HookOutcome>& hooks, const std::string& where,
                          const std::filesystem::path& binary, const std::string& prefix);

using CommandAdder = void (*)(CLI::App& app, Context& ctx);
void add_init_command(CLI::App& app, Context& ctx);
void add_doc_command(CLI::App& app, Context& ctx);
void add_meeting_command(CLI::App& app, Context& ctx);
void add_event_command(CLI::App& app, Context& ctx);
void add_onboard_command(CLI::App& app, Context& ctx);
void add_inbox_command(CLI::App& app, Context& ctx);
void add_config_command(CLI::App& app, Context& ctx);
void add_templates_command(CLI::App& app, Context& ctx);
void add_index_command(CLI::App& app, Context& ctx);
void add_list_command(CLI::App& app, Context& ctx);
void add_show_command(CLI::App& app, Context& ctx);
void add_links_command(CLI::App& app, Context& ctx);
void add_edit_command(CLI::App& app, Context& ctx);
void add_search_command(CLI::App& app, Context& ctx);
void add_pick_command(CLI::App& app, Context& ctx);
void add_tag_command(CLI::App& app, Context& ctx);
void add_import_command(CLI::App& app, Context& ctx);
void add_actions_command(CLI::App& app, Context& ctx);
void add_decisions_command(CLI::App& app, Context& ctx);
void add_check_command(CLI::App& app, Context& ctx);
void add_hook_command(CLI::App& app, Context& ctx);
void add_sync_command(CLI::App& app, Context& ctx);
void add_checkin_command(CLI::App& app, Context& ctx);
void add_publish_command(CLI::App& app, Context& ctx);
void add_attach_command(CLI::App& app, Context& ctx);
void add_agenda_command(CLI::App& app, Context& ctx);
void add_calendar_command(CLI::App& app, Context& ctx);
void add_remind_command(CLI::App& app, Context& ctx);
void add_whoami_command(CLI::App& app, Context& ctx);
void add_away_command(CLI::App& app, Context& ctx);
void add_watercooler_command(CLI::App& app, Context& ctx);
void add_complete_command(CLI::App& app, Context& ctx); // hidden: async __complete
void add_help_command(CLI::App& app, Context& ctx);

// Throws Error{usage} "'WORD' is not an async command" (with the closest commands as the hint)
// when a word of argv where a command belongs names none: CLI11 would say only "A subcommand
// is required".
void check_command_words(CLI::App& app, int argc, char** argv);

// Whether the option token (at level) takes the next word as its value: -C DIR, --color WHEN.
// An option's value is never a command word.
bool takes_next_word(CLI::App& level, const std::string& token);
// "async meeting open": the command as typed, every level from async down to level.
std::string full_name(const CLI::App& level);
// "'async doc' needs a command: new, reply, close": for a command word given alone.
std::string missing_command(CLI::App& level);

} // namespace async::cmd
