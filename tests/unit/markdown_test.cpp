#include <async/markdown.hpp>

#include <doctest/doctest.h>

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "string_maker.hpp"

namespace {

using async::extract_markdown;
using Strings = std::vector<std::string>;
using OptString = std::optional<std::string>;

struct ExpectedAction {
    std::string text;
    std::string raw;
    OptString owner;
    OptString due;
    bool done = false;
    std::size_t line = 0;
};

void check_actions(const std::vector<async::Action>& actual,
                   const std::vector<ExpectedAction>& expected) {
    REQUIRE(actual.size() == expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
        INFO("action #" << i);
        CHECK(actual[i].text == expected[i].text);
        CHECK(actual[i].raw == expected[i].raw);
        CHECK(actual[i].owner == expected[i].owner);
        CHECK(actual[i].due == expected[i].due);
        CHECK(actual[i].done == expected[i].done);
        CHECK(actual[i].line == expected[i].line);
    }
}

struct ExpectedDecision {
    std::string text;
    std::size_t line = 0;
};

void check_decisions(const std::vector<async::Decision>& actual,
                     const std::vector<ExpectedDecision>& expected) {
    REQUIRE(actual.size() == expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
        INFO("decision #" << i);
        CHECK(actual[i].text == expected[i].text);
        CHECK(actual[i].line == expected[i].line);
    }
}

} // namespace

TEST_CASE("markdown::mention_context") {
    std::string body = "Intro for everyone.\n\n"
                       "Ask @alice and @alice again about it.\n\n"
                       "```\n@alice in code\n```\n\n"
                       "Mail alice@example.com, or @bob.\n\n"
                       "- [ ] @alice ship it\n";
    // One line per block that mentions her (once each), never code or an e-mail address.
    CHECK(async::mention_context(body, "alice") == "Ask @alice and @alice again about it.\n@alice ship it\n");
    CHECK(async::mention_context(body, "bob") == "Mail alice@example.com, or @bob.\n");
    CHECK(async::mention_context(body, "carol").empty());
    // An edit elsewhere leaves it as it was; an edit of a mentioning block changes it.
    CHECK(async::mention_context("Changed intro.\n\n" + body.substr(body.find("Ask")), "alice") ==
          async::mention_context(body, "alice"));
    CHECK(async::mention_context(body + "\nAlso @alice.\n", "alice") != async::mention_context(body, "alice"));
}

namespace {
Strings places(const std::vector<async::BodyPosition>& positions) {
    Strings out;
    for (const auto& p : positions) {
        out.push_back(std::to_string(p.line) + ":" + std::to_string(p.column));
    }
    return out;
}
} // namespace

