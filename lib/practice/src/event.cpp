#include <async/config.hpp>
#include <async/dates.hpp>
#include <async/document.hpp>
#include <async/error.hpp>
#include <async/event.hpp>
#include <async/identity.hpp>
#include <async/layout.hpp>
#include <async/lock.hpp>
#include <async/schema.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>
#include <async/writeup.hpp>

#include <algorithm>
#include <charconv>

namespace fs = std::filesystem;

namespace async {
namespace {

constexpr std::size_t k_max_title = 500;
constexpr std::size_t k_max_where = 200;
constexpr int k_max_sequence = 1'000'000;

constexpr std::string_view k_event_body = "## Agenda\n\n\n\n## Notes\n\n\n\n## Decisions\n\n\n\n## Actions\n\n";

std::vector<std::string> normalized_people(const std::vector<std::string>& handles, std::string_view author) {
    std::vector<std::string> out;
    for (const auto& h : handles) {
        std::string handle = normalize_handle(h);
        if (handle != author && std::find(out.begin(), out.end(), handle) == out.end()) {
            out.push_back(std::move(handle));
        }
    }
    return out;
}

int sequence_of(const Document& d) {
    auto literal = d.literal("sequence");
    if (!literal) {
        return 0;
    }
    int value = 0;
    auto [end, ec] = std::from_chars(literal->data(), literal->data() + literal->size(), value);
    if (ec != std::errc{} || end != literal->data() + literal->size() || value < 0 || value > k_max_sequence) {
        return 0;
    }
    return value;
}

std::optional<Event> event_of(const Document& d, const DocSummary& doc) {
    if (d.get_string("type").value_or("") != "event") {
        return std::nullopt;
    }
    auto start = d.get_time("start");
    auto end = d.get_time("end");
    if (!start || !end || !(*start < *end)) {
        return std::nullopt;
    }
    Event e;
    e.id = d.get_string("id").value_or(doc.id);
    e.path = doc.path;
    e.title = d.get_string("title").value_or(doc.title);
    e.author = handle_or_lower(d.get_string("author").value_or(doc.author));
    e.start = *start;
    e.end = *end;
    for (const auto& h : d.get_strings("participants")) {
        std::string handle = handle_or_lower(h);
        if (!handle.empty() && handle != e.author &&
            std::find(e.participants.begin(), e.participants.end(), handle) == e.participants.end()) {
            e.participants.push_back(std::move(handle));
        }
    }
    e.where = d.get_string("where").value_or("");
    e.sequence = sequence_of(d);
    return e;
}

bool attends(const Event& e, std::string_view handle) {
    return e.author == handle ||
           std::find(e.participants.begin(), e.participants.end(), handle) != e.participants.end();
}

std::string where_problem(std::string_view where) {
    if (where.size() > k_max_where) {
        return "--where is at most 200 bytes";
    }
    if (find_invalid_utf8(where) || strip_controls(where, Newlines::flatten) != where) {
        return "--where must be one line of valid UTF-8 without control characters";
    }
    return {};
}

} // namespace

Written create_event(const Session& session, const NewEvent& request) {
    const Workspace& ws = session.workspace;
    const std::string& me = session.me;
    std::string title{trim(request.title)};
    if (title.empty()) {
        throw Error{ErrorKind::usage, "a title is required",
                    "async event new \"TITLE\" --at \"tomorrow 10:00\" --for 1h"};
    }
    if (title.size() > k_max_title) {
        throw Error{ErrorKind::usage, "the title is too long (over 500 bytes)"};
    }
    if (request.length.count() <= 0) {
        throw Error{ErrorKind::usage, "an event needs a length", "--for 30m, 1h or 1h30m"};
    }
    if (auto problem = where_problem(request.where); !problem.empty()) {
        throw Error{ErrorKind::usage, problem};
    }
    std::vector<std::string> participants = normalized_people(request.with, me);

    Document doc = new_document("event", title, me, session.now, std::string{k_event_body});
    doc.set_string("status", "open");
    doc.set_time("start", request.start);
    doc.set_time("end", request.start + request.length);
    if (!participants.empty()) {
        doc.set_strings("participants", participants);
    }
    if (!request.where.empty()) {
        doc.set_string("where", request.where);
    }
    doc.set_literal("sequence", "0");

    std::string resume = "async event new " + shell_quote(title) + " --at " +
                         shell_quote(format_utc(request.start)) + " --for " +
                         std::to_string(request.length.count()) + "m";
    if (!participants.empty()) {
        std::string joined;
        for (const auto& p : participants) {
            joined += (joined.empty() ? "" : ",") + p;
        }
        resume += " --with " + shell_quote(joined);
    }
    if (!request.where.empty()) {
        resume += " --where " + shell_quote(request.where);
    }
    ComposeRequest compose{doc, resume, slugify(title), {"title"}, false};
    compose.keep_unchanged = true; // an event without an agenda yet is still an event
    Document written = compose_document(session, compose, request.body);
    std::string id = written.get_string("id").value_or("");
    if (!is_id(id)) {
        id = new_id();
        written.set_string("id", id);
    }
    fs::path index_md = write_new_bundle(ws, k_meetings, request.start,
                                         slugify(written.get_string("title").value_or(title)), written);
    return Written{id, index_md};
}

std::optional<Event> read_event(const fs::path& root, const DocSummary& doc) {
    try {
        return event_of(read_document(root, doc.path), doc);
    } catch (const Error&) {
        return std::nullopt;
    }
}

std::vector<Event> list_events(Index& index, const Workspace& ws) {
    ListFilter filter;
    filter.type = "event";
    std::vector<Event> out;
    for (const auto& doc : list_documents(index, filter)) {
        if (doc.status == "closed") {
            continue;
        }
        if (auto e = read_event(ws.root(), doc)) {
            out.push_back(std::move(*e));
        }
    }
    std::sort(out.begin(), out.end(), [](const Event& a, const Event& b) {
        return a.start != b.start ? a.start < b.start : a.id < b.id;
    });
    return out;
}

MovedEvent move_event(const Session& session, const DocSummary& doc, TimePoint start,
                      std::optional<std::chrono::minutes> length) {
    if (doc.type != "event") {
        throw Error{ErrorKind::usage,
                    "'" + sanitize_for_terminal(doc.path, Newlines::flatten) + "' is a " + doc.type + ", not an event",
                    "see 'async list --type event'"};
    }
    require_own_document(session, doc, "ask its author to move it");
    fs::path file = session.workspace.root() / doc.path;
    FileLock lock{file};
    Document d = read_document(session.workspace.root(), doc.path);
    auto before = event_of(d, doc);
    if (!before) {
        throw Error{ErrorKind::data,
                    "'" + sanitize_for_terminal(doc.path, Newlines::flatten) +
                        "' has no valid start before its end",
                    "fix 'start' and 'end' in its front matter"};
    }
    MovedEvent out;
    out.before = *before;
    out.after = *before;
    out.after.start = start;
    out.after.end = start + (length ? *length : std::chrono::duration_cast<std::chrono::minutes>(before->end - before->start));
    if (out.after.start == before->start && out.after.end == before->end) {
        return out;
    }
    Document moved = d;
    moved.set_time("start", out.after.start);
    moved.set_time("end", out.after.end);
    raise_sequence_if_rescheduled(d, moved);
    out.after.sequence = before->sequence + 1;
    lock.commit(moved.render());
    out.changed = true;
    return out;
}

Deadline event_deadline(const Event& event, const Config& config) {
    Deadline d;
    d.kind = DeadlineKind::event;
    d.key = "event:" + event.id;
    d.title = event.title.empty() ? event.path : event.title;
    d.due = event.start;
    d.end = event.end;
    d.date = format_local_date(event.start);
    d.doc_id = event.id;
    d.path = event.path;
    d.author = event.author;
    d.sequence = event.sequence;
    d.where = event.where;
    auto people = config.people();
    auto email_of = [&](const std::string& handle) {
        for (const auto& p : people) {
            if (to_lower_ascii(p.handle) == handle) {
                return p.email;
            }
        }
        return std::string{};
    };
    d.attendees.push_back({event.author, email_of(event.author)});
    for (const auto& p : event.participants) {
        d.attendees.push_back({p, email_of(p)});
    }
    return d;
}

std::vector<Deadline> event_deadlines(Index& index, const Workspace& ws, const Config& config,
                                      const std::optional<std::string>& who) {
    std::vector<Deadline> out;
    std::optional<std::string> handle;
    if (who) {
        handle = handle_or_lower(*who);
    }
    for (const auto& e : list_events(index, ws)) {
        if (!handle || attends(e, *handle)) {
            out.push_back(event_deadline(e, config));
        }
    }
    return out;
}

std::vector<Event> events_today(Index& index, const Workspace& ws, std::string_view handle, TimePoint now) {
    std::string today = format_local_date(now);
    std::string me = handle_or_lower(handle);
    std::vector<Event> out;
    for (auto& e : list_events(index, ws)) {
        if (format_local_date(e.start) == today && attends(e, me)) {
            out.push_back(std::move(e));
        }
    }
    return out;
}

std::string event_line(const Event& event) {
    std::string line = format_local(event.start).substr(15) + "–";
    line += format_local_date(event.end) == format_local_date(event.start) ? format_local(event.end).substr(15)
                                                                            : format_local(event.end);
    line += " " + event.title;
    if (!event.where.empty()) {
        line += " (" + event.where + ")";
    }
    return line;
}

} // namespace async
