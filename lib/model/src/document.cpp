#include <async/dates.hpp>
#include <async/document.hpp>
#include <async/error.hpp>
#include <async/note.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>
#include <async/yaml.hpp>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <sstream>
#include <tuple>
#include <sys/random.h>
#include <async/toml.hpp>

namespace async {
namespace {

Error located(std::string_view origin, std::size_t line, std::size_t column, std::string_view msg) {
    return Error{ErrorKind::data, std::string{origin} + ":" + std::to_string(line) + ":" +
                                      std::to_string(column) + ": " + std::string{msg}};
}

bool is_fence(std::string_view line) {
    return trim(line) == "+++";
}

std::string_view trim_right(std::string_view line) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) {
        line.remove_suffix(1);
    }
    return line;
}

// A YAML front matter's opening line, and (with "...") its closing one: at the start of the line.
bool is_yaml_fence(std::string_view line, bool closing) {
    auto t = trim_right(line);
    return t == "---" || (closing && t == "...");
}

// A plain YAML date (2026-01-05) or date-time (2026-01-05 10:00:00, 2026-01-05T10:00:00.5Z,
// 2026-01-05 10:00:00 +01:00, Jekyll's 2026-01-05 10:00:00 +0100) as a time; one without an offset is UTC, as TOML's local times.
std::optional<TimePoint> yaml_time(std::string_view text) {
    if (auto t = parse_iso8601(text)) {
        return t;
    }
    if (text.size() < 16 || (text[10] != ' ' && text[10] != 't' && text[10] != '\t' && text[10] != 'T')) {
        return std::nullopt;
    }
    std::string normal{text.substr(0, 10)};
    normal += 'T';
    std::size_t i = 11;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
        ++i;
    }
    std::size_t time_start = i;
    while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == ':')) {
        ++i;
    }
    normal += text.substr(time_start, i - time_start);
    if (i < text.size() && text[i] == '.') { // fractions of a second: async keeps seconds
        ++i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            ++i;
        }
    }
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
        ++i;
    }
    std::string_view zone = text.substr(i);
    if (zone.empty()) {
        normal += 'Z';
    } else if (zone == "z") {
        normal += 'Z';
    } else if ((zone[0] == '+' || zone[0] == '-') && zone.size() <= 3) {
        normal += std::string{zone} + ":00"; // +1 or +01
        if (zone.size() == 2) {
            normal.insert(normal.size() - 4, "0");
        }
    } else if ((zone[0] == '+' || zone[0] == '-') && zone.size() == 5 && zone.find(':') == std::string_view::npos) {
        normal += std::string{zone.substr(0, 3)} + ":" + std::string{zone.substr(3)}; // Jekyll's +0100
    } else {
        normal += zone;
    }
    return parse_iso8601(normal);
}

std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos) {
            lines.push_back(text.substr(pos));
            break;
        }
        lines.push_back(text.substr(pos, end - pos));
        pos = end + 1;
    }
    return lines;
}

std::string toml_datetime_literal(TimePoint t) {
    return format_utc(t);
}

std::optional<TimePoint> from_toml_datetime(const toml::date_time& dt) {
    std::ostringstream out;
    out << dt;
    std::string text = out.str();
    if (!dt.offset) {
        text += "Z"; // a local date-time in front matter is read as UTC, as async writes it
    }
    return parse_iso8601(text);
}

std::optional<TimePoint> from_toml_date(const toml::date& d) {
    std::ostringstream out;
    out << d;
    return parse_iso8601(out.str());
}

} // namespace

Document Document::parse(std::string_view text, std::string_view origin) {
    return parse_text(text, origin, false);
}

Document Document::parse_any(std::string_view text, std::string_view origin) {
    return parse_text(text, origin, true);
}

