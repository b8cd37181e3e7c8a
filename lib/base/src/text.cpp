#include <async/text.hpp>

#include <algorithm>
#include <cstring>
#include <cstdint>

namespace async {
namespace {

bool is_bidi_control(char32_t cp) {
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
           cp == 0x200F || cp == 0x061C;
}

} // namespace

std::size_t decode_utf8(std::string_view text, std::size_t i, char32_t& cp) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    unsigned char b0 = byte(i);
    std::size_t len = 0;
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    } else if ((b0 & 0xE0) == 0xC0) {
        len = 2;
        cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3;
        cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4;
        cp = b0 & 0x07;
    } else {
        return 0;
    }
    if (i + len > text.size()) {
        return 0;
    }
    for (std::size_t k = 1; k < len; ++k) {
        unsigned char b = byte(i + k);
        if ((b & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr char32_t k_min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < k_min_for_length[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    return len;
}

bool is_invisible_control(char32_t cp) { return (cp >= 0x80 && cp <= 0x9F) || is_bidi_control(cp); }

namespace {

constexpr std::string_view k_replacement_character = "\xEF\xBF\xBD"; // U+FFFD

// Calls each(cp, bytes) for every code point of text in order; each invalid byte comes as
// U+FFFD with the replacement character's bytes.
template <typename Each> void for_each_code_point(std::string_view text, Each&& each) {
    for (std::size_t i = 0; i < text.size();) {
        char32_t cp = 0;
        std::size_t len = decode_utf8(text, i, cp);
        if (len == 0) {
            each(char32_t{0xFFFD}, k_replacement_character);
            ++i;
        } else {
            each(cp, text.substr(i, len));
            i += len;
        }
    }
}

} // namespace

std::string strip_controls(std::string_view text, Newlines newlines) {
    std::string out;
    out.reserve(text.size());
    for_each_code_point(text, [&](char32_t cp, std::string_view bytes) {
        if (cp == '\n' || cp == '\t') {
            out += newlines == Newlines::flatten ? ' ' : static_cast<char>(cp);
        } else if (cp >= 0x20 && cp != 0x7F && !is_invisible_control(cp)) {
            out.append(bytes);
        }
    });
    return out;
}

std::optional<std::size_t> find_invalid_utf8(std::string_view text) {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t tops = 0x8080808080808080ULL;
    std::size_t i = 0;
    while (i < text.size()) {
        // Most text is ASCII: eight bytes at a time while none has its top bit set (the start
        // of a multi-byte sequence) and none is NUL (a zero byte borrows into its top bit when
        // 0x01 is taken from it).
        for (std::uint64_t x; i + 8 <= text.size(); i += 8) {
            std::memcpy(&x, text.data() + i, 8);
            if ((((x - ones) & ~x) | x) & tops) {
                break;
            }
        }
        if (i == text.size()) {
            break;
        }
        char32_t cp = 0;
        std::size_t len = decode_utf8(text, i, cp);
        if (len == 0 || cp == 0) {
            return i;
        }
        i += len;
    }
    return std::nullopt;
}

LineCol line_col_at(std::string_view text, std::size_t offset) {
    LineCol at;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++at.line;
            at.column = 1;
        } else {
            ++at.column;
        }
    }
    return at;
}

bool is_printable_ascii(std::string_view text) {
    // Eight bytes at a time: a byte below 0x20 borrows into its top bit when 0x20 is taken
    // from it, and one above 0x7E carries into it when 0x01 is added (or has it set already).
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t tops = 0x8080808080808080ULL;
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t x;
        std::memcpy(&x, text.data() + i, 8);
        std::uint64_t below = (x - ones * 0x20) & ~x;
        std::uint64_t above = (x + ones * 0x01) | x;
        if ((below | above) & tops) {
            return false;
        }
    }
    return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(i), text.end(),
                       [](char c) { return c >= 0x20 && c < 0x7F; });
}

std::string sanitize_for_terminal(std::string_view text, Newlines newlines) {
    if (is_printable_ascii(text)) {
        return std::string{text}; // the common case: nothing to neutralise
    }
    std::string out;
    out.reserve(text.size());
    for_each_code_point(text, [&](char32_t cp, std::string_view bytes) {
        if (cp == '\n' || cp == '\t') {
            out += newlines == Newlines::flatten ? ' ' : static_cast<char>(cp);
        } else if (cp == '\r') {
            if (newlines == Newlines::flatten) {
                out += ' ';
            }
        } else if (cp < 0x20 || cp == 0x7F) {
            out += '^';
            out += static_cast<char>(cp ^ 0x40);
        } else if (cp >= 0x80 && cp <= 0x9F) {
            out += k_replacement_character;
        } else if (!is_bidi_control(cp)) {
            out.append(bytes);
        }
    });
    return out;
}

