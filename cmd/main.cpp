// The async executable: builds the command line, runs one command, maps errors to exit codes.
#include "command.hpp"

#include <async/dates.hpp>
#include <async/env.hpp>
#include <async/error.hpp>
#include <async/lock.hpp>
#include <async/text.hpp>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <malloc.h>
#include <string>
#include <string_view>

namespace {

// Every top-level command: the word that names it and the function that registers it.
// The word only lets main() register just the command it runs (CLI11 builds every option of
// every command it is given, most of a command's start-up); a word that does not match what
// its function registers costs that saving, never correctness (all are registered then).
struct NamedCommand {
    std::string_view name;
    async::cmd::CommandAdder add;
};

constexpr NamedCommand k_commands[] = {
    {"init", async::cmd::add_init_command},
    {"doc", async::cmd::add_doc_command},
    {"meeting", async::cmd::add_meeting_command},
    {"event", async::cmd::add_event_command},
    {"onboard", async::cmd::add_onboard_command},
    {"attach", async::cmd::add_attach_command},
    {"inbox", async::cmd::add_inbox_command},
    {"checkin", async::cmd::add_checkin_command},
    {"config", async::cmd::add_config_command},
    {"templates", async::cmd::add_templates_command},
    {"index", async::cmd::add_index_command},
    {"list", async::cmd::add_list_command},
    {"show", async::cmd::add_show_command},
    {"links", async::cmd::add_links_command},
    {"edit", async::cmd::add_edit_command},
    {"search", async::cmd::add_search_command},
    {"pick", async::cmd::add_pick_command},
    {"tag", async::cmd::add_tag_command},
    {"import", async::cmd::add_import_command},
    {"actions", async::cmd::add_actions_command},
    {"decisions", async::cmd::add_decisions_command},
    {"check", async::cmd::add_check_command},
    {"agenda", async::cmd::add_agenda_command},
    {"calendar", async::cmd::add_calendar_command},
    {"remind", async::cmd::add_remind_command},
    {"whoami", async::cmd::add_whoami_command},
    {"away", async::cmd::add_away_command},
    {"watercooler", async::cmd::add_watercooler_command},
    {"hook", async::cmd::add_hook_command},
    {"sync", async::cmd::add_sync_command},
    {"publish", async::cmd::add_publish_command},
    {"__complete", async::cmd::add_complete_command},
    {"help", async::cmd::add_help_command},
};

// ASYNC_LOCK_TIMEOUT: seconds a writer waits for another's lock file (async(1)); anything
// that is not a number of seconds keeps the default.
void follow_lock_timeout(const async::Env& env) {
    auto value = env.get("ASYNC_LOCK_TIMEOUT");
    if (!value) {
        return;
    }
    char* end = nullptr;
    double seconds = std::strtod(value->c_str(), &end);
    if (end == value->c_str() || *end != '\0' || !(seconds >= 0) || seconds > 86400) {
        return;
    }
    async::set_lock_wait(std::chrono::milliseconds{static_cast<long long>(seconds * 1000)});
}

// Whether token asks for help (-h, --help, --help-all).
bool is_help(std::string_view token) {
    return token == "-h" || token.starts_with("--help");
}

// Registers the commands a run needs: only the one its command word names (the first word
// that is neither a global option nor its value: -C DIR, --color WHEN), or all of them when
// there is no such word (--help lists them), an unknown one (the typo hint names the
// closest), `help` (which shows any command's) or a help option before the word.
// `async --version` alone needs none.
void add_commands(CLI::App& app, async::cmd::Context& ctx, int argc, char** argv) {
    std::string_view word;
    bool version = false, help = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view token = argv[i];
        if (token == "--") {
            break;
        }
        if (token.size() < 2 || token[0] != '-') {
            word = token;
            break;
        }
        version = version || token == "--version";
        help = help || is_help(token);
        if (async::cmd::takes_next_word(app, std::string{token})) {
            ++i;
        }
    }
    const NamedCommand* only = nullptr;
    for (const auto& c : k_commands) {
        if (c.name == word && word != "help" && !help) {
            only = &c;
        }
    }
    if (only != nullptr) {
        only->add(app, ctx);
        auto added = app.get_subcommands({});
        if (std::any_of(added.begin(), added.end(), [&](CLI::App* sub) { return sub->check_name(std::string{word}); })) {
            return;
        }
    } else if (word.empty() && version && !help) {
        return;
    }
    for (const auto& c : k_commands) {
        if (&c != only) {
            c.add(app, ctx);
        }
    }
}

