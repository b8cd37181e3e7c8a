#pragma once
// The editor flow every command that writes a file shares: the body from -m, --file or the
// template; the editor; the abort paths (no changes, editor failure, invalid front matter)
// with drafts kept in .async/local/drafts/; and claiming a new page-bundle folder.
#include <async/clock.hpp>
#include <async/document.hpp>
#include <async/session.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace async {

class Workspace;

enum class EditChoice {
    automatic, // open the editor unless -m or --file gave the text
    always,    // --edit: open the editor even with -m/--file
    never,     // --no-edit: write the rendered template (or -m/--file text) as is
};

struct BodyInput {
    std::optional<std::string> message;   // -m TEXT: the body
    std::optional<std::string> file_text; // --file: a body, or a whole document with front matter
    std::filesystem::path file_path;      // where file_text came from ("-" for stdin)
    EditChoice edit = EditChoice::automatic;
};

struct ComposeRequest {
    Document initial;           // generated front matter + rendered template body
    std::string resume_command; // "async doc new": the hint prints "<it> --file DRAFT --edit"
    std::string draft_stem;     // names the draft file, e.g. the title's slug
    std::vector<std::string> required_keys; // front matter strings that must not end up empty
    bool keep_unchanged = false; // the initial text is already a result (a compiled summary):
                                 // saving it unchanged is not an abort
    bool allow_empty_body = false; // attachments are the content (a voice note): an empty
                                   // body is not an abort
};

// Produces the document to write from request and input, opening the editor when asked.
// Throws Error{no} "aborted: no changes" (unchanged template unless keep_unchanged, or blank
// body unless allow_empty_body, nothing kept),
// Error{no} when the editor fails (text kept as a draft, resume hint; Error{interrupted} when
// it was interrupted), Error{data} with "draft:line:col" when the front matter is invalid and
// Error{usage} when a required key is empty (text kept as a draft in both). On success the
// draft is removed, and so is a draft passed back in with --file.
Document compose_document(const Session& session, const ComposeRequest& request, const BodyInput& input);

// A rendered template may begin with a "+++" block of default front matter keys: returns the
// block's front matter (empty without one) and the body after it, leading newlines removed.
// Throws Error{data} naming the template when the block is not valid TOML.
std::pair<std::string, std::string> split_rendered_template(std::string_view rendered,
                                                            std::string_view template_name);

enum class EditOutcome { saved, unchanged };

// Rewrites an existing file: input's -m/--file text replaces the body (or, with front matter,
// the whole document), and the editor opens on a draft copy unless input says otherwise (the
// file itself is never half-written). Unchanged → EditOutcome::unchanged, nothing written.
// Editor failure or invalid front matter → the draft is kept and Error{no|data} says where.
// When the file changed on disk while the editor was open, it is not overwritten: Error{no}
// says where the edited text is kept.
EditOutcome edit_existing(const Session& session, const std::filesystem::path& file, const BodyInput& input);

// Claims section/<local date of created>-<slug>/ with mkdir (suffixes -2, -3… when taken), so
// two writers never share one; returns the new, empty folder. Throws Error{data} after 9,999
// names, Error{environment|data} when the folder cannot be made.
std::filesystem::path claim_bundle_folder(const Workspace& ws, std::string_view section,
                                          TimePoint created, std::string_view slug);

// Creates section/<local date of created>-<slug>/ (suffixes -2, -3… when taken, claimed with
// mkdir so two writers never share one) and writes doc as its index.md. Returns the path.
std::filesystem::path write_new_bundle(const Workspace& ws, std::string_view section,
                                       TimePoint created, std::string_view slug,
                                       const Document& doc);

} // namespace async
