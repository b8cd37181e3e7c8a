#include <async/error.hpp>
#include <async/templates.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <unistd.h>

namespace fs = std::filesystem;
using async::TemplateData;
using async::TemplateSet;
using async::TemplateSource;

namespace {

// A fresh folder under the system temp dir, removed with everything in it at the end.
class TempDir {
public:
    TempDir() {
        std::random_device random;
        m_path = fs::temp_directory_path() / ("async-templates-test-" + std::to_string(::getpid()) +
                                              "-" + std::to_string(random()));
        fs::create_directories(m_path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

void write(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream out{path, std::ios::binary};
    out << content;
    REQUIRE(out.good());
}

std::string render(std::string_view text, const TemplateData& data = {}) {
    return async::render_template(text, data, "test");
}

// What async passes when everything is set (see templates/CMakeLists.txt).
TemplateData full_data() {
    TemplateData data;
    data.strings = {
        {"title", "Pricing page redesign"}, {"author", "alice"},   {"date", "2026-11-26"},
        {"due", "Fri 2026-11-27 17:00"},    {"week", "2026-W48"},  {"goal", "Agree the Q1 roadmap"},
        {"doc_title", "Launch plan"},       {"doc_id", "k3f9q2ma"}};
    data.lists = {{"reviewers", {"bob", "carol"}},
                  {"participants", {"bob", "carol"}},
                  {"questions", {"What have you been working on?", "What is next?"}},
                  {"commits", {"a1b2c3d api: fix login redirect"}},
                  {"done_actions", {"ship the draft"}},
                  {"documents", {"Pricing page redesign (k3f9)"}}};
    data.records = {{"items", {{{"heading", "Roadmap"}}, {{"heading", "Hiring"}}}}};
    return data;
}

async::ErrorKind error_kind_of(const std::function<void()>& run, std::string* message = nullptr) {
    try {
        run();
    } catch (const async::Error& error) {
        if (message != nullptr) {
            *message = error.what();
        }
        return error.kind();
    }
    FAIL("no async::Error thrown");
    return async::ErrorKind::interrupted;
}

const std::vector<std::string> k_builtins = {"checkin",  "decision",   "doc",        "item",
                                             "meeting",  "onboarding", "post",       "reply",
                                             "response", "sop",        "watercooler"};

} // namespace

TEST_CASE("templates::builtin_template_names") {
    CHECK(async::builtin_template_names() == k_builtins);
}

TEST_CASE("templates::to_string") {
    CHECK(async::to_string(TemplateSource::builtin) == "built-in");
    CHECK(async::to_string(TemplateSource::user) == "user");
    CHECK(async::to_string(TemplateSource::team) == "team");
}

TEST_CASE("templates::built-ins") {
    TempDir tmp;
    TemplateSet set{tmp.path() / "no-user", tmp.path() / "no-team"};

    SUBCASE("every built-in has a description and renders with empty and with full data") {
        for (const auto& name : k_builtins) {
            CAPTURE(name);
            auto info = set.find(name);
            REQUIRE(info.has_value());
            CHECK(info->source == TemplateSource::builtin);
            CHECK(info->path.empty());
            CHECK_FALSE(info->description.empty());
            std::string text = set.text(name);
            CHECK(text.starts_with("{{!"));
            for (const TemplateData& data : {TemplateData{}, full_data()}) {
                std::string out = async::render_template(text, data, name);
                CHECK(out.find("{{") == std::string::npos);
                CHECK(out.find("}}") == std::string::npos);
                CHECK(out.find(info->description) == std::string::npos);
                CHECK(out.find('\0') == std::string::npos);
                CHECK_FALSE(out.starts_with("\n\n"));
                CHECK(out.find("\n\n\n") == std::string::npos);
                CHECK(out.find("&lt;") == std::string::npos);
            }
        }
    }

    SUBCASE("doc: the five questions and who is asked by when") {
        std::string text = set.text("doc");
        std::string empty = async::render_template(text, {}, "doc");
        for (const char* heading :
             {"## What is the problem?\n", "## What do I need?\n",
              "## What does success look like?\n", "## Concerns\n", "## First step\n"}) {
            CHECK(empty.find(heading) != std::string::npos);
        }
        CHECK(empty.starts_with("## What is the problem?\n"));
        CHECK(empty.find("Feedback wanted") == std::string::npos);

        TemplateData data = full_data();
        CHECK(async::render_template(text, data, "doc")
                  .starts_with("Feedback wanted from @bob @carol by Fri 2026-11-27 17:00.\n\n## "));
        data.strings.erase("due");
        CHECK(async::render_template(text, data, "doc")
                  .starts_with("Feedback wanted from @bob @carol.\n\n## "));
        data = full_data();
        data.lists.erase("reviewers");
        CHECK(async::render_template(text, data, "doc")
                  .starts_with("Feedback wanted by Fri 2026-11-27 17:00.\n\n## "));
    }

    SUBCASE("meeting: goal, an item, the deadline and how to write outcomes") {
        std::string out = async::render_template(set.text("meeting"), full_data(), "meeting");
        CHECK(out.find("Agree the Q1 roadmap") != std::string::npos);
        CHECK(out.find("## Item 1\n") != std::string::npos);
        CHECK(out.find("Responses due by Fri 2026-11-27 17:00** from @bob @carol.") !=
              std::string::npos);
        CHECK(out.find("`- [ ] @bob ship the draft due:2026-12-01`") != std::string::npos);
        std::string empty = async::render_template(set.text("meeting"), {}, "meeting");
        CHECK(empty.find("Responses due") == std::string::npos);
    }

    SUBCASE("response: one section per agenda item") {
        std::string out = async::render_template(set.text("response"), full_data(), "response");
        CHECK(out.find("## Roadmap\n\n## Hiring\n") != std::string::npos);
        CHECK(out.find("## Response") == std::string::npos);
        std::string empty = async::render_template(set.text("response"), {}, "response");
        CHECK(empty.find("## Response\n") != std::string::npos);
    }

    SUBCASE("checkin: activity under the first question only") {
        std::string out = async::render_template(set.text("checkin"), full_data(), "checkin");
        CHECK(out == "## What have you been working on?\n"
                     "- a1b2c3d api: fix login redirect\n"
                     "- Done: ship the draft\n"
                     "- Wrote: Pricing page redesign (k3f9)\n"
                     "\n"
                     "## What is next?\n"
                     "\n");
    }

    SUBCASE("reply, item, onboarding") {
        CHECK(async::render_template(set.text("reply"), full_data(), "reply")
                  .starts_with("*Feedback on \"Launch plan\" (k3f9q2ma).*\n\n## "));
        CHECK(async::render_template(set.text("item"), full_data(), "item") ==
              "Pricing page redesign\n");
        // The one built-in with default front matter keys.
        CHECK(async::render_template(set.text("onboarding"), {}, "onboarding")
                  .starts_with("+++\ntags = [\"onboarding\"]\n+++\n"));
    }
}

TEST_CASE("templates::render_template") {
    SUBCASE("variables, missing ones render empty, no HTML escaping") {
        TemplateData data;
        data.strings = {{"title", "<b>Fish & \"chips\"</b> 'n'"}};
        CHECK(render("# {{title}}|{{missing}}|{{{title}}}|{{&nope}}", data) ==
              "# <b>Fish & \"chips\"</b> 'n'||<b>Fish & \"chips\"</b> 'n'|");
        CHECK(render("a{{x}}b\n") == "ab\n");
    }

    SUBCASE("the description comment and its newline are stripped") {
        CHECK(render("{{! A description }}\nBody {{x}}\n") == "Body \n");
        CHECK(render("{{! A description }}  \r\nBody\r\n") == "Body\r\n");
        CHECK(render("{{! multi\n line }}\nBody") == "Body");
        CHECK(render("{{! only }}") == "");
        CHECK(render("\xEF\xBB\xBF{{! with a BOM }}\nBody") == "Body");
        CHECK(render("Text {{! not a description }}\n") == "Text \n");
    }

    SUBCASE("lists and records") {
        TemplateData data;
        data.lists = {{"people", {"bob", "carol"}}, {"none", {}}};
        data.records = {
            {"items", {{{"heading", "Roadmap"}, {"owner", "bob"}}, {{"heading", "Hiring"}}}}};
        CHECK(render("{{#people}}@{{.}} {{/people}}", data) == "@bob @carol ");
        CHECK(render("{{#none}}x{{/none}}{{^none}}nobody{{/none}}", data) == "nobody");
        CHECK(render("{{#items}}## {{heading}}{{#owner}} ({{owner}}){{/owner}}\n{{/items}}",
                     data) == "## Roadmap (bob)\n## Hiring\n");
        CHECK(render("{{#people}}{{^-first}}, {{/-first}}{{-index}}:{{.}}{{#-last}}.{{/-last}}"
                     "{{/people}}",
                     data) == "1:bob, 2:carol.");
        CHECK(render("{{-first}}{{-index}}", data) == "");
    }

    SUBCASE("an empty string counts as unset") {
        TemplateData data;
        data.strings = {{"due", ""}, {"title", "T"}};
        CHECK(render("{{#due}}due {{due}}{{/due}}{{^due}}no due{{/due}} {{title}}", data) ==
              "no due T");
    }

    SUBCASE("lines of tags that render nothing disappear") {
        TemplateData data;
        data.strings = {{"due", "Fri"}};
        std::string text =
            "A\n{{#due}}\nDue {{due}}\n\n{{/due}}\n{{#nope}}\nx\n{{/nope}}\n"
            "  {{^due}}  \nno due\n  {{/due}}  \n{{! note }}\nB {{#nope}}{{/nope}}\n";
        CHECK(render(text, data) == "A\nDue Fri\n\nB \n");
        CHECK(render(text) == "A\nno due\nB \n");
        CHECK(render("{{x}}\n{{y}}\n") == "\n\n");
    }

    SUBCASE("partials render nothing") {
        TemplateData data;
        data.strings = {{"title", "{{#oops}}"}};
        CHECK(render("a{{> title}}b", data) == "ab");
    }

    SUBCASE("values are never parsed as Mustache") {
        TemplateData data;
        data.strings = {{"title", "{{#a}}{{b}}"}};
        CHECK(render("{{title}}", data) == "{{#a}}{{b}}");
    }

    SUBCASE("invalid Mustache is a data error naming the template and the place") {
        std::string message;
        CHECK(error_kind_of(
                  [] { async::render_template("{{! d }}\nok\n{{#items}}x\n", {}, "meeting"); },
                  &message) == async::ErrorKind::data);
        CHECK(message == "template 'meeting': unclosed section 'items' at line 3, column 1");
        CHECK(error_kind_of([] { render("a {{title"); }, &message) == async::ErrorKind::data);
        CHECK(message == "template 'test': unclosed tag at line 1, column 3");
        CHECK(error_kind_of([] { render("{{/x}}"); }, &message) == async::ErrorKind::data);
        CHECK(message == "template 'test': unopened section 'x' at line 1, column 1");
        CHECK(error_kind_of([] { render("{{#a}}{{/b}}"); }) == async::ErrorKind::data);
    }

    SUBCASE("output that would explode is refused, not a hang") {
        TemplateData data;
        data.lists = {{"two", {"a", "b"}}, {"many", std::vector<std::string>(100, "x")}};
        data.strings = {{"big", std::string(1024 * 1024, 'b')}};
        std::string nested;
        for (int i = 0; i < 60; ++i) {
            nested = "{{#two}}" + nested + "{{/two}}";
        }
        std::string message;
        CHECK(error_kind_of([&] { render(nested, data); }, &message) == async::ErrorKind::data);
        CHECK(message == "template 'test': the output would exceed 64 MiB");
        CHECK(error_kind_of([&] { render("{{#many}}{{big}}{{/many}}", data); }) ==
              async::ErrorKind::data);
        CHECK(render("{{#two}}{{big}}{{/two}}", data).size() == 2 * 1024 * 1024);
        CHECK(render("{{#many}}{{#two}}{{.}}{{/two}}{{/many}}", data).size() == 200);
    }

    SUBCASE("deep nesting and NUL bytes are refused, not a crash") {
        std::string deep;
        for (int i = 0; i < 100000; ++i) {
            deep += "{{#a}}";
        }
        std::string message;
        CHECK(error_kind_of([&] { render(deep); }, &message) == async::ErrorKind::data);
        CHECK(message == "template 'test': sections nested more than 64 deep at line 1, "
                         "column 385");
        CHECK(error_kind_of(
                  [] {
                      render(std::string{"a\nb\0c", 5});
                  },
                  &message) == async::ErrorKind::data);
        CHECK(message == "template 'test': NUL byte at line 2, column 2");
    }
}

TEST_CASE("templates::TemplateSet") {
    TempDir tmp;
    fs::path user = tmp.path() / "user";
    fs::path team = tmp.path() / "team";
    TemplateSet set{user, team};

    SUBCASE("built-ins only when the folders are missing or not given") {
        for (const TemplateSet& only_builtins : {set, TemplateSet{{}, {}}}) {
            auto list = only_builtins.list();
            REQUIRE(list.size() == k_builtins.size());
            for (std::size_t i = 0; i < list.size(); ++i) {
                CHECK(list[i].name == k_builtins[i]);
                CHECK(list[i].source == TemplateSource::builtin);
            }
        }
    }

    SUBCASE("user beats built-in, team beats user, extra names are listed") {
        write(user / "doc.md", "{{! User doc }}\nuser {{title}}\n");
        write(user / "standup.md", "{{! Standup }}\nyesterday, today\n");
        write(user / "sop.md", "user sop\n");
        write(team / "sop.md", "{{! Team SOP }}\nteam sop\n");
        write(team / "retro.md", "{{!Retro}}\nwhat went well\n");
        write(team / "README.md", "not a template name\n");
        write(team / "notes.txt", "not a template\n");

        CHECK(set.find("doc")->source == TemplateSource::user);
        CHECK(set.find("doc")->path == user / "doc.md");
        CHECK(set.find("doc")->description == "User doc");
        CHECK(set.text("doc") == "{{! User doc }}\nuser {{title}}\n");
        TemplateData data;
        data.strings = {{"title", "X"}};
        CHECK(async::render_template(set.text("doc"), data, "doc") == "user X\n");

        CHECK(set.find("sop")->source == TemplateSource::team);
        CHECK(set.text("sop") == "{{! Team SOP }}\nteam sop\n");
        CHECK(set.find("meeting")->source == TemplateSource::builtin);

        auto list = set.list();
        std::vector<std::string> names;
        for (const auto& info : list) {
            names.push_back(info.name);
        }
        std::vector<std::string> expected = k_builtins;
        expected.insert(expected.end(), {"retro", "standup"});
        std::sort(expected.begin(), expected.end());
        CHECK(names == expected);
        auto entry = [&](std::string_view name) {
            return *std::find_if(list.begin(), list.end(),
                                 [&](const auto& info) { return info.name == name; });
        };
        CHECK(entry("retro").source == TemplateSource::team);
        CHECK(entry("retro").path == team / "retro.md");
        CHECK(entry("retro").description == "Retro");
        CHECK(entry("standup").source == TemplateSource::user);
        CHECK(entry("sop").source == TemplateSource::team);
        CHECK(entry("doc").source == TemplateSource::user);
        CHECK(entry("checkin").source == TemplateSource::builtin);
        CHECK(entry("checkin").path.empty());
    }

    SUBCASE("unknown names are Error no with the names that exist") {
        write(team / "retro.md", "r\n");
        for (const char* name : {"nope", "../team/retro", "Doc", "", "doc.md", "/etc/passwd"}) {
            CAPTURE(name);
            CHECK_FALSE(set.find(name).has_value());
            try {
                set.text(name);
                FAIL("no error");
            } catch (const async::Error& error) {
                CHECK(error.kind() == async::ErrorKind::no);
                CHECK(std::string{error.what()} == "no template '" + std::string{name} + "'");
                CHECK(error.hint().find("checkin, decision, doc") != std::string::npos);
                CHECK(error.hint().find("retro") != std::string::npos);
            }
        }
    }

    SUBCASE("bad override files are data errors, still listed") {
        write(team / "big.md", std::string(1024 * 1024 + 1, 'x'));
        write(team / "exact.md", std::string(1024 * 1024, 'x'));
        write(team / "latin1.md", "caf\xE9\n");
        write(team / "nul.md", std::string{"a\n\0b", 4});
        fs::create_directories(team / "dir.md");
        fs::create_symlink(team / "missing-target.md", team / "dangling.md");
        write(team / "bom.md", "\xEF\xBB\xBF{{! With BOM }}\nbody\n");

        std::string message;
        CHECK(error_kind_of([&] { set.text("big"); }, &message) == async::ErrorKind::data);
        CHECK(message == "template 'big' is too large");
        CHECK(set.text("exact").size() == 1024 * 1024);
        CHECK(error_kind_of([&] { set.text("latin1"); }, &message) == async::ErrorKind::data);
        CHECK(message == "template 'latin1' is not valid UTF-8 at line 1, column 4");
        CHECK(error_kind_of([&] { set.text("nul"); }, &message) == async::ErrorKind::data);
        CHECK(message == "template 'nul' contains a NUL byte at line 2, column 1");
        CHECK(error_kind_of([&] { set.text("dir"); }, &message) == async::ErrorKind::data);
        CHECK(message == "cannot read template 'dir' from '" + (team / "dir.md").string() +
                             "': is a directory");
        CHECK(error_kind_of([&] { set.text("dangling"); }, &message) == async::ErrorKind::data);
        CHECK(message.find("no such file or directory") != std::string::npos);
        CHECK(set.text("bom") == "{{! With BOM }}\nbody\n");
        CHECK(set.find("bom")->description == "With BOM");

        auto list = set.list();
        for (const char* name : {"big", "latin1", "nul", "dir", "dangling"}) {
            CAPTURE(name);
            auto it = std::find_if(list.begin(), list.end(),
                                   [&](const auto& info) { return info.name == name; });
            REQUIRE(it != list.end());
            CHECK(it->source == TemplateSource::team);
            CHECK(it->description.empty());
            CHECK(set.find(name)->source == TemplateSource::team);
        }
    }
}
