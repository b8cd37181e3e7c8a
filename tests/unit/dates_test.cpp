#include <async/dates.hpp>
#include <async/error.hpp>

#include <doctest/doctest.h>

#include <stdlib.h>
#include <time.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace {

using async::DateRole;
using async::IsoWeek;
using async::TimePoint;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// Sets TZ for the lifetime of the object and restores the previous value.
class ScopedTz {
  public:
    explicit ScopedTz(const char *tz) {
        if (const char *old = std::getenv("TZ"))
            m_old = old;
        ::setenv("TZ", tz, 1);
        ::tzset();
    }
    ~ScopedTz() {
        if (m_old)
            ::setenv("TZ", m_old->c_str(), 1);
        else
            ::unsetenv("TZ");
        ::tzset();
    }
    ScopedTz(const ScopedTz &) = delete;
    ScopedTz &operator=(const ScopedTz &) = delete;

  private:
    std::optional<std::string> m_old;
};

// Built without the code under test.
TimePoint utc(int y, unsigned m, unsigned d, int h = 0, int min = 0, int s = 0) {
    return TimePoint{std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} /
                                           std::chrono::day{d}}} +
           hours{h} + minutes{min} + seconds{s};
}

// Thursday 2026-11-26 10:15:00 UTC.
const TimePoint k_thursday = utc(2026, 11, 26, 10, 15);

TimePoint parse(std::string_view text, TimePoint now = k_thursday,
                DateRole role = DateRole::deadline) {
    return async::parse_human_date(text, now, role);
}

template <class F> std::optional<async::Error> error_from(F &&f) {
    try {
        f();
    } catch (const async::Error &e) {
        return e;
    }
    return std::nullopt;
}

std::optional<async::Error> date_error(std::string_view text, TimePoint now = k_thursday,
                                       DateRole role = DateRole::deadline) {
    return error_from([&] { async::parse_human_date(text, now, role); });
}

// The message of the usage error text raises, or "no usage error" so CHECKs show it.
std::string date_error_message(std::string_view text, TimePoint now = k_thursday) {
    const auto error = date_error(text, now);
    if (!error || error->kind() != async::ErrorKind::usage)
        return "no usage error";
    return error->what();
}

std::string week_error_message(std::string_view text) {
    const auto error = error_from([&] { async::parse_iso_week(text); });
    if (!error || error->kind() != async::ErrorKind::usage)
        return "no usage error";
    return error->what();
}

} // namespace

