#include <async/config.hpp>
#include <async/dates.hpp>
#include <async/error.hpp>
#include <async/templates.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>

#include "builtin_templates.hpp"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>

namespace fs = std::filesystem;
namespace mustache = kainjow::mustache;

namespace async {
namespace {

constexpr std::size_t k_max_template_size = 1024 * 1024;
constexpr std::size_t k_max_output = 64 * 1024 * 1024;
// Every nesting level costs the Mustache parser and renderer a few stack frames; real templates
// nest two or three deep, so this bounds a hostile override without limiting anyone.
constexpr std::size_t k_max_section_depth = 64;
constexpr std::string_view k_utf8_bom = "\xEF\xBB\xBF";

std::string in_quotes(std::string_view text) {
    return "'" + std::string{text} + "'";
}

// NAME.md names async accepts: they become file names, so nothing that could leave the folder.
bool is_valid_name(std::string_view name) {
    if (name.empty() || name.size() > 64) {
        return false;
    }
    auto allowed = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    };
    return std::all_of(name.begin(), name.end(), allowed) && name.front() != '-' &&
           name.front() != '_';
}

std::string lowercase_first(std::string text) {
    if (!text.empty()) {
        text.front() = static_cast<char>(std::tolower(static_cast<unsigned char>(text.front())));
    }
    return text;
}

const detail::BuiltinTemplate* find_builtin(std::string_view name) {
    for (const auto& builtin : detail::builtin_templates()) {
        if (builtin.name == name) {
            return &builtin;
        }
    }
    return nullptr;
}

// The override for name in dir when one is there (whatever it is: a directory or a broken link
// still counts, so reading it reports the problem instead of silently using another template).
std::optional<fs::path> override_in(const fs::path& dir, std::string_view name) {
    if (dir.empty()) {
        return std::nullopt;
    }
    fs::path path = dir / (std::string{name} + ".md");
    std::error_code ec;
    if (fs::symlink_status(path, ec).type() == fs::file_type::not_found || ec) {
        return std::nullopt;
    }
    return path;
}

// Reads an override, refusing anything that is not a small UTF-8 text file.
std::string read_override(const fs::path& path, std::string_view name) {
    auto cannot_read = [&](const std::string& reason) {
        return Error{ErrorKind::data, "cannot read template " + in_quotes(name) + " from " +
                                          in_quotes(path.string()) + ": " + reason};
    };
    auto system_error = [](int err) { return lowercase_first(std::strerror(err)); };
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        throw cannot_read(system_error(errno));
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        int err = errno;
        ::close(fd);
        throw cannot_read(system_error(err));
    }
    if (!S_ISREG(info.st_mode)) {
        ::close(fd);
        throw cannot_read(S_ISDIR(info.st_mode) ? "is a directory" : "not a regular file");
    }
    std::string text;
    char buffer[65536];
    while (text.size() <= k_max_template_size) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            int err = errno;
            ::close(fd);
            throw cannot_read(system_error(err));
        }
        if (n == 0) {
            break;
        }
        text.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    std::string hint = "fix or remove " + in_quotes(path.string());
    if (text.size() > k_max_template_size) {
        throw Error{ErrorKind::data, "template " + in_quotes(name) + " is too large",
                    "templates are limited to 1 MiB; " + hint};
    }
    if (text.starts_with(k_utf8_bom)) {
        text.erase(0, k_utf8_bom.size());
    }
    if (auto bad = find_invalid_utf8(text)) {
        LineCol where = line_col_at(text, *bad);
        std::string what = text[*bad] == '\0' ? "contains a NUL byte" : "is not valid UTF-8";
        throw Error{ErrorKind::data,
                    "template " + in_quotes(name) + " " + what + " at line " +
                        std::to_string(where.line) + ", column " + std::to_string(where.column),
                    hint};
    }
    return text;
}

// The leading {{! description }} comment of a template: its text and where the body begins
// (after the comment and the rest of its line when that is blank).
struct Description {
    std::string text;
    std::size_t body_start = 0;
};

