#include <async/checkin.hpp>
#include <async/config.hpp>
#include <async/env.hpp>
#include <async/error.hpp>
#include <async/index.hpp>
#include <async/process.hpp>
#include <async/workspace.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <chrono>
#include <filesystem>
#include <string>

namespace fs = std::filesystem;
using async::CheckinState;
using async::DigestFormat;
using async::ErrorKind;
using async::IsoWeek;
using async::TimePoint;
using async_test::error_of;
using async_test::ScopedEnvVar;

namespace {

// Built without the code under test.
TimePoint utc(int y, unsigned m, unsigned d, int h = 0, int min = 0) {
    return TimePoint{std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}}} +
           std::chrono::hours{h} + std::chrono::minutes{min};
}

const TimePoint k_thursday = utc(2026, 11, 26, 10, 15);

struct Fixture {
    ScopedEnvVar tz{"TZ", "UTC"};
    async_test::TempDir tmp{"checkin"};
    async::Workspace ws{init(tmp.path() / "ws")};
    async::Env env{{{"HOME", (tmp.path() / "home").string()}}};

    static fs::path init(const fs::path& dir) {
        async::init_workspace(dir);
        return dir;
    }
    void write(const std::string& rel, const std::string& text) const {
        async::write_file_atomic(ws.root() / rel, text);
    }
    async::Config config(const std::string& toml) const {
        async::write_file_atomic(ws.config_file(), toml);
        return async::Config::load(env, ws.config_file());
    }
};

void git(const fs::path& repo, std::vector<std::string> args) {
    std::vector<std::string> argv = {"git", "-C", repo.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    auto result = async::run_process(argv, async::Capture::stdout_only);
    REQUIRE(result);
    REQUIRE(result->exit_status == 0);
}

void commit(const fs::path& repo, const std::string& email, const std::string& date, const std::string& subject) {
    ScopedEnvVar author_date{"GIT_AUTHOR_DATE", date};
    ScopedEnvVar committer_date{"GIT_COMMITTER_DATE", date};
    git(repo, {"-c", "user.name=" + email.substr(0, email.find('@')), "-c", "user.email=" + email, "commit", "-q",
               "--allow-empty", "-m", subject});
}

} // namespace

namespace {

IsoWeek resolve_week(std::string_view text, async::TimePoint now) {
    return async::parse_iso_week(async::resolve_period(async::Cadence::weekly, text, now).label);
}

async::CheckinPeriod week_period(int year, int week) {
    return *async::parse_period(async::format_iso_week({year, week}));
}

} // namespace

TEST_CASE("checkin::resolve_week") {
    SUBCASE("ISO weeks, strictly") {
        CHECK(resolve_week("2026-W48", k_thursday) == IsoWeek{2026, 48});
        CHECK(resolve_week("2026-w53", k_thursday) == IsoWeek{2026, 53});
        CHECK(resolve_week("2025W01", k_thursday) == IsoWeek{2025, 1});
        auto e = error_of([] { resolve_week("2025-W53", k_thursday); });
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(std::string{e.what()} == "invalid week '2025-W53': 2025 has no week 53");
        CHECK(error_of([] { resolve_week("2026-W00", k_thursday); }).kind() == ErrorKind::usage);
        CHECK(error_of([] { resolve_week("2026-W54", k_thursday); }).kind() == ErrorKind::usage);
    }
    SUBCASE("this, last, next across a year with 53 weeks") {
        CHECK(resolve_week("this", k_thursday) == IsoWeek{2026, 48});
        CHECK(resolve_week("LAST", k_thursday) == IsoWeek{2026, 47});
        CHECK(resolve_week("next", k_thursday) == IsoWeek{2026, 49});
        CHECK(resolve_week("next", utc(2026, 12, 24)) == IsoWeek{2026, 53});
        CHECK(resolve_week("next", utc(2026, 12, 30)) == IsoWeek{2027, 1});
        CHECK(resolve_week("last", utc(2027, 1, 5)) == IsoWeek{2026, 53});
        CHECK(resolve_week("last", utc(2025, 1, 1)) == IsoWeek{2024, 52});
    }
    SUBCASE("a date names the week it is in") {
        CHECK(resolve_week("2027-01-01", k_thursday) == IsoWeek{2026, 53});
        CHECK(resolve_week("2024-12-30", k_thursday) == IsoWeek{2025, 1});
        CHECK(resolve_week("-7d", k_thursday) == IsoWeek{2026, 47});
    }
    SUBCASE("anything else is a usage error quoting the text") {
        for (const char* bad : {"", "  ", "week 48", "2026-W", "2026-W4x", "48", "lastweek", "2026-13-01",
                                "\x1b[31mred"}) {
            auto e = error_of([bad] { resolve_week(bad, k_thursday); });
            CHECK(e.kind() == ErrorKind::usage);
            CHECK(std::string{e.what()}.find('\x1b') == std::string::npos);
        }
        CHECK(std::string{error_of([] { resolve_week("soon", k_thursday); }).what()} == "invalid week 'soon'");
    }
}