Document Document::parse_text(std::string_view text, std::string_view origin, bool plain) {
    bool bom = text.starts_with("\xEF\xBB\xBF");
    if (bom) {
        text.remove_prefix(3);
    }
    if (auto bad = find_invalid_utf8(text)) {
        auto at = line_col_at(text, *bad);
        throw located(origin, at.line, at.column,
                      text[*bad] == '\0' ? "NUL byte in file" : "invalid UTF-8");
    }
    Document doc;
    doc.m_origin = std::string{origin};
    doc.m_bom = bom;
    std::string normal;
    if (text.find("\r\n") != std::string_view::npos) {
        doc.m_crlf = true;
        normal.reserve(text.size());
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
                continue;
            }
            normal += text[i];
        }
        text = normal;
    }
    auto first_end = text.find('\n');
    if (is_yaml_fence(text.substr(0, first_end), false)) {
        doc.m_kind = FrontMatter::yaml;
        doc.m_origin = std::string{origin};
        doc.m_open_fence = std::string{text.substr(0, first_end)};
        std::size_t pos = first_end == std::string_view::npos ? text.size() : first_end + 1;
        std::size_t line = 2;
        while (true) {
            if (pos >= text.size()) {
                if (plain) {
                    // A "---" that nothing closes is Markdown's thematic break, not front matter.
                    doc.m_kind = FrontMatter::none;
                    doc.m_open_fence.clear();
                    doc.m_body = std::string{text};
                    return doc;
                }
                throw located(origin, 1, 1, "front matter is not closed (no second '---' line)");
            }
            auto end = text.find('\n', pos);
            auto current = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
            if (is_yaml_fence(current, true)) {
                doc.m_front_matter = std::string{text.substr(first_end + 1, pos - first_end - 1)};
                doc.m_close_fence = std::string{current};
                doc.m_body = end == std::string_view::npos ? std::string{} : std::string{text.substr(end + 1)};
                doc.m_body_line = line + 1;
                break;
            }
            pos = end == std::string_view::npos ? text.size() : end + 1;
            ++line;
        }
        doc.read_yaml(origin);
        return doc;
    }
    if (!is_fence(text.substr(0, first_end)) && plain) {
        doc.m_kind = FrontMatter::none;
        doc.m_body = std::string{text};
        return doc;
    }
    if (!is_fence(text.substr(0, first_end))) {
        throw located(origin, 1, 1, "no front matter (the first line must be '+++')");
    }
    if (first_end == std::string_view::npos) {
        throw located(origin, 1, 1, "front matter is not closed (no second '+++' line)");
    }
    std::size_t pos = first_end + 1;
    std::size_t line = 2;
    while (true) {
        auto end = text.find('\n', pos);
        auto current = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        if (is_fence(current)) {
            doc.m_front_matter = std::string{text.substr(first_end + 1, pos - first_end - 1)};
            doc.m_body = end == std::string_view::npos ? std::string{} : std::string{text.substr(end + 1)};
            doc.m_body_line = line + 1;
            break;
        }
        if (end == std::string_view::npos) {
            throw located(origin, 1, 1, "front matter is not closed (no second '+++' line)");
        }
        pos = end + 1;
        ++line;
    }
    doc.reparse(origin, 1);
    return doc;
}

Document Document::from_parts(std::string_view front_matter, std::string body) {
    Document doc;
    doc.m_front_matter = std::string{front_matter};
    if (!doc.m_front_matter.empty() && doc.m_front_matter.back() != '\n') {
        doc.m_front_matter += '\n';
    }
    doc.m_body = std::move(body);
    doc.reparse("front matter", 0);
    doc.m_body_line = 3 + static_cast<std::size_t>(
                              std::count(doc.m_front_matter.begin(), doc.m_front_matter.end(), '\n'));
    return doc;
}

