#include <async/html.hpp>
#include <async/md4c_input.hpp>
#include <async/text.hpp>

#include <md4c-html.h>
#include <md4c.h>

#include <algorithm>
#include <array>
#include <cstdint>

namespace async {
namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD"; // U+FFFD

bool allowed_in_xml(std::uint32_t cp) {
    if (cp < 0x20) {
        return cp == '\t' || cp == '\n' || cp == '\r';
    }
    return cp != 0x7F && cp != 0xFFFE && cp != 0xFFFF;
}

// text with characters XML does not allow and invalid UTF-8 replaced by U+FFFD; when escape,
// also & < > " ' as entities.
std::string clean(std::string_view text, bool escape) {
    std::string out;
    out.reserve(text.size() + text.size() / 16);
    for (std::size_t i = 0; i < text.size();) {
        char32_t cp = 0;
        std::size_t len = decode_utf8(text, i, cp);
        if (len == 0) {
            out += k_replacement;
            ++i;
            continue;
        }
        if (!allowed_in_xml(cp)) {
            out += k_replacement;
        } else if (escape && cp == '&') {
            out += "&amp;";
        } else if (escape && cp == '<') {
            out += "&lt;";
        } else if (escape && cp == '>') {
            out += "&gt;";
        } else if (escape && cp == '"') {
            out += "&quot;";
        } else if (escape && cp == '\'') {
            out += "&#39;";
        } else {
            out.append(text.substr(i, len));
        }
        i += len;
    }
    return out;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_id_char(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'); }

bool is_word_char(char c) {
    return is_id_char(c) || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
}

// url as a browser reads it for its scheme: tabs and newlines removed, leading blanks and
// controls trimmed.
std::string normalised_url(std::string_view url) {
    std::string out;
    for (char c : url) {
        if (c == '\t' || c == '\n' || c == '\r') {
            continue;
        }
        if (out.empty() && static_cast<unsigned char>(c) <= 0x20) {
            continue;
        }
        out.push_back(c);
    }
    return out;
}

// The lower-cased scheme of url ("" when it has none).
std::string scheme_of(std::string_view url) {
    std::size_t end = url.find_first_of(":/?#");
    if (end == std::string_view::npos || url[end] != ':') {
        return {};
    }
    std::string scheme;
    for (char c : url.substr(0, end)) {
        scheme.push_back(lower(c));
    }
    return scheme.empty() ? std::string{":"} : scheme;
}

// An attribute value as md4c-html wrote it, decoded.
std::string unescape_attribute(std::string_view value) {
    static constexpr std::array<std::pair<std::string_view, char>, 6> k_entities{{
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#x27;", '\''}, {"&#39;", '\''},
    }};
    std::string out;
    for (std::size_t i = 0; i < value.size();) {
        bool matched = false;
        if (value[i] == '&') {
            for (const auto& [entity, c] : k_entities) {
                if (value.substr(i).starts_with(entity)) {
                    out.push_back(c);
                    i += entity.size();
                    matched = true;
                    break;
                }
            }
        }
        if (!matched) {
            out.push_back(value[i++]);
        }
    }
    return out;
}

// The value of attribute name="…" in tag (decoded), and where it is.
struct Attribute {
    std::string value;
    std::size_t begin = 0; // of the value, in tag
    std::size_t end = 0;   // one past the value
};
std::optional<Attribute> find_attribute(std::string_view tag, std::string_view name) {
    std::string needle = " " + std::string{name} + "=\"";
    std::size_t at = tag.find(needle);
    if (at == std::string_view::npos) {
        return std::nullopt;
    }
    std::size_t begin = at + needle.size();
    std::size_t end = tag.find('"', begin);
    if (end == std::string_view::npos) {
        return std::nullopt;
    }
    return Attribute{unescape_attribute(tag.substr(begin, end - begin)), begin, end};
}

std::optional<std::string> resolve_fragment(std::string_view url, const IdResolver& resolve_id) {
    if (!resolve_id || url.size() < 5 || url.size() > 9 || url[0] != '#') {
        return std::nullopt;
    }
    for (char c : url.substr(1)) {
        if (!is_id_char(c)) {
            return std::nullopt;
        }
    }
    return resolve_id(url.substr(1));
}

std::string checked_url(std::string_view url, const RelativeUrl& relative_url) {
    std::string safe = safe_url(url);
    if (relative_url && scheme_of(safe).empty() && !safe.starts_with("#") && !safe.starts_with("/") &&
        !safe.starts_with("?") && !safe.starts_with("\\")) {
        return relative_url(safe);
    }
    return safe;
}

std::string rewrite_link(std::string_view tag, const IdResolver& resolve_id, const RelativeUrl& relative_url) {
    auto href = find_attribute(tag, "href");
    if (!href) {
        return std::string{tag};
    }
    auto resolved = resolve_fragment(href->value, resolve_id);
    std::string target = resolved ? *resolved : checked_url(href->value, relative_url);
    return std::string{tag.substr(0, href->begin)} + escape_html(target) + std::string{tag.substr(href->end)};
}

std::string rewrite_image(std::string_view tag, const RelativeUrl& relative_url) {
    auto src = find_attribute(tag, "src");
    if (!src) {
        return std::string{tag};
    }
    if (is_remote_url(src->value)) {
        // A page loads nothing from elsewhere: the image becomes a link to it.
        auto alt = find_attribute(tag, "alt");
        std::string text = alt && !alt->value.empty() ? alt->value : src->value;
        return "<a href=\"" + escape_html(safe_url(src->value)) + "\">" + escape_html(text) + "</a>";
    }
    return std::string{tag.substr(0, src->begin)} + escape_html(checked_url(src->value, relative_url)) +
           std::string{tag.substr(src->end)};
}

// md4c-html's output with links and images made safe and bare "#id" references linked. Every
// '<' in it starts a tag md4c wrote (raw HTML is disabled, so text '<' arrives as "&lt;").
std::string post_process(std::string_view html, const IdResolver& resolve_id, const RelativeUrl& relative_url) {
    std::string out;
    out.reserve(html.size() + html.size() / 8);
    int in_link = 0;
    int in_code = 0;
    for (std::size_t i = 0; i < html.size();) {
        char c = html[i];
        if (c == '<') {
            std::size_t end = html.find('>', i);
            if (end == std::string_view::npos) {
                out += escape_html(html.substr(i));
                break;
            }
            std::string_view tag = html.substr(i, end - i + 1);
            bool closing = tag.size() > 1 && tag[1] == '/';
            std::size_t name_begin = closing ? 2 : 1;
            std::size_t name_end = name_begin;
            while (name_end < tag.size() && is_word_char(tag[name_end])) {
                ++name_end;
            }
            std::string_view name = tag.substr(name_begin, name_end - name_begin);
            i = end + 1;
            if (name == "a") {
                in_link += closing ? -1 : 1;
                out += closing ? std::string{tag} : rewrite_link(tag, resolve_id, relative_url);
            } else if (name == "img" && !closing) {
                out += rewrite_image(tag, relative_url);
            } else {
                if (name == "code" || name == "pre") {
                    in_code += closing ? -1 : 1;
                }
                out.append(tag);
            }
            continue;
        }
        if (c == '#' && in_link == 0 && in_code == 0 && resolve_id &&
            (i == 0 || (!is_word_char(html[i - 1]) && html[i - 1] != '&' && html[i - 1] != '/'))) {
            std::size_t j = i + 1;
            while (j < html.size() && j - i <= 9 && is_id_char(html[j])) {
                ++j;
            }
            std::size_t len = j - i - 1;
            if (len >= 4 && len <= 8 && (j == html.size() || !is_word_char(html[j]))) {
                std::string_view ref = html.substr(i, j - i);
                if (auto url = resolve_id(ref.substr(1))) {
                    out += "<a href=\"" + escape_html(*url) + "\">" + std::string{ref} + "</a>";
                    i = j;
                    continue;
                }
            }
        }
        out.push_back(c);
        ++i;
    }
    return out;
}

struct Sink {
    std::string text;
    bool failed = false;
};

void append_output(const MD_CHAR* data, MD_SIZE size, void* userdata) {
    auto* sink = static_cast<Sink*>(userdata);
    // md4c is C: nothing may unwind through it.
    try {
        sink->text.append(data, size);
    } catch (...) {
        sink->failed = true;
    }
}

} // namespace

std::string escape_html(std::string_view text) { return clean(text, true); }

std::string safe_url(std::string_view url) {
    std::string normal = normalised_url(url);
    std::string scheme = scheme_of(normal);
    if (scheme.empty() || scheme == "http" || scheme == "https" || scheme == "mailto") {
        return normal;
    }
    return "#";
}

bool is_remote_url(std::string_view url) {
    std::string normal = normalised_url(url);
    std::string scheme = scheme_of(normal);
    return scheme == "http" || scheme == "https" || normal.starts_with("//") || normal.starts_with("\\\\") ||
           normal.starts_with("/\\") || normal.starts_with("\\/");
}

std::string url_encode_segment(std::string_view text) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : text) {
        auto b = static_cast<unsigned char>(c);
        if (is_word_char(c) || c == '.' || c == '~') {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(k_hex[b >> 4]);
            out.push_back(k_hex[b & 0xF]);
        }
    }
    return out;
}