Description split_description(std::string_view text) {
    Description result;
    if (!text.starts_with("{{!")) {
        return result;
    }
    std::size_t close = text.find("}}", 3);
    if (close == std::string_view::npos) {
        return result;
    }
    for (char c : trim(text.substr(3, close - 3))) {
        bool blank = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (!blank) {
            result.text += c;
        } else if (!result.text.empty() && result.text.back() != ' ') {
            result.text += ' ';
        }
    }
    result.body_start = close + 2;
    std::size_t end = text.find_first_not_of(" \t", result.body_start);
    if (end == std::string_view::npos) {
        result.body_start = text.size();
    } else if (text.substr(end).starts_with("\r\n")) {
        result.body_start = end + 2;
    } else if (text[end] == '\n') {
        result.body_start = end + 1;
    }
    return result;
}

// text without the leading and trailing characters std::isspace() accepts, as kainjow trims tags.
std::string_view trim_tag(std::string_view text) {
    constexpr std::string_view k_space = " \t\n\v\f\r";
    std::size_t first = text.find_first_not_of(k_space);
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(k_space) - first + 1);
}

// A tag of a template: [start, end) in the text, and its kind: 'v' for a variable ({{x}},
// {{&x}}, {{{x}}}), else the sigil: '#', '^', '/', '!', '>' or '='.
struct Tag {
    std::size_t start;
    std::size_t end;
    char kind;
};

// The tags of text, found the way kainjow's parser finds them (delimiter changes and triple
// mustaches included). Stops at an unclosed tag, which the parser reports.
std::vector<Tag> scan_tags(std::string_view text) {
    std::vector<Tag> tags;
    std::string open = "{{";
    std::string close = "}}";
    std::size_t pos = 0;
    while (pos < text.size()) {
        if (text.compare(pos, open.size(), open) != 0) {
            ++pos;
            continue;
        }
        std::size_t contents = pos + open.size();
        std::string_view end_delimiter = close;
        bool triple =
            open == "{{" && close == "}}" && contents < text.size() && text[contents] == '{';
        if (triple) {
            ++contents;
            end_delimiter = "}}}";
        }
        std::size_t end = text.find(end_delimiter, contents);
        if (end == std::string_view::npos) {
            break;
        }
        std::string_view inside = trim_tag(text.substr(contents, end - contents));
        char kind = 'v';
        if (!triple && !inside.empty() &&
            std::string_view{"#^/!>="}.find(inside.front()) != std::string_view::npos) {
            kind = inside.front();
        }
        if (kind == '=' && inside.size() >= 5 && inside.back() == '=') {
            std::string_view delimiters = trim_tag(inside.substr(1, inside.size() - 2));
            std::size_t space = delimiters.find(' ');
            if (space != std::string_view::npos) {
                open = std::string{delimiters.substr(0, space)};
                close = std::string{trim_tag(delimiters.substr(space))};
            }
        }
        tags.push_back(Tag{pos, end + end_delimiter.size(), kind});
        pos = end + end_delimiter.size();
    }
    return tags;
}

// Offset of the first section nested deeper than k_max_section_depth, if any.
std::optional<std::size_t> too_deep_at(const std::vector<Tag>& tags) {
    std::size_t depth = 0;
    for (const Tag& tag : tags) {
        if (tag.kind == '#' || tag.kind == '^') {
            if (++depth > k_max_section_depth) {
                return tag.start;
            }
        } else if (tag.kind == '/' && depth > 0) {
            --depth;
        }
    }
    return std::nullopt;
}

// Marks the end of every line holding a tag other than a variable with k_line_mark, so that
// drop_marked_blank_lines() can remove those lines when they render blank: the standalone-line
// rule of Mustache, which kainjow 4.1 applies to sections it renders but not to skipped ones.
constexpr char k_line_mark = '\0';

std::string mark_tag_lines(std::string_view text, const std::vector<Tag>& tags) {
    std::string marked;
    marked.reserve(text.size() + text.size() / 16);
    auto tag = tags.begin();
    bool line_has_tag = false;
    std::size_t pos = 0;
    while (pos < text.size()) {
        if (tag != tags.end() && tag->start == pos) {
            marked.append(text.substr(pos, tag->end - pos));
            line_has_tag = line_has_tag || tag->kind != 'v';
            pos = tag->end;
            ++tag;
            continue;
        }
        if (text[pos] == '\n' || text.substr(pos, 2) == "\r\n") {
            if (line_has_tag) {
                marked += k_line_mark;
            }
            line_has_tag = false;
        }
        marked += text[pos++];
    }
    if (line_has_tag) {
        marked += k_line_mark;
    }
    return marked;
}