void Document::reparse(std::string_view origin, std::size_t line_offset) {
    toml::table table;
    try {
        table = parse_toml(m_front_matter, origin);
    } catch (const toml::parse_error& e) {
        const auto& where = e.source().begin;
        throw located(origin, where.line + line_offset, where.column, describe_toml_error(e.description()));
    }
    m_values.clear();
    m_key_infos.clear();
    for (const auto& [key, node] : table) {
        const auto& where = key.source().begin.line != 0 ? key.source().begin : node.source().begin;
        KeyInfo info{std::string{key.str()}, ValueKind::other, where.line + line_offset,
                     std::max<std::size_t>(where.column, 1)};
        if (node.is_string()) {
            info.kind = ValueKind::string;
        } else if (node.is_date_time() || node.is_date()) {
            info.kind = ValueKind::time;
        } else if (const toml::array* arr = node.as_array()) {
            bool strings = std::all_of(arr->begin(), arr->end(), [](const toml::node& n) { return n.is_string(); });
            info.kind = strings ? ValueKind::string_list : ValueKind::other_list;
        } else if (auto t = node.as_table(); t && !t->is_inline()) {
            info.kind = ValueKind::table;
        }
        m_key_infos.push_back(std::move(info));
        Value value;
        value.first_line = node.source().begin.line ? node.source().begin.line - 1 : 0;
        value.last_line = node.source().end.line ? node.source().end.line - 1 : value.first_line;
        if (auto s = node.as_string()) {
            value.kind = Value::Kind::string;
            value.text = s->get();
            value.time = parse_iso8601(value.text);
        } else if (auto dt = node.as_date_time()) {
            value.kind = Value::Kind::time;
            value.time = from_toml_datetime(dt->get());
            value.text = value.time ? format_utc(*value.time) : std::string{};
        } else if (auto d = node.as_date()) {
            value.kind = Value::Kind::time;
            value.time = from_toml_date(d->get());
            value.text = value.time ? format_utc(*value.time) : std::string{};
        } else if (auto arr = node.as_array()) {
            value.kind = Value::Kind::list;
            for (const auto& item : *arr) {
                if (auto si = item.as_string()) {
                    value.items.push_back(si->get());
                }
            }
        } else if (auto t = node.as_table(); t && !t->is_inline()) {
            // Nested tables are kept verbatim in the text and not addressable as values; their
            // lines must never be taken for a top-level key's. (An inline table is a value.)
            continue;
        } else {
            std::ostringstream out;
            out << toml::toml_formatter{node};
            value.text = out.str();
        }
        m_values.emplace_back(std::string{key.str()}, std::move(value));
    }
    // toml::table iterates in key order; keys() promises file order.
    std::stable_sort(m_values.begin(), m_values.end(),
                     [](const auto& a, const auto& b) { return a.second.first_line < b.second.first_line; });
    std::stable_sort(m_key_infos.begin(), m_key_infos.end(), [](const KeyInfo& a, const KeyInfo& b) {
        return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
}

void Document::read_yaml(std::string_view origin) {
    YamlNode root = parse_yaml(m_front_matter, origin, 1);
    m_values.clear();
    m_key_infos.clear();
    for (std::size_t i = 0; i < root.keys.size() && i < root.items.size(); ++i) {
        const YamlNode& key = root.keys[i];
        const YamlNode& node = root.items[i];
        if (key.kind != YamlNode::Kind::scalar) {
            continue; // a complex key (? [a, b]) names nothing async can ask for
        }
        KeyInfo info{key.text, ValueKind::other, key.line + 1, key.column};
        Value value;
        value.first_line = key.line - 1;
        value.last_line = value.first_line;
        if (node.kind == YamlNode::Kind::scalar) {
            if (node.is_null()) {
                value.kind = Value::Kind::other;
            } else {
                value.text = node.text;
                value.time = yaml_time(node.text);
                value.kind = node.plain && value.time ? Value::Kind::time : Value::Kind::string;
                info.kind = value.kind == Value::Kind::time ? ValueKind::time : ValueKind::string;
                if (value.kind == Value::Kind::time) {
                    value.text = format_utc(*value.time);
                }
            }
        } else if (node.kind == YamlNode::Kind::sequence) {
            value.kind = Value::Kind::list;
            bool scalars = true;
            for (const auto& item : node.items) {
                if (item.kind == YamlNode::Kind::scalar && !item.is_null()) {
                    value.items.push_back(item.text);
                } else {
                    scalars = false;
                }
            }
            info.kind = scalars ? ValueKind::string_list : ValueKind::other_list;
        } else {
            value.text = yaml_flow_text(node);
            info.kind = ValueKind::table;
        }
        m_key_infos.push_back(std::move(info));
        m_values.emplace_back(key.text, std::move(value));
    }
    // What the conventions of other tools call async's keys, where the file does not say them.
    auto derive = [&](std::string_view name, Value value) {
        if (!has(name)) {
            m_values.emplace_back(std::string{name}, std::move(value));
        }
    };
    if (auto date = std::find_if(m_values.begin(), m_values.end(), [](const auto& kv) { return kv.first == "date"; });
        date != m_values.end() && date->second.time) {
        derive("created", date->second);
    }
    if (auto authors = get_strings("authors"); !authors.empty()) {
        Value first;
        first.kind = Value::Kind::string;
        first.text = authors.front();
        derive("author", std::move(first));
    }
    auto type = get_string("type");
    const auto& known = known_types();
    if (!type || std::find(known.begin(), known.end(), *type) == known.end()) {
        m_values.erase(std::remove_if(m_values.begin(), m_values.end(), [](const auto& kv) { return kv.first == "type"; }),
                       m_values.end());
        Value note;
        note.kind = Value::Kind::string;
        note.text = "note";
        m_values.emplace_back("type", std::move(note));
    }
}

void Document::set_body(std::string body) {
    m_body = std::move(body);
}

bool Document::has(std::string_view key) const {
    return std::any_of(m_values.begin(), m_values.end(), [&](const auto& kv) { return kv.first == key; });
}

std::vector<std::string> Document::keys() const {
    std::vector<std::string> out;
    for (const auto& kv : m_values) {
        out.push_back(kv.first);
    }
    return out;
}

std::optional<std::string> Document::literal(std::string_view key) const {
    for (const auto& [k, v] : m_values) {
        if (k != key) {
            continue;
        }
        if (m_kind == FrontMatter::yaml) {
            return v.kind == Value::Kind::list ? std::optional<std::string>{} : v.text;
        }
        auto lines = lines_of(m_front_matter);
        std::string text;
        for (std::size_t i = v.first_line; i <= std::max(v.first_line, v.last_line) && i < lines.size(); ++i) {
            text += lines[i];
            text += '\n';
        }
        // The value starts after the first '=' outside a quoted key.
        bool in_quotes = false;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '"') {
                in_quotes = !in_quotes;
            } else if (text[i] == '=' && !in_quotes) {
                return std::string{trim(std::string_view{text}.substr(i + 1))};
            }
        }
        return std::nullopt;
    }
    return std::nullopt;
}

