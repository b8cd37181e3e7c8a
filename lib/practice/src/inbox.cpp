#include <async/actions.hpp>
#include <async/agenda.hpp>
#include <async/config.hpp>
#include <async/dates.hpp>
#include <async/document.hpp>
#include <async/due.hpp>
#include <async/error.hpp>
#include <async/feedback.hpp>
#include <async/layout.hpp>
#include <async/lock.hpp>
#include <async/markdown.hpp>
#include <async/meeting.hpp>
#include <async/identity.hpp>
#include <async/index.hpp>
#include <async/inbox.hpp>
#include <async/event.hpp>
#include <async/onboard.hpp>
#include <async/query.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>

#include <async/toml.hpp>


#include <algorithm>
#include <map>
#include <optional>
#include <sstream>
#include <system_error>
#include <unordered_map>

namespace fs = std::filesystem;

namespace async {
namespace {

constexpr std::size_t k_max_capture = 1 << 20;
constexpr auto k_mention_window = std::chrono::hours{24 * 14};

// One line of a state file's decision log.
struct LoggedDecision {
    std::string item;
    TriageVerb verb = TriageVerb::done;
    TimePoint at{};
    std::optional<TimePoint> until;
    std::string to;
    std::string version;
    std::string handed; // delegate: the item written into the other inbox (removed by undo)
};

std::string_view verb_name(TriageVerb verb) {
    switch (verb) {
    case TriageVerb::snooze: return "snooze";
    case TriageVerb::delegate: return "delegate";
    case TriageVerb::undo: return "undo";
    case TriageVerb::done: break;
    }
    return "done";
}

std::optional<TriageVerb> verb_of(std::string_view name) {
    for (auto v : {TriageVerb::done, TriageVerb::snooze, TriageVerb::delegate}) {
        if (verb_name(v) == name) {
            return v;
        }
    }
    return std::nullopt;
}

std::optional<TimePoint> time_of(const toml::node* node) {
    if (node == nullptr) {
        return std::nullopt;
    }
    if (auto s = node->value<std::string>()) {
        return parse_iso8601(*s);
    }
    if (node->is_date_time()) {
        std::ostringstream text;
        text << *node->as_date_time();
        return parse_iso8601(text.str());
    }
    return std::nullopt;
}

// The decision log of state.toml, oldest first. A missing file is an empty log; an invalid one
// is Error{data} naming it (nothing is ever written over a file async cannot read).
std::vector<LoggedDecision> load_log(const fs::path& file, const std::string& shown) {
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        return {};
    }
    std::string text = read_file(file);
    toml::table table;
    try {
        table = parse_toml(text, shown);
    } catch (const toml::parse_error& e) {
        throw Error{ErrorKind::data,
                    shown + ":" + std::to_string(e.source().begin.line) + ":" + std::to_string(e.source().begin.column) +
                        ": " + std::string{e.description()},
                    "fix or remove the file; it holds only your triage decisions"};
    }
    std::vector<LoggedDecision> out;
    if (auto* list = table["decision"].as_array()) {
        for (const auto& node : *list) {
            const auto* t = node.as_table();
            if (t == nullptr) {
                continue;
            }
            LoggedDecision d;
            d.item = (*t)["item"].value_or(std::string{});
            auto verb = verb_of((*t)["verb"].value_or(std::string{}));
            auto at = time_of(t->get("at"));
            if (d.item.empty() || !verb || !at) {
                continue; // damaged by hand, or from a newer async: ignored (and not written back)
            }
            d.verb = *verb;
            d.at = *at;
            d.until = time_of(t->get("until"));
            d.to = (*t)["to"].value_or(std::string{});
            d.version = (*t)["version"].value_or(std::string{});
            d.handed = (*t)["handed"].value_or(std::string{});
            out.push_back(std::move(d));
        }
    }
    return out;
}

std::string render_log(const std::string& me, const std::vector<LoggedDecision>& log) {
    std::string out = "# Triage decisions of " + me +
                      ", written by async inbox (done, snooze, delegate, undo, triage).\n"
                      "# Only " + me + " writes this file; the last decision on an item counts.\n";
    for (const auto& d : log) {
        out += "\n[[decision]]\nitem = " + toml_quote(d.item) + "\nverb = " + toml_quote(verb_name(d.verb)) +
               "\nat = " + format_utc(d.at) + "\n";
        if (d.until) {
            out += "until = " + format_utc(*d.until) + "\n";
        }
        if (!d.to.empty()) {
            out += "to = " + toml_quote(d.to) + "\n";
        }
        if (!d.version.empty()) {
            out += "version = " + toml_quote(d.version) + "\n";
        }
        if (!d.handed.empty()) {
            out += "handed = " + toml_quote(d.handed) + "\n";
        }
    }
    return out;
}

const LoggedDecision* last_decision(const std::vector<LoggedDecision>& log, const std::string& key) {
    for (auto it = log.rbegin(); it != log.rend(); ++it) {
        if (it->item == key) {
            return &*it;
        }
    }
    return nullptr;
}

// An item about doc; its title is the document's unless title is given.
InboxItem from_doc(ItemKind kind, std::string key, const DocSummary& doc, std::string title = {}) {
    InboxItem item;
    item.handle = short_hash(key);
    item.key = std::move(key);
    item.kind = kind;
    item.title = !title.empty() ? std::move(title) : doc.title.empty() ? doc.path : doc.title;
    item.from = doc.author;
    item.doc_id = doc.id;
    item.path = doc.path;
    item.due = doc.due;
    item.since = doc.created;
    return item;
}

// Sorts [first, last) by less when it holds a few runs already in order: merging the runs
// costs a pass per run, where a sort costs about log2(n) passes. Many runs: a plain sort.
template <typename It, typename Less>
void sort_runs(It first, It last, Less less) {
    constexpr std::size_t k_most_runs = 8;
    std::vector<It> starts; // of every run after the first
    for (It it = first; it != last && std::next(it) != last; ++it) {
        if (less(*std::next(it), *it)) {
            starts.push_back(std::next(it));
            if (starts.size() > k_most_runs) {
                std::sort(first, last, less);
                return;
            }
        }
    }
    for (std::size_t k = 0; k < starts.size(); ++k) {
        std::inplace_merge(first, starts[k], k + 1 < starts.size() ? starts[k + 1] : last, less);
    }
}

// Sorts items most urgent first: overdue (most overdue first), then by due date, then the
// oldest first. The keys are computed once and the items moved once.
void sort_by_urgency(std::vector<InboxItem>& items, TimePoint now) {
    struct Rank {
        int group;      // 0 overdue, 1 due later, 2 no due date
        TimePoint due;  // TimePoint{} without one
        TimePoint since;
        std::size_t index;
    };
    std::vector<Rank> ranks;
    ranks.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        const InboxItem& item = items[i];
        int group = !item.due ? 2 : (is_overdue(*item.due, now) ? 0 : 1);
        ranks.push_back({group, item.due.value_or(TimePoint{}), item.since.value_or(TimePoint{}), i});
    }
    // Each source of items is gathered in order already (the actions by due date, then document).
    sort_runs(ranks.begin(), ranks.end(), [](const Rank& a, const Rank& b) {
        if (a.group != b.group) {
            return a.group < b.group;
        }
        if (a.due != b.due) {
            return a.due < b.due;
        }
        if (a.since != b.since) {
            return a.since < b.since;
        }
        return a.index < b.index; // as gathered: reviews, responses, check-in, actions (by due,
                                  // document, line), mentions, captured items
    });
    // Put each item in its place by following the permutation's cycles: one move per item, and
    // no second vector of items.
    std::vector<std::size_t> from(items.size());
    for (std::size_t k = 0; k < ranks.size(); ++k) {
        from[k] = ranks[k].index;
    }
    for (std::size_t start = 0; start < from.size(); ++start) {
        if (from[start] == start) {
            continue;
        }
        InboxItem held = std::move(items[start]);
        std::size_t k = start;
        while (from[k] != start) {
            items[k] = std::move(items[from[k]]);
            std::size_t next = from[k];
            from[k] = k;
            k = next;
        }
        items[k] = std::move(held);
        from[k] = k;
    }
}