TEST_CASE("checkin::checkin_file") {
    Fixture f;
    CHECK(async::checkin_file(f.ws, week_period(2026, 5), "alice") == f.ws.root() / "checkins/2026-W05/alice.md");
}

TEST_CASE("checkin::commits_by") {
    async_test::TempDir tmp{"checkin-git"};
    ScopedEnvVar home{"HOME", tmp.path().string()};
    ScopedEnvVar nosystem{"GIT_CONFIG_NOSYSTEM", "1"};
    fs::path repo = tmp / "api";
    fs::create_directories(repo);
    git(repo, {"init", "-q"});
    commit(repo, "alice@example.com", "2026-11-20T09:00:00Z", "before the window");
    commit(repo, "Alice@Example.com", "2026-11-23T09:00:00Z", "mine, first");
    commit(repo, "bob@example.com", "2026-11-24T09:00:00Z", "bob's");
    commit(repo, "alice@example.com", "2026-11-25T09:00:00Z", "mine \x1b[31mred\x1b[0m\tsubject");
    commit(repo, "alice@example.com", "2026-11-30T09:00:00Z", "after the window");

    SUBCASE("mine only, in the window, oldest first, subjects cleaned") {
        auto commits = async::commits_by(repo, {"alice@example.com"}, utc(2026, 11, 23), utc(2026, 11, 30));
        REQUIRE(commits.size() == 2);
        CHECK(commits[0].repo == "api");
        CHECK(commits[0].subject == "mine, first");
        CHECK(commits[0].hash.size() >= 7);
        CHECK(commits[1].subject == "mine [31mred[0m subject");
        CHECK(commits[1].authored == utc(2026, 11, 25, 9));
    }
    SUBCASE("another branch counts; nobody's address matches nothing") {
        git(repo, {"checkout", "-q", "-b", "feature"});
        commit(repo, "alice@example.com", "2026-11-26T09:00:00Z", "on a branch");
        git(repo, {"checkout", "-q", "-"});
        auto commits = async::commits_by(repo, {"alice@example.com"}, utc(2026, 11, 23), utc(2026, 11, 30));
        CHECK(commits.size() == 3);
        CHECK(async::commits_by(repo, {"carol@example.com"}, utc(2026, 11, 1), utc(2026, 12, 1)).empty());
    }
    SUBCASE("not a repository") {
        fs::create_directories(tmp / "plain");
        auto e = error_of([&] { async::commits_by(tmp / "plain", {"a@b"}, utc(2026, 1, 1), utc(2027, 1, 1)); });
        CHECK(e.kind() == ErrorKind::data);
        CHECK(std::string{e.what()}.find("is not a git repository") != std::string::npos);
    }
}

