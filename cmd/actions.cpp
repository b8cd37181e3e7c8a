// async actions [--owner H] [--open|--done|--all] [--overdue] · async actions done|undo ACTION…
// · async actions add TEXT [--for H] [--due D] [--in REF] · async actions due ACTION DATE|none
#include "command.hpp"
#include "output.hpp"

#include <async/actions.hpp>
#include <async/dates.hpp>
#include <async/error.hpp>
#include <async/identity.hpp>
#include <async/query.hpp>
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
    // add
    std::string text;
    std::string for_handle;
    std::string due;
    std::string in;
    // due
    std::string action;
    std::string date;
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

// The rows the handles name, each once, all resolved before any file changes.
std::vector<ActionRow> resolve_all(Context& ctx, const std::vector<std::string>& refs) {
    Index& index = ctx.index();
    std::vector<ActionRow> rows;
    for (const auto& ref : refs) {
        ActionRow row = resolve_action(index, ref);
        bool seen = std::any_of(rows.begin(), rows.end(), [&](const ActionRow& r) { return r.handle == row.handle; });
        if (!seen) {
            rows.push_back(std::move(row));
        }
    }
    return rows;
}

// A date typed for an action's due: (the human date grammar, as a deadline) as the local
// calendar date it falls on: an action's `due:` is a date, its time of day 17:00 (due.hpp).
std::string due_date_of(Context& ctx, const std::string& text) {
    return format_local_date(resolve_date(ctx, text, DateRole::deadline, "due"));
}

void run_add(Context& ctx, const ActionsOptions& opts) {
    NewAction request;
    request.text = opts.text;
    request.owner = opts.for_handle;
    if (!opts.due.empty()) {
        request.due = due_date_of(ctx, opts.due);
    }
    if (!opts.in.empty()) {
        request.path = resolve_ref(ctx.index(), opts.in, std::filesystem::current_path()).path;
    }
    AddedAction added = add_action(ctx.session(), request);
    std::filesystem::path file = ctx.workspace().root() / added.path;
    ctx.wrote({file});
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object().key("schema").value(k_json_schema);
        json.key("handle").value(added.handle).key("text").value(added.text);
        json.key("owner").value(request.owner.empty() ? ctx.me() : normalize_handle(request.owner));
        json.key("due");
        request.due ? json.value(*request.due) : json.null();
        json.key("path").value(ctx.workspace().display(file));
        json.key("line").value(static_cast<std::int64_t>(added.line));
        json.key("created_file").value(added.created_file);
        json.end_object();
        ctx.print(json.str());
        return;
    }
    ctx.print(added.handle + " " + ctx.shown_path(file) + "\n");
}

void run_undo(Context& ctx, const ActionsOptions& opts) {
    std::vector<std::filesystem::path> unticked;
    for (const auto& row : resolve_all(ctx, opts.refs)) {
        if (!row.done) {
            ctx.notice("already open: " + row.text);
            continue;
        }
        MarkResult r = mark_action(ctx.workspace(), row.doc->path, row.handle, ActionMark::open,
                                   opts.dry_run ? WriteMode::dry_run : WriteMode::write);
        if (opts.dry_run) {
            ctx.print("would untick " + row.handle + " in " + row.doc->path + ":" + std::to_string(r.line) + "\n");
        } else if (r.changed) {
            ctx.notice("reopened: " + row.text);
            unticked.push_back(ctx.workspace().root() / row.doc->path);
        } else {
            ctx.notice("already open: " + row.text);
        }
    }
    ctx.wrote(unticked);
}

void run_due(Context& ctx, const ActionsOptions& opts) {
    ActionRow row = resolve_action(ctx.index(), opts.action);
    std::optional<std::string> date;
    if (opts.date != "none") {
        date = due_date_of(ctx, opts.date);
    }
    DueResult r = set_action_due(ctx.session(), row.doc->path, row.handle, date,
                                 opts.dry_run ? WriteMode::dry_run : WriteMode::write);
    std::string where = row.doc->path + ":" + std::to_string(r.line);
    if (opts.dry_run) {
        ctx.print((r.changed ? "would set " : "already set: ") + std::string{date ? "due:" + *date : "no due date"} +
                  " on " + row.handle + " in " + where + "\n");
        return;
    }
    if (r.changed) {
        ctx.wrote({ctx.workspace().root() / row.doc->path});
        ctx.notice((date ? "due " + *date : std::string{"no due date"}) + ": " + r.text);
    } else {
        ctx.notice("already " + (date ? "due " + *date : std::string{"without a due date"}) + ": " + r.text);
    }
    // The handle hashes the action's text, due: included, so a new date is a new handle.
    ctx.print(r.handle + "\n");
}

void run_done(Context& ctx, const ActionsOptions& opts) {
    std::vector<ActionRow> rows = resolve_all(ctx, opts.refs);
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

    auto* undo = cmd->add_subcommand("undo", "Reopen done actions (untick their boxes)");
    undo->add_option("ACTION", opts->refs, "Action handles (4+ characters)")->required();
    undo->add_flag("--dry-run", opts->dry_run, "Show what would be unticked, change nothing");
    undo->callback([&ctx, opts] { run_undo(ctx, *opts); });

    auto* add = cmd->add_subcommand("add", "Add an action to a task list (mine, or a document of mine with --in)");
    add->add_option("TEXT", opts->text, "What is to be done (one line)")->required();
    add->add_option("--for", opts->for_handle, "Whose action it is (default: me)")->type_name("HANDLE");
    add->add_option("--due", opts->due, "When it is due (a date: 'friday', 2026-12-18)")->type_name("DATE");
    add->add_option("--in", opts->in, "The document (id, prefix or path) whose task list gets it")->type_name("REF");
    add->callback([&ctx, opts] { run_add(ctx, *opts); });

    auto* due = cmd->add_subcommand("due", "Set, change or clear ('none') an action's due date");
    due->add_option("ACTION", opts->action, "Action handle (4+ characters)")->required();
    due->add_option("DATE", opts->date, "The new due date, or 'none' to clear it")->required();
    due->add_flag("--dry-run", opts->dry_run, "Show what would change, change nothing");
    due->callback([&ctx, opts] { run_due(ctx, *opts); });
}

} // namespace async::cmd
