#include <async/dates.hpp>
#include <async/due.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <chrono>

namespace {

async::TimePoint at(const char* iso) {
    return *async::parse_iso8601(iso);
}

} // namespace

TEST_CASE("due::is_due_date") {
    CHECK(async::is_due_date("2026-12-18"));
    CHECK(async::is_due_date("2028-02-29"));
    CHECK_FALSE(async::is_due_date("2026-02-29")); // not a leap year
    CHECK_FALSE(async::is_due_date("2026-02-30"));
    CHECK_FALSE(async::is_due_date("0000-01-01"));
    CHECK_FALSE(async::is_due_date("2026-12-18T15:00"));
    CHECK_FALSE(async::is_due_date("2026-1-18"));
    CHECK_FALSE(async::is_due_date("friday"));
    CHECK_FALSE(async::is_due_date("tomorrow"));
    CHECK_FALSE(async::is_due_date(""));
}

TEST_CASE("due::unread_due_problem") {
    auto p = async::unread_due_problem("0000-01-01");
    CHECK(p.error);
    CHECK(p.message == "impossible due date 'due:0000-01-01' in an action");
    CHECK(async::unread_due_problem("2026-02-30").error);
    CHECK(async::unread_due_problem("2026-02-30T10:00").error);
    CHECK_FALSE(async::unread_due_problem("friday").error);
    CHECK_FALSE(async::unread_due_problem("2026-12-18T15:00").error); // a real date with more
    CHECK_FALSE(async::unread_due_problem("").error);
    CHECK(async::unread_due_problem("").message.starts_with("'due:' without a date"));
}

TEST_CASE("due::due_at") {
    SUBCASE("17:00 local that day, the --due rule of the date grammar") {
        async_test::ScopedEnvVar tz{"TZ", "UTC"};
        CHECK(async::due_at("2026-12-18") == at("2026-12-18T17:00:00Z"));
        CHECK(async::due_at("2026-12-18") ==
              async::parse_human_date("2026-12-18", at("2026-01-01T00:00:00Z"), async::DateRole::deadline));
    }
    SUBCASE("the time zone of the call") {
        async_test::ScopedEnvVar tz{"TZ", "EST5EDT,M3.2.0,M11.1.0"};
        CHECK(async::due_at("2026-12-18") == at("2026-12-18T22:00:00Z"));
        CHECK(async::due_at("2026-07-01") == at("2026-07-01T21:00:00Z")); // daylight saving time
    }
    SUBCASE("anything else is no due date, never an exception or now") {
        CHECK_FALSE(async::due_at("tomorrow").has_value());
        CHECK_FALSE(async::due_at("2026-02-30").has_value());
        CHECK_FALSE(async::due_at("").has_value());
    }
}

TEST_CASE("due::is_overdue") {
    auto due = at("2026-12-18T17:00:00Z");
    CHECK_FALSE(async::is_overdue(due, due - std::chrono::hours{1}));
    CHECK_FALSE(async::is_overdue(due, due));
    CHECK(async::is_overdue(due, due + std::chrono::seconds{1}));
}

TEST_CASE("due::latest_overdue_date") {
    async_test::ScopedEnvVar tz{"TZ", "EST5EDT,M3.2.0,M11.1.0"};
    // 02:00 UTC on the 19th is still the 18th in New York.
    CHECK(async::latest_overdue_date(at("2026-12-19T02:00:00Z")) == "2026-12-18");
    // Every date after it is due after now; the date itself may or may not be overdue yet.
    auto now = at("2026-12-18T18:00:00Z");
    CHECK(async::latest_overdue_date(now) == "2026-12-18");
    CHECK_FALSE(async::is_overdue(*async::due_at("2026-12-18"), now));
    CHECK(async::is_overdue(*async::due_at("2026-12-17"), now));
    CHECK_FALSE(async::is_overdue(*async::due_at("2026-12-19"), now));
}