TEST_CASE("dates::parse_human_date") {
    const ScopedTz tz{"UTC"};

    SUBCASE("a date alone takes its time of day from the role") {
        CHECK(parse("2026-12-01", k_thursday, DateRole::deadline) == utc(2026, 12, 1, 17));
        CHECK(parse("2026-12-01", k_thursday, DateRole::start) == utc(2026, 12, 1, 0));
        CHECK(parse("2026-12-01", k_thursday, DateRole::end) == utc(2026, 12, 1, 23, 59, 59));
    }

    SUBCASE("date and time") {
        CHECK(parse("2026-12-01T15:00") == utc(2026, 12, 1, 15));
        CHECK(parse("2026-12-01 15:00") == utc(2026, 12, 1, 15));
        CHECK(parse("2026-12-01T15:00:30") == utc(2026, 12, 1, 15, 0, 30));
        CHECK(parse("2026-12-01T15:00", k_thursday, DateRole::start) == utc(2026, 12, 1, 15));
    }

    SUBCASE("an offset makes the time absolute") {
        const ScopedTz berlin{"Europe/Berlin"};
        CHECK(parse("2026-12-01T15:00Z") == utc(2026, 12, 1, 15));
        CHECK(parse("2026-12-01T15:00+01:00") == utc(2026, 12, 1, 14));
        CHECK(parse("2026-12-01T15:00:00-05:30") == utc(2026, 12, 1, 20, 30));
        CHECK(parse("2026-12-01 15:00:00Z") == utc(2026, 12, 1, 15));
    }

    SUBCASE("without an offset the time is local") {
        const ScopedTz berlin{"Europe/Berlin"};
        CHECK(parse("2026-12-01T15:00") == utc(2026, 12, 1, 14));
        CHECK(parse("2026-07-01T15:00") == utc(2026, 7, 1, 13));
        CHECK(parse("2026-07-01", k_thursday, DateRole::start) == utc(2026, 6, 30, 22));
    }

    SUBCASE("case and surrounding blanks do not matter") {
        CHECK(parse("  TOMORROW\t") == utc(2026, 11, 27, 17));
        CHECK(parse("Friday") == utc(2026, 11, 27, 17));
        CHECK(parse("2026-12-01t15:00z") == utc(2026, 12, 1, 15));
        CHECK(parse("\n+3D ") == utc(2026, 11, 29, 17));
        CHECK(parse("EOW") == utc(2026, 11, 27, 17));
    }

    SUBCASE("today, tomorrow, yesterday") {
        CHECK(parse("today") == utc(2026, 11, 26, 17));
        CHECK(parse("today", k_thursday, DateRole::start) == utc(2026, 11, 26, 0));
        CHECK(parse("tomorrow") == utc(2026, 11, 27, 17));
        CHECK(parse("tomorrow", k_thursday, DateRole::end) == utc(2026, 11, 27, 23, 59, 59));
        CHECK(parse("yesterday") == utc(2026, 11, 25, 17));
        CHECK(parse("yesterday", k_thursday, DateRole::start) == utc(2026, 11, 25, 0));
        CHECK(parse("tomorrow", utc(2026, 12, 31, 12)) == utc(2027, 1, 1, 17));
        CHECK(parse("yesterday", utc(2026, 3, 1, 12)) == utc(2026, 2, 28, 17));
    }

    SUBCASE("weekday names are the next such day, never today") {
        // k_thursday is a Thursday.
        CHECK(parse("thu") == utc(2026, 12, 3, 17));
        CHECK(parse("thursday") == utc(2026, 12, 3, 17));
        CHECK(parse("fri") == utc(2026, 11, 27, 17));
        CHECK(parse("sat") == utc(2026, 11, 28, 17));
        CHECK(parse("sun") == utc(2026, 11, 29, 17));
        CHECK(parse("monday") == utc(2026, 11, 30, 17));
        CHECK(parse("tue") == utc(2026, 12, 1, 17));
        CHECK(parse("wednesday") == utc(2026, 12, 2, 17));
        CHECK(parse("mon", k_thursday, DateRole::start) == utc(2026, 11, 30, 0));
        CHECK(parse("sun", k_thursday, DateRole::end) == utc(2026, 11, 29, 23, 59, 59));
        // Across a year end, from Thursday 2026-12-31.
        CHECK(parse("mon", utc(2026, 12, 31, 9)) == utc(2027, 1, 4, 17));
    }

    SUBCASE("relative days and weeks shift the date; the role decides the time") {
        CHECK(parse("+3d") == utc(2026, 11, 29, 17));
        CHECK(parse("+3d", k_thursday, DateRole::start) == utc(2026, 11, 29, 0));
        CHECK(parse("-3d") == utc(2026, 11, 23, 17));
        CHECK(parse("+0d") == utc(2026, 11, 26, 17));
        CHECK(parse("+2w") == utc(2026, 12, 10, 17));
        CHECK(parse("-1w", k_thursday, DateRole::end) == utc(2026, 11, 19, 23, 59, 59));
        CHECK(parse("+0000001d") == utc(2026, 11, 27, 17));
    }

    SUBCASE("relative days across month and year ends") {
        CHECK(parse("+1d", utc(2026, 12, 31, 12)) == utc(2027, 1, 1, 17));
        CHECK(parse("+1w", utc(2026, 11, 28, 12)) == utc(2026, 12, 5, 17));
        CHECK(parse("+1w", utc(2026, 12, 28, 12)) == utc(2027, 1, 4, 17));
        CHECK(parse("-1d", utc(2026, 3, 1, 12)) == utc(2026, 2, 28, 17));
        CHECK(parse("-1d", utc(2028, 3, 1, 12)) == utc(2028, 2, 29, 17));
        CHECK(parse("+1d", utc(2028, 2, 28, 12)) == utc(2028, 2, 29, 17));
        CHECK(parse("+365d", utc(2027, 3, 1, 12)) == utc(2028, 2, 29, 17));
    }

    SUBCASE("relative hours are exact") {
        CHECK(parse("+5h") == utc(2026, 11, 26, 15, 15));
        CHECK(parse("-2h") == utc(2026, 11, 26, 8, 15));
        CHECK(parse("+5h", k_thursday, DateRole::start) == utc(2026, 11, 26, 15, 15));
        CHECK(parse("+20h") == utc(2026, 11, 27, 6, 15));
        CHECK(parse("+999999h") == k_thursday + hours{999999});
    }

    SUBCASE("eod is today 17:00 whatever the role") {
        CHECK(parse("eod") == utc(2026, 11, 26, 17));
        CHECK(parse("eod", k_thursday, DateRole::start) == utc(2026, 11, 26, 17));
        CHECK(parse("eod", utc(2026, 11, 26, 20)) == utc(2026, 11, 26, 17));
    }

    SUBCASE("eow is Friday 17:00 of this working week, next week's once past") {
        CHECK(parse("eow") == utc(2026, 11, 27, 17));
        CHECK(parse("eow", utc(2026, 11, 23, 8)) == utc(2026, 11, 27, 17));
        CHECK(parse("eow", utc(2026, 11, 27, 10)) == utc(2026, 11, 27, 17));
        CHECK(parse("eow", utc(2026, 11, 27, 17)) == utc(2026, 11, 27, 17));
        CHECK(parse("eow", utc(2026, 11, 27, 17, 0, 1)) == utc(2026, 12, 4, 17));
        CHECK(parse("eow", utc(2026, 11, 27, 18)) == utc(2026, 12, 4, 17));
        CHECK(parse("eow", utc(2026, 11, 28, 9)) == utc(2026, 12, 4, 17));
        CHECK(parse("eow", utc(2026, 11, 29, 9)) == utc(2026, 12, 4, 17));
        CHECK(parse("eow", k_thursday, DateRole::start) == utc(2026, 11, 27, 17));
        // Friday 2027-01-01 evening rolls into the next week across the year end.
        CHECK(parse("eow", utc(2026, 12, 30, 9)) == utc(2027, 1, 1, 17));
        CHECK(parse("eow", utc(2027, 1, 1, 18)) == utc(2027, 1, 8, 17));
    }

    SUBCASE("now is now") {
        CHECK(parse("now") == k_thursday);
        CHECK(parse("NOW", utc(2026, 1, 2, 3, 4, 5), DateRole::end) == utc(2026, 1, 2, 3, 4, 5));
    }

    SUBCASE("an ISO week is its Monday; for an end, its Sunday") {
        CHECK(parse("2026-W48") == utc(2026, 11, 23, 17));
        CHECK(parse("2026-w48", k_thursday, DateRole::start) == utc(2026, 11, 23, 0));
        CHECK(parse("2026W48", k_thursday, DateRole::end) == utc(2026, 11, 29, 23, 59, 59));
        CHECK(parse("2026-W53", k_thursday, DateRole::start) == utc(2026, 12, 28, 0));
        CHECK(parse("2026-W53", k_thursday, DateRole::end) == utc(2027, 1, 3, 23, 59, 59));
        CHECK(parse("2025-W01", k_thursday, DateRole::start) == utc(2024, 12, 30, 0));
        CHECK(date_error_message("2025-W53") == "invalid date '2025-W53': 2025 has no week 53");
        CHECK(date_error_message("2026-W00") == "invalid date '2026-W00': 2026 has no week 0");
    }

    SUBCASE("leap years") {
        CHECK(parse("2028-02-29") == utc(2028, 2, 29, 17));
        CHECK(parse("2000-02-29", k_thursday, DateRole::start) == utc(2000, 2, 29, 0));
        CHECK(date_error_message("2027-02-29") == "invalid date '2027-02-29': no such day");
        CHECK(date_error_message("2100-02-29") == "invalid date '2100-02-29': no such day");
    }

    SUBCASE("impossible dates and times") {
        CHECK(date_error_message("2026-02-30") == "invalid date '2026-02-30': no such day");
        CHECK(date_error_message("2026-04-31") == "invalid date '2026-04-31': no such day");
        CHECK(date_error_message("2026-12-00") == "invalid date '2026-12-00': no such day");
        CHECK(date_error_message("2026-13-01") == "invalid date '2026-13-01': no such month");
        CHECK(date_error_message("2026-00-10") == "invalid date '2026-00-10': no such month");
        CHECK(date_error_message("0000-01-01") == "invalid date '0000-01-01': no such year");
        CHECK(date_error_message("2026-12-01T25:00") ==
              "invalid date '2026-12-01T25:00': no such hour");
        CHECK(date_error_message("2026-12-01 24:00") ==
              "invalid date '2026-12-01 24:00': no such hour");
        CHECK(date_error_message("2026-12-01T15:60") ==
              "invalid date '2026-12-01T15:60': no such minute");
        CHECK(date_error_message("2026-12-01T15:00:60") ==
              "invalid date '2026-12-01T15:00:60': no such second");
        CHECK(date_error_message("2026-12-01T15:00+24:00") ==
              "invalid date '2026-12-01T15:00+24:00': no such UTC offset");
    }

    SUBCASE("ambiguous forms are refused with a hint") {
        const auto error = date_error("12/01/2026");
        REQUIRE(error);
        CHECK(error->kind() == async::ErrorKind::usage);
        CHECK(std::string{error->what()} == "ambiguous date '12/01/2026'");
        CHECK(error->hint() == "write dates as YYYY-MM-DD, e.g. 2026-12-01");
        CHECK(date_error_message("01.12.2026") == "ambiguous date '01.12.2026'");
        CHECK(date_error_message("2026/12/01") == "ambiguous date '2026/12/01'");
        CHECK(date_error_message("12/1") == "ambiguous date '12/1'");
    }

    SUBCASE("anything else is a usage error quoting the text, with the accepted forms") {
        const auto error = date_error("garbage");
        REQUIRE(error);
        CHECK(error->kind() == async::ErrorKind::usage);
        CHECK(std::string{error->what()} == "invalid date 'garbage'");
        CHECK(error->hint().find("YYYY-MM-DD") != std::string::npos);
        CHECK(error->hint().find("tomorrow") != std::string::npos);
        CHECK(error->hint().find("+3d") != std::string::npos);
        CHECK(error->hint().find("eow") != std::string::npos);

        CHECK(date_error_message("Garbage ") == "invalid date 'Garbage'");
        CHECK(date_error_message("") == "invalid date ''");
        CHECK(date_error_message(" \t ") == "invalid date ''");
        for (const std::string_view text : {"next friday",
                                            "fri,",
                                            "fr",
                                            "tomorow",
                                            "3d",
                                            "+3",
                                            "+d",
                                            "+3x",
                                            "+3.5d",
                                            "++3d",
                                            "+-3d",
                                            "+ 3d",
                                            "2026-12-1",
                                            "26-12-01",
                                            "20261201",
                                            "2026-12-01T",
                                            "2026-12-01T15",
                                            "2026-12-01T1500",
                                            "2026-12-01Z",
                                            "2026-12-01T15:00:00:00",
                                            "2026-12-01T15:00+0100",
                                            "2026-12-01T15:00+01",
                                            "2026-12-01T15:00:00.5Z",
                                            "2026-W5",
                                            "2026-W048",
                                            "W48",
                                            "eom",
                                            "12026-12-01"}) {
            CAPTURE(text);
            CHECK(date_error_message(text) == "invalid date '" + std::string{text} + "'");
        }
    }

    SUBCASE("hostile input is a usage error, never a crash") {
        const std::string huge(10 * 1024, 'a');
        CHECK(date_error_message(huge) == "invalid date '" + std::string(40, 'a') + "...'");

        const std::string digits(10 * 1024, '9');
        CHECK(date_error_message(digits) == "invalid date '" + std::string(40, '9') + "...'");
        CHECK(date_error_message("+" + digits + "d") ==
              "invalid date '+" + std::string(39, '9') + "...'");

        using namespace std::string_view_literals;
        CHECK(date_error_message("tomorrow\0x"sv) == "invalid date 'tomorrow?x'");
        CHECK(date_error_message("2026-12-01\0"sv) == "invalid date '2026-12-01?'");
        CHECK(date_error_message("\0"sv) == "invalid date '?'");
        CHECK(date_error_message("fri\x1b[31m") == "invalid date 'fri?[31m'");

        CHECK(date_error_message("+99999999999d") == "invalid date '+99999999999d': out of range");
        CHECK(date_error_message("-99999999999w") == "invalid date '-99999999999w': out of range");
        CHECK(date_error_message("+99999999999999999999999h") ==
              "invalid date '+99999999999999999999999h': out of range");
        CHECK(date_error_message("-999999d") == "invalid date '-999999d': out of range");
        CHECK(date_error_message("+999999w") == "invalid date '+999999w': out of range");
        CHECK(parse("+999999d", k_thursday, DateRole::start) ==
              utc(2026, 11, 26) + std::chrono::days{999999});
        CHECK(date_error_message("-999999w") == "invalid date '-999999w': out of range");

        // Cut on a character boundary: byte 40 would split the 20th 'é'.
        std::string accents = "a";
        for (int i = 0; i < 50; ++i)
            accents += "\xc3\xa9";
        std::string expected = "invalid date 'a";
        for (int i = 0; i < 19; ++i)
            expected += "\xc3\xa9";
        CHECK(date_error_message(accents) == expected + "...'");
    }

    SUBCASE("the edges of the supported years") {
        const TimePoint last_day = utc(9999, 12, 31, 12);
        CHECK(parse("now", last_day) == last_day);
        CHECK(parse("today", last_day) == utc(9999, 12, 31, 17));
        CHECK(date_error_message("+1d", last_day) == "invalid date '+1d': out of range");
        CHECK(date_error_message("tomorrow", last_day) == "invalid date 'tomorrow': out of range");
        CHECK(date_error_message("+12h", last_day) == "invalid date '+12h': out of range");
        CHECK(date_error_message("-1d", utc(1, 1, 1, 12)) == "invalid date '-1d': out of range");
        CHECK(parse("0001-01-01", k_thursday, DateRole::start) == utc(1, 1, 1));
    }
}

