// async away [FROM..TO [--note TEXT]] [--clear [DATE]] [--all]: say when I am away, and list
// who is.
#include "command.hpp"
#include "output.hpp"

#include <async/dates.hpp>
#include <async/error.hpp>
#include <async/json.hpp>
#include <async/layout.hpp>
#include <async/leave.hpp>
#include <async/text.hpp>

#include <CLI/CLI.hpp>

namespace async::cmd {
namespace {

struct AwayOptions {
    std::string range; // FROM..TO, a single day, or with --clear the day to clear
    std::string note;
    bool has_note = false;
    bool clear = false;
    bool all = false;
};

// The local dates of FROM..TO (or one day), from the shared date grammar.
std::pair<std::string, std::string> resolve_range(Context& ctx, const std::string& text) {
    auto dots = text.find("..");
    std::string from = dots == std::string::npos ? text : text.substr(0, dots);
    std::string to = dots == std::string::npos ? text : text.substr(dots + 2);
    if (trim(from).empty() || trim(to).empty()) {
        throw Error{ErrorKind::usage, "'" + sanitize_for_terminal(text, Newlines::flatten) + "' is not FROM..TO",
                    "async away 2026-12-07..2026-12-11, or async away mon..fri"};
    }
    TimePoint now = ctx.clock().now();
    TimePoint start = parse_human_date(from, now, DateRole::start);
    // TO counts from FROM: "mon..fri" is the Friday after that Monday.
    TimePoint end = parse_human_date(to, dots == std::string::npos ? now : start - std::chrono::seconds{1},
                                     DateRole::end);
    return {format_local_date(start), format_local_date(end)};
}

std::string days_text(const Absence& a) {
    std::string from = format_local(a.start).substr(0, 14);
    return a.from == a.to ? from : from + " .. " + format_local(a.end).substr(0, 14);
}

void run_list(Context& ctx, const AwayOptions& opts) {
    Absences absences = load_absences(ctx.workspace());
    warn_absence_problems(ctx, absences);
    TimePoint now = ctx.clock().now();
    std::string today = format_local_date(now);
    std::vector<Absence> shown;
    for (const auto& a : absences.all) {
        if (a.to >= today && (opts.all || a.handle == ctx.me())) {
            shown.push_back(a);
        }
    }
    std::stable_sort(shown.begin(), shown.end(),
                     [](const Absence& a, const Absence& b) { return std::tie(a.from, a.handle) < std::tie(b.from, b.handle); });
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object().key("schema").value(k_json_schema).key("absences").begin_array();
        for (const auto& a : shown) {
            json.begin_object()
                .key("handle").value(a.handle)
                .key("from").value(a.from)
                .key("to").value(a.to)
                .key("note").value(a.note)
                .key("now").value(a.start <= now && now <= a.end)
                .end_object();
        }
        json.end_array().end_object();
        ctx.print(json.str());
        return;
    }
    if (shown.empty()) {
        ctx.notice(opts.all ? "nobody is away from today on" : "no absences from today on");
        return;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : shown) {
        rows.push_back({"@" + a.handle, days_text(a), a.note});
    }
    ctx.print(format_table(rows, {2}, output_width(ctx)));
}

void run_away(Context& ctx, const AwayOptions& opts) {
    const Workspace& ws = ctx.workspace();
    std::string rel = std::string{k_people} + "/" + ctx.me() + "/away.toml";
    if (opts.clear) {
        if (opts.has_note || opts.all) {
            throw Error{ErrorKind::usage, "--clear takes neither --note nor --all", "async away --clear [DATE]"};
        }
        std::optional<std::string> on;
        if (!opts.range.empty()) {
            if (opts.range.find("..") != std::string::npos) {
                throw Error{ErrorKind::usage, "--clear takes one day, not a range", "async away --clear 2026-12-07"};
            }
            on = format_local_date(parse_human_date(opts.range, ctx.clock().now(), DateRole::start));
        }
        std::size_t removed = clear_absences(ws, ctx.me(), on, ctx.clock().now());
        if (removed == 0) {
            ctx.notice(on ? "no absence of yours on " + *on : "no absences of yours from today on");
            throw Error{ErrorKind::no, ""};
        }
        ctx.wrote({ws.root() / rel});
        ctx.notice("cleared " + std::to_string(removed) + (removed == 1 ? " absence" : " absences") + " in " +
                   ctx.shown_path(ws.root() / rel));
        return;
    }
    if (opts.range.empty()) {
        if (opts.has_note) {
            throw Error{ErrorKind::usage, "--note needs the days away", "async away FROM..TO --note TEXT"};
        }
        run_list(ctx, opts);
        return;
    }
    if (opts.all) {
        throw Error{ErrorKind::usage, "--all lists; it takes no days", "async away --all"};
    }
    auto [from, to] = resolve_range(ctx, opts.range);
    if (to < from) {
        throw Error{ErrorKind::usage, "the absence ends (" + to + ") before it starts (" + from + ")",
                    "async away FROM..TO"};
    }
    add_absence(ws, ctx.me(), from, to, opts.note);
    ctx.wrote({ws.root() / rel});
    Absence a;
    a.from = from;
    a.to = to;
    a.start = parse_human_date(from, ctx.clock().now(), DateRole::start);
    a.end = parse_human_date(to, ctx.clock().now(), DateRole::end);
    if (a.end < ctx.clock().now()) {
        ctx.warn("the absence " + from + ".." + to + " is over already");
    }
    ctx.notice("away " + days_text(a) + " (" + ctx.shown_path(ws.root() / rel) + ")");
}

} // namespace

void warn_absence_problems(Context& ctx, const Absences& absences) {
    for (const auto& p : absences.problems) {
        std::string where = p.line > 0 ? ":" + std::to_string(p.line) + ":" + std::to_string(p.column) : "";
        ctx.warn(sanitize_for_terminal(p.path + where + ": " + p.message + " (skipped)", Newlines::flatten));
    }
}

void warn_away_people(Context& ctx, const std::vector<std::string>& handles, TimePoint due, std::string_view flag) {
    if (handles.empty()) {
        return;
    }
    Absences absences = load_absences(ctx.workspace());
    for (const auto& h : handles) {
        if (auto away = away_at(absences, h, due)) {
            ctx.warn(std::string{flag} + ": @" + sanitize_for_terminal(away->handle, Newlines::flatten) + " is " +
                     away_until_text(*away) + ", past the deadline " + format_local(due));
        }
    }
}

void add_away_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<AwayOptions>();
    auto* cmd = app.add_subcommand("away", "Say when I am away (FROM..TO), clear it, or list who is away");
    cmd->add_option("DAYS", opts->range,
                    "FROM..TO (dates in the usual grammar, both days included), one day, or with --clear the day to clear")
        ->type_name("FROM..TO");
    cmd->add_option("--note", opts->note, "A line about the absence (shown to the team)")
        ->type_name("TEXT")
        ->each([opts](const std::string&) { opts->has_note = true; });
    cmd->add_flag("--clear", opts->clear, "Remove my absence on DATE, or all of mine from today on");
    cmd->add_flag("--all", opts->all, "List everyone's absences, not only mine");
    add_wide_flag(*cmd, ctx);
    cmd->callback([&ctx, opts] { run_away(ctx, *opts); });
}

} // namespace async::cmd
