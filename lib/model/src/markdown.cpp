#include <async/markdown.hpp>
#include <async/due.hpp>
#include <async/layout.hpp>
#include <async/error.hpp>
#include <async/md4c_input.hpp>

#include <async/text.hpp>

#include <md4c.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace async {
namespace {

// GitHub dialect: task lists, tables, strikethrough and permissive autolinks. Permissive
// autolinks never make "@bob" a link (an e-mail autolink needs a local part before '@'), and
// they turn bare URLs and e-mail addresses into autolinks whose text we can then keep out of
// mention and #id scanning ("https://x.com/@bob", "alice@example.com").
// PERMISSIVEATXHEADERS stays off so that "#k3f9q2ma" at the start of a line is a reference,
// not a heading. WIKILINKS: md4c finds "[[target|label]]" outside code, with escapes and
// reference definitions handled as for any link, so no second scanner reads the text.
constexpr unsigned k_md_flags = MD_DIALECT_GITHUB | MD_FLAG_WIKILINKS;

constexpr std::size_t k_max_handle = 64;
constexpr std::string_view k_replacement = "\xEF\xBF\xBD"; // U+FFFD
constexpr std::string_view k_decision_prefix = "decision:";

bool is_ascii_alnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_ascii_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_handle_char(char c) {
    return is_ascii_alnum(c) || c == '.' || c == '_' || c == '-';
}
bool is_id_char(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
}

// Text plus, for every byte, whether it came from somewhere tokens must never be read from
// (code, raw HTML, an autolink, a decoded entity). Such bytes still count as word boundaries.
struct RichText {
    std::string text;
    std::string opaque; // '\1' for an opaque byte, '\0' otherwise; same length as text

