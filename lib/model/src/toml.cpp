#include <async/toml.hpp>

#include <optional>
#include <string>
#include <vector>

namespace async {
namespace {

// A lenient scan of TOML text for its nesting: it knows strings, comments, table headers, key
// positions and brackets, and nothing else, so malformed text is left for toml++ to report.
// Each part of a dotted key or table header and each `[`/`{` of a value counts one level.
class DepthScan {
public:
    explicit DepthScan(std::string_view text) : m_text{text} {}

    // The position where the nesting first exceeds max, if it does.
    std::optional<toml::source_position> too_deep(std::size_t max) {
        while (m_pos < m_text.size()) {
            char c = m_text[m_pos];
            if (c == '\n') {
                end_line();
                advance();
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r') {
                advance();
                continue;
            }
            if (c == '#') {
                while (m_pos < m_text.size() && m_text[m_pos] != '\n') {
                    advance();
                }
                continue;
            }
            bool start = m_at_statement_start;
            m_at_statement_start = false;
            if (start && m_levels.empty() && c == '[') {
                if (header(max)) {
                    return m_where;
                }
                continue;
            }
            if (key_position()) {
                if (c == '=') {
                    set_key_position(false);
                    advance();
                    continue;
                }
                if (c == '.' || key_parts() == 0) {
                    add_key_part();
                    if (m_depth > max) {
                        return here();
                    }
                }
                if (c == '"' || c == '\'') {
                    skip_string();
                    continue;
                }
                if (c != '[' && c != '{' && c != ']' && c != '}' && c != ',') {
                    advance();
                    continue;
                }
            }
            if (c == '"' || c == '\'') {
                skip_string();
                continue;
            }
            if (c == '[' || c == '{') {
                m_levels.push_back({c == '{' ? '}' : ']', 0, c == '{'});
                ++m_depth;
                if (m_depth > max) {
                    return here();
                }
            } else if ((c == ']' || c == '}') && !m_levels.empty()) {
                m_depth -= 1 + m_levels.back().key_parts;
                m_levels.pop_back();
            } else if (c == ',' && !m_levels.empty() && m_levels.back().close == '}') {
                m_depth -= m_levels.back().key_parts;
                m_levels.back().key_parts = 0;
                m_levels.back().key_position = true;
            }
            advance();
        }
        return std::nullopt;
    }

private:
    struct Level {
        char close;             // ']' for an array, '}' for an inline table
        std::size_t key_parts;  // of the inline table's current key
        bool key_position;      // before the current key's '='
    };

    toml::source_position here() const {
        return {static_cast<toml::source_index>(m_line), static_cast<toml::source_index>(m_column)};
    }

    void advance() {
        if (m_text[m_pos] == '\n') {
            ++m_line;
            m_column = 1;
        } else if ((static_cast<unsigned char>(m_text[m_pos]) & 0xC0) != 0x80) {
            ++m_column;
        }
        ++m_pos;
    }

    void end_line() {
        if (m_levels.empty()) {
            m_depth -= m_key_parts;
            m_key_parts = 0;
            m_key_position = true;
            m_at_statement_start = true;
        }
    }

    bool key_position() const {
        return m_levels.empty() ? m_key_position : m_levels.back().key_position;
    }
    void set_key_position(bool on) {
        (m_levels.empty() ? m_key_position : m_levels.back().key_position) = on;
    }
    std::size_t key_parts() const {
        return m_levels.empty() ? m_key_parts : m_levels.back().key_parts;
    }
    void add_key_part() {
        ++(m_levels.empty() ? m_key_parts : m_levels.back().key_parts);
        ++m_depth;
    }

    // A table header `[a.b]` or `[[a.b]]` from its first '[' to the end of its line. True when
    // it is deeper than max (m_where says where).
    bool header(std::size_t max) {
        m_depth -= m_header_parts;
        m_header_parts = 0;
        advance();
        if (m_pos < m_text.size() && m_text[m_pos] == '[') {
            advance();
        }
        while (m_pos < m_text.size() && m_text[m_pos] != '\n' && m_text[m_pos] != ']' &&
               m_text[m_pos] != '#') {
            char c = m_text[m_pos];
            if (c == '.' || m_header_parts == 0) {
                if (c != ' ' && c != '\t') {
                    ++m_header_parts;
                    ++m_depth;
                    if (m_depth > max) {
                        m_where = here();
                        return true;
                    }
                }
            }
            if (c == '"' || c == '\'') {
                skip_string();
            } else {
                advance();
            }
        }
        for (int i = 0; i < 2 && m_pos < m_text.size() && m_text[m_pos] == ']'; ++i) {
            advance();
        }
        return false;
    }

    // A basic or literal string, single- or multi-line, from its opening quote; an unclosed
    // single-line string ends at the end of its line.
    void skip_string() {
        char quote = m_text[m_pos];
        bool multi = m_text.substr(m_pos, 3) == std::string(3, quote);
        for (int i = 0; i < (multi ? 3 : 1); ++i) {
            advance();
        }
        while (m_pos < m_text.size()) {
            char c = m_text[m_pos];
            if (c == '\n' && !multi) {
                return;
            }
            if (c == '\\' && quote == '"' && m_pos + 1 < m_text.size()) {
                advance();
                advance();
                continue;
            }
            if (c == quote) {
                if (!multi) {
                    advance();
                    return;
                }
                if (m_text.substr(m_pos, 3) == std::string(3, quote)) {
                    // Up to two more quotes belong to the string (`""""` ends with one inside).
                    while (m_text.substr(m_pos, 4) == std::string(4, quote)) {
                        advance();
                    }
                    advance();
                    advance();
                    advance();
                    return;
                }
            }
            advance();
        }
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
    std::size_t m_line = 1;
    std::size_t m_column = 1;
    std::size_t m_depth = 0;
    std::size_t m_header_parts = 0;
    std::size_t m_key_parts = 0;
    bool m_key_position = true;
    bool m_at_statement_start = true;
    std::vector<Level> m_levels;
    toml::source_position m_where{};
};

} // namespace

toml::table parse_toml(std::string_view text, std::string_view origin) {
    if (auto where = DepthScan{text}.too_deep(k_toml_max_depth)) {
        std::string what = "TOML nested more than " + std::to_string(k_toml_max_depth) +
                           " levels deep (dotted keys, table headers, arrays and inline tables)";
        throw toml::parse_error{what.c_str(), *where, std::make_shared<const std::string>(origin)};
    }
    try {
        return toml::parse(text, origin);
    } catch (const toml_detail::InternalFailure& failure) {
        std::string what = std::string{"invalid TOML: the parser failed its internal check '"} +
                           failure.check + "'";
        throw toml::parse_error{what.c_str(), toml::source_position{1, 1},
                                std::make_shared<const std::string>(origin)};
    }
}

} // namespace async
