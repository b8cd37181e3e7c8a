#pragma once
// Practice 1, write-ups instead of meetings: documents from the doc-new templates (doc,
// decision, sop, onboarding, post, watercooler) with reviewers and a feedback deadline.
#include <async/attachments.hpp>
#include <async/clock.hpp>
#include <async/query.hpp>
#include <async/session.hpp>
#include <async/writing.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace async {

class Config;
class Env;
class Workspace;

struct NewWriteup {
    std::string title;                 // may be empty when --file gives a whole document
    std::string template_name = "doc";
    std::vector<std::string> reviewers; // handles, normalised by the callee
    std::optional<TimePoint> due;
    std::vector<std::string> tags;
    std::vector<std::filesystem::path> attachments; // copied into the bundle's attachments/ and linked
    BodyInput body;
};

struct Written {
    std::string id;
    std::filesystem::path path;
    std::vector<std::filesystem::path> attached = {}; // the copies of its attachments, transcripts included
};

// The resume command of a composer with attachments: base followed by " --attach PATH" for each
// (absolute, quoted for sh), so a resumed draft gets the same files.
std::string with_attach_flags(std::string base, const std::vector<std::filesystem::path>& attachments);

// Renders the template, runs the editor flow and writes docs/<date>-<slug>/index.md, then
// copies the attachments (checked before the editor opens: plan_attachments) into its
// attachments/ folder and links them. The author is session.me. Throws Error{usage} for an
// unknown template, a bad handle or a bad attachment, and whatever compose_document throws for
// the abort paths.
Written create_writeup(const Session& session, const NewWriteup& request);

// Copies attachments into doc's own attachments folder (own_attachments_link: a bundle's
// attachments/, a reply's replies/attachments/<stem>/) and links the ones its body does not link
// yet, for `async attach`. One writer per file: doc must be session.me's (its author), else
// Error{usage} with the hint to reply or respond with the files instead. Error{usage} too for a
// document that cannot have attachments of its own (a summary) and for a bad attachment (all
// checked before anything is copied). A file already there with the same name and content is
// not copied again (AttachedFile::already_there).
Attached attach_files(const Session& session, const DocSummary& doc, const std::vector<std::filesystem::path>& attachments);

// The one-writer rule for a document's own file: throws Error{usage} "'PATH' is bob's: only its
// author writes to it" with hint unless session.me wrote doc.
void require_own_document(const Session& session, const DocSummary& doc, const std::string& hint);

struct TagEdit {
    std::vector<std::string> tags; // the document's tags afterwards, in front matter order
    bool changed = false;
};

// Why text cannot be a tag (empty, over 64 bytes, whitespace, a comma, a control or invisible
// character, invalid UTF-8, a leading '+' or '-'), or nullopt.
std::optional<std::string> tag_problem(std::string_view text);

// Edits the tags of doc (front matter "tags", every other line kept): removes those in remove,
// then appends those in add it does not have yet. Under the file's lock, atomic. Only the
// author's file (require_own_document); Error{usage} for a bad tag (tag_problem, all checked
// before anything is read), Error{data} when the file cannot be read or parsed. Nothing is
// written when nothing changes.
TagEdit edit_tags(const Session& session, const DocSummary& doc, const std::vector<std::string>& add,
                  const std::vector<std::string>& remove);

// The templates `doc new --template` accepts.
const std::vector<std::string>& writeup_templates();

} // namespace async