TEST_CASE("checkin::checkin_repos and my_emails") {
    Fixture f;
    auto config = f.config("[checkin]\nrepos = [\"~/src/api\", \"../web\", \"/srv/git/site.git\", \"\"]\n"
                           "[people.alice]\nemail = \" Alice@Example.com \"\n");
    auto repos = async::checkin_repos(f.ws, f.env, config);
    REQUIRE(repos.size() == 3);
    CHECK(repos[0] == f.tmp.path() / "home/src/api");
    CHECK(repos[1] == f.tmp.path() / "web");
    CHECK(repos[2] == fs::path{"/srv/git/site.git"});
    ScopedEnvVar home{"HOME", f.tmp.path().string()};
    ScopedEnvVar nosystem{"GIT_CONFIG_NOSYSTEM", "1"};
    auto emails = async::my_emails(f.ws, config, "alice");
    REQUIRE(!emails.empty());
    CHECK(emails[0] == "alice@example.com");
}

TEST_CASE("checkin::week_checkins") {
    Fixture f;
    auto config = f.config("[people.alice]\nname = \"Alice A.\"\n[people.bob]\nname = \"Bob B.\"\n"
                           "[people.carol]\nname = \"Carol C.\"\n");
    f.write("checkins/2026-W48/alice.md",
            "+++\nid = \"a1b2c3d4\"\ntype = \"checkin\"\nauthor = \"alice\"\ncreated = 2026-11-26T10:00:00Z\n"
            "week = \"2026-W48\"\n+++\n## What have you been working on?\n\nPricing.\n");
    f.write("checkins/2026-W48/bob.md", "+++\ntitle = \"unclosed\n+++\nbody\n");
    f.write("checkins/2026-W48/erin.md", "+++\nid = \"e1e2e3e4\"\ntype = \"checkin\"\nauthor = \"erin\"\n+++\nHi.\n");
    f.write("checkins/2026-W48/Not A Handle.md", "+++\n+++\nx\n");
    f.write("checkins/2026-W47/carol.md", "+++\nid = \"c1c2c3c4\"\n+++\nLast week.\n");

    auto week = async::week_checkins(f.ws, config, week_period(2026, 48), "dave");
    REQUIRE(week.members.size() == 5);
    CHECK(week.members[0].handle == "alice");
    CHECK(week.members[0].name == "Alice A.");
    CHECK(week.members[0].state == CheckinState::done);
    CHECK(week.members[0].path == "checkins/2026-W48/alice.md");
    CHECK(week.members[0].created == utc(2026, 11, 26, 10));
    CHECK(week.members[0].body.find("Pricing.") != std::string::npos);
    CHECK(week.members[1].handle == "bob");
    CHECK(week.members[1].state == CheckinState::invalid);
    CHECK(week.members[1].problem.find("checkins/2026-W48/bob.md:") == 0);
    CHECK(week.members[2].handle == "carol");
    CHECK(week.members[2].state == CheckinState::missing);
    CHECK(week.members[2].path.empty());
    CHECK(week.members[3].handle == "dave"); // me, though not in the team config
    CHECK(week.members[3].state == CheckinState::missing);
    CHECK(week.members[4].handle == "erin"); // not in the config, but checked in
    CHECK(week.members[4].state == CheckinState::done);
    CHECK(week.done() == 2);

    SUBCASE("without me, only the team and who checked in") {
        auto team = async::week_checkins(f.ws, config, week_period(2026, 48), "");
        REQUIRE(team.members.size() == 4);
        CHECK(team.members[3].handle == "erin");
    }
    SUBCASE("a symbolic link is not a check-in") {
        fs::create_symlink(f.ws.root() / "checkins/2026-W48/alice.md", f.ws.root() / "checkins/2026-W48/carol.md");
        auto again = async::week_checkins(f.ws, config, week_period(2026, 48), "dave");
        CHECK(again.members[2].state == CheckinState::invalid);
    }
}

