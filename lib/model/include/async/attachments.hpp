#pragma once
// Attachments: the one owner of copying files (voice notes, recordings, screenshots) into a
// document's attachments folder and linking them from its body, for `meeting open`, `doc new`,
// `doc reply`, `meeting respond` and `async attach`. Where the folder is (a bundle's
// attachments/, a reply's replies/attachments/<stem>/) is layout's (own_attachments_link).
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace async {

struct AttachmentFile {
    std::filesystem::path source;  // the file to copy
    std::string name;              // its name in the attachments folder
    bool transcript = false;       // found beside an attached audio or video file
};

// The files to copy for sources, checked before anything is written (or the editor opens):
// each source, then the transcript beside it when it is audio or video (talk.ogg + talk.vtt,
// .srt or .txt; the first that exists). A file named twice (or named and found as a transcript)
// is taken once; two files of one name from different folders get name-2.ext, name-3.ext….
// Throws Error{usage} when a source is missing, not a regular file (a folder; a symbolic link
// is followed to the file it names), unreadable, larger than k_max_attachment_size, or its
// name is hidden (starts with '.'), a temp or lock file's, or holds control characters or
// invalid UTF-8; the hint says what to do.
std::vector<AttachmentFile> plan_attachments(const std::vector<std::filesystem::path>& sources);

struct AttachedFile {
    std::filesystem::path path;  // the copy in the attachments folder
    std::string name;            // its file name (may differ from the planned one: name-2.ext)
    bool already_there = false;  // a file of that name with the same content was there: not copied
};

// Copies each file into dir (created when missing): under its name, or name-2.ext… when a
// different file has that name; a file of that name with the same bytes is left as it is
// (already_there). Each copy is written to a temp file and linked into place, so a crash never
// leaves half a file under the name and a concurrent writer never loses its copy. Throws
// Error{usage} when a source grew past the limit or stopped being a regular file since it was
// checked, Error{data} or Error{environment} (io_error_kind) when reading or writing fails;
// files copied before the failure stay.
std::vector<AttachedFile> copy_attachments(const std::vector<AttachmentFile>& files, const std::filesystem::path& dir);

// The Markdown link target of the file name in link_folder ("attachments" or
// "attachments/<stem>", own_attachments_link), each segment percent-encoded.
std::string attachment_link_target(std::string_view link_folder, std::string_view name);


// body with a link to each name under link_folder that body does not link yet, listed under
// "**Attachments:**" at its end; body as it is when every name is linked already.
std::string link_attachments(std::string_view body, std::string_view link_folder, const std::vector<std::string>& names);

struct Attached {
    std::vector<AttachedFile> files;  // in the order planned, transcripts after their media
    bool relinked = false;            // the document was rewritten to link them
};

// Copies files into the own attachments folder of the document file (absolute, inside root:
// own_attachments_link) and links from its body those it does not link yet, rewriting it under
// its lock. Throws Error{usage} when file is not a document that can have attachments of its
// own (no .md under a section, or a second .md of a bundle), and whatever copy_attachments
// throws.
Attached attach_to_document(const std::filesystem::path& root, const std::filesystem::path& file,
                            const std::vector<AttachmentFile>& files);

// The attachments folder of the document file (absolute, inside root), as attach_to_document
// fills it; throws Error{usage} as it does.
std::filesystem::path own_attachments_dir(const std::filesystem::path& root, const std::filesystem::path& file);

} // namespace async
