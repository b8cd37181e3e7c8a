#include <async/attachments.hpp>
#include <async/config.hpp>
#include <async/dates.hpp>
#include <async/document.hpp>
#include <async/due.hpp>
#include <async/error.hpp>
#include <async/layout.hpp>
#include <async/lock.hpp>
#include <async/feedback.hpp>
#include <async/identity.hpp>
#include <async/index.hpp>
#include <async/leave.hpp>
#include <async/markdown.hpp>
#include <async/templates.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>

#include <algorithm>

namespace fs = std::filesystem;

namespace async {
namespace {

// One line of context text that cannot end the comment block early.
std::string comment_safe(std::string_view text) {
    std::string out = sanitize_for_terminal(text, Newlines::flatten);
    for (auto pos = out.find("--"); pos != std::string::npos; pos = out.find("--", pos)) {
        out.replace(pos, 2, "- -");
    }
    return out;
}

// Replies live where layout says the index looks for the document they belong to.
fs::path replies_dir_of(const Workspace& ws, const DocSummary& doc) {
    auto folder = replies_folder(doc.path);
    if (!folder) {
        throw Error{ErrorKind::usage,
                    "cannot reply to '" + doc.path + "': it is not a document's index.md in a bundle folder or a check-in",
                    "replies belong to documents like docs/<name>/index.md and to check-ins"};
    }
    return ws.root() / *folder;
}

} // namespace

std::string reply_context_block(const DocSummary& doc, std::string_view body) {
    std::string out = std::string{k_reply_context_marker} + " removed when you save\n";
    out += "Replying to: " + comment_safe(doc.title) + " (" + comment_safe(doc.id) + ") by " + comment_safe(doc.author) + "\n";
    if (doc.due) {
        out += "Feedback due: " + format_local(*doc.due) + "\n";
    }
    std::vector<std::string> questions;
    for (const auto& h : extract_markdown(body).headings) {
        if (h.level == 2) {
            questions.push_back(comment_safe(h.text));
        }
    }
    if (!questions.empty()) {
        out += "Questions:\n";
        for (const auto& q : questions) {
            out += "  - " + q + "\n";
        }
    }
    return out + "-->\n";
}

std::string strip_reply_context(std::string_view body) {
    auto start = body.rfind(k_reply_context_marker);
    if (start == std::string_view::npos) {
        return std::string{body};
    }
    auto end = body.find("-->", start);
    if (end == std::string_view::npos) {
        return std::string{body};
    }
    std::string before{body.substr(0, start)};
    std::string_view after = body.substr(end + 3);
    while (!before.empty() && (before.back() == '\n' || before.back() == '\r' || before.back() == ' ')) {
        before.pop_back();
    }
    std::string rest{trim(after)};
    std::string out = before;
    if (!rest.empty()) {
        out += (out.empty() ? "" : "\n\n") + rest;
    }
    return out.empty() ? out : out + "\n";
}

Written create_reply(const Session& session, const DocSummary& doc, const BodyInput& body,
                     const std::vector<fs::path>& attachments) {
    const Workspace& ws = session.workspace;
    const std::string& author = session.me;
    if (is_child_type(doc.type)) {
        throw Error{ErrorKind::usage, "cannot reply to a " + doc.type + " ('" + doc.path + "')",
                    "reply to the document it belongs to"};
    }
    fs::path dir = replies_dir_of(ws, doc);
    std::vector<AttachmentFile> files = plan_attachments(attachments);
    TimePoint now = session.now;
    std::string doc_body = read_document(ws.root(), doc.path).body();

    TemplateSet templates = TemplateSet::in_effect(session.env, &ws);
    TemplateData data = new_document_data(doc.title, author, now, doc.due);
    data.strings["doc_title"] = doc.title;
    data.strings["doc_id"] = doc.id;
    data.lists["reviewers"] = doc.reviewers;
    std::string rendered = render_template(templates.text("reply"), data, "reply");
    while (rendered.starts_with("\n")) {
        rendered.erase(0, 1);
    }
    if (!rendered.empty() && !rendered.ends_with("\n")) {
        rendered += "\n";
    }

    Document initial = new_document("reply", "", author, now, rendered + "\n" + reply_context_block(doc, doc_body));
    initial.set_string("reply_to", doc.id);

    BodyInput input = body;
    if (input.message && input.edit == EditChoice::always) {
        // -m with --edit: the context is useful in the editor too.
        *input.message += "\n\n" + reply_context_block(doc, doc_body);
    }
    std::string ref = doc.id.empty() ? doc.path : doc.id;
    ComposeRequest compose{initial, with_attach_flags("async doc reply " + ref, attachments), "reply-" + slugify(doc.title),
                           {}, false};
    compose.keep_unchanged = !files.empty();
    compose.allow_empty_body = !files.empty();
    Document reply = compose_document(session, compose, input);
    reply.set_body(strip_reply_context(reply.body()));
    if (trim(reply.body()).empty() && files.empty()) {
        throw Error{ErrorKind::no, "aborted: empty body"};
    }
    std::string id = reply.get_string("id").value_or("");
    if (!is_id(id)) {
        id = new_id();
        reply.set_string("id", id);
    }
    if (!reply.has("reply_to")) {
        reply.set_string("reply_to", doc.id);
    }
    fs::path path = create_file_numbered(dir, format_utc_stamp(now) + "-" + author, reply.render());
    Written out{id, path, {}};
    for (const auto& copy : attach_to_document(ws.root(), path, files).files) {
        out.attached.push_back(copy.path);
    }
    return out;
}

CloseResult close_document(const Workspace& ws, const DocSummary& doc, TimePoint now,
                           const std::optional<std::string>& outcome) {
    if (is_child_type(doc.type)) {
        throw Error{ErrorKind::usage, "cannot close a " + doc.type + " ('" + doc.path + "')",
                    "close the document it belongs to"};
    }
    std::string decision;
    if (outcome) {
        decision = one_line(*outcome);
        if (decision.empty()) {
            throw Error{ErrorKind::usage, "the outcome is empty", "async doc close REF -m \"OUTCOME\""};
        }
    }
    fs::path file = ws.root() / doc.path;
    FileLock lock{file};
    Document d = read_document(ws.root(), doc.path);
    bool was_closed = d.get_string("status").value_or("") == "closed";
    if (was_closed && !outcome) {
        return CloseResult::already_closed;
    }
    if (!was_closed) {
        d.set_string("status", "closed");
        d.set_time("closed", now);
    }
    if (outcome) {
        std::string body = d.body();
        while (!body.empty() && (body.back() == '\n' || body.back() == '\r' || body.back() == ' ')) {
            body.pop_back();
        }
        auto headings = extract_markdown(d.body()).headings;
        auto last_h2 = std::find_if(headings.rbegin(), headings.rend(), [](const Heading& h) { return h.level <= 2; });
        bool in_outcome = last_h2 != headings.rend() && last_h2->level == 2 && trim(last_h2->text) == "Outcome";
        body += (body.empty() ? "" : "\n\n") + std::string{in_outcome ? "" : "## Outcome\n\n"} + "Decision: " + decision + "\n";
        d.set_body(body);
    }
    lock.commit(d.render());
    return was_closed ? CloseResult::outcome_added : CloseResult::closed;
}

std::string_view to_string(ReviewState state) {
    switch (state) {
    case ReviewState::answered: return "answered";
    case ReviewState::overdue: return "overdue";
    case ReviewState::away: return "away";
    case ReviewState::pending: break;
    }
    return "pending";
}

std::vector<Review> reviews_of(Index& index, const DocSummary& doc, TimePoint now) {
    return answers_of(index, doc, doc.reviewers, "reply", now);
}

std::vector<Review> reviews_of(AnswerSources& sources, const DocSummary& doc, TimePoint now) {
    return answers_of(sources, doc, doc.reviewers, "reply", now);
}

std::vector<Review> answers_of(Index& index, const DocSummary& doc, const std::vector<std::string>& people,
                               std::string_view child_type, TimePoint now) {
    AnswerSources sources{index.workspace(), {}, {}};
    if (!people.empty()) {
        sources.children.emplace(doc.path, children_of(index, doc));
    }
    return answers_of(sources, doc, people, child_type, now);
}

std::vector<Review> answers_of(AnswerSources& sources, const DocSummary& doc, const std::vector<std::string>& people,
                               std::string_view child_type, TimePoint now) {
    std::vector<Review> out;
    if (people.empty()) {
        return out;
    }
    static const std::vector<DocSummary> k_none;
    auto found = sources.children.find(doc.path);
    const std::vector<DocSummary>& children = found == sources.children.end() ? k_none : found->second;
    std::optional<Absences>& absences = sources.absences; // read once, and only when someone has not answered
    for (const auto& person : people) {
        Review r;
        r.handle = handle_or_lower(person);
        if (std::any_of(out.begin(), out.end(), [&](const Review& o) { return o.handle == r.handle; })) {
            continue;
        }
        for (const auto& c : children) {
            if (c.type != child_type || handle_or_lower(c.author) != r.handle) {
                continue;
            }
            if (r.state != ReviewState::answered || (c.created && (!r.replied || *c.created < *r.replied))) {
                r.replied = c.created;
            }
            r.state = ReviewState::answered;
        }
        if (r.state != ReviewState::answered && doc.due) {
            if (!absences) {
                absences = load_absences(sources.ws);
            }
            if (auto away = away_at(*absences, r.handle, *doc.due)) {
                r.state = ReviewState::away;
                r.away_until = away->end;
            } else if (is_overdue(*doc.due, now)) {
                r.state = ReviewState::overdue;
            }
        }
        r.late = r.state == ReviewState::answered && doc.due && r.replied && is_overdue(*doc.due, *r.replied);
        out.push_back(r);
    }
    return out;
}

} // namespace async