TEST_CASE("dates::parse_human_date across DST changes") {
    const ScopedTz tz{"Europe/Berlin"};

    SUBCASE("spring forward (2026-03-29 02:00 CET -> 03:00 CEST)") {
        const TimePoint saturday = utc(2026, 3, 28, 12); // 13:00 CET
        CHECK(parse("today", saturday) == utc(2026, 3, 28, 16));
        CHECK(parse("tomorrow", saturday) == utc(2026, 3, 29, 15));
        CHECK(parse("+1d", saturday) == utc(2026, 3, 29, 15));
        CHECK(parse("tomorrow", saturday, DateRole::start) == utc(2026, 3, 28, 23));
        CHECK(parse("tomorrow", saturday, DateRole::end) == utc(2026, 3, 29, 21, 59, 59));
        CHECK(parse("+24h", saturday) == utc(2026, 3, 29, 12));
        CHECK(parse("eow", saturday) == utc(2026, 4, 3, 15));
        CHECK(async::format_local(parse("tomorrow", saturday)) == "Sun 2026-03-29 17:00");
        CHECK(async::format_local(parse("+24h", saturday)) == "Sun 2026-03-29 14:00");
    }

    SUBCASE("fall back (2026-10-25 03:00 CEST -> 02:00 CET)") {
        const TimePoint saturday = utc(2026, 10, 24, 12); // 14:00 CEST
        CHECK(parse("today", saturday) == utc(2026, 10, 24, 15));
        CHECK(parse("tomorrow", saturday) == utc(2026, 10, 25, 16));
        CHECK(parse("tomorrow", saturday, DateRole::start) == utc(2026, 10, 24, 22));
        CHECK(parse("tomorrow", saturday, DateRole::end) == utc(2026, 10, 25, 22, 59, 59));
        CHECK(parse("+1w", saturday) == utc(2026, 10, 31, 16));
        CHECK(parse("mon", saturday) == utc(2026, 10, 26, 16));
        CHECK(parse("+24h", saturday) == utc(2026, 10, 25, 12));
        CHECK(async::format_local(parse("tomorrow", saturday)) == "Sun 2026-10-25 17:00");
        CHECK(async::format_local(parse("+24h", saturday)) == "Sun 2026-10-25 13:00");
    }

    SUBCASE("a time in the spring-forward gap moves forward by the gap") {
        CHECK(parse("2026-03-29 02:30") == utc(2026, 3, 29, 1, 30));
        CHECK(async::format_local(parse("2026-03-29 02:30")) == "Sun 2026-03-29 03:30");
        CHECK(parse("2026-03-29 01:59:59") == utc(2026, 3, 29, 0, 59, 59));
        CHECK(parse("2026-03-29 03:00") == utc(2026, 3, 29, 1));
    }

    SUBCASE("an ambiguous time is its first occurrence, whatever was resolved before") {
        CHECK(parse("2026-10-25 02:30") == utc(2026, 10, 25, 0, 30));
        // glibc's mktime(tm_isdst = -1) answers differently after a winter and a summer time.
        CHECK(parse("2026-12-01 12:00") == utc(2026, 12, 1, 11));
        CHECK(parse("2026-10-25 02:30") == utc(2026, 10, 25, 0, 30));
        CHECK(parse("2026-07-01 12:00") == utc(2026, 7, 1, 10));
        CHECK(parse("2026-10-25 02:30") == utc(2026, 10, 25, 0, 30));
        CHECK(parse("2026-10-25 01:59:59") == utc(2026, 10, 24, 23, 59, 59));
        CHECK(parse("2026-10-25 03:00") == utc(2026, 10, 25, 2));
    }

    SUBCASE("the same rules west of UTC (America/New_York)") {
        const ScopedTz new_york{"America/New_York"};
        CHECK(parse("2026-03-08 02:30") == utc(2026, 3, 8, 7, 30));
        CHECK(parse("2026-11-01 01:30") == utc(2026, 11, 1, 5, 30));
        CHECK(parse("tomorrow", utc(2026, 10, 31, 16)) == utc(2026, 11, 1, 22));
        CHECK(parse("tomorrow", utc(2026, 3, 7, 17)) == utc(2026, 3, 8, 21));
    }
}

