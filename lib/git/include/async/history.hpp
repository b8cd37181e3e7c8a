#pragma once
// Who added a workspace's files and when, as git's history says: the origin of notes (files
// without async front matter), which the index cannot ask git for itself.
#include <async/index.hpp>

namespace async {

class Config;
class Workspace;

// The NoteHistory of ws for Index::set_note_history: when asked, one `git log` over the
// workspace's sections (first_additions), each author's email made a handle (handle_for_email:
// the team's people first). Empty when ws is in no repository or nothing is committed. ws and
// config must outlive what is returned.
NoteHistory note_history(const Workspace& ws, const Config& config);

} // namespace async
