#include <async/config.hpp>
#include <async/dates.hpp>
#include <async/editor.hpp>
#include <async/env.hpp>
#include <async/error.hpp>
#include <async/layout.hpp>
#include <async/lock.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>
#include <async/writing.hpp>

#include <cerrno>
#include <cstring>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace async {
namespace {

bool blank(std::string_view text) { return trim(text).empty(); }

std::string resume_hint(const ComposeRequest& request, const fs::path& draft) {
    return "your text is kept in '" + draft.string() + "'; resume with: " + request.resume_command +
           " --file " + shell_quote(draft.string()) + " --edit";
}

fs::path new_draft_path(const Workspace& ws, TimePoint now, std::string_view stem) {
    std::string stamp = format_utc_stamp(now);
    for (int n = 1;; ++n) {
        fs::path candidate = ws.drafts_dir() / (stamp + "-" + std::string{stem} +
                                                (n > 1 ? "-" + std::to_string(n) : "") + ".md");
        std::error_code ec;
        if (!fs::exists(candidate, ec)) {
            return candidate;
        }
    }
}

// Keeps what the user gave in front matter, fills in what async owns when it is missing.
Document merge_whole_document(const ComposeRequest& request, Document given) {
    for (auto key : {"id", "type", "title", "author", "created"}) {
        if (!given.has(key)) {
            if (auto literal = request.initial.literal(key)) {
                given.set_literal(key, *literal);
            }
        }
    }
    return given;
}

void check_required(const ComposeRequest& request, const Document& doc, const std::string& hint) {
    for (const auto& key : request.required_keys) {
        if (trim(doc.get_string(key).value_or("")).empty()) {
            throw Error{ErrorKind::usage, "the document has no " + key, hint};
        }
    }
}

bool is_inside(const fs::path& path, const fs::path& dir) {
    std::error_code ec;
    auto a = fs::weakly_canonical(path, ec);
    auto b = fs::weakly_canonical(dir, ec);
    auto rel = a.lexically_relative(b);
    return !rel.empty() && *rel.begin() != "..";
}

} // namespace

std::pair<std::string, std::string> split_rendered_template(std::string_view rendered,
                                                            std::string_view template_name) {
    while (rendered.starts_with("\n")) {
        rendered.remove_prefix(1);
    }
    if (!rendered.starts_with("+++")) {
        return {{}, std::string{rendered}};
    }
    Document defaults = Document::parse(rendered, "template '" + std::string{template_name} + "'");
    std::string body = defaults.body();
    while (body.starts_with("\n")) {
        body.erase(0, 1);
    }
    return {defaults.front_matter(), body};
}

Document compose_document(const Session& session, const ComposeRequest& request, const BodyInput& input) {
    const Workspace& ws = session.workspace;
    const TimePoint now = session.now;
    Document doc = request.initial;
    // A whole document that does not parse yet, given with --edit: the editor opens on it as it
    // is (resuming a draft kept after invalid front matter), and only what is saved is checked.
    std::optional<std::string> unparsed;
    if (input.file_text) {
        if (trim(*input.file_text).starts_with("+++")) {
            std::string origin = input.file_path == "-" ? std::string{"<stdin>"} : input.file_path.string();
            try {
                doc = merge_whole_document(request, Document::parse(*input.file_text, origin));
            } catch (const Error& e) {
                if (e.kind() == ErrorKind::data && input.edit == EditChoice::always && !input.message) {
                    unparsed = *input.file_text;
                } else if (input.file_path != "-") {
                    throw;
                } else {
                    fs::path draft = new_draft_path(ws, now, request.draft_stem);
                    write_file_atomic(draft, *input.file_text);
                    throw Error{e.kind(), e.what(), resume_hint(request, draft)};
                }
            }
        } else {
            doc.set_body(*input.file_text);
        }
    }
    if (input.message) {
        std::string body = *input.message;
        if (!body.empty() && body.back() != '\n') {
            body += '\n';
        }
        doc.set_body(body);
    }
    bool given = input.message || input.file_text;
    bool open_editor = input.edit == EditChoice::always || (input.edit == EditChoice::automatic && !given);

    if (open_editor) {
        std::string editor = resolve_editor(session.env, session.config);
        std::string before = unparsed ? *unparsed : doc.render();
        // A draft passed back in is edited where it is, so resuming never leaves a second copy.
        bool resuming = input.file_text && input.file_path != "-" && is_inside(input.file_path, ws.drafts_dir());
        fs::path draft = resuming ? input.file_path : new_draft_path(ws, now, request.draft_stem);
        write_file_atomic(draft, before);
        int status = 0;
        try {
            status = run_editor(draft, editor);
        } catch (const Error& e) {
            throw Error{e.kind(), e.what(), resume_hint(request, draft)};
        }
        if (status == 130) {
            throw Error{ErrorKind::interrupted, "interrupted; nothing written", resume_hint(request, draft)};
        }
        if (status != 0) {
            throw Error{ErrorKind::no,
                        "aborted: the editor exited with status " + std::to_string(status) + "; nothing written",
                        resume_hint(request, draft)};
        }
        std::string after = read_file(draft);
        if (after == before && !given && !request.keep_unchanged) {
            fs::remove(draft);
            throw Error{ErrorKind::no, "aborted: no changes"};
        }
        try {
            doc = merge_whole_document(request, Document::parse(after, draft.string()));
        } catch (const Error& e) {
            throw Error{e.kind(), e.what(), resume_hint(request, draft)};
        }
        if (blank(doc.body()) && !request.allow_empty_body) {
            fs::remove(draft);
            throw Error{ErrorKind::no, "aborted: empty body"};
        }
        check_required(request, doc, resume_hint(request, draft));
        fs::remove(draft);
    } else {
        if (blank(doc.body()) && !request.allow_empty_body) {
            throw Error{ErrorKind::no, "aborted: empty body"};
        }
        try {
            check_required(request, doc, {});
        } catch (const Error& e) {
            if (input.file_path != "-") {
                throw;
            }
            fs::path draft = new_draft_path(ws, now, request.draft_stem);
            write_file_atomic(draft, doc.render());
            throw Error{e.kind(), e.what(), resume_hint(request, draft)};
        }
    }
    if (input.file_text && input.file_path != "-" && is_inside(input.file_path, ws.drafts_dir())) {
        std::error_code ec;
        fs::remove(input.file_path, ec);
    }
    return doc;
}

