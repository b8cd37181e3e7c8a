#pragma once
// Who answered a document: the reviews of a write-up (`doc status`, `show`) and the responses
// to a meeting (`meeting status`, `show`), in one wording and one JSON shape.
#include <async/feedback.hpp>
#include <async/json.hpp>
#include <async/query.hpp>

#include <string>
#include <vector>

namespace async::cmd {

class Context;

// What the answers are to: a write-up's reviews ("answered") or a meeting's responses
// ("responded").
enum class AnswerKind { review, response };

// "answered", "responded late", "pending", "overdue", "away until Mon 2026-12-14".
std::string answer_state(const Review& review, AnswerKind kind);

// "reviews" [{handle, state, replied, late, away_until}] or "responses" [{handle, state,
// responded, late, away_until}]; replied/responded and late only once answered, away_until (the
// last day away) only when away.
void write_answers(JsonWriter& json, const std::vector<Review>& answers, AnswerKind kind);

// "review bob: answered late, Mon 2026-11-30 09:12", one line per person, after a blank line.
std::string answer_lines(const std::vector<Review>& answers, AnswerKind kind);

// The status report of doc: its title, id, state and deadline, then one row per person
// (handle, state, when), overdue rows in red; with --json the document's fields and the
// answers. Exits 1 (Error{no}, nothing more said) while anyone has not answered.
void print_answer_status(Context& ctx, const DocSummary& doc, const std::vector<Review>& answers, AnswerKind kind);

} // namespace async::cmd
