#pragma once
// Action items as files hold them: ticking a task-list box (`- [ ]` to `- [x]`) and unticking
// it (the one writer of an action's box, for `actions done`/`undo`, `inbox done` and `inbox
// undo`), adding an action to a task list (`actions add`) and rewriting its `due:` token
// (`actions due`).
#include <async/session.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace async {

class Workspace;

// The longest text `actions add` takes, in bytes: an action is one line of a task list.
inline constexpr std::size_t k_max_action_text = 1000;

// What the box of an action should say.
enum class ActionMark { done, open };

// Whether to write the file or only say what would change.
enum class WriteMode { write, dry_run };

struct MarkResult {
    bool changed = false;  // false: the box already said so
    std::size_t line = 0;  // the action's line in the file (1-based), where the box is
    std::string text;      // the action's text, as `async actions` lists it
};

// Sets the box of the action that handle names in the file at path (relative to the workspace
// root): `[x]` for done, `[ ]` for open. The action is found again by its handle in the file as
// it is now (a moved line is still found; an edited action is not), and the file is rewritten
// atomically with only that box changed. Throws Error{data} when the file no longer holds that
// action. With WriteMode::dry_run nothing is written.
MarkResult mark_action(const Workspace& ws, std::string_view path, std::string_view handle, ActionMark mark,
                       WriteMode mode);

struct NewAction {
    std::string text;               // one line: what is to be done
    std::string owner;              // a handle (normalize_handle's grammar); empty: session.me
    std::optional<std::string> due; // YYYY-MM-DD (due.hpp's is_due_date)
    std::string path;               // the document to add to (workspace-relative); empty: my capture file
};

struct AddedAction {
    std::string handle;        // the new action's handle, as `async actions` lists it
    std::string path;          // the file written (workspace-relative)
    std::size_t line = 0;      // the action's line in that file (1-based)
    std::string text;          // the action's text, as `async actions` lists it
    bool created_file = false; // the capture file was created by this call
};

// Appends `- [ ] @owner TEXT due:D` to the last task list of the document at request.path
// (after the list's last item, with that item's indentation and bullet), or to a new
// "## Actions" section at the end when the document has no action; without a path, to my
// capture file people/<me>/actions.md (layout's actions_file), created with front matter on
// first use. Only the document's author may add to it (one writer per file). The file is read
// and written under its FileLock. Throws Error{usage} for a text that is empty, longer than
// k_max_action_text, not UTF-8, has control characters or a `due:` of its own, or does not
// make exactly one action with that owner and due date, and for a bad handle or date;
// Error{no} when the document is someone else's; Error{data} when it cannot be read.
AddedAction add_action(const Session& session, const NewAction& request);

struct DueResult {
    bool changed = false;          // false: the action already had that due date
    std::size_t line = 0;          // the action's line in the file (1-based)
    std::string text;              // the action's text
    std::string handle;            // its handle now: the handle hashes the text, `due:` included
};

// Sets the `due:` token of the action that handle names in the file at path to due (YYYY-MM-DD),
// or removes it when due is nullopt: the item's first `due:` word is replaced (or removed with
// the blank before it), else ` due:D` is appended to the box's line. Only the file's author or
// the action's owner (session.me) may reschedule it. Throws Error{usage} for a date that is not
// YYYY-MM-DD, Error{no} for someone else's action, Error{data} when the file no longer holds
// the action or the rewritten line would not carry the date. WriteMode::dry_run writes nothing.
DueResult set_action_due(const Session& session, std::string_view path, std::string_view handle,
                         const std::optional<std::string>& due, WriteMode mode);

} // namespace async
