#pragma once
// `async import`: adopting Markdown files the team already has (an adr-tools ADR folder, notes,
// YAML front matter pages) as bundles docs/<date>-<slug>/index.md with TOML front matter. Files
// tracked in the workspace's git repository are moved with `git mv` (history kept); any other
// file is copied and left as it was. Each new document records where it came from
// (`imported_from`) and what it held (`imported_hash`), so a second run recognises it.
#include <async/clock.hpp>
#include <async/session.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace async {

class Index;

// What an adr-tools record says about itself.
struct AdrRecord {
    int number = 0;                  // NNNN of the file name
    std::string title;               // the "# N. Title" heading without "N. ", one line, no controls
    std::optional<std::string> date; // YYYY-MM-DD of the "Date:" line before the first "## " heading
    std::string status;              // the first paragraph under "## Status", one line; "" without one
};

// The ADR in text when file_name is adr-tools' "NNNN-slug.md" and text has a "# " title line and
// a "## Status" section or a "Date:" line; nullopt for anything else. Never throws; a title or
// status is cut to 500 bytes (on a character boundary), invalid UTF-8 becomes U+FFFD.
std::optional<AdrRecord> parse_adr(std::string_view file_name, std::string_view text);

// Our status for an ADR's status wording: "Proposed" (and anything unknown or empty) is open,
// "Draft" draft, "Accepted", "Rejected", "Deprecated" and "Superseded by …" closed (decided).
std::string status_of_adr(std::string_view adr_status);

// "fnv1a64:<16 hex digits>" of bytes: the imported_hash of an imported file's original text.
std::string import_hash(std::string_view bytes);

enum class ImportMethod {
    git_move, // tracked in the workspace's repository: `git mv`, then the front matter written
    copy,     // outside it (or untracked, or no git): copied, the original untouched
};

enum class ImportResult {
    imported,         // written (or moved) now
    planned,          // --dry-run: what would be written
    already_imported, // a document records this origin (or this file name with these bytes)
    skipped,          // not importable: reason says why; nothing written for it
};

struct ImportItem {
    std::filesystem::path source;      // absolute
    std::string origin;                // imported_from: workspace-relative inside it, else absolute
    ImportResult result = ImportResult::skipped;
    ImportMethod method = ImportMethod::copy;
    std::string kind;                  // "adr", "markdown" or "document" (TOML or YAML front matter)
    std::string type, title, author, status, adr_status, id;
    TimePoint created{};
    std::filesystem::path destination; // absolute index.md: written, planned or already there
    std::string reason;                // skipped: why
};

struct ImportRequest {
    std::vector<std::filesystem::path> sources; // files and folders (folders: their .md files)
    bool dry_run = false;
};

// Imports request's sources for session.me into session.workspace, asking index which
// documents were imported before. Folders are walked in name order (hidden entries, symbolic
// links and non-.md files left out); a file given by name is imported whatever its extension.
// Unreadable, over 4 MiB, invalid UTF-8 or NUL, unparsable front matter: that item is skipped
// with a reason and the rest go on. Nothing is ever overwritten (a taken folder name gets -2,
// -3…). Throws Error{no} before writing anything when a source does not exist and no document
// records it, Error{environment|data} when a write or `git mv` fails.
std::vector<ImportItem> import_files(const Session& session, Index& index, const ImportRequest& request);

} // namespace async
