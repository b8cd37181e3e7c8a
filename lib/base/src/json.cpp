#include <async/json.hpp>
#include <async/text.hpp>

#include <fmt/format.h>

namespace async {

namespace {

// Appends text as a JSON string literal, quotes included.
void append_quoted(std::string& out, std::string_view text) {
    out += '"';
    std::size_t i = 0;
    while (i < text.size()) {
        // Printable ASCII other than '"' and '\\' goes out as it is, a run at a time.
        std::size_t plain = i;
        while (plain < text.size()) {
            auto c = static_cast<unsigned char>(text[plain]);
            if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
                break;
            }
            ++plain;
        }
        out.append(text.data() + i, plain - i);
        i = plain;
        if (i == text.size()) {
            break;
        }
        auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            // A UTF-8 sequence is copied, but C1 controls and bidirectional formatting are
            // escaped (a reader that prints the value must not be steered by them); each
            // invalid byte becomes U+FFFD.
            char32_t cp = 0;
            std::size_t len = decode_utf8(text, i, cp);
            if (len == 0) {
                out += "\\ufffd";
                ++i;
            } else if (is_invisible_control(cp)) {
                out += fmt::format("\\u{:04x}", static_cast<std::uint32_t>(cp));
                i += len;
            } else {
                out.append(text.substr(i, len));
                i += len;
            }
            continue;
        }
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: out += fmt::format("\\u{:04x}", c); // other controls, NUL and DEL
        }
        ++i;
    }
    out += '"';
}

} // namespace

std::string json_quote(std::string_view text) {
    std::string out;
    append_quoted(out, text);
    return out;
}

void JsonWriter::separate() {
    if (m_after_key) {
        m_after_key = false;
        return;
    }
    if (!m_first.empty()) {
        if (!m_first.back()) {
            m_out += ',';
        }
        m_first.back() = false;
    }
}

JsonWriter& JsonWriter::begin_object() {
    separate();
    m_out += '{';
    m_first.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::end_object() {
    m_out += '}';
    m_first.pop_back();
    return *this;
}

JsonWriter& JsonWriter::begin_array() {
    separate();
    m_out += '[';
    m_first.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::end_array() {
    m_out += ']';
    m_first.pop_back();
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
    separate();
    append_quoted(m_out, name);
    m_out += ':';
    m_after_key = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
    separate();
    append_quoted(m_out, text);
    return *this;
}

JsonWriter& JsonWriter::value(std::int64_t number) {
    separate();
    m_out += std::to_string(number);
    return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
    separate();
    m_out += flag ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::null() {
    separate();
    m_out += "null";
    return *this;
}

JsonWriter& JsonWriter::value(const std::vector<std::string>& list) {
    begin_array();
    for (const auto& item : list) {
        value(item);
    }
    return end_array();
}

} // namespace async
