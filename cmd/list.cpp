// async list: documents filtered by type, author, status, tags and dates.
#include "command.hpp"
#include "output.hpp"

#include <async/error.hpp>
#include <async/identity.hpp>
#include <async/text.hpp>

#include <CLI/CLI.hpp>

namespace async::cmd {
namespace {

struct ListOptions {
    std::string type, author, status, since, until;
    std::vector<std::string> tags;
    std::string sort = "created";
    bool reverse = false;
    bool all = false;
    std::size_t limit = 0;
};

void run_list(Context& ctx, const ListOptions& opts) {
    ListFilter filter;
    if (!opts.type.empty()) filter.type = opts.type;
    if (!opts.author.empty()) filter.author = normalize_handle(opts.author);
    if (!opts.status.empty()) filter.status = opts.status;
    filter.tags = opts.tags;
    if (!opts.since.empty()) filter.since = resolve_date(ctx, opts.since, DateRole::start, "since");
    if (!opts.until.empty()) filter.until = resolve_date(ctx, opts.until, DateRole::end, "until");
    filter.sort = opts.sort == "due" ? SortKey::due : opts.sort == "title" ? SortKey::title
                : opts.sort == "type" ? SortKey::type : SortKey::created;
    filter.reverse = opts.reverse;
    filter.limit = opts.limit;
    filter.include_children = opts.all;
    auto docs = list_documents(ctx.index(), filter);
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object().key("schema").value(k_json_schema).key("documents").begin_array();
        for (const auto& d : docs) {
            json.begin_object();
            write_doc_fields(json, d);
            json.end_object();
        }
        json.end_array().end_object();
        ctx.print(json.str());
        return;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& d : docs) {
        rows.push_back({d.id, local_date(d.created), d.type, d.status, d.author, d.title,
                        d.due ? "due " + local_date(d.due) : std::string{}});
    }
    ctx.print(format_table(rows, {5}, output_width(ctx)));
}

} // namespace

void add_list_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<ListOptions>();
    auto* cmd = app.add_subcommand("list", "List documents, newest first, with filters");
    cmd->add_option("--type", opts->type, "Only this type (doc, decision, meeting, reply, …)")->type_name("TYPE");
    cmd->add_option("--author", opts->author, "Only documents by this handle")->type_name("HANDLE");
    cmd->add_option("--status", opts->status, "Only this status (draft, open, closed)")->type_name("STATUS");
    cmd->add_option("--tag", opts->tags, "Only documents with this tag (repeatable: all must match)")
        ->type_name("TAG")->delimiter(',')->allow_extra_args(false);
    cmd->add_option("--since", opts->since, "Created on or after DATE")->type_name("DATE");
    cmd->add_option("--until", opts->until, "Created on or before DATE")->type_name("DATE");
    cmd->add_option("--sort", opts->sort, "Sort by created (newest first), due, title or type")
        ->check(CLI::IsMember({"created", "due", "title", "type"}))->type_name("KEY");
    cmd->add_flag("--reverse", opts->reverse, "Reverse the order");
    cmd->add_flag("--all", opts->all, "Include replies, responses and summaries");
    cmd->add_option("-n,--limit", opts->limit, "At most N documents")->type_name("N");
    add_wide_flag(*cmd, ctx);
    cmd->callback([&ctx, opts] { run_list(ctx, *opts); });
}

} // namespace async::cmd
