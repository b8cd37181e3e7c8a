#include <async/error.hpp>
#include <async/json_read.hpp>
#include <async/text.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace async {

const JsonValue* JsonValue::find(std::string_view key) const {
    if (type != Type::object) {
        return nullptr;
    }
    for (const auto& m : members) {
        if (m.key == key) {
            return &m.value;
        }
    }
    return nullptr;
}

const std::string* JsonValue::find_string(std::string_view key) const {
    const JsonValue* v = find(key);
    return v != nullptr && v->type == Type::string ? &v->string : nullptr;
}

namespace {

class Reader {
public:
    Reader(std::string_view text, const JsonLimits& limits) : m_text(text), m_limits(limits) {}

    JsonValue document() {
        skip_space();
        JsonValue v = value(0);
        skip_space();
        if (m_at != m_text.size()) {
            fail("text after the value");
        }
        return v;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw Error{ErrorKind::data, "invalid JSON at byte " + std::to_string(m_at) + ": " + what};
    }

    bool at_end() const { return m_at >= m_text.size(); }
    char peek() const { return at_end() ? '\0' : m_text[m_at]; }

    void skip_space() {
        while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) {
            ++m_at;
        }
    }

    void expect(char c) {
        if (peek() != c || at_end()) {
            fail(std::string{"expected '"} + c + "'");
        }
        ++m_at;
    }

    void literal(std::string_view word) {
        if (m_text.substr(m_at, word.size()) != word) {
            fail("unknown literal");
        }
        m_at += word.size();
    }

    JsonValue value(std::size_t depth) {
        if (++m_values > m_limits.max_values) {
            fail("more than " + std::to_string(m_limits.max_values) + " values");
        }
        JsonValue v;
        if (at_end()) {
            fail("unexpected end");
        }
        switch (peek()) {
        case '{':
            v.type = JsonValue::Type::object;
            object(v, depth + 1);
            break;
        case '[':
            v.type = JsonValue::Type::array;
            array(v, depth + 1);
            break;
        case '"':
            v.type = JsonValue::Type::string;
            v.string = string();
            break;
        case 't':
            literal("true");
            v.type = JsonValue::Type::boolean;
            v.boolean = true;
            break;
        case 'f':
            literal("false");
            v.type = JsonValue::Type::boolean;
            break;
        case 'n':
            literal("null");
            break;
        default:
            v.type = JsonValue::Type::number;
            v.number = number();
        }
        return v;
    }

    void check_depth(std::size_t depth) const {
        if (depth > m_limits.max_depth) {
            fail("nested deeper than " + std::to_string(m_limits.max_depth) + " levels");
        }
    }

    void object(JsonValue& v, std::size_t depth) {
        check_depth(depth);
        expect('{');
        skip_space();
        if (peek() == '}') {
            ++m_at;
            return;
        }
        for (;;) {
            skip_space();
            if (peek() != '"') {
                fail("expected a key");
            }
            std::string key = string();
            skip_space();
            expect(':');
            skip_space();
            JsonValue member = value(depth);
            v.members.push_back(JsonMember{std::move(key), std::move(member)});
            skip_space();
            if (peek() == ',' && !at_end()) {
                ++m_at;
                continue;
            }
            expect('}');
            check_unique_keys(v);
            return;
        }
    }

    // Sorted, not compared pairwise: an object of many keys stays linear-logarithmic.
    void check_unique_keys(const JsonValue& v) const {
        std::vector<std::string_view> keys;
        keys.reserve(v.members.size());
        for (const auto& m : v.members) {
            keys.emplace_back(m.key);
        }
        std::sort(keys.begin(), keys.end());
        if (std::adjacent_find(keys.begin(), keys.end()) != keys.end()) {
            fail("duplicate key");
        }
    }

    void array(JsonValue& v, std::size_t depth) {
        check_depth(depth);
        expect('[');
        skip_space();
        if (peek() == ']' && !at_end()) {
            ++m_at;
            return;
        }
        for (;;) {
            skip_space();
            v.items.push_back(value(depth));
            skip_space();
            if (peek() == ',' && !at_end()) {
                ++m_at;
                continue;
            }
            expect(']');
            return;
        }
    }

