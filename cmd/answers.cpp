#include "answers.hpp"

#include "command.hpp"
#include "output.hpp"

#include <async/dates.hpp>
#include <async/error.hpp>
#include <async/meeting.hpp>
#include <async/text.hpp>
#include <async/zones.hpp>

#include <algorithm>

namespace async::cmd {

namespace {

// The state's word: "responded" for a meeting's response (meeting's response_state_name),
// "answered", "pending" or "overdue" otherwise (feedback's to_string).
std::string_view state_word(ReviewState state, AnswerKind kind) {
    return kind == AnswerKind::response ? response_state_name(state) : to_string(state);
}

} // namespace

std::string answer_state(const Review& review, AnswerKind kind) {
    if (review.state == ReviewState::away && review.away_until) {
        return "away until " + format_local(*review.away_until).substr(0, 14);
    }
    std::string state{state_word(review.state, kind)};
    return review.late ? state + " late" : state;
}

void write_answers(JsonWriter& json, const std::vector<Review>& answers, AnswerKind kind) {
    bool meeting = kind == AnswerKind::response;
    json.key(meeting ? "responses" : "reviews").begin_array();
    for (const auto& r : answers) {
        // The state without "late": "late" is its own field.
        json.begin_object().key("handle").value(r.handle).key("state").value(std::string{state_word(r.state, kind)});
        if (r.replied) {
            json.key(meeting ? "responded" : "replied").value(format_utc(*r.replied));
        }
        if (r.state == ReviewState::answered) {
            json.key("late").value(r.late);
        }
        if (r.away_until) {
            json.key("away_until").value(format_local_date(*r.away_until));
        }
        json.end_object();
    }
    json.end_array();
}

std::string answer_lines(const std::vector<Review>& answers, AnswerKind kind) {
    std::string out = answers.empty() ? "" : "\n";
    for (const auto& r : answers) {
        out += (kind == AnswerKind::response ? "response " : "review ") +
               sanitize_for_terminal(r.handle, Newlines::flatten) + ": " + answer_state(r, kind) +
               (r.replied ? (r.late ? ", " : " ") + format_local(*r.replied) : std::string{}) + "\n";
    }
    return out;
}

void print_answer_status(Context& ctx, const DocSummary& doc, const std::vector<Review>& answers, AnswerKind kind) {
    TimePoint now = ctx.clock().now();
    bool waiting = std::any_of(answers.begin(), answers.end(),
                               [](const Review& r) { return r.state != ReviewState::answered; });
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object().key("schema").value(k_json_schema);
        write_doc_fields(json, doc);
        write_answers(json, answers, kind);
        json.end_object();
        ctx.print(json.str());
    } else {
        std::string head = doc.title + " (" + doc.id + "), " + doc.status;
        if (doc.due) {
            head += std::string{kind == AnswerKind::response ? ", responses" : ", feedback"} + " due " +
                    format_local(*doc.due) + " (" + format_relative(*doc.due, now) + ")";
        }
        std::vector<std::vector<std::string>> rows;
        std::vector<std::string> styles; // overdue rows in red
        for (const auto& r : answers) {
            std::string when = r.replied ? format_local(*r.replied) : std::string{};
            if (!r.replied && doc.due) {
                // Their own deadline when they live elsewhere: "Fri 17:00 — 02:00 Sat for carol".
                when = deadline_for_person(ctx.config(), r.handle, *doc.due).value_or("");
            }
            rows.push_back({r.handle, answer_state(r, kind), when});
            styles.push_back(r.state == ReviewState::overdue && ctx.color_enabled() ? "31" : "");
        }
        std::string table = answers.empty() ? std::string{kind == AnswerKind::response ? "no participants\n" : "no reviewers\n"}
                                            : format_table(rows, {0}, output_width(ctx), styles);
        ctx.print(sanitize_for_terminal(head, Newlines::flatten) + "\n" + table);
    }
    if (waiting) {
        throw Error{ErrorKind::no, ""}; // "has everyone answered?" no: exit 1, nothing more to say
    }
}

} // namespace async::cmd
