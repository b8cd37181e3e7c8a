// async index [--full] [--check]: refresh the index, rebuild it, or prove it matches the files.
#include "command.hpp"

#include <async/error.hpp>
#include <async/history.hpp>
#include <async/json.hpp>
#include <async/text.hpp>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <unistd.h>

namespace async::cmd {
namespace {

struct IndexOptions {
    bool full = false;
    bool check = false;
    bool watch = false;
};

// "watcher: in use (…)" or "watcher: not in use: why", for --check and --watch.
std::string watcher_line(const WatcherStatus& status) {
    return status.in_use ? "watcher: in use (" + status.detail + ")" : "watcher: not in use: " + status.detail;
}

void run_index(Context& ctx, const IndexOptions& opts) {
    if (opts.check) {
        std::vector<std::string> problems = Index::check(ctx.workspace());
        WatcherStatus status = ctx.watcher().status();
        if (ctx.globals.json) {
            JsonWriter json;
            json.begin_object().key("schema").value(k_json_schema).key("consistent").value(problems.empty())
                .key("problems").value(problems).key("watcher").begin_object().key("in_use").value(status.in_use)
                .key("detail").value(status.detail).end_object().end_object();
            ctx.print(json.str());
        } else {
            ctx.notice(sanitize_for_terminal(watcher_line(status), Newlines::flatten));
            std::string out;
            for (const auto& p : problems) {
                out += sanitize_for_terminal(p, Newlines::flatten) + "\n";
            }
            ctx.print(out);
        }
        if (!problems.empty()) {
            throw Error{ErrorKind::no, std::to_string(problems.size()) + " difference(s) between the index and the files",
                        "run 'async index' to bring it up to date"};
        }
        return;
    }
    bool bar = !ctx.globals.quiet && ::isatty(STDERR_FILENO);
    Progress progress;
    if (bar) {
        progress = [](std::size_t done, std::size_t total) {
            // The total is unknown (0) while a full index is still walking the folders.
            if (total == 0) {
                std::fprintf(stderr, "\rindexing %zu", done);
            } else {
                std::fprintf(stderr, "\rindexing %zu/%zu", done, total);
            }
            std::fflush(stderr);
        };
    }
    if (opts.watch) {
        WatcherStatus status = ctx.watcher().watch();
        if (!status.in_use) {
            throw Error{ErrorKind::environment, sanitize_for_terminal(watcher_line(status), Newlines::flatten),
                        "install watchman and start it ('watchman watch-list' starts its server), or set "
                        "WATCHMAN_SOCK to its socket"};
        }
        ctx.notice(sanitize_for_terminal(watcher_line(status), Newlines::flatten));
    }
    Index index{ctx.workspace()};
    index.set_note_history(note_history(ctx.workspace(), ctx.config()));
    index.use_watcher(&ctx.watcher());
    RefreshStats stats = index.refresh(opts.full ? RefreshMode::full : RefreshMode::checked, progress);
    if (bar && stats.parsed + stats.problems.size() > 0) {
        std::fputs("\n", stderr);
    }
    ctx.report_refresh(stats);
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object().key("schema").value(k_json_schema)
            .key("scanned").value(static_cast<std::int64_t>(stats.scanned))
            .key("parsed").value(static_cast<std::int64_t>(stats.parsed))
            .key("removed").value(static_cast<std::int64_t>(stats.removed))
            .key("pages_checked").value(stats.pages_checked)
            .key("problems").value(stats.problems).end_object();
        ctx.print(json.str());
    }
}

} // namespace

void add_index_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<IndexOptions>();
    auto* cmd = app.add_subcommand("index", "Refresh the index (every read command also does, cheaply)");
    cmd->add_flag("--full", opts->full, "Re-read every file instead of only changed ones");
    cmd->add_flag("--check", opts->check,
                  "Exit 1 and list the differences when the index and the files disagree; say whether the watcher is in use");
    cmd->add_flag("--watch", opts->watch, "Register the workspace with a running watchman, so refreshes ask it what changed");
    cmd->callback([&ctx, opts] { run_index(ctx, *opts); });
}

} // namespace async::cmd