TEST_CASE("checkin::render_digest") {
    async::WeekCheckins week;
    week.period = week_period(2026, 48);
    async::MemberCheckin alice;
    alice.handle = "alice";
    alice.name = "Alice <script>alert(1)</script> *A*";
    alice.state = CheckinState::done;
    alice.body = "# Top\n## What have you been working on?\r\n\n- [x] shipped \x1b[2Jit\n<b>raw</b>\n"
                 "###### deep\n```sh\n# not a heading\n";
    async::MemberCheckin bob;
    bob.handle = "bob";
    bob.state = CheckinState::missing;
    async::MemberCheckin carol;
    carol.handle = "carol";
    carol.state = CheckinState::invalid;
    carol.problem = "checkins/2026-W48/carol.md:2:9: invalid TOML";
    week.members = {alice, bob, carol};
    ScopedEnvVar tz{"TZ", "UTC"};

    SUBCASE("markdown") {
        std::string md = async::render_digest(week, DigestFormat::markdown);
        CHECK(md.starts_with("# Check-ins 2026-W48\n\n2026-11-23 to 2026-11-29: 1 of 3 checked in.\n\n"));
        CHECK(md.find("Missing: @bob\n") != std::string::npos);
        CHECK(md.find("Could not be read: @carol\n") != std::string::npos);
        CHECK(md.find("## Alice \\<script\\>alert(1)\\</script\\> \\*A\\* (@alice)\n") != std::string::npos);
        CHECK(md.find("\n### Top\n### What have you been working on?\n") != std::string::npos);
        CHECK(md.find("###### deep\n") != std::string::npos);
        CHECK(md.find("\n# not a heading\n```\n") != std::string::npos); // the fence is closed
        CHECK(md.find('\x1b') == std::string::npos);
        CHECK(md.find('\r') == std::string::npos);
        CHECK(md.find("## @carol\n\n*This check-in could not be read: ") != std::string::npos);
        CHECK(md.find("## @bob") == std::string::npos); // missing people get no section
    }
    SUBCASE("html") {
        std::string html = async::render_digest(week, DigestFormat::html);
        CHECK(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        CHECK(html.find("<style>") != std::string::npos);
        CHECK(html.find("<script") == std::string::npos);
        CHECK(html.find("<b>") == std::string::npos);
        CHECK(html.find("&lt;script&gt;") != std::string::npos);
        CHECK(html.find("&lt;b&gt;raw&lt;/b&gt;") != std::string::npos);
        CHECK(html.find('\x1b') == std::string::npos);
        CHECK(html.ends_with("</body>\n</html>\n"));
    }
    SUBCASE("html links: only http, https, mailto and relative ones survive") {
        week.members[0].body = "[a](javascript:alert(1)) [b](JavaScript&#58;alert(2)) [c](<java\tscript:x>) "
                               "![d](data:image/png;base64,AAAA) [e](https://example.com/?a=1&b=2) "
                               "[f](mailto:bob@example.com) [g](../x.md#top) [h](vbscript:x) <javascript:alert(3)>\n";
        std::string html = async::render_digest(week, DigestFormat::html);
        for (const char* bad : {"=\"javascript", "=\"JavaScript", "=\"java", "=\"vbscript", "=\"data"}) {
            CHECK_MESSAGE(html.find(bad) == std::string::npos, bad);
        }
        CHECK(html.find("href=\"https://example.com/?a=1&amp;b=2\"") != std::string::npos);
        CHECK(html.find("href=\"mailto:bob@example.com\"") != std::string::npos);
        CHECK(html.find("href=\"../x.md#top\"") != std::string::npos);
        CHECK(html.find("href=\"#\"") != std::string::npos);
        CHECK(html.find("src=\"#\"") != std::string::npos);
    }
    SUBCASE("html: a remote image becomes a link, so opening the mail loads nothing") {
        week.members[0].body = "![chart](https://cdn.example.com/c.png) ![](//tracker.example.com/p.gif)\n";
        std::string html = async::render_digest(week, DigestFormat::html);
        CHECK(html.find("<img") == std::string::npos);
        CHECK(html.find("<a href=\"https://cdn.example.com/c.png\">chart</a>") != std::string::npos);
        CHECK(html.find("<a href=\"//tracker.example.com/p.gif\">") != std::string::npos);
    }
}

TEST_CASE("checkin::write_checkin and gather_prefill") {
    Fixture f;
    ScopedEnvVar home{"HOME", f.tmp.path().string()};
    ScopedEnvVar nosystem{"GIT_CONFIG_NOSYSTEM", "1"};
    auto config = f.config("[checkin]\nquestions = [\"Wins?\", \"Next?\"]\n");
    f.write("docs/2026-11-24-plan/index.md",
            "+++\nid = \"p1p2p3p4\"\ntype = \"doc\"\ntitle = \"Plan\"\nauthor = \"alice\"\n"
            "created = 2026-11-24T10:00:00Z\n+++\n- [x] ship the plan\n- [ ] @bob review\n");
    f.write("docs/2026-10-01-old/index.md",
            "+++\nid = \"o1o2o3o4\"\ntype = \"doc\"\ntitle = \"Old\"\nauthor = \"alice\"\n"
            "created = 2026-10-01T10:00:00Z\n+++\nx\n");
    async::Index index{f.ws};
    index.refresh();
    async::Clock clock{k_thursday};

    auto prefill = async::gather_prefill(index, async::Session{f.ws, f.env, config, k_thursday, "alice"}, week_period(2026, 48));
    CHECK(!prefill.since);
    CHECK(prefill.commits.empty());
    REQUIRE(prefill.done_actions.size() == 1);
    CHECK(prefill.done_actions[0] == "ship the plan (Plan)");
    REQUIRE(prefill.documents.size() == 1);
    CHECK(prefill.documents[0] == "Plan (doc p1p2p3p4)");

    async::BodyInput none;
    none.edit = async::EditChoice::never;
    auto written = async::write_checkin(index, async::Session{f.ws, f.env, config, clock.now(), "alice"}, week_period(2026, 48), none);
    CHECK(written.created);
    CHECK(written.path == f.ws.root() / "checkins/2026-W48/alice.md");
    std::string text = async::read_file(written.path);
    CHECK(text.find("type = \"checkin\"\n") != std::string::npos);
    CHECK(text.find("week = \"2026-W48\"\n") != std::string::npos);
    CHECK(text.find("id = \"" + written.id + "\"\n") != std::string::npos);
    CHECK(text.find("## Wins?\n- Done: ship the plan (Plan)\n- Wrote: Plan (doc p1p2p3p4)\n\n## Next?\n") !=
          std::string::npos);

    SUBCASE("again: the same file is edited") {
        async::BodyInput message;
        message.message = "Replaced.";
        auto again = async::write_checkin(index, async::Session{f.ws, f.env, config, clock.now(), "alice"}, week_period(2026, 48), message);
        CHECK(!again.created);
        CHECK(again.changed);
        CHECK(again.id == written.id);
        CHECK(async::read_file(written.path).ends_with("+++\nReplaced.\n"));
        auto unchanged = async::write_checkin(index, async::Session{f.ws, f.env, config, clock.now(), "alice"}, week_period(2026, 48), message);
        CHECK(!unchanged.changed);
    }
    SUBCASE("next week: done actions already listed are not listed again") {
        index.refresh();
        auto next = async::gather_prefill(index, async::Session{f.ws, f.env, config, k_thursday, "alice"}, week_period(2026, 49));
        CHECK(next.since == k_thursday);
        CHECK(next.done_actions.empty());
        CHECK(next.documents.empty());
    }
    SUBCASE("no editor and no terminal fails before writing anything") {
        if (!async::has_terminal()) {
            async::BodyInput editor;
            auto e = error_of([&] { async::write_checkin(index, async::Session{f.ws, f.env, config, clock.now(), "alice"}, week_period(2026, 50), editor); });
            CHECK(e.kind() == ErrorKind::environment);
            CHECK(!fs::exists(f.ws.root() / "checkins/2026-W50"));
        }
    }
}
