#include <async/dates.hpp>
#include <async/error.hpp>
#include <async/pick.hpp>
#include <async/process.hpp>
#include <async/text.hpp>

#include <set>

namespace async {
namespace {

// One field of a candidate line: no tab (fzf's delimiter), no newline, nothing that moves the
// cursor or reorders text on the user's terminal.
std::string field(std::string_view text) {
    std::string out = strip_controls(text, Newlines::flatten);
    for (char& c : out) {
        if (c == '\t') {
            c = ' ';
        }
    }
    return out;
}

} // namespace

std::string pick_candidates(const std::vector<DocSummary>& docs) {
    std::string out;
    for (const auto& d : docs) {
        out += field(d.id) + "\t" + field(d.type) + "\t" + (d.created ? format_local_date(*d.created) : "-") + "\t" +
               field(d.author) + "\t" + field(d.title.empty() ? d.path : d.title) + "\n";
    }
    return out;
}

std::vector<std::string> picked_ids(const std::string& fzf_output, const std::vector<DocSummary>& docs) {
    std::set<std::string_view> known;
    for (const auto& d : docs) {
        known.insert(d.id);
    }
    std::vector<std::string> ids;
    std::string_view rest = fzf_output;
    while (!rest.empty()) {
        auto eol = rest.find('\n');
        std::string_view line = rest.substr(0, eol);
        rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);
        std::string_view id = line.substr(0, line.find('\t'));
        if (known.contains(id)) {
            ids.emplace_back(id);
        }
    }
    return ids;
}

std::vector<std::string> pick_documents(Index& index, const PickRequest& request) {
    ListFilter filter;
    filter.include_children = request.all;
    std::vector<DocSummary> docs = list_documents(index, filter);
    std::vector<std::string> argv = {"fzf", "--delimiter=\t", "--nth=2..", "--tiebreak=index", "--select-1",
                                     "--exit-0", "--prompt=async> ", "--header=id  type  created  author  title"};
    argv.push_back(request.multi ? "--multi" : "--no-multi");
    if (!request.query.empty()) {
        argv.push_back("--query=" + request.query);
    }
    if (!request.self.empty()) {
        // fzf runs the preview through the shell; the id it fills in is quoted by fzf itself.
        argv.push_back("--preview=" + shell_quote(request.self.string()) + " -C " + shell_quote(request.root.string()) +
                       " --color=always show {1}");
        argv.push_back("--preview-window=right,50%,wrap");
    }
    auto result = run_process_with_input(argv, pick_candidates(docs), Capture::stdout_only);
    if (!result) {
        throw Error{ErrorKind::environment, "cannot run fzf: it is not installed or not on PATH",
                    "install it (apt-get install fzf), or list documents with 'async list'"};
    }
    // 1: nothing matches the query; 130: the user left with Esc or Ctrl-C. Both choose nothing.
    if (result->exit_status == 1 || result->exit_status == 130) {
        return {};
    }
    if (result->exit_status != 0) {
        throw Error{ErrorKind::environment, "fzf failed (exit " + std::to_string(result->exit_status) + ")",
                    "async pick needs a terminal; in a script use 'async list' or 'async search'"};
    }
    return picked_ids(result->out, docs);
}

} // namespace async