    void append(std::string_view s, bool is_opaque) {
        text.append(s);
        opaque.append(s.size(), is_opaque ? '\1' : '\0');
    }
    void append(const RichText& other) {
        text.append(other.text);
        opaque.append(other.opaque);
    }
    void mark_opaque(std::size_t from) {
        if (from < opaque.size())
            std::fill(opaque.begin() + static_cast<std::ptrdiff_t>(from), opaque.end(), '\1');
    }
    void clear() {
        text.clear();
        opaque.clear();
    }
    std::size_t size() const { return text.size(); }
    // The byte at i when it may take part in a token, '\0' otherwise (also out of range).
    char at(std::size_t i) const { return i < text.size() && opaque[i] == '\0' ? text[i] : '\0'; }
};

struct Token {
    std::size_t begin = 0; // [begin, end) in the RichText
    std::size_t end = 0;
    std::string value;
};

// "@handle" starting at the '@' at position at, or nullopt. An '@' glued to a preceding
// local-part character is an e-mail address or a path, not a mention.
std::optional<Token> handle_at(const RichText& rt, std::size_t at) {
    if (rt.at(at) != '@')
        return std::nullopt;
    if (at > 0) {
        char prev = rt.at(at - 1);
        if (is_handle_char(prev) || prev == '+' || prev == '@' || prev == '/')
            return std::nullopt;
    }
    std::size_t end = at + 1;
    while (is_handle_char(rt.at(end)))
        ++end;
    if (rt.at(end) == '@') // "@bob@example.com"
        return std::nullopt;
    while (end > at + 1 && rt.text[end - 1] == '.') // a trailing '.' ends the sentence
        --end;
    std::size_t len = end - at - 1;
    if (len == 0 || len > k_max_handle || !is_ascii_alnum(rt.text[at + 1]))
        return std::nullopt;
    return Token{at, end, to_lower_ascii(std::string_view(rt.text).substr(at + 1, len))};
}

std::vector<Token> find_handles(const RichText& rt) {
    std::vector<Token> out;
    for (std::size_t i = rt.text.find('@'); i != std::string::npos; i = rt.text.find('@', i + 1)) {
        if (auto token = handle_at(rt, i)) {
            i = token->end - 1;
            out.push_back(std::move(*token));
        }
    }
    return out;
}

// "#id" references: 4-8 of [0-9a-z] after start, whitespace or opening/sentence punctuation,
// and not continued by a word ("#getting-started", "#abcd.x" and "x.com/#abcd" are not ids).
std::vector<Token> find_id_refs(const RichText& rt) {
    constexpr std::string_view k_before = "([{<\"'*_~,;:!?-";
    std::vector<Token> out;
    for (std::size_t i = rt.text.find('#'); i != std::string::npos; i = rt.text.find('#', i + 1)) {
        if (rt.at(i) != '#')
            continue;
        if (i > 0 && rt.opaque[i - 1] == '\0') {
            char prev = rt.text[i - 1];
            if (!is_ascii_space(prev) && k_before.find(prev) == std::string_view::npos)
                continue;
        }
        std::size_t end = i + 1;
        while (end - i - 1 < 9 && is_id_char(rt.at(end)))
            ++end;
        std::size_t len = end - i - 1;
        if (len < 4 || len > 8)
            continue;
        char next = rt.at(end);
        if (is_ascii_alnum(next) || next == '_' || next == '-' || next == '/' || next == '#' ||
            next == '@' || (next == '.' && is_ascii_alnum(rt.at(end + 1))))
            continue;
        out.push_back(Token{i, end, rt.text.substr(i + 1, len)});
    }
    return out;
}

// Where the value of a "due:" starting at i begins (after blanks), or npos when there is no
// "due:" token at i (case-insensitive, not the tail of a longer word such as "overdue:").
std::size_t due_value_at(const RichText& rt, std::size_t i) {
    bool is_due = (rt.at(i) | 0x20) == 'd' && (rt.at(i + 1) | 0x20) == 'u' &&
                  (rt.at(i + 2) | 0x20) == 'e' && rt.at(i + 3) == ':';
    if (!is_due || (i > 0 && is_handle_char(rt.at(i - 1))))
        return std::string::npos;
    std::size_t d = i + 4;
    while (rt.at(d) == ' ' || rt.at(d) == '\t')
        ++d;
    return d;
}

// The first "due:YYYY-MM-DD" (blanks allowed before the date) with a real calendar date
// (due.hpp's grammar); a "due:" with anything else stays ordinary text.
std::optional<Token> find_due(const RichText& rt) {
    const std::string& t = rt.text;
    for (std::size_t i = 0; i + 4 <= t.size(); ++i) {
        std::size_t d = due_value_at(rt, i);
        if (d == std::string::npos || d + 10 > t.size())
            continue;
        bool clear = std::all_of(rt.opaque.begin() + static_cast<std::ptrdiff_t>(d),
                                 rt.opaque.begin() + static_cast<std::ptrdiff_t>(d + 10),
                                 [](char o) { return o == '\0'; });
        std::string_view date = std::string_view(t).substr(d, 10);
        char next = rt.at(d + 10);
        if (!clear || !is_due_date(date) || is_handle_char(next) || next == ':')
            continue;
        return Token{i, d + 10, std::string(date)};
    }
    return std::nullopt;
}

// What follows the first "due:" of an item that has no due date (see Action::unread_due): the
// word after it, without trailing punctuation.
std::optional<std::string> find_unread_due(const RichText& rt) {
    const std::string& t = rt.text;
    for (std::size_t i = 0; i + 4 <= t.size(); ++i) {
        std::size_t start = due_value_at(rt, i);
        if (start == std::string::npos)
            continue;
        std::size_t end = start; // at() is '\0' past the end, so start <= t.size()
        while (end < t.size() && t[end] != ' ' && t[end] != '\t')
            ++end;
        std::string value = t.substr(start, end - start);
        while (!value.empty() && std::string_view{".,;)!?"}.find(value.back()) != std::string_view::npos)
            value.pop_back();
        return value;
    }
    return std::nullopt;
}

// Whether text, after leading whitespace, starts with "Decision:" (case-insensitive): the cheap
// test before one_line copies a paragraph (most are no decision).
bool has_decision_prefix(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size() && is_ascii_space(text[i]))
        ++i;
    if (text.size() - i < k_decision_prefix.size())
        return false;
    for (std::size_t k = 0; k < k_decision_prefix.size(); ++k) {
        char c = text[i + k];
        if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != k_decision_prefix[k])
            return false;
    }
    return true;
}

// text without the "Decision:" prefix (case-insensitive), nullopt when it has none or nothing
// follows it.
std::optional<std::string> strip_decision_prefix(std::string_view text) {
    if (text.size() <= k_decision_prefix.size() ||
        to_lower_ascii(text.substr(0, k_decision_prefix.size())) != k_decision_prefix)
        return std::nullopt;
    std::string_view rest = trim(text.substr(k_decision_prefix.size()));
    if (rest.empty())
        return std::nullopt;
    return std::string(rest);
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        out.append(k_replacement);
    } else if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

