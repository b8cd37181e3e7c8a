#pragma once
// `async pick`: choosing documents interactively with fzf, the fuzzy finder, when it is
// installed. fzf is the user's own program, found on their PATH like git; nothing in the
// workspace names it or its options.
#include <async/query.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace async {

class Index;

struct PickRequest {
    std::string query;          // fzf's starting query; empty: none
    bool multi = false;         // several documents (Tab marks them)
    bool all = false;           // replies, responses and summaries too
    std::filesystem::path self; // this program, for the preview ("async -C ROOT show ID"); empty: no preview
    std::filesystem::path root; // the workspace root, for the preview
};

// The lines fzf is given, one per document in docs' order: "ID\tTYPE\tDATE\tAUTHOR\tTITLE"
// with each field one line, without tabs, control characters or bidirectional overrides.
std::string pick_candidates(const std::vector<DocSummary>& docs);

// The ids fzf prints (the first field of each line), in its order; lines that do not start
// with one of docs' ids are left out.
std::vector<std::string> picked_ids(const std::string& fzf_output, const std::vector<DocSummary>& docs);

// Lets the user choose among the workspace's documents (newest first; top-level ones unless
// request.all) in fzf, which draws on the terminal (/dev/tty). Returns the chosen ids; empty
// when the user chose nothing (Esc, Ctrl-C) or nothing matches the query. With exactly one
// match for the query it is chosen without asking (fzf --select-1). Throws Error{environment}
// when fzf is not installed or fails (no terminal).
std::vector<std::string> pick_documents(Index& index, const PickRequest& request);

} // namespace async
