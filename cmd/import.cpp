// async import PATH… [--dry-run]: adopt Markdown files and folders (adr-tools ADRs, notes,
// pages with front matter) as documents with TOML front matter.
#include "command.hpp"
#include "output.hpp"

#include <async/dates.hpp>
#include <async/error.hpp>
#include <async/import.hpp>
#include <async/json.hpp>
#include <async/text.hpp>

#include <CLI/CLI.hpp>

namespace async::cmd {
namespace {

struct ImportOptions {
    std::vector<std::string> paths;
    bool dry_run = false;
};

std::string_view result_name(ImportResult r) {
    switch (r) {
    case ImportResult::imported: return "imported";
    case ImportResult::planned: return "planned";
    case ImportResult::already_imported: return "already-imported";
    case ImportResult::skipped: return "skipped";
    }
    return "skipped";
}

// A path in --json: workspace-relative inside the workspace, else absolute.
std::string json_path(Context& ctx, const std::filesystem::path& p) {
    auto rel = p.lexically_relative(ctx.workspace().root());
    if (!rel.empty() && *rel.begin() != "..") {
        return rel.generic_string();
    }
    return p.generic_string();
}

void run_import(Context& ctx, const ImportOptions& opts) {
    ImportRequest request;
    for (const auto& p : opts.paths) {
        request.sources.emplace_back(p);
    }
    request.dry_run = opts.dry_run;
    auto items = import_files(ctx.session(), ctx.index(), request);

    std::vector<std::filesystem::path> written;
    std::size_t imported = 0, moved = 0, already = 0, skipped = 0;
    for (const auto& item : items) {
        switch (item.result) {
        case ImportResult::imported:
            ++imported;
            written.push_back(item.destination);
            if (item.method == ImportMethod::git_move) {
                ++moved;
                written.push_back(item.source);
            }
            break;
        case ImportResult::planned: ++imported; break;
        case ImportResult::already_imported: ++already; break;
        case ImportResult::skipped:
            ++skipped;
            ctx.warn("skipped " + sanitize_for_terminal(ctx.shown_path(item.source), Newlines::flatten) + ": " +
                     sanitize_for_terminal(item.reason, Newlines::flatten));
            break;
        }
    }
    if (!written.empty()) {
        ctx.wrote(written);
    }

    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object().key("schema").value(k_json_schema).key("dry_run").value(opts.dry_run);
        json.key("items").begin_array();
        for (const auto& item : items) {
            json.begin_object().key("source").value(json_path(ctx, item.source));
            json.key("result").value(result_name(item.result));
            if (item.result == ImportResult::skipped) {
                json.key("reason").value(item.reason).end_object();
                continue;
            }
            json.key("destination").value(json_path(ctx, item.destination));
            if (item.result != ImportResult::already_imported) {
                json.key("method").value(item.method == ImportMethod::git_move ? "git-mv" : "copy");
                json.key("kind").value(item.kind);
            }
            json.key("id").value(item.id).key("type").value(item.type).key("title").value(item.title);
            json.key("author").value(item.author).key("created").value(format_utc(item.created));
            json.key("status").value(item.status);
            if (!item.adr_status.empty()) {
                json.key("adr_status").value(item.adr_status);
            }
            json.end_object();
        }
        json.end_array().end_object();
        ctx.print(json.str());
    } else {
        std::vector<std::vector<std::string>> table;
        for (const auto& item : items) {
            if (item.result == ImportResult::skipped) {
                continue;
            }
            std::string what = item.result == ImportResult::already_imported ? "already"
                               : item.method == ImportMethod::git_move   ? "git mv"
                                                                         : "copy";
            table.push_back({what, ctx.shown_path(item.source), "->", ctx.shown_path(item.destination), item.type,
                             item.status, item.title});
        }
        if (!table.empty()) {
            ctx.print(format_table(table, {6, 1, 3}, output_width(ctx)));
        }
    }

    std::string done = std::to_string(imported) + (imported == 1 ? " file" : " files");
    if (opts.dry_run) {
        ctx.notice(imported == 0 ? "dry run: nothing to import" : "dry run: would import " + done + "; nothing written");
    } else if (imported == 0) {
        ctx.notice("nothing to import" +
                   (already > 0 ? ": " + std::to_string(already) + (already == 1 ? " file" : " files") + " already imported"
                                : std::string{}));
    } else {
        ctx.notice("imported " + done + " (" + std::to_string(moved) + " moved with git mv, " +
                   std::to_string(imported - moved) + " copied)");
    }
    if (skipped > 0) {
        throw Error{ErrorKind::no, std::to_string(skipped) + (skipped == 1 ? " file was" : " files were") + " not imported",
                    "see the warnings above; nothing of them was written"};
    }
}

} // namespace

void add_import_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<ImportOptions>();
    auto* cmd = app.add_subcommand("import", "Adopt Markdown files and folders (ADRs, notes) as documents");
    cmd->add_option("PATH", opts->paths, "A Markdown file, or a folder of them (repeatable)")->required();
    cmd->add_flag("-n,--dry-run", opts->dry_run, "Print the plan; write nothing");
    add_wide_flag(*cmd, ctx);
    cmd->callback([&ctx, opts] { run_import(ctx, *opts); });
}

} // namespace async::cmd
