#include <async/error.hpp>
#include <async/feedback.hpp>
#include <async/index.hpp>
#include <async/query.hpp>
#include <async/workspace.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <chrono>
#include <filesystem>
#include <string>

namespace fs = std::filesystem;
using async::ErrorKind;
using async::ReviewState;
using async::TimePoint;
using async_test::error_of;

namespace {

// Built without the code under test.
TimePoint utc(int y, unsigned m, unsigned d, int h = 0, int min = 0) {
    return TimePoint{std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}}} +
           std::chrono::hours{h} + std::chrono::minutes{min};
}

struct Fixture {
    async_test::TempDir tmp{"feedback"};
    async::Workspace ws{init(tmp.path())};

    static fs::path init(const fs::path& dir) {
        async::init_workspace(dir);
        return dir;
    }
    void write(const std::string& rel, const std::string& front, const std::string& body = "Body.\n") const {
        async::write_file_atomic(tmp.path() / rel, "+++\n" + front + "+++\n" + body);
    }
};

const std::string k_doc = "docs/2026-11-26-pricing/index.md";

void seed(const Fixture& f) {
    f.write(k_doc, "id = \"k3f9q2ma\"\ntype = \"doc\"\ntitle = \"Pricing\"\nauthor = \"alice\"\n"
                   "created = 2026-11-26T10:00:00Z\nstatus = \"open\"\ndue = 2026-11-27T17:00:00Z\n"
                   "reviewers = [\"bob\", \"Carol\", \"dave\"]\n",
            "## Problem\n\nx\n\n## Which tiers?\n\ny\n");
    f.write("docs/2026-11-26-pricing/replies/20261127T120000Z-bob.md",
            "id = \"r2000002\"\ntype = \"reply\"\nauthor = \"bob\"\ncreated = 2026-11-27T12:00:00Z\n");
    f.write("docs/2026-11-26-pricing/replies/20261127T101500Z-bob.md",
            "id = \"r2000001\"\ntype = \"reply\"\nauthor = \"bob\"\ncreated = 2026-11-27T10:15:00Z\n");
    f.write("docs/2026-11-26-pricing/replies/20261127T090000Z-erin.md",
            "id = \"r2000003\"\ntype = \"reply\"\nauthor = \"erin\"\ncreated = 2026-11-27T09:00:00Z\n");
}

} // namespace

TEST_CASE("reviews_of: answered by the first reply, pending or overdue by the due date") {
    Fixture f;
    seed(f);
    async::Index index{f.ws};
    index.refresh();
    auto doc = async::resolve_ref(index, "k3f9q2ma", f.tmp.path());

    auto before = async::reviews_of(index, doc, utc(2026, 11, 27, 12));
    REQUIRE(before.size() == 3);
    CHECK(before[0].handle == "bob");
    CHECK(before[0].state == ReviewState::answered);
    REQUIRE(before[0].replied);
    CHECK(*before[0].replied == utc(2026, 11, 27, 10, 15));
    CHECK(before[1].handle == "carol");
    CHECK(before[1].state == ReviewState::pending);
    CHECK_FALSE(before[1].replied);
    CHECK(before[2].state == ReviewState::pending);

    auto after = async::reviews_of(index, doc, utc(2026, 11, 28));
    CHECK(after[0].state == ReviewState::answered);
    CHECK(after[1].state == ReviewState::overdue);
    CHECK(async::to_string(after[1].state) == "overdue");
}

TEST_CASE("reviews_of: no reviewers, no reviews") {
    Fixture f;
    f.write("docs/2026-11-26-solo/index.md", "id = \"s0000001\"\nauthor = \"alice\"\n");
    async::Index index{f.ws};
    index.refresh();
    auto doc = async::resolve_ref(index, "s0000001", f.tmp.path());
    CHECK(async::reviews_of(index, doc, utc(2026, 12, 1)).empty());
}

TEST_CASE("reply context block: title, deadline, questions, stripped again") {
    async::DocSummary doc;
    doc.id = "k3f9q2ma";
    doc.title = "Tricky --> title";
    doc.author = "alice";
    doc.due = utc(2026, 11, 27, 17);
    std::string block = async::reply_context_block(doc, "# Top\n\n## Problem\n\n### Sub\n\n## Which tiers?\n");
    CHECK(block.starts_with(std::string{async::k_reply_context_marker}));
    CHECK(block.find("Problem") != std::string::npos);
    CHECK(block.find("Which tiers?") != std::string::npos);
    CHECK(block.find("Sub") == std::string::npos);
    CHECK(block.find("Feedback due:") != std::string::npos);
    CHECK(block.find("-->") == block.size() - 4); // only the closing one

    CHECK(async::strip_reply_context("My answer.\n\n" + block) == "My answer.\n");
    CHECK(async::strip_reply_context("Before.\n\n" + block + "\nAfter.\n") == "Before.\n\nAfter.\n");
    CHECK(async::strip_reply_context(block) == "");
    CHECK(async::strip_reply_context("No block.\n") == "No block.\n");
}

TEST_CASE("close_document: status, closed time, outcome, idempotent") {
    Fixture f;
    seed(f);
    async::Index index{f.ws};
    index.refresh();
    auto doc = async::resolve_ref(index, "k3f9q2ma", f.tmp.path());
    auto file = f.tmp.path() / k_doc;

    CHECK(async::close_document(f.ws, doc, utc(2026, 11, 28), std::nullopt) == async::CloseResult::closed);
    std::string text = async::read_file(file);
    CHECK(text.find("status = \"closed\"") != std::string::npos);
    CHECK(text.find("closed = 2026-11-28T00:00:00Z") != std::string::npos);
    CHECK(text.find("reviewers = [\"bob\", \"Carol\", \"dave\"]") != std::string::npos);

    CHECK(async::close_document(f.ws, doc, utc(2026, 11, 29), std::nullopt) == async::CloseResult::already_closed);
    CHECK(async::read_file(file) == text);

    CHECK(async::close_document(f.ws, doc, utc(2026, 11, 29), std::string{"Go with\nthree tiers"}) ==
          async::CloseResult::outcome_added);
    text = async::read_file(file);
    CHECK(text.find("closed = 2026-11-28T00:00:00Z") != std::string::npos);
    CHECK(text.ends_with("## Which tiers?\n\ny\n\n## Outcome\n\nDecision: Go with three tiers\n"));

    CHECK(error_of([&] { async::close_document(f.ws, doc, utc(2026, 11, 29), std::string{" "}); }).kind() ==
          ErrorKind::usage);
    auto reply = async::resolve_ref(index, "r2000001", f.tmp.path());
    CHECK(error_of([&] { async::close_document(f.ws, reply, utc(2026, 11, 29), std::nullopt); }).kind() ==
          ErrorKind::usage);
}
