#include <async/attachments.hpp>
#include <async/config.hpp>
#include <async/dates.hpp>
#include <async/document.hpp>
#include <async/error.hpp>
#include <async/html.hpp>
#include <async/identity.hpp>
#include <async/layout.hpp>
#include <async/markdown.hpp>
#include <async/meeting.hpp>
#include <async/templates.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>

#include <algorithm>
#include <cctype>
#include <set>
#include <system_error>
#include <unistd.h>

namespace fs = std::filesystem;

namespace async {
namespace {

std::string lower_trimmed(std::string_view text) {
    return to_lower_ascii(trim(text));
}

// The lines of text, without their line ends ("\n", "\r\n").
std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        out.push_back(line);
        if (end == std::string_view::npos) {
            break;
        }
        text.remove_prefix(end + 1);
    }
    return out;
}

// Lines [from, to) of lines joined, blank lines at both ends left out.
std::string join_lines(const std::vector<std::string_view>& lines, std::size_t from, std::size_t to) {
    to = std::min(to, lines.size());
    while (from < to && trim(lines[from]).empty()) {
        ++from;
    }
    while (to > from && trim(lines[to - 1]).empty()) {
        --to;
    }
    std::string out;
    for (std::size_t i = from; i < to; ++i) {
        out += lines[i];
        out += '\n';
    }
    return out;
}

bool is_setext_underline(std::string_view line) {
    line = trim(line);
    return !line.empty() && (std::all_of(line.begin(), line.end(), [](char c) { return c == '-'; }) ||
                             std::all_of(line.begin(), line.end(), [](char c) { return c == '='; }));
}

struct Section {
    std::string heading; // empty for the text before the first "## " heading
    std::string text;
};

// body cut at its level-1 and level-2 headings (a Markdown parser's headings, so a "## " line in
// a code block is text).
std::vector<Section> sections_of(std::string_view body) {
    auto lines = lines_of(body);
    std::vector<Heading> cuts;
    for (const auto& h : extract_markdown(body).headings) {
        if (h.level <= 2 && h.line >= 1 && h.line <= lines.size()) {
            cuts.push_back(h);
        }
    }
    std::vector<Section> out;
    out.push_back(Section{{}, join_lines(lines, 0, cuts.empty() ? lines.size() : cuts.front().line - 1)});
    for (std::size_t i = 0; i < cuts.size(); ++i) {
        std::size_t from = cuts[i].line; // the line after the heading (lines are 1-based)
        if (from < lines.size() && is_setext_underline(lines[from])) {
            ++from;
        }
        std::size_t to = i + 1 < cuts.size() ? cuts[i + 1].line - 1 : lines.size();
        out.push_back(Section{cuts[i].text, join_lines(lines, from, std::max(from, to))});
    }
    return out;
}

std::string quote_lines(std::string_view text) {
    std::string out;
    for (auto line : lines_of(text)) {
        out += line.empty() ? ">\n" : "> " + std::string{line} + "\n";
    }
    return out;
}

// A thematic break ("---", "***", "___", spaced or longer) on a line of its own.
bool is_thematic_break(std::string_view line) {
    line = trim(line);
    std::size_t marks = 0;
    for (char c : line) {
        if (c == line.front() && (c == '-' || c == '*' || c == '_')) {
            ++marks;
        } else if (c != ' ' && c != '\t') {
            return false;
        }
    }
    return marks >= 3;
}

// text up to its first thematic break outside a code fence: what follows a break at the end of
// the last item (the agenda template's closing note) is about the whole meeting.
std::string before_break(const std::string& text) {
    auto lines = lines_of(text);
    bool fenced = false;
    bool after_blank = true;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string_view line = trim(lines[i]);
        if (line.starts_with("```") || line.starts_with("~~~")) {
            fenced = !fenced;
        }
        // After a paragraph line, "---" underlines a heading instead (sections_of cut there).
        if (!fenced && after_blank && is_thematic_break(line)) {
            return join_lines(lines, 0, i);
        }
        after_blank = line.empty();
    }
    return text;
}

