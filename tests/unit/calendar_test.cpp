#include <async/calendar.hpp>
#include <async/dates.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

async::Deadline feedback(std::string title) {
    async::Deadline d;
    d.kind = async::DeadlineKind::feedback;
    d.key = "feedback:k3f9q2ma";
    d.title = std::move(title);
    d.due = *async::parse_iso8601("2026-11-28T17:00:00Z");
    d.date = "2026-11-28";
    d.doc_id = "k3f9q2ma";
    d.path = "docs/2026-11-26-x/index.md";
    d.author = "bob";
    d.owed_by = {"alice"};
    return d;
}

// The calendar with its folded lines joined again (RFC 5545 3.1).
std::string unfolded(std::string text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 3, "\r\n ") == 0) {
            i += 2;
            continue;
        }
        out += text[i];
    }
    return out;
}

} // namespace

TEST_CASE("calendar::calendar_uid") {
    CHECK(async::calendar_uid(feedback("x"), "ws1") == "feedback-k3f9q2ma@ws1.async");
    CHECK(async::calendar_uid(feedback("x"), "ws2") == "feedback-k3f9q2ma@ws2.async");
    async::Deadline a;
    a.kind = async::DeadlineKind::action;
    a.key = "action:f0e90a7";
    CHECK(async::calendar_uid(a, "ws1") == "action-f0e90a7@ws1.async");
    a.kind = async::DeadlineKind::checkin;
    a.key = "checkin:2026-W48";
    CHECK(async::calendar_uid(a, "ws1") == "checkin@ws1.async");
}

TEST_CASE("calendar::build_calendar") {
    auto now = *async::parse_iso8601("2026-11-26T10:15:00Z");
    std::string ics = async::build_calendar(
        {feedback("Pricing, tiers; a\\b \xF0\x9F\x9A\x80\r\nSUMMARY:evil")}, async::Cadence::weekly, 3, now, "ws1");
    std::string flat = unfolded(ics);

    SUBCASE("lines end in CRLF and are at most 75 octets") {
        std::size_t start = 0;
        while (start < ics.size()) {
            auto end = ics.find("\r\n", start);
            REQUIRE(end != std::string::npos);
            CHECK(end - start <= 75);
            start = end + 2;
        }
    }
    SUBCASE("the event") {
        CHECK(flat.find("UID:feedback-k3f9q2ma@ws1.async\r\n") != std::string::npos);
        CHECK(flat.find("DTSTAMP:20261126T101500Z\r\n") != std::string::npos);
        CHECK(flat.find("DTSTART:20261128T170000Z\r\n") != std::string::npos);
        // Escaped, one line: the CRLF in the title cannot start a property of its own.
        CHECK(flat.find("SUMMARY:Feedback due: Pricing\\, tiers\\; a\\\\b \xF0\x9F\x9A\x80 "
                        "SUMMARY:evil\r\n") != std::string::npos);
        CHECK(flat.find("\r\nSUMMARY:evil") == std::string::npos);
    }
    SUBCASE("the recurring check-in on the configured day") {
        CHECK(flat.find("UID:checkin@ws1.async\r\n") != std::string::npos);
        CHECK(flat.find("RRULE:FREQ=WEEKLY;BYDAY=TH\r\n") != std::string::npos);
        CHECK(flat.find("DTSTART;VALUE=DATE:20260101\r\n") != std::string::npos);
    }
    SUBCASE("the same input gives the same text") {
        CHECK(async::build_calendar({feedback("Pricing")}, async::Cadence::weekly, 4, now, "ws1") ==
              async::build_calendar({feedback("Pricing")}, async::Cadence::weekly, 4, now, "ws1"));
    }
}
