#include <async/dates.hpp>

#include <async/error.hpp>
#include <async/text.hpp>

#include <time.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace async {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_days;
using std::chrono::year_month_day;

// Four-digit years only: keeps every computation far from overflow and every output in the
// same shape.
constexpr int k_min_year = 1;
constexpr int k_max_year = 9999;
constexpr sys_days k_first_day{std::chrono::year{k_min_year} / 1 / 1};
constexpr sys_days k_last_day{std::chrono::year{k_max_year} / 12 / 31};

// Longer than any form of the grammar with generous blanks; anything longer is rejected
// before it is copied.
constexpr std::size_t k_max_text_length = 64;
// Quoted input in error messages is cut here, so hostile input cannot flood the terminal.
constexpr std::size_t k_max_quoted_length = 40;
// +999999d is already past year 9999; more digits can only be out of range.
constexpr std::size_t k_max_relative_digits = 6;

constexpr std::string_view k_date_hint =
    "use YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM], today, tomorrow, yesterday, a weekday "
    "(fri, friday), +3d, +2w, -3d, +5h, eod, eow, now or an ISO week (2026-W48)";
constexpr std::string_view k_ambiguous_hint = "write dates as YYYY-MM-DD, e.g. 2026-12-01";
constexpr std::string_view k_week_hint = "write weeks as YYYY-Www, e.g. 2026-W48";

// Indexed by struct tm's tm_wday (0 = Sunday); strftime's %a would follow the locale.
constexpr std::array<std::string_view, 7> k_weekday_abbreviations{"Sun", "Mon", "Tue", "Wed",
                                                                  "Thu", "Fri", "Sat"};
// Indexed by ISO weekday - 1 (0 = Monday).
constexpr std::array<std::string_view, 7> k_weekday_names{
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

struct TimeOfDay {
    int hour = 0;
    int minute = 0;
    int second = 0;
};

constexpr TimeOfDay k_end_of_working_day{17, 0, 0};

TimeOfDay time_of_day_for(DateRole role) {
    switch (role) {
    case DateRole::deadline:
        return k_end_of_working_day;
    case DateRole::start:
        return {0, 0, 0};
    case DateRole::end:
        return {23, 59, 59};
    }
    return k_end_of_working_day;
}

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}


bool is_control(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
}

// Every isspace() blank, \v and \f too (text.hpp's trim keeps those): a date never carries them.
std::string_view trim_space(std::string_view text) {
    while (!text.empty() && is_blank(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_blank(text.back()))
        text.remove_suffix(1);
    return text;
}

bool has_control(std::string_view text) {
    for (const char c : text)
        if (is_control(c))
            return true;
    return false;
}

// ASCII only: std::tolower depends on the locale.
// The user's text, safe to print: control bytes become '?', long input is cut on a UTF-8
// boundary.
std::string quoted(std::string_view text) {
    std::size_t keep = text.size();
    if (keep > k_max_quoted_length) {
        keep = k_max_quoted_length;
        while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xC0) == 0x80)
            --keep;
    }
    std::string out = "'";
    for (const char c : text.substr(0, keep))
        out += is_control(c) ? '?' : c;
    if (keep < text.size())
        out += "...";
    out += '\'';
    return out;
}

[[noreturn]] void throw_invalid_date(std::string_view text, std::string_view reason = {}) {
    std::string message = "invalid date " + quoted(text);
    if (!reason.empty()) {
        message += ": ";
        message += reason;
    }
    throw Error{ErrorKind::usage, std::move(message), std::string{k_date_hint}};
}

[[noreturn]] void throw_invalid_week(std::string_view text, std::string_view reason = {}) {
    std::string message = "invalid week " + quoted(text);
    if (!reason.empty()) {
        message += ": ";
        message += reason;
    }
    throw Error{ErrorKind::usage, std::move(message), std::string{k_week_hint}};
}

