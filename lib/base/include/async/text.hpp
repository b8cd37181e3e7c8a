#pragma once
// Text hygiene: UTF-8 validation and the one sanitiser every piece of file text passes through
// before it reaches a terminal.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace async {

// Byte offset of the first invalid UTF-8 sequence (or NUL byte) in text, nullopt when clean.
std::optional<std::size_t> find_invalid_utf8(std::string_view text);

// 1-based line and column (in bytes) of offset in text.
struct LineCol {
    std::size_t line = 1;
    std::size_t column = 1;
};
LineCol line_col_at(std::string_view text, std::size_t offset);

enum class Newlines { keep, flatten };

// True when every byte is printable ASCII (space to '~'): one column each, nothing for
// sanitize_for_terminal to change.
bool is_printable_ascii(std::string_view text);

// The code point of the UTF-8 sequence at text[i] in cp and its length (1..4); 0 when the bytes
// there are not valid UTF-8 (overlong forms, surrogates, code points above U+10FFFF).
std::size_t decode_utf8(std::string_view text, std::size_t i, char32_t& cp);

// True for code points that are not shown but change how what surrounds them is shown: C1
// controls (U+0080..U+009F; U+009B starts a terminal escape) and bidirectional formatting
// (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069). JSON escapes them; calendars,
// check-ins and terminals drop them.
bool is_invisible_control(char32_t cp);

// text without control characters (C0 but tab and newline, DEL) and invisible controls,
// invalid UTF-8 as U+FFFD; with Newlines::flatten tabs and newlines become spaces.
std::string strip_controls(std::string_view text, Newlines newlines);

// text made safe for a terminal: control characters (C0 except tab/newline, DEL, C1) are shown
// in caret notation (ESC -> "^["), bidirectional overrides are removed, invalid UTF-8 becomes
// U+FFFD. With Newlines::flatten, newlines and tabs become spaces (for one-line cells).
std::string sanitize_for_terminal(std::string_view text, Newlines newlines = Newlines::keep);

// Lower-case ASCII copy.
std::string to_lower_ascii(std::string_view text);

// text without leading and trailing ASCII blanks (space, tab, CR, LF).
std::string_view trim(std::string_view text);

// Splits text at sep, dropping empty parts after trimming each ("a, b,,c" -> a b c).
std::vector<std::string> split_list(std::string_view text, char sep = ',');

// Columns text takes on a terminal: code points, with East Asian wide characters and emoji
// counted as 2 and combining marks as 0. Invalid bytes count 1.
std::size_t display_width(std::string_view text);

// text cut to at most width columns, ending in "…" when it was cut (never splitting a
// character).
std::string truncate_to_width(std::string_view text, std::size_t width);

// text as a TOML basic string literal, quotes included, with every control character escaped.
std::string toml_quote(std::string_view text);

// sh single-quoted text ('it'\''s'), safe for any bytes but NUL: what a printed command
// (a hook, a resume hint) gives sh for a path or a title.
std::string shell_quote(std::string_view text);

// text on one line: runs of ASCII whitespace (space, tab, CR, LF, FF, VT) become one space, none
// at either end.
std::string one_line(std::string_view text);

// Why address is not a plain addr-spec (local@domain) fit for a mail header and a sendmail
// argument ("it is empty", "it starts with '-'", "it contains ' '"…), nullopt when it is one.
// The one rule for reminder addresses and for `config set` of mail.from and people.*.email.
std::optional<std::string> address_problem(std::string_view address);

// 7 hex digits of a 64-bit FNV-1a hash of text: the short, stable handles of actions and inbox
// items. Its offset basis, 1469598103934665603, is FNV's published one without the last digit;
// handles live in state files and scripts, so it must never change.
std::string short_hash(std::string_view text);

// The candidates closest to word, for "did you mean": those at the smallest edit distance
// (insertions, deletions, substitutions and swaps of neighbours; case ignored) when it is at
// most 2 and less than half of word's length, plus those that start with word; in the order
// given. Empty when nothing is close.
std::vector<std::string> closest_words(std::string_view word, const std::vector<std::string>& candidates);

// line_col_at for many offsets of one text, where a line break is "\n", "\r\n" or a lone "\r"
// (as CommonMark counts them, for positions in a Markdown body). Built in one pass; each
// lookup is a binary search, so k positions cost O(n + k log n), never O(n k).
class LineIndex {
public:
    explicit LineIndex(std::string_view text);
    // An offset past the end counts as the end.
    std::size_t line_of(std::size_t offset) const;
    LineCol at(std::size_t offset) const;

private:
    std::size_t m_size;
    std::vector<std::size_t> m_starts; // offset of each line's first byte; m_starts[0] == 0
};

// short_hash of the parts one after the other, without joining them first.
std::string short_hash(std::initializer_list<std::string_view> parts);

// The offset basis async's ids have always been derived with (short_hash, note ids, action
// handles). It is not FNV's published basis, but changing it would rename every id.
inline constexpr std::uint64_t k_async_hash_basis = 1469598103934665603ULL;
// FNV's published 64-bit offset basis, for hashes other tools may recompute (imported_hash).
inline constexpr std::uint64_t k_fnv1a_offset_basis = 14695981039346656037ULL;

// The 64-bit FNV-1a hash of the parts one after the other, from basis: for stable names derived
// from text, such as a plain Markdown file's id.
std::uint64_t fnv1a_64(std::initializer_list<std::string_view> parts,
                       std::uint64_t basis = k_async_hash_basis);

// The first digits (at most 16) of value in lowercase hexadecimal, most significant first.
std::string leading_hex(std::uint64_t value, int digits);

// Whether c is one of the ASCII digits 0-9 (never locale-dependent).
constexpr bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

// The lines of text without their '\n' ("\r" stays): a final line without '\n' counts, and a
// final '\n' starts no empty line. The views point into text.
std::vector<std::string_view> split_lines(std::string_view text);

} // namespace async