// The text of each agenda item (agenda_items order), quoted ("> "): the agenda's words under
// its heading up to the next heading or thematic break; empty for an item without text.
std::vector<std::string> quoted_item_texts(std::string_view agenda_body) {
    auto items = agenda_items(agenda_body);
    auto sections = sections_of(agenda_body);
    std::vector<bool> used(sections.size(), false);
    std::vector<std::string> out;
    for (const auto& item : items) {
        std::string text;
        for (std::size_t i = 1; i < sections.size(); ++i) {
            if (!used[i] && sections[i].heading == item) {
                used[i] = true;
                text = before_break(sections[i].text);
                break;
            }
        }
        out.push_back(text.empty() ? std::string{} : quote_lines(text));
    }
    return out;
}

// Guidance comments of a template ("<!-- async: … -->"), which are for the writer and removed
// from what is saved.
inline constexpr std::string_view k_guide_start = "<!-- async:";

// text without its guidance comments, and without the blank lines they leave at either end.
std::string strip_guidance(std::string_view text) {
    std::string out;
    std::size_t pos = 0;
    while (true) {
        auto start = text.find(k_guide_start, pos);
        if (start == std::string_view::npos) {
            out += text.substr(pos);
            break;
        }
        auto end = text.find("-->", start);
        if (end == std::string_view::npos) {
            out += text.substr(pos);
            break;
        }
        out += text.substr(pos, start - pos);
        pos = end + 3;
        if (pos < text.size() && text[pos] == '\n') {
            ++pos;
        }
    }
    std::string_view kept = out;
    while (!kept.empty() && (kept.front() == '\n' || kept.front() == '\r')) {
        kept.remove_prefix(1);
    }
    while (kept.size() > 1 && kept.back() == '\n' && kept[kept.size() - 2] == '\n') {
        kept.remove_suffix(1);
    }
    return std::string{kept};
}

TemplateData response_data(const DocSummary& meeting, std::string_view agenda_body) {
    TemplateData data;
    data.strings["meeting_title"] = meeting.title;
    data.strings["meeting_id"] = meeting.id;
    data.strings["title"] = meeting.title;
    data.strings["due"] = meeting.due ? format_local(*meeting.due) : std::string{};
    auto items = agenda_items(agenda_body);
    auto texts = quoted_item_texts(agenda_body);
    for (std::size_t i = 0; i < items.size(); ++i) {
        data.records["items"].push_back({{"heading", items[i]}, {"text", texts[i]}});
    }
    return data;
}

// "bob,carol": handles as --with takes them.
std::string joined(const std::vector<std::string>& handles) {
    std::string out;
    for (const auto& h : handles) {
        out += (out.empty() ? "" : ",") + h;
    }
    return out;
}

std::string read_body(const Workspace& ws, const std::string& rel) {
    return read_document(ws.root(), rel).body();
}

} // namespace

std::vector<std::string> agenda_items(std::string_view agenda_body) {
    std::vector<std::string> out;
    for (const auto& h : extract_markdown(agenda_body).headings) {
        std::string key = lower_trimmed(h.text);
        if (h.level == 2 && key != "decisions" && key != "actions") {
            out.push_back(h.text);
        }
    }
    return out;
}

void require_meeting(const DocSummary& doc) {
    if (doc.type == "meeting") {
        return;
    }
    std::string hint = doc.parent.empty() ? "see 'async list --type meeting'"
                                          : "it belongs to " + doc.parent + "; name that meeting";
    throw Error{ErrorKind::usage, "'" + doc.path + "' is a " + doc.type + ", not a meeting", hint};
}