std::string markdown_to_html(std::string_view markdown, const IdResolver& resolve_id,
                             const RelativeUrl& relative_url) {
    Sink sink;
    unsigned parser_flags = MD_DIALECT_GITHUB | MD_FLAG_NOHTML;
    Md4cInput input(clean(markdown, false));
    int rc = md4c_html(input, append_output, &sink, parser_flags, MD_HTML_FLAG_SKIP_UTF8_BOM);
    if (rc != 0 || sink.failed) {
        // Shown as text rather than lost.
        return "<pre>" + escape_html(input.view()) + "</pre>\n";
    }
    return post_process(sink.text, resolve_id, relative_url);
}

std::optional<std::string> base_url_problem(std::string_view url) {
    std::string lowered = to_lower_ascii(url);
    if (!lowered.starts_with("http://") && !lowered.starts_with("https://")) {
        return "not an http(s) URL";
    }
    bool clean = std::none_of(url.begin(), url.end(), [](char c) {
        auto b = static_cast<unsigned char>(c);
        return b <= 0x20 || b == 0x7F || c == '"' || c == '\'' || c == '<' || c == '>' || c == '?' || c == '#' ||
               c == '\\';
    });
    if (!clean) {
        return "it holds blanks, quotes, a query or a fragment";
    }
    std::size_t host = url.find("://");
    if (host + 3 >= url.size() || url[host + 3] == '/') {
        return "it names no host";
    }
    return std::nullopt;
}

} // namespace async
