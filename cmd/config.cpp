// async config get|set|unset|list [--global]: settings, git-config style.
#include "command.hpp"

#include <async/error.hpp>
#include <async/json.hpp>
#include <async/text.hpp>

#include <CLI/CLI.hpp>

namespace async::cmd {
namespace {

struct ConfigOptions {
    std::string key;
    std::string value;
    bool global = false;
    bool show_origin = false;
};

std::filesystem::path target_file(Context& ctx, const ConfigOptions& opts) {
    return opts.global ? user_config_file(ctx.env()) : ctx.workspace().config_file();
}

// The config to read: --global reads only the user file; otherwise every layer.
const Config& read_config(Context& ctx, const ConfigOptions& opts) {
    if (opts.global) {
        return ctx.user_config();
    }
    ctx.workspace();
    return ctx.config();
}

void run_get(Context& ctx, const ConfigOptions& opts) {
    validate_config_key(opts.key);
    auto value = read_config(ctx, opts).get(opts.key);
    if (!value) {
        throw Error{ErrorKind::no, "'" + opts.key + "' is not set"};
    }
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object().key("schema").value(k_json_schema).key("key").value(opts.key).key("value").value(*value).end_object();
        ctx.print(json.str());
        return;
    }
    ctx.print(sanitize_for_terminal(*value) + "\n");
}

void run_set(Context& ctx, const ConfigOptions& opts) {
    config_file_set(target_file(ctx, opts), opts.key, opts.value);
    if (!opts.global && opts.key == k_trust_key) {
        ctx.warn(opts.key + " counts only in your own config: use --global");
    } else if (!opts.global && names_a_program(opts.key)) {
        ctx.warn(opts.key + " in the committed workspace config is used only by those who trust the workspace "
                 "(see async-config(5)); --global sets your own");
    }
}

void run_unset(Context& ctx, const ConfigOptions& opts) {
    if (!config_file_unset(target_file(ctx, opts), opts.key)) {
        throw Error{ErrorKind::no, "'" + opts.key + "' is not set in '" + target_file(ctx, opts).string() + "'"};
    }
}

void run_list(Context& ctx, const ConfigOptions& opts) {
    auto entries = read_config(ctx, opts).entries();
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object().key("schema").value(k_json_schema).key("settings").begin_array();
        for (const auto& e : entries) {
            json.begin_object().key("key").value(e.key).key("value").value(e.value)
                .key("origin").value(std::string{to_string(e.scope)}).end_object();
        }
        json.end_array().end_object();
        ctx.print(json.str());
        return;
    }
    std::string out;
    for (const auto& e : entries) {
        if (opts.show_origin) {
            out += std::string{to_string(e.scope)} + "\t";
        }
        out += e.key + "=" + sanitize_for_terminal(e.value, Newlines::flatten) + "\n";
    }
    ctx.print(out);
}

} // namespace

void add_config_command(CLI::App& app, Context& ctx) {
    auto* config = app.add_subcommand("config", "Read and write settings (git-config style)");
    config->require_subcommand(1);
    auto opts = std::make_shared<ConfigOptions>();

    auto* get = config->add_subcommand("get", "Print the value of KEY (exit 1 when unset)");
    get->add_option("KEY", opts->key, "A dotted key, e.g. core.editor")->required();
    get->add_flag("--global", opts->global, "Read the user config only");
    get->callback([&ctx, opts] { run_get(ctx, *opts); });

    auto* set = config->add_subcommand("set", "Set KEY to VALUE in the workspace (or --global user) config");
    set->add_option("KEY", opts->key, "A dotted key, e.g. people.bob.email")->required();
    set->add_option("VALUE", opts->value, "The value: true/false and numbers stay bare, [..] is an array")->required();
    set->add_flag("--global", opts->global, "Write the user config (~/.config/async/config.toml)");
    set->callback([&ctx, opts] { run_set(ctx, *opts); });

    auto* unset = config->add_subcommand("unset", "Remove KEY (exit 1 when it was not set)");
    unset->add_option("KEY", opts->key, "A dotted key")->required();
    unset->add_flag("--global", opts->global, "Edit the user config");
    unset->callback([&ctx, opts] { run_unset(ctx, *opts); });

    auto* list = config->add_subcommand("list", "Print every effective setting as key=value");
    list->add_flag("--global", opts->global, "Only the user config");
    list->add_flag("--show-origin", opts->show_origin, "Prefix each line with where it comes from");
    list->callback([&ctx, opts] { run_list(ctx, *opts); });
}

} // namespace async::cmd
