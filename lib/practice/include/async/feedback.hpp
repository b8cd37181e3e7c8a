#pragma once
// Practice 1, feedback on write-ups: replies (one file per reply, written only by its author),
// closing a document with its outcome, and whether each reviewer has answered.
#include <async/clock.hpp>
#include <async/leave.hpp>
#include <async/session.hpp>
#include <async/query.hpp>
#include <async/writeup.hpp>
#include <async/writing.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace async {

class Config;
class Env;
class Index;
class Workspace;

// The first line of the comment block appended to a reply's body while it is being written:
// the document's title, its questions (its "## " headings) and its deadline, for reference.
// The block (from this marker to the next "-->") is removed before the reply is saved.
inline constexpr std::string_view k_reply_context_marker = "<!-- async: for reference while you write;";

// The context block for doc (title, id, deadline, questions from its "## " headings in body).
std::string reply_context_block(const DocSummary& doc, std::string_view body);

// body without the context block (and the blank lines before it); body as is when there is none.
std::string strip_reply_context(std::string_view body);

// Writes my reply to doc as <bundle>/replies/<UTC stamp>-<author>.md (-2, -3… when a file of
// that name exists) through the shared editor flow; resume_ref names doc in the resume hint.
// attachments are checked before the editor opens and copied beside the reply
// (replies/attachments/<its stem>/, own_attachments_link) and linked; with attachments the reply
// may have no text of its own (a voice note). Throws Error{usage} when doc is a reply, response
// or summary, or not a bundle's index.md, or for a bad attachment, and whatever
// compose_document throws for the abort paths (nothing is written then).
Written create_reply(const Session& session, const DocSummary& doc, const BodyInput& body,
                     const std::vector<std::filesystem::path>& attachments = {});

enum class CloseResult { closed, already_closed, outcome_added };

// Marks doc closed: status = "closed" and closed = now (every other front matter line kept),
// and with outcome a "Decision: OUTCOME" paragraph under a "## Outcome" heading. A document
// already closed is left alone without outcome (already_closed); with one, the outcome is
// appended (outcome_added). Atomic write. Throws Error{usage} for a child document or an
// empty outcome, Error{data} when the file cannot be read or parsed.
CloseResult close_document(const Workspace& ws, const DocSummary& doc, TimePoint now,
                           const std::optional<std::string>& outcome);

// away: not answered and away (practice/leave) at the deadline, so not called overdue.
enum class ReviewState { pending, answered, overdue, away };

// "pending", "answered", "overdue", "away".
std::string_view to_string(ReviewState state);

struct Review {
    std::string handle;
    ReviewState state = ReviewState::pending;
    std::optional<TimePoint> replied; // the reviewer's first reply, when answered
    bool late = false;                // answered, but after the deadline (is_overdue at replied)
    std::optional<TimePoint> away_until; // when away: the end of the last day of the absence
};

// One entry per reviewer of doc, in front matter order: answered once a reply by them exists,
// else away when they are away at doc's due, else overdue when doc's due is before now, else
// pending.
std::vector<Review> reviews_of(Index& index, const DocSummary& doc, TimePoint now);

// The same for any people and kind of child document: one entry per person (normalised, each
// once, in order), answered once a child of doc of child_type written by them exists (replied:
// the earliest; late when that was past doc's due), else overdue when doc's due is before now,
// else pending; a person who has not answered and is away (leave's away_at) at doc's due is
// away instead of pending or overdue, with away_until.
std::vector<Review> answers_of(Index& index, const DocSummary& doc, const std::vector<std::string>& people,
                               std::string_view child_type, TimePoint now);

// What the answers to many documents are read from, read once for all of them: each
// document's children (children_of_each) and leave's absences (when first needed).
struct AnswerSources {
    const Workspace& ws;
    std::unordered_map<std::string, std::vector<DocSummary>> children; // by the document's path
    std::optional<Absences> absences;
};

// reviews_of and answers_of, answered from sources: the same states, without a question to
// the index per document.
std::vector<Review> reviews_of(AnswerSources& sources, const DocSummary& doc, TimePoint now);
std::vector<Review> answers_of(AnswerSources& sources, const DocSummary& doc, const std::vector<std::string>& people,
                               std::string_view child_type, TimePoint now);

} // namespace async
