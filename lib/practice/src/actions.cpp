#include <async/actions.hpp>
#include <async/document.hpp>
#include <async/due.hpp>
#include <async/error.hpp>
#include <async/identity.hpp>
#include <async/layout.hpp>
#include <async/lock.hpp>
#include <async/markdown.hpp>
#include <async/note.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <unordered_map>
#include <vector>

namespace async {
namespace {

// Where line (1-based) of text starts; npos past the end.
std::size_t line_start(const std::string& text, std::size_t line) {
    std::size_t at = 0;
    for (std::size_t n = 1; n < line && at != std::string::npos; ++n) {
        at = text.find('\n', at);
        at = at == std::string::npos ? at : at + 1;
    }
    return at;
}

// The text of line (1-based) without its newline; empty past the end.
std::string_view line_at(const std::string& text, std::size_t line) {
    std::size_t start = line_start(text, line);
    if (start == std::string::npos) {
        return {};
    }
    std::size_t end = text.find('\n', start);
    return std::string_view{text}.substr(start, (end == std::string::npos ? text.size() : end) - start);
}

std::size_t count_lines(const std::string& text) {
    std::size_t n = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    return text.empty() || text.back() == '\n' ? n : n + 1;
}

bool is_blank(std::string_view line) {
    return trim(line).empty();
}

std::size_t indent_of(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
        ++i;
    }
    return i;
}

// Where the task box ("[ ]", "[x]") of an item's line is; npos when there is none.
std::size_t box_in(std::string_view line) {
    for (std::size_t i = 0; i + 2 < line.size(); ++i) {
        if (line[i] == '[' && line[i + 2] == ']' && (line[i + 1] == ' ' || line[i + 1] == 'x' || line[i + 1] == 'X')) {
            return i;
        }
    }
    return std::string_view::npos;
}

// Whether line starts with a list marker: "- ", "* ", "+ ", or digits and ". " or ") ".
bool starts_list_item(std::string_view line) {
    if (line.size() >= 2 && std::string_view{"-*+"}.find(line[0]) != std::string_view::npos && line[1] == ' ') {
        return true;
    }
    std::size_t i = 0;
    while (i < line.size() && i < 9 && std::isdigit(static_cast<unsigned char>(line[i]))) {
        ++i;
    }
    return i > 0 && i + 1 < line.size() && (line[i] == '.' || line[i] == ')') && line[i + 1] == ' ';
}

// A line that ends a list item's lazy continuation: a heading, a fence, a thematic break or
// front matter's delimiter.
bool interrupts(std::string_view line) {
    std::string_view t = trim(line);
    return t.starts_with('#') || t.starts_with("```") || t.starts_with("~~~") || t.starts_with("+++") ||
           t.starts_with("---") || t.starts_with("***") || t.starts_with('>');
}

// The action of md that sits on body line, with its handle as the index computes it.
struct Located {
    const Action* action = nullptr;
    std::string handle;
};

Located locate(const Extracted& md, std::string_view doc_id, std::size_t body_line) {
    std::unordered_map<std::string_view, std::size_t> same_raw;
    for (const auto& a : md.actions) {
        std::size_t occurrence = ++same_raw[a.raw];
        if (a.line == body_line) {
            return Located{&a, action_handle(doc_id, a.raw, occurrence)};
        }
    }
    return {};
}

std::string written_line(std::string_view prefix, const std::string& owner, const std::string& text,
                         const std::optional<std::string>& due) {
    return std::string{prefix} + "[ ] @" + owner + " " + text + (due ? " due:" + *due : std::string{});
}

// The usage error of an action text that cannot be one line of a task list.
void check_action_text(std::string_view text) {
    auto refuse = [](std::string message) {
        throw Error{ErrorKind::usage, std::move(message), "async actions add \"TEXT\" [--for @HANDLE] [--due DATE]"};
    };
    if (text.size() > k_max_action_text) {
        refuse("the action's text is too long (" + std::to_string(text.size()) + " bytes; the limit is " +
               std::to_string(k_max_action_text) + ")");
    }
    if (find_invalid_utf8(text)) {
        refuse("the action's text is not valid UTF-8");
    }
    for (std::size_t i = 0; i < text.size();) {
        char32_t cp = 0;
        std::size_t len = decode_utf8(text, i, cp);
        if (cp < 0x20 || cp == 0x7f || is_invisible_control(cp)) {
            refuse("the action's text must be one line without control characters");
        }
        i += len == 0 ? 1 : len;
    }
    if (trim(text).empty()) {
        refuse("nothing to add: the action's text is empty");
    }
}

} // namespace

