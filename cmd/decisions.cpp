// async decisions [--since D]: decisions across the workspace, with where they were made.
#include "command.hpp"
#include "output.hpp"

#include <async/text.hpp>

#include <CLI/CLI.hpp>

namespace async::cmd {
namespace {

struct DecisionsOptions {
    std::string since;
};

void run_decisions(Context& ctx, const DecisionsOptions& opts) {
    std::optional<TimePoint> since;
    if (!opts.since.empty()) {
        since = resolve_date(ctx, opts.since, DateRole::start, "since");
    }
    auto rows = list_decisions(ctx.index(), since);
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object().key("schema").value(k_json_schema).key("decisions").begin_array();
        for (const auto& r : rows) {
            json.begin_object().key("text").value(r.text).key("line").value(static_cast<std::int64_t>(r.line));
            json.key("taken");
            r.taken ? json.value(format_utc(*r.taken)) : json.null();
            json.key("document").begin_object();
            write_doc_fields(json, r.doc);
            json.end_object().end_object();
        }
        json.end_array().end_object();
        ctx.print(json.str());
        return;
    }
    std::vector<std::vector<std::string>> table;
    for (const auto& r : rows) {
        table.push_back({local_date(r.taken), r.text, r.doc.id + " " + r.doc.title,
                         r.doc.path + ":" + std::to_string(r.line)});
    }
    ctx.print(format_table(table, {3, 2, 1}, output_width(ctx)));
}

} // namespace

void add_decisions_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<DecisionsOptions>();
    auto* cmd = app.add_subcommand("decisions", "Decisions across the workspace, newest first");
    cmd->add_option("--since", opts->since, "Only decisions taken on or after DATE")->type_name("DATE");
    add_wide_flag(*cmd, ctx);
    cmd->callback([&ctx, opts] { run_decisions(ctx, *opts); });
}

} // namespace async::cmd