// An entity as md4c reports it ("&amp;", "&#35;", "&#x23;") decoded for the plain text.
// Named entities outside the common few are kept as written.
std::string decode_entity(std::string_view entity) {
    std::string out;
    if (entity.size() < 3 || entity.front() != '&' || entity.back() != ';')
        return std::string(entity);
    std::string_view name = entity.substr(1, entity.size() - 2);
    if (name.front() == '#') {
        bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
        std::string_view digits = name.substr(hex ? 2 : 1);
        if (digits.empty() || digits.size() > 7)
            return std::string(entity);
        std::uint32_t cp = 0;
        for (char c : digits) {
            int v = -1;
            if (c >= '0' && c <= '9')
                v = c - '0';
            else if (hex && c >= 'a' && c <= 'f')
                v = c - 'a' + 10;
            else if (hex && c >= 'A' && c <= 'F')
                v = c - 'A' + 10;
            if (v < 0)
                return std::string(entity);
            cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(v);
        }
        append_utf8(out, cp);
        return out;
    }
    static constexpr std::pair<std::string_view, std::uint32_t> k_named[] = {
        {"amp", '&'},      {"lt", '<'},        {"gt", '>'},       {"quot", '"'},
        {"apos", '\''},    {"nbsp", 0xA0},     {"copy", 0xA9},    {"reg", 0xAE},
        {"trade", 0x2122}, {"hellip", 0x2026}, {"mdash", 0x2014}, {"ndash", 0x2013},
        {"lsquo", 0x2018}, {"rsquo", 0x2019},  {"ldquo", 0x201C}, {"rdquo", 0x201D},
        {"laquo", 0xAB},   {"raquo", 0xBB},    {"middot", 0xB7},  {"times", 0xD7},
        {"euro", 0x20AC},  {"deg", 0xB0},
    };
    for (const auto& [n, cp] : k_named) {
        if (n == name) {
            append_utf8(out, cp);
            return out;
        }
    }
    return std::string(entity);
}

std::string attribute_text(const MD_ATTRIBUTE& attr) {
    std::string out;
    if (attr.text == nullptr || attr.size == 0)
        return out;
    if (attr.substr_types == nullptr || attr.substr_offsets == nullptr)
        return std::string(attr.text, attr.size);
    for (std::size_t i = 0; attr.substr_offsets[i] < attr.size; ++i) {
        MD_OFFSET from = attr.substr_offsets[i];
        MD_OFFSET to = std::min(attr.substr_offsets[i + 1], attr.size);
        std::string_view part(attr.text + from, to - from);
        switch (attr.substr_types[i]) {
        case MD_TEXT_ENTITY: out += decode_entity(part); break;
        case MD_TEXT_NULLCHAR: out.append(k_replacement); break;
        default: out.append(part); break;
        }
    }
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// target as the attachment path it names ("./attachments/a%20b.ogg" -> "attachments/a b.ogg"),
// or nullopt when it is not a plain relative path inside attachments/.
std::optional<std::string> attachment_path(std::string_view target) {
    while (target.substr(0, 2) == "./")
        target.remove_prefix(2);
    if (target.size() <= k_attachments.size() + 1 || !target.starts_with(k_attachments) ||
        target[k_attachments.size()] != '/')
        return std::nullopt;
    std::string path;
    for (std::size_t i = 0; i < target.size(); ++i) {
        if (target[i] == '%' && i + 2 < target.size() && hex_value(target[i + 1]) >= 0 &&
            hex_value(target[i + 2]) >= 0) {
            path.push_back(
                static_cast<char>(hex_value(target[i + 1]) * 16 + hex_value(target[i + 2])));
            i += 2;
        } else {
            path.push_back(target[i]);
        }
    }
    if (path.find('\0') != std::string::npos || path.find('\\') != std::string::npos)
        return std::nullopt;
    // A file inside the folder: no ".." segment (no way out), no empty segment (no directory).
    std::string_view rest = std::string_view(path).substr(k_attachments.size() + 1);
    for (;;) {
        std::size_t slash = rest.find('/');
        std::string_view segment = rest.substr(0, slash);
        if (segment.empty() || segment == "..")
            return std::nullopt;
        if (slash == std::string_view::npos)
            return path;
        rest.remove_prefix(slash + 1);
    }
}

// target as the relative file path it names ("../a%20b.md#top" -> "../a b.md"), or nullopt
// for a URL with a scheme (http:, mailto:), an anchor ("#id"), an absolute or network path.
std::optional<std::string> relative_file_path(std::string_view target) {
    std::size_t end = target.find_first_of("?#");
    std::string_view path = target.substr(0, end);
    if (path.empty() || path.front() == '/' || path.front() == '\\') {
        return std::nullopt;
    }
    if (std::size_t colon = path.find(':'); colon != std::string_view::npos && path.find('/') > colon) {
        return std::nullopt;
    }
    std::string out;
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] == '%' && i + 2 < path.size() && hex_value(path[i + 1]) >= 0 && hex_value(path[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(path[i + 1]) * 16 + hex_value(path[i + 2])));
            i += 2;
        } else {
            out.push_back(path[i]);
        }
    }
    if (out.find('\0') != std::string::npos) {
        return std::nullopt;
    }
    return out;
}

bool is_collector(MD_BLOCKTYPE type) {
    switch (type) {
    case MD_BLOCK_LI:
    case MD_BLOCK_H:
    case MD_BLOCK_P:
    case MD_BLOCK_CODE:
    case MD_BLOCK_HTML:
    case MD_BLOCK_TH:
    case MD_BLOCK_TD: return true;
    default: return false;
    }
}

// A line of a block's text: where it starts in the text, in the input, and its line number.
struct LineStart {
    std::size_t pos = 0;
    std::size_t offset = 0;
    std::size_t line = 0;
};

