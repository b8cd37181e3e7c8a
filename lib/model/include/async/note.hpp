#pragma once
// A note: a Markdown file the team already had, without front matter, indexed read-only. What
// it is called and its id are derived here, once, for the index and check; who wrote it and
// when come from git history (asked by the index through a callback) or the file.
#include <async/markdown.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace async {

// The type every plain Markdown file has.
inline constexpr std::string_view k_note_type = "note";

// The author of a note that history does not know (not in git, or not committed yet).
inline constexpr std::string_view k_unknown_author = "unknown";

// A note's id: k_id_length characters of [0-9a-z] derived from its workspace-relative path
// (an FNV-1a hash), so that it is the same on every clone and at every rebuild, and can be
// given as a REF. Moving the file gives it another id.
std::string note_id(std::string_view path);

// A note's title: its first level-1 heading, unless that heading only names a section every
// document of its kind has ("Summary", "Abstract", "Motivation"…, as RFCs start); else the
// file's name without ".md" (the folder's name for index.md and README.md).
std::string note_title(std::string_view path, const std::vector<Heading>& headings);

class Document;

// The text of the workspace file at path (workspace-relative) as a Document: where the team's
// own documents live (layout's FileKind::document: docs/…) a file without front matter is a
// note (Document::parse_any); anywhere else (meetings, check-ins, replies, captured items:
// async's own shapes) front matter is required (Document::parse). The one rule for the index,
// check and read_document.
Document parse_workspace_document(std::string_view text, std::string_view path);

// What the index stores as a document's id, type and title: what its front matter says; for a
// file without TOML front matter, what it does not say is a note's (note_id, k_note_type,
// note_title); a TOML document without a type has its path's (layout's default_type).
// The id the index stores for doc at path: its front matter's, else (a note) note_id(path). What
// an action's handle is computed from.
std::string document_id(const Document& doc, std::string_view path);

struct DocumentNames {
    std::string id;
    std::string type;
    std::string title;
};
DocumentNames names_of(const Document& doc, std::string_view path, const std::vector<Heading>& headings);

} // namespace async
