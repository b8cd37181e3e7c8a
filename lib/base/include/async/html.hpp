#pragma once
// Safe HTML and XML output: escaping, URL checks, and Markdown rendered with md4c-html so that
// nothing from a file becomes markup it did not ask for (raw HTML is escaped, hostile link
// schemes are neutralised, remote images become links).
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace async {

// text escaped for HTML or XML text and attribute values (& < > " '). Characters XML 1.0 does
// not allow (C0 controls except tab/LF/CR, U+FFFE, U+FFFF) and invalid UTF-8 become U+FFFD.
std::string escape_html(std::string_view text);

// url when it is safe in an href or src: relative (no scheme), or http:, https:, mailto:
// (case-insensitive); "#" for anything else (javascript:, data:, vbscript:, file:…).
std::string safe_url(std::string_view url);

// True for URLs with a scheme that loads from elsewhere (http:, https:, "//host").
bool is_remote_url(std::string_view url);

// Why url cannot be a site's base URL (an absolute http or https URL with a host, without
// query, fragment, quotes, backslashes or blanks), or nullopt when it can.
std::optional<std::string> base_url_problem(std::string_view url);

// text percent-encoded for one path segment of a URL (unreserved characters kept).
std::string url_encode_segment(std::string_view text);

// Maps a "#id" reference (the id without '#') to the URL of its page, nullopt when unknown.
using IdResolver = std::function<std::optional<std::string>(std::string_view id)>;

// Maps a relative URL (no scheme, not "#…" or "/…") to the one to write, e.g. to prefix it
// for a page elsewhere.
using RelativeUrl = std::function<std::string(std::string_view url)>;

// markdown (CommonMark + GitHub tables, strikethrough, task lists, autolinks) as HTML through
// md4c-html with raw HTML disabled (it is shown as text). Link targets pass safe_url (and
// relative ones relative_url when given); remote images become plain links (a page loads
// nothing from elsewhere); "#id" link targets and bare "#id" references in text (not in code or
// links) that resolve_id knows become links to their pages. Never throws on any input.
std::string markdown_to_html(std::string_view markdown, const IdResolver& resolve_id,
                             const RelativeUrl& relative_url = {});

} // namespace async
