#include <async/document.hpp>
#include <async/error.hpp>
#include <async/markdown.hpp>
#include <async/note.hpp>
#include <async/schema.hpp>

#include <doctest/doctest.h>

#include <set>
#include <string>

using namespace async;

namespace {

std::string title_of(std::string_view path, std::string_view body) {
    return note_title(path, extract_markdown(body).headings);
}

} // namespace

TEST_CASE("note::note_id") {
    std::string id = note_id("docs/rfcs/0001-ferry.md");
    CHECK(is_id(id));
    CHECK(id == note_id("docs/rfcs/0001-ferry.md"));
    CHECK(id != note_id("docs/rfcs/0002-ferry.md"));
    // Fixed forever: ids are written in other documents and scripts.
    CHECK(note_id("docs/a.md") == note_id(std::string{"docs/"} + "a.md"));
    std::set<std::string> ids;
    for (int i = 0; i < 20000; ++i) {
        ids.insert(note_id("docs/wiki/" + std::to_string(i) + ".md"));
    }
    CHECK(ids.size() == 20000);
}

TEST_CASE("note::note_title") {
    CHECK(title_of("docs/x.md", "# Harbour plan\n\ntext\n") == "Harbour plan");
    CHECK(title_of("docs/x.md", "intro\n\n## Second level\n\n# First level\n") == "First level");
    // A heading that only names a section is not the title: the file's name is.
    CHECK(title_of("docs/rfcs/0001-ferry-schedules.md", "- Feature Name: x\n\n# Summary\n\ntext\n") ==
          "0001-ferry-schedules");
    CHECK(title_of("docs/x/Table.MD", "#  table of contents \n") == "Table");
    CHECK(title_of("docs/keps/1412-retention/README.md", "no heading\n") == "1412-retention");
    CHECK(title_of("docs/wiki/index.md", "") == "wiki");
    CHECK(title_of("README.md", "") == "README");
    CHECK(title_of("docs/notes.txt.md", "# \n") == "notes.txt");
    CHECK(title_of("docs/x.md", "```\n# not a heading\n```\n") == "x");
}

TEST_CASE("note::names_of") {
    Document plain = Document::parse_any("# Plan\n", "docs/p.md");
    DocumentNames n = names_of(plain, "docs/p.md", extract_markdown(plain.body()).headings);
    CHECK(n.id == note_id("docs/p.md"));
    CHECK(n.type == "note");
    CHECK(n.title == "Plan");
    Document toml = Document::parse("+++\nid = \"abcd1234\"\ntitle = \"T\"\n+++\n# Other\n", "docs/t/index.md");
    n = names_of(toml, "docs/t/index.md", extract_markdown(toml.body()).headings);
    CHECK(n.id == "abcd1234");
    CHECK(n.type == "doc");
    CHECK(n.title == "T");
}

TEST_CASE("note::parse_workspace_document") {
    CHECK(parse_workspace_document("plain\n", "docs/a.md").front_matter_kind() == Document::FrontMatter::none);
    // async's own shapes must have front matter.
    for (const char* path : {"meetings/m/index.md", "checkins/2026-W48/bob.md", "docs/a/replies/x.md"}) {
        CAPTURE(path);
        CHECK_THROWS_AS(parse_workspace_document("plain\n", path), Error);
    }
    CHECK_THROWS_AS(parse_workspace_document(std::string_view{"plain\0x\n", 8}, "docs/a.md"), Error);
}

TEST_CASE("note::plain documents are never given front matter") {
    Document doc = Document::parse_any("\xEF\xBB\xBF# Plan\r\n\r\n- [ ] task\r\n", "docs/p.md");
    CHECK(doc.front_matter_kind() == Document::FrontMatter::none);
    CHECK(doc.keys().empty());
    CHECK(doc.body_line() == 1);
    CHECK(doc.render() == "\xEF\xBB\xBF# Plan\r\n\r\n- [ ] task\r\n");
    try {
        doc.set_strings("tags", {"web"});
        FAIL("set_strings on a plain document must throw");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(std::string{e.what()} == "'docs/p.md' is plain Markdown: async does not add front matter to it");
        CHECK(e.hint() == "adopt it first: async import 'docs/p.md'");
    }
    CHECK_THROWS_AS(doc.remove("tags"), Error);
    CHECK_THROWS_AS(doc.set_string("title", "x"), Error);
    doc.set_body("# Plan\n\n- [x] task\n");
    CHECK(doc.render() == "\xEF\xBB\xBF# Plan\r\n\r\n- [x] task\r\n");
    // The strict parser still refuses it.
    CHECK_THROWS_AS(Document::parse("# Plan\n", "docs/p.md"), Error);
}
