#pragma once
// Practice 6, the shared calendar: the deadlines of the workspace (feedback and meeting response
// deadlines, due actions, the check-in days), collected once for `agenda`, `calendar` and
// `remind`; and the check-in day rule shared with the inbox.
#include <async/cadence.hpp>
#include <async/clock.hpp>
#include <async/session.hpp>
#include <async/dates.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace async {

class Config;
class Index;
class Workspace;

enum class DeadlineKind { feedback, response, action, checkin, event };

// "feedback", "response", "action", "checkin", "event".
std::string_view to_string(DeadlineKind kind);

struct Deadline {
    DeadlineKind kind = DeadlineKind::feedback;
    std::string key;      // stable: "feedback:<doc id>", "response:<doc id>", "action:<handle>",
                          // "checkin:<period label>" (2026-W48, 2026-12-07)
    std::string title;    // the document's title, the action's text, checkin_title
    TimePoint due{};      // the instant (an action's due: date is 17:00 local that day)
    bool all_day = false; // actions and the check-in day have a date, not a time
    std::string date;     // the local date of due, "2026-11-27"
    std::string doc_id;   // the document (empty for the check-in)
    std::string path;     // that document's path relative to the workspace root
    std::string author;   // who asked (document author); the owner for actions
    std::vector<std::string> owed_by; // who still owes it (pending reviewers/participants, owner)
    // A live event (practice/event): when it ends, its SEQUENCE, place and who attends; nobody
    // owes an event, so it is never overdue.
    std::optional<TimePoint> end;
    int sequence = 0;
    std::string where;
    struct Attendee {
        std::string handle;
        std::string email; // from the team config, may be empty
    };
    std::vector<Attendee> attendees;
};

struct DeadlineFilter {
    std::optional<std::string> who; // only deadlines this handle owes or asked for; nullopt: all
    bool pending_only = true;       // leave out deadlines nobody owes any more
};

// Every deadline of open documents, open meetings and open actions with a due date, sorted by
// due instant (then key). Feedback/response deadlines list who has not yet answered. The
// check-in is not included (see missing_checkin).
std::vector<Deadline> collect_deadlines(Index& index, const DeadlineFilter& filter);

// True when handle has written checkins/<period>/<handle>.md.
bool has_checked_in(const Workspace& ws, const CheckinPeriod& period, std::string_view handle);

// The check-in deadline of the period (config checkin.cadence) containing now for handle, when
// now is on or after the day it is owed from (checkin_owed_from) and the check-in is missing:
// key "checkin:<period label>", due 17:00 local that day.
std::optional<Deadline> missing_checkin(const Workspace& ws, const Config& config,
                                        std::string_view handle, TimePoint now);

struct AgendaDay {
    std::string date;                // "2026-11-27" (local)
    std::vector<Deadline> deadlines; // by time
};

struct Agenda {
    std::vector<Deadline> overdue; // due before now and still owed, most overdue first
    std::vector<AgendaDay> days;   // from today for `days` days, only days with deadlines
};

// What is coming for me in the next `days` days (today included): feedback and response
// deadlines of documents I am asked on or wrote, my actions, the check-in day(s) and the
// team's live events (event_deadlines, never overdue); overdue
// ones (still owed, my missing check-in) first.
Agenda build_agenda(Index& index, const Session& session, int days);

// Whether d concerns one of members (handles as handle_or_lower gives them): someone of them
// owes it, or asked for it (the document's author; an action's owner). `--team` keeps these.
bool concerns_team(const Deadline& d, const std::vector<std::string>& members);

// agenda with only what concerns_team(members) (days left empty are dropped).
void keep_team(Agenda& agenda, const std::vector<std::string>& members);

} // namespace async
