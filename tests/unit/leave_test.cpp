#include <async/leave.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using async::Absence;
using async::Absences;
using async::AwayProblem;

namespace {

Absences parsed(const std::string& handle, const std::string& text, std::vector<AwayProblem>& problems) {
    Absences out;
    out.all = async::parse_away(text, handle, "people/" + handle + "/away.toml", problems);
    return out;
}

} // namespace

TEST_CASE("leave::parse_away") {
    std::vector<AwayProblem> problems;
    SUBCASE("local dates and strings, sorted, notes made one line") {
        auto a = parsed("Bob", "[[away]]\nfrom = 2026-12-10\nto = 2026-12-11\n[[away]]\nfrom = \"2026-12-01\"\n"
                               "to = \"2026-12-02\"\nnote = \"a\\nb\"\n", problems);
        CHECK(problems.empty());
        REQUIRE(a.all.size() == 2);
        CHECK(a.all[0].handle == "bob");
        CHECK(a.all[0].from == "2026-12-01");
        CHECK(a.all[0].note == "a b");
        CHECK(a.all[1].to == "2026-12-11");
        CHECK(a.all[0].start < a.all[0].end);
    }
    SUBCASE("bad entries are problems, the good ones stay") {
        auto a = parsed("bob", "[[away]]\nfrom = 2026-12-02\nto = 2026-12-01\n[[away]]\nto = 2026-12-01\n"
                               "[[away]]\nfrom = \"2026-02-30\"\nto = 2026-03-01\n[[away]]\nfrom = 2026-12-01\nto = 2026-12-01\n",
                        problems);
        CHECK(a.all.size() == 1);
        CHECK(problems.size() == 3);
    }
    SUBCASE("not TOML, too deep, not a list") {
        parsed("bob", "= nope", problems);
        parsed("bob", "a" + std::string(400, '.') + " = 1", problems);
        parsed("bob", "away = 1", problems);
        CHECK(problems.size() == 3);
    }
}

TEST_CASE("leave::away_at") {
    std::vector<AwayProblem> problems;
    auto a = parsed("bob", "[[away]]\nfrom = 2026-12-07\nto = 2026-12-09\n[[away]]\nfrom = 2026-12-10\n"
                           "to = 2026-12-11\n[[away]]\nfrom = 2026-12-20\nto = 2026-12-21\n", problems);
    REQUIRE(a.all.size() == 3);
    SUBCASE("adjacent absences make one stretch") {
        auto away = async::away_at(a, "@Bob", a.all[0].start);
        REQUIRE(away);
        CHECK(away->to == "2026-12-11");
    }
    SUBCASE("not away before, between and for someone else") {
        CHECK_FALSE(async::away_at(a, "bob", a.all[0].start - std::chrono::seconds{1}));
        CHECK_FALSE(async::away_at(a, "bob", a.all[1].end + std::chrono::seconds{1}));
        CHECK_FALSE(async::away_at(a, "carol", a.all[0].start));
    }
    SUBCASE("away_between overlaps and filters by handle") {
        CHECK(async::away_between(a, a.all[1].end, a.all[2].start).size() == 2);
        CHECK(async::away_between(a, a.all[1].end, a.all[2].start, {"carol"}).empty());
    }
}
