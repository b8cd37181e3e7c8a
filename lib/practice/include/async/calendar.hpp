#pragma once
// Practice 6, the shared calendar: deadlines as RFC 5545 iCalendar (built with libical), with
// UIDs that stay the same from one export to the next so re-importing updates the events.
#include <async/agenda.hpp>
#include <async/clock.hpp>
#include <async/leave.hpp>

#include <optional>

#include <string>
#include <vector>

namespace async {

// The UID of a deadline's event in the workspace with id workspace_id (workspace_id_or_derived):
// "<kind>-<doc id or action handle>@<workspace id>.async", and "checkin@<workspace id>.async" for
// the recurring check-in. The same on every run and in every copy of the workspace, and
// different in another workspace (two teams' calendars in one client never collide).
std::string calendar_uid(const Deadline& deadline, std::string_view workspace_id);

// A VCALENDAR (CRLF lines, folded and escaped by libical) with one VEVENT per deadline (feedback
// and response deadlines at their instant in UTC, actions as all-day events on their date, live
// events from their start to their end in UTC with SEQUENCE, LOCATION, ORGANIZER and ATTENDEEs) and
// the check-in as one all-day event recurring on checkin_weekday (0 = Monday … 6 = Sunday) for
// the weekly cadence, every Monday to Friday for the daily one. now is the DTSTAMP; UIDs are calendar_uid's with workspace_id. Titles are made one
// line and stripped of control characters.
// absences are all-day events from their first to their last day, UID absence_uid's.
std::string build_calendar(const std::vector<Deadline>& deadlines, Cadence cadence, int checkin_weekday,
                           TimePoint now, std::string_view workspace_id, const std::vector<Absence>& absences = {});

// The UID of an absence's event: "away-<handle>-<first day>@<workspace id>.async" (the same on
// every export, and when only its last day or note changes).
std::string absence_uid(const Absence& absence, std::string_view workspace_id);

// What a calendar holds: everything, one person's (`--mine`) or a team's (`--team`).
struct CalendarScope {
    std::optional<std::string> who;                  // deadlines this handle owes or asked for
    std::optional<std::vector<std::string>> members; // deadlines that concern_team, their absences
};

struct WorkspaceCalendar {
    std::string ics;
    std::size_t events = 0; // deadlines, absences and the recurring check-in
};

// The calendar of the workspace ws for scope: open deadlines (pending or not, so an event stays
// until its document closes), live events, absences (everyone's, the team's, or who's) and the
// check-in, with UIDs from workspace_id.
WorkspaceCalendar workspace_calendar(Index& index, const Workspace& ws, const Config& config, const Absences& absences,
                                     const CalendarScope& scope, TimePoint now, std::string_view workspace_id);

} // namespace async