TEST_CASE("dates::parse_human_date deadlines echoed by format_local") {
    const ScopedTz tz{"Europe/Berlin"};
    const TimePoint thursday = utc(2026, 11, 26, 9, 15); // 10:15 CET

    CHECK(async::format_local(parse("fri", thursday)) == "Fri 2026-11-27 17:00");
    CHECK(async::format_local(parse("eow", thursday)) == "Fri 2026-11-27 17:00");
    CHECK(async::format_local(parse("tomorrow", thursday)) == "Fri 2026-11-27 17:00");
    CHECK(async::format_local(parse("eod", thursday)) == "Thu 2026-11-26 17:00");
    CHECK(async::format_local(parse("2026-12-01", thursday)) == "Tue 2026-12-01 17:00");
    CHECK(async::format_local(parse("+2w", thursday)) == "Thu 2026-12-10 17:00");
    CHECK(async::format_local(parse("2026-12-01T15:00Z", thursday)) == "Tue 2026-12-01 16:00");
    CHECK(async::format_local(parse("2026-W48", thursday, DateRole::end)) ==
          "Sun 2026-11-29 23:59");
}

TEST_CASE("dates::parse_iso8601") {
    const ScopedTz tz{"Europe/Berlin"};

    SUBCASE("the accepted forms, independent of TZ") {
        CHECK(async::parse_iso8601("2026-11-26T10:15:00Z") == utc(2026, 11, 26, 10, 15));
        CHECK(async::parse_iso8601("2026-11-26T10:15:30Z") == utc(2026, 11, 26, 10, 15, 30));
        CHECK(async::parse_iso8601("2026-11-26T10:15:00+01:00") == utc(2026, 11, 26, 9, 15));
        CHECK(async::parse_iso8601("2026-11-26T10:15:00-00:30") == utc(2026, 11, 26, 10, 45));
        CHECK(async::parse_iso8601("2026-11-26T00:15:00+01:00") == utc(2026, 11, 25, 23, 15));
        CHECK(async::parse_iso8601("2026-11-26T10:15Z") == utc(2026, 11, 26, 10, 15));
        CHECK(async::parse_iso8601("2026-11-26T10:15+02:00") == utc(2026, 11, 26, 8, 15));
        CHECK(async::parse_iso8601("2026-11-26") == utc(2026, 11, 26));
        CHECK(async::parse_iso8601("2028-02-29") == utc(2028, 2, 29));
    }

    SUBCASE("anything else is nullopt") {
        using namespace std::string_view_literals;
        for (const std::string_view text : {""sv,
                                            "2026-11-26T10:15:00"sv,
                                            "2026-11-26T10:15"sv,
                                            "2026-11-26 10:15:00Z"sv,
                                            "2026-11-26t10:15:00z"sv,
                                            " 2026-11-26"sv,
                                            "2026-11-26 "sv,
                                            "2026-02-30"sv,
                                            "2027-02-29"sv,
                                            "2026-13-01"sv,
                                            "2026-11-26T24:00Z"sv,
                                            "2026-11-26T10:60Z"sv,
                                            "2026-11-26T10:15:60Z"sv,
                                            "2026-11-26T10:15:00+01"sv,
                                            "2026-11-26T10:15:00+0100"sv,
                                            "2026-11-26T10:15:00+24:00"sv,
                                            "2026-11-26T10:15:00.5Z"sv,
                                            "tomorrow"sv,
                                            "now"sv,
                                            "2026-W48"sv,
                                            "2026-11-26\0"sv,
                                            "2026-11-26T10:15:00Z\0"sv,
                                            "0000-01-01"sv,
                                            "12/01/2026"sv}) {
            CAPTURE(text);
            CHECK_FALSE(async::parse_iso8601(text).has_value());
        }
        CHECK_FALSE(async::parse_iso8601(std::string(10 * 1024, '2')).has_value());
    }

    SUBCASE("round trip with format_utc") {
        const TimePoint t = utc(2026, 11, 26, 10, 15, 7);
        CHECK(async::parse_iso8601(async::format_utc(t)) == t);
    }
}

