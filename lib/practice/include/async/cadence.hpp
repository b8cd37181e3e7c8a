#pragma once
// How often the team checks in: the one owner of check-in periods. Weekly (the default) gives
// one check-in per ISO week, owed from the team's check-in day (config checkin.day); daily
// (config checkin.cadence = "daily", a stand-up) gives one per day, owed Monday to Friday from
// the start of the day. A period's label names its folder, checkins/<label>/<handle>.md, and is
// the check-in's front matter "week" (2026-W48) or "day" (2026-12-07).
#include <async/clock.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace async {

class Config;

enum class Cadence { weekly, daily };

// "weekly", "daily".
std::string_view to_string(Cadence cadence);

// Config checkin.cadence; a value `config set` would refuse counts as weekly.
Cadence checkin_cadence(const Config& config);

struct CheckinPeriod {
    Cadence cadence = Cadence::weekly;
    std::string label; // "2026-W48" or "2026-12-07"
    TimePoint start{}; // 00:00 local of its Monday, or of its day
    TimePoint end{};   // 00:00 local of the next period's start
    bool operator==(const CheckinPeriod& other) const { return label == other.label; }
};

// The period of cadence containing t (local time).
CheckinPeriod period_of(Cadence cadence, TimePoint t);

// The period named by a folder or front matter label: an ISO week (2026-W48) is weekly, a date
// (2026-12-07, exactly so) daily; nullopt for anything else.
std::optional<CheckinPeriod> parse_period(std::string_view label);

// The period before / after p; a daily period skips Saturday and Sunday.
CheckinPeriod previous_period(const CheckinPeriod& p);
CheckinPeriod next_period(const CheckinPeriod& p);

// The period --week/--day names for cadence: "this" (also "today"), "last", "next", an ISO week
// (weekly only), or any date of the human grammar (the period containing it). Throws
// Error{usage} quoting text for anything else.
CheckinPeriod resolve_period(Cadence cadence, std::string_view text, TimePoint now);

// The weekday (0 = Monday … 6 = Sunday) config checkin.day names; 4 (Friday) by default.
int checkin_weekday(const Config& config);

// When the check-in of p is owed: 00:00 local of the check-in day of its week (weekly), of its
// day (daily); nullopt for a Saturday or Sunday of the daily cadence, when nobody owes one.
std::optional<TimePoint> checkin_owed_from(const Config& config, const CheckinPeriod& p);

// "Check-in for 2026-W48", "Check-in for Mon 2026-12-07".
std::string checkin_title(const CheckinPeriod& p);

} // namespace async
