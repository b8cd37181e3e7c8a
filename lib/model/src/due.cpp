#include <async/dates.hpp>
#include <async/due.hpp>
#include <async/error.hpp>

#include <algorithm>
#include <chrono>

namespace async {

bool is_due_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return false;
    }
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        if (text[i] < '0' || text[i] > '9') {
            return false;
        }
    }
    auto num = [&](std::size_t from, std::size_t len) {
        int n = 0;
        for (std::size_t i = from; i < from + len; ++i) {
            n = n * 10 + (text[i] - '0');
        }
        return n;
    };
    int year = num(0, 4);
    std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(num(5, 2))},
                                    std::chrono::day{static_cast<unsigned>(num(8, 2))}};
    return year >= 1 && ymd.ok();
}

UnreadDueProblem unread_due_problem(std::string_view value) {
    auto digits = [&](std::size_t from, std::size_t to) {
        return std::all_of(value.begin() + static_cast<std::ptrdiff_t>(from),
                           value.begin() + static_cast<std::ptrdiff_t>(to), [](char c) { return c >= '0' && c <= '9'; });
    };
    std::string written = "'due:" + std::string{value} + "'";
    bool date_shape = value.size() >= 10 && digits(0, 4) && value[4] == '-' && digits(5, 7) &&
                      value[7] == '-' && digits(8, 10);
    if (value.empty()) {
        return {false, "'due:' without a date in an action (write due:YYYY-MM-DD)"};
    }
    if (date_shape && !is_due_date(value.substr(0, 10))) {
        return {true, "impossible due date " + written + " in an action"};
    }
    return {false, written + " is not an ISO date (due:YYYY-MM-DD); the action has no due date"};
}

std::optional<TimePoint> due_at(std::string_view date) {
    if (!is_due_date(date)) {
        return std::nullopt;
    }
    try {
        // The date grammar's deadline role is the rule: a date-only --due means the same time.
        return parse_human_date(date, TimePoint{}, DateRole::deadline);
    } catch (const Error&) {
        return std::nullopt; // outside the range local time can express
    }
}

bool is_overdue(TimePoint due, TimePoint now) {
    return due < now;
}

std::string latest_overdue_date(TimePoint now) {
    // A date after today's local date is due at 17:00 of a later day, so after now.
    return format_local_date(now);
}

} // namespace async
