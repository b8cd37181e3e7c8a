// async agenda [--days N] [--team NAME]: upcoming deadlines grouped by day, overdue ones first,
// and who is away in those days.
#include "command.hpp"
#include "output.hpp"

#include <async/agenda.hpp>
#include <async/dates.hpp>
#include <async/config.hpp>
#include <async/error.hpp>
#include <async/leave.hpp>
#include <async/text.hpp>

#include <CLI/CLI.hpp>

namespace async::cmd {
namespace {

struct AgendaOptions {
    int days = 7;
    std::string team;
};

// One key and its value per line.
// clang-format off
void write_deadline(JsonWriter& json, const Deadline& d, bool overdue) {
    json.begin_object()
        .key("kind").value(std::string{to_string(d.kind)})
        .key("key").value(d.key)
        .key("title").value(d.title)
        .key("due").value(d.all_day ? d.date : format_utc(d.due))
        .key("date").value(d.date)
        .key("all_day").value(d.all_day)
        .key("overdue").value(overdue)
        .key("id").value(d.doc_id)
        .key("path").value(d.path)
        .key("author").value(d.author)
        .key("owed_by").value(d.owed_by);
    if (d.kind == DeadlineKind::event) {
        json.key("end").value(d.end ? format_utc(*d.end) : std::string{})
            .key("where").value(d.where)
            .key("sequence").value(static_cast<std::int64_t>(d.sequence));
    }
    json.end_object();
}
// clang-format on

std::vector<std::string> row_of(const Deadline& d, bool with_date) {
    std::string when = d.all_day
                           ? (with_date ? d.date : "")
                           : (with_date ? format_local(d.due) : format_local(d.due).substr(15));
    std::string who;
    if (d.kind == DeadlineKind::event && d.end) {
        when += "–" + format_local(*d.end).substr(15);
        if (!d.where.empty()) {
            who = d.where;
        }
    }
    if (d.kind != DeadlineKind::action && d.kind != DeadlineKind::checkin && !d.owed_by.empty()) {
        who = "waiting for";
        for (const auto& h : d.owed_by) {
            who += " @" + h;
        }
    }
    return {"", when, std::string{to_string(d.kind)}, d.doc_id, d.title, who};
}

// The absences that overlap the agenda's days (today and days-1 more), of members when
// by_team, else everyone's: the agenda is the shared calendar.
std::vector<Absence> away_in_window(Context& ctx, TimePoint now, int days, const std::vector<std::string>& members,
                                    bool by_team) {
    Absences absences = load_absences(ctx.workspace());
    warn_absence_problems(ctx, absences);
    TimePoint from = parse_human_date(format_local_date(now), now, DateRole::start);
    TimePoint to = parse_human_date(format_local_date(now + std::chrono::hours{24} * (days - 1)), now, DateRole::end);
    if (by_team && members.empty()) {
        return {};
    }
    return away_between(absences, from, to, members);
}

// "away": [{handle, from, to, note}].
void write_away(JsonWriter& json, const std::vector<Absence>& away) {
    json.key("away").begin_array();
    for (const auto& a : away) {
        json.begin_object().key("handle").value(a.handle).key("from").value(a.from).key("to").value(a.to)
            .key("note").value(a.note).end_object();
    }
    json.end_array();
}

void run_agenda(Context& ctx, const AgendaOptions& opts) {
    if (opts.days < 1 || opts.days > 366) {
        throw Error{ErrorKind::usage,
                    "--days must be between 1 and 366, not " + std::to_string(opts.days)};
    }
    Session session = ctx.session();
    TimePoint now = session.now;
    Agenda agenda =
        build_agenda(ctx.index(), session, opts.days);
    std::vector<std::string> members;
    if (!opts.team.empty()) {
        members = team_members(ctx.config(), opts.team);
        keep_team(agenda, members);
    }
    std::vector<Absence> away = away_in_window(ctx, now, opts.days, members, !opts.team.empty());
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object().key("schema").value(k_json_schema).key("overdue").begin_array();
        for (const auto& d : agenda.overdue) {
            write_deadline(json, d, true);
        }
        json.end_array().key("days").begin_array();
        for (const auto& day : agenda.days) {
            json.begin_object().key("date").value(day.date).key("deadlines").begin_array();
            for (const auto& d : day.deadlines) {
                write_deadline(json, d, false);
            }
            json.end_array().end_object();
        }
        json.end_array();
        write_away(json, away);
        json.end_object();
        ctx.print(json.str());
        return;
    }
    if (agenda.overdue.empty() && agenda.days.empty() && away.empty()) {
        ctx.notice("no deadlines in the next " + std::to_string(opts.days) +
                   (opts.days == 1 ? " day" : " days"));
        return;
    }
    std::size_t width = output_width(ctx);
    std::string out;
    if (!agenda.overdue.empty()) {
        std::vector<std::vector<std::string>> rows;
        for (const auto& d : agenda.overdue) {
            rows.push_back(row_of(d, true));
        }
        out += styled(ctx, "Overdue", "1;31") + "\n" + format_table(rows, {5, 4}, width);
    }
    for (const auto& day : agenda.days) {
        std::vector<std::vector<std::string>> rows;
        for (const auto& d : day.deadlines) {
            rows.push_back(row_of(d, false));
        }
        std::string heading =
            format_local(parse_human_date(day.date, now, DateRole::start)).substr(0, 14);
        out += (out.empty() ? "" : "\n") + styled(ctx, heading, "1") + "\n" +
               format_table(rows, {5, 4}, width);
    }
    if (!away.empty()) {
        std::vector<std::vector<std::string>> rows;
        for (const auto& a : away) {
            std::string days = format_local(a.start).substr(0, 14);
            if (a.to != a.from) {
                days += " .. " + format_local(a.end).substr(0, 14);
            }
            rows.push_back({"", "@" + a.handle, days, a.note});
        }
        out += (out.empty() ? "" : "\n") + styled(ctx, "Away", "1") + "\n" + format_table(rows, {3}, width);
    }
    ctx.print(out);
}

} // namespace

void add_agenda_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<AgendaOptions>();
    auto* cmd =
        app.add_subcommand("agenda", "Upcoming deadlines grouped by day, overdue ones first");
    cmd->add_option("--days", opts->days, "How many days ahead, today included (default 7)")
        ->type_name("N");
    cmd->add_option("--team", opts->team, "Only the deadlines and absences of the team's members ([teams.NAME])")
        ->type_name("NAME");
    add_wide_flag(*cmd, ctx);
    cmd->callback([&ctx, opts] { run_agenda(ctx, *opts); });
}

} // namespace async::cmd
