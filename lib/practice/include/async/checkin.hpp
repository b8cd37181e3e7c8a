#pragma once
// Practice 9, the check-in: my check-in for a period (an ISO week, or a day when the team checks
// in daily; see cadence.hpp) as checkins/<period>/<me>.md, pre-filled with my commits, the
// actions I ticked off and the documents I wrote; who has and has not checked in; comments on
// check-ins (replies, checkins/<period>/<handle>/replies/); and the team's check-ins with their
// comments collected into one digest (Markdown or HTML).
#include <async/cadence.hpp>
#include <async/clock.hpp>
#include <async/session.hpp>
#include <async/dates.hpp>
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

// checkins/<period>/<handle>.md under the root of ws.
std::filesystem::path checkin_file(const Workspace& ws, const CheckinPeriod& period, std::string_view handle);

struct Commit {
    std::string repo;    // the repository's folder name
    std::string hash;    // short hash
    std::string subject; // first line of the message, control characters removed
    TimePoint authored{};
};

// My commits in the git repository at repo: authored by one of emails (compared without case)
// at or after since and before until, on any branch (stashes and merges left out), oldest first.
// Throws Error{environment} when git cannot be started and Error{data} when repo is not a git
// repository.
std::vector<Commit> commits_by(const std::filesystem::path& repo, const std::vector<std::string>& emails,
                               TimePoint since, TimePoint until);

// The repositories of config [checkin] repos: "~/" is the home of env, relative paths are
// relative to the workspace root.
std::vector<std::filesystem::path> checkin_repos(const Workspace& ws, const Env& env, const Config& config);

// The e-mail addresses that are "me" in commits: the team config's people.<me>.email and
// `git config user.email` (run in the workspace), deduplicated, lower-cased.
std::vector<std::string> my_emails(const Workspace& ws, const Config& config, std::string_view me);

struct CheckinPrefill {
    std::optional<TimePoint> since; // when my last check-in before this period was created
    std::vector<std::string> commits;      // "repo hash subject", the newest 100 at most
    std::vector<std::string> done_actions; // "text (document title)"
    std::vector<std::string> documents;    // "title (type id)"
    std::vector<std::string> warnings;     // repositories skipped and why
};

// What my check-in for period starts with: commits in the repos since my last check-in (else
// since the period's start) until the period's end, oldest first (over 100: the newest 100 after
// an "N earlier commits left out" line); done actions I own, outside check-ins, in
// files changed since then and not already listed as "Done:" in one of my earlier check-ins;
// documents I wrote (created) during the period, check-ins left out. index must be refreshed.
CheckinPrefill gather_prefill(Index& index, const Session& session, const CheckinPeriod& period);

struct CheckinWritten {
    std::string id;
    std::filesystem::path path;
    bool created = false;       // a new file; false: the existing one was edited
    bool changed = true;        // false when an edit left the file as it was
    std::vector<std::string> warnings;
};

// Writes my check-in for period: a new file from the "checkin" template (questions from config
// [checkin] questions) through the shared editor flow, or, when it exists, edit_existing on
// it (a whole document given with --file keeps the file's id and created unless it sets them;
// type, author and week or day always follow the path). Fails before anything else when the editor
// is needed but none is set and there is no terminal (Error{environment}). Throws what
// compose_document/edit_existing throw for the abort paths, Error{data} when the file
// appeared meanwhile.
CheckinWritten write_checkin(Index& index, const Session& session, const CheckinPeriod& period,
                             const BodyInput& body);

enum class CheckinState { done, missing, invalid };

// "done", "missing", "invalid".
std::string_view to_string(CheckinState state);

struct CheckinComment {
    std::string author;   // the reply's author handle (front matter; else the file name's)
    std::string name;     // from the team config; may be empty
    std::string path;     // relative to the workspace root
    std::optional<TimePoint> created;
    std::string body;     // Markdown
};

struct MemberCheckin {
    std::string handle;
    std::string name;    // from the team config; may be empty
    CheckinState state = CheckinState::missing;
    std::string path;    // relative to the workspace root; empty when missing
    std::optional<TimePoint> created;
    std::string body;    // the check-in's Markdown body when done
    std::string problem; // why the file could not be read when invalid
    std::vector<CheckinComment> comments; // replies to it, oldest first
    // When missing: the check-in's deadline in the viewer's zone and in the person's own when
    // that differs ("Fri 17:00 — 02:00 Sat for carol", practice/zones); else empty.
    std::string local_deadline;
};

struct WeekCheckins {
    CheckinPeriod period;
    std::vector<MemberCheckin> members; // sorted by handle
    std::vector<std::string> problems;  // comments that could not be read, and why
    std::size_t done() const;
};

// Who has checked in for period: the team (config people), me (unless empty), and anyone else
// with a file in checkins/<period>/, sorted by handle, with the comments on each check-in.
// Files are read directly (no index): a check-in that cannot be read or parsed, or is over
// 4 MiB, is CheckinState::invalid with the reason; such a comment is left out and named in
// problems.
WeekCheckins week_checkins(const Workspace& ws, const Config& config, const CheckinPeriod& period,
                           const std::string& me);

enum class DigestFormat { markdown, html };

// The team's check-ins as one document: a title, who is missing, then one section per person
// who checked in (their headings one level down, unclosed code fences closed) followed by the
// comments on it (quoted, with who wrote them and when), the unreadable ones named. Control characters and bidirectional overrides are removed; names are escaped
// so they are never Markdown. HTML is that Markdown rendered by md4c with raw HTML escaped,
// in a self-contained page with inline CSS.
std::string render_digest(const WeekCheckins& checkins, DigestFormat format);

} // namespace async
