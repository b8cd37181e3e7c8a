#include <async/agenda.hpp>
#include <async/config.hpp>
#include <async/dates.hpp>
#include <async/due.hpp>
#include <async/identity.hpp>
#include <async/event.hpp>
#include <async/layout.hpp>
#include <async/query.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>

#include <algorithm>
#include <set>
#include <system_error>
#include <utility>

namespace fs = std::filesystem;

namespace async {
namespace {

bool contains(const std::vector<std::string>& list, std::string_view handle) {
    return std::any_of(list.begin(), list.end(),
                       [&](const std::string& h) { return to_lower_ascii(h) == handle; });
}

bool earlier(const Deadline& a, const Deadline& b) {
    if (a.due != b.due) {
        return a.due < b.due;
    }
    return a.key < b.key;
}

} // namespace

std::string_view to_string(DeadlineKind kind) {
    switch (kind) {
    case DeadlineKind::response: return "response";
    case DeadlineKind::action: return "action";
    case DeadlineKind::checkin: return "checkin";
    case DeadlineKind::event: return "event";
    case DeadlineKind::feedback: break;
    }
    return "feedback";
}

std::vector<Deadline> collect_deadlines(Index& index, const DeadlineFilter& filter) {
    std::optional<std::string> who;
    if (filter.who) {
        who = to_lower_ascii(*filter.who);
    }
    std::vector<DocSummary> docs;
    std::set<std::string> handles;
    for (auto& doc : list_documents(index, ListFilter{})) {
        if (!doc.due || doc.status == "closed" || is_child_type(doc.type)) {
            continue;
        }
        const auto& asked = doc.type == "meeting" ? doc.participants : doc.reviewers;
        if (asked.empty()) {
            continue;
        }
        if (who && to_lower_ascii(doc.author) != *who && !contains(asked, *who)) {
            continue;
        }
        for (const auto& h : asked) {
            handles.insert(to_lower_ascii(h));
        }
        docs.push_back(std::move(doc));
    }
    // Who has not answered, asked per person (a handful of queries) rather than per document.
    std::set<std::pair<std::string, std::string>> pending_reply, pending_response; // (path, handle)
    for (const auto& h : handles) {
        for (const auto& doc : awaiting_answer(index, h, "reviewers", "reply")) {
            pending_reply.emplace(doc.path, h);
        }
        for (const auto& doc : awaiting_answer(index, h, "participants", "response")) {
            pending_response.emplace(doc.path, h);
        }
    }

    std::vector<Deadline> out;
    for (const auto& doc : docs) {
        bool meeting = doc.type == "meeting";
        const auto& asked = meeting ? doc.participants : doc.reviewers;
        const auto& pending = meeting ? pending_response : pending_reply;
        Deadline d;
        d.kind = meeting ? DeadlineKind::response : DeadlineKind::feedback;
        d.key = std::string{to_string(d.kind)} + ":" + doc.id;
        d.title = doc.title.empty() ? doc.path : doc.title;
        d.due = *doc.due;
        d.date = format_local_date(d.due);
        d.doc_id = doc.id;
        d.path = doc.path;
        d.author = doc.author;
        for (const auto& h : asked) {
            std::string handle = to_lower_ascii(h);
            if (pending.contains({doc.path, handle}) && !contains(d.owed_by, handle)) {
                d.owed_by.push_back(handle);
            }
        }
        if (filter.pending_only && d.owed_by.empty()) {
            continue;
        }
        out.push_back(std::move(d));
    }
    ActionFilter actions;
    if (who) {
        actions.owner = *who;
    }
    for (const auto& a : list_actions(index, actions)) {
        if (!a.due || !a.due_at) {
            continue;
        }
        Deadline d;
        d.kind = DeadlineKind::action;
        d.key = "action:" + a.handle;
        d.title = a.text.empty() ? a.doc->title : a.text;
        d.due = *a.due_at;
        d.all_day = true;
        d.date = *a.due;
        d.doc_id = a.doc->id;
        d.path = a.doc->path;
        d.author = a.owner;
        d.owed_by = {a.owner};
        out.push_back(std::move(d));
    }
    std::stable_sort(out.begin(), out.end(), earlier);
    return out;
}

bool has_checked_in(const Workspace& ws, const CheckinPeriod& period, std::string_view handle) {
    std::error_code ec;
    return fs::exists(checkin_file(ws.root(), period.label, handle), ec);
}

namespace {

// The check-in deadline of period, owed from `from` (00:00 of the day), due 17:00 that day.
Deadline checkin_deadline(const CheckinPeriod& period, TimePoint from) {
    Deadline d;
    d.kind = DeadlineKind::checkin;
    d.key = "checkin:" + period.label;
    d.title = checkin_title(period);
    d.date = format_local_date(from);
    d.due = due_at(d.date).value_or(from);
    d.all_day = true;
    return d;
}

} // namespace

std::optional<Deadline> missing_checkin(const Workspace& ws, const Config& config,
                                        std::string_view handle, TimePoint now) {
    CheckinPeriod period = period_of(checkin_cadence(config), now);
    auto from = checkin_owed_from(config, period);
    if (!from || now < *from || has_checked_in(ws, period, handle)) {
        return std::nullopt;
    }
    Deadline d = checkin_deadline(period, *from);
    d.owed_by = {std::string{handle}};
    return d;
}

Agenda build_agenda(Index& index, const Session& session, int days) {
    const Workspace& ws = session.workspace;
    const Config& config = session.config;
    const std::string& me = session.me;
    const TimePoint now = session.now;
    std::vector<Deadline> all;
    for (auto& d : collect_deadlines(index, DeadlineFilter{})) {
        if (d.kind == DeadlineKind::action && !contains(d.owed_by, me)) {
            continue; // the agenda shows the team's document deadlines but only my actions
        }
        all.push_back(std::move(d));
    }
    // Check-in days from this period's until the end of the window; this period's is overdue
    // while mine is missing after 17:00 that day.
    std::string today = format_local_date(now);
    std::string last_day = format_local_date(now + std::chrono::hours{24} * std::max(days - 1, 0));
    CheckinPeriod period = period_of(checkin_cadence(config), now);
    for (int i = 0; i < 400; ++i, period = next_period(period)) {
        auto from = checkin_owed_from(config, period);
        if (!from) {
            continue;
        }
        std::string date = format_local_date(*from);
        if (date > last_day) {
            break;
        }
        bool done = has_checked_in(ws, period, me);
        if (!done || date >= today) {
            Deadline d = checkin_deadline(period, *from);
            if (!done) {
                d.owed_by = {me};
            }
            all.push_back(std::move(d));
        }
    }
    // Live events are the whole team's, like document deadlines; nobody owes them.
    for (auto& d : event_deadlines(index, ws, config, std::nullopt)) {
        all.push_back(std::move(d));
    }
    std::stable_sort(all.begin(), all.end(), earlier);

    Agenda agenda;
    for (auto& d : all) {
        bool overdue = !d.owed_by.empty() && is_overdue(d.due, now);
        if (overdue) {
            agenda.overdue.push_back(std::move(d));
            continue;
        }
        if (d.date < today || d.date > last_day) {
            continue;
        }
        if (agenda.days.empty() || agenda.days.back().date != d.date) {
            agenda.days.push_back(AgendaDay{d.date, {}});
        }
        agenda.days.back().deadlines.push_back(std::move(d));
    }
    return agenda;
}

bool concerns_team(const Deadline& d, const std::vector<std::string>& members) {
    auto member = [&](std::string_view h) { return contains(members, handle_or_lower(h)); };
    return member(d.author) || std::any_of(d.owed_by.begin(), d.owed_by.end(), member);
}

void keep_team(Agenda& agenda, const std::vector<std::string>& members) {
    std::erase_if(agenda.overdue, [&](const Deadline& d) { return !concerns_team(d, members); });
    for (auto& day : agenda.days) {
        std::erase_if(day.deadlines, [&](const Deadline& d) { return !concerns_team(d, members); });
    }
    std::erase_if(agenda.days, [](const AgendaDay& day) { return day.deadlines.empty(); });
}

} // namespace async
