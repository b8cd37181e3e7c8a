#pragma once
// Practice 6, the shared calendar: deadlines as RFC 5545 iCalendar (built with libical), with
// UIDs that stay the same from one export to the next so re-importing updates the events.
#include <async/agenda.hpp>
#include <async/clock.hpp>

#include <string>
#include <vector>

namespace async {

// The UID of a deadline's event: "<kind>-<doc id or action handle>@async", and
// "checkin@async" for the recurring check-in (the same in every workspace and on every run).
std::string calendar_uid(const Deadline& deadline);

// A VCALENDAR (CRLF lines, folded and escaped by libical) with one VEVENT per deadline (feedback
// and response deadlines at their instant in UTC, actions as all-day events on their date) and
// the weekly check-in as one all-day event recurring on checkin_weekday (0 = Monday … 6 =
// Sunday). now is the DTSTAMP. Titles are made one line and stripped of control characters.
std::string build_calendar(const std::vector<Deadline>& deadlines, int checkin_weekday,
                           TimePoint now);

} // namespace async