// One open block on the parser's stack.
struct OpenBlock {
    MD_BLOCKTYPE type = MD_BLOCK_DOC;
    RichText text;                    // own text (collectors only)
    std::optional<std::size_t> first; // input offset of the first text
    std::size_t first_line = 0;
    int level = 0;        // headings
    bool is_task = false; // list items
    bool done = false;
    std::size_t task_offset = 0;
    std::size_t task_line = 0;
    bool under_decisions = false; // a top list item of a "Decisions" section
    // Where each later line of the text starts (after a line break of the input): a line
    // starting with "Decision:" is a decision of its own.
    std::vector<LineStart> line_starts;
    bool at_line_start = false; // a line break was the last text: the next text starts a line
};

class Extractor {
public:
    explicit Extractor(std::string_view body) : m_input(std::string(body)), m_body(m_input.view()), m_lines(m_body) {}

    // Also collect the text of the blocks that mention handle (see mention_context).
    void collect_context_of(std::string_view handle) { m_context_handle = handle; }
    std::string take_context() { return std::move(m_context); }

    void run() {
        MD_PARSER parser{};
        parser.abi_version = 0;
        parser.flags = k_md_flags;
        parser.enter_block = &Extractor::enter_block_cb;
        parser.leave_block = &Extractor::leave_block_cb;
        parser.enter_span = &Extractor::enter_span_cb;
        parser.leave_span = &Extractor::leave_span_cb;
        parser.text = &Extractor::text_cb;
        md4c_parse(m_input, parser, this);
        finish();
    }

    Extracted take() { return std::move(m_out); }

private:
    // md4c is C: nothing may unwind through it, so every callback catches and aborts the parse.
    template <typename F> int guarded(F&& f) noexcept {
        try {
            f();
            return 0;
        } catch (...) {
            return -1;
        }
    }
    static int enter_block_cb(MD_BLOCKTYPE type, void* detail, void* self) {
        auto* ex = static_cast<Extractor*>(self);
        return ex->guarded([&] { ex->enter_block(type, detail); });
    }
    static int leave_block_cb(MD_BLOCKTYPE type, void* detail, void* self) {
        auto* ex = static_cast<Extractor*>(self);
        return ex->guarded([&] { ex->leave_block(type, detail); });
    }
    static int enter_span_cb(MD_SPANTYPE type, void* detail, void* self) {
        auto* ex = static_cast<Extractor*>(self);
        return ex->guarded([&] { ex->enter_span(type, detail); });
    }
    static int leave_span_cb(MD_SPANTYPE type, void* detail, void* self) {
        auto* ex = static_cast<Extractor*>(self);
        return ex->guarded([&] { ex->leave_span(type, detail); });
    }
    static int text_cb(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size, void* self) {
        auto* ex = static_cast<Extractor*>(self);
        return ex->guarded([&] { ex->on_text(type, text, size); });
    }

    OpenBlock* collector() {
        if (m_stack.empty() || !is_collector(m_stack.back().type))
            return nullptr;
        return &m_stack.back();
    }

    void plain_break() {
        if (!m_out.plain.empty() && m_out.plain.back() != '\n')
            m_out.plain.push_back('\n');
    }

    void enter_block(MD_BLOCKTYPE type, void* detail) {
        flush_scan();
        plain_break();
        OpenBlock block;
        block.type = type;
        if (type == MD_BLOCK_QUOTE)
            ++m_quote_depth;
        if (type == MD_BLOCK_H && detail != nullptr) {
            block.level = static_cast<int>(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level);
        } else if (type == MD_BLOCK_LI) {
            ++m_li_depth;
            block.under_decisions = m_decisions_level && m_li_depth == m_decisions_li_depth + 1;
            auto* li = static_cast<MD_BLOCK_LI_DETAIL*>(detail);
            if (li != nullptr && li->is_task) {
                block.is_task = true;
                block.done = li->task_mark == 'x' || li->task_mark == 'X';
                block.task_offset = li->task_mark_offset;
                block.task_line = m_lines.line_of(li->task_mark_offset);
                m_last_offset = li->task_mark_offset;
            }
        }
        m_stack.push_back(std::move(block));
    }

    void leave_block(MD_BLOCKTYPE type, void*) {
        flush_scan();
        plain_break();
        if (type == MD_BLOCK_QUOTE && m_quote_depth > 0)
            --m_quote_depth;
        if (m_stack.empty() || m_stack.back().type != type)
            return;
        OpenBlock block = std::move(m_stack.back());
        m_stack.pop_back();
        switch (type) {
        case MD_BLOCK_P:
            if (!m_stack.empty() && m_stack.back().type == MD_BLOCK_LI)
                merge_into_item(m_stack.back(), block);
            else
                finish_paragraph(block);
            break;
        case MD_BLOCK_H: finish_heading(block); break;
        case MD_BLOCK_LI:
            if (m_li_depth > 0)
                --m_li_depth;
            finish_item(block);
            break;
        default: break;
        }
    }

