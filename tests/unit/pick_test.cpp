#include <async/dates.hpp>
#include <async/pick.hpp>

#include <doctest/doctest.h>

#include <algorithm>

#include "temp_dir.hpp"

namespace {

async::DocSummary doc(std::string id, std::string title) {
    async::DocSummary d;
    d.id = std::move(id);
    d.type = "doc";
    d.author = "alice";
    d.title = std::move(title);
    d.path = "docs/x/index.md";
    d.created = *async::parse_iso8601("2026-11-26T10:15:00Z");
    return d;
}

} // namespace

TEST_CASE("pick::pick_candidates") {
    async_test::ScopedEnvVar tz{"TZ", "UTC"};
    CHECK(async::pick_candidates({doc("abcd1234", "Pricing page")}) == "abcd1234\tdoc\t2026-11-26\talice\tPricing page\n");
    // Every field one line: tabs would shift fzf's fields, newlines make two candidates, and
    // escapes or overrides would act on the user's terminal.
    std::string line = async::pick_candidates({doc("abcd1234", "Evil\x1b]0;pwned\x07\ttab\nnext \u202etxt")});
    CHECK(line.find('\x1b') == std::string::npos);
    CHECK(line.find("\u202e") == std::string::npos);
    CHECK(std::count(line.begin(), line.end(), '\n') == 1);
    CHECK(std::count(line.begin(), line.end(), '\t') == 4);
    auto untitled = doc("abcd1234", "");
    untitled.created.reset();
    CHECK(async::pick_candidates({untitled}) == "abcd1234\tdoc\t-\talice\tdocs/x/index.md\n");
}

TEST_CASE("pick::picked_ids") {
    std::vector<async::DocSummary> docs = {doc("abcd1234", "A"), doc("efgh5678", "B")};
    CHECK(async::picked_ids("efgh5678\tdoc\t…\nabcd1234\tdoc\t…\n", docs) ==
          std::vector<std::string>{"efgh5678", "abcd1234"});
    // Whatever else fzf prints (a query line, a stranger's id) is no choice.
    CHECK(async::picked_ids("hiring\nzzzz9999\tdoc\n\nabcd1234", docs) == std::vector<std::string>{"abcd1234"});
    CHECK(async::picked_ids("", docs).empty());
}
