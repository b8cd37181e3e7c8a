// async inbox [add|done|snooze|delegate|undo|triage]: everything that needs me, and my triage.
#include "command.hpp"
#include "output.hpp"
#include "triage.hpp"

#include <async/dates.hpp>
#include <async/due.hpp>
#include <async/error.hpp>
#include <async/inbox.hpp>
#include <async/text.hpp>

#include <CLI/CLI.hpp>
#include <iostream>
#include <map>

namespace async::cmd {
namespace {

struct InboxOptions {
    bool all = false;
    bool explain = false;
    bool count = false;
};

// Output is written in pieces of about this size.
constexpr std::size_t k_chunk = 64 * 1024;

// "2 days overdue", "due in 3 hours", "snoozed until Mon 2026-11-30 09:00". due_phrases holds
// the phrase of each due date already seen (many items share one); other phrases are made in
// scratch.
std::string_view when_of(const InboxItem& item, TimePoint now, std::map<TimePoint, std::string>& due_phrases,
                         std::string& scratch) {
    if (item.state == ItemState::snoozed && item.until) {
        return scratch = "snoozed until " + format_local(*item.until);
    }
    if (item.state == ItemState::delegated) {
        return scratch = "delegated to " + item.delegated_to;
    }
    if (item.state == ItemState::done) {
        return "done";
    }
    if (!item.due) {
        return "";
    }
    auto [known, fresh] = due_phrases.try_emplace(*item.due);
    if (fresh) {
        std::string rel = format_relative(*item.due, now);
        known->second = is_overdue(*item.due, now) ? (rel.ends_with(" ago") ? rel.substr(0, rel.size() - 4) : rel) + " overdue"
                                        : "due " + rel;
    }
    return known->second;
}

void write_item(JsonWriter& json, const InboxItem& item, TimePoint now) {
    json.begin_object()
        .key("handle").value(item.handle)
        .key("key").value(item.key)
        .key("kind").value(std::string{to_string(item.kind)})
        .key("title").value(item.title)
        .key("from").value(item.from)
        .key("id").value(item.doc_id)
        .key("path").value(item.path)
        .key("state").value(std::string{to_string(item.state)});
    json.key("due");
    item.due ? json.value(format_utc(*item.due)) : json.null();
    json.key("since");
    item.since ? json.value(format_utc(*item.since)) : json.null();
    json.key("overdue").value(item.state != ItemState::done && item.due && is_overdue(*item.due, now));
    if (item.until) {
        json.key("until").value(format_utc(*item.until));
    }
    if (!item.delegated_to.empty()) {
        json.key("delegated_to").value(item.delegated_to);
    }
    json.key("explain").value(explain_rank(item, now)).end_object();
}

void run_inbox(Context& ctx, const InboxOptions& opts) {
    Session session = ctx.session();
    TimePoint now = session.now;
    auto items = gather_inbox(ctx.index(), session, opts.all);
    if (opts.count) {
        if (ctx.globals.json) {
            JsonWriter json;
            json.begin_object().key("schema").value(k_json_schema)
                .key("count").value(static_cast<std::int64_t>(items.size())).end_object();
            ctx.print(json.str());
        } else {
            ctx.print(std::to_string(items.size()) + "\n");
        }
        return;
    }
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object().key("schema").value(k_json_schema).key("items").begin_array();
        for (const auto& item : items) {
            write_item(json, item, now);
        }
        json.end_array().end_object();
        ctx.print(json.str());
        return;
    }
    if (items.empty()) {
        ctx.notice("inbox zero: nothing needs you");
        return;
    }
    // Laid out and written as it goes: 10,000 items need no table in memory.
    std::map<TimePoint, std::string> due_phrases;
    TableCells cells{items.size(), 5, [&](std::size_t r, std::size_t c, std::string& scratch) -> std::string_view {
                         const InboxItem& item = items[r];
                         switch (c) {
                         case 0: return item.handle;
                         case 1: return to_string(item.kind);
                         case 2: return when_of(item, now, due_phrases, scratch);
                         case 3: return item.title;
                         default: return item.from.empty() ? std::string_view{} : (scratch = "from " + item.from);
                         }
                     }};
    bool color = ctx.color_enabled();
    std::string out;
    lay_out_table(cells, {4, 3}, output_width(ctx), [&](std::size_t r, std::string_view line) {
        const InboxItem& item = items[r];
        bool red = color && item.due && is_overdue(*item.due, now) && item.state == ItemState::open;
        out += red ? "\x1b[31m" : "";
        out += line;
        out += red ? "\x1b[0m" : "";
        out += '\n';
        if (opts.explain) { // each row is followed by a line that says why it ranks there
            out += "    " + sanitize_for_terminal(explain_rank(item, now), Newlines::flatten) + "\n";
        }
        if (out.size() >= k_chunk) {
            ctx.print(out);
            out.clear();
        }
    });
    ctx.print(out);
}

struct AddOptions {
    std::string text;
    std::string due;
    bool has_due = false;
    std::string for_handle;
};

void run_add(Context& ctx, const AddOptions& opts) {
    CaptureRequest capture;
    if (opts.text == "-") {
        std::string text;
        char buffer[65536];
        while (std::cin.read(buffer, sizeof buffer) || std::cin.gcount() > 0) {
            text.append(buffer, static_cast<std::size_t>(std::cin.gcount()));
            if (text.size() > (1u << 20)) {
                throw Error{ErrorKind::usage, "the item is too long (over 1 MiB)", "link to a document instead"};
            }
        }
        capture.text = text;
    } else {
        capture.text = opts.text;
    }
    if (opts.has_due) {
        capture.due = resolve_date(ctx, opts.due, DateRole::deadline, "due");
    }
    capture.for_handle = opts.for_handle;
    print_written(ctx, capture_item(ctx.session(), capture));
}

struct DecideOptions {
    std::vector<std::string> items;
    std::string until;
    std::string to;
    bool dry_run = false;
};

void run_decide(Context& ctx, const DecideOptions& opts, TriageVerb verb) {
    Session session = ctx.session();
    TriageDecision decision;
    decision.verb = verb;
    if (verb == TriageVerb::snooze) {
        decision.until = resolve_date(ctx, opts.until, DateRole::start, "until");
    }
    decision.to = opts.to;
    auto all = gather_inbox(ctx.index(), session, true);
    auto chosen = resolve_items(all, opts.items);
    std::vector<std::filesystem::path> ticked; // files of actions done or undone
    for (const auto& r : decide(session, chosen, decision, opts.dry_run)) {
        std::string line = r.item.handle + " " + r.item.title + ": " + (opts.dry_run && r.changed ? "would be " : "") + r.note;
        ctx.print(sanitize_for_terminal(line, Newlines::flatten) + "\n");
        if (r.changed && !opts.dry_run && r.item.kind == ItemKind::action &&
            (verb == TriageVerb::done || verb == TriageVerb::undo)) {
            ticked.push_back(ctx.workspace().root() / r.item.path);
        }
    }
    ctx.wrote(ticked);
}

} // namespace