std::string no_such_week(IsoWeek w) {
    if (w.year < k_min_year || w.year > k_max_year)
        return "no such year";
    return std::to_string(w.year) + " has no week " + std::to_string(w.week);
}

// A small forward-only reader over the text being parsed.
class Cursor {
  public:
    explicit Cursor(std::string_view text) : m_text(text) {}

    bool done() const { return m_pos == m_text.size(); }

    bool eat(char c) {
        if (done() || m_text[m_pos] != c)
            return false;
        ++m_pos;
        return true;
    }

    bool eat_blanks() {
        const std::size_t start = m_pos;
        while (!done() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t'))
            ++m_pos;
        return m_pos != start;
    }

    // Exactly count ASCII digits (count <= 4, so the value always fits).
    std::optional<int> digits(std::size_t count) {
        if (m_text.size() - m_pos < count)
            return std::nullopt;
        int value = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const char c = m_text[m_pos + i];
            if (!is_ascii_digit(c))
                return std::nullopt;
            value = value * 10 + (c - '0');
        }
        m_pos += count;
        return value;
    }

  private:
    std::string_view m_text;
    std::size_t m_pos = 0;
};

enum class Syntax {
    strict, // parse_iso8601: 'T' and 'Z' in upper case, no blank separator
    human,  // parse_human_date on lower-cased text: 't' or blanks, 'z'
};

struct DateTimeParts {
    int year = 0;
    int month = 0;
    int day = 0;
    bool has_time = false;
    int hour = 0;
    int minute = 0;
    int second = 0;
    bool has_offset = false;
    int offset_sign = 1;
    int offset_hours = 0;
    int offset_minutes = 0;
};

// Recognises the shape YYYY-MM-DD[(T|blanks)HH:MM[:SS][Z|±HH:MM]]; values are checked by
// problem_with so that "2026-02-30" is reported as impossible rather than unrecognised.
std::optional<DateTimeParts> scan_date_time(std::string_view text, Syntax syntax) {
    Cursor in{text};
    DateTimeParts parts;
    const auto year = in.digits(4);
    if (!year || !in.eat('-'))
        return std::nullopt;
    const auto month = in.digits(2);
    if (!month || !in.eat('-'))
        return std::nullopt;
    const auto day = in.digits(2);
    if (!day)
        return std::nullopt;
    parts.year = *year;
    parts.month = *month;
    parts.day = *day;
    if (in.done())
        return parts;

    const bool separated =
        syntax == Syntax::strict ? in.eat('T') : (in.eat('t') || in.eat_blanks());
    if (!separated)
        return std::nullopt;
    const auto hour = in.digits(2);
    if (!hour || !in.eat(':'))
        return std::nullopt;
    const auto minute = in.digits(2);
    if (!minute)
        return std::nullopt;
    parts.has_time = true;
    parts.hour = *hour;
    parts.minute = *minute;
    if (in.eat(':')) {
        const auto second = in.digits(2);
        if (!second)
            return std::nullopt;
        parts.second = *second;
    }
    if (in.done())
        return parts;

    if (in.eat(syntax == Syntax::strict ? 'Z' : 'z')) {
        parts.has_offset = true;
    } else {
        if (in.eat('-'))
            parts.offset_sign = -1;
        else if (!in.eat('+'))
            return std::nullopt;
        const auto offset_hours = in.digits(2);
        if (!offset_hours || !in.eat(':'))
            return std::nullopt;
        const auto offset_minutes = in.digits(2);
        if (!offset_minutes)
            return std::nullopt;
        parts.has_offset = true;
        parts.offset_hours = *offset_hours;
        parts.offset_minutes = *offset_minutes;
    }
    if (!in.done())
        return std::nullopt;
    return parts;
}

year_month_day date_of(const DateTimeParts &parts) {
    return year_month_day{std::chrono::year{parts.year},
                          std::chrono::month{static_cast<unsigned>(parts.month)},
                          std::chrono::day{static_cast<unsigned>(parts.day)}};
}

