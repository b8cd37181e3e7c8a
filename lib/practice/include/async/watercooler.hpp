#pragma once
// The weekly non-work prompt ("Fun on Fridays"): on config watercooler.day the week's
// watercooler thread is created once, at a path and with bytes that depend only on the week and
// the committed config, so any number of teammates' clones may create it (from cron) and `sync`
// ends with one file: git sees the same file added twice with the same content.
#include <async/clock.hpp>
#include <async/dates.hpp>

#include <string>
#include <string_view>

namespace async {

class Config;
class Workspace;

// The author of every watercooler thread: nobody's (the workspace's own), so no one person gets
// its replies as news; check does not count it as an unknown person.
inline constexpr std::string_view k_watercooler_author = "async";

// "docs/2026-W48-watercooler/index.md", workspace-relative.
std::string watercooler_path(IsoWeek week);

// "w2026w48": the thread's id, the same in every clone.
std::string watercooler_id(IsoWeek week);

// The prompt of week: config watercooler.prompts (a list; the built-in ones when unset or empty),
// the one at (year * 53 + week) modulo their number, so the prompts take turns week by week.
std::string watercooler_prompt(const Config& config, IsoWeek week);

// The whole file of week's thread (front matter and body), the same bytes on every machine
// (created is the UTC midnight of the watercooler day's date).
std::string watercooler_text(const Config& config, IsoWeek week);

enum class WatercoolerOutcome { created, exists, not_today, off };

struct WatercoolerResult {
    WatercoolerOutcome outcome = WatercoolerOutcome::off;
    std::string path; // workspace-relative (created or exists)
    std::string id;
    IsoWeek week;
    int day = 4; // the configured weekday, 0 = Monday
};

// Creates this week's thread when now is on config watercooler.day (local time; off when the
// setting is unset, Error{usage} when it names no weekday). Never replaces a file: an existing
// one is `exists`. Throws Error{data} when the file cannot be written.
WatercoolerResult create_watercooler(const Workspace& ws, const Config& config, TimePoint now);

} // namespace async