MarkResult mark_action(const Workspace& ws, std::string_view path, std::string_view handle, ActionMark mark,
                       WriteMode mode) {
    auto file = ws.root() / std::string{path};
    std::string shown{path};
    // Read under the lock, so a box another async ticked meanwhile is kept.
    std::optional<FileLock> lock;
    if (mode == WriteMode::write) {
        lock.emplace(file);
    }
    std::string text = read_file(file);
    Document doc = parse_workspace_document(text, shown);
    std::string doc_id = document_id(doc, shown);
    // The handles exactly as the index computes them, so the action is the one it listed.
    std::unordered_map<std::string_view, std::size_t> same_raw;
    Extracted md = extract_markdown(doc.body());
    const Action* found = nullptr;
    for (const auto& a : md.actions) {
        if (action_handle(doc_id, a.raw, ++same_raw[a.raw]) == handle) {
            found = &a;
            break;
        }
    }
    auto gone = [&] {
        return Error{ErrorKind::data, "'" + shown + "' no longer holds action " + std::string{handle},
                     "run 'async index' and see 'async actions --all'"};
    };
    if (found == nullptr) {
        throw gone();
    }
    MarkResult result;
    result.line = found->line + doc.body_line() - 1;
    result.text = found->text;
    if (found->done == (mark == ActionMark::done)) {
        return result;
    }
    std::size_t start = line_start(text, result.line);
    std::size_t end = start == std::string::npos ? start : text.find('\n', start);
    std::string_view current = start == std::string::npos ? std::string_view{} : std::string_view{text}.substr(start, end - start);
    // The line where the item's checkbox is: its first box is the one (the list marker and
    // blanks come before it).
    std::size_t box = std::string_view::npos;
    for (std::size_t i = 0; i + 2 < current.size(); ++i) {
        if (current[i] == '[' && current[i + 2] == ']' &&
            (current[i + 1] == ' ' || current[i + 1] == 'x' || current[i + 1] == 'X')) {
            box = i;
            break;
        }
    }
    if (box == std::string_view::npos) {
        throw gone();
    }
    result.changed = true;
    if (mode == WriteMode::dry_run) {
        return result;
    }
    text[start + box + 1] = mark == ActionMark::done ? 'x' : ' ';
    lock->commit(text);
    return result;
}

