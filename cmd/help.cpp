// `async help [COMMAND [SUBCOMMAND]]` and the check that every command word names a command,
// so a typo gets "'dco' is not an async command" and the closest ones, as in git.
#include "command.hpp"

#include <async/error.hpp>
#include <async/process.hpp>
#include <async/text.hpp>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <unistd.h>
#include <vector>

namespace async::cmd {
namespace {

// The visible subcommands of level, by name.
std::vector<std::string> command_names(CLI::App& level) {
    std::vector<std::string> names;
    for (auto* sub : level.get_subcommands([](CLI::App* s) { return !s->get_group().empty(); })) {
        names.push_back(sub->get_name());
    }
    return names;
}

CLI::App* find_command(CLI::App& level, const std::string& word) {
    for (auto* sub : level.get_subcommands({})) {
        if (sub->check_name(word)) {
            return sub;
        }
    }
    return nullptr;
}

bool takes_words(const CLI::App& level) {
    return !level.get_options([](const CLI::Option* o) { return o->get_positional(); }).empty();
}

[[noreturn]] void not_a_command(CLI::App& level, const std::string& word) {
    std::string where = full_name(level);
    std::string message = "'" + word + "' is not an" + (level.get_parent() ? " '" + where + "'" : std::string{" async"}) + " command";
    std::vector<std::string> close = closest_words(word, command_names(level));
    std::string hint;
    for (const auto& c : close) {
        hint += (hint.empty() ? "did you mean '" : "' or '") + where + " " + c;
    }
    hint = hint.empty() ? "see '" + where + " --help'" : hint + "'?";
    throw Error{ErrorKind::usage, message, hint};
}

// The command the words name (help doc new -> the `doc new` command); throws like a typo.
CLI::App& command_of(CLI::App& app, const std::vector<std::string>& words) {
    CLI::App* level = &app;
    for (const auto& w : words) {
        CLI::App* next = find_command(*level, w);
        if (next == nullptr) {
            not_a_command(*level, w);
        }
        level = next;
    }
    return *level;
}

void run_help(CLI::App& app, const std::vector<std::string>& words) {
    CLI::App& command = command_of(app, words);
    if (!words.empty() && ::isatty(STDOUT_FILENO)) {
        // The manual has more than --help: open it as git help does, when there is one.
        auto r = run_process({"man", "async-" + words.front()}, Capture::none);
        if (r && r->exit_status == 0) {
            return;
        }
    }
    std::string text = app.get_formatter()->make_help(&command, full_name(command), CLI::AppFormatMode::Normal);
    std::fwrite(text.data(), 1, text.size(), stdout);
}

} // namespace

std::string full_name(const CLI::App& level) {
    return level.get_parent() == nullptr ? "async" : full_name(*level.get_parent()) + " " + level.get_name();
}

std::string missing_command(CLI::App& level) {
    std::string names;
    for (const auto& n : command_names(level)) {
        names += (names.empty() ? "" : ", ") + n;
    }
    return "'" + full_name(level) + "' needs a command: " + names;
}

bool takes_next_word(CLI::App& level, const std::string& token) {
    if (token.find('=') != std::string::npos || (token.size() > 2 && token[1] != '-')) {
        return false; // --color=never, -CDIR: the value is in the token
    }
    const CLI::Option* option = level.get_option_no_throw(token);
    return option != nullptr && option->get_expected_min() > 0;
}

void check_command_words(CLI::App& app, int argc, char** argv) {
    CLI::App* level = &app;
    for (int i = 1; i < argc; ++i) {
        std::string token = argv[i];
        if (token == "--") {
            return;
        }
        if (token.size() > 1 && token[0] == '-') {
            if (takes_next_word(*level, token)) {
                ++i;
            }
            continue;
        }
        if (level->get_subcommands({}).empty() || takes_words(*level) || level->get_name() == "help") {
            return; // the words from here are the command's own
        }
        CLI::App* next = find_command(*level, token);
        if (next == nullptr) {
            not_a_command(*level, token);
        }
        level = next;
    }
}

void add_help_command(CLI::App& app, Context&) {
    auto words = std::make_shared<std::vector<std::string>>();
    auto* cmd = app.add_subcommand("help", "Show the manual of a command (its --help without a terminal)");
    cmd->add_option("COMMAND", *words, "The command, and a subcommand of it")->type_name("COMMAND");
    cmd->callback([&app, words] { run_help(app, *words); });
}

} // namespace async::cmd
