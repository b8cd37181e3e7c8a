// async edit REF: open a document in the editor; never overwrite a file changed meanwhile.
#include "command.hpp"

#include <async/error.hpp>
#include <async/query.hpp>
#include <async/writing.hpp>

#include <CLI/CLI.hpp>

namespace async::cmd {
namespace {

struct EditOptions {
    std::string ref;
    BodyFlags body;
};

void run_edit(Context& ctx, const EditOptions& opts) {
    Index& index = ctx.index();
    DocSummary doc = resolve_ref(index, opts.ref, std::filesystem::current_path());
    const Workspace& ws = ctx.workspace();
    auto outcome = edit_existing(ctx.session(), ws.root() / doc.path, body_input(opts.body));
    if (outcome == EditOutcome::unchanged) {
        ctx.notice("no changes");
        return;
    }
    ctx.wrote({ws.root() / doc.path});
}

} // namespace

void add_edit_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<EditOptions>();
    auto* cmd = app.add_subcommand("edit", "Edit a document in the editor, then reindex it");
    cmd->add_option("REF", opts->ref, "An id, an id prefix (4+ characters) or a path")->required();
    add_body_flags(*cmd, opts->body);
    cmd->callback([&ctx, opts] { run_edit(ctx, *opts); });
}

} // namespace async::cmd
