#include <async/error.hpp>
#include <async/markdown.hpp>
#include <async/meeting.hpp>

#include <doctest/doctest.h>

#include "string_maker.hpp"
#include "temp_dir.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using async::ErrorKind;
using async::ReviewState;
using async_test::error_of;
using Strings = std::vector<std::string>;

namespace {

async::Review person(const std::string& handle, ReviewState state) {
    async::Review r;
    r.handle = handle;
    r.state = state;
    return r;
}

std::string between(const std::string& text, const std::string& from, const std::string& to) {
    auto a = text.find(from);
    REQUIRE(a != std::string::npos);
    auto b = text.find(to, a + from.size());
    return text.substr(a + from.size(), b == std::string::npos ? std::string::npos : b - a - from.size());
}

} // namespace

TEST_CASE("meeting::agenda_items") {
    CHECK(async::agenda_items("# Title\n\n## Pricing\n\ntext\n\n### Detail\n\n## Launch *date*\n\n"
                              "```\n## not a heading\n```\n\n## Decisions\n\n## actions\n") ==
          Strings{"Pricing", "Launch date"});
    CHECK(async::agenda_items("Setext item\n-----------\n\nbody\n") == Strings{"Setext item"});
    CHECK(async::agenda_items("").empty());
}

TEST_CASE("meeting::compile_summary") {
    async::SummarySource src;
    src.agenda_body = "## Pricing\n\nWhich price?\n\n## Launch\n\nWhen?\n\n- [ ] book the room\n";
    src.agenda_author = "alice";
    src.participants = {person("bob", ReviewState::answered), person("carol", ReviewState::pending)};
    src.response_preamble = "*Under each item: write.*\n";

    SUBCASE("the agenda text a response repeats is left out, the rest kept") {
        src.responses = {
            {"bob", std::nullopt, "## Pricing\n\n> Which price?\n\n$12.\n\n## Launch\n\n> When?\n>\n> - [ ] book the room\n"},
            {"carol", std::nullopt, "## Pricing\n\n> Which price? Edited.\n"},
        };
        std::string out = async::compile_summary(src);
        CHECK(between(out, "\n## Pricing\n", "\n## ") ==
              "\n**bob**:\n\n> $12.\n\n**carol**:\n\n> > Which price? Edited.\n");
        CHECK(between(out, "\n## Launch\n", "\n## ").find("bob") == std::string::npos);
    }

    SUBCASE("every response section lands quoted under its agenda item") {
        src.responses = {
            {"bob", std::nullopt,
             "*Under each item:\nwrite.*\n\n## pricing\n\n$10.\n\nDecision: one plan\n\n## Launch\n\n"
             "Dec 1.\n\n- [ ] ship it due:2026-12-01\n\n## Elsewhere\n\nA thought.\n"},
            {"carol", std::nullopt, "Before any item.\n\n## Launch\n\n```\n## Pricing\n```\n"},
        };
        std::string out = async::compile_summary(src);
        CHECK(out.starts_with("**Responded:** bob\n**No response:** carol\n"));
        std::string pricing = between(out, "\n## Pricing\n", "\n## ");
        CHECK(pricing == "\n**bob**:\n\n> $10.\n>\n> Decision: one plan\n");
        std::string launch = between(out, "\n## Launch\n", "\n## ");
        CHECK(launch.find("> Dec 1.") != std::string::npos);
        CHECK(launch.find("**carol**:\n\n> ```\n> ## Pricing\n> ```\n") != std::string::npos);
        std::string other = between(out, "\n## Other remarks\n", "\n## Decisions");
        CHECK(other.find("**bob** (under \"Elsewhere\"):\n\n> A thought.") != std::string::npos);
        CHECK(other.find("**carol**:\n\n> Before any item.") != std::string::npos);
        CHECK(other.find("Under each item") == std::string::npos); // the untouched template intro
        CHECK(between(out, "\n## Decisions\n\n", "\n## Actions") == "- one plan\n");
        CHECK(between(out, "\n## Actions\n\n", "\n## ") ==
              "- [ ] @alice book the room\n- [ ] @bob ship it due:2026-12-01\n");

        // The compiled text itself holds exactly those decisions and actions: none from quotes.
        auto found = async::extract_markdown(out);
        REQUIRE(found.decisions.size() == 1);
        CHECK(found.decisions[0].text == "one plan");
        REQUIRE(found.actions.size() == 2);
        CHECK(found.actions[1].owner == "bob");
    }

    SUBCASE("no responses, duplicates once, an empty agenda") {
        src.responses = {{"bob", std::nullopt, "## Launch\n\n- [ ] @alice book the room\n"}};
        std::string out = async::compile_summary(src);
        CHECK(out.find("## Pricing\n\n*No responses.*\n") != std::string::npos);
        CHECK(between(out, "\n## Actions\n\n", "\n## ") == "- [ ] @alice book the room\n");
        src.agenda_body = "";
        src.responses.clear();
        out = async::compile_summary(src);
        CHECK(out.find("*None yet") != std::string::npos);
    }
}

TEST_CASE("meeting::require_meeting") {
    async::DocSummary doc;
    doc.type = "meeting";
    async::require_meeting(doc);
    doc.type = "response";
    doc.path = "meetings/x/responses/bob.md";
    doc.parent = "meetings/x/index.md";
    auto e = error_of([&] { async::require_meeting(doc); });
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(e.hint().find("meetings/x/index.md") != std::string::npos);
}
