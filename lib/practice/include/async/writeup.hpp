#pragma once
// Practice 1, write-ups instead of meetings: documents from the doc-new templates (doc,
// decision, sop, onboarding, post, watercooler) with reviewers and a feedback deadline.
#include <async/clock.hpp>
#include <async/session.hpp>
#include <async/writing.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace async {

class Config;
class Env;
class Workspace;

struct NewWriteup {
    std::string title;                 // may be empty when --file gives a whole document
    std::string template_name = "doc";
    std::vector<std::string> reviewers; // handles, normalised by the callee
    std::optional<TimePoint> due;
    std::vector<std::string> tags;
    BodyInput body;
};

struct Written {
    std::string id;
    std::filesystem::path path;
};

// Renders the template, runs the editor flow and writes docs/<date>-<slug>/index.md.
// The author is session.me. Throws Error{usage} for an unknown template or a bad handle,
// and whatever compose_document throws for the abort paths.
Written create_writeup(const Session& session, const NewWriteup& request);

// The templates `doc new --template` accepts.
const std::vector<std::string>& writeup_templates();

} // namespace async