AddedAction add_action(const Session& session, const NewAction& request) {
    const Workspace& ws = session.workspace;
    const std::string& me = session.me;
    std::string text{trim(request.text)};
    check_action_text(request.text);
    std::string owner = request.owner.empty() ? me : normalize_handle(request.owner);
    if (request.due && !is_due_date(*request.due)) {
        throw Error{ErrorKind::usage, "'" + *request.due + "' is not a due date (YYYY-MM-DD)"};
    }
    // The text alone, as markdown reads a task item: a `due:` of its own would be a second date
    // (or an unread one), and the line must make exactly the action asked for.
    Extracted alone = extract_markdown("- [ ] " + text + "\n");
    if (alone.actions.size() == 1 && (alone.actions[0].due || alone.actions[0].unread_due)) {
        throw Error{ErrorKind::usage, "the action's text has a 'due:' of its own",
                    "give the date with --due DATE"};
    }
    Extracted item = extract_markdown(written_line("- ", owner, text, request.due) + "\n");
    if (item.actions.size() != 1 || item.actions[0].owner != owner || item.actions[0].due != request.due ||
        trim(item.actions[0].text).empty()) {
        throw Error{ErrorKind::usage, "the text does not make one action of a task list: '" +
                                          sanitize_for_terminal(text, Newlines::flatten) + "'"};
    }

    bool capture = request.path.empty();
    if (!capture) {
        // Once a meeting has a summary, its agenda's and responses' actions are no longer
        // listed (query's list_actions): a new one there would be written and never seen.
        FileKind kind = classify(request.path);
        std::string agenda = kind == FileKind::meeting ? request.path : kind == FileKind::response ? parent_of(request.path) : "";
        std::error_code exists_ec;
        if (!agenda.empty() && std::filesystem::exists(summary_file(ws.root() / agenda), exists_ec)) {
            std::string summary = summary_file(std::filesystem::path{agenda}).generic_string();
            throw Error{ErrorKind::no, "the meeting of '" + request.path + "' is closed: its actions are in '" + summary + "'",
                        "add it there: async actions add \"TEXT\" --in " + summary};
        }
    }
    std::filesystem::path file = capture ? actions_file(ws.root(), me) : ws.root() / request.path;
    std::string rel = capture ? file.lexically_relative(ws.root()).generic_string() : request.path;
    FileLock lock{file};
    std::error_code ec;
    bool exists = std::filesystem::exists(file, ec);
    if (!capture && !exists) {
        throw Error{ErrorKind::data, "'" + rel + "' no longer exists", "run 'async index'"};
    }
    AddedAction result;
    result.path = rel;
    std::string content;
    if (!exists) {
        content = new_document("item", "Actions", me, session.now, "").render();
        result.created_file = true;
    } else {
        content = read_file(file);
    }
    Document doc = Document::parse(content, rel);
    std::string author = handle_or_lower(doc.get_string("author").value_or(""));
    if (!capture && author != me) {
        throw Error{ErrorKind::no,
                    "'" + rel + "' is " + (author.empty() ? std::string{"nobody's"} : author + "'s") +
                        ": only its author adds to it (one writer per file)",
                    "add it to your own list: async actions add \"TEXT\" --for @" +
                        (author.empty() ? owner : author)};
    }
    std::size_t offset = doc.body_line() - 1; // file line = body line + offset
    Extracted md = extract_markdown(doc.body());
    const Action* last = nullptr;
    for (const auto& a : md.actions) {
        if (last == nullptr || a.line > last->line) {
            last = &a;
        }
    }
    std::size_t total = count_lines(content);
    if (!content.empty() && content.back() != '\n') {
        content += '\n';
    }
    std::size_t insert_after = 0; // file line after which the new line goes
    std::string line;
    std::string_view last_line = last ? line_at(content, last->line + offset) : std::string_view{};
    std::size_t box = box_in(last_line);
    if (last != nullptr && box != std::string_view::npos) {
        // After the end of the last task list: its items, their continuation lines and the blank
        // lines between items of a loose list.
        std::size_t indent = indent_of(last_line);
        std::size_t end = last->line + offset;
        for (std::size_t n = end + 1; n <= total; ++n) {
            std::string_view l = line_at(content, n);
            if (is_blank(l)) {
                continue;
            }
            bool item_or_more = indent_of(l) > indent || (indent_of(l) == indent && starts_list_item(l.substr(indent)));
            bool blank_before = is_blank(line_at(content, n - 1));
            if (interrupts(l) && !item_or_more) {
                break;
            }
            if (blank_before && !item_or_more) {
                break;
            }
            end = n;
        }
        insert_after = end;
        line = written_line(last_line.substr(0, box), owner, text, request.due);
        std::size_t at = line_start(content, insert_after + 1);
        content.insert(at == std::string::npos ? content.size() : at, line + "\n");
    } else {
        // No task list yet: a new section at the end.
        while (content.size() >= 2 && content.ends_with("\n\n")) {
            content.pop_back();
        }
        std::string section = (content.empty() ? "" : "\n") + std::string{"## Actions\n\n"};
        content += section;
        insert_after = count_lines(content);
        line = written_line("- ", owner, text, request.due);
        content += line + "\n";
    }
    result.line = insert_after + 1;

    Document written = Document::parse(content, rel);
    Extracted after = extract_markdown(written.body());
    Located found = locate(after, written.get_string("id").value_or(""), result.line - (written.body_line() - 1));
    if (found.action == nullptr || found.action->owner != owner || found.action->due != request.due) {
        throw Error{ErrorKind::data, "cannot add the action to '" + rel + "': its task list is not where it seems",
                    "add the line by hand: async edit " + rel};
    }
    result.handle = found.handle;
    result.text = found.action->text;
    lock.commit(content);
    return result;
}