OpenedMeeting open_meeting(const Session& session, const NewMeeting& request) {
    const Workspace& ws = session.workspace;
    const std::string& organiser = session.me;
    std::vector<std::string> participants;
    for (const auto& p : request.participants) {
        std::string handle = normalize_handle(p);
        if (std::find(participants.begin(), participants.end(), handle) == participants.end()) {
            participants.push_back(handle);
        }
    }
    if (participants.empty()) {
        throw Error{ErrorKind::usage, "a meeting needs participants", "async meeting open \"TITLE\" --with bob,carol"};
    }
    // Everything to copy, checked before the editor opens; named as in the fresh folder.
    std::vector<AttachmentFile> files = plan_attachments(request.attachments);

    TimePoint now = session.now;
    TemplateSet templates = TemplateSet::in_effect(session.env, &ws);
    TemplateData data = new_document_data(request.title, organiser, now, request.due);
    data.lists["participants"] = participants;
    for (const auto& f : files) {
        data.records["attachments"].push_back(
            {{"name", markdown_literal(f.name)}, {"link", attachment_link_target(k_attachments, f.name)}});
    }
    std::string rendered = render_template(templates.text("meeting"), data, "meeting");
    auto [defaults, body] = split_rendered_template(rendered, "meeting");

    Document doc = new_document("meeting", request.title, organiser, now, body);
    doc.set_string("status", "open");
    doc.set_strings("participants", participants);
    if (request.due) {
        doc.set_time("due", *request.due);
    }
    Document template_keys = Document::from_parts(defaults, "");
    for (const auto& key : template_keys.keys()) {
        if (!doc.has(key)) {
            doc.set_literal(key, *template_keys.literal(key));
        }
    }

    // The resume hint repeats the whole request, so the resumed agenda gets the same
    // participants, deadline and attachments (its links resolve once the copies are made).
    std::string resume = "async meeting open " + shell_quote(request.title) + " --with " +
                         shell_quote(joined(participants));
    if (request.due) {
        resume += " --due " + shell_quote(format_utc(*request.due));
    }
    for (const auto& source : request.attachments) {
        resume += " --attach " + shell_quote(fs::absolute(source).string());
    }
    ComposeRequest compose{doc, resume, slugify(request.title), {"title"}, false};
    Document agenda = compose_document(session, compose, request.body);
    std::string id = agenda.get_string("id").value_or("");
    if (!is_id(id)) {
        id = new_id();
        agenda.set_string("id", id);
    }
    // The copies are linked from the agenda unless the edited text already links them (a team
    // template may place them itself); a copy renamed on a clash is linked under its new name.
    fs::path index_md = write_new_bundle(ws, k_meetings, now, slugify(agenda.get_string("title").value_or(request.title)), agenda);
    OpenedMeeting out;
    for (const auto& copy : attach_to_document(ws.root(), index_md, files).files) {
        out.attached.push_back(copy.path);
    }
    out.agenda = Written{id, index_md};
    return out;
}

Response respond_to_meeting(const Session& session, const DocSummary& meeting, const BodyInput& body,
                            const std::vector<fs::path>& attachments) {
    const Workspace& ws = session.workspace;
    const std::string& me = session.me;
    require_meeting(meeting);
    if (meeting.status == "closed") {
        throw Error{ErrorKind::no, "'" + meeting.title + "' is closed: it takes no more responses",
                    "read its summary with 'async show " + meeting.id + "'"};
    }
    std::vector<AttachmentFile> files = plan_attachments(attachments);
    fs::path dir = responses_dir(ws.root() / meeting.path);
    fs::path file = dir / (me + ".md");
    TimePoint now = session.now;
    std::error_code ec;
    if (fs::exists(file, ec)) {
        EditOutcome edited = edit_existing(session, file, body);
        Attached attached = attach_to_document(ws.root(), file, files);
        std::string id = Document::parse(read_file(file), ws.display(file)).get_string("id").value_or("");
        bool changed = edited == EditOutcome::saved || attached.relinked ||
                       std::any_of(attached.files.begin(), attached.files.end(), [](const AttachedFile& f) { return !f.already_there; });
        Response out{changed ? ResponseOutcome::edited : ResponseOutcome::unchanged, id, file, {}};
        for (const auto& copy : attached.files) {
            out.attached.push_back(copy.path);
        }
        return out;
    }
    std::string agenda_body = read_body(ws, meeting.path);
    TemplateData data = response_data(meeting, agenda_body);
    data.strings["author"] = me;
    data.strings["date"] = format_local_date(now);
    std::string rendered = render_template(TemplateSet::in_effect(session.env, &ws).text("response"), data, "response");
    auto [defaults, text] = split_rendered_template(rendered, "response");

    Document initial = new_document("response", "", me, now, text, defaults);
    initial.set_string("response_to", meeting.id);
    ComposeRequest compose{initial,
                           with_attach_flags("async meeting respond " + (meeting.id.empty() ? meeting.path : meeting.id),
                                             attachments),
                           "response-" + slugify(meeting.title), {}, false};
    compose.keep_unchanged = !files.empty();
    compose.allow_empty_body = !files.empty();
    Document response = compose_document(session, compose, body);
    response.set_body(strip_guidance(response.body()));
    if (trim(response.body()).empty() && files.empty()) { // a voice note alone is a response
        throw Error{ErrorKind::no, "aborted: empty body"};
    }
    std::string id = response.get_string("id").value_or("");
    if (!is_id(id)) {
        id = new_id();
        response.set_string("id", id);
    }
    fs::create_directories(dir);
    if (!create_file_exclusive(file, response.render())) {
        throw Error{ErrorKind::no, "'" + ws.display(file) + "' appeared while you were writing; nothing overwritten",
                    "run the command again to edit it"};
    }
    Response out{ResponseOutcome::created, id, file, {}};
    for (const auto& copy : attach_to_document(ws.root(), file, files).files) {
        out.attached.push_back(copy.path);
    }
    return out;
}