    void enter_span(MD_SPANTYPE type, void* detail) {
        if (detail == nullptr)
            return;
        if (type == MD_SPAN_A) {
            const MD_ATTRIBUTE& attr = static_cast<MD_SPAN_A_DETAIL*>(detail)->href;
            std::string href = attribute_text(attr);
            note_target(href, attr);
            OpenBlock* c = collector();
            m_open_links.push_back(
                OpenLink{m_scan.size(), c ? c->text.size() : 0, std::move(href)});
        } else if (type == MD_SPAN_IMG) {
            const MD_ATTRIBUTE& attr = static_cast<MD_SPAN_IMG_DETAIL*>(detail)->src;
            note_target(attribute_text(attr), attr);
        } else if (type == MD_SPAN_WIKILINK) {
            note_wiki_link(static_cast<MD_SPAN_WIKILINK_DETAIL*>(detail)->target);
        }
    }

    void leave_span(MD_SPANTYPE type, void*) {
        if (type != MD_SPAN_A || m_open_links.empty())
            return;
        OpenLink link = std::move(m_open_links.back());
        m_open_links.pop_back();
        // An autolink's text is its URL (md4c adds "http://" or "mailto:" to bare ones): no
        // mention, #id or due date is read from it.
        std::string_view shown = link.scan_begin <= m_scan.size()
                                     ? std::string_view(m_scan.text).substr(link.scan_begin)
                                     : std::string_view();
        std::string_view href = link.href;
        bool autolink =
            !shown.empty() &&
            (href == shown || (href.size() == shown.size() + 7 && href.substr(7) == shown &&
                               (href.substr(0, 7) == "http://" || href.substr(0, 7) == "mailto:")));
        if (!autolink)
            return;
        m_scan.mark_opaque(link.scan_begin);
        if (OpenBlock* c = collector())
            c->text.mark_opaque(link.collector_begin);
    }

    void on_text(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size) {
        if (text == nullptr && size > 0)
            return;
        std::string_view chunk(text, size);
        std::string decoded;
        bool opaque = false;
        std::optional<std::size_t> offset;
        switch (type) {
        case MD_TEXT_NULLCHAR:
            // md4c passes a static string for a NUL: find the input's next NUL for its position.
            if (std::size_t nul = m_body.find('\0', std::max(m_next_nul, m_last_offset));
                nul != std::string_view::npos) {
                offset = nul;
                m_next_nul = nul + 1;
            }
            chunk = k_replacement;
            break;
        case MD_TEXT_BR:
        case MD_TEXT_SOFTBR: chunk = "\n"; break;
        case MD_TEXT_ENTITY:
            decoded = decode_entity(chunk);
            chunk = decoded;
            opaque = true;
            break;
        case MD_TEXT_NORMAL: break;
        default: // code, raw HTML, math
            opaque = true;
            break;
        }
        if (!m_stack.empty() &&
            (m_stack.back().type == MD_BLOCK_CODE || m_stack.back().type == MD_BLOCK_HTML))
            opaque = true;

        // Pointers into the input give positions; md4c also passes static strings ("\n",
        // indentation), which are not part of the input and have no position.
        if (std::size_t in_body = offset_in_body(text); !offset && size > 0 && in_body != k_no_origin)
            offset = in_body;
        if (offset)
            m_last_offset = *offset;

        m_out.plain.append(chunk);
        // A token's place in the input: chunks passed through unchanged keep their offset.
        m_scan_origins.emplace_back(m_scan.size(), offset && chunk.data() == text ? *offset : k_no_origin);
        m_scan.append(chunk, opaque);
        if (OpenBlock* c = collector()) {
            if (type == MD_TEXT_BR || type == MD_TEXT_SOFTBR) {
                c->at_line_start = true;
            } else if (c->at_line_start && offset) {
                c->at_line_start = false;
                c->line_starts.push_back(LineStart{c->text.size(), *offset, m_lines.line_of(*offset)});
            }
            c->text.append(chunk, opaque);
            if (!c->first && offset) {
                c->first = offset;
                c->first_line = m_lines.line_of(*offset);
            }
        }
    }

    // Where a block's text starts (input offset and line); the last position seen when the
    // block has no text of its own with a position.
    std::pair<std::size_t, std::size_t> start_of(const OpenBlock& block) {
        if (block.first)
            return {*block.first, block.first_line};
        if (block.is_task)
            return {block.task_offset, block.task_line};
        return {m_last_offset, m_lines.line_of(m_last_offset)};
    }