TEST_CASE("markdown::extract_markdown") {
    SUBCASE("open and done actions with owner and due") {
        auto ex = extract_markdown("Intro.\n"
                                   "\n"
                                   "- [ ] @bob ship the draft due:2026-12-01\n"
                                   "- [x] @Carol review the copy\n"
                                   "* [X] wrap up due:2028-02-29 today\n"
                                   "1. [ ] numbered  @dave   task\n");
        check_actions(
            ex.actions,
            {
                {"ship the draft", "@bob ship the draft due:2026-12-01", "bob", "2026-12-01", false,
                 3},
                {"review the copy", "@Carol review the copy", "carol", std::nullopt, true, 4},
                {"wrap up today", "wrap up due:2028-02-29 today", std::nullopt, "2028-02-29", true,
                 5},
                {"numbered task", "numbered @dave task", "dave", std::nullopt, false, 6},
            });
        CHECK(ex.mentions == Strings{"bob", "carol", "dave"});
        CHECK(ex.decisions.empty());
    }

    SUBCASE("owner absent and invalid due dates stay text") {
        auto ex = extract_markdown("- [ ] write the summary\n"
                                   "- [ ] pay due:2026-13-01\n"
                                   "- [ ] file due:2026-02-29\n"
                                   "- [ ] call due:tomorrow\n"
                                   "- [ ] fix overdue:2026-12-01\n"
                                   "- [ ] meet due:2026-12-01T10:00\n"
                                   "- [ ] plan Due: 2026-12-24 ok\n");
        check_actions(
            ex.actions,
            {
                {"write the summary", "write the summary", std::nullopt, std::nullopt, false, 1},
                {"pay due:2026-13-01", "pay due:2026-13-01", std::nullopt, std::nullopt, false, 2},
                {"file due:2026-02-29", "file due:2026-02-29", std::nullopt, std::nullopt, false,
                 3},
                {"call due:tomorrow", "call due:tomorrow", std::nullopt, std::nullopt, false, 4},
                {"fix overdue:2026-12-01", "fix overdue:2026-12-01", std::nullopt, std::nullopt,
                 false, 5},
                {"meet due:2026-12-01T10:00", "meet due:2026-12-01T10:00", std::nullopt,
                 std::nullopt, false, 6},
                {"plan ok", "plan Due: 2026-12-24 ok", std::nullopt, "2026-12-24", false, 7},
            });
        // What check reports for an action without a due date comes from this one reading.
        std::vector<OptString> unread;
        for (const auto& a : ex.actions) {
            unread.push_back(a.unread_due);
        }
        CHECK(unread == std::vector<OptString>{std::nullopt, "2026-13-01", "2026-02-29", "tomorrow", std::nullopt,
                                               "2026-12-01T10:00", std::nullopt});
        CHECK(extract_markdown("- [ ] ask due: \n").actions.at(0).unread_due == "");
        CHECK(extract_markdown("- [ ] ask (due:friday).\n").actions.at(0).unread_due == "friday");
    }

    SUBCASE("two handles: the first is the owner") {
        auto ex = extract_markdown("- [ ] @bob pairs with @carol on it\n"
                                   "- [ ] ask **@dave** and @erin\n");
        check_actions(ex.actions,
                      {
                          {"pairs with @carol on it", "@bob pairs with @carol on it", "bob",
                           std::nullopt, false, 1},
                          {"ask and @erin", "ask @dave and @erin", "dave", std::nullopt, false, 2},
                      });
        CHECK(ex.mentions == Strings{"bob", "carol", "dave", "erin"});
    }

    SUBCASE("code never yields actions, decisions, mentions or links, but is plain text") {
        auto ex = extract_markdown("```\n"
                                   "- [ ] fenced @frank #abcd1234\n"
                                   "Decision: fenced\n"
                                   "```\n"
                                   "\n"
                                   "    - [ ] indented @gina #abcd5678\n"
                                   "\n"
                                   "Inline `- [ ] x @hank #abcd9999` here.\n"
                                   "\n"
                                   "- [ ] `@eve` runs `due:2026-12-01` tests\n");
        check_actions(ex.actions,
                      {{"@eve runs due:2026-12-01 tests", "@eve runs due:2026-12-01 tests",
                        std::nullopt, std::nullopt, false, 10}});
        CHECK(ex.decisions.empty());
        CHECK(ex.mentions.empty());
        CHECK(ex.links.empty());
        CHECK(ex.plain == "- [ ] fenced @frank #abcd1234\n"
                          "Decision: fenced\n"
                          "- [ ] indented @gina #abcd5678\n"
                          "Inline - [ ] x @hank #abcd9999 here.\n"
                          "@eve runs due:2026-12-01 tests");
    }

    SUBCASE("nested task lists are separate actions, in document order") {
        auto ex = extract_markdown("- [ ] parent @alice\n"
                                   "  - [x] child @bob due:2026-01-31\n"
                                   "    - [ ] grandchild\n"
                                   "- [ ] sibling\n"
                                   "\n"
                                   "text\n"
                                   "\n"
                                   "- [ ] loose first\n"
                                   "\n"
                                   "  loose second\n"
                                   "\n"
                                   "  - [ ] loose child\n");
        check_actions(ex.actions,
                      {
                          {"parent", "parent @alice", "alice", std::nullopt, false, 1},
                          {"child", "child @bob due:2026-01-31", "bob", "2026-01-31", true, 2},
                          {"grandchild", "grandchild", std::nullopt, std::nullopt, false, 3},
                          {"sibling", "sibling", std::nullopt, std::nullopt, false, 4},
                          {"loose first loose second", "loose first loose second", std::nullopt,
                           std::nullopt, false, 8},
                          {"loose child", "loose child", std::nullopt, std::nullopt, false, 12},
                      });
        CHECK(ex.mentions == Strings{"alice", "bob"});
    }

    SUBCASE("decisions by prefix in paragraphs and list items") {
        auto ex = extract_markdown("Decision: ship on Friday\n"
                                   "\n"
                                   "**DECISION:** keep the\n"
                                   "old API\n"
                                   "\n"
                                   "- decision: drop IE support\n"
                                   "- not a decision\n"
                                   "- [ ] Decision: also an action\n"
                                   "\n"
                                   "Decision:\n"
                                   "\n"
                                   "Decisions made: none\n"
                                   "\n"
                                   "> Decision: quoted\n");
        check_decisions(ex.decisions, {
                                          {"ship on Friday", 1},
                                          {"keep the old API", 3},
                                          {"drop IE support", 6},
                                          {"also an action", 8},
                                      });
        check_actions(ex.actions, {{"Decision: also an action", "Decision: also an action",
                                    std::nullopt, std::nullopt, false, 8}});
    }

    SUBCASE("quoted text is cited, not decided: no actions or decisions inside block quotes") {
        auto ex = extract_markdown("> Decision: quoted\n"                 // 1
                                   ">\n"                                   // 2
                                   "> - [ ] @bob quoted action\n"         // 3
                                   "> > - [x] nested quote\n"             // 4
                                   "\n"                                    // 5
                                   "- [ ] @carol a real action\n"         // 6
                                   "\n"                                    // 7
                                   "## Decisions\n"                        // 8
                                   "\n"                                    // 9
                                   "> - quoted under the heading\n"       // 10
                                   "- a real one\n");                      // 11
        check_decisions(ex.decisions, {{"a real one", 11}});
        check_actions(ex.actions, {{"a real action", "@carol a real action", "carol", std::nullopt, false, 6}});
        CHECK(ex.mentions == Strings{"bob", "carol"}); // mentions in quotes still count
    }

    SUBCASE("list items under a Decisions heading until the next heading of its level") {
        auto ex = extract_markdown("# Meeting\n"               // 1
                                   "\n"                        // 2
                                   "## Decisions\n"            // 3
                                   "\n"                        // 4
                                   "- Use Postgres\n"          // 5
                                   "  - because it is cheap\n" // 6
                                   "- Decision: drop MySQL\n"  // 7
                                   "\n"                        // 8
                                   "A paragraph is not one.\n" // 9
                                   "\n"                        // 10
                                   "### Details\n"             // 11
                                   "\n"                        // 12
                                   "- still under Decisions\n" // 13
                                   "\n"                        // 14
                                   "## Next steps\n"           // 15
                                   "\n"                        // 16
                                   "- not a decision\n"        // 17
                                   "\n"                        // 18
                                   "## decisions\n"            // 19
                                   "- again\n"                 // 20
                                   "# Appendix\n"              // 21
                                   "- no\n");                  // 22
        check_decisions(ex.decisions, {
                                          {"Use Postgres", 5},
                                          {"drop MySQL", 7},
                                          {"still under Decisions", 13},
                                          {"again", 20},
                                      });
        REQUIRE(ex.headings.size() == 6);
        CHECK(ex.headings[1].text == "Decisions");
        CHECK(ex.headings[1].level == 2);
        CHECK(ex.headings[1].line == 3);
        CHECK(ex.headings[5].text == "Appendix");
        CHECK(ex.headings[5].level == 1);
        CHECK(ex.headings[5].line == 21);
    }

    SUBCASE("decisions under an Outcome heading, until the next heading of its level") {
        auto ex = extract_markdown("Decision: before\n"       // 1
                                   "\n"                       // 2
                                   "## Outcome\n"             // 3
                                   "\n"                       // 4
                                   "Decision: three tiers\n"  // 5
                                   "\n"                       // 6
                                   "### Notes\n"              // 7
                                   "\n"                       // 8
                                   "- Decision: yearly too\n" // 9
                                   "\n"                       // 10
                                   "## Next\n"                // 11
                                   "\n"                       // 12
                                   "Decision: after\n"        // 13
                                   "\n"                       // 14
                                   "# outcome\n"              // 15
                                   "Decision: last\n");       // 16
        std::vector<std::pair<std::string, bool>> got;
        for (const auto& d : ex.decisions) {
            got.emplace_back(d.text, d.in_outcome);
        }
        CHECK(got == std::vector<std::pair<std::string, bool>>{
                         {"before", false}, {"three tiers", true}, {"yearly too", true}, {"after", false}, {"last", true}});
    }

    SUBCASE("mentions: not e-mail addresses, code or URLs; unique, lower-cased, in order") {
        std::string h64(64, 'a');
        std::string h65(65, 'b');
        auto ex = extract_markdown(
            "Thanks @Alice, @bob. and @carol_x-1! Mail alice@example.com or bob@ex.org;\n"
            "ping (@dave) `@eve` [@frank](https://x.com/@grace) https://x.com/@heidi\n"
            "www.example.com/@ivan site.com/@judy https://x.com/?by=@trent @-no @bob me@@x "
            "@zed@host @" +
            h64 + " @" + h65 +
            "\n"
            "\n"
            "```\n"
            "@mallory\n"
            "```\n"
            "\n"
            "<span>@oscar</span> &#64;peggy @BOB\n");
        CHECK(ex.mentions == Strings{"alice", "bob", "carol_x-1", "dave", "frank", h64, "oscar"});
        // Where each first appears (its '@'), for check's path:line:col.
        CHECK(places(ex.mention_positions) == Strings{"1:8", "1:16", "1:26", "2:7", "2:22", "3:89", "9:7"});
    }

    SUBCASE("#id links: in text and link targets, not headings, URLs or code") {
        auto ex = extract_markdown(
            "# abcd1234\n"
            "\n"
            "#k3f9q2ma at the start of a line.\n"
            "\n"
            "See #zz99 and (#abcd5678), foo#nope1234, #UPPER12, #abc, #abcdefghi,\n"
            "#getting-started, https://x.com/#frag1234, https://x.com/a,#frag5678, `#code1234`,\n"
            "#k3f9q2ma again.\n"
            "\n"
            "[target](#link5678) [ext](https://x.com/#skip1234) [anchor](#ab)\n"
            "\n"
            "```\n"
            "#fenced12\n"
            "```\n");
        CHECK(ex.links == Strings{"k3f9q2ma", "zz99", "abcd5678", "link5678"});
        // The '#' of a reference or of a link's target.
        CHECK(places(ex.link_positions) == Strings{"3:1", "5:5", "5:16", "9:10"});
        REQUIRE(ex.headings.size() == 1);
        CHECK(ex.headings[0].text == "abcd1234");
        CHECK(ex.headings[0].level == 1);
        CHECK(ex.headings[0].line == 1);
    }

    SUBCASE("attachments: relative targets under attachments/, unique, in order") {
        auto ex = extract_markdown(
            "![shot](attachments/screen.png) [voice](./attachments/standup.ogg)\n"
            "[again](attachments/screen.png) [enc](attachments/voice%20note.ogg)\n"
            "[out](attachments/../secret) [dir](attachments/sub/) [abs](/attachments/x.png)\n"
            "[web](https://x.com/attachments/y.png) [other](notes/attachments/z.png)\n"
            "<attachments/not-a-link.png> ![deep](<./attachments/a b/c.vtt>)\n");
        CHECK(ex.attachments == Strings{"attachments/screen.png", "attachments/standup.ogg",
                                        "attachments/voice note.ogg", "attachments/a b/c.vtt"});
    }

    SUBCASE("file_links: relative link and image targets with where they are written") {
        auto ex = extract_markdown("[a](notes.pdf) ![b](attachments/x%20y.png?v=2)\n" // 1
                                   "[c](../other/index.md#intro) [a](notes.pdf)\n"     // 2
                                   "[web](https://x.com/a) [m](mailto:a@b.c) [t](#top)\n"
                                   "[id](#k3f9q2ma) [abs](/etc/x) <https://x.com> `[code](gone.md)`\n");
        CHECK(ex.file_links == Strings{"notes.pdf", "attachments/x y.png", "../other/index.md", "notes.pdf"});
        REQUIRE(ex.file_link_positions.size() == 4);
        CHECK(ex.file_link_positions[0].line == 1);
        CHECK(ex.file_link_positions[0].column == 5);
        CHECK(ex.file_link_positions[1].column == 21);
        CHECK(ex.file_link_positions[2].line == 2);
        CHECK(ex.file_link_positions[2].column == 5);
    }

    SUBCASE("wiki_links: targets before '#' and '|', with where each [[ is") {
        auto ex = extract_markdown("See [[Design Notes]] and [[k3f9q2ma|the plan]].\n" // 1
                                   "Also [[ Other doc #Intro ]], [[a#h|label]] again [[Design Notes]]\n" // 2
                                   "`[[in code]]` and [[#local heading]] and [[]]\n" // 3
                                   "```\n[[fenced]]\n```\n" // 4-6
                                   "    [[indented code]]\n\n" // 7
                                   "\\[[escaped]] [[a]b]] [[open] and ]] [[x\n"); // 9
        CHECK(ex.wiki_links == Strings{"Design Notes", "k3f9q2ma", "Other doc", "a", "Design Notes"});
        REQUIRE(ex.wiki_link_positions.size() == 5);
        CHECK(ex.wiki_link_positions[0].line == 1);
        CHECK(ex.wiki_link_positions[0].column == 5);
        CHECK(ex.wiki_link_positions[1].column == 26);
        CHECK(ex.wiki_link_positions[2].line == 2);
        CHECK(ex.wiki_link_positions[2].column == 6);
        CHECK(ex.wiki_link_positions[4].column == 50);
        // The shown text stays searchable: the label when there is one.
        CHECK(ex.plain.find("the plan") != std::string::npos);
    }

    SUBCASE("wiki_links: nested, malformed, in a table, in a quote") {
        CHECK(extract_markdown("[[ [[inner]] ]]\n").wiki_links == Strings{"inner"});
        CHECK(extract_markdown("[[\n]]\n[[a\nb]]\n]] [[\n").wiki_links.empty());
        CHECK(extract_markdown("| a | b |\n|---|---|\n| [[x\\|y]] | z |\n").wiki_links == Strings{"x"});
        CHECK(extract_markdown("> quoted [[q]]\n").wiki_links == Strings{"q"});
        CHECK(extract_markdown("[[" + std::string(101, 'a') + "]]\n").wiki_links.empty());
        CHECK(extract_markdown("[[" + std::string(100, 'a') + "]]\n").wiki_links == Strings{std::string(100, 'a')});
    }

    SUBCASE("wiki_links: 10,000 on one line, and a huge line without an end") {
        std::string line;
        for (int i = 0; i < 10000; ++i)
            line += "[[doc " + std::to_string(i) + "]] ";
        auto ex = extract_markdown(line + "\n");
        REQUIRE(ex.wiki_links.size() == 10000);
        CHECK(ex.wiki_links[9999] == "doc 9999");
        CHECK(ex.wiki_link_positions[9999].line == 1);
        CHECK(ex.wiki_link_positions[1].column == 11);
        CHECK(extract_markdown(std::string(1 << 20, '[') + "x").wiki_links.empty());
        CHECK(extract_markdown("[[x" + std::string(1 << 20, ']')).wiki_links == Strings{"x"});
    }

    SUBCASE("a line starting with Decision: is a decision wherever it is") {
        auto ex = extract_markdown("We looked.\n"                     // 1
                                   "Decision: use Postgres.\n"        // 2
                                   "\n"                               // 3
                                   "- [ ] @bob do it due:2026-12-01\n" // 4
                                   "Decision: also this one.\n"       // 5
                                   "- [ ] Decision: both\n"           // 6
                                   "- item\n"                         // 7
                                   "  more\n"                         // 8
                                   "  **Decision:** in an item\n"     // 9
                                   "\n"                               // 10
                                   "- [ ] loose\n"                    // 11
                                   "\n"                               // 12
                                   "  Decision: its paragraph\n"      // 13
                                   "\n"                               // 14
                                   "x\n"                              // 15
                                   "`Decision:` code\n"               // 16
                                   "> q\n"                            // 17
                                   "> Decision: quoted\n");           // 18
        check_decisions(ex.decisions, {{"use Postgres.", 2},
                                       {"also this one.", 5},
                                       {"both", 6},
                                       {"in an item", 9},
                                       {"its paragraph", 13}});
        check_actions(ex.actions, {{"do it", "@bob do it due:2026-12-01", "bob", "2026-12-01", false, 4},
                                   {"Decision: both", "Decision: both", std::nullopt, std::nullopt, false, 6},
                                   {"loose", "loose", std::nullopt, std::nullopt, false, 11}});
    }

    SUBCASE("headings and line numbers are exact") {
        auto ex = extract_markdown("Title\n"               // 1
                                   "=====\n"               // 2
                                   "\n"                    // 3
                                   "```\n"                 // 4
                                   "code\n"                // 5
                                   "```\n"                 // 6
                                   "### *Third* `level`\n" // 7
                                   "para\n"                // 8
                                   "Decision: second\n"    // 9
                                   "line\n"                // 10
                                   "\n"                    // 11
                                   "> - [x] quoted\n"      // 12
                                   ">   task\n"            // 13
                                   "\n"                    // 14
                                   "- a\n"                 // 15
                                   "\n"                    // 16
                                   "  - [ ] loose\n");     // 17
        REQUIRE(ex.headings.size() == 2);
        CHECK(ex.headings[0].text == "Title");
        CHECK(ex.headings[0].level == 1);
        CHECK(ex.headings[0].line == 1);
        CHECK(ex.headings[1].text == "Third level");
        CHECK(ex.headings[1].level == 3);
        CHECK(ex.headings[1].line == 7);
        // A paragraph's line starting with "Decision:" is a decision, at its own line, up to the
        // paragraph's end.
        REQUIRE(ex.decisions.size() == 1);
        CHECK(ex.decisions[0].text == "second line");
        CHECK(ex.decisions[0].line == 9);
        check_actions(ex.actions,
                      {
                          // the quoted task on line 12 is cited text, not an action
                          {"loose", "loose", std::nullopt, std::nullopt, false, 17},
                      });
    }

    SUBCASE("plain text: blocks on their own lines, markup stripped, entities decoded") {
        auto ex = extract_markdown("# T\n"
                                   "\n"
                                   "para *one*\n"
                                   "line [two](https://x.org) &amp; &#x41;\n"
                                   "\n"
                                   "- a\n"
                                   "- b\n"
                                   "\n"
                                   "```sh\n"
                                   "make test\n"
                                   "```\n"
                                   "\n"
                                   "| h1 | h2 |\n"
                                   "|----|----|\n"
                                   "| c1 | c2 |\n");
        CHECK(ex.plain == "T\npara one\nline two & A\na\nb\nmake test\nh1\nh2\nc1\nc2");
    }

    SUBCASE("CRLF and lone CR line endings") {
        auto ex = extract_markdown("# Title\r\n"
                                   "\r\n"
                                   "- [ ] @bob one due:2026-12-01\r\n"
                                   "- [x] two\r\n"
                                   "\r\n"
                                   "Decision: crlf\r\n"
                                   "- [ ] x\r"
                                   "- [ ] y\r");
        REQUIRE(ex.headings.size() == 1);
        CHECK(ex.headings[0].text == "Title");
        CHECK(ex.headings[0].line == 1);
        check_actions(ex.actions,
                      {
                          {"one", "@bob one due:2026-12-01", "bob", "2026-12-01", false, 3},
                          {"two", "two", std::nullopt, std::nullopt, true, 4},
                          {"x", "x", std::nullopt, std::nullopt, false, 7},
                          {"y", "y", std::nullopt, std::nullopt, false, 8},
                      });
        check_decisions(ex.decisions, {{"crlf", 6}});
        CHECK(ex.plain == "Title\n@bob one due:2026-12-01\ntwo\nDecision: crlf\nx\ny");
    }

    SUBCASE("hostile input returns without crashing") {
        SUBCASE("empty") {
            auto ex = extract_markdown("");
            CHECK(ex.actions.empty());
            CHECK(ex.plain.empty());
        }
        SUBCASE("NUL bytes and invalid UTF-8") {
            using namespace std::string_literals;
            auto ex = extract_markdown("- [ ] a\0b @bob \xff\xfe\n\n\xc3 @\xc3\xa9 @carol\xc3\n"s);
            check_actions(ex.actions, {{"a\xEF\xBF\xBD"
                                        "b \xff\xfe",
                                        "a\xEF\xBF\xBD"
                                        "b @bob \xff\xfe",
                                        "bob", std::nullopt, false, 1}});
            CHECK(ex.mentions == Strings{"bob", "carol"});

            auto heading = extract_markdown("para\n\n# \0\n"s);
            REQUIRE(heading.headings.size() == 1);
            CHECK(heading.headings[0].text == "\xEF\xBF\xBD");
            CHECK(heading.headings[0].line == 3);
        }
        SUBCASE("10,000 nested blockquotes") {
            auto ex = extract_markdown(std::string(10000, '>') + " @bob - [ ] hi\n");
            CHECK(ex.mentions == Strings{"bob"});
            CHECK(ex.plain == "@bob - [ ] hi");
        }
        SUBCASE("10,000 nested lists") {
            std::string body;
            for (int i = 0; i < 10000; ++i)
                body += "- ";
            auto ex = extract_markdown(body + "[ ] deep @bob\n");
            check_actions(ex.actions, {{"deep", "deep @bob", "bob", std::nullopt, false, 1}});
        }
        SUBCASE("10,000 alternating quotes and lists") {
            std::string body;
            for (int i = 0; i < 5000; ++i)
                body += "- > ";
            auto ex = extract_markdown(body + "Decision: deep\n");
            CHECK(ex.decisions.empty()); // inside quotes: cited, not decided
        }
        SUBCASE("pathological inline nesting") {
            std::string body;
            for (int i = 0; i < 20000; ++i)
                body += "![";
            body += "x";
            for (int i = 0; i < 20000; ++i)
                body += "](attachments/y)";
            body += "\n\na" + std::string(100000, '*') + "b\n\nx " + std::string(50000, '`') +
                    "\n\n" + std::string(50000, '[') + "\n\n" + std::string(100000, '@') +
                    std::string(100000, '#') + "\n";
            auto ex = extract_markdown(body);
            CHECK(ex.attachments == Strings{"attachments/y"});
            CHECK(ex.mentions.empty());
            CHECK(ex.links.empty());
        }
        SUBCASE("20 MB body") {
            std::string block;
            for (int i = 0; i < 15; ++i)
                block += "Some text by @bob about #abcd1234 and alice@example.com\n";
            block += "- [ ] @carol task due:2026-12-01\n\n";
            std::string body;
            body.reserve(20 * 1024 * 1024 + block.size());
            std::size_t blocks = 0;
            while (body.size() < 20 * 1024 * 1024) {
                body += block;
                ++blocks;
            }
            auto ex = extract_markdown(body);
            REQUIRE(ex.actions.size() == blocks);
            CHECK(ex.actions.back().line == blocks * 17 - 1);
            CHECK(ex.actions.back().owner == OptString("carol"));
            CHECK(ex.mentions == Strings{"bob", "carol"});
            CHECK(ex.links == Strings{"abcd1234"});
        }
    }
}

