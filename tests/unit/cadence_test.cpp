#include <async/cadence.hpp>
#include <async/config.hpp>
#include <async/dates.hpp>
#include <async/error.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

using async::Cadence;

namespace {

std::string local(async::TimePoint t) {
    return async::format_local(t);
}

async::TimePoint at(const char* iso) {
    return *async::parse_iso8601(iso);
}

} // namespace

TEST_CASE("cadence::checkin_cadence") {
    async::Config config;
    CHECK(async::checkin_cadence(config) == Cadence::weekly);
    config.set("checkin.cadence", "daily", async::ConfigScope::workspace);
    CHECK(async::checkin_cadence(config) == Cadence::daily);
    config.set("checkin.cadence", "hourly", async::ConfigScope::user);
    CHECK(async::checkin_cadence(config) == Cadence::weekly);
    CHECK_THROWS_AS(async::validate_config_value("checkin.cadence", "hourly"), async::Error);
    CHECK_NOTHROW(async::validate_config_value("checkin.cadence", "daily"));
}

TEST_CASE("cadence::period_of") {
    async_test::ScopedEnvVar tz{"TZ", "Europe/Berlin"};
    auto thursday = at("2026-11-26T10:15:00Z");
    auto week = async::period_of(Cadence::weekly, thursday);
    CHECK(week.label == "2026-W48");
    CHECK(local(week.start) == "Mon 2026-11-23 00:00");
    CHECK(local(week.end) == "Mon 2026-11-30 00:00");
    auto day = async::period_of(Cadence::daily, thursday);
    CHECK(day.label == "2026-11-26");
    CHECK(local(day.start) == "Thu 2026-11-26 00:00");
    CHECK(local(day.end) == "Fri 2026-11-27 00:00");
    // 23:30 UTC on Sunday is already Monday in Berlin.
    CHECK(async::period_of(Cadence::daily, at("2026-11-29T23:30:00Z")).label == "2026-11-30");
    // The day summer time ends has 25 hours, and still ends at midnight.
    auto long_day = async::period_of(Cadence::daily, at("2026-10-25T12:00:00Z"));
    CHECK(local(long_day.end) == "Mon 2026-10-26 00:00");
    CHECK(long_day.end - long_day.start == std::chrono::hours{25});
}

TEST_CASE("cadence::parse_period") {
    async_test::ScopedEnvVar tz{"TZ", "UTC"};
    CHECK(async::parse_period("2026-W48")->cadence == Cadence::weekly);
    CHECK(async::parse_period("2026-12-07")->cadence == Cadence::daily);
    CHECK(async::parse_period("2026-12-07")->label == "2026-12-07");
    // Folder names are exact: anything a person could also mean is not a period.
    for (const char* bad : {"2026-w48", "2026W48", " 2026-W48", "2025-W53", "2026-02-30", "2026-13-01", "2026-1-07",
                            "20261207", "today", "", "2026-12-07x", "..", "replies"}) {
        CHECK_MESSAGE(!async::parse_period(bad), bad);
    }
}

TEST_CASE("cadence::next_and_previous") {
    async_test::ScopedEnvVar tz{"TZ", "UTC"};
    auto friday = *async::parse_period("2026-11-27");
    CHECK(async::next_period(friday).label == "2026-11-30");
    CHECK(async::previous_period(async::next_period(friday)).label == "2026-11-27");
    CHECK(async::previous_period(*async::parse_period("2026-11-26")).label == "2026-11-25");
    CHECK(async::next_period(*async::parse_period("2026-W53")).label == "2027-W01");
    CHECK(async::previous_period(*async::parse_period("2027-W01")).label == "2026-W53");
    CHECK(async::next_period(*async::parse_period("2026-12-31")).label == "2027-01-01");
    // The ends of the supported years: an Error, never a period of year 10000.
    CHECK(async::parse_period("9999-12-30"));
    CHECK_THROWS_AS(async::next_period(*async::parse_period("9999-12-30")), async::Error);
    CHECK_FALSE(async::parse_period("9999-W52"));
}

TEST_CASE("cadence::resolve_period") {
    async_test::ScopedEnvVar tz{"TZ", "UTC"};
    auto thursday = at("2026-11-26T10:15:00Z");
    auto monday = at("2026-11-30T09:00:00Z");
    CHECK(async::resolve_period(Cadence::daily, "today", thursday).label == "2026-11-26");
    CHECK(async::resolve_period(Cadence::daily, "this", thursday).label == "2026-11-26");
    CHECK(async::resolve_period(Cadence::daily, "last", monday).label == "2026-11-27");
    CHECK(async::resolve_period(Cadence::daily, "next", at("2026-11-27T09:00:00Z")).label == "2026-11-30");
    CHECK(async::resolve_period(Cadence::daily, "yesterday", monday).label == "2026-11-29");
    CHECK(async::resolve_period(Cadence::daily, "2026-12-07", thursday).label == "2026-12-07");
    CHECK(async::resolve_period(Cadence::weekly, "2026-12-07", thursday).label == "2026-W50");
    auto e = [&](Cadence c, const char* text) {
        try {
            async::resolve_period(c, text, thursday);
        } catch (const async::Error& err) {
            CHECK(err.kind() == async::ErrorKind::usage);
            return std::string{err.what()};
        }
        return std::string{};
    };
    CHECK(e(Cadence::daily, "2026-W48") == "invalid day '2026-W48'");
    CHECK(e(Cadence::daily, "soon") == "invalid day 'soon'");
    CHECK(e(Cadence::weekly, "soon") == "invalid week 'soon'");
    CHECK(e(Cadence::daily, "\x1b[2Jx").find('\x1b') == std::string::npos);
}

TEST_CASE("cadence::checkin_title") {
    async_test::ScopedEnvVar tz{"TZ", "UTC"};
    CHECK(async::checkin_title(*async::parse_period("2026-W48")) == "Check-in for 2026-W48");
    CHECK(async::checkin_title(*async::parse_period("2026-12-07")) == "Check-in for Mon 2026-12-07");
}
