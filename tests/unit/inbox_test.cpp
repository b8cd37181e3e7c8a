#include <async/config.hpp>
#include <async/dates.hpp>
#include <async/inbox.hpp>
#include <async/index.hpp>
#include <async/workspace.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <sqlite3.h>

#include "index_access.hpp"
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

namespace {

// Counts the statements run while it lives and their virtual machine steps: the work SQLite
// did, question by question and row by row, the same on every machine (unlike a time).
class StepCounter {
public:
    explicit StepCounter(SQLite::Database& db) : m_db{db} {
        sqlite3_trace_v2(m_db.getHandle(), SQLITE_TRACE_PROFILE, &StepCounter::on_done, this);
    }
    ~StepCounter() { sqlite3_trace_v2(m_db.getHandle(), 0, nullptr, nullptr); }
    StepCounter(const StepCounter&) = delete;
    StepCounter& operator=(const StepCounter&) = delete;

    long steps() const { return m_steps; }
    // How many times a statement that reads documents (k_doc_columns) ran.
    long document_questions() const { return m_document_questions; }

private:
    static int on_done(unsigned, void* self, void* statement, void*) {
        auto* counter = static_cast<StepCounter*>(self);
        counter->m_steps += sqlite3_stmt_status(static_cast<sqlite3_stmt*>(statement), SQLITE_STMTSTATUS_VM_STEP, 1);
        if (std::string_view{sqlite3_sql(static_cast<sqlite3_stmt*>(statement))}.find(" FROM docs d WHERE ") !=
            std::string_view::npos) {
            ++counter->m_document_questions;
        }
        return 0;
    }

