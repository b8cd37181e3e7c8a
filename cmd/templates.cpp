// async templates [show NAME]: list the templates in effect and print one.
#include "command.hpp"

#include <async/error.hpp>
#include <async/json.hpp>
#include <async/templates.hpp>
#include <async/text.hpp>

#include <CLI/CLI.hpp>
#include <algorithm>

namespace async::cmd {
namespace {

struct TemplatesOptions {
    std::string name;
};

// Templates need the team folder only when inside a workspace: listing never creates one.
TemplateSet template_set(Context& ctx) {
    ctx.enter_directory();
    auto team = find_enclosing_workspace(std::filesystem::current_path());
    if (auto dir = ctx.env().get("ASYNC_DIR"); dir && !team) {
        team = std::filesystem::path{*dir};
    }
    std::optional<Workspace> ws;
    if (team) {
        ws.emplace(*team);
    }
    return TemplateSet::in_effect(ctx.env(), ws ? &*ws : nullptr);
}

void run_list(Context& ctx) {
    auto templates = template_set(ctx).list();
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object().key("schema").value(k_json_schema).key("templates").begin_array();
        for (const auto& t : templates) {
            json.begin_object().key("name").value(t.name).key("source").value(std::string{to_string(t.source)})
                .key("path").value(t.path.string()).key("description").value(t.description).end_object();
        }
        json.end_array().end_object();
        ctx.print(json.str());
        return;
    }
    std::size_t width = 4;
    for (const auto& t : templates) {
        width = std::max(width, t.name.size());
    }
    std::string out;
    for (const auto& t : templates) {
        std::string name = sanitize_for_terminal(t.name, Newlines::flatten);
        std::string source{to_string(t.source)};
        out += name + std::string(width + 2 - std::min(width, t.name.size()), ' ') + source +
               std::string(10 - std::min<std::size_t>(9, source.size()), ' ') +
               sanitize_for_terminal(t.description, Newlines::flatten) + "\n";
    }
    ctx.print(out);
}

void run_show(Context& ctx, const TemplatesOptions& opts) {
    ctx.print(sanitize_for_terminal(template_set(ctx).text(opts.name)));
}

} // namespace

void add_templates_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<TemplatesOptions>();
    auto* templates = app.add_subcommand("templates", "List templates and where each comes from");
    templates->callback([&ctx, templates] {
        if (templates->get_subcommands().empty()) {
            run_list(ctx);
        }
    });
    auto* show = templates->add_subcommand("show", "Print the template NAME in effect");
    show->add_option("NAME", opts->name, "Template name")->required();
    show->callback([&ctx, opts] { run_show(ctx, *opts); });
}

} // namespace async::cmd