DueResult set_action_due(const Session& session, std::string_view path, std::string_view handle,
                         const std::optional<std::string>& due, WriteMode mode) {
    if (due && !is_due_date(*due)) {
        throw Error{ErrorKind::usage, "'" + *due + "' is not a due date (YYYY-MM-DD)"};
    }
    const Workspace& ws = session.workspace;
    std::string rel{path};
    auto file = ws.root() / rel;
    std::optional<FileLock> lock;
    if (mode == WriteMode::write) {
        lock.emplace(file);
    }
    std::string text = read_file(file);
    Document doc = parse_workspace_document(text, rel);
    std::string doc_id = document_id(doc, rel);
    std::size_t offset = doc.body_line() - 1;
    Extracted md = extract_markdown(doc.body());
    std::unordered_map<std::string_view, std::size_t> same_raw;
    const Action* found = nullptr;
    for (const auto& a : md.actions) {
        if (action_handle(doc_id, a.raw, ++same_raw[a.raw]) == handle) {
            found = &a;
            break;
        }
    }
    if (found == nullptr) {
        throw Error{ErrorKind::data, "'" + rel + "' no longer holds action " + std::string{handle},
                    "run 'async index' and see 'async actions --all'"};
    }
    std::string author = handle_or_lower(doc.get_string("author").value_or(""));
    std::string owner = found->owner.value_or(author);
    if (session.me != author && session.me != owner) {
        throw Error{ErrorKind::no,
                    "action " + std::string{handle} + " is @" + owner + "'s in " + (author.empty() ? "a file" : author + "'s file") +
                        ": only they reschedule it",
                    "ask @" + owner + " to run 'async actions due " + std::string{handle} + " DATE'"};
    }
    DueResult result;
    result.line = found->line + offset;
    result.text = found->text;
    result.handle = std::string{handle};
    if (found->due == due && !found->unread_due) {
        return result;
    }
    std::size_t start = line_start(text, result.line);
    std::string_view current = line_at(text, result.line);
    std::size_t box = box_in(current);
    std::string line{current};
    // The first "due:" word after the box, as markdown finds it (not the tail of "overdue:").
    std::size_t at = std::string::npos;
    for (std::size_t i = box == std::string_view::npos ? 0 : box + 3; i + 4 <= line.size(); ++i) {
        bool word = (line[i] | 0x20) == 'd' && (line[i + 1] | 0x20) == 'u' && (line[i + 2] | 0x20) == 'e' && line[i + 3] == ':';
        bool joined = i > 0 && (std::isalnum(static_cast<unsigned char>(line[i - 1])) || line[i - 1] == '_' ||
                                line[i - 1] == '-' || line[i - 1] == '.');
        if (word && !joined) {
            at = i;
            break;
        }
    }
    if (at != std::string::npos) {
        std::size_t end = at + 4;
        while (end < line.size() && (line[end] == ' ' || line[end] == '\t')) {
            ++end;
        }
        while (end < line.size() && line[end] != ' ' && line[end] != '\t') {
            ++end;
        }
        if (due) {
            line.replace(at, end - at, "due:" + *due);
        } else {
            std::size_t from = at;
            while (from > 0 && (line[from - 1] == ' ' || line[from - 1] == '\t')) {
                --from;
            }
            line.erase(from, end - from);
        }
    } else if (due) {
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
            line.pop_back();
        }
        line += " due:" + *due;
    }
    text.replace(start, current.size(), line);

    Document written = parse_workspace_document(text, rel);
    Extracted rewritten = extract_markdown(written.body());
    Located now = locate(rewritten, doc_id, found->line);
    if (now.action == nullptr || now.action->due != due) {
        throw Error{ErrorKind::data, "cannot rewrite the due date of action " + std::string{handle} + " in '" + rel + "'",
                    "edit the line by hand: async edit " + rel};
    }
    result.changed = true;
    result.handle = now.handle;
    if (mode == WriteMode::write) {
        lock->commit(text);
    }
    return result;
}

} // namespace async