    SQLite::Database& m_db;
    long m_steps = 0;
    long m_document_questions = 0;
};

struct InboxWork {
    long steps = 0;
    long document_questions = 0;
    std::size_t items = 0;
};

// A workspace with one of every kind of item alice owes on 2026-11-26, and `history` of
// everything that no longer asks anything of her: closed documents she reviewed, closed
// meetings she was in, mentions older than the 14 days that count, her own closed documents
// (answered) and actions she ticked; and `mine` more open documents of hers, each with a reply
// (two items each: the reply, and "close it"). Returns the work of her inbox, and its size.
InboxWork inbox_work(int history, int mine = 0) {
    async_test::ScopedEnvVar tz{"TZ", "UTC"};
    async_test::TempDir dir{"inbox-work"};
    async::init_workspace(dir.path());
    auto write = [&](const std::string& rel, const std::string& front, const std::string& body = "Body.\n") {
        async::write_file_atomic(dir.path() / rel, "+++\n" + front + "+++\n" + body);
    };
    const std::string bob_asks = "type = \"doc\"\nauthor = \"bob\"\ncreated = 2026-11-20T09:00:00Z\n"
                                 "due = 2026-11-30T17:00:00Z\nreviewers = [\"alice\"]\n";
    write("docs/open/index.md", "id = \"doc00001\"\ntitle = \"Open\"\nstatus = \"open\"\n" + bob_asks,
          "## Actions\n\n- [ ] @alice check the numbers due:2026-11-30\n");
    write("meetings/sync/index.md",
          "id = \"mtg00001\"\ntype = \"meeting\"\ntitle = \"Sync\"\nauthor = \"bob\"\nstatus = \"open\"\n"
          "created = 2026-11-24T09:00:00Z\ndue = 2026-11-27T17:00:00Z\nparticipants = [\"alice\", \"carol\"]\n");
    write("docs/mine/index.md",
          "id = \"doc00003\"\ntype = \"doc\"\ntitle = \"Mine\"\nauthor = \"alice\"\nstatus = \"open\"\n"
          "created = 2026-11-18T09:00:00Z\ndue = 2026-11-20T17:00:00Z\nreviewers = [\"bob\"]\n");
    write("docs/mine/replies/20261119T090000Z-bob.md",
          "id = \"rep00001\"\ntype = \"reply\"\nauthor = \"bob\"\ncreated = 2026-11-19T09:00:00Z\n");
    write("docs/mention/index.md",
          "id = \"doc00004\"\ntype = \"doc\"\ntitle = \"Mention\"\nauthor = \"carol\"\nstatus = \"draft\"\n"
          "created = 2026-11-25T09:00:00Z\n",
          "What does @alice think?\n");
    write("people/alice/inbox/20261125T090000Z-bob-call.md",
          "id = \"itm00001\"\ntype = \"item\"\ntitle = \"Call the vendor\"\nauthor = \"bob\"\n"
          "created = 2026-11-25T09:00:00Z\nfor = [\"alice\"]\n");
    for (int i = 0; i < history; ++i) {
        std::string n = std::to_string(10000 + i);
        std::string old = "created = 2025-0" + std::to_string(i % 9 + 1) + "-10T09:00:00Z\n";
        write("docs/reviewed-" + n + "/index.md",
              "type = \"doc\"\ntitle = \"Reviewed\"\nauthor = \"bob\"\nstatus = \"closed\"\n" + old +
                  "reviewers = [\"alice\"]\n",
              "Thanks @alice.\n\n## Actions\n\n- [x] @alice send the numbers\n");
        write("meetings/past-" + n + "/index.md",
              "type = \"meeting\"\ntitle = \"Past\"\nauthor = \"bob\"\nstatus = \"closed\"\n" + old +
                  "participants = [\"alice\", \"carol\"]\n");
        write("docs/written-" + n + "/index.md",
              "type = \"doc\"\ntitle = \"Written\"\nauthor = \"alice\"\nstatus = \"closed\"\n" + old +
                  "reviewers = [\"bob\"]\n");
    }
    for (int i = 0; i < mine; ++i) {
        std::string folder = "docs/mine-" + std::to_string(10000 + i);
        write(folder + "/index.md", "type = \"doc\"\ntitle = \"Also mine\"\nauthor = \"alice\"\nstatus = \"open\"\n"
                                    "created = 2026-11-18T09:00:00Z\nreviewers = [\"bob\"]\n");
        write(folder + "/replies/20261119T090000Z-bob.md",
              "type = \"reply\"\nauthor = \"bob\"\ncreated = 2026-11-19T09:00:00Z\n");
    }
    async::Workspace ws{dir.path()};
    async::Index index{ws};
    index.refresh();
    async::Config config;
    const auto now = *async::parse_iso8601("2026-11-26T10:00:00Z");
    StepCounter counter{async::db_of(index)};
    auto items = async::gather_inbox(index, async::Session{ws, async::Env{}, config, now, "alice"}, false);
    return {counter.steps(), counter.document_questions(), items.size()};
}

} // namespace

// A prompt asks `inbox --count` on every command line, and a workspace of 100,000 documents is
// years of history: what is owed now must be found through indexes that hold only what can
// still be owed, never by reading every document someone was ever asked about, mentioned in or
// wrote. SQLite keeps no statistics of the index, so its plans here are its plans at any size.
TEST_CASE("inbox::gather_inbox does work for what is owed, not for the history") {
    auto [fresh_steps, fresh_questions, fresh_items] = inbox_work(0);
    auto [old_steps, old_questions, old_items] = inbox_work(300);
    // review, response, action, replied, close, mention, item
    CHECK(fresh_items == 7);
    CHECK(old_items == fresh_items);
    INFO("steps without history: " << fresh_steps << ", with 900 documents of it: " << old_steps);
    CHECK(fresh_steps > 0);
    CHECK(old_steps <= fresh_steps + fresh_steps / 4);
}

// Hearing back on what I wrote is one question for all my open documents, not two per
// document (its replies, then who has answered): the questions about documents stay the same
// from 1 open document to 41. (Their tags and people are looked up per document, through two
// statements prepared once, up to 256 documents: finish_docs.)
TEST_CASE("inbox::gather_inbox asks as many questions for many open documents as for one") {
    auto one = inbox_work(0);
    auto many = inbox_work(0, 40);
    CHECK(many.items == one.items + 80);
    CHECK(one.document_questions > 0);
    CHECK(many.document_questions == one.document_questions);
}