std::optional<std::string> Document::get_string(std::string_view key) const {
    for (const auto& [k, v] : m_values) {
        if (k == key && v.kind != Value::Kind::list) {
            return v.text;
        }
    }
    return std::nullopt;
}

std::optional<TimePoint> Document::get_time(std::string_view key) const {
    for (const auto& [k, v] : m_values) {
        if (k == key) {
            return v.time;
        }
    }
    return std::nullopt;
}

std::vector<std::string> Document::get_strings(std::string_view key) const {
    for (const auto& [k, v] : m_values) {
        if (k == key) {
            if (v.kind == Value::Kind::list) {
                return v.items;
            }
            if (v.kind == Value::Kind::string && !v.text.empty()) {
                return {v.text};
            }
        }
    }
    return {};
}

void Document::require_own_front_matter() const {
    if (m_kind == FrontMatter::toml) {
        return;
    }
    std::string name = sanitize_for_terminal(m_origin, Newlines::flatten);
    throw Error{ErrorKind::usage,
                "'" + name + "'" +
                    (m_kind == FrontMatter::yaml ? " has YAML front matter, which async reads but never rewrites"
                                                 : " is plain Markdown: async does not add front matter to it"),
                "adopt it first: async import " + shell_quote(m_origin)};
}

void Document::set_literal(std::string_view key, std::string_view literal) {
    require_own_front_matter();
    auto lines = lines_of(m_front_matter);
    std::vector<std::string> out(lines.begin(), lines.end());
    std::string key_text = std::string{key};
    bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
    if (!bare) {
        key_text = toml_quote(key);
    }
    std::string new_line = key_text + " = " + std::string{literal};
    auto found = std::find_if(m_values.begin(), m_values.end(), [&](const auto& kv) { return kv.first == key; });
    if (found != m_values.end() && found->second.first_line < out.size()) {
        std::size_t first = found->second.first_line;
        std::size_t last = std::min(std::max(first, found->second.last_line), out.size() - 1);
        out.erase(out.begin() + static_cast<long>(first) + 1, out.begin() + static_cast<long>(last) + 1);
        out[first] = new_line;
    } else {
        // The first [table] header; lines of multi-line values (arrays of arrays, strings) that
        // start with '[' are not headers.
        auto in_value = [&](std::size_t i) {
            return std::any_of(m_values.begin(), m_values.end(), [&](const auto& kv) {
                return i >= kv.second.first_line && i <= std::max(kv.second.first_line, kv.second.last_line);
            });
        };
        std::size_t header = 0;
        while (header < out.size()) {
            auto t = trim(out[header]);
            if (!t.empty() && t.front() == '[' && !in_value(header)) {
                break;
            }
            ++header;
        }
        out.insert(out.begin() + static_cast<long>(header), new_line);
    }
    std::string saved = std::move(m_front_matter);
    m_front_matter.clear();
    for (const auto& l : out) {
        m_front_matter += l;
        m_front_matter += '\n';
    }
    try {
        reparse("front matter", 1);
    } catch (...) {
        m_front_matter = std::move(saved);
        reparse("front matter", 1);
        throw;
    }
}

