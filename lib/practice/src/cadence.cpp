#include <async/cadence.hpp>
#include <async/config.hpp>
#include <async/dates.hpp>
#include <async/error.hpp>
#include <async/text.hpp>

namespace async {
namespace {

constexpr auto k_half_day = std::chrono::hours{12};
constexpr auto k_day_and_half = std::chrono::hours{36};

// 00:00 local of the day containing t.
TimePoint day_start(TimePoint t) {
    return parse_human_date(format_local_date(t), t, DateRole::start);
}

// 0 = Monday … 6 = Sunday, in local time.
int weekday_of(TimePoint t) {
    return weekday_from_name(to_lower_ascii(format_local(t).substr(0, 3))).value_or(0);
}

bool is_working_day(TimePoint t) {
    return weekday_of(t) < 5;
}

CheckinPeriod week_period(IsoWeek w) {
    CheckinPeriod p;
    p.cadence = Cadence::weekly;
    p.label = format_iso_week(w);
    p.start = iso_week_start(w);
    // The Monday after; the last week of 9999 has none, so its end is a week after its start.
    p.end = p.start + std::chrono::days{7};
    IsoWeek after = iso_week_of(p.start + std::chrono::days{7} + k_half_day);
    if (after != w) {
        p.end = iso_week_start(after);
    }
    return p;
}

CheckinPeriod day_period(TimePoint t) {
    CheckinPeriod p;
    p.cadence = Cadence::daily;
    p.start = day_start(t);
    p.label = format_local_date(p.start);
    // Step by local calendar days (36 hours then back to midnight) so a DST change cannot skew it.
    p.end = day_start(p.start + k_day_and_half);
    return p;
}

bool looks_like_week(std::string_view lower) {
    std::size_t i = 0;
    while (i < lower.size() && i < 4 && lower[i] >= '0' && lower[i] <= '9') {
        ++i;
    }
    if (i != 4) {
        return false;
    }
    if (i < lower.size() && lower[i] == '-') {
        ++i;
    }
    return i < lower.size() && lower[i] == 'w';
}

} // namespace

std::string_view to_string(Cadence cadence) {
    return cadence == Cadence::daily ? "daily" : "weekly";
}

Cadence checkin_cadence(const Config& config) {
    return config.get("checkin.cadence").value_or("weekly") == "daily" ? Cadence::daily : Cadence::weekly;
}

CheckinPeriod period_of(Cadence cadence, TimePoint t) {
    return cadence == Cadence::daily ? day_period(t) : week_period(iso_week_of(t));
}

std::optional<CheckinPeriod> parse_period(std::string_view label) {
    try {
        if (has_iso_date_shape(label)) {
            TimePoint t = parse_human_date(label, TimePoint{}, DateRole::start);
            CheckinPeriod p = day_period(t);
            return p.label == label ? std::optional{p} : std::nullopt;
        }
        IsoWeek w = parse_iso_week(label);
        CheckinPeriod p = week_period(w);
        return p.label == label ? std::optional{p} : std::nullopt;
    } catch (const Error&) {
        return std::nullopt;
    }
}

CheckinPeriod previous_period(const CheckinPeriod& p) {
    if (p.cadence == Cadence::weekly) {
        return week_period(iso_week_of(p.start - k_half_day));
    }
    CheckinPeriod day = day_period(p.start - k_half_day);
    while (!is_working_day(day.start)) {
        day = day_period(day.start - k_half_day);
    }
    return day;
}

CheckinPeriod next_period(const CheckinPeriod& p) {
    if (p.cadence == Cadence::weekly) {
        return week_period(iso_week_of(p.end + k_half_day));
    }
    CheckinPeriod day = day_period(p.end + k_half_day);
    while (!is_working_day(day.start)) {
        day = day_period(day.end + k_half_day);
    }
    return day;
}

CheckinPeriod resolve_period(Cadence cadence, std::string_view text, TimePoint now) {
    std::string lower = to_lower_ascii(trim(text));
    CheckinPeriod current = period_of(cadence, now);
    if (lower == "this" || lower == "today") {
        return current;
    }
    if (lower == "last") {
        return previous_period(current);
    }
    if (lower == "next") {
        return next_period(current);
    }
    bool weekly = cadence == Cadence::weekly;
    std::string shown = sanitize_for_terminal(text, Newlines::flatten);
    std::string hint = weekly ? "use an ISO week (2026-W48), this, last, next or a date in that week"
                              : "the team checks in daily: use today, last, next or a date (2026-12-07, yesterday, mon)";
    if (looks_like_week(lower)) {
        if (!weekly) {
            throw Error{ErrorKind::usage, "invalid day '" + shown + "'", hint};
        }
        return week_period(parse_iso_week(text));
    }
    try {
        if (lower.empty()) {
            throw Error{ErrorKind::usage, "empty"};
        }
        return period_of(cadence, parse_human_date(text, now, DateRole::start));
    } catch (const Error&) {
        throw Error{ErrorKind::usage, std::string{weekly ? "invalid week '" : "invalid day '"} + shown + "'", hint};
    }
}

int checkin_weekday(const Config& config) {
    // `config set` refuses other values; one written by hand that names no day counts as Friday.
    return weekday_from_name(config.get("checkin.day").value_or("friday")).value_or(4);
}

std::optional<TimePoint> checkin_owed_from(const Config& config, const CheckinPeriod& p) {
    if (p.cadence == Cadence::daily) {
        return is_working_day(p.start) ? std::optional{p.start} : std::nullopt;
    }
    TimePoint day = p.start;
    for (int i = 0; i < checkin_weekday(config); ++i) {
        day = day_start(day + k_day_and_half);
    }
    return day;
}

std::string checkin_title(const CheckinPeriod& p) {
    if (p.cadence == Cadence::daily) {
        return "Check-in for " + format_local(p.start).substr(0, 4) + p.label;
    }
    return "Check-in for " + p.label;
}

} // namespace async