// The exit code PRODUCT.md assigns to kind.
int exit_code(async::ErrorKind kind) {
    switch (kind) {
    case async::ErrorKind::no: return 1;
    case async::ErrorKind::usage: return 2;
    case async::ErrorKind::data: return 3;
    case async::ErrorKind::environment: return 4;
    case async::ErrorKind::interrupted: return 130;
    }
    return 3;
}

void print_error(const std::string& message, const std::string& hint) {
    if (message.empty()) {
        return; // an answer of "no" that needs no words (search without matches)
    }
    std::string text = "async: error: " + async::sanitize_for_terminal(message, async::Newlines::flatten) + "\n";
    if (!hint.empty()) {
        text += "hint: " + async::sanitize_for_terminal(hint, async::Newlines::flatten) + "\n";
    }
    std::fputs(text.c_str(), stderr);
}

// stdout is the answer: a failed write (a full disk, a closed pipe) must not pass as success.
int finish(int code) {
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
        if (code == 0) {
            print_error("cannot write to standard output", {});
            return 4;
        }
    }
    return code;
}

} // namespace

int main(int argc, char** argv) {
    // A command lives for milliseconds and frees its big vectors only to allocate the next ones
    // (rows, then items, then a table). glibc would hand each block over 128 KiB to the kernel
    // and back (mmap, munmap, trimming the heap), and every page the kernel hands back costs a
    // page fault again on first touch. Keep freed memory in the heap for reuse instead.
    ::mallopt(M_MMAP_THRESHOLD, 32 << 20);
    ::mallopt(M_TRIM_THRESHOLD, 512 << 20);
    async::cmd::Context ctx{async::Env::from_process()};
    async::follow_time_zone(ctx.env());
    follow_lock_timeout(ctx.env());
    CLI::App app{"async: a terminal-first toolkit for teams that work asynchronously", "async"};
    app.set_version_flag("--version", "async " ASYNC_VERSION);
    app.require_subcommand(1);
    app.fallthrough();
    auto& g = ctx.globals;
    app.add_option("-C", g.dir, "Run as if async was started in DIR")->type_name("DIR");
    app.add_flag("--json", g.json, "Print the answer as JSON (read commands)");
    app.add_option("--color", g.color, "Colour: auto, always or never")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->type_name("WHEN");
    app.add_flag("-q,--quiet", g.quiet, "Print nothing but the answer and errors");
    add_commands(app, ctx, argc, argv);

    try {
        async::cmd::check_command_words(app, argc, argv);
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        std::fputs(app.help().c_str(), stdout);
        return finish(0);
    } catch (const CLI::CallForAllHelp&) {
        std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
        return finish(0);
    } catch (const CLI::CallForVersion& e) {
        std::puts(e.what());
        return finish(0);
    } catch (const CLI::ParseError& e) {
        CLI::App* failed = &app;
        for (auto* sub = app.get_subcommands().empty() ? nullptr : app.get_subcommands().back(); sub;
             sub = sub->get_subcommands().empty() ? nullptr : sub->get_subcommands().back()) {
            failed = sub;
        }
        std::string name = async::cmd::full_name(*failed);
        bool no_command = e.get_name() == "RequiredError" && failed->get_require_subcommand_min() > 0 &&
                          failed->get_subcommands().empty();
        print_error(no_command ? async::cmd::missing_command(*failed) : std::string{e.what()},
                    "see '" + name + " --help'");
        return finish(2);
    } catch (const async::Error& e) {
        print_error(e.what(), e.hint());
        return finish(exit_code(e.kind()));
    } catch (const std::exception& e) {
        // Not the library's (it throws only async::Error): out of memory and the like.
        print_error(e.what(), "");
        return finish(3);
    }
    return finish(0);
}