TEST_CASE("markdown::extract_markdown reads nothing past the end of its view") {
    // md4c 0.4.8 reads beyond a text that ends inside a link; here the bytes after the view
    // would close the link and go on, or make md4c fault.
    for (std::string body : {"[x](y", "a [the plan](#7fq2", "Decision: go [plan](#abcd1234"}) {
        std::string buffer = body + ") @mallory SECRET #zzzz9999 after the end\n" + std::string(4096, 'x');
        auto extracted = extract_markdown(std::string_view(buffer).substr(0, body.size()));
        CAPTURE(body);
        CHECK(extracted.plain.find("SECRET") == std::string::npos);
        CHECK(extracted.mentions.empty());
        CHECK(extracted.plain.size() <= body.size());
        CHECK(async::mention_context(std::string_view(buffer).substr(0, body.size()), "mallory").empty());
    }
}

TEST_CASE("markdown::extract_markdown heading anchors are not ids") {
    async::Extracted ex = extract_markdown("[summary]: #summary\n\n# Summary\n\nSee [the summary](#summary), #abcd1234 and "
                                    "[motive](#motive).\n\n## Unresolved questions\n");
    CHECK(ex.links == std::vector<std::string>{"abcd1234", "motive"});
    CHECK(ex.link_positions.size() == 2);
    CHECK(ex.link_positions[0].line == 5);
    // Without the heading, "#summary" could be a document's id.
    CHECK(extract_markdown("See [it](#summary).\n").links == std::vector<std::string>{"summary"});
}