std::vector<Review> meeting_status(Index& index, const DocSummary& meeting, TimePoint now) {
    return answers_of(index, meeting, meeting.participants, "response", now);
}

std::vector<Review> meeting_status(AnswerSources& sources, const DocSummary& meeting, TimePoint now) {
    return answers_of(sources, meeting, meeting.participants, "response", now);
}

std::string_view response_state_name(ReviewState state) {
    return state == ReviewState::answered ? "responded" : to_string(state);
}

std::string compile_summary(const SummarySource& source) {
    auto items = agenda_items(source.agenda_body);
    std::vector<std::string> item_keys;
    for (const auto& item : items) {
        item_keys.push_back(lower_trimmed(item));
    }
    std::vector<std::string> per_item(items.size());
    // Each response repeats its item's text (the response template quotes it): the summary
    // shows the item once, as its heading, and only what each person wrote under it.
    auto item_texts = quoted_item_texts(source.agenda_body);
    std::string other;
    std::string preamble = one_line(source.response_preamble);
    for (const auto& r : source.responses) {
        std::string who = "**" + markdown_literal(r.author) + "**";
        for (const auto& section : sections_of(r.body)) {
            if (section.text.empty()) {
                continue;
            }
            if (section.heading.empty()) {
                if (one_line(section.text) != preamble) {
                    other += "\n" + who + ":\n\n" + quote_lines(section.text);
                }
                continue;
            }
            auto it = std::find(item_keys.begin(), item_keys.end(), lower_trimmed(section.heading));
            if (it == item_keys.end()) {
                other += "\n" + who + " (under \"" + one_line(section.heading) + "\"):\n\n" + quote_lines(section.text);
            } else {
                auto k = static_cast<std::size_t>(it - item_keys.begin());
                std::string own = section.text;
                if (!item_texts[k].empty() && own.starts_with(item_texts[k])) {
                    own = std::string{trim(std::string_view{own}.substr(item_texts[k].size()))};
                    own += own.empty() ? "" : "\n";
                }
                if (!own.empty()) {
                    per_item[k] += "\n" + who + ":\n\n" + quote_lines(own);
                }
            }
        }
    }

    std::string out;
    if (!source.meeting_id.empty()) {
        out += "Summary of the async meeting #" + source.meeting_id + ".\n\n";
    }
    std::string responded;
    std::string missing;
    for (const auto& p : source.participants) {
        std::string& list = p.state == ReviewState::answered ? responded : missing;
        list += (list.empty() ? "" : ", ") + markdown_literal(p.handle) +
                (p.state == ReviewState::answered && p.replied ? " (" + format_local(*p.replied) + ")" : "");
    }
    out += "**Responded:** " + (responded.empty() ? std::string{"nobody"} : responded) + "\n";
    if (!missing.empty()) {
        out += "**No response:** " + missing + "\n";
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
        out += "\n## " + one_line(items[i]) + "\n" + (per_item[i].empty() ? "\n*No responses.*\n" : per_item[i]);
    }
    if (!other.empty()) {
        out += "\n## Other remarks\n" + other;
    }

    // Decisions and actions of the agenda, then of each response, each once.
    std::vector<std::string> decisions;
    std::vector<std::string> actions;
    std::set<std::string> seen_decisions;
    std::set<std::string> seen_actions;
    auto collect = [&](std::string_view body, const std::string& writer) {
        Extracted found = extract_markdown(body);
        for (const auto& d : found.decisions) {
            if (seen_decisions.insert(lower_trimmed(d.text)).second) {
                decisions.push_back(d.text);
            }
        }
        for (const auto& a : found.actions) {
            std::string text = a.raw;
            if (!a.owner && !writer.empty()) {
                text = "@" + writer + " " + text;
            }
            if (seen_actions.insert(lower_trimmed(text)).second) {
                actions.push_back(std::string{a.done ? "- [x] " : "- [ ] "} + text);
            }
        }
    };
    collect(source.agenda_body, source.agenda_author);
    for (const auto& r : source.responses) {
        collect(r.body, r.author);
    }
    out += "\n## Decisions\n\n";
    if (decisions.empty()) {
        out += "*None yet: add them here as list items.*\n";
    }
    for (const auto& d : decisions) {
        out += "- " + d + "\n";
    }
    out += "\n## Actions\n\n";
    if (actions.empty()) {
        out += "*None yet: add them as `- [ ] @handle what due:YYYY-MM-DD`.*\n";
    }
    for (const auto& a : actions) {
        out += a + "\n";
    }
    return out;
}

