// async checkin [--week W | --day D] · checkin status · checkin digest: the check-in.
#include "command.hpp"
#include "output.hpp"

#include <async/checkin.hpp>
#include <async/error.hpp>
#include <async/json.hpp>
#include <async/text.hpp>

#include <CLI/CLI.hpp>

#include <optional>

namespace async::cmd {
namespace {

struct CheckinOptions {
    std::optional<std::string> week;
    std::optional<std::string> day;
    BodyFlags body;
    std::string format;
    std::string output;
};

CheckinPeriod period_of(Context& ctx, const CheckinOptions& opts) {
    if (opts.week && opts.day) {
        throw Error{ErrorKind::usage, "--week and --day name the same thing", "give one of them"};
    }
    std::string text = opts.day ? *opts.day : opts.week ? *opts.week : "this";
    return resolve_period(checkin_cadence(ctx.config()), text, ctx.clock().now());
}

// "week": "2026-W48" or "day": "2026-12-07", and "period" either way, for scripts of both cadences.
void write_period(JsonWriter& json, const CheckinPeriod& period) {
    json.key("cadence").value(to_string(period.cadence));
    json.key("period").value(period.label);
    json.key(period.cadence == Cadence::daily ? "day" : "week").value(period.label);
}

void run_checkin(Context& ctx, const CheckinOptions& opts) {
    CheckinPeriod period = period_of(ctx, opts);
    BodyInput body = body_input(opts.body);
    const Workspace& ws = ctx.workspace();
    CheckinWritten written = write_checkin(ctx.index(), ctx.session(), period, body);
    for (const auto& w : written.warnings) {
        ctx.warn(w);
    }
    if (!written.created && !written.changed) {
        ctx.notice("no changes");
        return;
    }
    ctx.wrote({written.path});
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object()
            .key("schema").value(k_json_schema)
            .key("id").value(written.id)
            .key("path").value(ws.display(written.path));
        write_period(json, period);
        json.key("created").value(written.created).end_object();
        ctx.print(json.str());
        return;
    }
    ctx.print(written.id + " " + ctx.shown_path(written.path) + "\n");
}

// One warning per file that cannot be read; with -q only for mine (me may be empty).
void warn_unreadable(Context& ctx, const WeekCheckins& checkins, const std::string& me) {
    for (const auto& m : checkins.members) {
        if (m.state == CheckinState::invalid && (!ctx.globals.quiet || m.handle == me)) {
            ctx.warn(m.problem);
        }
    }
    if (!ctx.globals.quiet) {
        for (const auto& problem : checkins.problems) {
            ctx.warn("comment skipped: " + problem);
        }
    }
}

void run_status(Context& ctx, const CheckinOptions& opts) {
    CheckinPeriod period = period_of(ctx, opts);
    WeekCheckins checkins = week_checkins(ctx.workspace(), ctx.config(), period, ctx.me());
    warn_unreadable(ctx, checkins, ctx.me());
    bool mine = false;
    for (const auto& m : checkins.members) {
        mine = mine || (m.handle == ctx.me() && m.state == CheckinState::done);
    }
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object()
            .key("schema").value(k_json_schema);
        write_period(json, period);
        json.key("me").value(ctx.me())
            .key("checked_in").value(mine)
            .key("people").begin_array();
        for (const auto& m : checkins.members) {
            json.begin_object().key("handle").value(m.handle).key("name").value(m.name);
            json.key("state").value(to_string(m.state));
            json.key("path");
            m.path.empty() ? json.null() : json.value(m.path);
            json.key("created");
            m.created ? json.value(format_utc(*m.created)) : json.null();
            json.end_object();
        }
        json.end_array().end_object();
        ctx.print(json.str());
    } else if (!ctx.globals.quiet) {
        std::vector<std::vector<std::string>> rows;
        for (const auto& m : checkins.members) {
            rows.push_back({std::string{to_string(m.state)}, m.handle, m.name,
                            m.created ? format_local(*m.created) : std::string{}});
        }
        std::string table = format_table(rows, {2}, output_width(ctx));
        std::string out = period.label + ": " + std::to_string(checkins.done()) + " of " +
                          std::to_string(checkins.members.size()) + " checked in\n";
        std::size_t row = 0, start = 0;
        while (start < table.size() && row < rows.size()) {
            auto end = table.find('\n', start);
            std::string line = table.substr(start, end == std::string::npos ? std::string::npos : end - start);
            const std::string& state = rows[row][0];
            std::string_view sgr = state == "done" ? "32" : state == "missing" ? "31" : "33";
            out += styled(ctx, state, sgr) + line.substr(std::min(state.size(), line.size())) + "\n";
            start = end == std::string::npos ? table.size() : end + 1;
            ++row;
        }
        ctx.print(out);
    }
    if (!mine) {
        throw Error{ErrorKind::no, ""}; // "no" without words: the exit status is the answer
    }
}

void run_digest(Context& ctx, const CheckinOptions& opts) {
    std::string format = opts.format;
    if (format.empty()) {
        std::string lower = to_lower_ascii(opts.output);
        format = lower.ends_with(".html") || lower.ends_with(".htm") ? "html" : "markdown";
    }
    CheckinPeriod period = period_of(ctx, opts);
    // The team's document: whoever runs it (a person, a bot's cron job) is not added to it.
    WeekCheckins checkins = week_checkins(ctx.workspace(), ctx.config(), period, "");
    warn_unreadable(ctx, checkins, "");
    std::string text = render_digest(checkins, format == "html" ? DigestFormat::html : DigestFormat::markdown);
    if (opts.output.empty() || opts.output == "-") {
        ctx.print(text);
        return;
    }
    write_file_atomic(opts.output, text);
    ctx.notice("wrote '" + opts.output + "'");
}

} // namespace

void add_checkin_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<CheckinOptions>();
    auto* cmd = app.add_subcommand("checkin", "Write or edit my check-in (weekly, or daily), pre-filled with my work");
    auto week_help = "ISO week (2026-W48), this, last, next or a date in it (default: this week)";
    auto day_help = "With checkin.cadence = daily: today, last, next or a date (default: today)";
    auto add_period_options = [&](CLI::App& sub) {
        sub.add_option("-w,--week", opts->week, week_help)->type_name("WEEK");
        sub.add_option("-d,--day", opts->day, day_help)->type_name("DAY");
    };
    add_period_options(*cmd);
    add_body_flags(*cmd, opts->body);
    cmd->callback([&ctx, opts, cmd] {
        if (cmd->get_subcommands().empty()) {
            run_checkin(ctx, *opts);
        }
    });

    auto* status = cmd->add_subcommand("status", "Who has and has not checked in; exit 1 when I have not");
    add_period_options(*status);
    add_wide_flag(*status, ctx);
    status->callback([&ctx, opts] { run_status(ctx, *opts); });

    auto* digest = cmd->add_subcommand("digest", "The team's check-ins as one document, ready to mail");
    add_period_options(*digest);
    digest->add_option("--format", opts->format, "markdown (the default) or html (a self-contained page)")
        ->check(CLI::IsMember({"markdown", "html"}))
        ->type_name("FORMAT");
    digest->add_option("-o,--output", opts->output, "Write to FILE (atomically) instead of standard output")
        ->type_name("FILE");
    digest->callback([&ctx, opts] { run_digest(ctx, *opts); });
}

} // namespace async::cmd