// What a mention of me says: a hash of the text of the blocks that mention me (markdown's
// mention_context), so an edit elsewhere in the document leaves a mention marked done alone
// and an edit of the mention brings it back. Empty when the file cannot be read.
std::string mention_version(const Workspace& ws, const std::string& path, const std::string& me) {
    try {
        return "text:" + short_hash(mention_context(read_document(ws.root(), path).body(), me));
    } catch (const Error&) {
        return {};
    }
}

} // namespace

std::string_view to_string(ItemKind kind) {
    switch (kind) {
    case ItemKind::review: return "review";
    case ItemKind::response: return "response";
    case ItemKind::checkin: return "checkin";
    case ItemKind::action: return "action";
    case ItemKind::mention: return "mention";
    case ItemKind::replied: return "replied";
    case ItemKind::close: return "close";
    case ItemKind::watercooler: return "watercooler";
    case ItemKind::event: return "event";
    case ItemKind::onboarding: return "onboarding";
    case ItemKind::item: break;
    }
    return "item";
}

std::string_view to_string(ItemState state) {
    switch (state) {
    case ItemState::done: return "done";
    case ItemState::snoozed: return "snoozed";
    case ItemState::delegated: return "delegated";
    case ItemState::open: break;
    }
    return "open";
}

namespace {

// The live events I attend today: to know about, never owed (no due date, so never overdue).
// The key holds the day, so an event moved to another day comes back on that day.
void append_events_today(Index& index, const Session& session, std::vector<InboxItem>& items) {
    for (const auto& e : events_today(index, session.workspace, session.me, session.now)) {
        InboxItem item;
        item.key = "event:" + e.id + "@" + format_local_date(e.start);
        item.handle = short_hash(item.key);
        item.kind = ItemKind::event;
        item.title = "today " + one_line(event_line(e));
        item.from = e.author;
        item.doc_id = e.id;
        item.path = e.path;
        item.since = e.start;
        items.push_back(std::move(item));
    }
}

// ready_to_close among docs, an author's open documents, whose children sources holds.
std::vector<ReadyToClose> ready_among(AnswerSources& sources, std::vector<DocSummary> docs, TimePoint now) {
    std::vector<ReadyToClose> out;
    for (auto& doc : docs) {
        bool meeting = doc.type == "meeting";
        if (meeting ? doc.participants.empty() : doc.reviewers.empty()) {
            continue;
        }
        auto answers = meeting ? meeting_status(sources, doc, now) : reviews_of(sources, doc, now);
        bool everyone = true;
        bool overdue = false;
        std::optional<TimePoint> last;
        std::string states;
        for (const auto& a : answers) {
            everyone = everyone && a.state == ReviewState::answered;
            overdue = overdue || a.state == ReviewState::overdue;
            if (a.replied && (!last || *last < *a.replied)) {
                last = a.replied;
            }
            states += a.handle + "=" + std::string{to_string(a.state)} + "\n";
        }
        if (answers.empty() || (!everyone && !overdue)) {
            continue;
        }
        ReadyToClose ready;
        ready.reason = everyone ? CloseReason::answered : CloseReason::deadline_passed;
        ready.since = everyone ? last : doc.due;
        ready.version = "answers:" + short_hash(states);
        ready.doc = std::move(doc);
        out.push_back(std::move(ready));
    }
    return out;
}

} // namespace

