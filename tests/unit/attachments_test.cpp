#include <async/attachments.hpp>
#include <async/error.hpp>
#include <async/layout.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using async::ErrorKind;
using async_test::error_of;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in{p, std::ios::binary};
    return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

} // namespace

TEST_CASE("layout::own_attachments_link and attachment_owner") {
    CHECK(async::own_attachments_link("docs/2026-11-26-x/index.md") == "attachments");
    CHECK(async::own_attachments_link("meetings/2026-11-26-m/index.md") == "attachments");
    CHECK(async::own_attachments_link("docs/2026-11-26-x/replies/20261127T101500Z-bob.md") ==
          "attachments/20261127T101500Z-bob");
    CHECK(async::own_attachments_link("meetings/m/responses/bob.md") == "attachments/bob");
    CHECK(async::own_attachments_link("checkins/2026-W48/alice.md") == "attachments/alice");
    CHECK(async::own_attachments_link("README.md").empty());
    CHECK(async::own_attachments_link("docs/x/attachments/a.md").empty());
    CHECK(async::own_attachments_link("docs/x/.hidden.md").empty());

    CHECK(async::attachment_owner("docs/x/attachments/a.ogg") == "docs/x/index.md");
    CHECK(async::attachment_owner("docs/x/attachments/sub/a.vtt") == "docs/x/index.md");
    CHECK(async::attachment_owner("docs/x/replies/attachments/20261127T101500Z-bob/a.vtt") ==
          "docs/x/replies/20261127T101500Z-bob.md");
    CHECK(async::attachment_owner("meetings/m/responses/attachments/bob/a.vtt") == "meetings/m/responses/bob.md");
    CHECK(async::attachment_owner("checkins/2026-W48/attachments/alice/a.vtt") == "checkins/2026-W48/alice.md");
    CHECK(async::attachment_owner("docs/x/replies/attachments/a.vtt").empty());
    CHECK(async::attachment_owner("docs/x/index.md").empty());
    CHECK(async::attachment_owner("elsewhere/attachments/a/b.vtt").empty());
}

TEST_CASE("layout::media_type") {
    CHECK(async::media_type("talk.mp3") == "audio/mpeg");
    CHECK(async::media_type("talk.ogg") == "audio/ogg");
    CHECK(async::media_type("demo.mp4") == "video/mp4");
    CHECK(async::media_type("demo.webm") == "video/webm");
    CHECK(async::media_type("chart.png").empty());
    CHECK(async::media_type(".mp3").empty());
    CHECK(async::media_type("TALK.MP3").empty());
}

TEST_CASE("attachments::plan_attachments") {
    async_test::TempDir tmp{"attach"};
    std::ofstream{tmp.path() / "voice note.ogg"} << "x";
    std::ofstream{tmp.path() / "voice note.vtt"} << "WEBVTT\n";
    fs::create_directories(tmp.path() / "other");
    std::ofstream{tmp.path() / "other" / "voice note.ogg"} << "y";

    auto files = async::plan_attachments({tmp.path() / "voice note.ogg", tmp.path() / "voice note.ogg",
                                          tmp.path() / "other" / "voice note.ogg"});
    REQUIRE(files.size() == 3);
    CHECK(files[0].name == "voice note.ogg");
    CHECK(files[1].name == "voice note.vtt");
    CHECK(files[1].transcript);
    CHECK(files[2].name == "voice note-2.ogg");

    auto missing = error_of([&] { async::plan_attachments({tmp.path() / "nope.ogg"}); });
    CHECK(missing.kind() == ErrorKind::usage);
    CHECK(std::string{missing.what()}.find("no such file") != std::string::npos);
    auto folder = error_of([&] { async::plan_attachments({tmp.path()}); });
    CHECK(std::string{folder.what()}.find("not a regular file") != std::string::npos);
    std::ofstream{tmp.path() / "tab\there.ogg"} << "x";
    auto control = error_of([&] { async::plan_attachments({tmp.path() / "tab\there.ogg"}); });
    CHECK(std::string{control.what()}.find("control characters") != std::string::npos);
    CHECK(control.hint() == "rename the file first");
    std::ofstream{tmp.path() / ".hidden.ogg"} << "x";
    CHECK(error_of([&] { async::plan_attachments({tmp.path() / ".hidden.ogg"}); }).kind() == ErrorKind::usage);

    {
        std::ofstream big{tmp.path() / "at-limit.bin", std::ios::binary};
        big.seekp(async::k_max_attachment_size - 1);
        big.put('\0');
    }
    CHECK(async::plan_attachments({tmp.path() / "at-limit.bin"}).size() == 1);
    {
        std::ofstream big{tmp.path() / "over.bin", std::ios::binary};
        big.seekp(async::k_max_attachment_size);
        big.put('\0');
    }
    auto huge = error_of([&] { async::plan_attachments({tmp.path() / "over.bin"}); });
    CHECK(std::string{huge.what()}.find("too large") != std::string::npos);
}

TEST_CASE("attachments::copy_attachments") {
    async_test::TempDir tmp{"attach"};
    std::ofstream{tmp.path() / "a.ogg"} << "first";
    fs::create_directories(tmp.path() / "b");
    std::ofstream{tmp.path() / "b" / "a.ogg"} << "second";
    fs::path dir = tmp.path() / "ws" / "attachments";

    auto first = async::copy_attachments(async::plan_attachments({tmp.path() / "a.ogg"}), dir);
    REQUIRE(first.size() == 1);
    CHECK_FALSE(first[0].already_there);
    CHECK(slurp(dir / "a.ogg") == "first");

    auto again = async::copy_attachments(async::plan_attachments({tmp.path() / "a.ogg"}), dir);
    REQUIRE(again.size() == 1);
    CHECK(again[0].already_there);
    CHECK(again[0].name == "a.ogg");

    auto other = async::copy_attachments(async::plan_attachments({tmp.path() / "b" / "a.ogg"}), dir);
    REQUIRE(other.size() == 1);
    CHECK(other[0].name == "a-2.ogg");
    CHECK(slurp(dir / "a-2.ogg") == "second");
    // No temp file is left beside the copies.
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator{dir}) {
        names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"a-2.ogg", "a.ogg"});
}

TEST_CASE("attachments::link_attachments") {
    CHECK(async::attachment_link_target("attachments/20261127T101500Z-bob", "a b.ogg") ==
          "attachments/20261127T101500Z-bob/a%20b.ogg");
    std::string body = "Text.\n";
    std::string linked = async::link_attachments(body, "attachments", {"a.ogg", "b [1].png"});
    CHECK(linked == "Text.\n\n**Attachments:**\n\n- [a\\.ogg](attachments/a.ogg)\n"
                    "- [b \\[1\\]\\.png](attachments/b%20%5B1%5D.png)\n");
    CHECK(async::link_attachments(linked, "attachments", {"a.ogg"}) == linked);
    CHECK(async::link_attachments("", "attachments/bob", {"v.ogg"}) ==
          "**Attachments:**\n\n- [v\\.ogg](attachments/bob/v.ogg)\n");
}