// Why the values of a well-shaped date are impossible; empty when they are fine.
std::string_view problem_with(const DateTimeParts &parts) {
    if (parts.year < k_min_year)
        return "no such year";
    if (parts.month < 1 || parts.month > 12)
        return "no such month";
    if (!date_of(parts).ok())
        return "no such day";
    if (parts.hour > 23)
        return "no such hour";
    if (parts.minute > 59)
        return "no such minute";
    // No leap seconds: sys_seconds cannot represent them.
    if (parts.second > 59)
        return "no such second";
    if (parts.offset_hours > 23 || parts.offset_minutes > 59)
        return "no such UTC offset";
    return {};
}

// Only for parts with has_offset: the wall time minus its offset.
TimePoint absolute_time_of(const DateTimeParts &parts) {
    const seconds offset =
        parts.offset_sign * (hours{parts.offset_hours} + minutes{parts.offset_minutes});
    return TimePoint{sys_days{date_of(parts)}} + hours{parts.hour} + minutes{parts.minute} +
           seconds{parts.second} - offset;
}

bool in_supported_range(sys_days d) { return d >= k_first_day && d <= k_last_day; }

bool in_supported_range(TimePoint t) {
    return t >= TimePoint{k_first_day} && t < TimePoint{k_last_day + days{1}};
}

// The C library's time zone is process-wide state, so this is too: TZ as last applied, and
// whether a change awaits tzset() (glibc's localtime_r reads TZ only once per process by itself).
struct ZoneState {
    std::mutex mutex;
    bool called = false;
    std::optional<std::string> last;
    std::atomic<bool> changed{false};
};

ZoneState& zone_state() {
    static ZoneState state;
    return state;
}

std::optional<std::tm> local_tm(TimePoint t) {
    const std::int64_t count = t.time_since_epoch().count();
    const auto as_time_t = static_cast<std::time_t>(count);
    if (static_cast<std::int64_t>(as_time_t) != count)
        return std::nullopt;
    // At the first local time after a change of TZ, so a command without one pays nothing.
    std::atomic<bool>& tz_changed = zone_state().changed;
    if (tz_changed.load(std::memory_order_acquire) && tz_changed.exchange(false))
        ::tzset();
    std::tm tm{};
    if (::localtime_r(&as_time_t, &tm) == nullptr)
        return std::nullopt;
    return tm;
}

// Seconds east of UTC in effect at t.
std::optional<long> utc_offset_at(TimePoint t) {
    const auto tm = local_tm(t);
    if (!tm)
        return std::nullopt;
    return tm->tm_gmtoff;
}

// The instant a local wall-clock time denotes. Deterministic on purpose, instead of
// mktime(tm_isdst = -1): glibc's mktime resolves an ambiguous time (the repeated hour of the
// autumn change) from an offset cached by the previous call, so the answer depended on
// history. The rule is RFC 5545's (§3.3.5), also java.time's default:
//   - an ambiguous time (fall-back) is its first occurrence, the earlier instant;
//   - a time in a spring-forward gap is read with the offset in effect before the gap, so it
//     moves forward by the length of the gap (02:30 in Berlin on 2026-03-29 is 03:30 CEST).
// An offset change happens at most once within a day on either side of the wall time in every
// real zone, so the offsets a day before and a day after are the only candidates.
std::optional<TimePoint> local_to_time_point(year_month_day date, TimeOfDay time) {
    if (!date.ok() || !in_supported_range(sys_days{date}))
        return std::nullopt;
    const TimePoint wall =
        TimePoint{sys_days{date}} + hours{time.hour} + minutes{time.minute} + seconds{time.second};
    const auto offset_before = utc_offset_at(wall - days{1});
    const auto offset_after = utc_offset_at(wall + days{1});
    if (!offset_before || !offset_after)
        return std::nullopt;

    const TimePoint with_before = wall - seconds{*offset_before};
    const TimePoint with_after = wall - seconds{*offset_after};
    const bool before_fits = utc_offset_at(with_before) == offset_before;
    const bool after_fits = utc_offset_at(with_after) == offset_after;
    if (before_fits && after_fits)
        return std::min(with_before, with_after);
    if (after_fits)
        return with_after;
    return with_before;
}