    // Mentions and "#id" references of the text read since the last block boundary (tokens
    // never cross blocks), in document order together with the "#id" link targets seen.
    void flush_scan() {
        bool in_context = false; // this block's text is in m_context already
        for (Token& handle : find_handles(m_scan)) {
            if (!in_context && !m_context_handle.empty() && handle.value == m_context_handle) {
                m_context += m_scan.text;
                m_context += '\n';
                in_context = true;
            }
            if (add_unique(m_out.mentions, m_seen_mentions, std::move(handle.value)))
                m_out.mention_positions.push_back(position_of(handle.begin));
        }
        std::vector<Token> refs = find_id_refs(m_scan);
        auto add_link = [this](std::string id, BodyPosition at) {
            if (add_unique(m_out.links, m_seen_links, std::move(id)))
                m_out.link_positions.push_back(at);
        };
        std::size_t t = 0;
        for (auto& target : m_target_ids) {
            for (; t < refs.size() && refs[t].begin < target.scan_pos; ++t)
                add_link(std::move(refs[t].value), position_of(refs[t].begin));
            add_link(std::move(target.id), target.offset != k_no_origin ? body_position(target.offset)
                                                                         : position_of(target.scan_pos));
        }
        for (; t < refs.size(); ++t)
            add_link(std::move(refs[t].value), position_of(refs[t].begin));
        m_scan.clear();
        m_scan_origins.clear();
        m_target_ids.clear();
    }

    // Where the byte at scan_pos of m_scan is in the body ({0, 0} when md4c generated it).
    BodyPosition position_of(std::size_t scan_pos) const {
        auto after = std::upper_bound(m_scan_origins.begin(), m_scan_origins.end(), scan_pos,
                                      [](std::size_t pos, const auto& origin) { return pos < origin.first; });
        if (after == m_scan_origins.begin() || std::prev(after)->second == k_no_origin)
            return {};
        return body_position(std::prev(after)->second + (scan_pos - std::prev(after)->first));
    }

    BodyPosition body_position(std::size_t offset) const {
        LineCol at = m_lines.at(offset);
        return {at.line, at.column};
    }

    // text's offset in the body when md4c points into it, else k_no_origin.
    std::size_t offset_in_body(const MD_CHAR* text) const {
        auto base = reinterpret_cast<std::uintptr_t>(m_body.data());
        auto p = reinterpret_cast<std::uintptr_t>(text);
        return text != nullptr && p >= base && p < base + m_body.size() ? static_cast<std::size_t>(p - base) : k_no_origin;
    }

    static bool add_unique(std::vector<std::string>& out, std::unordered_set<std::string>& seen,
                           std::string value) {
        if (!seen.insert(value).second)
            return false;
        out.push_back(std::move(value));
        return true;
    }

    void note_target(const std::string& target, const MD_ATTRIBUTE& attr) {
        if (target.size() >= 5 && target.size() <= 9 && target[0] == '#' &&
            std::all_of(target.begin() + 1, target.end(), is_id_char))
            m_target_ids.push_back({m_scan.size(), target.substr(1), offset_in_body(attr.text)});
        else if (auto path = attachment_path(target))
            add_unique(m_out.attachments, m_seen_attachments, std::move(*path));
        if (auto file = relative_file_path(target)) {
            std::size_t offset = offset_in_body(attr.text);
            m_out.file_links.push_back(std::move(*file));
            m_out.file_link_positions.push_back(offset != k_no_origin ? body_position(offset) : BodyPosition{});
        }
    }

    // "[[target#heading|label]]": the target is what comes before '#' and '|' (md4c stops at the
    // first '|', but in a table cell the escaped "\\|" stays in its target); "[[#heading]]"
    // names a place in this document and is no link to another.
    void note_wiki_link(const MD_ATTRIBUTE& attr) {
        std::string target = attribute_text(attr);
        std::string_view name = trim(std::string_view(target).substr(0, target.find_first_of("#|")));
        if (!name.empty() && name.back() == '\\')
            name.remove_suffix(1);
        name = trim(name);
        if (name.empty())
            return;
        std::size_t offset = offset_in_body(attr.text);
        m_out.wiki_links.emplace_back(name);
        m_out.wiki_link_positions.push_back(offset != k_no_origin && offset >= 2 ? body_position(offset - 2)
                                                                                 : BodyPosition{});
    }

    // A loose item's paragraphs are the item's own text.
    void merge_into_item(OpenBlock& item, OpenBlock& paragraph) {
        if (!item.text.text.empty())
            item.text.append("\n", false);
        std::size_t shift = item.text.size();
        if (shift > 0 && paragraph.first)
            item.line_starts.push_back(LineStart{shift, *paragraph.first, paragraph.first_line});
        for (LineStart start : paragraph.line_starts) {
            start.pos += shift;
            item.line_starts.push_back(start);
        }
        item.text.append(paragraph.text);
        if (!item.first && paragraph.first) {
            item.first = paragraph.first;
            item.first_line = paragraph.first_line;
        }
    }

    // Quoted text is someone's words being cited, not a decision or action of this document.
    void add_decision(std::string text, std::size_t offset, std::size_t line) {
        if (m_quote_depth > 0)
            return;
        m_decisions.push_back({offset, Decision{std::move(text), line, m_outcome_level.has_value()}});
    }