std::string drop_marked_blank_lines(std::string_view rendered) {
    std::string result;
    result.reserve(rendered.size());
    std::size_t pos = 0;
    while (pos < rendered.size()) {
        std::size_t newline = rendered.find('\n', pos);
        std::size_t end = newline == std::string_view::npos ? rendered.size() : newline + 1;
        std::string_view line = rendered.substr(pos, end - pos);
        pos = end;
        if (line.find(k_line_mark) == std::string_view::npos) {
            result += line;
            continue;
        }
        if (line.find_first_not_of(std::string_view{" \t\r\n\0", 5}) == std::string_view::npos) {
            continue;
        }
        for (char c : line) {
            if (c != k_line_mark) {
                result += c;
            }
        }
    }
    return result;
}

// kainjow reports "Unclosed section \"x\" at 12": make it house style with a line and column.
std::string describe_parse_error(std::string_view message, std::string_view text,
                                 std::size_t offset_of_text) {
    std::string result = lowercase_first(std::string{message});
    std::replace(result.begin(), result.end(), '"', '\'');
    std::size_t at = result.rfind(" at ");
    if (at == std::string::npos) {
        return result;
    }
    std::string number = result.substr(at + 4);
    if (number.empty() ||
        !std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return result;
    }
    std::size_t offset = std::stoull(number) + offset_of_text;
    if (offset > text.size()) {
        return result.substr(0, at);
    }
    LineCol where = line_col_at(text, offset);
    return result.substr(0, at) + " at line " + std::to_string(where.line) + ", column " +
           std::to_string(where.column);
}

// Where a list item sits in its list, for {{-first}}, {{-last}} and {{-index}}.
struct ItemPosition {
    mustache::data first;
    mustache::data last;
    mustache::data index;
};

// Thrown out of a rendering that went over its budget.
struct OverBudget {};

// A rendering context like kainjow's own, plus the jmustache-style item markers, without
// partials (a partial would render file or user text as a template), and with a budget: a
// section entered renders at most the whole template's text, and the values looked up are
// counted, which bounds the output even when a hostile template nests a list in itself sixty
// times.
class Context : public mustache::basic_context<std::string> {
public:
    Context(const mustache::data& root,
            const std::unordered_map<const mustache::data*, ItemPosition>& positions,
            std::size_t max_sections, std::size_t max_value_bytes)
        : m_positions(positions), m_sections_left(max_sections),
          m_value_bytes_left(max_value_bytes) {
        m_stack.push_back(&root);
    }

    void push(const mustache::data* data) override {
        if (m_sections_left-- == 0) {
            throw OverBudget{};
        }
        m_stack.push_back(data);
    }
    void pop() override { m_stack.pop_back(); }

    const mustache::data* get(const std::string& name) const override {
        const mustache::data* found = find(name);
        if (found != nullptr && found->is_string()) {
            std::size_t size = found->string_value().size();
            if (size > m_value_bytes_left) {
                throw OverBudget{};
            }
            m_value_bytes_left -= size;
        }
        return found;
    }

    const mustache::data* get_partial(const std::string&) const override { return nullptr; }

private:
    const mustache::data* find(const std::string& name) const {
        if (name == ".") {
            return m_stack.back();
        }
        if (name == "-first" || name == "-last" || name == "-index") {
            return item_marker(name);
        }
        for (auto it = m_stack.rbegin(); it != m_stack.rend(); ++it) {
            if (const mustache::data* found = lookup(**it, name)) {
                return found;
            }
        }
        return nullptr;
    }

    const mustache::data* item_marker(const std::string& name) const {
        for (auto it = m_stack.rbegin(); it != m_stack.rend(); ++it) {
            auto position = m_positions.find(*it);
            if (position != m_positions.end()) {
                const ItemPosition& item = position->second;
                return name == "-first" ? &item.first : name == "-last" ? &item.last : &item.index;
            }
        }
        return nullptr;
    }

