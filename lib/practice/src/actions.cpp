#include <async/actions.hpp>
#include <async/document.hpp>
#include <async/error.hpp>
#include <async/lock.hpp>
#include <async/markdown.hpp>
#include <async/workspace.hpp>

#include <optional>
#include <unordered_map>

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
    Document doc = Document::parse(text, shown);
    std::string doc_id = doc.get_string("id").value_or("");
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

} // namespace async
