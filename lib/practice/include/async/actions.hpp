#pragma once
// Action items as files hold them: ticking a task-list box (`- [ ]` to `- [x]`) and unticking
// it. The one writer of an action's box, for `actions done`, `inbox done` and `inbox undo`.
#include <cstddef>
#include <string>
#include <string_view>

namespace async {

class Workspace;

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

} // namespace async
