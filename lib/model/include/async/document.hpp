#pragma once
// A workspace file: TOML front matter between "+++" lines, then a Markdown body. Rewrites keep
// every other line of the front matter (unknown keys, comments, formatting) as it was. A file
// the team already had may have YAML front matter between "---" lines (Jekyll, Hugo, MkDocs,
// Obsidian, zk), read into the same values, or none at all (plain Markdown, read as a note):
// async never rewrites their front matter, but their body may change (a ticked task box).
#include <async/clock.hpp>
#include <async/schema.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace async {

class Document {
public:
    // Parses text; origin names the file in messages. Throws Error{data} with
    // "origin:line:col: message" for a missing or unclosed front matter, invalid UTF-8, NUL
    // bytes, invalid TOML or invalid YAML (parse_yaml's refusals). A UTF-8 BOM is skipped; CRLF
    // input is accepted and kept.
    // YAML front matter: a first line "---", YAML, then a "---" or "..." line. Its top-level
    // keys become the values below (a scalar is a string, a plain date or date-time such as
    // 2026-01-05 or 2026-01-05 10:00:00 a time, read as UTC without an offset; a sequence of
    // scalars a list; a nested mapping or sequence a string of its flow text). Where the file
    // does not say them: `created` is `date`, `author` is the first of `authors`, and `type` is
    // "note" unless `type` names a known type (schema). These derived keys are values but not
    // key_infos(): they are written nowhere.
    static Document parse(std::string_view text, std::string_view origin);
    // Like parse, but text without front matter is a plain Markdown document (front_matter_kind()
    // none, no keys, the whole text its body): what the index, check and readers accept.
    static Document parse_any(std::string_view text, std::string_view origin);

    // Which front matter the file has (none: plain Markdown, from parse_any only).
    enum class FrontMatter { toml, yaml, none };
    FrontMatter front_matter_kind() const { return m_kind; }

    // A document from front matter TOML text (without the +++ lines) and a body.
    static Document from_parts(std::string_view front_matter, std::string body);

    // Top-level front matter values. get_string reads strings (and renders other scalars as
    // text); get_time reads TOML date-times (and ISO 8601 strings); get_strings reads arrays
    // of strings (a single string is a one-element list).
    bool has(std::string_view key) const;
    std::optional<std::string> get_string(std::string_view key) const;
    std::optional<TimePoint> get_time(std::string_view key) const;
    std::vector<std::string> get_strings(std::string_view key) const;
    // Top-level keys in file order.
    std::vector<std::string> keys() const;
    // The TOML text of key's value as written (possibly several lines), nullopt when absent.
    std::optional<std::string> literal(std::string_view key) const;

    // What a top-level key holds, as TOML wrote it.
    enum class ValueKind { string, time, string_list, other_list, table, other };

    struct KeyInfo {
        std::string name;
        ValueKind kind = ValueKind::other;
        std::size_t line = 1;   // 1-based line of the file (as parse() counts) where it is written
        std::size_t column = 1; // 1-based column, in bytes
    };

    // Every top-level key (tables too) with where it is written and what it holds, in file
    // order: the positions check reports findings at.
    const std::vector<KeyInfo>& key_infos() const { return m_key_infos; }

    // Setters rewrite only the key's own lines (appending new keys before any [table]). On a
    // document without TOML front matter (YAML, or plain Markdown) they throw Error{usage}
    // naming the file, with the hint to adopt it with `async import`: async never rewrites
    // front matter it did not write, nor adds any to a team's file.
    void set_string(std::string_view key, std::string_view value);
    void set_time(std::string_view key, TimePoint value);
    void set_strings(std::string_view key, const std::vector<std::string>& values);
    // Sets key to a TOML literal as is; throws Error{data} when the result is not valid TOML.
    void set_literal(std::string_view key, std::string_view literal);
    void remove(std::string_view key);

    const std::string& front_matter() const { return m_front_matter; }
    const std::string& body() const { return m_body; }
    void set_body(std::string body);
    // 1-based line of the file where the body starts.
    std::size_t body_line() const { return m_body_line; }

    // The whole file text (CRLF again when the input used CRLF, the byte order mark kept); a
    // YAML document's front matter and its "---" lines as they were read.
    std::string render() const;

private:
    struct Value {
        enum class Kind { string, time, list, other } kind = Kind::other;
        std::string text;               // string value, or the TOML text of other scalars
        std::vector<std::string> items; // list elements that are strings
        std::optional<TimePoint> time;
        std::size_t first_line = 0;     // 0-based lines within m_front_matter
        std::size_t last_line = 0;
    };

    static Document parse_text(std::string_view text, std::string_view origin, bool plain);
    void reparse(std::string_view origin, std::size_t line_offset);
    void read_yaml(std::string_view origin);
    void require_own_front_matter() const;

    std::string m_front_matter;
    std::string m_body;
    std::size_t m_body_line = 1;
    bool m_crlf = false;
    bool m_bom = false; // the file began with a UTF-8 byte order mark (render keeps it)
    FrontMatter m_kind = FrontMatter::toml;
    std::string m_origin;      // the file, for the setters' refusal
    std::string m_open_fence;  // a YAML document's "---" lines as written (trailing blanks kept)
    std::string m_close_fence; // its closing line ("---" or "...")
    std::vector<std::pair<std::string, Value>> m_values; // top-level, file order
    std::vector<KeyInfo> m_key_infos;                    // top-level, tables too, file order
};

// The document at root/rel, read and parsed; rel (workspace-relative, as the index and a query
// give it) names the file in messages. The one way to re-read a document a query returned.
// Plain Markdown is a note where parse_workspace_document (model/note) says so. Throws Error{data} like
// Document::parse, and when the file cannot be read.
Document read_document(const std::filesystem::path& root, std::string_view rel);

// The 1-based line of text's first unresolved merge conflict: a "<<<<<<<" line outside fenced
// code, followed by a "=======" line and then a ">>>>>>>" line (git's markers, each at the start
// of its line: the first and last followed by a blank or the line's end, the middle alone).
// nullopt when there is none. The one test of "unresolved merge conflict" for the index (which
// skips such a file) and check (which reports it).
std::optional<std::size_t> find_merge_conflict(std::string_view text);

// A TOML parser's error description in our words: "Error while parsing date: …" becomes
// "invalid TOML in date: …" (messages already say "error").
std::string describe_toml_error(std::string_view description);

// The calendar rule of a rescheduled event (type "event"): when after's start or end differs
// from before's and after's sequence is not above before's, after's sequence becomes before's
// + 1, so every teammate's calendar moves the event it imported instead of keeping the old
// time. True when it changed after. `event move` and `async edit` (the editor, --file) apply it.
bool raise_sequence_if_rescheduled(const Document& before, Document& after);

// A new random id: 8 characters of [0-9a-z] from the system's CSPRNG (no coordination needed).
std::string new_id();

// A new document as every writer of a new file starts it: the keys of template_keys (a rendered
// template's front matter, may be empty), then a new id, type, title (left out when empty), author
// and created; the body as given. The caller adds the keys of its own type.
Document new_document(std::string_view type, std::string_view title, std::string_view author,
                      TimePoint created, std::string body, std::string_view template_keys = {});

// A safe ASCII file name part from a title: lower-case letters, digits and '-', at most 50
// characters, common Latin accents folded; "untitled" when nothing is left.
std::string slugify(std::string_view title);

} // namespace async