namespace {

// after, with an event's sequence raised when the edit moved it (raise_sequence_if_rescheduled).
std::string with_event_sequence(const std::string& before, const std::string& after, const std::string& origin) {
    try {
        Document old_doc = Document::parse(before, origin);
        Document new_doc = Document::parse(after, origin);
        return raise_sequence_if_rescheduled(old_doc, new_doc) ? new_doc.render() : after;
    } catch (const Error&) {
        return after; // a file that did not parse before: nothing to compare with
    }
}

} // namespace

EditOutcome edit_existing(const Session& session, const fs::path& file, const BodyInput& input) {
    const Workspace& ws = session.workspace;
    const TimePoint now = session.now;
    bool given = input.message || input.file_text;
    bool open_editor = input.edit == EditChoice::always || (input.edit == EditChoice::automatic && !given);
    // Without an editor the whole read-modify-write is under the lock; an editor session is
    // too long to hold it, so that path takes it only to compare and replace.
    std::optional<FileLock> lock;
    if (!open_editor) {
        lock.emplace(file);
    }
    std::string before = read_file(file);
    std::string proposed = before;
    if (input.file_text && trim(*input.file_text).starts_with("+++")) {
        proposed = *input.file_text;
    } else if (input.message || input.file_text) {
        Document doc = Document::parse(before, ws.display(file));
        std::string body = input.message ? *input.message : *input.file_text;
        if (!body.empty() && body.back() != '\n') {
            body += '\n';
        }
        doc.set_body(body);
        proposed = doc.render();
    }
    if (!open_editor) {
        Document::parse(proposed, input.file_path == "-" ? std::string{"<stdin>"} : ws.display(file));
        if (proposed == before) {
            return EditOutcome::unchanged;
        }
        lock->commit(with_event_sequence(before, proposed, ws.display(file)));
        return EditOutcome::saved;
    }
    std::string editor = resolve_editor(session.env, session.config);
    fs::path draft = new_draft_path(ws, now, "edit-" + slugify(file.parent_path().filename().string()));
    write_file_atomic(draft, proposed);
    std::string hint = "your text is kept in '" + draft.string() + "'; copy it over '" + ws.display(file) +
                       "' when ready, then delete the draft";
    int status = run_editor(draft, editor);
    if (status != 0) {
        throw Error{status == 130 ? ErrorKind::interrupted : ErrorKind::no,
                    "aborted: the editor exited with status " + std::to_string(status) + "; nothing written", hint};
    }
    std::string after = read_file(draft);
    if (after == before) {
        fs::remove(draft);
        return EditOutcome::unchanged;
    }
    try {
        Document::parse(after, draft.string());
    } catch (const Error& e) {
        throw Error{e.kind(), e.what(), hint};
    }
    // Compared and replaced under the lock, so a change written by another async between the
    // two is never overwritten.
    lock.emplace(file);
    if (read_file(file) != before) {
        throw Error{ErrorKind::no, "'" + ws.display(file) + "' changed on disk while you were editing it; not overwritten",
                    hint};
    }
    lock->commit(with_event_sequence(before, after, ws.display(file)));
    fs::remove(draft);
    return EditOutcome::saved;
}

fs::path claim_bundle_folder(const Workspace& ws, std::string_view section, TimePoint created,
                             std::string_view slug) {
    fs::path parent = ws.root() / section;
    std::error_code ec;
    fs::create_directories(parent, ec);
    std::string base = format_local_date(created) + "-" + std::string{slug};
    for (int n = 1; n < 10000; ++n) {
        fs::path dir = parent / (n == 1 ? base : base + "-" + std::to_string(n));
        if (::mkdir(dir.c_str(), 0777) != 0) {
            if (errno == EEXIST) {
                continue;
            }
            int err = errno;
            throw io_error("create folder", ws.display(dir), err);
        }
        return dir;
    }
    throw Error{ErrorKind::data, "too many documents named '" + base + "' in '" + std::string{section} + "'"};
}

fs::path write_new_bundle(const Workspace& ws, std::string_view section, TimePoint created,
                          std::string_view slug, const Document& doc) {
    fs::path dir = claim_bundle_folder(ws, section, created, slug);
    fs::path file = dir / k_bundle_file;
    bool written = false;
    try {
        written = create_file_exclusive(file, doc.render());
    } catch (...) {
        // A full disk: the claimed folder goes too, so no empty bundle is left behind.
        ::rmdir(dir.c_str());
        throw;
    }
    if (!written) {
        throw Error{ErrorKind::data, "'" + ws.display(file) + "' appeared while it was being written"};
    }
    return file;
}

} // namespace async
