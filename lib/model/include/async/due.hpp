#pragma once
// The one definition of when something is due and whether it is overdue, for every command
// (inbox, actions, agenda, remind, calendar, meeting status, feedback states). A due date
// written without a time of day (an action's `due:2026-12-18`, `--due 2026-12-18`) is due at
// 17:00 local time that day (TZ as it is at the call); a due instant is overdue once now is past
// it. Depends only on dates and clock.
#include <async/clock.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace async {

// Whether text is an action's due date as written after `due:`: exactly YYYY-MM-DD, a real
// calendar date, years 0001..9999. The one grammar of `due:` (markdown extracts with it).
bool is_due_date(std::string_view text);

// What is wrong with value, the text after an action's "due:" that is no due date
// (Action::unread_due): an impossible date (a YYYY-MM-DD that is_due_date refuses: 0000-01-01,
// 2026-02-30) is an error; an empty value or another word (due:friday) a warning. Either way
// the action has no due date. The one wording for check's finding and the index's warning.
struct UnreadDueProblem {
    bool error = false;
    std::string message;
};
UnreadDueProblem unread_due_problem(std::string_view value);

// When a due date written as text (YYYY-MM-DD, as is_due_date accepts) falls: 17:00 local time
// that day, the same rule as a `--due` date without a time. nullopt for any other text.
std::optional<TimePoint> due_at(std::string_view date);

// Whether something due at due is overdue at now: now is past it (at the instant itself it is
// not yet overdue).
bool is_overdue(TimePoint due, TimePoint now);

// The latest date (YYYY-MM-DD) that can be overdue at now: a due date after it is due in the
// future, so a filter by text (an index query) may keep only dates up to it and decide the
// rest with is_overdue(due_at(date), now).
std::string latest_overdue_date(TimePoint now);

} // namespace async
