#include <async/error.hpp>
#include <async/index.hpp>
#include <async/publish.hpp>
#include <async/workspace.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <filesystem>
#include <set>
#include <string>

namespace fs = std::filesystem;
using async::ErrorKind;
using async_test::error_of;

namespace {

struct Fixture {
    async_test::TempDir tmp{"publish"};
    fs::path root = tmp / "ws";
    async::Workspace ws{init(root)};

    static fs::path init(const fs::path& dir) {
        fs::create_directories(dir);
        async::init_workspace(dir);
        return dir;
    }

    void post(const std::string& folder, const std::string& id, const std::string& status = "open") const {
        async::write_file_atomic(root / "docs" / folder / "index.md",
                                 "+++\nid = \"" + id + "\"\ntype = \"post\"\ntitle = \"T " + id +
                                     "\"\nauthor = \"alice\"\ncreated = 2026-11-20T09:00:00Z\nstatus = \"" + status +
                                     "\"\ntags = [\"x\"]\n+++\nBody of " + id + "\n");
    }

    async::PublishStats publish(const fs::path& out) const {
        async::Index index{ws};
        index.refresh();
        async::PublishOptions options;
        options.out_dir = out;
        return async::publish_site(index, ws, options);
    }
};

} // namespace

TEST_CASE("publish::page_name and tag_file_name") {
    CHECK(async::page_name("k3f9q2ma") == "k3f9q2ma");
    CHECK(async::page_name("../../etc").starts_with("x"));
    CHECK(async::page_name("../../etc").find('/') == std::string::npos);
    CHECK(async::page_name("") != "");
    CHECK(async::tag_file_name("web") == "web");
    std::set<std::string> names;
    for (const char* tag : {"a/b", "a-b", "..", "../..", "A-B", "", ".", "web"}) {
        std::string name = async::tag_file_name(tag);
        CHECK(name.find('/') == std::string::npos);
        CHECK(name.find("..") == std::string::npos);
        CHECK_FALSE(name.empty());
        CHECK_FALSE(name.starts_with("."));
        names.insert(name);
    }
    CHECK(names.size() == 8);
}

TEST_CASE("publish::manifest") {
    std::set<std::string> paths{"index.html", "docs/a/index.html"};
    auto parsed = async::parse_publish_manifest(async::format_publish_manifest(paths));
    REQUIRE(parsed);
    CHECK(*parsed == paths);
    CHECK_FALSE(async::parse_publish_manifest("hello\nindex.html\n"));
    CHECK_FALSE(async::parse_publish_manifest(""));
    auto hostile = async::parse_publish_manifest("async-publish 1\n../x\n/etc/passwd\na/../../b\n./c\na//b\nok.html\n");
    REQUIRE(hostile);
    CHECK(*hostile == std::set<std::string>{"ok.html"});
}

TEST_CASE("publish::normalise_base_url") {
    CHECK(async::normalise_base_url("") == "");
    CHECK(async::normalise_base_url("https://x.example/blog") == "https://x.example/blog/");
    CHECK(async::normalise_base_url("http://x.example/") == "http://x.example/");
    for (const char* bad : {"javascript:alert(1)", "ftp://x/", "https://", "https:///x", "https://x/\"y", "https://x/?q",
                            "x.example"}) {
        CHECK(error_of([&] { async::normalise_base_url(bad); }).kind() == ErrorKind::usage);
    }
}

TEST_CASE("publish::publish_site") {
    Fixture f;
    f.post("2026-11-20-a", "post0001");
    f.post("2026-11-20-b", "post0002");
    f.post("2026-11-20-c", "post0003", "draft");
    fs::path out = f.tmp / "site";

    SUBCASE("writes pages, then nothing when nothing changed, then removes what left") {
        auto first = f.publish(out);
        CHECK(first.documents == 2);
        CHECK(first.written == 6); // 2 pages, index, tags index, tag x, feed
        CHECK(fs::is_regular_file(out / "docs/post0001/index.html"));
        CHECK_FALSE(fs::exists(out / "docs/post0003"));
        CHECK(fs::is_regular_file(out / async::k_publish_manifest));

        auto second = f.publish(out);
        CHECK(second.written == 0);
        CHECK(second.unchanged == 6);

        fs::remove_all(f.root / "docs/2026-11-20-b");
        async::write_file_atomic(out / "mine.txt", "mine");
        auto third = f.publish(out);
        CHECK(third.removed == 1);
        CHECK_FALSE(fs::exists(out / "docs/post0002"));
        CHECK(fs::exists(out / "mine.txt"));
    }
    SUBCASE("refuses folders it does not own") {
        async::write_file_atomic(out / "other.html", "x");
        CHECK(error_of([&] { f.publish(out); }).kind() == ErrorKind::usage);
        CHECK(error_of([&] { f.publish(out / "other.html"); }).kind() == ErrorKind::usage);
        CHECK(error_of([&] { f.publish(f.root / "docs/site"); }).kind() == ErrorKind::usage);
        CHECK(error_of([&] { f.publish(f.root); }).kind() == ErrorKind::usage);
        CHECK(error_of([&] { f.publish(f.tmp.path()); }).kind() == ErrorKind::usage);
        CHECK_FALSE(fs::exists(f.root / "docs/site"));
    }
}