TEST_CASE("dates::format_utc") {
    CHECK(async::format_utc(utc(2026, 11, 26, 10, 15)) == "2026-11-26T10:15:00Z");
    CHECK(async::format_utc(utc(2027, 1, 1, 0, 0, 9)) == "2027-01-01T00:00:09Z");
    CHECK(async::format_utc(TimePoint{}) == "1970-01-01T00:00:00Z");
    CHECK(async::format_utc(TimePoint{seconds{-1}}) == "1969-12-31T23:59:59Z");
    CHECK(async::format_utc(utc(1, 1, 1)) == "0001-01-01T00:00:00Z");
    CHECK(async::format_utc(utc(9999, 12, 31, 23, 59, 59)) == "9999-12-31T23:59:59Z");
    // Years outside 0–9999 take the printf path: more digits, or a sign.
    CHECK(async::format_utc(utc(10000, 1, 1)) == "10000-01-01T00:00:00Z");
    CHECK(async::format_utc(utc(-1, 12, 31, 23, 59, 59)) == "-001-12-31T23:59:59Z");
}

TEST_CASE("dates::format_local") {
    SUBCASE("UTC") {
        const ScopedTz tz{"UTC"};
        CHECK(async::format_local(utc(2026, 11, 26, 10, 15)) == "Thu 2026-11-26 10:15");
        // Seconds are cut, not rounded.
        CHECK(async::format_local(utc(2026, 11, 26, 10, 15, 59)) == "Thu 2026-11-26 10:15");
    }

    SUBCASE("Europe/Berlin") {
        const ScopedTz tz{"Europe/Berlin"};
        CHECK(async::format_local(utc(2026, 11, 26, 10, 15)) == "Thu 2026-11-26 11:15");
        CHECK(async::format_local(utc(2026, 7, 1, 10, 15)) == "Wed 2026-07-01 12:15");
        CHECK(async::format_local(utc(2026, 12, 31, 23, 30)) == "Fri 2027-01-01 00:30");
    }

    SUBCASE("English weekday names for every day") {
        const ScopedTz tz{"UTC"};
        const std::array<const char *, 7> expected{"Mon 2026-11-23 12:00", "Tue 2026-11-24 12:00",
                                                   "Wed 2026-11-25 12:00", "Thu 2026-11-26 12:00",
                                                   "Fri 2026-11-27 12:00", "Sat 2026-11-28 12:00",
                                                   "Sun 2026-11-29 12:00"};
        for (unsigned i = 0; i < expected.size(); ++i)
            CHECK(async::format_local(utc(2026, 11, 23 + i, 12)) == expected[i]);
    }
}