void add_inbox_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<InboxOptions>();
    auto* inbox = app.add_subcommand("inbox", "Everything that needs me, most urgent first; triage it");
    inbox->require_subcommand(0, 1);
    inbox->add_flag("-a,--all", opts->all, "Also items marked done, snoozed or delegated");
    inbox->add_flag("--explain", opts->explain, "Say why each item ranks where it does");
    inbox->add_flag("--count", opts->count, "Print only how many items there are (for a shell prompt)")
        ->excludes("--explain");
    add_wide_flag(*inbox, ctx);
    inbox->callback([&ctx, opts, inbox] {
        if (inbox->get_subcommands().empty()) {
            run_inbox(ctx, *opts);
        }
    });

    auto add_opts = std::make_shared<AddOptions>();
    auto* add = inbox->add_subcommand("add", "Capture an item for me (or --for someone) from the command line or stdin");
    add->add_option("TEXT", add_opts->text, "The item (first line: its title), or - to read it from stdin")->required();
    add->add_option("-d,--due", add_opts->due, "Due date (fri, +3d, 2026-12-01, eow…)")->type_name("DATE")
        ->each([add_opts](const std::string&) { add_opts->has_due = true; });
    add->add_option("--for", add_opts->for_handle, "Put it in this teammate's inbox")->type_name("HANDLE");
    add->callback([&ctx, add_opts] { run_add(ctx, *add_opts); });

    struct VerbSpec {
        const char* name;
        const char* help;
        TriageVerb verb;
    };
    for (const auto& spec : {VerbSpec{"done", "Mark items done", TriageVerb::done},
                             VerbSpec{"snooze", "Hide items until a date", TriageVerb::snooze},
                             VerbSpec{"delegate", "Hand items over to a teammate", TriageVerb::delegate},
                             VerbSpec{"undo", "Reverse the last decision on items", TriageVerb::undo}}) {
        auto decide_opts = std::make_shared<DecideOptions>();
        auto* sub = inbox->add_subcommand(spec.name, spec.help);
        sub->add_option("ITEM", decide_opts->items, "Item handles (4+ characters), as 'async inbox' prints them")
            ->required();
        if (spec.verb == TriageVerb::snooze) {
            sub->add_option("-u,--until", decide_opts->until, "Until this date (mon, +3d, 2026-12-01…)")
                ->type_name("DATE")->required();
        }
        if (spec.verb == TriageVerb::delegate) {
            sub->add_option("-t,--to", decide_opts->to, "The teammate who takes it over")->type_name("HANDLE")->required();
        }
        sub->add_flag("-n,--dry-run", decide_opts->dry_run, "Say what would be done; write nothing");
        TriageVerb verb = spec.verb;
        sub->callback([&ctx, decide_opts, verb] { run_decide(ctx, *decide_opts, verb); });
    }

    auto* triage = inbox->add_subcommand("triage", "One item at a time in the terminal: open, done, snooze, delegate");
    triage->callback([&ctx] { run_triage(ctx); });
}

} // namespace async::cmd
