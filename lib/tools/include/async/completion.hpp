#pragma once
// Dynamic candidates for the shell completions (`async __complete KIND [PREFIX]`): document and
// meeting ids, team handles, template names, ISO weeks, inbox items, open actions, config keys.
// Made for a keypress: the workspace is never walked. With the file watcher, the files it says
// changed are stored in the index first (as a refresh would); without it, the index is read as
// it is (read-only, so it may be a little stale). No workspace or index is ever created.
#include <async/identity.hpp>
#include <async/workspace.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace async {

class Env;

enum class CompletionKind {
    ids,           // document ids (top-level documents, newest first), titles as descriptions
    meetings,      // meeting ids, titles as descriptions
    handles,       // team members ([people.HANDLE]), names as descriptions
    teams,         // teams ([teams.NAME]), their members as descriptions
    templates,     // template names in effect, descriptions and where each comes from
    weeks,         // ISO weeks around now: next week, this week and four before
    items,         // my inbox items (done, snoozed and delegated ones too), kind and title
    actions,       // open actions, text, owner and due date
    keys,          // the config keys that are set (every layer, or the user file with global)
    settable_keys, // keys plus the keys async knows, described
    zones,         // time zone names for people.HANDLE.tz (practice/zones' known_time_zones)
};

// The kind called name on the command line ("ids", "settable-keys"…), nullopt when unknown.
std::optional<CompletionKind> completion_kind(std::string_view name);

// "ids, meetings, …": every kind's name, for messages.
std::string completion_kind_names();

struct CompletionRequest {
    CompletionKind kind = CompletionKind::ids;
    std::string prefix;  // only values starting with it (empty: all)
    bool global = false; // keys, settable_keys: the user config only (like `config list --global`)
};

struct Candidate {
    std::string value;
    std::string description; // may be empty
    // The workspace-relative file it comes from, if any: a candidate whose file is gone from
    // disk is never offered, even by an index that is not refreshed.
    std::string path = {};
};

// Where the request was made: the environment, the folder and whether it came from -C.
struct CompletionPlace {
    const Env& env;
    std::filesystem::path cwd;
    StartedIn started = StartedIn::cwd;
    GitEmail git_email = {}; // who "me" is to git, asked only when the config does not say
};

// The candidates for request, found from place like every command finds its workspace (but a
// missing default workspace is never created). Kinds that need the index give nothing without
// a workspace or an index; weeks, templates and keys work without one (built-ins, the user
// config). Never throws: an unreadable config, index or clock gives no candidates.
std::vector<Candidate> complete(const CompletionRequest& request, const CompletionPlace& place);

// One line per candidate, "value\tdescription\n" ("value\n" without a description), safe for
// a terminal and for the shells' parsers: a value that is empty or holds blanks, control
// characters or invalid UTF-8 is left out (it could not be typed as one word anyway); a
// description is sanitised, put on one line and cut to 80 columns.
std::string format_candidates(const std::vector<Candidate>& candidates);

} // namespace async
