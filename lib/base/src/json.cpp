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
            // Bytes of UTF-8 sequences (all 0x80 and up): valid ones are copied, each invalid
            // byte becomes U+FFFD.
            std::size_t end = i;
            while (end < text.size() && static_cast<unsigned char>(text[end]) >= 0x80) {
                ++end;
            }
            std::string_view run = text.substr(i, end - i);
            while (!run.empty()) {
                auto bad = find_invalid_utf8(run);
                std::size_t good = bad ? *bad : run.size();
                out.append(run.data(), good);
                if (bad) {
                    out += "\\ufffd";
                    ++good;
                }
                run.remove_prefix(good);
            }
            i = end;
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