    // Whether the block's text from pos starts with "Decision:" written as text (not code).
    static bool decision_at(const RichText& rt, std::size_t pos) {
        std::size_t i = pos;
        while (i < rt.size() && is_ascii_space(rt.text[i]))
            ++i;
        return rt.at(i) != '\0' && has_decision_prefix(std::string_view(rt.text).substr(i));
    }

    // A block's text cut where its lines starting with "Decision:" begin: the block's own text
    // before the first of them (all of it when there is none), and each decision line with the
    // lines after it up to the next decision line. A first line that is a decision counts as
    // both, so "- [ ] Decision: x" stays an action too.
    struct DecisionLine {
        std::size_t begin = 0;
        std::size_t end = 0;
        std::size_t offset = 0;
        std::size_t line = 0;
    };
    std::pair<std::size_t, std::vector<DecisionLine>> decision_lines(const OpenBlock& block) {
        const RichText& rt = block.text;
        std::vector<DecisionLine> out;
        std::size_t own_end = rt.size();
        if (decision_at(rt, 0)) {
            auto [offset, line] = start_of(block);
            out.push_back(DecisionLine{0, rt.size(), offset, line});
        }
        for (const LineStart& start : block.line_starts) {
            if (start.pos == 0 || start.pos >= rt.size() || !decision_at(rt, start.pos))
                continue;
            if (!out.empty())
                out.back().end = start.pos;
            if (own_end == rt.size())
                own_end = start.pos;
            out.push_back(DecisionLine{start.pos, rt.size(), start.offset, start.line});
        }
        return {own_end, std::move(out)};
    }

    void add_decisions(const OpenBlock& block, const std::vector<DecisionLine>& lines) {
        for (const DecisionLine& d : lines) {
            std::string_view text = std::string_view(block.text.text).substr(d.begin, d.end - d.begin);
            if (auto stripped = strip_decision_prefix(one_line(text)))
                add_decision(std::move(*stripped), d.offset, d.line);
        }
    }

    void finish_paragraph(const OpenBlock& block) {
        if (block.line_starts.empty() && !has_decision_prefix(block.text.text))
            return; // the usual paragraph: one line, no decision
        add_decisions(block, decision_lines(block).second);
    }

    void finish_heading(const OpenBlock& block) {
        std::string text = one_line(block.text.text);
        if (m_decisions_level && block.level <= *m_decisions_level)
            m_decisions_level.reset();
        if (m_outcome_level && block.level <= *m_outcome_level)
            m_outcome_level.reset();
        if (to_lower_ascii(text) == "decisions") {
            m_decisions_level = block.level;
            m_decisions_li_depth = m_li_depth;
        } else if (to_lower_ascii(text) == "outcome") {
            m_outcome_level = block.level;
        }
        if (!text.empty())
            m_out.headings.push_back(Heading{block.level, std::move(text), start_of(block).second});
    }

    void finish_item(const OpenBlock& item) {
        if (!item.is_task && !item.under_decisions && item.line_starts.empty() &&
            !has_decision_prefix(item.text.text))
            return; // a plain list item
        auto [own_end, decision_text] = decision_lines(item);
        if (!decision_text.empty() && decision_text.front().begin == 0)
            own_end = decision_text.front().end; // "- [ ] Decision: x": an action too
        // The lines from the first later "Decision:" line on are decisions, not the item's text.
        RichText cut;
        if (own_end < item.text.size()) {
            cut.text = item.text.text.substr(0, own_end);
            cut.opaque = item.text.opaque.substr(0, own_end);
        }
        const RichText& rt = own_end < item.text.size() ? cut : item.text;
        std::string raw = one_line(rt.text);
        if (item.is_task && m_quote_depth == 0) {
            Action action;
            action.done = item.done;
            action.line = item.task_line;
            std::vector<Token> handles = find_handles(rt);
            std::optional<Token> due = find_due(rt);
            std::string text = rt.text;
            // Cut the later token first so the earlier one's offsets stay valid.
            std::vector<std::pair<std::size_t, std::size_t>> cuts;
            if (!handles.empty()) {
                cuts.emplace_back(handles.front().begin, handles.front().end);
                action.owner = handles.front().value;
            }
            if (due) {
                cuts.emplace_back(due->begin, due->end);
                action.due = due->value;
            } else {
                action.unread_due = find_unread_due(rt);
            }
            std::sort(cuts.begin(), cuts.end(), std::greater<>());
            for (auto [from, to] : cuts)
                text.replace(from, to - from, " ");
            action.text = one_line(text);
            action.raw = raw;
            m_actions.push_back({item.task_offset, std::move(action)});
        }
        if (item.under_decisions && !raw.empty() && (decision_text.empty() || decision_text.front().begin > 0)) {
            auto [offset, line] = start_of(item);
            add_decision(std::move(raw), offset, line);
        }
        add_decisions(item, decision_text);
    }