TEST_CASE("dates::format_local_date") {
    const TimePoint late = utc(2026, 11, 26, 23, 30);
    {
        const ScopedTz tz{"UTC"};
        CHECK(async::format_local_date(late) == "2026-11-26");
    }
    {
        const ScopedTz tz{"Europe/Berlin"};
        CHECK(async::format_local_date(late) == "2026-11-27");
    }
    {
        const ScopedTz tz{"America/New_York"};
        CHECK(async::format_local_date(utc(2026, 11, 27, 3)) == "2026-11-26");
    }
}

TEST_CASE("dates::format_relative") {
    const ScopedTz tz{"UTC"};
    const TimePoint now = k_thursday;

    SUBCASE("under a minute") {
        CHECK(async::format_relative(now, now) == "just now");
        CHECK(async::format_relative(now + seconds{59}, now) == "just now");
        CHECK(async::format_relative(now - seconds{30}, now) == "just now");
    }

    SUBCASE("minutes") {
        CHECK(async::format_relative(now + minutes{1}, now) == "in 1 minute");
        CHECK(async::format_relative(now + minutes{5} + seconds{40}, now) == "in 5 minutes");
        CHECK(async::format_relative(now - minutes{1}, now) == "1 minute ago");
        CHECK(async::format_relative(now - minutes{59}, now) == "59 minutes ago");
    }

    SUBCASE("hours") {
        CHECK(async::format_relative(now + hours{1}, now) == "in 1 hour");
        CHECK(async::format_relative(now + hours{3}, now) == "in 3 hours");
        CHECK(async::format_relative(now - hours{3}, now) == "3 hours ago");
        CHECK(async::format_relative(now + hours{23} + minutes{59}, now) == "in 23 hours");
    }

    SUBCASE("from a day on, local calendar days") {
        CHECK(async::format_relative(now + hours{24}, now) == "in 1 day");
        CHECK(async::format_relative(now - hours{24}, now) == "1 day ago");
        CHECK(async::format_relative(now + hours{48}, now) == "in 2 days");
        CHECK(async::format_relative(now - hours{50}, now) == "2 days ago");
        // Thursday 20:00 to Saturday 09:00 is 37 hours but two days away.
        CHECK(async::format_relative(utc(2026, 11, 28, 9), utc(2026, 11, 26, 20)) == "in 2 days");
        CHECK(async::format_relative(utc(2026, 11, 26, 20), utc(2026, 11, 28, 9)) == "2 days ago");
    }

    SUBCASE("a 25-hour autumn day") {
        const ScopedTz berlin{"Europe/Berlin"};
        // 00:00 CEST to 23:00 CET on 2026-10-25: 24 hours within one local day.
        CHECK(async::format_relative(utc(2026, 10, 25, 22), utc(2026, 10, 24, 22)) == "in 1 day");
    }
}