std::optional<year_month_day> local_date_of(TimePoint t) {
    const auto tm = local_tm(t);
    if (!tm)
        return std::nullopt;
    const year_month_day date{std::chrono::year{tm->tm_year + 1900},
                              std::chrono::month{static_cast<unsigned>(tm->tm_mon + 1)},
                              std::chrono::day{static_cast<unsigned>(tm->tm_mday)}};
    if (!date.ok())
        return std::nullopt;
    return date;
}

std::optional<year_month_day> shift_days(year_month_day date, std::int64_t count) {
    const sys_days shifted = sys_days{date} + days{count};
    if (!in_supported_range(shifted))
        return std::nullopt;
    return year_month_day{shifted};
}

IsoWeek iso_week_of_day(sys_days d) {
    // The ISO year of a week is the year of its Thursday.
    const auto iso_weekday = static_cast<int>(std::chrono::weekday{d}.iso_encoding());
    const sys_days thursday = d + days{4 - iso_weekday};
    const std::chrono::year year = year_month_day{thursday}.year();
    const sys_days first_of_year{year / 1 / 1};
    return {static_cast<int>(year), static_cast<int>((thursday - first_of_year).count() / 7 + 1)};
}

bool week_exists(IsoWeek w) {
    return w.year >= k_min_year && w.year <= k_max_year && w.week >= 1 &&
           w.week <= iso_weeks_in_year(w.year);
}

// Only for weeks that exist.
sys_days iso_week_monday(IsoWeek w) {
    // Week 1 is the week with January 4th in it.
    const sys_days january_4{std::chrono::year{w.year} / 1 / 4};
    const sys_days week_1_monday =
        january_4 - (std::chrono::weekday{january_4} - std::chrono::Monday);
    return week_1_monday + days{7 * (w.week - 1)};
}

// Recognises YYYY-Www and YYYYWww in lower case; the week is not checked against the year.
std::optional<IsoWeek> scan_iso_week(std::string_view lower) {
    Cursor in{lower};
    const auto year = in.digits(4);
    if (!year)
        return std::nullopt;
    in.eat('-');
    if (!in.eat('w'))
        return std::nullopt;
    const auto week = in.digits(2);
    if (!week || !in.done())
        return std::nullopt;
    return IsoWeek{*year, *week};
}

// 0 = Monday .. 6 = Sunday.
std::optional<int> weekday_named(std::string_view lower) {
    for (std::size_t i = 0; i < k_weekday_names.size(); ++i) {
        const std::string_view name = k_weekday_names[i];
        if (lower == name || lower == name.substr(0, 3))
            return static_cast<int>(i);
    }
    return std::nullopt;
}

// D/M/Y or M/D/Y with slashes or dots: refused with a hint rather than guessed.
bool looks_like_ambiguous_date(std::string_view lower) {
    bool has_digit = false;
    bool has_separator = false;
    for (const char c : lower) {
        if (is_ascii_digit(c))
            has_digit = true;
        else if (c == '/' || c == '.')
            has_separator = true;
        else if (c != '-')
            return false;
    }
    return has_digit && has_separator;
}

struct Relative {
    int sign = 1;
    std::string_view digits;
    char unit = 0;
};

// [+-]N[dwh] in lower case.
std::optional<Relative> scan_relative(std::string_view lower) {
    if (lower.size() < 3 || (lower.front() != '+' && lower.front() != '-'))
        return std::nullopt;
    Relative relative;
    relative.sign = lower.front() == '-' ? -1 : 1;
    relative.unit = lower.back();
    if (relative.unit != 'd' && relative.unit != 'w' && relative.unit != 'h')
        return std::nullopt;
    relative.digits = lower.substr(1, lower.size() - 2);
    for (const char c : relative.digits)
        if (!is_ascii_digit(c))
            return std::nullopt;
    // Leading zeros do not count against the digit limit.
    while (relative.digits.size() > 1 && relative.digits.front() == '0')
        relative.digits.remove_prefix(1);
    return relative;
}

