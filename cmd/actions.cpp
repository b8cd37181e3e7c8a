// async actions [--owner H] [--open|--done|--all] [--overdue] · async actions done ACTION…
#include "command.hpp"
#include "output.hpp"

#include <async/actions.hpp>
#include <async/dates.hpp>
#include <async/error.hpp>
#include <async/identity.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>

#include <CLI/CLI.hpp>
#include <algorithm>

namespace async::cmd {
namespace {

struct ActionsOptions {
    std::string owner;
    bool mine = false;
    bool open = false, done = false, all = false, overdue = false;
    std::vector<std::string> refs;
    bool dry_run = false;
};

void run_list(Context& ctx, const ActionsOptions& opts) {
    if (opts.open + opts.done + opts.all > 1) {
        throw Error{ErrorKind::usage, "--open, --done and --all cannot be combined"};
    }
    ActionFilter filter;
    if (!opts.owner.empty()) filter.owner = normalize_handle(opts.owner);
    if (opts.mine) filter.owner = ctx.me();
    filter.state = opts.done ? ActionState::done : opts.all ? ActionState::all : ActionState::open;
    if (opts.overdue) filter.overdue_at = ctx.clock().now();
    auto rows = list_actions(ctx.index(), filter);
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object().key("schema").value(k_json_schema).key("actions").begin_array();
        for (const auto& r : rows) {
            json.begin_object().key("handle").value(r.handle).key("text").value(r.text).key("owner").value(r.owner);
            json.key("due");
            r.due ? json.value(*r.due) : json.null();
            json.key("done").value(r.done).key("line").value(static_cast<std::int64_t>(r.line));
            json.key("document").begin_object();
            write_doc_fields(json, *r.doc);
            json.end_object().end_object();
        }
        json.end_array().end_object();
        ctx.print(json.str());
        return;
    }
    std::vector<std::vector<std::string>> table;
    for (const auto& r : rows) {
        table.push_back({r.handle, r.done ? "[x]" : "[ ]", "@" + r.owner, r.due ? "due " + *r.due : std::string{},
                         r.text, r.doc->id + " " + r.doc->title});
    }
    ctx.print(format_table(table, {5, 4}, output_width(ctx)));
}

void run_done(Context& ctx, const ActionsOptions& opts) {
    Index& index = ctx.index();
    std::vector<ActionRow> rows;
    for (const auto& ref : opts.refs) {
        ActionRow row = resolve_action(index, ref); // resolve every one before changing any file
        bool seen = std::any_of(rows.begin(), rows.end(), [&](const ActionRow& r) { return r.handle == row.handle; });
        if (!seen) {
            rows.push_back(std::move(row));
        }
    }
    std::vector<std::filesystem::path> ticked;
    for (const auto& row : rows) {
        if (row.done) {
            ctx.notice("already done: " + row.text);
            continue;
        }
        MarkResult r = mark_action(ctx.workspace(), row.doc->path, row.handle, ActionMark::done,
                                   opts.dry_run ? WriteMode::dry_run : WriteMode::write);
        if (opts.dry_run) {
            ctx.print("would tick " + row.handle + " in " + row.doc->path + ":" + std::to_string(r.line) + "\n");
        } else if (r.changed) {
            ctx.notice("done: " + row.text);
            ticked.push_back(ctx.workspace().root() / row.doc->path);
        } else {
            ctx.notice("already done: " + row.text);
        }
    }
    ctx.wrote(ticked);
}

} // namespace

void add_actions_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<ActionsOptions>();
    auto* cmd = app.add_subcommand("actions", "Action items across the workspace (open ones by default)");
    cmd->add_option("--owner", opts->owner, "Only actions owned by this handle")->type_name("HANDLE");
    cmd->add_flag("--mine", opts->mine, "Only my actions");
    cmd->add_flag("--open", opts->open, "Only open actions (the default)");
    cmd->add_flag("--done", opts->done, "Only done actions");
    cmd->add_flag("--all", opts->all, "Open and done actions");
    cmd->add_flag("--overdue", opts->overdue, "Only open actions whose due date has passed");
    add_wide_flag(*cmd, ctx);
    cmd->callback([&ctx, opts, cmd] {
        if (cmd->get_subcommands().empty()) {
            run_list(ctx, *opts);
        }
    });
    auto* done = cmd->add_subcommand("done", "Tick off actions (by the handle 'async actions' prints)");
    done->add_option("ACTION", opts->refs, "Action handles (4+ characters)")->required();
    done->add_flag("--dry-run", opts->dry_run, "Show what would be ticked, change nothing");
    done->callback([&ctx, opts] { run_done(ctx, *opts); });
}

} // namespace async::cmd