std::vector<ReadyToClose> ready_to_close(Index& index, std::string_view author, TimePoint now) {
    auto docs = open_documents_by(index, handle_or_lower(author));
    AnswerSources sources{index.workspace(), children_of_each(index, docs), {}};
    return ready_among(sources, std::move(docs), now);
}

std::string close_it_title(const ReadyToClose& ready) {
    const DocSummary& doc = ready.doc;
    std::string title = one_line(doc.title.empty() ? doc.path : doc.title);
    if (doc.type != "meeting") {
        // A write-up's deadline only ends the wait: what came in is the feedback there is.
        return title + ": feedback is in — close it";
    }
    return title + (ready.reason == CloseReason::answered ? ": responses are in — close it"
                                                          : ": deadline passed — close it");
}

fs::path state_file(const Workspace& ws, const std::string& me) {
    return inbox_state_file(ws.root(), me);
}

std::vector<InboxItem> gather_inbox(Index& index, const Session& session, bool all) {
    const Workspace& ws = session.workspace;
    const Config& config = session.config;
    const std::string& me = session.me;
    const TimePoint now = session.now;
    // Every source from one snapshot of the index (another process may refresh it meanwhile).
    ReadSnapshot snapshot{index};
    std::vector<InboxItem> items;
    std::map<std::string, bool> owed_docs; // documents already in as a review or response
    for (const auto& doc : awaiting_answer(index, me, "reviewers", "reply")) {
        if (to_lower_ascii(doc.author) == me || is_child_type(doc.type)) {
            continue;
        }
        items.push_back(from_doc(ItemKind::review, "review:" + doc.id, doc));
        owed_docs[doc.path] = true;
    }
    for (const auto& doc : awaiting_answer(index, me, "participants", "response")) {
        if (doc.type != "meeting") {
            continue;
        }
        items.push_back(from_doc(ItemKind::response, "response:" + doc.id, doc));
        owed_docs[doc.path] = true;
    }

    // My check-in, from the day this period's is owed on, until I have written it.
    if (auto missing = missing_checkin(ws, config, me, now)) {
        InboxItem item;
        item.key = missing->key;
        item.handle = short_hash(item.key);
        item.kind = ItemKind::checkin;
        item.title = missing->title;
        item.due = missing->due;
        item.since = checkin_owed_from(config, period_of(checkin_cadence(config), now));
        items.push_back(item);
    }

    // My actions, by the handle `async actions` gives them; done ones (ticked in their file)
    // only for all, so that `inbox undo` finds them.
    ActionFilter mine;
    mine.owner = me;
    mine.state = all ? ActionState::all : ActionState::open;
    auto actions = list_actions(index, mine);
    items.reserve(items.size() + actions.size());
    for (auto& a : actions) {
        std::string title = a.text.empty() ? one_line(a.doc->title) : std::move(a.text);
        InboxItem item = from_doc(ItemKind::action, "action:" + a.handle, *a.doc, std::move(title));
        item.handle = a.handle;
        item.due = a.due_at;
        if (a.done) {
            item.state = ItemState::done;
        }
        items.push_back(std::move(item));
    }
    // Hearing back on what I wrote: every reply by someone else to an open document of mine, and
    // each document or meeting of mine that is ready to close.
    auto my_open = open_documents_by(index, me);
    AnswerSources sources{ws, children_of_each(index, my_open), {}};
    for (const auto& doc : my_open) {
        auto children = sources.children.find(doc.path);
        if (children == sources.children.end()) {
            continue;
        }
        for (const auto& reply : children->second) {
            std::string who = handle_or_lower(reply.author);
            if (reply.type != "reply" || who == me) {
                continue;
            }
            std::string title = (who.empty() ? std::string{"someone"} : who) + " replied to " +
                                one_line(doc.title.empty() ? doc.path : doc.title);
            InboxItem item = from_doc(ItemKind::replied, "replied:" + (reply.id.empty() ? reply.path : reply.id), reply,
                                      std::move(title));
            item.due.reset();
            items.push_back(std::move(item));
            owed_docs[reply.path] = true; // its mention of me is this item
        }
    }
    for (auto& ready : ready_among(sources, std::move(my_open), now)) {
        InboxItem item = from_doc(ItemKind::close, "close:" + (ready.doc.id.empty() ? ready.doc.path : ready.doc.id),
                                  ready.doc, close_it_title(ready));
        item.from.clear();
        item.due.reset(); // closing has no deadline of its own
        item.since = ready.since ? ready.since : ready.doc.created;
        item.version = std::move(ready.version);
        items.push_back(std::move(item));
    }
    for (const auto& doc : mentioning(index, me, now - k_mention_window)) {
        if (owed_docs.contains(doc.path)) {
            continue;
        }
        InboxItem item = from_doc(ItemKind::mention, "mention:" + (doc.id.empty() ? doc.path : doc.id), doc);
        item.due.reset();
        items.push_back(item);
    }
    for (const auto& doc : items_for(index, me)) {
        if (doc.status == "closed" || doc.status == "done") {
            continue;
        }
        items.push_back(from_doc(ItemKind::item, "item:" + (doc.id.empty() ? doc.path : doc.id), doc));
    }
    append_events_today(index, session, items);
    for (const auto& step : onboarding_due(session, index)) {
        std::string title = "Day " + std::to_string(step.step.day) + " of onboarding: " +
                            one_line(step.step.doc->title.empty() ? step.step.doc->path : step.step.doc->title) +
                            " — what was missing? async doc reply " + step.step.doc->id;
        InboxItem item = from_doc(ItemKind::onboarding, step.key, *step.step.doc, std::move(title));
        item.due.reset();
        item.since = parse_human_date(step.date, now, DateRole::start);
        items.push_back(std::move(item));
    }

    // This week's watercooler thread, until I have replied: optional, so no due date.
    ListFilter watercooler;
    watercooler.type = "watercooler";
    watercooler.since = iso_week_start(iso_week_of(now)) - std::chrono::hours{24};
    for (const auto& doc : list_documents(index, watercooler)) {
        if (doc.status == "closed" || handle_or_lower(doc.author) == me) {
            continue;
        }
        auto replies = children_of(index, doc);
        if (std::any_of(replies.begin(), replies.end(), [&](const DocSummary& r) { return handle_or_lower(r.author) == me; })) {
            continue;
        }
        InboxItem item = from_doc(ItemKind::watercooler, "watercooler:" + (doc.id.empty() ? doc.path : doc.id), doc,
                                  "Optional: " + one_line(doc.title.empty() ? doc.path : doc.title));
        item.due.reset();
        items.push_back(std::move(item));
    }

    fs::path file = state_file(ws, me);
    auto log = load_log(file, ws.display(file));
    std::unordered_map<std::string_view, const LoggedDecision*> last; // the last decision per item
    for (const auto& d : log) {
        last[d.item] = &d;
    }
    for (auto& item : items) {
        if (to_lower_ascii(item.from) == me) {
            item.from.clear(); // my own action or note: nobody asked
        }
        auto found = last.find(item.key);
        if (found == last.end()) {
            continue;
        }
        const LoggedDecision* d = found->second;
        if (item.kind == ItemKind::action && (item.state == ItemState::done || d->verb == TriageVerb::done)) {
            continue; // an action's box is the truth about done (a logged done is from older versions)
        }
        if (item.kind == ItemKind::mention && d->verb == TriageVerb::done) {
            item.version = mention_version(ws, item.path, me); // read only for the few decided
        }
        // A mention's or close-it's done holds while its version does (the text that mentions me;
        // who has answered).
        bool versioned = item.kind == ItemKind::mention || item.kind == ItemKind::close;
        if (d->verb == TriageVerb::done && (!versioned || d->version == item.version)) {
            item.state = ItemState::done;
        } else if (d->verb == TriageVerb::snooze && d->until && now < *d->until) {
            item.state = ItemState::snoozed;
            item.until = d->until;
        } else if (d->verb == TriageVerb::delegate) {
            item.state = ItemState::delegated;
            item.delegated_to = d->to;
        }
    }
    if (!all) {
        std::erase_if(items, [](const InboxItem& item) { return item.state != ItemState::open; });
    }
    sort_by_urgency(items, now);
    return items;
}

