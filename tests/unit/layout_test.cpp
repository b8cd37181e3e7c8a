#include <async/layout.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <string>

using async::classify;
using async::FileKind;

TEST_CASE("layout::classify") {
    CHECK(classify("docs/2026-11-26-plan/index.md") == FileKind::document);
    CHECK(classify("docs/2026-11-26-plan/notes.md") == FileKind::document);
    CHECK(classify("docs/loose.md") == FileKind::document);
    CHECK(classify("docs/2026-11-26-plan/replies/20261127T101500Z-bob.md") == FileKind::reply);
    CHECK(classify("meetings/2026-11-26-sync/index.md") == FileKind::meeting);
    CHECK(classify("meetings/2026-11-26-sync/responses/alice.md") == FileKind::response);
    CHECK(classify("meetings/2026-11-26-sync/summary.md") == FileKind::summary);
    CHECK(classify("checkins/2026-W48/alice.md") == FileKind::checkin);
    CHECK(classify("people/alice/inbox/20261126-x.md") == FileKind::item);
    CHECK(classify("people/alice/state.toml") == FileKind::inbox_state);
    CHECK(classify(".async/config.toml") == FileKind::config);
    CHECK(classify(".async/templates/retro.md") == FileKind::template_file);
    CHECK(classify(".async/index.db") == FileKind::other);
    CHECK(classify("README.md") == FileKind::other);
    CHECK(classify("notes/x.md") == FileKind::other);
    CHECK(classify("docs") == FileKind::other);
    CHECK(classify("") == FileKind::other);
    CHECK(classify("docs/.hidden/index.md") == FileKind::other);
    CHECK(classify("docs/x/.draft.md") == FileKind::other);
    CHECK(classify("docs//index.md") == FileKind::other);
    CHECK(classify("docs/x/index.MD") == FileKind::other);
    CHECK(classify("docs/x/attachments/call.vtt") == FileKind::transcript);
    CHECK(classify("docs/x/attachments/sub/call.srt") == FileKind::transcript);
    CHECK(classify("docs/x/attachments/notes.md") == FileKind::attachment);
    CHECK(classify("docs/x/attachments/call.ogg") == FileKind::attachment);
    // A .txt is a transcript only beside an audio or video file of its name.
    CHECK(classify("docs/x/attachments/call.txt") == FileKind::attachment);
    std::set<std::string> present{"docs/x/attachments/call.mp4"};
    auto exists = [&](std::string_view rel) { return present.count(std::string{rel}) > 0; };
    CHECK(classify("docs/x/attachments/call.txt", exists) == FileKind::transcript);
    CHECK(classify("docs/x/attachments/other.txt", exists) == FileKind::attachment);
}

TEST_CASE("layout::kinds") {
    CHECK(async::is_indexed(FileKind::transcript));
    CHECK_FALSE(async::is_document(FileKind::transcript));
    CHECK(async::is_document(FileKind::summary));
    CHECK_FALSE(async::is_indexed(FileKind::attachment));
    CHECK_FALSE(async::is_indexed(FileKind::inbox_state));
    CHECK(async::default_type(FileKind::document) == "doc");
    CHECK(async::default_type(FileKind::checkin) == "checkin");
    CHECK(async::default_type(classify("meetings/m/replies/x.md")) == "reply");
}

TEST_CASE("layout::bundles") {
    CHECK(async::bundle_of("docs/2026-11-26-x/replies/a.md") == "docs/2026-11-26-x");
    CHECK(async::bundle_of("checkins/2026-W48/alice.md") == "checkins/2026-W48");
    CHECK(async::bundle_of("docs/loose.md") == "docs");
    CHECK(async::parent_of("docs/x/replies/a.md") == "docs/x/index.md");
    CHECK(async::parent_of("meetings/m/summary.md") == "meetings/m/index.md");
    CHECK(async::parent_of("meetings/m/responses/bob.md") == "meetings/m/index.md");
    CHECK(async::parent_of("docs/x/index.md").empty());
    CHECK(async::parent_of("checkins/2026-W48/replies/a.md").empty());
    // A comment on a check-in belongs to the check-in; only that shape does.
    CHECK(async::parent_of("checkins/2026-W48/alice/replies/a.md") == "checkins/2026-W48/alice.md");
    CHECK(async::parent_of("checkins/2026-12-07/alice/replies/a.md") == "checkins/2026-12-07/alice.md");
    CHECK(async::parent_of("checkins/2026-W48/alice/replies/x/a.md").empty());
    CHECK(async::parent_of("checkins/2026-W48/alice/replies/a.txt").empty());
    CHECK(async::classify("checkins/2026-W48/alice/replies/a.md") == async::FileKind::reply);
}

