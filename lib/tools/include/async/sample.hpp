#pragma once
// The sample team workspace of `async init --sample`: three people, documents with replies, an
// open and a closed meeting, two weeks of check-ins, actions and decisions, dated around now.
#include <async/clock.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace async {

class Workspace;

// True when dir can take the sample without mixing it with a team's files: dir does not exist,
// holds no workspace, or holds one exactly as `async init` left it (the config file unchanged,
// no files under docs/, meetings/, checkins/ or people/). Files outside those (a README, .git)
// do not count.
bool can_take_sample(const std::filesystem::path& dir);

// Writes the sample into ws (already initialised and empty, see can_take_sample): the team in
// .async/config.toml and the documents, with dates relative to now (so ASYNC_NOW makes the
// files byte-for-byte reproducible) and fixed ids (so a tour can name them). Returns the files
// written, relative to the root. Throws Error{usage} when a file it would write exists.
std::vector<std::filesystem::path> write_sample(const Workspace& ws, TimePoint now);

// The fixed ids of the sample's pricing document and its open meeting (for tours and tests).
inline constexpr const char* k_sample_doc_id = "k3f9q2ma";
inline constexpr const char* k_sample_meeting_id = "7fq2m4xa";

} // namespace async
