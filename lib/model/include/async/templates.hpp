#pragma once
// Mustache templates: built-ins compiled into the binary, overridden per user
// (~/.config/async/templates/NAME.md) and per team (.async/templates/NAME.md); the team's wins.
#include <async/clock.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace async {

class Env;
class Workspace;

enum class TemplateSource { builtin, user, team };

// "built-in", "user", "team".
std::string_view to_string(TemplateSource source);

struct TemplateInfo {
    std::string name;            // "doc", "meeting", …
    TemplateSource source;       // where the one in effect comes from
    std::filesystem::path path;  // the override file; empty for a built-in
    std::string description;     // from the template's leading {{! … }} comment, may be empty
};

// Values a template can use. Missing names render as nothing (Mustache rules).
struct TemplateData {
    std::map<std::string, std::string> strings;             // {{title}}
    std::map<std::string, std::vector<std::string>> lists;  // {{#reviewers}}{{.}}{{/reviewers}}
    // {{#items}}{{heading}}{{/items}}: lists of records, each a map of strings.
    std::map<std::string, std::vector<std::map<std::string, std::string>>> records;
};

class TemplateSet {
public:
    // user_dir and team_dir may not exist (then only built-ins apply); either may be empty.
    TemplateSet(std::filesystem::path user_dir, std::filesystem::path team_dir);

    // The templates in effect for the person env describes: their own folder (templates/ beside
    // the user config) over the team's (.async/templates/ of ws; none when ws is null) over the
    // built-ins.
    static TemplateSet in_effect(const Env& env, const Workspace* ws);

    // Every template in effect, sorted by name: built-ins and any extra names the override
    // folders add.
    std::vector<TemplateInfo> list() const;

    // The template in effect for name, or nullopt when there is none.
    std::optional<TemplateInfo> find(std::string_view name) const;

    // The raw text of the template in effect (a leading UTF-8 BOM removed). Throws Error{no}
    // naming the template when unknown (with a hint listing what exists), Error{data} when an
    // override cannot be read, is over 1 MiB, is not UTF-8 or holds a NUL byte. Names are
    // lowercase letters, digits, '-' and '_': anything else (a path) is unknown.
    std::string text(std::string_view name) const;

private:
    std::filesystem::path m_user_dir;
    std::filesystem::path m_team_dir;
};

// Names of the templates compiled into the binary, sorted.
std::vector<std::string> builtin_template_names();

// Renders Mustache text with data. The leading {{! description }} comment and its newline are
// left out; the output may begin with a `+++ … +++` block of default front matter keys, which
// the caller merges. HTML escaping is off (the output is Markdown/TOML; values destined for TOML
// strings are escaped by the caller). An empty string counts as unset, so {{#due}}…{{/due}}
// renders only with a due. Inside a list section {{#-first}}, {{#-last}} and {{-index}} (from 1)
// describe the current item, as in jmustache. A line holding a section, comment or other
// non-variable tag that renders blank is left out. Partials render as nothing. Throws
// Error{data} naming template_name when the text is not valid Mustache (with the line and
// column), nests sections over 64 deep, holds a NUL byte or would render over 64 MiB.
// The values every new document's template may use: {{title}}, {{author}}, {{date}} (now's local
// date) and {{due}} (local date and time, empty without a due).
TemplateData new_document_data(std::string_view title, std::string_view author, TimePoint now,
                               const std::optional<TimePoint>& due);

std::string render_template(std::string_view text, const TemplateData& data,
                            std::string_view template_name);

} // namespace async