TEST_CASE("layout::replies_folder") {
    CHECK(async::replies_folder("docs/x/index.md") == "docs/x/replies");
    CHECK(async::replies_folder("meetings/m/index.md") == "meetings/m/replies");
    CHECK(async::replies_folder("checkins/2026-W48/alice.md") == "checkins/2026-W48/alice/replies");
    for (const char* none : {"docs/x/replies/a.md", "docs/loose.md", "meetings/m/summary.md", "docs/x/other.md",
                             "people/alice/inbox/a.md", "checkins/2026-W48/alice/replies/a.md", "docs/.x/index.md",
                             "checkins/2026-W48/.md", "notes/x/index.md"}) {
        CHECK_MESSAGE(!async::replies_folder(none), none);
    }
    // Every folder it names holds files the index files under the document it was asked about.
    CHECK(async::parent_of(*async::replies_folder("checkins/2026-W48/alice.md") + "/b.md") ==
          "checkins/2026-W48/alice.md");
    CHECK(async::parent_of(*async::replies_folder("docs/x/index.md") + "/b.md") == "docs/x/index.md");
}

TEST_CASE("layout::media") {
    CHECK(async::is_media_file_name("talk.ogg"));
    CHECK(async::is_media_file_name("a.b.mkv"));
    CHECK_FALSE(async::is_media_file_name(".ogg"));
    CHECK_FALSE(async::is_media_file_name("talk.txt"));
    CHECK(!async::is_audio_file_name("TALK.OGG")); // as classify() sees media: lower-case extensions
    CHECK(async::transcript_paths("docs/a/attachments/talk.v2.ogg") ==
          std::vector<std::string>{"docs/a/attachments/talk.v2.vtt", "docs/a/attachments/talk.v2.srt",
                                   "docs/a/attachments/talk.v2.txt"});
    CHECK_FALSE(async::is_audio_file_name("talk.mp4"));
    auto siblings = async::media_siblings("docs/x/attachments/a.b.txt");
    CHECK(siblings.front() == "docs/x/attachments/a.b.ogg");
    CHECK(async::too_large_message(5 * 1024 * 1024) == "file is too large (5 MiB; the limit is 4 MiB)");
}

TEST_CASE("layout::unreached_problem") {
    std::string deep = "docs";
    for (int i = 0; i < 32; ++i) {
        deep += "/d";
    }
    CHECK_FALSE(async::unreached_problem(deep + "/index.md"));
    CHECK(async::folder_problem(deep + "/d") == "folders nested too deep");
    CHECK(async::unreached_problem(deep + "/d/index.md") == "folders nested too deep");
    CHECK_FALSE(async::unreached_problem("docs/index.md"));
    CHECK_FALSE(async::unreached_problem("README.md"));
}

TEST_CASE("layout::paths") {
    std::filesystem::path root{"/ws"};
    std::filesystem::path doc{"/ws/meetings/2026-11-26-sync/index.md"};
    CHECK(async::responses_dir(doc) == "/ws/meetings/2026-11-26-sync/responses");
    CHECK(async::replies_dir(doc) == "/ws/meetings/2026-11-26-sync/replies");
    CHECK(async::summary_file(doc) == "/ws/meetings/2026-11-26-sync/summary.md");
    CHECK(async::attachments_dir(doc) == "/ws/meetings/2026-11-26-sync/attachments");
    CHECK(async::checkin_file(root, "2026-W48", "alice") == "/ws/checkins/2026-W48/alice.md");
    CHECK(classify("checkins/2026-W48/alice.md") == FileKind::checkin);
    CHECK(async::inbox_dir(root, "bob") == "/ws/people/bob/inbox");
    CHECK(async::inbox_state_file(root, "bob") == "/ws/people/bob/state.toml");
    CHECK(classify("people/bob/state.toml") == FileKind::inbox_state);
    CHECK(async::actions_file(root, "bob") == "/ws/people/bob/actions.md");
    CHECK(classify("people/bob/actions.md") == FileKind::item);
    CHECK(async::reminded_file(root, "bob") == "/ws/people/bob/reminded.toml");
    CHECK(classify("people/bob/reminded.toml") == FileKind::reminded);
    CHECK(classify("people/bob/inbox/reminded.toml") == FileKind::other);
    CHECK(async::kind_noun(FileKind::reminded) == "reminder record");
    CHECK_FALSE(async::is_indexed(FileKind::reminded));
    CHECK(async::is_inbox_file("people/bob/inbox/20261126-x.md"));
    CHECK_FALSE(async::is_inbox_file("people/bob/inbox/sub/x.md"));
    CHECK_FALSE(async::is_inbox_file("docs/bob/inbox/x.md"));
    CHECK_FALSE(async::is_inbox_file("people/bob/inbox"));
}
