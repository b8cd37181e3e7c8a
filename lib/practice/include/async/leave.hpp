#pragma once
// Leave: who is away and until when. Each person writes only their own people/<handle>/away.toml
// (`async away`); everyone else reads it. The one answer to "is H away at T, and until when",
// asked by review states (feedback), the agenda, the calendar, remind and the warnings of
// `doc new --reviewers` and `meeting open --with`.
#include <async/clock.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace async {

class Workspace;

// At most this many absences are read from one away.toml (the rest is a problem).
inline constexpr std::size_t k_max_absences = 1000;
// At most this many bytes of a note are kept.
inline constexpr std::size_t k_max_away_note = 200;

struct Absence {
    std::string handle; // whose (the folder's name under people/, lower-cased)
    std::string from;   // first day away, local date "2026-12-07"
    std::string to;     // last day away (inclusive), local date
    std::string note;   // one line, may be empty
    TimePoint start{};  // 00:00 local of from
    TimePoint end{};    // 23:59:59 local of to
};

struct AwayProblem {
    std::string path; // workspace-relative
    int line = 0;     // 0 when the problem is the whole file
    int column = 0;
    std::string message;
};

struct Absences {
    std::vector<Absence> all;           // every readable absence, by handle then from
    std::vector<AwayProblem> problems;  // files or entries that were skipped, and why
};

// Parses the text of handle's away.toml (path names it in problems): [[away]] tables with
// `from` and `to` (TOML local dates or "YYYY-MM-DD" strings, from <= to) and an optional
// `note`. Malformed TOML, bad entries and entries past k_max_absences are problems, never thrown.
std::vector<Absence> parse_away(std::string_view text, std::string_view handle, std::string_view path,
                                std::vector<AwayProblem>& problems);

// Every people/<handle>/away.toml of the workspace ws (files over 4 MiB, unreadable ones and
// links out of the workspace are problems).
Absences load_absences(const Workspace& ws);

// When handle is away at t: the absence containing t, its `to`/`end` extended over the
// absences of handle that follow without a gap (so "until" is the last day of the whole
// stretch). nullopt when handle is not away at t.
std::optional<Absence> away_at(const Absences& absences, std::string_view handle, TimePoint t);

// The absences (of handles, or everyone's when handles is empty) that overlap [from, to].
std::vector<Absence> away_between(const Absences& absences, TimePoint from, TimePoint to,
                                  const std::vector<std::string>& handles = {});

// "away until Fri 2026-12-11": absence.to as the last day away.
std::string away_until_text(const Absence& absence);

// Adds an absence from..to (local dates, from <= to) with note to my away.toml under its lock;
// the same from and to again replaces the note. Throws Error{usage} for dates out of order or a
// note with control characters, Error{data} when the existing file cannot be read (it is never
// written over).
void add_absence(const Workspace& ws, std::string_view me, std::string_view from, std::string_view to,
                 std::string_view note);

// Removes from my away.toml the absences that contain the local date on (or, without on, every
// absence that has not ended by today, the local date of now). Returns how many were removed.
std::size_t clear_absences(const Workspace& ws, std::string_view me, const std::optional<std::string>& on,
                           TimePoint now);

// My absences, as add_absence reads them (Error{data} when the file cannot be read).
std::vector<Absence> my_absences(const Workspace& ws, std::string_view me);

} // namespace async
