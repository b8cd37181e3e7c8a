// async whoami: my handle, name and email, and where each came from (lib/model identity).
#include "command.hpp"
#include "output.hpp"

#include <async/git.hpp>
#include <async/identity.hpp>
#include <async/json.hpp>

#include <CLI/CLI.hpp>

namespace async::cmd {
namespace {

// "ASYNC_USER", "workspace config people.alice.name", "git config user.email".
std::string where_from(const IdentityField& field) {
    switch (field.source) {
    case IdentitySource::env: return "environment " + field.key;
    case IdentitySource::user_config: return "user config " + field.key;
    case IdentitySource::workspace_config: return "workspace config " + field.key;
    case IdentitySource::git: return "git config " + field.key;
    case IdentitySource::unset: break;
    }
    return "unset";
}

void write_field(JsonWriter& json, std::string_view name, const IdentityField& field) {
    json.key(name).begin_object().key("value");
    field.value.empty() ? json.null() : json.value(field.value);
    json.key("source").value(std::string{to_string(field.source)});
    json.key("key");
    field.key.empty() ? json.null() : json.value(field.key);
    json.end_object();
}

void run_whoami(Context& ctx) {
    Identity me = resolve_identity(ctx.env(), ctx.config(), [] { return git_user_email(); },
                                   [] { return git_user_name(); });
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object().key("schema").value(k_json_schema);
        write_field(json, "handle", me.handle);
        write_field(json, "name", me.name);
        write_field(json, "email", me.email);
        json.end_object();
        ctx.print(json.str());
        return;
    }
    std::vector<std::vector<std::string>> rows;
    for (auto [label, field] : {std::pair{"handle", &me.handle}, {"name", &me.name}, {"email", &me.email}}) {
        rows.push_back({label, field->value.empty() ? "-" : field->value,
                        "(" + where_from(*field) + ")"});
    }
    ctx.print(format_table(rows, {}, output_width(ctx)));
}

} // namespace

void add_whoami_command(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("whoami", "Print my handle, name and email and where each came from");
    cmd->callback([&ctx] { run_whoami(ctx); });
}

} // namespace async::cmd