std::string explain_rank(const InboxItem& item, TimePoint now) {
    std::vector<std::string> parts;
    if (item.due) {
        std::string rel = format_relative(*item.due, now);
        if (is_overdue(*item.due, now)) {
            parts.push_back("overdue by " + (rel.ends_with(" ago") ? rel.substr(0, rel.size() - 4) : rel) + " (was due " +
                            format_local(*item.due) + ")");
        } else {
            parts.push_back("due " + rel + " (" + format_local(*item.due) + ")");
        }
    } else {
        parts.push_back("no due date, so after everything that has one");
    }
    if (!item.from.empty()) {
        parts.push_back((item.kind == ItemKind::mention ? "mentioned by " : "asked by ") + item.from);
    }
    if (item.since) {
        parts.push_back("arrived " + format_relative(*item.since, now));
    }
    std::string out;
    for (const auto& p : parts) {
        out += (out.empty() ? "" : "; ") + p;
    }
    return out;
}

std::vector<InboxItem> resolve_items(const std::vector<InboxItem>& all_items, const std::vector<std::string>& handles) {
    std::vector<InboxItem> out;
    for (const auto& raw : handles) {
        std::string handle = to_lower_ascii(trim(raw));
        if (handle.size() < 4 || handle.size() > 7 ||
            !std::all_of(handle.begin(), handle.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); })) {
            throw Error{ErrorKind::usage, "invalid item '" + sanitize_for_terminal(raw, Newlines::flatten) + "'",
                        "use the handle 'async inbox' prints (4 to 7 hex digits)"};
        }
        std::vector<const InboxItem*> matches;
        for (const auto& item : all_items) {
            if (item.handle.starts_with(handle)) {
                matches.push_back(&item);
            }
        }
        if (matches.empty()) {
            throw Error{ErrorKind::no, "no inbox item matches '" + handle + "'", "see 'async inbox --all'"};
        }
        if (matches.size() > 1) {
            throw Error{ErrorKind::no, "'" + handle + "' is ambiguous",
                        "it matches " + std::to_string(matches.size()) + " items; type more of the handle"};
        }
        if (std::none_of(out.begin(), out.end(), [&](const InboxItem& i) { return i.key == matches.front()->key; })) {
            out.push_back(*matches.front());
        }
    }
    return out;
}

