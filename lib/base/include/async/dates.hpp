#pragma once
// The human date grammar shared by every command (creating and filtering), ISO 8601 timestamps
// and ISO weeks. Local time follows the TZ environment variable of the process (POSIX rules,
// through localtime_r/mktime), so DST changes are handled by the C library.
#include <async/clock.hpp>
#include <async/env.hpp>

#include <chrono>
#include <cstdint>

#include <optional>
#include <string>
#include <string_view>

namespace async {

// What a date typed without a time of day means.
enum class DateRole {
    deadline, // a due date: 17:00 local (end of the working day)
    start,    // the start of a range (--since): 00:00 local
    end,      // the end of a range (--until): 23:59:59 local
};

// Parses a date typed by a person, relative to now, in local time:
//   2026-12-01, 2026-12-01T15:00, 2026-12-01 15:00, 2026-12-01T15:00:00, with Z or +01:00 (then
//   absolute), today, tomorrow, yesterday, weekday names (mon..sun, monday..sunday: the next
//   one, never today), +3d, +2w, -3d (calendar days in local time), +5h (exactly now + 5 hours),
//   eod (today 17:00), eow (Friday 17:00 of this working week; next week's when past), now, and
//   an ISO week 2026-W48 (its Monday; its Sunday for DateRole::end). A day word (today,
//   tomorrow, yesterday, a weekday, ±Nd, ±Nw) may be followed by a blank and a local time of
//   day, H:MM or HH:MM ("tomorrow 10:00", "fri 9:30"), which replaces the role's time.
// The role decides the time of day for forms without one. A local time skipped by a DST change
// moves forward by the gap; a repeated one is its first occurrence (RFC 5545). Case-insensitive,
// surrounding blanks ignored, years 0001..9999. Throws Error{usage} with the offending text
// quoted for anything else, including impossible dates (2026-02-30), ambiguous forms
// (12/01/2026) and results out of range (+999999w).
TimePoint parse_human_date(std::string_view text, TimePoint now, DateRole role);

// The weekday text names (0 = Monday … 6 = Sunday): monday..sunday or their first three letters,
// in any case, blanks around ignored (the check-in day's grammar); nullopt for anything else.
std::optional<int> weekday_from_name(std::string_view text);

// The longest duration parse_duration accepts: a week, in minutes.
inline constexpr std::int64_t k_max_duration_minutes = 7 * 24 * 60;

// Parses how long something lasts: hours and/or minutes, "30m", "1h", "1h30m", "90m" (case-
// insensitive, blanks around ignored). Throws Error{usage} with the text quoted for anything else,
// for zero and for more than k_max_duration_minutes.
std::chrono::minutes parse_duration(std::string_view text);

// Whether text has the shape YYYY-MM-DD (ten characters, ASCII digits and two dashes): a quick
// test of a date label before it is parsed, not a check that the day exists.
bool has_iso_date_shape(std::string_view text);

// Parses a strict ISO 8601 timestamp as written in front matter or ASYNC_NOW:
// 2026-11-26T10:15:00Z, 2026-11-26T10:15:00+01:00, 2026-11-26T10:15Z, or a date 2026-11-26
// (midnight UTC). Returns nullopt when text is not one of these.
std::optional<TimePoint> parse_iso8601(std::string_view text);

// "2026-11-26T10:15:00Z".
std::string format_utc(TimePoint t);

// "20261126T101500Z": format_utc without separators, for file names (replies, drafts, items).
std::string format_utc_stamp(TimePoint t);

// Makes local times follow TZ as env has it: env is the process environment (cmd/ passes its
// snapshot at start; a test or a long-running caller passes it again after changing TZ). The C
// library reads TZ only when told to (tzset()), and that runs only when env's TZ differs from
// the previous call's: without TZ each tzset() stats /etc/localtime.
void follow_time_zone(const Env& env);

// Local time as "Fri 2026-11-27 17:00" (the echo of a resolved date).
std::string format_local(TimePoint t);

// Local date as "2026-11-27".
std::string format_local_date(TimePoint t);

// How far t is from now: "just now" under a minute, then "in 5 minutes"/"5 minutes ago", under a
// day "in 3 hours"/"3 hours ago", from 24 hours on local calendar days "in 1 day"/"2 days ago".
// Phrasings like "3 days overdue" are left to callers.
std::string format_relative(TimePoint t, TimePoint now);

struct IsoWeek {
    int year = 0; // the ISO week-numbering year
    int week = 0; // 1..52 or 53
    bool operator==(const IsoWeek&) const = default;
    auto operator<=>(const IsoWeek&) const = default;
};

// The ISO week containing t in local time.
IsoWeek iso_week_of(TimePoint t);

// Parses "2026-W48" (also "2026-w48", "2026W48"). Throws Error{usage} when malformed or when
// the year has no such week (2025-W53).
IsoWeek parse_iso_week(std::string_view text);

// "2026-W48".
std::string format_iso_week(IsoWeek w);

// Monday 00:00 local of week w.
TimePoint iso_week_start(IsoWeek w);

// Number of ISO weeks (52 or 53) in ISO year y.
int iso_weeks_in_year(int year);

} // namespace async
