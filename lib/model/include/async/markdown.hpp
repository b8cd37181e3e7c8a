#pragma once
// What async reads out of a Markdown body with md4c (CommonMark + GitHub task lists), never
// with regular expressions: actions, decisions, mentions, headings, links. Nothing inside code
// blocks or inline code counts; nothing inside a block quote is an action or a decision.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace async {

struct Action {
    std::string text;                 // the item's text without the checkbox, '@owner' and 'due:' kept out
    std::string raw;                  // the item's text as written (one line, markup stripped)
    std::optional<std::string> owner; // first @handle in the item, lower-cased, without '@'
    std::optional<std::string> due;   // the ISO date after "due:" (2026-12-01), as written
    // Without a due date: what follows the item's first "due:" (due:friday, due:2026-02-30), as
    // written without trailing punctuation, empty when nothing does; nullopt when no "due:".
    std::optional<std::string> unread_due;
    bool done = false;                // "- [x]" / "- [X]"
    std::size_t line = 0;             // 1-based line in the body where the item's checkbox is
};

// An action's stable handle (7 hex digits, as `async actions` prints it): a hash of its
// document's id, its raw text and its occurrence (1, 2, …) among the actions of that document
// with the same raw text, in line order. Computed when the index is built.
std::string action_handle(std::string_view doc_id, std::string_view raw, std::size_t occurrence);

struct Decision {
    std::string text;   // without the "Decision:" prefix, one line, markup stripped
    std::size_t line = 0;
    bool in_outcome = false; // under a heading named "Outcome" (where `doc close` records one)
};

struct Heading {
    int level = 1;
    std::string text;
    std::size_t line = 0;
};

// A place in the body: 1-based line and byte column; {0, 0} when md4c gave the text no place
// in the input (text it generated itself).
struct BodyPosition {
    std::size_t line = 0;
    std::size_t column = 0;
};

struct Extracted {
    std::vector<Action> actions;
    std::vector<Decision> decisions;   // list items or paragraphs starting with "Decision:",
                                       // and list items under a heading named "Decisions"
    std::vector<std::string> mentions; // @handles in text (not in code, not e-mail addresses), unique, in order
    std::vector<BodyPosition> mention_positions; // where each of mentions first appears (same order)
    std::vector<Heading> headings;
    // "#id" references (4-8 chars [0-9a-z]) in text or link targets, unique, in order; not one
    // that names a heading of the body ("#summary" under "# Summary" jumps within the page)
    std::vector<std::string> links;
    std::vector<BodyPosition> link_positions; // where each of links first appears: its '#', or the
                                              // text of a link whose target is "#id"
    std::vector<std::string> attachments; // relative link targets under attachments/ (images and links)
    // Every link or image whose target is a relative path (no scheme, not "#…", not "/…"): the
    // path percent-decoded, without "?query" and "#fragment", in order, repeats kept; and where
    // each target is written (same order). What check looks for on disk.
    std::vector<std::string> file_links;
    std::vector<BodyPosition> file_link_positions;
    // Every wiki link "[[target]]", "[[target|label]]", "[[target#heading]]" outside code (md4c's
    // wiki links: the target at most 100 bytes, on one line): the target before '#' and '|',
    // trimmed, in order, repeats kept; and where each "[[" is (same order). "[[#heading]]"
    // is not one.
    std::vector<std::string> wiki_links;
    std::vector<BodyPosition> wiki_link_positions;
    std::string plain;                 // the body's text without markup, for full-text search
};

// Extracts everything from a Markdown body. Never throws on any input (invalid UTF-8, NUL,
// huge, deeply nested): what cannot be parsed is simply not extracted.
Extracted extract_markdown(std::string_view body);

// The text of body's blocks that mention @handle (lower-case, without '@'), as extract_markdown
// finds mentions (never in code or e-mail addresses), one block a line, in order; empty when
// none does. What a mention of someone says, so that an edit elsewhere leaves it alone.
std::string mention_context(std::string_view body, std::string_view handle);

// text as Markdown inline text that shows it literally (every ASCII punctuation character
// escaped): a file name as link text, a handle beside bold markers.
std::string markdown_literal(std::string_view text);

} // namespace async
