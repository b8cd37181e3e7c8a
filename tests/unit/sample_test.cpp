#include <async/dates.hpp>
#include <async/document.hpp>
#include <async/sample.hpp>
#include <async/workspace.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using async::ErrorKind;
using async_test::error_of;

namespace {

async::TimePoint at(const char* iso) {
    return *async::parse_iso8601(iso);
}

std::vector<std::string> names(const std::vector<fs::path>& paths) {
    std::vector<std::string> out;
    for (const auto& p : paths) {
        out.push_back(p.generic_string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

bool has(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

} // namespace

TEST_CASE("sample::can_take_sample") {
    async_test::TempDir tmp;
    SUBCASE("a missing folder or one without a workspace") {
        CHECK(async::can_take_sample(tmp.path() / "new"));
        std::ofstream{tmp.path() / "README.md"} << "hello\n";
        CHECK(async::can_take_sample(tmp.path()));
    }
    SUBCASE("a fresh workspace, but not one with files or a changed config") {
        async::init_workspace(tmp.path());
        CHECK(async::can_take_sample(tmp.path()));
        SUBCASE("a document") {
            fs::create_directories(tmp.path() / "docs" / "x");
            std::ofstream{tmp.path() / "docs" / "x" / "index.md"} << "+++\n+++\n";
            CHECK_FALSE(async::can_take_sample(tmp.path()));
        }
        SUBCASE("a captured item") {
            fs::create_directories(tmp.path() / "people" / "bob" / "inbox");
            std::ofstream{tmp.path() / "people" / "bob" / "inbox" / "a.md"} << "x\n";
            CHECK_FALSE(async::can_take_sample(tmp.path()));
        }
        SUBCASE("a team config") {
            std::ofstream{tmp.path() / ".async" / "config.toml", std::ios::app} << "[people.bob]\n";
            CHECK_FALSE(async::can_take_sample(tmp.path()));
        }
    }
}

TEST_CASE("sample::write_sample") {
    async_test::TempDir tmp;
    async::init_workspace(tmp.path());
    async::Workspace ws{tmp.path()};
    auto now = at("2026-11-26T10:15:00Z");
    auto written = names(async::write_sample(ws, now));

    SUBCASE("the layout, dated around now") {
        CHECK(has(written, "docs/2026-11-23-pricing-page-redesign/index.md"));
        CHECK(has(written, "docs/2026-11-23-pricing-page-redesign/replies/20261124T093000Z-bob.md"));
        CHECK(has(written, "meetings/2026-11-25-launch-sync/index.md"));
        CHECK(has(written, "meetings/2026-11-25-launch-sync/responses/bob.md"));
        CHECK(has(written, "meetings/2026-11-17-q4-planning/summary.md"));
        CHECK(has(written, "checkins/2026-W47/carol.md"));
        CHECK(has(written, "checkins/2026-W48/alice.md"));
        CHECK_FALSE(has(written, "checkins/2026-W48/carol.md"));
        for (const auto& rel : written) {
            CHECK(fs::is_regular_file(tmp.path() / rel));
        }
    }
    SUBCASE("fixed ids, front matter that parses, every time before now") {
        auto doc = async::Document::parse(
            async::read_file(tmp.path() / "docs/2026-11-23-pricing-page-redesign/index.md"), "x");
        CHECK(doc.get_string("id") == std::string{async::k_sample_doc_id});
        CHECK(doc.get_strings("reviewers") == std::vector<std::string>{"bob", "carol"});
        for (const auto& rel : written) {
            auto d = async::Document::parse(async::read_file(tmp.path() / rel), rel);
            REQUIRE(d.get_time("created"));
            CHECK(*d.get_time("created") <= now);
            CHECK(async::looks_like_id(d.get_string("id").value_or("")));
        }
        auto checkin = async::Document::parse(async::read_file(tmp.path() / "checkins/2026-W48/bob.md"), "x");
        CHECK(checkin.get_string("week") == std::string{"2026-W48"});
        CHECK(checkin.get_string("type") == std::string{"checkin"});
    }
    SUBCASE("the team in the config, and no longer fresh") {
        std::string config = async::read_file(ws.config_file());
        CHECK(config.find("[people.carol]") != std::string::npos);
        CHECK(config.find("bob@example.com") != std::string::npos);
        CHECK_FALSE(async::can_take_sample(tmp.path()));
    }
    SUBCASE("never over an existing file") {
        std::string before = async::read_file(tmp.path() / "checkins/2026-W48/alice.md");
        auto err = error_of([&] { async::write_sample(ws, now); });
        CHECK(err.kind() == ErrorKind::usage);
        CHECK(async::read_file(tmp.path() / "checkins/2026-W48/alice.md") == before);
    }
    SUBCASE("the same files for the same now") {
        async_test::TempDir other;
        async::init_workspace(other.path());
        auto again = names(async::write_sample(async::Workspace{other.path()}, now));
        REQUIRE(again == written);
        for (const auto& rel : written) {
            CHECK(async::read_file(other.path() / rel) == async::read_file(tmp.path() / rel));
        }
    }
}

TEST_CASE("sample::write_sample on a Monday just after midnight") {
    async_test::TempDir tmp;
    async::init_workspace(tmp.path());
    auto now = at("2026-11-30T00:20:00Z");
    auto written = names(async::write_sample(async::Workspace{tmp.path()}, now));
    CHECK(has(written, "checkins/2026-W49/alice.md"));
    CHECK(has(written, "checkins/2026-W48/bob.md"));
    auto d = async::Document::parse(async::read_file(tmp.path() / "checkins/2026-W49/alice.md"), "x");
    CHECK(async::iso_week_of(*d.get_time("created")) == async::IsoWeek{2026, 49});
}