std::string to_lower_ascii(std::string_view text) {
    std::string out{text};
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

std::string_view trim(std::string_view text) {
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && blank(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && blank(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

std::vector<std::string> split_list(std::string_view text, char sep) {
    std::vector<std::string> parts;
    while (true) {
        auto pos = text.find(sep);
        auto part = trim(text.substr(0, pos));
        if (!part.empty()) {
            parts.emplace_back(part);
        }
        if (pos == std::string_view::npos) {
            break;
        }
        text.remove_prefix(pos + 1);
    }
    return parts;
}

std::string shell_quote(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    return out + "'";
}

std::string toml_quote(std::string_view text) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out = "\"";
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (u < 0x20 || u == 0x7F) {
                out += "\\u00";
                out += k_hex[u >> 4];
                out += k_hex[u & 0xF];
            } else {
                out += c;
            }
        }
    }
    out += '"';
    return out;
}

namespace {

std::size_t code_point_width(char32_t cp) {
    if (cp == 0 || (cp >= 0x300 && cp <= 0x36F) || cp == 0x200B || cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F)) {
        return 0;
    }
    bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
                (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
                (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD);
    return wide ? 2 : 1;
}

} // namespace

std::size_t display_width(std::string_view text) {
    if (is_printable_ascii(text)) {
        return text.size();
    }
    std::size_t width = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        char32_t cp = 0;
        std::size_t len = decode_utf8(text, i, cp);
        width += len == 0 ? 1 : code_point_width(cp);
        i += len == 0 ? 1 : len;
    }
    return width;
}

std::string truncate_to_width(std::string_view text, std::size_t width) {
    if (display_width(text) <= width) {
        return std::string{text};
    }
    if (width == 0) {
        return {};
    }
    std::string out;
    std::size_t used = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        char32_t cp = 0;
        std::size_t len = decode_utf8(text, i, cp);
        std::size_t w = len == 0 ? 1 : code_point_width(cp);
        len = len == 0 ? 1 : len;
        if (used + w > width - 1) {
            break;
        }
        out.append(text.substr(i, len));
        used += w;
        i += len;
    }
    return out + "\xE2\x80\xA6";
}

std::string short_hash(std::string_view text) {
    return short_hash({text});
}

std::uint64_t fnv1a_64(std::initializer_list<std::string_view> parts, std::uint64_t basis) {
    std::uint64_t h = basis;
    for (std::string_view part : parts) {
        for (unsigned char c : part) {
            h ^= c;
            h *= 1099511628211ULL;
        }
    }
    return h;
}

std::string leading_hex(std::uint64_t value, int digits) {
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < digits && i < 16; ++i) {
        out += k_hex[(value >> (60 - 4 * i)) & 0xF];
    }
    return out;
}

std::string short_hash(std::initializer_list<std::string_view> parts) {
    return leading_hex(fnv1a_64(parts), 7);
}

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        std::size_t end = text.find('\n');
        lines.push_back(text.substr(0, end));
        if (end == std::string_view::npos) {
            break;
        }
        text.remove_prefix(end + 1);
    }
    return lines;
}

std::string one_line(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool pending_space = false;
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) {
            out.push_back(' ');
        }
        pending_space = false;
        out.push_back(c);
    }
    return out;
}

LineIndex::LineIndex(std::string_view text) : m_size(text.size()), m_starts{0} {
    const char* begin = text.data();
    const char* end = begin + text.size();
    if (text.find('\r') == std::string_view::npos) {
        // Every break is a "\n" (the usual case): memchr from one to the next.
        for (const char* p = begin; (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)))) != nullptr;) {
            ++p;
            m_starts.push_back(static_cast<std::size_t>(p - begin));
        }
        return;
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
            m_starts.push_back(i + 1);
        }
    }
}

std::size_t LineIndex::line_of(std::size_t offset) const {
    offset = std::min(offset, m_size);
    return static_cast<std::size_t>(std::upper_bound(m_starts.begin(), m_starts.end(), offset) - m_starts.begin());
}

LineCol LineIndex::at(std::size_t offset) const {
    offset = std::min(offset, m_size);
    std::size_t line = line_of(offset);
    return {line, offset - m_starts[line - 1] + 1};
}

namespace {

// Optimal string alignment distance (Damerau-Levenshtein without moves across a swap).
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) {
        d[i][0] = i;
    }
    for (std::size_t j = 0; j <= b.size(); ++j) {
        d[0][j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[a.size()][b.size()];
}

} // namespace

std::vector<std::string> closest_words(std::string_view word, const std::vector<std::string>& candidates) {
    constexpr std::size_t k_max_word = 64; // longer input is no typo of a command name
    std::vector<std::string> out;
    if (word.empty() || word.size() > k_max_word) {
        return out;
    }
    std::string lowered = to_lower_ascii(word);
    std::size_t best = std::min<std::size_t>(2, (lowered.size() - 1) / 2);
    std::vector<std::size_t> distances;
    for (const auto& c : candidates) {
        distances.push_back(c.size() > k_max_word ? k_max_word : edit_distance(lowered, to_lower_ascii(c)));
    }
    for (std::size_t d : distances) {
        best = std::min(best, d);
    }
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        bool prefix = lowered.size() >= 2 && to_lower_ascii(candidates[i]).starts_with(lowered);
        if (distances[i] <= best || prefix) {
            out.push_back(candidates[i]);
        }
    }
    return out;
}

std::optional<std::string> address_problem(std::string_view address) {
    if (address.empty()) {
        return "it is empty";
    }
    if (address.front() == '-') {
        return "it starts with '-'";
    }
    if (address.size() > 254) {
        return "it is longer than 254 characters";
    }
    for (unsigned char c : address) {
        if (c < 0x20 || c == 0x7f) {
            return "it contains a control character (a newline?)";
        }
        if (c == ' ' || std::string_view{"<>()[],;:\\\""}.find(static_cast<char>(c)) != std::string_view::npos) {
            return "it contains '" + std::string(1, static_cast<char>(c)) + "'";
        }
    }
    auto at = address.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == address.size() || address.find('@') != at) {
        return "it is not of the form name@domain";
    }
    return std::nullopt;
}

} // namespace async