Written capture_item(const Session& session, const CaptureRequest& capture) {
    const Workspace& ws = session.workspace;
    const std::string& me = session.me;
    const TimePoint now = session.now;
    if (capture.text.size() > k_max_capture) {
        throw Error{ErrorKind::usage, "the item is too long (over 1 MiB)", "link to a document instead"};
    }
    if (find_invalid_utf8(capture.text)) {
        throw Error{ErrorKind::usage, "the item is not valid UTF-8 text"};
    }
    std::string text{trim(capture.text)};
    if (text.empty()) {
        throw Error{ErrorKind::usage, "nothing to capture: the text is empty", "async inbox add \"TEXT\""};
    }
    std::string owner = capture.for_handle.empty() ? me : normalize_handle(capture.for_handle);
    auto end = text.find('\n');
    std::string title = one_line(sanitize_for_terminal(text.substr(0, end), Newlines::flatten));
    if (title.size() > 200) {
        title = truncate_to_width(title, 200);
    }
    std::string body = end == std::string::npos ? std::string{} : std::string{trim(text.substr(end + 1))};

    Document doc = Document::from_parts("", body.empty() ? "" : body + "\n");
    std::string id = new_id();
    doc.set_string("id", id);
    doc.set_string("type", "item");
    doc.set_string("title", title);
    doc.set_string("author", me);
    doc.set_time("created", now);
    doc.set_strings("for", {owner});
    if (capture.due) {
        doc.set_time("due", *capture.due);
    }
    std::string slug = slugify(title);
    fs::path dir = inbox_dir(ws.root(), owner);
    fs::create_directories(dir);
    fs::path path = create_file_numbered(dir, format_utc_stamp(now) + "-" + me + (slug.empty() ? "" : "-" + slug.substr(0, 40)),
                                         doc.render());
    return Written{id, path};
}

