#include <async/git.hpp>
#include <async/history.hpp>
#include <async/identity.hpp>
#include <async/layout.hpp>
#include <async/note.hpp>
#include <async/workspace.hpp>

namespace async {

NoteHistory note_history(const Workspace& ws, const Config& config) {
    return [&ws, &config] {
        std::vector<std::string> sections(std::begin(k_sections), std::end(k_sections));
        std::unordered_map<std::string, NoteOrigin> origins;
        for (auto& [path, added] : first_additions(ws.root(), sections)) {
            origins.emplace(path, NoteOrigin{handle_for_email(config, added.email).value_or(std::string{k_unknown_author}),
                                             added.authored});
        }
        return origins;
    };
}

} // namespace async
