// The interactive part of async inbox: one item at a time, single keys, decisions written at once.
#include "triage.hpp"

#include "command.hpp"

#include <async/checkin.hpp>
#include <async/config.hpp>
#include <async/dates.hpp>
#include <async/document.hpp>
#include <async/due.hpp>
#include <async/error.hpp>
#include <async/feedback.hpp>
#include <async/inbox.hpp>
#include <async/meeting.hpp>
#include <async/query.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace async::cmd {
namespace {

void out(std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

// Single keys without echo while alive; the terminal as it was afterwards (also on exceptions).
class RawMode {
public:
    RawMode() {
        if (::tcgetattr(STDIN_FILENO, &m_saved) == 0) {
            termios raw = m_saved;
            raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO | ISIG);
            raw.c_cc[VMIN] = 1;
            raw.c_cc[VTIME] = 0;
            m_active = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0;
        }
    }
    ~RawMode() { restore(); }
    RawMode(const RawMode&) = delete;
    RawMode& operator=(const RawMode&) = delete;
    void restore() {
        if (m_active) {
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &m_saved);
        }
    }
    void resume() {
        if (m_active) {
            termios raw = m_saved;
            raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO | ISIG);
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
        }
    }

private:
    termios m_saved{};
    bool m_active = false;
};

// The next key; -1 at end of input.
int read_key() {
    unsigned char c = 0;
    ssize_t n = ::read(STDIN_FILENO, &c, 1);
    return n == 1 ? c : -1;
}

// A line typed in raw mode: printable bytes, Backspace, Tab completing from candidates, Enter.
// nullopt when cancelled (Esc, Ctrl-C, Ctrl-D on an empty line, end of input).
std::optional<std::string> read_line(std::string_view prompt, const std::vector<std::string>& candidates = {}) {
    out(prompt);
    std::string line;
    for (;;) {
        int c = read_key();
        if (c < 0 || c == 27 || c == 3 || (c == 4 && line.empty())) {
            out("\n");
            return std::nullopt;
        }
        if (c == '\r' || c == '\n') {
            out("\n");
            return line;
        }
        if (c == 127 || c == 8) {
            if (!line.empty()) {
                line.pop_back();
                out("\b \b");
            }
        } else if (c == '\t') {
            std::vector<std::string> matches;
            for (const auto& cand : candidates) {
                if (cand.starts_with(line)) {
                    matches.push_back(cand);
                }
            }
            if (matches.size() == 1) {
                out(matches.front().substr(line.size()));
                line = matches.front();
            } else if (matches.size() > 1) {
                std::string list;
                for (const auto& m : matches) {
                    list += m + "  ";
                }
                out("\n" + list + "\n" + std::string{prompt} + line);
            }
        } else if (c >= 32 && line.size() < 200) {
            line += static_cast<char>(c);
            out(std::string(1, static_cast<char>(c)));
        }
    }
}

std::string first_lines(const Workspace& ws, const InboxItem& item, std::size_t count) {
    if (item.path.empty()) {
        return {};
    }
    std::string body;
    try {
        body = read_document(ws.root(), item.path).body();
    } catch (const Error&) {
        return {};
    }
    std::string shown;
    std::size_t lines = 0;
    for (auto line : split_list(body, '\n')) {
        if (lines == count) {
            shown += "  …\n";
            break;
        }
        shown += "  " + truncate_to_width(sanitize_for_terminal(line, Newlines::flatten), 76) + "\n";
        ++lines;
    }
    return shown;
}

std::string describe(Context& ctx, const InboxItem& item, std::size_t n, std::size_t total, TimePoint now) {
    std::string head = "[" + std::to_string(n) + " of " + std::to_string(total) + "] " +
                       std::string{to_string(item.kind)} + " " + item.handle;
    std::string when = item.due ? (is_overdue(*item.due, now) ? "overdue, was due " : "due ") + format_local(*item.due) +
                                      " (" + format_relative(*item.due, now) + ")"
                                : std::string{"no due date"};
    std::string text = "\n" + head + "  ·  " + when + "\n" + sanitize_for_terminal(item.title, Newlines::flatten);
    if (!item.from.empty()) {
        text += "  (from " + sanitize_for_terminal(item.from, Newlines::flatten) + ")";
    }
    text += "\n";
    if (!item.path.empty()) {
        text += "  " + sanitize_for_terminal(item.path, Newlines::flatten) + "\n";
    }
    text += first_lines(ctx.workspace(), item, 4);
    return text + "[o]pen/do  [d]one  [s]nooze  [g] delegate  [n]ext  [u]ndo  [q]uit > ";
}

