// async attach REF FILE…: copy files into one of my documents and link them from its body.
#include "command.hpp"
#include "output.hpp"

#include <async/error.hpp>
#include <async/json.hpp>
#include <async/text.hpp>
#include <async/writeup.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>

namespace fs = std::filesystem;

namespace async::cmd {
namespace {

struct AttachOptions {
    std::string ref;
    std::vector<std::string> files;
};

void run_attach(Context& ctx, const AttachOptions& opts) {
    std::vector<fs::path> sources;
    for (const auto& f : opts.files) {
        sources.push_back(fs::absolute(f));
    }
    DocSummary doc = resolve_ref(ctx.index(), opts.ref, fs::current_path());
    Attached attached = attach_files(ctx.session(), doc, sources);
    const Workspace& ws = ctx.workspace();
    std::vector<fs::path> written;
    for (const auto& f : attached.files) {
        ctx.notice((f.already_there ? "already attached " : "attached ") + ctx.shown_path(f.path));
        if (std::find(written.begin(), written.end(), f.path.parent_path()) == written.end()) {
            written.push_back(f.path.parent_path());
        }
    }
    written.push_back(ws.root() / doc.path);
    ctx.wrote(written);
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object().key("schema").value(k_json_schema).key("id").value(doc.id).key("path").value(doc.path);
        json.key("attachments").begin_array();
        for (const auto& f : attached.files) {
            json.begin_object()
                .key("path").value(ws.display(f.path))
                .key("copied").value(!f.already_there)
                .end_object();
        }
        json.end_array().end_object();
        ctx.print(json.str());
        return;
    }
    for (const auto& f : attached.files) {
        ctx.print(ctx.shown_path(f.path) + "\n");
    }
}

} // namespace

void add_attach_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<AttachOptions>();
    auto* cmd = app.add_subcommand("attach", "Copy files (recordings, screenshots) into my document and link them");
    cmd->add_option("REF", opts->ref, "My document, reply, response or check-in: an id, an id prefix (4+ characters) or a path")
        ->required();
    cmd->add_option("FILE", opts->files, "A file to copy and link; an audio or video file's transcript beside it comes too")
        ->required();
    cmd->callback([&ctx, opts] { run_attach(ctx, *opts); });
}

} // namespace async::cmd
