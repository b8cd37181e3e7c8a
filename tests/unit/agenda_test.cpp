#include <async/agenda.hpp>
#include <async/config.hpp>
#include <async/dates.hpp>
#include <async/workspace.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <filesystem>
#include <fstream>

using async::ConfigScope;

namespace {

async::Config with_day(const char* day) {
    async::Config config;
    if (day != nullptr) {
        config.set("checkin.day", day, ConfigScope::workspace);
    }
    return config;
}

} // namespace

TEST_CASE("agenda::checkin_weekday") {
    CHECK(async::checkin_weekday(with_day(nullptr)) == 4);
    CHECK(async::checkin_weekday(with_day("mon")) == 0);
    CHECK(async::checkin_weekday(with_day(" Thursday ")) == 3);
    CHECK(async::checkin_weekday(with_day("SUN")) == 6);
    CHECK(async::checkin_weekday(with_day("someday")) == 4);
    CHECK(async::checkin_weekday(with_day("fr")) == 4);
}

TEST_CASE("agenda::checkin_day") {
    async_test::ScopedEnvVar tz{"TZ", "Europe/Berlin"};
    async::IsoWeek w48{2026, 48};
    CHECK(async::format_local(async::checkin_day(with_day(nullptr), w48)) ==
          "Fri 2026-11-27 00:00");
    CHECK(async::format_local(async::checkin_day(with_day("mon"), w48)) == "Mon 2026-11-23 00:00");
    // Across the end of summer time (Sun 2026-10-25): still midnight local on the Sunday.
    CHECK(async::format_local(async::checkin_day(with_day("sun"), async::IsoWeek{2026, 43})) ==
          "Sun 2026-10-25 00:00");
}

TEST_CASE("agenda::missing_checkin") {
    async_test::ScopedEnvVar tz{"TZ", "UTC"};
    async_test::TempDir dir;
    async::Workspace ws{dir.path()};
    auto config = with_day(nullptr);
    auto thursday = *async::parse_iso8601("2026-11-26T10:00:00Z");
    auto friday = *async::parse_iso8601("2026-11-27T09:00:00Z");

    SUBCASE("not before the check-in day") {
        CHECK_FALSE(async::missing_checkin(ws, config, "alice", thursday));
    }
    SUBCASE("from the check-in day on, due 17:00") {
        auto d = async::missing_checkin(ws, config, "alice", friday);
        REQUIRE(d);
        CHECK(d->key == "checkin:2026-W48");
        CHECK(d->kind == async::DeadlineKind::checkin);
        CHECK(async::format_utc(d->due) == "2026-11-27T17:00:00Z");
        CHECK(d->owed_by == std::vector<std::string>{"alice"});
    }
    SUBCASE("not once written") {
        std::filesystem::create_directories(dir.path() / "checkins" / "2026-W48");
        std::ofstream{dir.path() / "checkins" / "2026-W48" / "alice.md"}
            << "+++\ntype = \"checkin\"\n+++\n";
        CHECK(async::has_checked_in(ws, async::IsoWeek{2026, 48}, "alice"));
        CHECK_FALSE(async::missing_checkin(ws, config, "alice", friday));
        CHECK(async::missing_checkin(ws, config, "bob", friday));
    }
}