    void finish() {
        flush_scan();
        // Items finish after the items nested in them: put everything back in document order.
        auto by_offset = [](const auto& a, const auto& b) { return a.first < b.first; };
        std::stable_sort(m_actions.begin(), m_actions.end(), by_offset);
        std::stable_sort(m_decisions.begin(), m_decisions.end(), by_offset);
        for (auto& entry : m_actions)
            m_out.actions.push_back(std::move(entry.second));
        for (auto& entry : m_decisions)
            m_out.decisions.push_back(std::move(entry.second));
        while (!m_out.plain.empty() && m_out.plain.back() == '\n')
            m_out.plain.pop_back();
    }

    struct OpenLink {
        std::size_t scan_begin = 0;
        std::size_t collector_begin = 0;
        std::string href;
    };

    Md4cInput m_input;      // what md4c reads: a NUL-ended copy of the body
    std::string_view m_body; // m_input's text: md4c's pointers are offsets into it
    LineIndex m_lines;
    Extracted m_out;
    std::vector<OpenBlock> m_stack;
    RichText m_scan; // text since the last block boundary, for mentions and "#id"s
    static constexpr std::size_t k_no_origin = std::numeric_limits<std::size_t>::max();
    std::vector<std::pair<std::size_t, std::size_t>> m_scan_origins; // (position in m_scan, body offset)
    struct TargetId {
        std::size_t scan_pos; // where the link's text begins in m_scan
        std::string id;
        std::size_t offset;   // of the target in the body (its '#'), or k_no_origin
    };
    std::vector<TargetId> m_target_ids;
    std::vector<OpenLink> m_open_links;
    std::vector<std::pair<std::size_t, Action>> m_actions;     // (input offset, action)
    std::vector<std::pair<std::size_t, Decision>> m_decisions; // (input offset, decision)
    std::unordered_set<std::string> m_seen_mentions;
    std::unordered_set<std::string> m_seen_links;
    std::unordered_set<std::string> m_seen_attachments;
    std::size_t m_li_depth = 0;
    std::size_t m_quote_depth = 0; // open block quotes: their actions and decisions do not count
    std::optional<int> m_decisions_level; // level of the open "Decisions" heading
    std::size_t m_decisions_li_depth = 0;
    std::optional<int> m_outcome_level; // level of the open "Outcome" heading
    std::size_t m_last_offset = 0; // input offset of the last text with a position
    std::size_t m_next_nul = 0;    // where to look for the input's next NUL byte
    std::string_view m_context_handle; // mention_context's handle; empty for extract_markdown
    std::string m_context;
};

} // namespace

std::string action_handle(std::string_view doc_id, std::string_view raw, std::size_t occurrence) {
    return short_hash({doc_id, "\n", raw, "\n", std::to_string(occurrence)});
}

std::string mention_context(std::string_view body, std::string_view handle) {
    try {
        Extractor extractor(body);
        extractor.collect_context_of(handle);
        extractor.run();
        return extractor.take_context();
    } catch (...) {
        return {};
    }
}

namespace {

// The anchor a heading gets on a forge's page ("Unresolved questions" -> "unresolved-questions"):
// lower-cased, punctuation dropped, blanks made '-'.
std::string heading_anchor(std::string_view text) {
    std::string out;
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || u >= 0x80 || c == '-' || c == '_') {
            out += static_cast<char>(std::tolower(u));
        } else if (c == ' ') {
            out += '-';
        }
    }
    return out;
}

// "#summary" in a document with a "Summary" heading is a jump within the page (RFCs write
// `[summary]: #summary`), not a reference to a document whose id is "summary".
void drop_heading_anchors(Extracted& md) {
    if (md.headings.empty() || md.links.empty()) {
        return;
    }
    std::unordered_set<std::string> anchors;
    for (const auto& h : md.headings) {
        anchors.insert(heading_anchor(h.text));
    }
    std::size_t kept = 0;
    for (std::size_t i = 0; i < md.links.size(); ++i) {
        if (anchors.count(md.links[i]) == 0) {
            if (kept != i) {
                md.links[kept] = std::move(md.links[i]);
                md.link_positions[kept] = md.link_positions[i];
            }
            ++kept;
        }
    }
    md.links.resize(kept);
    md.link_positions.resize(kept);
}

} // namespace

Extracted extract_markdown(std::string_view body) {
    try {
        Extractor extractor(body);
        extractor.run();
        Extracted md = extractor.take();
        drop_heading_anchors(md);
        return md;
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::environment) {
            throw; // md4c could not be loaded: no text can be read, so nothing may be stored as read
        }
        return {};
    } catch (...) {
        return {};
    }
}

std::string markdown_literal(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (std::ispunct(static_cast<unsigned char>(c))) {
            out += '\\';
        }
        out += c;
    }
    return out;
}

} // namespace async
