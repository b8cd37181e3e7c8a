#pragma once
// Practice 3, inbox zero: everything that needs me, derived from the index (reviews and meeting
// responses I owe, my check-in when due, my open actions, mentions of me, replies to my open
// documents, and my documents and meetings that are ready to close) plus items captured
// for me (people/<me>/inbox/), ranked most urgent first; and my triage decisions (done, snooze,
// delegate, undo), kept in people/<me>/state.toml, a file only I write.
#include <async/clock.hpp>
#include <async/session.hpp>
#include <async/query.hpp>
#include <async/writeup.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace async {

class Config;
class Index;
class Workspace;

// watercooler: this week's non-work thread (practice/watercooler), optional: no due date, never
// overdue, never mailed by remind.
enum class ItemKind { review, response, checkin, action, mention, item, replied, close, watercooler, event, onboarding };

// "review", "response", "checkin", "action", "mention", "item", "replied", "close", "watercooler",
// "event", "onboarding".
std::string_view to_string(ItemKind kind);

enum class ItemState { open, done, snoozed, delegated };

// "open", "done", "snoozed", "delegated".
std::string_view to_string(ItemState state);

struct InboxItem {
    std::string handle;   // 7 hex digits of a hash of key (an action: its action handle, the same
                          // as `async actions` prints): stable, accepted by the verbs
    std::string key;      // what the item is about: "review:<doc id>", "action:<action handle>"…
    ItemKind kind = ItemKind::item;
    std::string title;    // one line
    std::string from;     // who asked (the author), may be empty
    std::string doc_id;   // the document to open, may be empty
    std::string path;     // that document's path relative to the workspace root
    std::optional<TimePoint> due;
    std::optional<TimePoint> since; // when it arrived (created), for the age
    std::string version;  // changes when something new happens (mentions: the lines that mention
                          // me); filled only where a decision needs it
    ItemState state = ItemState::open;
    std::optional<TimePoint> until;  // snoozed until
    std::string delegated_to;
};

enum class CloseReason { answered, deadline_passed };

// An open document or meeting whose author has heard back: everyone asked has answered, or the
// deadline has passed with someone still pending.
struct ReadyToClose {
    DocSummary doc;
    CloseReason reason = CloseReason::answered;
    std::optional<TimePoint> since; // the last answer (answered) or the deadline (deadline_passed)
    std::string version;            // changes whenever someone's answer state changes
};

// The documents of author (a handle) that are ready to close, oldest first: open top-level
// documents with reviewers (reviews_of) and meetings with participants (meeting_status), each
// once everyone has answered or anyone is overdue. Who answered is feedback's answer, never
// computed here.
std::vector<ReadyToClose> ready_to_close(Index& index, std::string_view author, TimePoint now);

// "Pricing page: feedback is in — close it"; a meeting: "Weekly sync: responses are in — close
// it" or "Weekly sync: deadline passed — close it".
std::string close_it_title(const ReadyToClose& ready);

// Everything that needs me, most urgent first: overdue (most overdue first), then by due date,
// then the rest oldest first (due and overdue as due.hpp says). Items I have marked done,
// snoozed (until their date) or delegated, and my ticked actions, are left out unless all is set. The checkin day comes from config checkin.day (default
// friday); mentions count in documents written by others in the last 14 days. Each reply by
// someone else to an open document of mine is an item ("bob replied to Pricing page"; done
// stays done); each of ready_to_close(me) is one ("… — close it"; done stays done until
// someone's answer changes; gone once the document is closed). A live event I attend (author or
// participant) is an item on its local day ("today 15:00–16:00 Planning"), with no due date.
// Each step of my onboarding path (onboard's onboarding_due) is an item from its day until I
// reply to its document ("Day 3 of onboarding: Deploys — what was missing?").
std::vector<InboxItem> gather_inbox(Index& index, const Session& session, bool all);

// Why item ranks where it does: "overdue by 2 days (due Thu 2026-11-26 17:00); asked by bob;
// 3 days old".
std::string explain_rank(const InboxItem& item, TimePoint now);

// The items handles name (a handle or a unique prefix of 4+ characters each), from all items
// (done and snoozed ones too). Throws Error{usage} for a malformed handle, Error{no} for one
// that matches nothing or several.
std::vector<InboxItem> resolve_items(const std::vector<InboxItem>& all_items, const std::vector<std::string>& handles);

struct CaptureRequest {
    std::string text;             // first line = title, the rest the body
    std::optional<TimePoint> due;
    std::string for_handle;       // whose inbox (empty: mine)
};

// Writes people/<for>/inbox/<UTC stamp>-<me>-<slug>.md (type "item", exclusive create; -2…
// on a clash). Throws Error{usage} for blank text, a bad handle or text over 1 MiB.
Written capture_item(const Session& session, const CaptureRequest& capture);

enum class TriageVerb { done, snooze, delegate, undo };

struct TriageDecision {
    TriageVerb verb = TriageVerb::done;
    std::optional<TimePoint> until; // snooze
    std::string to;                 // delegate
};

struct DecisionResult {
    InboxItem item;
    bool changed = false; // false: already so (idempotent), or nothing to undo
    std::string note;     // what was (or would be) done, for the user
};

// Applies decision to each item: appends to people/<me>/state.toml (rewritten atomically once
// per item, so a crash loses nothing already confirmed); undo removes the item's last decision.
// An action is different for done and undo: done ticks its box in its file (mark_action, as
// `actions done` does) and undo of a ticked action unticks it; nothing is logged for them.
// Snoozing or delegating an action is logged like any item (the action stays open for others).
// Delegating also captures the item in the other person's inbox, saying who delegated it.
// With dry_run nothing is written. Throws Error{usage} for delegating to myself or a bad handle.
std::vector<DecisionResult> decide(const Session& session, const std::vector<InboxItem>& items,
                                   const TriageDecision& decision, bool dry_run);

// people/<me>/state.toml.
std::filesystem::path state_file(const Workspace& ws, const std::string& me);

} // namespace async
