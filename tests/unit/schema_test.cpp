#include <async/schema.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

TEST_CASE("schema::known_types") {
    CHECK(async::known_types() == std::vector<std::string>{"doc", "decision", "sop", "onboarding", "post",
                                          "watercooler", "meeting", "response", "reply", "summary",
                                          "checkin", "item", "note", "event"});
    CHECK(async::is_titled_type("event"));
    CHECK_FALSE(async::is_child_type("event"));
}

TEST_CASE("schema::types") {
    CHECK(async::is_child_type("reply"));
    CHECK(async::is_child_type("response"));
    CHECK(async::is_child_type("summary"));
    CHECK_FALSE(async::is_child_type("doc"));
    CHECK_FALSE(async::is_child_type("nonsense"));
    CHECK(async::is_titled_type("meeting"));
    CHECK(async::is_titled_type("watercooler"));
    CHECK_FALSE(async::is_titled_type("reply"));
    CHECK_FALSE(async::is_titled_type("checkin"));
    CHECK_FALSE(async::is_titled_type(""));
    CHECK(async::is_status("draft"));
    CHECK_FALSE(async::is_status("Open"));
}

TEST_CASE("schema::is_id") {
    CHECK(async::is_id("k3f9q2ma"));
    CHECK_FALSE(async::is_id("k3f9"));
    CHECK_FALSE(async::is_id("K3F9Q2MA"));
    CHECK_FALSE(async::is_id("k3f9q2ma0"));
}

TEST_CASE("schema::looks_like_id") {
    CHECK(async::looks_like_id("k3f9"));
    CHECK(async::looks_like_id("k3f9q2"));
    CHECK(async::looks_like_id("k3f9q2ma"));
    CHECK(async::looks_like_id("00000000"));
    CHECK_FALSE(async::looks_like_id(""));
    CHECK_FALSE(async::looks_like_id("k3f"));
    CHECK_FALSE(async::looks_like_id("k3f9q2ma0"));
    CHECK_FALSE(async::looks_like_id("K3F9"));
    CHECK_FALSE(async::looks_like_id("k3-9"));
    CHECK_FALSE(async::looks_like_id("k3f9/"));
    CHECK_FALSE(async::looks_like_id("docs/x/index.md"));
    CHECK_FALSE(async::looks_like_id("k3f\xC3\xA9"));
}


TEST_CASE("schema::display_title") {
    using async::display_title;
    const std::string parent = "docs/2026-11-26-x/index.md";
    SUBCASE("a title is kept") {
        CHECK(display_title("doc", "Pricing", "alice", "", "") == "Pricing");
        CHECK(display_title("reply", "My own", "bob", "Pricing", parent) == "My own");
    }
    SUBCASE("an untitled reply or response is named after what it answers") {
        CHECK(display_title("reply", "", "bob", "Pricing", parent) == "Re: Pricing — bob's reply");
        CHECK(display_title("response", "", "bob", "Weekly sync", parent) == "Re: Weekly sync — bob's response");
        CHECK(display_title("summary", "", "carol", "Weekly sync", parent) == "Summary: Weekly sync");
    }
    SUBCASE("an untitled parent is named by its path; no author, by the type") {
        CHECK(display_title("reply", "", "bob", "", parent) == "Re: " + parent + " — bob's reply");
        CHECK(display_title("reply", "", "", "Pricing", parent) == "Re: Pricing — reply");
        CHECK(display_title("response", "", "bob", "", "") == "bob's response");
    }
    SUBCASE("other untitled documents stay untitled") {
        CHECK(display_title("checkin", "", "bob", "", "").empty());
        CHECK(display_title("doc", "", "bob", "Pricing", parent).empty());
    }
}
