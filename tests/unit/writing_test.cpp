#include <async/config.hpp>
#include <async/document.hpp>
#include <async/env.hpp>
#include <async/error.hpp>
#include <async/workspace.hpp>
#include <async/writing.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using async::BodyInput;
using async::ComposeRequest;
using async::Config;
using async::Document;
using async::EditChoice;
using async::Env;
using async::ErrorKind;
using async::TimePoint;
using async::Workspace;
using async_test::error_of;
using async_test::TempDir;
using V = std::vector<std::string>;

namespace {

TimePoint utc(int y, unsigned m, unsigned d, int h = 0, int min = 0) {
    return TimePoint{std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} /
                                           std::chrono::day{d}}} +
           std::chrono::hours{h} + std::chrono::minutes{min};
}

const TimePoint k_now = utc(2026, 11, 26, 10, 15);

void write_text(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE(out.good());
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    return std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

V names_in(const fs::path& dir) {
    V names;
    for (const auto& entry : fs::directory_iterator(dir)) {
        names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

// A workspace in a temp folder, an environment with no editor, and a request for a document.
struct Fixture {
    TempDir tmp{"writing"};
    Workspace ws{tmp / "ws"};
    Env env;
    Config config;
    ComposeRequest request{Document::from_parts("id = \"abcd1234\"\ntype = \"doc\"\ntitle = \"My title\"\n",
                                                "## Template\n\nWrite here.\n"),
                           "async doc new", "my-title", {"title"}};

    Fixture() { async::init_workspace(ws.root()); }

    Document compose(const BodyInput& input) const {
        return async::compose_document(async::Session{ws, env, config, k_now, "alice"}, request, input);
    }
};

BodyInput never_edit() {
    BodyInput input;
    input.edit = EditChoice::never;
    return input;
}

} // namespace

TEST_CASE("writing::compose_document") {
    Fixture f;
    const std::string front = "id = \"abcd1234\"\ntype = \"doc\"\ntitle = \"My title\"\n";

    SUBCASE("--no-edit writes the rendered template as is") {
        Document doc = f.compose(never_edit());
        CHECK(doc.render() == f.request.initial.render());
    }
    SUBCASE("-m gives the body, with a final newline") {
        BodyInput input = never_edit();
        input.message = "Hello team";
        Document doc = f.compose(input);
        CHECK(doc.render() == "+++\n" + front + "+++\nHello team\n");
        input.message = "Two\nlines\n";
        CHECK(f.compose(input).body() == "Two\nlines\n");
    }
    SUBCASE("-m without --no-edit does not open an editor") {
        BodyInput input;
        input.message = "Hello";
        CHECK(f.compose(input).body() == "Hello\n");
    }
    SUBCASE("--file with a body only replaces the body") {
        BodyInput input = never_edit();
        input.file_text = "From a file.\n";
        input.file_path = f.tmp / "body.md";
        Document doc = f.compose(input);
        CHECK(doc.render() == "+++\n" + front + "+++\nFrom a file.\n");
    }
    SUBCASE("--file with a whole document keeps its front matter and fills in what is missing") {
        BodyInput input = never_edit();
        input.file_text = "+++\ntitle = \"Mine\"\ncustom = 1  # kept\n[extra]\nk = \"v\"\n+++\nBody\n";
        input.file_path = f.tmp / "whole.md";
        Document doc = f.compose(input);
        CHECK(doc.front_matter() ==
              "title = \"Mine\"\ncustom = 1  # kept\nid = \"abcd1234\"\ntype = \"doc\"\n[extra]\nk = \"v\"\n");
        CHECK(doc.body() == "Body\n");
        CHECK(doc.get_string("title") == "Mine");
    }
    SUBCASE("a whole document's own id and type win") {
        BodyInput input = never_edit();
        input.file_text = "+++\nid = \"zzzz9999\"\ntype = \"post\"\n+++\nBody\n";
        input.file_path = "-";
        Document doc = f.compose(input);
        CHECK(doc.front_matter() == "id = \"zzzz9999\"\ntype = \"post\"\ntitle = \"My title\"\n");
    }
    SUBCASE("a blank body is 'no', and nothing is kept") {
        std::vector<BodyInput> inputs;
        inputs.push_back(never_edit());
        inputs.back().message = "  \n\t\n";
        inputs.push_back(never_edit());
        inputs.back().message = "";
        inputs.push_back(never_edit());
        inputs.back().file_text = "\n\n";
        inputs.back().file_path = f.tmp / "empty.md";
        inputs.push_back(never_edit());
        inputs.back().file_text = "+++\ntitle = \"x\"\n+++\n\n   \n";
        inputs.back().file_path = "-";
        for (const auto& input : inputs) {
            auto e = error_of([&] { (void)f.compose(input); });
            CHECK(e.kind() == ErrorKind::no);
            CHECK(std::string{e.what()} == "aborted: empty body");
        }
        f.request.initial.set_body("\n");
        auto e = error_of([&] { (void)f.compose(never_edit()); });
        CHECK(e.kind() == ErrorKind::no);
        CHECK(names_in(f.ws.drafts_dir()).empty());
    }
    SUBCASE("invalid front matter from a file: the error with line and column, no draft") {
        BodyInput input = never_edit();
        input.file_path = f.tmp / "bad.md";
        input.file_text = "+++\ntitle = \"ok\"\nbad = \n+++\nbody\n";
        auto e = error_of([&] { (void)f.compose(input); });
        CHECK(e.kind() == ErrorKind::data);
        CHECK(std::string{e.what()}.starts_with(input.file_path.string() + ":3:7: "));
        CHECK(e.hint() == "");
        CHECK(names_in(f.ws.drafts_dir()).empty());
    }
    SUBCASE("invalid front matter from stdin is kept as a draft with a resume hint") {
        BodyInput input = never_edit();
        input.file_path = "-";
        input.file_text = "+++\ntitle = \"ok\"\nbad = \n+++\nmy precious text\n";
        auto e = error_of([&] { (void)f.compose(input); });
        CHECK(e.kind() == ErrorKind::data);
        CHECK(std::string{e.what()}.starts_with("<stdin>:3:7: "));
        REQUIRE(names_in(f.ws.drafts_dir()) == V{"20261126T101500Z-my-title.md"});
        const fs::path draft = f.ws.drafts_dir() / "20261126T101500Z-my-title.md";
        CHECK(read_text(draft) == *input.file_text);
        CHECK(e.hint() == "your text is kept in '" + draft.string() + "'; resume with: async doc new --file '" +
                              draft.string() + "' --edit");
        SUBCASE("a second failure does not overwrite the first draft") {
            (void)error_of([&] { (void)f.compose(input); });
            CHECK(names_in(f.ws.drafts_dir()) ==
                  V{"20261126T101500Z-my-title-2.md", "20261126T101500Z-my-title.md"});
        }
    }
    SUBCASE("a draft passed back with --file is removed on success only") {
        const fs::path draft = f.ws.drafts_dir() / "20261126T101500Z-my-title.md";
        write_text(draft, "+++\ntitle = \"Resumed\"\n+++\n\n");
        BodyInput input = never_edit();
        input.file_path = draft;
        input.file_text = read_text(draft);
        (void)error_of([&] { (void)f.compose(input); }); // blank body: aborted
        CHECK(fs::exists(draft));

        input.file_text = "+++\ntitle = \"Resumed\"\n+++\nNow with text.\n";
        Document doc = f.compose(input);
        CHECK(doc.get_string("title") == "Resumed");
        CHECK_FALSE(fs::exists(draft));
    }
    SUBCASE("a --file outside the drafts folder is never removed") {
        const fs::path mine = f.tmp / "mine.md";
        write_text(mine, "Body\n");
        BodyInput input = never_edit();
        input.file_path = mine;
        input.file_text = "Body\n";
        (void)f.compose(input);
        CHECK(read_text(mine) == "Body\n");
    }
}

TEST_CASE("writing::write_new_bundle") {
    async_test::ScopedEnvVar tz{"TZ", "UTC"};
    Fixture f;
    Document doc = Document::from_parts("id = \"abcd1234\"\ntitle = \"Pricing\"\n", "Body\n");
    const fs::path docs = f.ws.root() / "docs";

    SUBCASE("section/date-slug/index.md, then -2, -3, never reusing a folder") {
        fs::path first = async::write_new_bundle(f.ws, "docs", k_now, "pricing", doc);
        CHECK(first == docs / "2026-11-26-pricing/index.md");
        CHECK(read_text(first) == doc.render());

        Document other = Document::from_parts("id = \"efgh5678\"\n", "Other\n");
        fs::path second = async::write_new_bundle(f.ws, "docs", k_now, "pricing", other);
        CHECK(second == docs / "2026-11-26-pricing-2/index.md");
        CHECK(read_text(second) == other.render());
        CHECK(read_text(first) == doc.render());

        fs::path third = async::write_new_bundle(f.ws, "docs", k_now, "pricing", doc);
        CHECK(third == docs / "2026-11-26-pricing-3/index.md");

        // An empty folder someone else claimed (or left behind) is not reused.
        fs::create_directories(docs / "2026-11-26-pricing-4");
        fs::path fifth = async::write_new_bundle(f.ws, "docs", k_now, "pricing", doc);
        CHECK(fifth == docs / "2026-11-26-pricing-5/index.md");
        CHECK(names_in(docs / "2026-11-26-pricing-4").empty());
        CHECK(names_in(docs) == V{"2026-11-26-pricing", "2026-11-26-pricing-2", "2026-11-26-pricing-3",
                                  "2026-11-26-pricing-4", "2026-11-26-pricing-5"});
        CHECK(names_in(docs / "2026-11-26-pricing") == V{"index.md"});
    }
    SUBCASE("a section that does not exist yet is created") {
        fs::path path = async::write_new_bundle(f.ws, "posts", k_now, "hello", doc);
        CHECK(path == f.ws.root() / "posts/2026-11-26-hello/index.md");
        CHECK(read_text(path) == doc.render());
    }
    SUBCASE("the date is the local date of created") {
        async_test::ScopedEnvVar west{"TZ", "XST8"}; // UTC-8, no DST rules needed
        fs::path path = async::write_new_bundle(f.ws, "docs", utc(2026, 11, 26, 3), "early", doc);
        CHECK(path == docs / "2026-11-25-early/index.md");
    }
}
