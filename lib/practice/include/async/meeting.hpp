#pragma once
// Practice 2, async meetings: an agenda with participants and a deadline, one response file
// per participant (responses/<handle>.md, written only by them), who has responded, and the
// summary that compiles the responses, decisions and actions when the meeting closes.
#include <async/clock.hpp>
#include <async/session.hpp>
#include <async/feedback.hpp>
#include <async/query.hpp>
#include <async/writeup.hpp>
#include <async/writing.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace async {

class Config;
class Env;
class Index;
class Workspace;

struct NewMeeting {
    std::string title;
    std::vector<std::string> participants;           // handles, normalised by the callee
    std::optional<TimePoint> due;                    // the response deadline
    std::vector<std::filesystem::path> attachments;  // files copied into attachments/
    BodyInput body;
};

struct OpenedMeeting {
    Written agenda;                                // the meeting's index.md
    std::vector<std::filesystem::path> attached;  // the copies in attachments/, transcripts included
};

// Writes meetings/<date>-<slug>/index.md from the meeting template (participants and due in
// front matter) through the editor flow, then copies each attachment into the bundle's
// attachments/ folder (a second file of one name gets -2, -3…) and links it from the agenda
// when the text does not already. A transcript beside an attached audio or video file
// (talk.ogg + talk.vtt, .srt or .txt) is copied with it. Attachments are checked before the
// editor opens. Throws Error{usage} for no participants, a bad handle or a bad attachment.
OpenedMeeting open_meeting(const Session& session, const NewMeeting& request);

// The agenda's items: the text of its level-2 headings, except ones named Decisions or Actions.
std::vector<std::string> agenda_items(std::string_view agenda_body);

// Throws Error{usage} unless doc is a meeting's agenda (a response or summary names its meeting
// in the hint).
void require_meeting(const DocSummary& doc);

enum class ResponseOutcome { created, edited, unchanged };

struct Response {
    ResponseOutcome outcome = ResponseOutcome::created;
    std::string id;  // the response's id
    std::filesystem::path path;
    std::vector<std::filesystem::path> attached = {};  // the copies of its attachments, transcripts included
};

// Writes my response to meeting as <bundle>/responses/<me>.md, one "## " section per agenda
// item (from the response template), or edits it when it exists. attachments are checked
// before the editor opens, copied beside the response (responses/attachments/<me>/) and linked;
// with attachments a response may keep the template or have no text (a voice note instead).
// Refused with Error{no} when the meeting is closed; the abort paths of
// compose_document/edit_existing apply.
Response respond_to_meeting(const Session& session, const DocSummary& meeting, const BodyInput& body,
                            const std::vector<std::filesystem::path>& attachments = {});

// One entry per participant: answered (responded, when) once their response exists, else
// overdue after the deadline, else pending.
std::vector<Review> meeting_status(Index& index, const DocSummary& meeting, TimePoint now);
// The same, answered from sources (feedback's AnswerSources).
std::vector<Review> meeting_status(AnswerSources& sources, const DocSummary& meeting, TimePoint now);

// "responded", "pending", "overdue": a participant's state in meeting words.
std::string_view response_state_name(ReviewState state);

struct ResponseText {
    std::string author;
    std::optional<TimePoint> created;
    std::string body;
};

struct SummarySource {
    std::string meeting_id;               // linked as "#id" at the top, when set
    std::string agenda_body;
    std::string agenda_author;
    std::vector<Review> participants;     // meeting_status
    std::vector<ResponseText> responses;  // oldest first
    std::string response_preamble;        // the response template's text before its first item:
                                          // left out of the summary when a response kept it as is
};

// The summary's body: a "#id" link back to the meeting; who responded; under each agenda item every response's section, quoted
// ("> ") under its author's name; sections under other headings and other remarks in "Other
// remarks"; then "## Decisions" and "## Actions" with every decision and action of the agenda
// and the responses, each once (an action without an owner gets its writer as owner).
std::string compile_summary(const SummarySource& source);

enum class CloseOutcome { closed, already_closed };

struct ClosedMeeting {
    CloseOutcome outcome = CloseOutcome::closed;
    std::filesystem::path summary;
    std::string summary_id;            // empty when an existing summary.md was kept
    std::vector<std::string> pending;  // participants without a response at closing time
};

// Compiles summary.md (front matter: type "summary", summary_of the meeting's id), opens it in
// the editor for the organiser to finalise (saving it unchanged is fine; -m TEXT is put above
// the compiled text), writes it, then marks the meeting closed. A meeting already closed with a
// summary is left alone (already_closed); an existing summary.md is never overwritten: the
// meeting is only marked closed.
ClosedMeeting close_meeting(const Session& session, Index& index, const DocSummary& meeting, const BodyInput& body);

} // namespace async