struct ClockTime {
    int hour = 0;
    int minute = 0;
    bool valid = false; // within 00:00..23:59
};

// "9:30", "09:30": one or two digits, a colon, two digits; nullopt for anything else.
std::optional<ClockTime> scan_clock_time(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || colon < 1 || colon > 2 || text.size() != colon + 3)
        return std::nullopt;
    for (std::size_t i = 0; i < text.size(); ++i)
        if (i != colon && !is_ascii_digit(text[i]))
            return std::nullopt;
    ClockTime t;
    t.hour = colon == 1 ? text[0] - '0' : (text[0] - '0') * 10 + (text[1] - '0');
    t.minute = (text[colon + 1] - '0') * 10 + (text[colon + 2] - '0');
    t.valid = t.hour < 24 && t.minute < 60;
    return t;
}

std::string plural(std::int64_t count, std::string_view unit) {
    std::string out = std::to_string(count);
    out += ' ';
    out += unit;
    if (count != 1)
        out += 's';
    return out;
}

std::string relative_phrase(std::int64_t count, std::string_view unit, bool future) {
    return future ? "in " + plural(count, unit) : plural(count, unit) + " ago";
}

// value as at least width decimal digits, zero-padded ("%0*u" without printf's cost: dates
// are formatted once per row of long listings).
void append_padded(std::string& out, unsigned value, int width) {
    char digits[10];
    int n = 0;
    do {
        digits[n++] = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value != 0);
    for (int k = n; k < width; ++k) {
        out += '0';
    }
    while (n > 0) {
        out += digits[--n];
    }
}

// "2026-11-26" of a year 0 to 9999; false for another year.
bool append_date(std::string& out, int year, unsigned month, unsigned day) {
    if (year < 0 || year > 9999) {
        return false;
    }
    append_padded(out, static_cast<unsigned>(year), 4);
    out += '-';
    append_padded(out, month, 2);
    out += '-';
    append_padded(out, day, 2);
    return true;
}

std::string format_date(year_month_day date) {
    std::string out;
    if (append_date(out, static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                    static_cast<unsigned>(date.day()))) {
        return out;
    }
    std::array<char, 32> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return buffer.data();
}

} // namespace

