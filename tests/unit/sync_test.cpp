#include <async/sync.hpp>

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

using async::FileChange;

TEST_CASE("sync::change_kind") {
    CHECK(async::change_kind("docs/2026-11-26-plan/index.md") == "document");
    CHECK(async::change_kind("docs/2026-11-26-plan/replies/20261127T101500Z-bob.md") == "reply");
    CHECK(async::change_kind("docs/2026-11-26-plan/attachments/standup.ogg") == "attachment");
    CHECK(async::change_kind("meetings/2026-11-26-sync/index.md") == "meeting");
    CHECK(async::change_kind("meetings/2026-11-26-sync/responses/alice.md") == "response");
    CHECK(async::change_kind("meetings/2026-11-26-sync/summary.md") == "summary");
    CHECK(async::change_kind("checkins/2026-W48/alice.md") == "check-in");
    CHECK(async::change_kind("people/alice/inbox/20261126-x.md") == "item");
    CHECK(async::change_kind("people/alice/state.toml") == "inbox state");
    CHECK(async::change_kind(".async/config.toml") == "config");
    CHECK(async::change_kind(".async/templates/retro.md") == "template");
    CHECK(async::change_kind(".gitignore") == "file");
    // Every .md file under a section is indexed, so sync names it as the index types it.
    CHECK(async::change_kind("docs/loose.md") == "document");
    CHECK(async::change_kind("docs/plan/notes.md") == "document");
    CHECK(async::change_kind("people/alice/todo.md") == "item");
    CHECK(async::change_kind("docs/.hidden/index.md") == "file");
    CHECK(async::change_kind("docs/plan/replies/notes.txt") == "file");
    CHECK(async::change_kind("") == "file");
}

TEST_CASE("sync::sync_commit_message") {
    SUBCASE("counted by kind, then added, edited, removed") {
        std::vector<FileChange> changes = {
            {'A', "checkins/2026-W48/alice.md"},
            {'A', "docs/a/replies/1-bob.md"},
            {'A', "docs/b/replies/2-bob.md"},
            {'M', "docs/a/index.md"},
            {'D', "docs/c/index.md"},
            {'M', ".async/config.toml"},
        };
        std::string message = async::sync_commit_message(changes);
        CHECK(message ==
              "async: 1 document edited, 1 document removed, 2 replies, 1 check-in, config edited\n"
              "\n"
              "A checkins/2026-W48/alice.md\n"
              "A docs/a/replies/1-bob.md\n"
              "A docs/b/replies/2-bob.md\n"
              "M docs/a/index.md\n"
              "D docs/c/index.md\n"
              "M .async/config.toml\n");
    }
    SUBCASE("the example of the issue") {
        CHECK(async::sync_commit_message({{'A', "docs/a/replies/1.md"},
                                          {'A', "docs/b/replies/2.md"},
                                          {'A', "checkins/2026-W48/bob.md"}})
                  .starts_with("async: 2 replies, 1 check-in\n\n"));
    }
    SUBCASE("hostile names stay one line each") {
        std::string message = async::sync_commit_message({{'A', "docs/x\n# y $(id)/index.md"}});
        CHECK(message == "async: 1 document\n\nA docs/x\\n# y $(id)/index.md\n");
    }
    SUBCASE("long lists are cut") {
        std::vector<FileChange> many;
        for (int i = 0; i < 60; ++i) {
            many.push_back({'A', "docs/d" + std::to_string(i) + "/index.md"});
        }
        std::string message = async::sync_commit_message(many);
        CHECK(message.starts_with("async: 60 documents\n\n"));
        CHECK(message.ends_with("A docs/d49/index.md\n… and 10 more\n"));
    }
    SUBCASE("other statuses count as edits") {
        CHECK(async::sync_commit_message({{'T', "docs/a/index.md"}}) ==
              "async: 1 document edited\n\nM docs/a/index.md\n");
    }
    CHECK(async::sync_commit_message({}) == "async: sync");
}

TEST_CASE("sync::parse_name_status") {
    std::string z{"A\0docs/a b/index.md\0M\0docs/x\ny.md\0D\0.gitignore\0", 47};
    auto changes = async::parse_name_status(z);
    REQUIRE(changes.size() == 3);
    CHECK(changes[0].status == 'A');
    CHECK(changes[0].path == "docs/a b/index.md");
    CHECK(changes[1].path == "docs/x\ny.md");
    CHECK(changes[2].status == 'D');
    CHECK(async::parse_name_status("").empty());
    CHECK(async::parse_name_status(std::string{"A\0trunc", 7}).size() == 1);
}

TEST_CASE("sync::resolve_task_box_conflicts") {
    using async::resolve_task_box_conflicts;
    std::string merge_style = "Plan:\n"
                              "<<<<<<< HEAD\n- [x] @alice room\n- [ ] @bob food\n"
                              "=======\n- [ ] @alice room\n- [x] @bob food\n"
                              ">>>>>>> 0fed0cd (bob)\nEnd.\n";
    CHECK(resolve_task_box_conflicts(merge_style) == "Plan:\n- [x] @alice room\n- [x] @bob food\nEnd.\n");

    // With the common version, an untick on one side is kept.
    std::string diff3 = "<<<<<<< HEAD\n- [ ] a\n- [ ] b\n"
                        "||||||| parent of 0fed0cd (bob)\n- [x] a\n- [ ] b\n"
                        "=======\n- [x] a\n- [X] b\n>>>>>>> 0fed0cd (bob)\n";
    CHECK(resolve_task_box_conflicts(diff3) == "- [ ] a\n- [X] b\n");
    CHECK(resolve_task_box_conflicts("  1. [ ] one\r\n") == std::nullopt); // no markers

    // Anything else than a box differs: left to the person.
    CHECK_FALSE(resolve_task_box_conflicts("<<<<<<< HEAD\n- [x] a\n=======\n- [ ] b\n>>>>>>> x\n"));
    CHECK_FALSE(resolve_task_box_conflicts("<<<<<<< HEAD\n- [x] a\n=======\n- [ ] a\n- [ ] c\n>>>>>>> x\n"));
    CHECK_FALSE(resolve_task_box_conflicts("<<<<<<< HEAD\nStatus: go\n=======\nStatus: stop\n>>>>>>> x\n"));
    CHECK_FALSE(resolve_task_box_conflicts("<<<<<<< HEAD\n- [x] a\n=======\n- [ ] a\n")); // unterminated
    CHECK(resolve_task_box_conflicts("<<<<<<< HEAD\n  * [ ] a\n=======\n  * [x] a\n>>>>>>> x\n") ==
          "  * [x] a\n");
}
