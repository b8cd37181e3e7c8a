#pragma once
// Questions asked of the index: listing with filters, REF resolution, threads, full-text
// search, actions and decisions across the workspace. Callers refresh the index first.
#include <async/clock.hpp>
#include <async/schema.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace async {

class Index;

struct DocSummary {
    std::int64_t rowid = 0;
    std::string id;
    std::string path;    // relative to the workspace root
    std::string type;
    std::string title;   // display_title (schema.hpp): an untitled reply is "Re: <doc> — bob's reply"
    std::string author;
    std::optional<TimePoint> created;
    std::string status;
    std::optional<TimePoint> due;
    std::string parent;  // path of the document a reply/response/summary belongs to, else empty
    std::vector<std::string> tags;
    std::vector<std::string> reviewers;    // front matter reviewers
    std::vector<std::string> participants; // front matter participants
};

enum class SortKey { created, due, title, type };

struct ListFilter {
    std::optional<std::string> type;
    std::optional<std::string> author;
    std::optional<std::string> status;
    std::vector<std::string> tags;       // every tag must be present
    std::optional<TimePoint> since;      // created at or after
    std::optional<TimePoint> until;      // created at or before
    SortKey sort = SortKey::created;
    bool reverse = false;                // newest first is the default for created
    std::size_t limit = 0;               // 0: no limit
    bool include_children = false;       // replies, responses, summaries (always with --type of one)
};

// Documents matching filter.
std::vector<DocSummary> list_documents(Index& index, const ListFilter& filter);

// The document a REF names: an id, a unique id prefix of 4+ characters, or a path (relative to
// cwd or the workspace root, or absolute). Throws Error{no} when nothing matches and when a
// prefix is ambiguous (the hint lists the candidates).
DocSummary resolve_ref(Index& index, std::string_view ref, const std::filesystem::path& cwd);

// Replies, responses and the summary that belong to doc, oldest first.
std::vector<DocSummary> children_of(Index& index, const DocSummary& doc);

// children_of each of docs, by the document's path (a document without children has no
// entry): one question for all of them, where a loop of children_of asks one each.
std::unordered_map<std::string, std::vector<DocSummary>> children_of_each(Index& index,
                                                                          const std::vector<DocSummary>& docs);

struct SearchFilter {
    std::optional<std::string> type;
    std::optional<std::string> author;
    std::size_t limit = 20;
};

struct SearchHit {
    DocSummary doc;
    std::string snippet;    // with the matches between "\x02" and "\x03" markers
    double rank = 0;        // bm25: lower is better
};

// A field term of the query language: tag:web, type:decision, author:bob, status:open, each
// negated with a leading '-' (-tag:draft). Field names are case-insensitive; the value is
// compared as written (author: as a handle, lower-case).
struct FieldTerm {
    std::string field; // "tag", "type", "author", "status"
    std::string value;
    bool negated = false;
};

struct SearchQuery {
    std::string fts;               // the words in FTS5 syntax; empty when the query is fields only
    std::vector<FieldTerm> fields; // every one must hold (AND), in the order written
};

// Translates the user's query language (words, "phrases", OR, -not, prefix*, and the field
// terms) to FTS5 syntax and field terms. Throws Error{usage} with a message in our words for
// malformed queries: among them OR beside a field term, an empty field value, and a query
// with nothing to find (no word and no field).
SearchQuery parse_search_query(std::string_view query);

// The FTS5 part of parse_search_query (empty for a query of fields only).
std::string to_fts_query(std::string_view query);

// Ranked full-text search (title weighted above body and transcripts), narrowed by the query's
// field terms and filter; a query of field terms only lists the documents that match them,
// newest first, without a snippet.
std::vector<SearchHit> search(Index& index, std::string_view query, const SearchFilter& filter);

enum class ActionState { open, done, all };

struct ActionRow {
    std::string handle;     // stable short reference: hash of document id, text and occurrence
    std::shared_ptr<const DocSummary> doc; // shared by the actions of one document; never null
    std::size_t line = 0;   // line in the file
    std::string owner;
    std::optional<std::string> due; // ISO date as written (YYYY-MM-DD)
    std::optional<TimePoint> due_at; // when it is due (due.hpp: 17:00 local that day)
    bool done = false;
    std::string text;
};

struct ActionFilter {
    std::optional<std::string> owner;
    ActionState state = ActionState::open;
    std::optional<TimePoint> overdue_at; // only open actions overdue at this instant (due.hpp)
    std::string handle_prefix;           // only actions whose handle starts with it
};

// Actions across the workspace, due ones first (by due date), then by document and line. Those
// of a meeting's agenda and responses are left out once the meeting has a summary.
std::vector<ActionRow> list_actions(Index& index, const ActionFilter& filter);

// The action a handle (or unique handle prefix of 4+ characters) names; Error{no} otherwise.
ActionRow resolve_action(Index& index, std::string_view handle);

struct DecisionRow {
    DocSummary doc;
    std::size_t line = 0;
    std::string text;
    std::optional<TimePoint> taken; // when the decision was taken (see list_decisions)
};