    // name, or a dotted path "a.b" through nested objects.
    static const mustache::data* lookup(const mustache::data& data, std::string_view name) {
        const mustache::data* current = &data;
        while (current != nullptr) {
            std::size_t dot = name.find('.');
            current = current->get(std::string{name.substr(0, dot)});
            if (dot == std::string_view::npos) {
                return current;
            }
            name.remove_prefix(dot + 1);
        }
        return nullptr;
    }

    std::vector<const mustache::data*> m_stack;
    const std::unordered_map<const mustache::data*, ItemPosition>& m_positions;
    std::size_t m_sections_left;
    mutable std::size_t m_value_bytes_left;
};

// A value without NUL bytes (they are never valid text, and one would pass for a line mark).
mustache::data text_data(std::string value) {
    std::erase(value, k_line_mark);
    return mustache::data{value};
}

// An empty string is "not set": false, so {{#due}}…{{/due}} renders only when there is a due.
mustache::data string_data(const std::string& value) {
    return value.empty() ? mustache::data{false} : text_data(value);
}

mustache::data to_mustache(const TemplateData& data) {
    mustache::data root{mustache::data::type::object};
    for (const auto& [name, value] : data.strings) {
        root.set(name, string_data(value));
    }
    for (const auto& [name, values] : data.lists) {
        mustache::data list{mustache::data::type::list};
        for (const auto& value : values) {
            list.push_back(text_data(value));
        }
        root.set(name, list);
    }
    for (const auto& [name, records] : data.records) {
        mustache::data list{mustache::data::type::list};
        for (const auto& record : records) {
            mustache::data object{mustache::data::type::object};
            for (const auto& [field, value] : record) {
                object.set(field, string_data(value));
            }
            list.push_back(object);
        }
        root.set(name, list);
    }
    return root;
}

std::unordered_map<const mustache::data*, ItemPosition> item_positions(const mustache::data& root,
                                                                       const TemplateData& data) {
    std::unordered_map<const mustache::data*, ItemPosition> positions;
    auto add = [&](const std::string& name) {
        const mustache::data* list = root.get(name);
        if (list == nullptr || !list->is_list()) {
            return;
        }
        const auto& items = list->list_value();
        for (std::size_t i = 0; i < items.size(); ++i) {
            positions.emplace(&items[i], ItemPosition{mustache::data{i == 0},
                                                      mustache::data{i + 1 == items.size()},
                                                      mustache::data{std::to_string(i + 1)}});
        }
    };
    for (const auto& entry : data.lists) {
        add(entry.first);
    }
    for (const auto& entry : data.records) {
        add(entry.first);
    }
    return positions;
}

} // namespace

std::string_view to_string(TemplateSource source) {
    switch (source) {
    case TemplateSource::builtin: return "built-in";
    case TemplateSource::user: return "user";
    case TemplateSource::team: return "team";
    }
    return "built-in";
}

TemplateSet::TemplateSet(fs::path user_dir, fs::path team_dir)
    : m_user_dir(std::move(user_dir)), m_team_dir(std::move(team_dir)) {}

TemplateSet TemplateSet::in_effect(const Env& env, const Workspace* ws) {
    auto user = find_user_config_file(env);
    return TemplateSet{user ? user->parent_path() / "templates" : fs::path{}, ws ? ws->templates_dir() : fs::path{}};
}

std::vector<TemplateInfo> TemplateSet::list() const {
    std::map<std::string, TemplateInfo> found;
    for (const auto& builtin : detail::builtin_templates()) {
        found[std::string{builtin.name}] = TemplateInfo{std::string{builtin.name},
                                                        TemplateSource::builtin,
                                                        {},
                                                        split_description(builtin.text).text};
    }
    // Team last: it wins over the user's override of the same name.
    for (auto [dir, source] : {std::pair{&m_user_dir, TemplateSource::user},
                               std::pair{&m_team_dir, TemplateSource::team}}) {
        if (dir->empty()) {
            continue;
        }
        // A folder that is missing or unreadable has no overrides, the same as for find().
        std::error_code ec;
        for (fs::directory_iterator it{*dir, ec}, end; !ec && it != end; it.increment(ec)) {
            const fs::path& path = it->path();
            std::string name = path.stem().string();
            if (path.extension() != ".md" || !is_valid_name(name)) {
                continue;
            }
            // A broken override is still listed; `templates show` reports what is wrong.
            std::string description;
            try {
                description = split_description(read_override(path, name)).text;
            } catch (const Error&) {
            }
            found[name] = TemplateInfo{name, source, path, std::move(description)};
        }
    }
    std::vector<TemplateInfo> result;
    result.reserve(found.size());
    for (auto& entry : found) {
        result.push_back(std::move(entry.second));
    }
    return result;
}

