// async check [PATH…] [--staged]: validate files, print "path:line:col: error|warning: message".
#include "command.hpp"
#include "output.hpp"

#include <async/check.hpp>
#include <async/error.hpp>
#include <async/history.hpp>
#include <async/json.hpp>
#include <async/text.hpp>

#include <CLI/CLI.hpp>
#include <algorithm>

namespace fs = std::filesystem;

namespace async::cmd {
namespace {

struct CheckOptions {
    std::vector<std::string> paths;
    bool staged = false;
};

std::string plural(std::size_t n, std::string_view word) {
    return std::to_string(n) + " " + std::string{word} + (n == 1 ? "" : "s");
}

// A workspace config that does not parse is a finding like any other file's (false then); the
// user's own config is not the workspace's business and stays an error.
bool load_config(Context& ctx, std::vector<Finding>& findings) {
    const Workspace& ws = ctx.workspace();
    try {
        (void)ctx.config();
        return true;
    } catch (const Error& e) {
        std::string file = ws.config_file().string();
        std::string_view what = e.what();
        if (e.kind() != ErrorKind::data || !what.starts_with(file + ":")) {
            throw;
        }
        what.remove_prefix(file.size() + 1);
        Finding f{ws.display(ws.config_file()), 1, 1, Severity::error, std::string{trim(what)}};
        // "L:C: message"
        auto number = [&what](std::size_t& out) {
            std::size_t n = 0;
            std::size_t i = 0;
            while (i < what.size() && i < 9 && what[i] >= '0' && what[i] <= '9') {
                n = n * 10 + static_cast<std::size_t>(what[i++] - '0');
            }
            if (i == 0 || i >= what.size() || what[i] != ':') {
                return false;
            }
            what.remove_prefix(i + 1);
            out = std::max<std::size_t>(n, 1);
            return true;
        };
        if (number(f.line) && number(f.column)) {
            f.message = std::string{trim(what)};
        }
        // As the check module words TOML errors of documents.
        constexpr std::string_view k_prefix = "Error while parsing ";
        if (f.message.starts_with(k_prefix)) {
            f.message = "invalid TOML in " + f.message.substr(k_prefix.size());
        }
        findings.push_back(std::move(f));
        return false;
    }
}

void run_check(Context& ctx, const CheckOptions& opts) {
    const Workspace& ws = ctx.workspace();
    CheckRequest request;
    request.source = opts.staged ? CheckSource::staged : CheckSource::working_tree;
    fs::path cwd = fs::current_path();
    for (const auto& p : opts.paths) {
        request.paths.push_back(resolve_check_path(ws, cwd, p, !opts.staged));
    }
    std::vector<Finding> findings;
    bool config_ok = load_config(ctx, findings);
    // Its finding belongs to the output only when the paths cover it.
    bool config_in_scope =
        request.paths.empty() ||
        std::any_of(request.paths.begin(), request.paths.end(), [](const auto& p) {
            return p.empty() || p == ".async" || p == ".async/config.toml";
        });
    if (!config_in_scope) {
        findings.clear();
    }
    // Without a readable config there is no team: people are then not checked.
    Config no_team;
    const Config& team = config_ok ? ctx.config() : no_team;
    Index index{ws};
    index.set_note_history(note_history(ws, team));
    RefreshStats stats = index.refresh();
    if (!stats.rebuilt_because.empty()) {
        ctx.notice(stats.rebuilt_because);
    }
    std::vector<Finding> found =
        check_workspace(ws, team, index, request);
    findings.insert(findings.end(), found.begin(), found.end());

    std::size_t errors = 0;
    std::size_t warnings = 0;
    std::size_t infos = 0;
    for (const auto& f : findings) {
        (f.severity == Severity::error ? errors : f.severity == Severity::warning ? warnings : infos) += 1;
    }
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object().key("schema").value(k_json_schema).key("findings").begin_array();
        for (const auto& f : findings) {
            json.begin_object()
                .key("path")
                .value(f.path)
                .key("line")
                .value(static_cast<std::int64_t>(f.line))
                .key("column")
                .value(static_cast<std::int64_t>(f.column))
                .key("severity")
                .value(to_string(f.severity))
                .key("message")
                .value(f.message)
                .end_object();
        }
        json.end_array()
            .key("errors")
            .value(static_cast<std::int64_t>(errors))
            .key("warnings")
            .value(static_cast<std::int64_t>(warnings))
            .key("info")
            .value(static_cast<std::int64_t>(infos))
            .end_object();
        ctx.print(json.str());
    } else {
        // Info (a plain Markdown note) is shown for the paths asked about; a whole workspace of
        // notes would bury the errors, so it is then one line.
        bool show_info = !opts.paths.empty();
        std::string out;
        for (const auto& f : findings) {
            if (f.severity == Severity::info && !show_info) {
                continue;
            }
            std::string_view severity = to_string(f.severity);
            out += sanitize_for_terminal(f.path, Newlines::flatten) + ":" + std::to_string(f.line) +
                   ":" + std::to_string(f.column) + ": " +
                   styled(ctx, severity, f.severity == Severity::error     ? "1;31"
                                         : f.severity == Severity::warning ? "1;33"
                                                                           : "1;36") +
                   ": " +
                   sanitize_for_terminal(f.message, Newlines::flatten) + "\n";
        }
        ctx.print(out);
        if (infos > 0 && !show_info) {
            ctx.notice(plural(infos, "file") + " without front matter indexed as read-only notes "
                       "('async check PATH' lists them, 'async import PATH' adopts them)");
        }
    }
    if (errors > 0) {
        std::string summary = plural(errors, "error");
        if (warnings > 0) {
            summary += " and " + plural(warnings, "warning");
        }
        throw Error{ErrorKind::no, "check found " + summary,
                    opts.staged ? "fix the files, 'git add' them and commit again" : std::string{}};
    }
}

} // namespace

void add_check_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<CheckOptions>();
    auto* cmd = app.add_subcommand(
        "check", "Validate files: path:line:col: error: message; exit 1 on errors");
    cmd->add_option("PATH", opts->paths,
                    "Files or folders to check (default: the whole workspace)");
    cmd->add_flag("--staged", opts->staged,
                  "Check the versions staged in git (for a pre-commit hook)");
    cmd->callback([&ctx, opts] { run_check(ctx, *opts); });
}

} // namespace async::cmd