std::vector<DecisionResult> decide(const Session& session, const std::vector<InboxItem>& items,
                                   const TriageDecision& decision, bool dry_run) {
    const Workspace& ws = session.workspace;
    const std::string& me = session.me;
    const TimePoint now = session.now;
    std::string to;
    if (decision.verb == TriageVerb::delegate) {
        to = normalize_handle(decision.to);
        if (to == me) {
            throw Error{ErrorKind::usage, "cannot delegate to yourself", "name a teammate with --to"};
        }
    }
    if (decision.verb == TriageVerb::snooze && (!decision.until || *decision.until <= now)) {
        throw Error{ErrorKind::usage, "snooze needs a date in the future", "async inbox snooze --until mon ITEM"};
    }
    fs::path file = state_file(ws, me);
    WriteMode mode = dry_run ? WriteMode::dry_run : WriteMode::write;
    std::vector<DecisionResult> out;
    for (const auto& item : items) {
        // An action's done is its box, ticked like `actions done` does (never a logged
        // decision); undo unticks it. Snooze and delegate stay my own triage decisions.
        if (item.kind == ItemKind::action && decision.verb == TriageVerb::done) {
            MarkResult r = mark_action(ws, item.path, item.handle, ActionMark::done, mode);
            DecisionResult result{item, r.changed, r.changed ? "done" : "already done"};
            result.item.state = ItemState::done;
            out.push_back(std::move(result));
            continue;
        }
        if (item.kind == ItemKind::action && decision.verb == TriageVerb::undo) {
            MarkResult r = mark_action(ws, item.path, item.handle, ActionMark::open, mode);
            if (r.changed) {
                DecisionResult result{item, true, "undid done"};
                result.item.state = ItemState::open;
                out.push_back(std::move(result));
                continue;
            }
        }
        // Read again for every item, under the lock: each decision is written on its own, at
        // once, and none another async wrote meanwhile is lost.
        std::optional<FileLock> lock;
        if (!dry_run) {
            lock.emplace(file);
        }
        auto log = load_log(file, ws.display(file));
        DecisionResult result{item, true, {}};
        if (item.kind == ItemKind::mention && result.item.version.empty()) {
            result.item.version = mention_version(ws, item.path, me);
        }
        const LoggedDecision* last = last_decision(log, item.key);
        if (decision.verb == TriageVerb::undo) {
            if (last == nullptr) {
                result.changed = false;
                result.note = "nothing to undo";
            } else {
                result.note = "undid " + std::string{verb_name(last->verb)};
                auto it = std::find_if(log.rbegin(), log.rend(), [&](const LoggedDecision& d) { return d.item == item.key; });
                if (!it->handed.empty() && !dry_run) {
                    // Take back what delegating handed over (a file I wrote), unless it has moved on.
                    std::error_code ec;
                    fs::path handed = fs::path{it->handed}.lexically_normal();
                    if (is_inbox_file(handed.generic_string()) && !handed.is_absolute()) {
                        fs::remove(ws.root() / handed, ec);
                    }
                }
                log.erase(std::next(it).base());
            }
        } else {
            bool same = item.state == (decision.verb == TriageVerb::done       ? ItemState::done
                                       : decision.verb == TriageVerb::snooze ? ItemState::snoozed
                                                                             : ItemState::delegated) &&
                        last != nullptr && last->verb == decision.verb &&
                        (decision.verb != TriageVerb::snooze || last->until == decision.until) &&
                        (decision.verb != TriageVerb::delegate || last->to == to);
            if (same) {
                result.changed = false;
                result.note = "already " + std::string{to_string(item.state)};
            } else {
                LoggedDecision d;
                d.item = item.key;
                d.verb = decision.verb;
                d.at = now;
                d.version = result.item.version;
                if (decision.verb == TriageVerb::snooze) {
                    d.until = decision.until;
                    result.note = "snoozed until " + format_local(*decision.until);
                } else if (decision.verb == TriageVerb::delegate) {
                    d.to = to;
                    result.note = "delegated to " + to;
                } else {
                    result.note = "done";
                }
                log.push_back(std::move(d));
            }
        }
        if (result.changed && !dry_run) {
            if (decision.verb == TriageVerb::delegate) {
                // Written before the decision that records it, so the log never names a file
                // that does not exist.
                CaptureRequest handed;
                handed.for_handle = to;
                handed.due = item.due;
                handed.text = item.title + "\n\nDelegated by @" + me + " (" + std::string{to_string(item.kind)} +
                              (item.doc_id.empty() ? std::string{} : " in #" + item.doc_id) + ")." +
                              (item.path.empty() ? std::string{} : "\n\nSee " + item.path + ".");
                log.back().handed = ws.display(capture_item(session, handed).path);
            }
            lock->commit(render_log(me, log));
        }
        out.push_back(std::move(result));
    }
    return out;
}

} // namespace async