// 'o': the editor that does the item (reply, response, check-in), else the document itself.
void open_item(Context& ctx, RawMode& raw, const InboxItem& item) {
    raw.restore();
    out("\n");
    try {
        if ((item.kind == ItemKind::review || item.kind == ItemKind::response) && !item.doc_id.empty()) {
            DocSummary doc = resolve_ref(ctx.index(), item.doc_id, ctx.workspace().root());
            BodyInput input;
            Written w = item.kind == ItemKind::review
                            ? create_reply(ctx.session(), doc, input)
                            : Written{{}, respond_to_meeting(ctx.session(), doc, input).path};
            out("wrote " + ctx.shown_path(w.path) + "\n");
            ctx.index().refresh();
        } else if (item.kind == ItemKind::checkin) {
            auto period = parse_period(item.key.substr(item.key.find(':') + 1));
            if (!period) {
                throw Error{ErrorKind::data, "'" + item.key + "' names no check-in period"};
            }
            auto w = write_checkin(ctx.index(), ctx.session(), *period, BodyInput{});
            out("wrote " + ctx.shown_path(w.path) + "\n");
            ctx.index().refresh();
        } else if (!item.path.empty()) {
            out(sanitize_for_terminal(read_file(ctx.workspace().root() / item.path)) + "\n");
        }
    } catch (const Error& e) {
        out("async: " + sanitize_for_terminal(e.what(), Newlines::flatten) + "\n");
    }
    raw.resume();
}

} // namespace

void run_triage(Context& ctx) {
    if (!::isatty(STDIN_FILENO) || !::isatty(STDOUT_FILENO)) {
        throw Error{ErrorKind::environment, "inbox triage needs a terminal",
                    "in scripts use 'async inbox' and 'async inbox done|snooze|delegate|undo ITEM…'"};
    }
    Session session = ctx.session();
    TimePoint now = session.now;
    const Workspace& ws = ctx.workspace();
    auto items = gather_inbox(ctx.index(), session, false);
    std::vector<std::string> team;
    for (const auto& p : ctx.config().people()) {
        if (p.handle != ctx.me()) {
            team.push_back(p.handle);
        }
    }
    if (items.empty()) {
        out("Inbox zero. Nothing needs you.\n");
        return;
    }
    RawMode raw;
    std::vector<std::size_t> decided_at; // indexes of items decided in this session, for undo
    std::vector<bool> decided(items.size(), false);
    std::size_t i = 0;
    auto apply = [&](std::size_t index, const TriageDecision& d) {
        auto results = decide(ctx.session(), {items[index]}, d, false);
        out(sanitize_for_terminal(results.front().note, Newlines::flatten) + "\n");
        if (items[index].kind == ItemKind::action && results.front().changed &&
            (d.verb == TriageVerb::done || d.verb == TriageVerb::undo)) {
            ctx.wrote({ws.root() / items[index].path}); // done and undo tick the action's file
        }
    };
    while (i < items.size()) {
        out(describe(ctx, items[i], i + 1, items.size(), now));
        int key = read_key();
        if (key >= 0 && key != '\r' && key != '\n' && key >= 32) {
            out(std::string(1, static_cast<char>(key)) + "\n");
        } else {
            out("\n");
        }
        try {
            switch (key) {
            case 'o':
            case '\r':
            case '\n': open_item(ctx, raw, items[i]); break;
            case 'd':
                apply(i, TriageDecision{TriageVerb::done, std::nullopt, {}});
                decided[i] = true;
                decided_at.push_back(i++);
                break;
            case 's': {
                auto text = read_line("Snooze until (mon, +3d, 2026-12-01…): ");
                if (!text || trim(*text).empty()) {
                    out("not snoozed\n");
                    break;
                }
                TimePoint until = parse_human_date(*text, ctx.clock().now(), DateRole::start);
                apply(i, TriageDecision{TriageVerb::snooze, until, {}});
                decided[i] = true;
                decided_at.push_back(i++);
                break;
            }
            case 'g': {
                auto to = read_line("Delegate to (Tab completes): ", team);
                if (!to || trim(*to).empty()) {
                    out("not delegated\n");
                    break;
                }
                apply(i, TriageDecision{TriageVerb::delegate, std::nullopt, std::string{trim(*to)}});
                decided[i] = true;
                decided_at.push_back(i++);
                break;
            }
            case 'n': ++i; break;
            case 'u':
                if (decided_at.empty()) {
                    out("nothing to undo in this session\n");
                    break;
                }
                i = decided_at.back();
                decided_at.pop_back();
                apply(i, TriageDecision{TriageVerb::undo, std::nullopt, {}});
                decided[i] = false;
                break;
            case 'q':
            case 3:
            case 4:
            case -1: {
                std::size_t done = static_cast<std::size_t>(std::count(decided.begin(), decided.end(), true));
                out("Stopped: " + std::to_string(done) + " decided, " + std::to_string(items.size() - done) +
                    " still in your inbox.\n");
                return;
            }
            default: out("keys: o d s g n u q\n"); break;
            }
        } catch (const Error& e) {
            out("async: " + sanitize_for_terminal(e.what(), Newlines::flatten) + "\n");
        }
    }
    raw.restore();
    auto left = gather_inbox(ctx.index(), ctx.session(), false);
    if (left.empty()) {
        out("Inbox zero. Nothing needs you.\n");
    } else {
        out("End of the inbox: " + std::to_string(left.size()) + " item" + (left.size() == 1 ? "" : "s") +
            " left (skipped or new). Run 'async inbox triage' again to see them.\n");
    }
}

} // namespace async::cmd
