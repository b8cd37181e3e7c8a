#include <async/agenda.hpp>
#include <async/config.hpp>
#include <async/dates.hpp>
#include <async/index.hpp>
#include <async/workspace.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <algorithm>
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

TEST_CASE("agenda::checkin_owed_from") {
    async_test::ScopedEnvVar tz{"TZ", "Europe/Berlin"};
    auto owed = [](const char* day, const char* label) {
        return async::format_local(*async::checkin_owed_from(with_day(day), *async::parse_period(label)));
    };
    CHECK(owed(nullptr, "2026-W48") == "Fri 2026-11-27 00:00");
    CHECK(owed("mon", "2026-W48") == "Mon 2026-11-23 00:00");
    // Across the end of summer time (Sun 2026-10-25): still midnight local on the Sunday.
    CHECK(owed("sun", "2026-W43") == "Sun 2026-10-25 00:00");
    // Daily: the day itself, whatever checkin.day says; nobody owes one on a weekend.
    CHECK(owed("mon", "2026-10-26") == "Mon 2026-10-26 00:00");
    CHECK_FALSE(async::checkin_owed_from(with_day(nullptr), *async::parse_period("2026-10-25")));
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
        CHECK(async::has_checked_in(ws, *async::parse_period("2026-W48"), "alice"));
        CHECK_FALSE(async::missing_checkin(ws, config, "alice", friday));
        CHECK(async::missing_checkin(ws, config, "bob", friday));
    }
}

namespace {

std::string file(const std::string& front, const std::string& body = "Body.\n") {
    return "+++\n" + front + "+++\n" + body;
}

std::vector<std::string> keys_of(const std::vector<async::Deadline>& deadlines) {
    std::vector<std::string> out;
    for (const auto& d : deadlines) {
        out.push_back(d.key);
    }
    return out;
}

} // namespace

TEST_CASE("agenda::collect_deadlines and build_agenda") {
    async_test::ScopedEnvVar tz{"TZ", "UTC"};
    async_test::TempDir dir{"agenda"};
    async::init_workspace(dir.path());
    async::Workspace ws{dir.path()};
    auto write = [&](const std::string& rel, const std::string& text) {
        async::write_file_atomic(dir.path() / rel, text);
    };
    write("docs/a/index.md",
          file("id = \"doc00001\"\ntitle = \"Alpha\"\nauthor = \"bob\"\n"
               "created = 2026-11-20T10:00:00Z\nstatus = \"open\"\n"
               "reviewers = [\"alice\", \"carol\"]\ndue = 2026-11-27T17:00:00Z\n",
               "- [ ] @alice ship due:2026-11-20\n- [ ] @carol later "
               "due:2026-11-30\n- [ ] @alice undated\n"));
    write("docs/a/replies/carol.md",
          file("id = \"rep00001\"\ntype = \"reply\"\nauthor = \"carol\"\n"
               "created = 2026-11-21T10:00:00Z\n"));
    write("docs/b/index.md", file("id = \"doc00002\"\ntitle = \"Closed\"\nauthor = \"bob\"\n"
                                  "created = 2026-11-20T10:00:00Z\nstatus = \"closed\"\n"
                                  "reviewers = [\"alice\"]\ndue = 2026-11-27T17:00:00Z\n"));
    write("docs/c/index.md", file("id = \"doc00003\"\ntitle = \"Late\"\nauthor = \"carol\"\n"
                                  "created = 2026-11-20T10:00:00Z\nstatus = \"open\"\n"
                                  "reviewers = [\"dave\"]\ndue = 2026-11-25T17:00:00Z\n"));
    write("meetings/m/index.md", file("id = \"mtg00001\"\ntype = \"meeting\"\ntitle = \"Sync\"\n"
                                      "author = \"carol\"\ncreated = 2026-11-20T10:00:00Z\n"
                                      "participants = [\"alice\"]\ndue = 2026-11-28T12:00:00Z\n"));
    async::Index index{ws};
    index.refresh();

    SUBCASE("everything open, by due; who still owes") {
        auto all = async::collect_deadlines(index, async::DeadlineFilter{});
        REQUIRE(all.size() == 5);
        CHECK(all[0].kind == async::DeadlineKind::action);
        CHECK(all[0].date == "2026-11-20");
        CHECK(all[1].key == "feedback:doc00003");
        CHECK(all[2].key == "feedback:doc00001");
        CHECK(all[2].owed_by == std::vector<std::string>{"alice"}); // carol replied
        CHECK(all[3].key == "response:mtg00001");
        CHECK(all[4].author == "carol"); // an action's owner
    }
    SUBCASE("mine: what I owe or asked for") {
        async::DeadlineFilter mine;
        mine.who = "carol";
        auto got = async::collect_deadlines(index, mine);
        CHECK(keys_of(got).size() == 4); // Alpha (asked), Late and Sync (wrote), her action
        CHECK(got[0].key == "feedback:doc00003");
    }
    SUBCASE("once everyone has answered, only pending_only = false keeps it") {
        write("docs/a/replies/alice.md",
              file("id = \"rep00002\"\ntype = \"reply\"\n"
                   "author = \"alice\"\ncreated = 2026-11-22T10:00:00Z\n"));
        index.refresh();
        auto pending = keys_of(async::collect_deadlines(index, async::DeadlineFilter{}));
        CHECK(std::find(pending.begin(), pending.end(), "feedback:doc00001") == pending.end());
        async::DeadlineFilter all;
        all.pending_only = false;
        auto kept = async::collect_deadlines(index, all);
        auto alpha = std::find_if(kept.begin(), kept.end(), [](const async::Deadline& d) {
            return d.key == "feedback:doc00001";
        });
        REQUIRE(alpha != kept.end());
        CHECK(alpha->owed_by.empty());
    }
    SUBCASE("the agenda: overdue first, then days in the window") {
        async::Config config;
        auto now = *async::parse_iso8601("2026-11-26T10:00:00Z");
        auto agenda = async::build_agenda(index, async::Session{ws, async::Env{}, config, now, "alice"}, 3);
        CHECK(keys_of(agenda.overdue).size() == 2); // Late (dave owes it) and alice's action
        CHECK(agenda.overdue[1].key == "feedback:doc00003");
        REQUIRE(agenda.days.size() == 2);
        CHECK(agenda.days[0].date == "2026-11-27");
        CHECK(keys_of(agenda.days[0].deadlines) ==
              std::vector<std::string>{"checkin:2026-W48", "feedback:doc00001"});
        CHECK(agenda.days[1].date == "2026-11-28");
        CHECK(keys_of(agenda.days[1].deadlines) == std::vector<std::string>{"response:mtg00001"});
    }
}