TimePoint parse_human_date(std::string_view text, TimePoint now, DateRole role) {
    const std::string_view trimmed = trim_space(text);
    if (trimmed.empty() || trimmed.size() > k_max_text_length || has_control(trimmed))
        throw_invalid_date(trimmed);
    const std::string lower = to_lower_ascii(trimmed);

    if (lower == "now")
        return now;

    const auto today = [&] {
        const auto date = local_date_of(now);
        if (!date || !in_supported_range(sys_days{*date}))
            throw_invalid_date(trimmed, "the current time is out of range");
        return *date;
    };
    const auto at = [&](std::optional<year_month_day> date, TimeOfDay time) {
        if (!date)
            throw_invalid_date(trimmed, "out of range");
        const auto resolved = local_to_time_point(*date, time);
        if (!resolved)
            throw_invalid_date(trimmed, "out of range");
        return *resolved;
    };
    TimeOfDay role_time = time_of_day_for(role);

    // "tomorrow 10:00", "fri 9:30", "+2d 14:00": a day word then a time of day. A date with a
    // blank before its time (2026-12-01 15:00) is the ISO form's, below.
    std::string_view day_word = lower;
    if (const auto blank = lower.rfind(' '); blank != std::string::npos) {
        const std::string_view head = trim_space(std::string_view{lower}.substr(0, blank));
        const auto clock = scan_clock_time(std::string_view{lower}.substr(blank + 1));
        if (clock && !head.empty() && !is_ascii_digit(head.front())) {
            if (!clock->valid)
                throw_invalid_date(trimmed, "no such time of day");
            if (head == "now" || head == "eod" || head == "eow" || head.back() == 'h')
                throw_invalid_date(trimmed, "give a day, then a time");
            day_word = head;
            role_time = TimeOfDay{clock->hour, clock->minute, 0};
        }
    }
    if (day_word != std::string_view{lower}) {
        if (day_word == "today")
            return at(today(), role_time);
        if (day_word == "tomorrow")
            return at(shift_days(today(), 1), role_time);
        if (day_word == "yesterday")
            return at(shift_days(today(), -1), role_time);
        if (const auto wanted = weekday_named(day_word)) {
            const year_month_day date = today();
            const int current =
                static_cast<int>(std::chrono::weekday{sys_days{date}}.iso_encoding()) - 1;
            return at(shift_days(date, (*wanted - current + 6) % 7 + 1), role_time);
        }
        if (const auto relative = scan_relative(day_word); relative && relative->unit != 'h') {
            if (relative->digits.size() > k_max_relative_digits)
                throw_invalid_date(trimmed, "out of range");
            std::int64_t count = 0;
            std::from_chars(relative->digits.data(),
                            relative->digits.data() + relative->digits.size(), count);
            count *= relative->sign;
            return at(shift_days(today(), relative->unit == 'w' ? 7 * count : count), role_time);
        }
        throw_invalid_date(trimmed);
    }

    if (lower == "today")
        return at(today(), role_time);
    if (lower == "tomorrow")
        return at(shift_days(today(), 1), role_time);
    if (lower == "yesterday")
        return at(shift_days(today(), -1), role_time);
    if (lower == "eod")
        return at(today(), k_end_of_working_day);
    if (lower == "eow") {
        const year_month_day date = today();
        const auto iso_weekday =
            static_cast<int>(std::chrono::weekday{sys_days{date}}.iso_encoding());
        const TimePoint this_friday = at(shift_days(date, 5 - iso_weekday), k_end_of_working_day);
        if (now <= this_friday)
            return this_friday;
        return at(shift_days(date, 12 - iso_weekday), k_end_of_working_day);
    }
    if (const auto wanted = weekday_named(lower)) {
        const year_month_day date = today();
        const int current =
            static_cast<int>(std::chrono::weekday{sys_days{date}}.iso_encoding()) - 1;
        // Strictly after today: naming today's weekday means a week from now.
        const int ahead = (*wanted - current + 6) % 7 + 1;
        return at(shift_days(date, ahead), role_time);
    }
    if (const auto relative = scan_relative(lower)) {
        if (relative->digits.size() > k_max_relative_digits)
            throw_invalid_date(trimmed, "out of range");
        std::int64_t count = 0;
        std::from_chars(relative->digits.data(), relative->digits.data() + relative->digits.size(),
                        count);
        count *= relative->sign;
        if (relative->unit == 'h') {
            if (!in_supported_range(now))
                throw_invalid_date(trimmed, "the current time is out of range");
            const TimePoint later = now + hours{count};
            if (!in_supported_range(later))
                throw_invalid_date(trimmed, "out of range");
            return later;
        }
        const std::int64_t day_count = relative->unit == 'w' ? 7 * count : count;
        return at(shift_days(today(), day_count), role_time);
    }
    if (const auto parts = scan_date_time(lower, Syntax::human)) {
        if (const std::string_view problem = problem_with(*parts); !problem.empty())
            throw_invalid_date(trimmed, problem);
        if (parts->has_offset)
            return absolute_time_of(*parts);
        const TimeOfDay time =
            parts->has_time ? TimeOfDay{parts->hour, parts->minute, parts->second} : role_time;
        return at(date_of(*parts), time);
    }
    if (const auto week = scan_iso_week(lower)) {
        if (!week_exists(*week))
            throw_invalid_date(trimmed, no_such_week(*week));
        const sys_days monday = iso_week_monday(*week);
        if (role == DateRole::end)
            return at(year_month_day{monday + days{6}}, role_time);
        return at(year_month_day{monday}, role_time);
    }
    if (looks_like_ambiguous_date(lower))
        throw Error{ErrorKind::usage, "ambiguous date " + quoted(trimmed),
                    std::string{k_ambiguous_hint}};
    throw_invalid_date(trimmed);
}

