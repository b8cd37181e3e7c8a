#include <async/config.hpp>
#include <async/dates.hpp>
#include <async/inbox.hpp>
#include <async/index.hpp>
#include <async/workspace.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <tuple>

namespace {

// Rank of an item by the documented rule: overdue, then due later, then no due date; within
// a group by due date, then by when it arrived.
std::tuple<int, async::TimePoint, async::TimePoint> rank_of(const async::InboxItem& item, async::TimePoint now) {
    int group = !item.due ? 2 : (*item.due < now ? 0 : 1);
    return {group, item.due.value_or(async::TimePoint{}), item.since.value_or(async::TimePoint{})};
}

// A workspace where bob asks alice for many actions in many documents: due in the past, due
// later and undated, documents created on different days.
void write_actions(const std::filesystem::path& root, int docs, int per_doc) {
    for (int d = 0; d < docs; ++d) {
        std::string body = "## Actions\n\n";
        for (int i = 0; i < per_doc; ++i) {
            int k = d * per_doc + i;
            body += "- [ ] @alice task " + std::to_string(k);
            if (k % 3 != 2) {
                body += " due:2026-" + std::string{k % 3 == 0 ? "11-" : "12-"} + (k % 28 < 9 ? "0" : "") +
                        std::to_string(k % 28 + 1);
            }
            body += "\n";
        }
        body += "- [ ] @alice task 0\n"; // the same text twice in one document: two items
        std::string day = "0" + std::to_string(d % 9 + 1); // before the 14 days in which mentions count
        async::write_file_atomic(root / "docs" / ("plan-" + std::to_string(d)) / "index.md",
                                 "+++\nid = \"plan" + std::to_string(1000 + d) + "\"\ntitle = \"Plan " + std::to_string(d) +
                                     "\"\nauthor = \"bob\"\ncreated = 2026-11-" + day + "T09:00:00Z\n+++\n" + body);
    }
}

// A workspace of write_actions(docs, per_doc), indexed, seen by alice on a Thursday.
struct Team {
    async_test::ScopedEnvVar tz{"TZ", "UTC"};
    async_test::TempDir dir{"inbox"};
    async::Workspace ws;
    async::Index index;
    async::Config config;
    async::TimePoint now = *async::parse_iso8601("2026-11-26T10:00:00Z");

    Team(int docs, int per_doc) : ws{init(dir.path(), docs, per_doc)}, index{ws} { index.refresh(); }

    static std::filesystem::path init(const std::filesystem::path& root, int docs, int per_doc) {
        async::init_workspace(root);
        write_actions(root, docs, per_doc);
        return root;
    }
};

} // namespace

TEST_CASE("inbox::gather_inbox ranks every item by urgency") {
    Team team{40, 12};
    auto& [tz, dir, ws, index, config, now] = team;

    auto items = async::gather_inbox(index, async::Session{ws, async::Env{}, config, now, "alice"}, false);
    REQUIRE(items.size() == 40 * 13);
    std::set<std::string> keys;
    std::set<std::string> handles;
    for (std::size_t i = 0; i < items.size(); ++i) {
        keys.insert(items[i].key);
        handles.insert(items[i].handle);
        CHECK(items[i].kind == async::ItemKind::action);
        CHECK(items[i].from == "bob");
        if (i > 0) {
            CHECK(rank_of(items[i - 1], now) <= rank_of(items[i], now));
        }
    }
    CHECK(keys.size() == items.size());    // nothing lost, nothing twice
    CHECK(handles.size() == items.size()); // a handle names one item
    CHECK(rank_of(items.front(), now) < rank_of(items.back(), now));
    // The same answer every time.
    auto again = async::gather_inbox(index, async::Session{ws, async::Env{}, config, now, "alice"}, false);
    REQUIRE(again.size() == items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        CHECK(again[i].key == items[i].key);
    }
}

TEST_CASE("inbox::gather_inbox applies the last decision on each item of a long log") {
    Team team{10, 10};
    auto& [tz, dir, ws, index, config, now] = team;
    auto items = async::gather_inbox(index, async::Session{ws, async::Env{}, config, now, "alice"}, false);
    REQUIRE(items.size() == 110);

    // Every item is snoozed into the past, then: the first 30 done, the next 30 snoozed into
    // the future, the next 30 done and then undone (an undo removes the decision from the log).
    std::vector<async::InboxItem> first(items.begin(), items.begin() + 30);
    std::vector<async::InboxItem> second(items.begin() + 30, items.begin() + 60);
    std::vector<async::InboxItem> third(items.begin() + 60, items.begin() + 90);
    auto earlier = now - std::chrono::hours{48};
    async::TriageDecision past{async::TriageVerb::snooze, now - std::chrono::hours{24}, ""};
    async::decide(async::Session{ws, async::Env{}, config, earlier, "alice"}, items, past, false);
    async::decide(async::Session{ws, async::Env{}, config, now, "alice"}, first, async::TriageDecision{}, false);
    async::decide(async::Session{ws, async::Env{}, config, now, "alice"}, second, {async::TriageVerb::snooze, now + std::chrono::hours{72}, ""}, false);
    async::decide(async::Session{ws, async::Env{}, config, now, "alice"}, third, async::TriageDecision{}, false);
    async::decide(async::Session{ws, async::Env{}, config, now, "alice"}, third, {async::TriageVerb::undo, std::nullopt, ""}, false);
    // Every item is an action: done ticked its box in its file (and undo unticked it), so the
    // index sees it once it is refreshed.
    index.refresh();

    auto open = async::gather_inbox(index, async::Session{ws, async::Env{}, config, now, "alice"}, false);
    CHECK(open.size() == 110 - 60);
    auto all = async::gather_inbox(index, async::Session{ws, async::Env{}, config, now, "alice"}, true);
    REQUIRE(all.size() == 110);
    std::map<std::string, async::ItemState> state;
    for (const auto& item : all) {
        state[item.key] = item.state;
    }
    for (const auto& item : first) {
        CHECK(state[item.key] == async::ItemState::done);
    }
    for (const auto& item : second) {
        CHECK(state[item.key] == async::ItemState::snoozed);
    }
    for (const auto& item : third) {
        CHECK(state[item.key] == async::ItemState::open); // back to the expired snooze
    }
    // Once the snooze has passed, the snoozed ones are back.
    auto later = async::gather_inbox(index, async::Session{ws, async::Env{}, config, now + std::chrono::hours{96}, "alice"}, false);
    CHECK(later.size() == 110 - 30);
}