    unsigned hex4() {
        if (m_text.size() - m_at < 4) {
            fail("short \\u escape");
        }
        unsigned out = 0;
        for (int i = 0; i < 4; ++i) {
            char c = m_text[m_at++];
            out <<= 4;
            if (c >= '0' && c <= '9') {
                out |= static_cast<unsigned>(c - '0');
            } else if (c >= 'a' && c <= 'f') {
                out |= static_cast<unsigned>(c - 'a' + 10);
            } else if (c >= 'A' && c <= 'F') {
                out |= static_cast<unsigned>(c - 'A' + 10);
            } else {
                fail("bad hex digit in \\u escape");
            }
        }
        return out;
    }

    static void append_utf8(std::string& out, char32_t cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    std::string string() {
        expect('"');
        std::string out;
        for (;;) {
            std::size_t run = m_at;
            while (!at_end() && peek() != '"' && peek() != '\\' && static_cast<unsigned char>(peek()) >= 0x20) {
                ++m_at;
            }
            std::string_view raw = m_text.substr(run, m_at - run);
            if (auto bad = find_invalid_utf8(raw)) {
                m_at = run + *bad;
                fail("invalid UTF-8");
            }
            out.append(raw);
            if (at_end()) {
                fail("unterminated string");
            }
            char c = m_text[m_at++];
            if (c == '"') {
                return out;
            }
            if (c != '\\') {
                --m_at;
                fail("control character in a string");
            }
            if (at_end()) {
                fail("unterminated escape");
            }
            switch (char e = m_text[m_at++]) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                char32_t cp = hex4();
                if (cp == 0) {
                    // No name, path or field async reads may hold NUL: C calls would cut
                    // the text there, so the whole answer is refused.
                    m_at -= 6;
                    fail("NUL (\\u0000) in a string");
                }
                if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    fail("lone low surrogate");
                }
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (m_text.substr(m_at, 2) != "\\u") {
                        fail("lone high surrogate");
                    }
                    m_at += 2;
                    char32_t low = hex4();
                    if (low < 0xDC00 || low > 0xDFFF) {
                        fail("lone high surrogate");
                    }
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                }
                append_utf8(out, cp);
                break;
            }
            default:
                (void)e;
                --m_at;
                fail("unknown escape");
            }
        }
    }

    double number() {
        std::size_t start = m_at;
        auto digits = [&] {
            std::size_t from = m_at;
            while (!at_end() && peek() >= '0' && peek() <= '9') {
                ++m_at;
            }
            return m_at - from;
        };
        if (peek() == '-') {
            ++m_at;
        }
        if (peek() == '0' && !at_end()) {
            ++m_at;
        } else if (digits() == 0) {
            fail("expected a value");
        }
        if (peek() == '.' && !at_end()) {
            ++m_at;
            if (digits() == 0) {
                fail("expected digits after '.'");
            }
        }
        if ((peek() == 'e' || peek() == 'E') && !at_end()) {
            ++m_at;
            if ((peek() == '+' || peek() == '-') && !at_end()) {
                ++m_at;
            }
            if (digits() == 0) {
                fail("expected digits in the exponent");
            }
        }
        double out = 0;
        auto [end, ec] = std::from_chars(m_text.data() + start, m_text.data() + m_at, out);
        if (ec != std::errc{} || end != m_text.data() + m_at || !std::isfinite(out)) {
            m_at = start;
            fail("number out of range");
        }
        return out;
    }

    std::string_view m_text;
    const JsonLimits& m_limits;
    std::size_t m_at = 0;
    std::size_t m_values = 0;
};

} // namespace

JsonValue parse_json(std::string_view text, const JsonLimits& limits) {
    if (text.size() > limits.max_bytes) {
        throw Error{ErrorKind::data, "JSON text of " + std::to_string(text.size()) + " bytes is longer than the " +
                                         std::to_string(limits.max_bytes) + " allowed"};
    }
    return Reader{text, limits}.document();
}

} // namespace async
