#pragma once
// Practice 6, live events: a synchronous meeting at a time, written as an `event` document
// (meetings/<date>-<slug>/index.md: `start`, `end`, `participants`, `where`, `sequence`; its
// body is the agenda and afterwards the notes). Events are shown by agenda, exported by the
// calendar and offered to participants' inboxes on their day; only the author writes the file.
#include <async/agenda.hpp>
#include <async/clock.hpp>
#include <async/query.hpp>
#include <async/session.hpp>
#include <async/writeup.hpp>
#include <async/writing.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace async {

class Index;
class Workspace;

struct Event {
    std::string id;
    std::string path; // relative to the workspace root
    std::string title;
    std::string author;
    TimePoint start{};
    TimePoint end{};
    std::vector<std::string> participants; // handles, lower case, the author not repeated
    std::string where;
    int sequence = 0; // bumped by move_event: the calendar's SEQUENCE
};

struct NewEvent {
    std::string title;
    TimePoint start{};
    std::chrono::minutes length{0};
    std::vector<std::string> with; // participants' handles as typed
    std::string where;
    BodyInput body;
};

// Writes a new event of session.me (sequence 0) from request, through the editor flow (-m,
// --file, --no-edit as for meetings). Throws Error{usage} for a blank or over-long title, a
// bad handle, a blank length or a `where` holding control characters or over 200 bytes.
Written create_event(const Session& session, const NewEvent& request);

// The event a document of type "event" describes, read from its file under root. nullopt when
// the file cannot be read, is not an event, or has no valid `start` before its `end`.
std::optional<Event> read_event(const std::filesystem::path& root, const DocSummary& doc);

// Every event of the workspace that is not closed, by start (then id).
std::vector<Event> list_events(Index& index, const Workspace& ws);

struct MovedEvent {
    Event before;
    Event after;
    bool changed = false; // false: the same start and end (nothing written)
};

// Gives the event doc (session.me must be its author) a new start, and a new length when one is
// given (else it keeps its length), and bumps `sequence` so every calendar that imported it
// updates the same event. Throws Error{usage} when doc is not an event or not mine, Error{data}
// when its file is not a readable event.
MovedEvent move_event(const Session& session, const DocSummary& doc, TimePoint start,
                      std::optional<std::chrono::minutes> length);

// The event as an agenda/calendar entry: kind event, key "event:<id>", due = start, end,
// sequence, where and the attendees (the author first, then the participants, each with the
// email of config's people.<handle>.email when there is one).
Deadline event_deadline(const Event& event, const Config& config);

// The events' entries (event_deadline) of the workspace; with who, only those whose author or
// participant who is.
std::vector<Deadline> event_deadlines(Index& index, const Workspace& ws, const Config& config,
                                      const std::optional<std::string>& who);

// The events whose local start date is the local date of now and that handle attends (author or
// participant), by start: the inbox's informational items.
std::vector<Event> events_today(Index& index, const Workspace& ws, std::string_view handle,
                                TimePoint now);

// "15:00–16:00 Planning (Room 2)": an event's local times, title and place on one line.
std::string event_line(const Event& event);

} // namespace async
