#pragma once
// The workspace's folders and file shapes, and the one answer to "what kind of file is this?"
// that the index, check, sync, publish and the practices all ask:
//
//   docs/<bundle>/index.md              a document (any doc template)
//   docs/<bundle>/replies/<file>.md     a reply to it
//   meetings/<bundle>/index.md          an agenda
//   meetings/<bundle>/responses/<h>.md  a response
//   meetings/<bundle>/summary.md        the summary written by `meeting close`
//   <section>/<bundle>/attachments/…    linked files; a .vtt or .srt, or a .txt beside an audio
//                                       or video file of the same name, is a transcript
//   <folder>/attachments/<stem>/…       the linked files of <folder>/<stem>.md when that is not a
//                                       bundle's index.md: a reply, a response, a check-in
//   checkins/<period>/<handle>.md       a check-in (period: 2026-W48, or 2026-12-07 when daily)
//   checkins/<period>/<handle>/replies/<file>.md   a comment on it (a reply)
//   people/<handle>/inbox/…, *.md       captured items
//   people/<handle>/state.toml          that person's triage decisions
//   people/<handle>/actions.md          that person's captured actions (`actions add`), an item
//   people/<handle>/reminded.toml       the reminder mails that person's `remind --mail` sent
//   people/<handle>/away.toml           that person's absences (`async away`)
//   .async/config.toml, .async/templates/…
//
// Every .md file under a section is indexed (its default type comes from where it lies);
// names starting with '.' are never the workspace's.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace async {

// The folders of the workspace that hold documents, in the order the index walks them.
inline constexpr std::string_view k_docs = "docs";
inline constexpr std::string_view k_meetings = "meetings";
inline constexpr std::string_view k_checkins = "checkins";
inline constexpr std::string_view k_people = "people";
inline constexpr std::string_view k_sections[] = {k_docs, k_meetings, k_checkins, k_people};

// The folder of a bundle that holds its linked files (the body links them as attachments/…).
inline constexpr std::string_view k_attachments = "attachments";

// The file of a bundle that is its document: docs/<bundle>/index.md, meetings/<bundle>/index.md.
inline constexpr std::string_view k_bundle_file = "index.md";

// The paths of the team's files, relative to the root (what `sync` stages): the sections, the
// team's settings and templates, the .gitignore; never the index or .async/local/.
inline constexpr std::string_view k_team_paths[] = {
    k_sections[0], k_sections[1], k_sections[2], k_sections[3], ".async/config.toml", ".async/templates",
    ".gitignore"};

// Files bigger than this are not read (the index skips them with a warning, check reports them,
// publish leaves transcripts out): nobody writes a 4 MiB memo by hand.
inline constexpr std::int64_t k_max_file_size = 4 * 1024 * 1024;

// Attachments bigger than this are refused: a git host refuses files of 100 MiB and more, and
// an hour of voice or a short screen recording fits well below it.
inline constexpr std::int64_t k_max_attachment_size = 100 * 1024 * 1024;

// Folders nested deeper than this many levels below the workspace root are not walked.
inline constexpr std::size_t k_max_folder_depth = 32;

enum class FileKind {
    document,    // an indexed .md file of its own: docs/…, and anything not named below
    meeting,     // an indexed .md file under meetings/ (an agenda)
    reply,       // …/replies/….md
    response,    // …/responses/….md
    summary,     // meetings/…/summary.md
    checkin,     // checkins/….md
    item,        // people/….md (captured inbox items)
    transcript,  // indexed with its bundle's document for search
    attachment,  // any other file in an attachments/ folder
    inbox_state, // people/<handle>/state.toml
    reminded,    // people/<handle>/reminded.toml
    away,        // people/<handle>/away.toml
    config,      // .async/config.toml
    template_file, // .async/templates/…
    other,       // not the workspace's (README.md at the root, code, hidden files)
};

// Whether a sibling file exists, given its workspace-relative path: decides whether a .txt in
// attachments/ is a transcript.
using SiblingExists = std::function<bool(std::string_view rel)>;

// What the workspace-relative, '/'-separated path rel is, from its shape alone (files are not
// read). sibling_exists answers for the audio or video file beside a .txt in attachments/;
// without it such a .txt is an attachment.
FileKind classify(std::string_view rel, const SiblingExists& sibling_exists = {});

// True for the kinds the index holds: every .md kind and transcripts.
bool is_indexed(FileKind kind);

// True for the kinds stored as a document row (every indexed kind but transcripts).
bool is_document(FileKind kind);

// The type a document has when its front matter does not say: "doc", "meeting", "reply",
// "response", "summary", "checkin" or "item". Only for is_document kinds.
std::string_view default_type(FileKind kind);

// What a message calls a file of kind: "document", "meeting", "reply", "response", "summary",
// "check-in", "item", "attachment" (transcripts too), "inbox state", "reminder record", "absences", "config", "template", or
// "file" for one that is not the workspace's.
std::string_view kind_noun(FileKind kind);

// The bundle a path belongs to: docs/2026-11-26-x/replies/a.md -> docs/2026-11-26-x,
// checkins/2026-W48/alice.md -> checkins/2026-W48; a file directly in a section: the section.
std::string bundle_of(std::string_view rel);