void Document::set_string(std::string_view key, std::string_view value) {
    set_literal(key, toml_quote(value));
}

void Document::set_time(std::string_view key, TimePoint value) {
    set_literal(key, toml_datetime_literal(value));
}

void Document::set_strings(std::string_view key, const std::vector<std::string>& values) {
    std::string literal = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        literal += (i ? ", " : "") + toml_quote(values[i]);
    }
    literal += "]";
    set_literal(key, literal);
}

void Document::remove(std::string_view key) {
    require_own_front_matter();
    auto found = std::find_if(m_values.begin(), m_values.end(), [&](const auto& kv) { return kv.first == key; });
    if (found == m_values.end()) {
        return;
    }
    auto lines = lines_of(m_front_matter);
    std::string text;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i < found->second.first_line || i > std::max(found->second.first_line, found->second.last_line)) {
            text += lines[i];
            text += '\n';
        }
    }
    m_front_matter = std::move(text);
    reparse("front matter", 1);
}

std::string Document::render() const {
    // A byte order mark the file began with stays: a ticked box is the only change.
    std::string out = m_bom ? "\xEF\xBB\xBF" : "";
    if (m_kind != FrontMatter::none) {
        bool yaml = m_kind == FrontMatter::yaml;
        out += (yaml ? m_open_fence : std::string{"+++"}) + "\n" + m_front_matter;
        if (!m_front_matter.empty() && m_front_matter.back() != '\n') {
            out += '\n';
        }
        out += yaml ? m_close_fence : std::string{"+++"};
        out += '\n';
    }
    out += m_body;
    if (!m_crlf) {
        return out;
    }
    std::string crlf;
    crlf.reserve(out.size() + out.size() / 16);
    for (char c : out) {
        if (c == '\n') {
            crlf += '\r';
        }
        crlf += c;
    }
    return crlf;
}

namespace {

// Whether line (without its line break) is a merge marker: seven of c at its start, then the
// line's end or, unless alone, a blank and anything (the branch or commit name).
bool is_merge_marker(std::string_view line, char c, bool alone) {
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    if (line.size() < 7 || line.find_first_not_of(c) < 7) {
        return false;
    }
    if (line.size() == 7) {
        return true;
    }
    return !alone && (line[7] == ' ' || line[7] == '\t');
}

// The fence a line opens or closes (up to three spaces, then three or more ` or ~), or empty.
std::string_view fence_of(std::string_view line) {
    std::size_t indent = 0;
    while (indent < line.size() && indent < 4 && line[indent] == ' ') {
        ++indent;
    }
    if (indent >= 4 || indent >= line.size() || (line[indent] != '`' && line[indent] != '~')) {
        return {};
    }
    std::size_t n = indent;
    while (n < line.size() && line[n] == line[indent]) {
        ++n;
    }
    return n - indent >= 3 ? line.substr(indent, n - indent) : std::string_view{};
}

} // namespace

std::optional<std::size_t> find_merge_conflict(std::string_view text) {
    enum class Seen { nothing, ours, theirs };
    Seen seen = Seen::nothing;
    std::size_t opened = 0;
    std::string_view fence; // the open code fence, outside a conflict
    std::size_t number = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        std::size_t end = text.find('\n', pos);
        std::string_view line = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        pos = end == std::string_view::npos ? text.size() : end + 1;
        ++number;
        if (seen == Seen::nothing) {
            std::string_view f = fence_of(line);
            if (!fence.empty()) {
                // A closing fence: at least as long, same character, nothing after it.
                if (f.size() >= fence.size() && f[0] == fence[0] &&
                    line.find_first_not_of(" \t\r", line.find(f) + f.size()) == std::string_view::npos) {
                    fence = {};
                }
                continue;
            }
            if (!f.empty()) {
                fence = f;
                continue;
            }
            if (is_merge_marker(line, '<', false)) {
                seen = Seen::ours;
                opened = number;
            }
        } else if (seen == Seen::ours && is_merge_marker(line, '=', true)) {
            seen = Seen::theirs;
        } else if (seen == Seen::theirs && is_merge_marker(line, '>', false)) {
            return opened;
        }
    }
    return std::nullopt;
}