std::optional<TimePoint> parse_iso8601(std::string_view text) {
    const auto parts = scan_date_time(text, Syntax::strict);
    if (!parts || !problem_with(*parts).empty())
        return std::nullopt;
    if (!parts->has_time)
        return TimePoint{sys_days{date_of(*parts)}};
    // A time without an offset would depend on the reader's time zone.
    if (!parts->has_offset)
        return std::nullopt;
    return absolute_time_of(*parts);
}

std::string format_utc_stamp(TimePoint t) {
    std::string stamp = format_utc(t);
    std::erase(stamp, ':');
    std::erase(stamp, '-');
    return stamp;
}

std::string format_utc(TimePoint t) {
    const sys_days day = std::chrono::floor<days>(t);
    const std::chrono::hh_mm_ss time{t - day};
    const year_month_day date{day};
    std::string out;
    if (append_date(out, static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                    static_cast<unsigned>(date.day()))) {
        out += 'T';
        append_padded(out, static_cast<unsigned>(time.hours().count()), 2);
        out += ':';
        append_padded(out, static_cast<unsigned>(time.minutes().count()), 2);
        out += ':';
        append_padded(out, static_cast<unsigned>(time.seconds().count()), 2);
        out += 'Z';
        return out;
    }
    std::array<char, 64> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%sT%02d:%02d:%02dZ",
                  format_date(year_month_day{day}).c_str(), static_cast<int>(time.hours().count()),
                  static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
    return buffer.data();
}

std::string format_local(TimePoint t) {
    const auto tm = local_tm(t);
    if (!tm)
        return format_utc(t);
    std::string out{k_weekday_abbreviations[static_cast<std::size_t>(tm->tm_wday) % 7]};
    out += ' ';
    if (append_date(out, tm->tm_year + 1900, static_cast<unsigned>(tm->tm_mon + 1), static_cast<unsigned>(tm->tm_mday))) {
        out += ' ';
        append_padded(out, static_cast<unsigned>(tm->tm_hour), 2);
        out += ':';
        append_padded(out, static_cast<unsigned>(tm->tm_min), 2);
        return out;
    }
    std::array<char, 64> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%s %04d-%02d-%02d %02d:%02d",
                  k_weekday_abbreviations[static_cast<std::size_t>(tm->tm_wday) % 7].data(),
                  tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min);
    return buffer.data();
}

std::string format_local_date(TimePoint t) {
    if (const auto date = local_date_of(t))
        return format_date(*date);
    return format_date(year_month_day{std::chrono::floor<days>(t)});
}

std::string format_relative(TimePoint t, TimePoint now) {
    const bool future = t > now;
    const seconds distance = future ? t - now : now - t;
    if (distance < minutes{1})
        return "just now";
    if (distance < hours{1})
        return relative_phrase(std::chrono::floor<minutes>(distance).count(), "minute", future);
    if (distance < days{1})
        return relative_phrase(std::chrono::floor<hours>(distance).count(), "hour", future);
    // From a day on, count local calendar days (Thursday evening to Saturday morning is "in
    // 2 days"); at least 1, since 24 hours can stay within one 25-hour autumn day.
    std::int64_t day_count = std::chrono::floor<days>(distance).count();
    const auto date_t = local_date_of(t);
    const auto date_now = local_date_of(now);
    if (date_t && date_now) {
        const auto calendar = (sys_days{*date_t} - sys_days{*date_now}).count();
        day_count = std::max<std::int64_t>(1, future ? calendar : -calendar);
    }
    return relative_phrase(day_count, "day", future);
}

