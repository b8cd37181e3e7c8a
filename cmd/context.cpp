#include "command.hpp"

#include <async/dates.hpp>
#include <async/due.hpp>
#include <async/error.hpp>
#include <async/git.hpp>
#include <async/history.hpp>
#include <async/identity.hpp>
#include <async/text.hpp>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <iterator>
#include <unistd.h>

namespace fs = std::filesystem;

namespace async::cmd {

Context::Context(Env env) : m_env(std::move(env)) {
    std::error_code ec;
    m_start_dir = fs::current_path(ec);
}

std::string Context::shown_path(const fs::path& path) const {
    auto rel = path.lexically_relative(m_start_dir);
    return !rel.empty() && *rel.begin() != ".." ? rel.string() : path.string();
}

const Clock& Context::clock() {
    if (!m_clock) {
        m_clock = Clock::from_env(m_env);
    }
    return *m_clock;
}

void Context::enter_directory() {
    if (m_entered || globals.dir.empty()) {
        m_entered = true;
        return;
    }
    m_entered = true;
    if (::chdir(globals.dir.c_str()) != 0) {
        throw Error{ErrorKind::usage, "cannot change to '" + globals.dir + "': " + std::strerror(errno)};
    }
}

const Config& Context::user_config() {
    if (!m_user_config) {
        m_user_config = Config::load(m_env, {});
    }
    return *m_user_config;
}

const Workspace& Context::workspace() {
    if (!m_workspace) {
        enter_directory();
        Discovery how = Discovery::found;
        m_workspace = discover_workspace(fs::current_path(), globals.dir.empty() ? StartedIn::cwd : StartedIn::dash_c,
                                         m_env, user_config().get("workspace"), how);
        if (how == Discovery::created) {
            notice("created a new workspace in '" + m_workspace->root().string() + "'");
        }
    }
    return *m_workspace;
}

const Config& Context::config() {
    if (!m_config) {
        // The team's settings are a layer: the workspace is found first, so the config is
        // loaded once and references to it stay valid.
        m_config = Config::load(m_env, workspace().config_file());
        for (const auto& key : m_config->refused()) {
            if (key == k_trust_key) {
                warn("ignoring " + key + " in the committed '.async/config.toml': only your own config "
                     "(async config set --global) can trust a workspace");
            } else {
                warn("ignoring " + key + " in the committed '.async/config.toml': it names a program to run; "
                     "if you trust this workspace: async config set --global " + std::string{k_trust_key} + " '[" +
                     toml_quote(workspace().root().string()) + "]'");
            }
        }
    }
    return *m_config;
}

Index& Context::index() {
    if (!m_index) {
        m_index = std::make_unique<Index>(workspace());
        m_index->set_note_history(note_history(workspace(), config()));
        m_index->on_repair([this](const RefreshStats& stats) { report_refresh(stats); });
    }
    if (!m_index_refreshed) {
        m_index->use_watcher(&watcher());
        RefreshStats stats = m_index->refresh();
        m_index_refreshed = true;
        report_refresh(stats);
    }
    return *m_index;
}

Watcher& Context::watcher() {
    if (!m_watcher) {
        m_watcher = std::make_unique<Watcher>(workspace(), m_env, watcher_enabled(user_config(), config()));
    }
    return *m_watcher;
}

void Context::wrote(const std::vector<fs::path>& paths) {
    if (paths.empty()) {
        return;
    }
    try {
        if (!m_index) {
            std::error_code ec;
            if (!fs::exists(workspace().index_file(), ec)) {
                index(); // the first build, which finds these files with the others
                return;
            }
            // As it is: a rebuild under way or an index of another version is the next
            // refresh's to finish, and waiting for either is not worth a keypress later.
            m_index = Index::open_existing(workspace());
            if (!m_index) {
                return;
            }
            m_index->set_note_history(note_history(workspace(), config()));
        }
        report_refresh(m_index->update(paths));
    } catch (const std::exception& e) {
        warn(std::string{"the index was not updated: "} + e.what() + " (the next command catches up)");
    }
}

void Context::report_refresh(const RefreshStats& stats) {
    if (!stats.rebuilt_because.empty()) {
        notice(stats.rebuilt_because);
    }
    for (const auto& problem : stats.problems) {
        warn("skipped " + problem);
    }
    for (const auto& warning : stats.warnings) {
        warn(warning);
    }
}

void Context::warn(std::string_view text) {
    std::string line = "async: warning: " + sanitize_for_terminal(text, Newlines::flatten) + "\n";
    std::fwrite(line.data(), 1, line.size(), stderr);
}

const std::string& Context::me() {
    if (!m_me) {
        m_me = current_handle(m_env, config(), [] { return git_user_email(); });
    }
    return *m_me;
}

Session Context::session() {
    const Workspace& ws = workspace();
    const Config& cfg = config();
    return Session{ws, m_env, cfg, clock().now(), me()};
}

void Context::print(std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
}

void Context::notice(std::string_view text) {
    if (!globals.quiet) {
        std::string line = "async: " + sanitize_for_terminal(text, Newlines::flatten) + "\n";
        std::fwrite(line.data(), 1, line.size(), stderr);
    }
}

bool Context::color_enabled() const {
    if (globals.color == "always") {
        return true;
    }
    if (globals.color == "never" || m_env.get("NO_COLOR")) {
        return false;
    }
    return ::isatty(STDOUT_FILENO) && m_env.get("TERM").value_or("dumb") != "dumb";
}

void add_body_flags(CLI::App& cmd, BodyFlags& flags) {
    cmd.add_option("-m,--message", flags.message, "Body text (skips the editor)")
        ->each([&flags](const std::string&) { flags.has_message = true; });
    cmd.add_option("--file", flags.file, "Body or whole document from PATH, or - for stdin");
    cmd.add_flag("-e,--edit", flags.edit, "Open the editor even with -m or --file");
    cmd.add_flag("--no-edit", flags.no_edit, "Write the rendered template (or given text) without the editor");
}

async::BodyInput body_input(const BodyFlags& flags) {
    if (flags.edit && flags.no_edit) {
        throw Error{ErrorKind::usage, "--edit and --no-edit cannot be used together"};
    }
    if (flags.has_message && !flags.file.empty()) {
        throw Error{ErrorKind::usage, "-m and --file cannot be used together"};
    }
    async::BodyInput input;
    input.edit = flags.edit ? EditChoice::always : flags.no_edit ? EditChoice::never : EditChoice::automatic;
    if (flags.has_message) {
        input.message = flags.message;
    }
    if (!flags.file.empty()) {
        input.file_path = flags.file;
        if (flags.file == "-") {
            input.file_text = std::string{std::istreambuf_iterator<char>{std::cin}, {}};
        } else {
            input.file_text = read_file(flags.file);
        }
        if (input.file_text->size() > 16 * 1024 * 1024) {
            throw Error{ErrorKind::data, "'" + flags.file + "' is too large (over 16 MiB)"};
        }
    }
    return input;
}

TimePoint resolve_date(Context& ctx, const std::string& text, DateRole role, std::string_view label) {
    TimePoint now = ctx.clock().now();
    TimePoint at = parse_human_date(text, now, role);
    ctx.notice(std::string{label} + " " + format_local(at));
    if (role == DateRole::deadline && is_overdue(at, now)) {
        // Written anyway (a record of a missed deadline is legitimate), but rarely meant.
        ctx.warn(std::string{label} + " " + format_local(at) + " is in the past (" + format_relative(at, now) + ")");
    }
    return at;
}

void warn_unknown_people(Context& ctx, const std::vector<std::string>& handles, std::string_view flag) {
    for (const auto& handle : unknown_people(ctx.config(), handles)) {
        ctx.warn("unknown person '" + handle + "' in " + std::string{flag} + " (no [people." + handle +
                 "] in .async/config.toml)");
    }
}

} // namespace async::cmd