std::string describe_toml_error(std::string_view description) {
    constexpr std::string_view k_prefix = "Error while parsing ";
    if (description.starts_with(k_prefix)) {
        return "invalid TOML in " + std::string{description.substr(k_prefix.size())};
    }
    return std::string{description};
}

Document new_document(std::string_view type, std::string_view title, std::string_view author,
                      TimePoint created, std::string body, std::string_view template_keys) {
    Document doc = Document::from_parts(template_keys, std::move(body));
    doc.set_string("id", new_id());
    doc.set_string("type", type);
    if (!title.empty()) {
        doc.set_string("title", title);
    }
    doc.set_string("author", author);
    doc.set_time("created", created);
    return doc;
}

namespace {

std::int64_t sequence_of(const Document& doc) {
    std::string text = doc.literal("sequence").value_or("0");
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    return ec == std::errc{} && end == text.data() + text.size() && n >= 0 ? n : 0;
}

} // namespace

bool raise_sequence_if_rescheduled(const Document& before, Document& after) {
    if (before.get_string("type") != std::optional<std::string>{"event"} ||
        after.get_string("type") != std::optional<std::string>{"event"}) {
        return false;
    }
    if (before.get_time("start") == after.get_time("start") && before.get_time("end") == after.get_time("end")) {
        return false;
    }
    std::int64_t was = sequence_of(before);
    if (sequence_of(after) > was) {
        return false;
    }
    after.set_literal("sequence", std::to_string(was + 1));
    return true;
}

std::string new_id() {
    static constexpr char k_alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    std::string id;
    while (id.size() < k_id_length) {
        unsigned char buf[16];
        ssize_t n = ::getrandom(buf, sizeof buf, 0);
        if (n <= 0) {
            throw Error{ErrorKind::environment, std::string{"cannot get random bytes: "} + std::strerror(errno)};
        }
        for (ssize_t i = 0; i < n && id.size() < k_id_length; ++i) {
            // 252 = 7 * 36: rejecting the rest keeps every character equally likely.
            if (buf[i] < 252) {
                id += k_alphabet[buf[i] % 36];
            }
        }
    }
    return id;
}

std::string slugify(std::string_view title) {
    // Latin-1 supplement letters (U+00C0..U+00FF) folded to ASCII.
    static constexpr const char* k_fold[64] = {
        "a", "a", "a", "a", "ae", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        "d", "n", "o", "o", "o", "o", "oe", "",  "o", "u", "u", "u", "ue", "y", "th", "ss",
        "a", "a", "a", "a", "ae", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        "d", "n", "o", "o", "o", "o", "oe", "",  "o", "u", "u", "u", "ue", "y", "th", "y"};
    std::string slug;
    bool dash = false;
    auto push = [&](std::string_view s) {
        if (dash && !slug.empty()) {
            slug += '-';
        }
        dash = false;
        slug += s;
    };
    for (std::size_t i = 0; i < title.size(); ++i) {
        auto c = static_cast<unsigned char>(title[i]);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            push(std::string(1, static_cast<char>(c)));
        } else if (c >= 'A' && c <= 'Z') {
            push(std::string(1, static_cast<char>(c - 'A' + 'a')));
        } else if (c == 0xC3 && i + 1 < title.size()) {
            auto next = static_cast<unsigned char>(title[i + 1]);
            if (next >= 0x80 && next <= 0xBF) {
                std::string_view folded = k_fold[next - 0x80];
                if (!folded.empty()) {
                    push(folded);
                } else {
                    dash = true;
                }
                ++i;
                continue;
            }
            dash = true;
        } else if (c == '\'') {
            // "Alice's plan" -> "alices-plan"
        } else {
            dash = true;
        }
        if (slug.size() > 50) {
            break; // more than fits: the title is cut
        }
    }
    // Cut mid-word when neither side of the 50-character limit is a '-'.
    bool mid_word = slug.size() > 50 && slug[49] != '-' && slug[50] != '-';
    if (slug.size() > 50) {
        slug.resize(50);
    }
    while (!slug.empty() && slug.back() == '-') {
        slug.pop_back();
    }
    if (mid_word) {
        // Back to a word boundary when one is near, so slugs do not end mid-word.
        auto cut = slug.rfind('-');
        if (cut != std::string::npos && cut >= 30) {
            slug.resize(cut);
        }
    }
    return slug.empty() ? "untitled" : slug;
}

Document read_document(const std::filesystem::path& root, std::string_view rel) {
    return parse_workspace_document(read_workspace_file(root, rel), rel);
}

} // namespace async