TEST_CASE("dates::iso_week_of") {
    SUBCASE("UTC") {
        const ScopedTz tz{"UTC"};
        CHECK(async::iso_week_of(utc(2026, 11, 26, 10)) == IsoWeek{2026, 48});
        CHECK(async::iso_week_of(utc(2027, 1, 1, 12)) == IsoWeek{2026, 53});
        CHECK(async::iso_week_of(utc(2024, 12, 30, 12)) == IsoWeek{2025, 1});
        CHECK(async::iso_week_of(utc(2026, 1, 1)) == IsoWeek{2026, 1});
        CHECK(async::iso_week_of(utc(2021, 1, 3)) == IsoWeek{2020, 53});
        CHECK(async::iso_week_of(utc(2026, 11, 29, 23, 59, 59)) == IsoWeek{2026, 48});
        CHECK(async::iso_week_of(utc(2026, 11, 30)) == IsoWeek{2026, 49});
    }

    SUBCASE("the local date decides") {
        const ScopedTz tz{"Europe/Berlin"};
        // Monday 00:30 in Berlin, still Sunday in UTC.
        CHECK(async::iso_week_of(utc(2026, 11, 29, 23, 30)) == IsoWeek{2026, 49});
        CHECK(async::iso_week_of(utc(2026, 11, 29, 22, 30)) == IsoWeek{2026, 48});
    }
}

TEST_CASE("dates::parse_iso_week") {
    SUBCASE("accepted spellings") {
        CHECK(async::parse_iso_week("2026-W48") == IsoWeek{2026, 48});
        CHECK(async::parse_iso_week("2026-w48") == IsoWeek{2026, 48});
        CHECK(async::parse_iso_week("2026W48") == IsoWeek{2026, 48});
        CHECK(async::parse_iso_week(" 2026-W48\n") == IsoWeek{2026, 48});
        CHECK(async::parse_iso_week("2026-W05") == IsoWeek{2026, 5});
        CHECK(async::parse_iso_week("2026-W53") == IsoWeek{2026, 53});
        CHECK(async::parse_iso_week("2020-W53") == IsoWeek{2020, 53});
        CHECK(async::parse_iso_week("2025-W01") == IsoWeek{2025, 1});
    }

    SUBCASE("weeks the year does not have") {
        CHECK(week_error_message("2025-W53") == "invalid week '2025-W53': 2025 has no week 53");
        CHECK(week_error_message("2026-W54") == "invalid week '2026-W54': 2026 has no week 54");
        CHECK(week_error_message("2026-W00") == "invalid week '2026-W00': 2026 has no week 0");
        CHECK(week_error_message("0000-W01") == "invalid week '0000-W01': no such year");
    }

    SUBCASE("malformed") {
        const auto error = error_from([] { async::parse_iso_week("week 48"); });
        REQUIRE(error);
        CHECK(error->kind() == async::ErrorKind::usage);
        CHECK(std::string{error->what()} == "invalid week 'week 48'");
        CHECK(error->hint() == "write weeks as YYYY-Www, e.g. 2026-W48");

        using namespace std::string_view_literals;
        for (const std::string_view text :
             {""sv, "2026-48"sv, "2026-W5"sv, "2026-W048"sv, "W48"sv, "26-W48"sv, "2026--W48"sv,
              "2026-W48-1"sv, "2026-11-26"sv}) {
            CAPTURE(text);
            CHECK(week_error_message(text) == "invalid week '" + std::string{text} + "'");
        }
        CHECK(week_error_message("2026-W48\0"sv) == "invalid week '2026-W48?'");
        CHECK(week_error_message(std::string(10 * 1024, 'W')) ==
              "invalid week '" + std::string(40, 'W') + "...'");
    }
}

TEST_CASE("dates::format_iso_week") {
    CHECK(async::format_iso_week({2026, 5}) == "2026-W05");
    CHECK(async::format_iso_week({2026, 48}) == "2026-W48");
    CHECK(async::format_iso_week({2026, 53}) == "2026-W53");
    CHECK(async::parse_iso_week(async::format_iso_week({2020, 1})) == IsoWeek{2020, 1});
}

TEST_CASE("dates::iso_week_start") {
    SUBCASE("UTC") {
        const ScopedTz tz{"UTC"};
        CHECK(async::iso_week_start({2026, 48}) == utc(2026, 11, 23));
        CHECK(async::iso_week_start({2026, 53}) == utc(2026, 12, 28));
        CHECK(async::iso_week_start({2026, 1}) == utc(2025, 12, 29));
        CHECK(async::iso_week_start({2025, 1}) == utc(2024, 12, 30));
        CHECK(async::iso_week_start({2021, 1}) == utc(2021, 1, 4));
    }

    SUBCASE("local midnight, on either side of a DST change") {
        const ScopedTz tz{"Europe/Berlin"};
        CHECK(async::iso_week_start({2026, 13}) == utc(2026, 3, 22, 23));
        CHECK(async::iso_week_start({2026, 14}) == utc(2026, 3, 29, 22));
        CHECK(async::iso_week_start({2026, 48}) == utc(2026, 11, 22, 23));
    }

    SUBCASE("a week that does not exist") {
        const auto error = error_from([] { async::iso_week_start({2025, 53}); });
        REQUIRE(error);
        CHECK(error->kind() == async::ErrorKind::usage);
        CHECK(std::string{error->what()} == "invalid week '2025-W53': 2025 has no week 53");
    }
}