// Decisions across the workspace, most recently taken first; since keeps those taken at or
// after it. A decision is taken when its file was written (its `created`: a reply's decision
// has the reply's date, a meeting's the summary's), except an outcome recorded under an
// "Outcome" heading of a closed document, taken when the document was closed (`closed`).
// Those of a meeting's agenda and responses are left out once the meeting has a summary.
std::vector<DecisionRow> list_decisions(Index& index, std::optional<TimePoint> since);

// A file the index knows, as of its last refresh.
struct IndexedFile {
    std::string path;    // relative to the workspace root, '/'-separated
    bool transcript = false;
    std::string problem; // why the refresh skipped it (empty: indexed)
};

// Every file and unreadable folder the index knows, sorted by path (byte order).
std::vector<IndexedFile> indexed_files(Index& index);

// A document as links name it: its path, id (empty when the file has none) and title as
// written in the file (not display_title).
struct LinkableDoc {
    std::string path;
    std::string id;
    std::string title;
};

// Every document row of the index as links name it, in no order (check's ids and titles).
std::vector<LinkableDoc> document_ids(Index& index);

enum class LinkKind {
    reference, // "#id": an id or a unique id prefix
    wiki,      // "[[target]]": an id, else a title, else a file name
    file,      // a relative link to a .md file
};

// "reference", "wiki", "file" (the index's column and the --json value).
std::string_view to_string(LinkKind kind);

// What a link of kind is looked up by: a reference's id as written; a wiki target lower-cased
// (ASCII letters); a file link's target (a decoded relative path) joined to the folder of
// from_path, the linking file's workspace path, and made normal ("" when it leaves the
// workspace, which names no document).
std::string link_key(LinkKind kind, std::string_view target, std::string_view from_path);

// The documents links can name, looked up the one way the index, `links`, `show` and `check`
// resolve them (link_key's keys):
// - reference: the document with that id, else every document whose id starts with it;
// - wiki: the documents with that id, else those with that title, else those whose file name
//   without ".md" (a bundle's index.md: its folder's name) is it, case-insensitively (ASCII);
// - file: the document at that path.
// One path: resolved; several: ambiguous (it names none of them); none: not found.
class LinkTargets {
public:
    explicit LinkTargets(const std::vector<LinkableDoc>& docs);
    std::vector<std::string> resolve(LinkKind kind, std::string_view key) const;

private:
    std::map<std::string, std::vector<std::string>, std::less<>> m_by_id; // sorted: prefixes
    std::unordered_map<std::string, std::vector<std::string>> m_by_title;
    std::unordered_map<std::string, std::vector<std::string>> m_by_stem;
    std::unordered_set<std::string> m_paths;
};

// A link written in a document.
struct LinkRow {
    LinkKind kind = LinkKind::wiki;
    std::string target;               // as written: the wiki target, the id, the relative path
    std::size_t line = 0;             // line in the linking file
    std::optional<DocSummary> doc;    // the document it resolves to
    std::size_t candidates = 0;       // documents it could name: 0 not found, 2+ ambiguous
};

// The links written in doc, in the order of the file (line, then column), each resolved now
// against the index (a document created after doc was indexed resolves without reindexing doc).
std::vector<LinkRow> links_from(Index& index, const DocSummary& doc);

// A document linking to another.
struct Backlink {
    DocSummary doc;       // the linking document
    LinkKind kind = LinkKind::wiki;
    std::size_t line = 0; // the link's line in it
};

// The documents whose links resolve to doc (not doc itself), one row per linking document (its
// first link to doc), ordered by path.
std::vector<Backlink> linked_from(Index& index, const DocSummary& doc);

// Open documents (status not closed) that list handle under role ("reviewers", "participants")
// and have no child of child_type ("reply", "response") written by handle, oldest first.
std::vector<DocSummary> awaiting_answer(Index& index, std::string_view handle, std::string_view role,
                                        std::string_view child_type);

// Open top-level documents (status not closed, no parent) written by handle (compared
// lower-cased), oldest first: what an author waits to hear back on.
std::vector<DocSummary> open_documents_by(Index& index, std::string_view handle);

// Documents by others, created at or after since, that mention @handle; oldest first.
std::vector<DocSummary> mentioning(Index& index, std::string_view handle, TimePoint since);

// Captured items (type "item") for handle: under people/<handle>/inbox/ or with handle in
// their `for` list; oldest first.
std::vector<DocSummary> items_for(Index& index, std::string_view handle);

// A document's id with its title.
struct IdTitle {
    std::string id;
    std::string title;
    std::string path; // relative to the workspace root
};

// Ids and titles of top-level documents (of type, when given) whose id starts with prefix,
// newest first: two columns straight from the index, for completing thousands of ids at a
// keypress (list_documents also loads every document's tags and people).
std::vector<IdTitle> ids_by_prefix(Index& index, const std::optional<std::string>& type, std::string_view prefix);

} // namespace async