std::optional<TemplateInfo> TemplateSet::find(std::string_view name) const {
    if (!is_valid_name(name)) {
        return std::nullopt;
    }
    for (auto [dir, source] : {std::pair{&m_team_dir, TemplateSource::team},
                               std::pair{&m_user_dir, TemplateSource::user}}) {
        if (auto path = override_in(*dir, name)) {
            std::string description;
            try {
                description = split_description(read_override(*path, name)).text;
            } catch (const Error&) {
            }
            return TemplateInfo{std::string{name}, source, *path, std::move(description)};
        }
    }
    if (const auto* builtin = find_builtin(name)) {
        return TemplateInfo{
            std::string{name}, TemplateSource::builtin, {}, split_description(builtin->text).text};
    }
    return std::nullopt;
}

std::string TemplateSet::text(std::string_view name) const {
    if (is_valid_name(name)) {
        for (const fs::path* dir : {&m_team_dir, &m_user_dir}) {
            if (auto path = override_in(*dir, name)) {
                return read_override(*path, name);
            }
        }
        if (const auto* builtin = find_builtin(name)) {
            return std::string{builtin->text};
        }
    }
    std::string names;
    for (const auto& info : list()) {
        names += (names.empty() ? "" : ", ") + info.name;
    }
    throw Error{ErrorKind::no, "no template " + in_quotes(name), "available: " + names};
}

std::vector<std::string> builtin_template_names() {
    std::vector<std::string> names;
    for (const auto& builtin : detail::builtin_templates()) {
        names.emplace_back(builtin.name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

TemplateData new_document_data(std::string_view title, std::string_view author, TimePoint now,
                               const std::optional<TimePoint>& due) {
    TemplateData data;
    data.strings["title"] = std::string{title};
    data.strings["author"] = std::string{author};
    data.strings["date"] = format_local_date(now);
    data.strings["due"] = due ? format_local(*due) : std::string{};
    return data;
}

std::string render_template(std::string_view text, const TemplateData& data,
                            std::string_view template_name) {
    if (text.starts_with(k_utf8_bom)) {
        text.remove_prefix(k_utf8_bom.size());
    }
    auto invalid = [&](const std::string& reason) {
        return Error{ErrorKind::data, "template " + in_quotes(template_name) + ": " + reason};
    };
    auto at = [&](std::size_t offset) {
        LineCol where = line_col_at(text, offset);
        return " at line " + std::to_string(where.line) + ", column " +
               std::to_string(where.column);
    };
    if (std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
        throw invalid("NUL byte" + at(nul));
    }
    std::size_t body_start = split_description(text).body_start;
    std::string_view body = text.substr(body_start);
    std::vector<Tag> tags = scan_tags(body);
    if (auto start = too_deep_at(tags)) {
        throw invalid("sections nested more than " + std::to_string(k_max_section_depth) + " deep" +
                      at(body_start + *start));
    }
    mustache::mustache parsed{mark_tag_lines(body, tags)};
    if (!parsed.is_valid()) {
        // Parsed again unmarked, so the position in the message is one in the file.
        mustache::mustache unmarked{std::string{body}};
        throw invalid(describe_parse_error(unmarked.is_valid() ? parsed.error_message()
                                                               : unmarked.error_message(),
                                           text, body_start));
    }
    parsed.set_custom_escape([](const std::string& value) { return value; });
    mustache::data root = to_mustache(data);
    auto positions = item_positions(root, data);
    Context context{root, positions, k_max_output / std::max<std::size_t>(body.size(), 1),
                    k_max_output};
    std::string rendered;
    try {
        rendered = parsed.render(context);
    } catch (const OverBudget&) {
        throw invalid("the output would exceed " + std::to_string(k_max_output >> 20) + " MiB");
    }
    if (!parsed.is_valid()) {
        throw invalid(lowercase_first(parsed.error_message()));
    }
    return drop_marked_blank_lines(rendered);
}

} // namespace async