// The document a reply, response or summary belongs to (<bundle>/index.md, under docs/ and
// meetings/; checkins/<period>/<handle>.md for a comment on a check-in); empty for every other
// path.
std::string parent_of(std::string_view rel);

// The folder (workspace-relative) that holds the replies to the document rel: <bundle>/replies
// for a bundle's index.md under docs/ or meetings/, checkins/<period>/<handle>/replies for a
// check-in; nullopt for a document that takes no replies (a reply, a response, a summary, an
// item, a file directly in a section).
std::optional<std::string> replies_folder(std::string_view rel);

// Why the index does not walk the folder rel (more than k_max_folder_depth levels), or nullopt.
std::optional<std::string> folder_problem(std::string_view rel);

// Why the index never reaches the file rel although classify() says it is indexed (its folder
// is too deep to walk), or nullopt.
std::optional<std::string> unreached_problem(std::string_view rel);

// True for the audio and video file names (by extension) whose transcript beside them
// (talk.ogg + talk.vtt, .srt or .txt in a bundle's attachments/) is indexed with the bundle.
bool is_media_file_name(std::string_view name);

// True for the media file names that are audio (publish plays them with <audio>, the other
// media with <video>).
bool is_audio_file_name(std::string_view name);

// The MIME type of an audio or video file name ("audio/ogg", "video/mp4"; publish's feed
// enclosures), empty for any other name.
std::string_view media_type(std::string_view name);

// The transcript extensions, in order of preference: ".vtt", ".srt", ".txt".
const std::vector<std::string>& transcript_extensions();

// The paths rel would have with each media extension instead of its own (talk.txt ->
// talk.ogg, talk.mp3, …): the files whose presence makes a .txt a transcript.
std::vector<std::string> media_siblings(std::string_view rel);

// The transcripts a media file rel may have beside it, in order of preference (talk.ogg ->
// talk.vtt, talk.srt, talk.txt): the first that exists is the one classify() calls its
// transcript.
std::vector<std::string> transcript_paths(std::string_view media_rel);

// The folders and files of the bundle whose document is bundle_file (<bundle>/index.md,
// absolute or relative): <bundle>/replies, <bundle>/responses, <bundle>/summary.md,
// <bundle>/attachments.
std::filesystem::path replies_dir(const std::filesystem::path& bundle_file);
std::filesystem::path responses_dir(const std::filesystem::path& bundle_file);
std::filesystem::path summary_file(const std::filesystem::path& bundle_file);
std::filesystem::path attachments_dir(const std::filesystem::path& bundle_file);

// The folder, relative to the folder of the document rel (workspace-relative), that holds
// rel's own attachments, as its body links them: "attachments" for a bundle's index.md
// (docs/<b>/index.md, meetings/<b>/index.md), "attachments/<stem>" for any other document
// (docs/<b>/replies/<stem>.md, checkins/<week>/<handle>.md), so each writer has a folder of
// their own. Empty when rel is no .md file under a section.
std::string own_attachments_link(std::string_view rel);

// The workspace-relative document a file in an attachments/ folder belongs to (the inverse of
// own_attachments_link): docs/<b>/attachments/x.ogg -> docs/<b>/index.md,
// docs/<b>/replies/attachments/<stem>/x.ogg -> docs/<b>/replies/<stem>.md. Empty for a path
// outside any attachments/ folder. Transcripts are searched as part of this document.
std::string attachment_owner(std::string_view rel);

// "attachment is too large (N MiB; the limit is 100 MiB)".
std::string attachment_too_large_message(std::int64_t size);

// root/checkins, root/checkins/<week> and root/checkins/<week>/<handle>.md (week as 2026-W48).
std::filesystem::path checkins_dir(const std::filesystem::path& root);
std::filesystem::path week_dir(const std::filesystem::path& root, std::string_view week);
std::filesystem::path checkin_file(const std::filesystem::path& root, std::string_view week,
                                   std::string_view handle);

// root/people/<handle>/inbox (captured items) and root/people/<handle>/state.toml (triage).
std::filesystem::path inbox_dir(const std::filesystem::path& root, std::string_view handle);
std::filesystem::path inbox_state_file(const std::filesystem::path& root, std::string_view handle);

// root/people/<handle>/actions.md: the capture file `actions add` writes without --in (an item,
// indexed like any people/ Markdown file).
std::filesystem::path actions_file(const std::filesystem::path& root, std::string_view handle);
// root/people/<handle>/reminded.toml: the reminder mails that person's `remind --mail` sent,
// committed so every clone of the workspace sends each mail once (remind.hpp).
std::filesystem::path reminded_file(const std::filesystem::path& root, std::string_view handle);
// root/people/<handle>/away.toml: that person's absences, written only by them (`async away`,
// practice/leave).
std::filesystem::path away_file(const std::filesystem::path& root, std::string_view handle);
// True when the workspace-relative path rel is a file directly in someone's inbox folder
// (people/<handle>/inbox/<file>).
bool is_inbox_file(std::string_view rel);

// "file is too large (N MiB; the limit is 4 MiB)".
std::string too_large_message(std::int64_t size);

} // namespace async
