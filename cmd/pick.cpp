// async pick [QUERY]: choose documents in fzf and print their ids.
#include "command.hpp"

#include <async/error.hpp>
#include <async/pick.hpp>
#include <async/process.hpp>

#include <CLI/CLI.hpp>

namespace async::cmd {
namespace {

struct PickOptions {
    std::vector<std::string> words;
    bool multi = false;
    bool all = false;
    bool no_preview = false;
};

void run_pick(Context& ctx, const PickOptions& opts) {
    PickRequest request;
    for (const auto& w : opts.words) {
        request.query += (request.query.empty() ? "" : " ") + w;
    }
    request.multi = opts.multi;
    request.all = opts.all;
    if (!opts.no_preview) {
        request.self = current_executable();
        request.root = ctx.workspace().root();
    }
    auto ids = pick_documents(ctx.index(), request);
    if (ids.empty()) {
        throw Error{ErrorKind::no, ""}; // nothing chosen: the exit status says so, like grep
    }
    std::string out;
    for (const auto& id : ids) {
        out += id + "\n";
    }
    ctx.print(out);
}

} // namespace

void add_pick_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<PickOptions>();
    auto* cmd = app.add_subcommand("pick", "Choose documents in fzf and print their ids: async show $(async pick)");
    cmd->add_option("query", opts->words, "What to start the search with")->type_name("QUERY");
    cmd->add_flag("-m,--multi", opts->multi, "Choose several (Tab marks one); one id a line");
    cmd->add_flag("-a,--all", opts->all, "Offer replies, responses and summaries too");
    cmd->add_flag("--no-preview", opts->no_preview, "Do not show the highlighted document beside the list");
    cmd->callback([&ctx, opts] { run_pick(ctx, *opts); });
}

} // namespace async::cmd