ClosedMeeting close_meeting(const Session& session, Index& index, const DocSummary& meeting, const BodyInput& body) {
    const Workspace& ws = session.workspace;
    const std::string& me = session.me;
    require_meeting(meeting);
    TimePoint now = session.now;
    fs::path summary = summary_file(ws.root() / meeting.path);
    ClosedMeeting out;
    out.summary = summary;
    std::error_code ec;
    bool has_summary = fs::exists(summary, ec);
    if (meeting.status == "closed" && has_summary) {
        out.outcome = CloseOutcome::already_closed;
        return out;
    }
    auto states = meeting_status(index, meeting, now);
    for (const auto& s : states) {
        if (s.state != ReviewState::answered) {
            out.pending.push_back(s.handle);
        }
    }
    if (!has_summary) {
        std::string agenda_body = read_body(ws, meeting.path);
        SummarySource source;
        source.meeting_id = looks_like_id(meeting.id) ? meeting.id : std::string{};
        source.agenda_body = agenda_body;
        source.agenda_author = handle_or_lower(meeting.author);
        source.participants = states;
        for (const auto& child : children_of(index, meeting)) {
            if (child.type == "response") {
                source.responses.push_back(ResponseText{handle_or_lower(child.author), child.created, read_body(ws, child.path)});
            }
        }
        TemplateData data = response_data(meeting, agenda_body);
        auto [defaults, text] = split_rendered_template(
            render_template(TemplateSet::in_effect(session.env, &ws).text("response"), data, "response"), "response");
        source.response_preamble = sections_of(strip_guidance(text)).front().text;

        Document initial = new_document("summary", "Summary: " + meeting.title, me, now, compile_summary(source));
        initial.set_string("summary_of", meeting.id);
        BodyInput input = body;
        if (input.message) {
            // -m is the organiser's conclusion, put above the compiled responses.
            std::string message = *input.message;
            while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
                message.pop_back();
            }
            initial.set_body(message + "\n\n" + initial.body());
            input.message.reset();
            if (input.edit == EditChoice::automatic) {
                input.edit = EditChoice::never;
            }
        }
        ComposeRequest compose{initial, "async meeting close " + (meeting.id.empty() ? meeting.path : meeting.id),
                               "summary-" + slugify(meeting.title), {}, true};
        Document written = compose_document(session, compose, input);
        out.summary_id = written.get_string("id").value_or("");
        if (!create_file_exclusive(summary, written.render())) {
            throw Error{ErrorKind::no, "'" + ws.display(summary) + "' appeared while you were writing; nothing overwritten",
                        "edit it with 'async edit " + ws.display(summary) + "'"};
        }
    }
    if (meeting.status != "closed") {
        close_document(ws, meeting, now, std::nullopt);
    }
    return out;
}

} // namespace async