TEST_CASE("dates::iso_weeks_in_year") {
    CHECK(async::iso_weeks_in_year(2026) == 53);
    CHECK(async::iso_weeks_in_year(2025) == 52);
    CHECK(async::iso_weeks_in_year(2020) == 53);
    CHECK(async::iso_weeks_in_year(2021) == 52);
    CHECK(async::iso_weeks_in_year(2015) == 53);
    CHECK(async::iso_weeks_in_year(2004) == 53);
    CHECK(async::iso_weeks_in_year(2032) == 53);
    CHECK(async::iso_weeks_in_year(2027) == 52);
}

TEST_CASE("dates: follow_time_zone applies a change of TZ, and only a change") {
    // Long-running callers (and tests) setenv() and pass the environment; they never tzset().
    std::optional<std::string> old;
    if (const char *tz = std::getenv("TZ"))
        old = tz;
    const TimePoint t = TimePoint{std::chrono::sys_days{std::chrono::year{2026} / 11 / 26}} + hours{12};
    auto set_tz = [](const char *tz) {
        ::setenv("TZ", tz, 1);
        async::follow_time_zone(async::Env::from_process());
    };
    set_tz("UTC0");
    CHECK(async::format_local(t) == "Thu 2026-11-26 12:00");
    set_tz("JST-9");
    CHECK(async::format_local(t) == "Thu 2026-11-26 21:00");
    set_tz("XYZ+11");
    CHECK(async::format_local(t) == "Thu 2026-11-26 01:00");
    // The same TZ again is no change: the zone the C library last read stays in effect.
    ::setenv("TZ", "UTC0", 1);
    ::tzset();
    ::setenv("TZ", "XYZ+11", 1);
    async::follow_time_zone(async::Env::from_process());
    CHECK(async::format_local(t) == "Thu 2026-11-26 12:00");
    set_tz("UTC0");
    CHECK(async::format_local(t) == "Thu 2026-11-26 12:00");
    if (old)
        ::setenv("TZ", old->c_str(), 1);
    else
        ::unsetenv("TZ");
    async::follow_time_zone(async::Env::from_process());
}

TEST_CASE("dates::parse_human_date day word with a time of day") {
    ScopedTz tz{"Europe/Berlin"};
    // Thursday 2026-11-26 10:15 UTC is 11:15 in Berlin.
    SUBCASE("tomorrow and weekdays") {
        CHECK(parse("tomorrow 10:00") == utc(2026, 11, 27, 9, 0));
        CHECK(parse("Fri 9:30") == utc(2026, 11, 27, 8, 30));
        CHECK(parse("today 23:59") == utc(2026, 11, 26, 22, 59));
        CHECK(parse("+1w 08:00", k_thursday, DateRole::start) == utc(2026, 12, 3, 7, 0));
        CHECK(parse("  monday   14:00 ") == utc(2026, 11, 30, 13, 0));
    }
    SUBCASE("across the spring change: the wall-clock time of that day") {
        const TimePoint before = utc(2026, 3, 27, 12, 0); // Friday, CET
        CHECK(parse("sun 10:00", before) == utc(2026, 3, 29, 8, 0)); // CEST
        CHECK(parse("+1d 10:00", before) == utc(2026, 3, 28, 9, 0)); // still CET
    }
    SUBCASE("the ISO date with a blank stays the ISO form") {
        CHECK(parse("2026-12-01 15:00") == utc(2026, 12, 1, 14, 0));
    }
    SUBCASE("refused") {
        for (const char *bad : {"tomorrow 24:00", "tomorrow 9:60", "now 10:00", "eod 10:00",
                                "+5h 10:00", "someday 10:00", "tomorrow 10", "tomorrow 10:0",
                                "tomorrow 100:00", "fri :30"}) {
            CAPTURE(bad);
            CHECK_THROWS_AS(parse(bad), async::Error);
        }
    }
}

TEST_CASE("dates::parse_duration") {
    CHECK(async::parse_duration("30m") == minutes{30});
    CHECK(async::parse_duration("1h") == minutes{60});
    CHECK(async::parse_duration(" 1H30m ") == minutes{90});
    CHECK(async::parse_duration("90m") == minutes{90});
    CHECK(async::parse_duration("168h") == minutes{7 * 24 * 60});
    for (const char *bad : {"", "0m", "0h0m", "30", "m", "h30", "1m1h", "1h1h", "30m5m", "1d",
                            "1.5h", "-1h", "169h", "99999m", "1h 30m", "1h\x01"}) {
        CAPTURE(bad);
        CHECK_THROWS_AS(async::parse_duration(bad), async::Error);
    }
    try {
        async::parse_duration("2x");
        FAIL("no error");
    } catch (const async::Error &e) {
        CHECK(std::string{e.what()}.find("invalid duration '2x'") != std::string::npos);
        CHECK(e.kind() == async::ErrorKind::usage);
    }
}

TEST_CASE("dates::has_iso_date_shape") {
    CHECK(async::has_iso_date_shape("2026-12-06"));
    CHECK(async::has_iso_date_shape("0000-99-99")); // the shape only: parsing decides the day
    CHECK_FALSE(async::has_iso_date_shape("2026-12-6"));
    CHECK_FALSE(async::has_iso_date_shape("2026/12/06"));
    CHECK_FALSE(async::has_iso_date_shape("2026-W49-1"));
    CHECK_FALSE(async::has_iso_date_shape("2026-12-06T"));
    CHECK_FALSE(async::has_iso_date_shape(""));
}
