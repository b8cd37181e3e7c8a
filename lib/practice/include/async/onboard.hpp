#pragma once
// Practice 4, onboarding paths: an onboarding document lists a path, one list item per step,
// "- day 3: [[ref]]" (a day from 1, then any link to a document: a wiki link, #id or a relative
// .md link). `async onboard HANDLE --path REF` writes people/<handle>/onboarding-<path id>.toml
// once (a new file, never rewritten); from then on the new person's inbox has one item per step
// on its day asking "what was missing?" as a reply to the step's document. A step is finished by
// `inbox done` (their state.toml) or by their reply to the step's document (their file).
#include <async/clock.hpp>
#include <async/query.hpp>
#include <async/session.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace async {

class Index;
class Workspace;

struct PathStep {
    int day = 1;                   // 1 = the start day
    std::size_t line = 0;          // line in the onboarding document's file
    std::string target;            // the link as written
    std::optional<DocSummary> doc; // the document it resolves to (nullopt: none or ambiguous)
};

// The steps of the onboarding document path, in the order of its file: each list item whose text
// starts "day N:" (N 1..366, case-insensitive) and holds a link to a document (the first on that
// line). Throws Error{usage} when path is not an onboarding document or has no step.
std::vector<PathStep> onboarding_steps(Index& index, const Workspace& ws, const DocSummary& path);

struct Onboarding {
    std::string handle;  // the new person
    std::string path_id; // the onboarding document's id
    std::string start;   // local date of day 1, "2026-12-01"
    std::string by;      // who started it
    std::filesystem::path file;
};

// Starts handle's onboarding on path from start (its local date is day 1): writes
// people/<handle>/onboarding-<path id>.toml (exclusive create). Returns nullopt when it exists
// already (nothing written). Throws Error{usage} for a bad handle or a path without steps.
std::optional<Onboarding> start_onboarding(const Session& session, Index& index, const DocSummary& path,
                                           std::string_view handle, TimePoint start);

// The onboardings of handle (its people/<handle>/onboarding-*.toml), by path id; a file that does
// not parse is skipped.
std::vector<Onboarding> onboardings_of(const Workspace& ws, std::string_view handle);

enum class StepState { upcoming, open, done, replied };

// "upcoming", "open", "done", "replied".
std::string_view to_string(StepState state);

struct StepStatus {
    PathStep step;
    std::string date;  // its local date
    std::string key;   // the inbox item's key: "onboarding:<path id>:<day>:<doc id>"
    StepState state = StepState::upcoming;
};

// handle's steps of onboarding, with their state at session.now: replied when handle has replied
// to the step's document, done when handle marked its inbox item done, open from its date on,
// upcoming before.
std::vector<StepStatus> onboarding_status(const Session& session, Index& index, const Onboarding& onboarding);

// The inbox key of a step of path_id.
std::string onboarding_key(const std::string& path_id, const PathStep& step);

// The steps of all onboardings of session.me that are due (their date is today or past) and that
// I have not replied to: the inbox's onboarding items (done ones are the inbox's decision).
std::vector<StepStatus> onboarding_due(const Session& session, Index& index);

} // namespace async
