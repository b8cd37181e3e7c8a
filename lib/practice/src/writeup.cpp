#include <async/attachments.hpp>
#include <async/config.hpp>
#include <async/dates.hpp>
#include <async/document.hpp>
#include <async/error.hpp>
#include <async/layout.hpp>
#include <async/lock.hpp>
#include <async/identity.hpp>
#include <async/templates.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>
#include <async/writeup.hpp>

#include <algorithm>

namespace async {
namespace {

// User templates beyond the built-in ones are documents of type "doc".
std::string type_for_template(const std::string& name) {
    const auto& known = writeup_templates();
    return std::find(known.begin(), known.end(), name) != known.end() ? name : "doc";
}

} // namespace

std::string with_attach_flags(std::string base, const std::vector<std::filesystem::path>& attachments) {
    for (const auto& a : attachments) {
        base += " --attach " + shell_quote(std::filesystem::absolute(a).string());
    }
    return base;
}

Attached attach_files(const Session& session, const DocSummary& doc, const std::vector<std::filesystem::path>& attachments) {
    const Workspace& ws = session.workspace;
    std::filesystem::path file = ws.root() / doc.path;
    std::string ref = doc.id.empty() ? doc.path : doc.id;
    std::string top = doc.parent.empty() ? ref : doc.parent;
    require_own_document(session, doc,
                         doc.type == "meeting" || doc.type == "response"
                             ? "respond with them instead: async meeting respond " + top + " --attach FILE"
                             : "reply with them instead: async doc reply " + top + " --attach FILE");
    own_attachments_dir(ws.root(), file); // refuses a document without a folder of its own
    std::vector<AttachmentFile> files = plan_attachments(attachments);
    if (files.empty()) {
        throw Error{ErrorKind::usage, "nothing to attach", "async attach REF FILE…"};
    }
    return attach_to_document(ws.root(), file, files);
}

void require_own_document(const Session& session, const DocSummary& doc, const std::string& hint) {
    if (handle_or_lower(doc.author) == handle_or_lower(session.me)) {
        return;
    }
    throw Error{ErrorKind::usage,
                "'" + sanitize_for_terminal(doc.path, Newlines::flatten) + "' is " +
                    (doc.author.empty() ? std::string{"nobody's"} : sanitize_for_terminal(doc.author, Newlines::flatten) + "'s") +
                    ": only its author writes to it",
                hint};
}

std::optional<std::string> tag_problem(std::string_view text) {
    if (text.empty()) {
        return "a tag cannot be empty";
    }
    if (text.size() > 64) {
        return "a tag is at most 64 bytes";
    }
    if (find_invalid_utf8(text)) {
        return "a tag must be valid UTF-8";
    }
    if (text.front() == '+' || text.front() == '-') {
        return "a tag cannot start with '+' or '-' (they add and remove tags)";
    }
    if (strip_controls(text, Newlines::flatten) != text) {
        return "a tag cannot hold control or invisible characters";
    }
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == ',') {
            return "a tag cannot hold spaces or commas";
        }
    }
    return std::nullopt;
}

TagEdit edit_tags(const Session& session, const DocSummary& doc, const std::vector<std::string>& add,
                  const std::vector<std::string>& remove) {
    for (const auto& list : {&add, &remove}) {
        for (const auto& tag : *list) {
            if (auto problem = tag_problem(tag)) {
                throw Error{ErrorKind::usage, "invalid tag '" + sanitize_for_terminal(tag, Newlines::flatten) + "': " + *problem,
                            "async tag REF +TAG -TAG, as in async tag " + (doc.id.empty() ? doc.path : doc.id) + " +web -draft"};
            }
        }
    }
    require_own_document(session, doc, "ask its author, or mention the topic in a reply: async doc reply " +
                                           (doc.id.empty() ? doc.path : doc.id));
    std::filesystem::path file = session.workspace.root() / doc.path;
    FileLock lock{file};
    Document d = read_document(session.workspace.root(), doc.path);
    TagEdit out;
    for (auto& tag : d.get_strings("tags")) {
        if (std::find(remove.begin(), remove.end(), tag) == remove.end() &&
            std::find(out.tags.begin(), out.tags.end(), tag) == out.tags.end()) {
            out.tags.push_back(std::move(tag));
        }
    }
    for (const auto& tag : add) {
        if (std::find(out.tags.begin(), out.tags.end(), tag) == out.tags.end()) {
            out.tags.push_back(tag);
        }
    }
    out.changed = out.tags != d.get_strings("tags");
    if (out.changed) {
        d.set_strings("tags", out.tags);
        lock.commit(d.render());
    }
    return out;
}

const std::vector<std::string>& writeup_templates() {
    static const std::vector<std::string> k_names = {"doc", "decision", "sop", "onboarding", "post", "watercooler"};
    return k_names;
}

Written create_writeup(const Session& session, const NewWriteup& request) {
    const Workspace& ws = session.workspace;
    const std::string& author = session.me;
    TimePoint now = session.now;
    TemplateSet templates = TemplateSet::in_effect(session.env, &ws);
    if (!templates.find(request.template_name)) {
        throw Error{ErrorKind::usage, "no template '" + request.template_name + "'", "see 'async templates'"};
    }
    std::vector<AttachmentFile> files = plan_attachments(request.attachments);
    std::vector<std::string> reviewers;
    for (const auto& r : request.reviewers) {
        reviewers.push_back(normalize_handle(r));
    }

    TemplateData data = new_document_data(request.title, author, now, request.due);
    data.lists["reviewers"] = reviewers;
    data.lists["tags"] = request.tags;
    std::string rendered = render_template(templates.text(request.template_name), data, request.template_name);
    auto [defaults, body] = split_rendered_template(rendered, request.template_name);

    Document doc = new_document(type_for_template(request.template_name), request.title, author, now, body);
    Document template_keys = Document::from_parts(defaults, "");
    doc.set_literal("status", template_keys.literal("status").value_or("\"open\""));
    if (!reviewers.empty()) {
        doc.set_strings("reviewers", reviewers);
    }
    if (request.due) {
        doc.set_time("due", *request.due);
    }
    if (!request.tags.empty()) {
        doc.set_strings("tags", request.tags);
    }
    for (const auto& key : template_keys.keys()) {
        if (!doc.has(key)) {
            doc.set_literal(key, *template_keys.literal(key));
        }
    }

    ComposeRequest compose{doc, with_attach_flags("async doc new", request.attachments), slugify(request.title),
                           {"title"}, false};
    Document final_doc = compose_document(session, compose, request.body);
    std::string id = final_doc.get_string("id").value_or("");
    if (!is_id(id)) {
        id = new_id();
        final_doc.set_string("id", id);
    }
    std::string title = final_doc.get_string("title").value_or("");
    auto path = write_new_bundle(ws, k_docs, now, slugify(title), final_doc);
    Written out{id, path, {}};
    for (const auto& copy : attach_to_document(ws.root(), path, files).files) {
        out.attached.push_back(copy.path);
    }
    return out;
}

} // namespace async