IsoWeek iso_week_of(TimePoint t) {
    if (const auto date = local_date_of(t))
        return iso_week_of_day(sys_days{*date});
    return iso_week_of_day(std::chrono::floor<days>(t));
}

IsoWeek parse_iso_week(std::string_view text) {
    const std::string_view trimmed = trim_space(text);
    if (trimmed.empty() || trimmed.size() > k_max_text_length || has_control(trimmed))
        throw_invalid_week(trimmed);
    const auto week = scan_iso_week(to_lower_ascii(trimmed));
    if (!week)
        throw_invalid_week(trimmed);
    if (!week_exists(*week))
        throw_invalid_week(trimmed, no_such_week(*week));
    return *week;
}

std::string format_iso_week(IsoWeek w) {
    std::array<char, 32> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%04d-W%02d", w.year, w.week);
    return buffer.data();
}

TimePoint iso_week_start(IsoWeek w) {
    if (!week_exists(w))
        throw_invalid_week(format_iso_week(w), no_such_week(w));
    const auto start = local_to_time_point(year_month_day{iso_week_monday(w)}, TimeOfDay{});
    if (!start)
        throw_invalid_week(format_iso_week(w), "out of range");
    return *start;
}

int iso_weeks_in_year(int year) {
    // December 28th is always in the last week of its ISO year.
    return iso_week_of_day(sys_days{std::chrono::year{year} / 12 / 28}).week;
}

void follow_time_zone(const Env& env) {
    ZoneState& zone = zone_state();
    std::optional<std::string> tz = env.get("TZ");
    std::lock_guard lock{zone.mutex};
    if (zone.called && tz == zone.last) {
        return;
    }
    zone.last = std::move(tz);
    zone.called = true;
    zone.changed.store(true, std::memory_order_release);
}

std::optional<int> weekday_from_name(std::string_view text) {
    std::string lower;
    for (char c : text) {
        lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    std::size_t from = lower.find_first_not_of(" \t");
    std::size_t to = lower.find_last_not_of(" \t");
    if (from == std::string::npos) {
        return std::nullopt;
    }
    return weekday_named(std::string_view{lower}.substr(from, to - from + 1));
}

std::chrono::minutes parse_duration(std::string_view text) {
    const std::string_view trimmed = trim_space(text);
    const auto refuse = [&](std::string_view reason) -> std::chrono::minutes {
        std::string message = "invalid duration " + quoted(trimmed);
        if (!reason.empty())
            message += ": " + std::string{reason};
        throw Error{ErrorKind::usage, message, "use minutes and hours: 30m, 1h, 1h30m, 90m"};
    };
    if (trimmed.empty() || trimmed.size() > 16 || has_control(trimmed))
        return refuse({});
    const std::string lower = to_lower_ascii(trimmed);
    std::int64_t total = 0;
    std::int64_t number = 0;
    std::size_t digits = 0;
    bool hours_seen = false;
    bool minutes_seen = false;
    for (const char c : lower) {
        if (is_ascii_digit(c)) {
            if (++digits > 4)
                return refuse("too long");
            number = number * 10 + (c - '0');
            continue;
        }
        if (digits == 0 || (c != 'h' && c != 'm') || minutes_seen || (c == 'h' && hours_seen))
            return refuse({});
        total += c == 'h' ? number * 60 : number;
        hours_seen = hours_seen || c == 'h';
        minutes_seen = c == 'm';
        number = 0;
        digits = 0;
    }
    if (digits != 0)
        return refuse("give a unit, h or m");
    if (total <= 0)
        return refuse("it must be longer than zero");
    if (total > k_max_duration_minutes)
        return refuse("longer than a week");
    return std::chrono::minutes{total};
}

bool has_iso_date_shape(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return false;
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (i != 4 && i != 7 && !is_ascii_digit(text[i])) {
            return false;
        }
    }
    return true;
}

} // namespace async
