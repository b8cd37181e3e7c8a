#include <async/completion.hpp>

#include <async/clock.hpp>
#include <async/config.hpp>
#include <async/dates.hpp>
#include <async/env.hpp>
#include <async/error.hpp>
#include <async/history.hpp>
#include <async/identity.hpp>
#include <async/inbox.hpp>
#include <async/index.hpp>
#include <async/query.hpp>
#include <async/templates.hpp>
#include <async/text.hpp>
#include <async/watcher.hpp>
#include <async/zones.hpp>

#include <algorithm>
#include <array>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <chrono>
#include <exception>
#include <utility>

namespace fs = std::filesystem;

namespace async {
namespace {

constexpr std::array<std::pair<std::string_view, CompletionKind>, 11> k_kinds{{
    {"ids", CompletionKind::ids},
    {"meetings", CompletionKind::meetings},
    {"handles", CompletionKind::handles},
    {"teams", CompletionKind::teams},
    {"templates", CompletionKind::templates},
    {"weeks", CompletionKind::weeks},
    {"items", CompletionKind::items},
    {"actions", CompletionKind::actions},
    {"keys", CompletionKind::keys},
    {"settable-keys", CompletionKind::settable_keys},
    {"zones", CompletionKind::zones},
}};

// The keys async reads, for `config set` (people.HANDLE.* come from the team's own tables).
constexpr std::array<std::pair<std::string_view, std::string_view>, 19> k_known_keys{{
    {"checkin.cadence", "how often everyone checks in: weekly (default) or daily"},
    {"checkin.day", "the weekly check-in day (mon..sun, default fri)"},
    {"checkin.questions", "the questions of the check-in template (an array)"},
    {"checkin.repos", "git repositories my check-in lists commits from (an array)"},
    {"core.editor", "the editor when neither VISUAL nor EDITOR is set"},
    {"index.watcher", "false: never ask watchman what changed (walk the workspace)"},
    {"mail.from", "the From: address of reminders"},
    {"mail.sendmail", "the sendmail program (or an array with its arguments)"},
    {"publish.base_url", "the URL the published site is served from"},
    {"publish.dir", "the folder async publish writes the site into"},
    {"publish.title", "the published site's title (default: team.name)"},
    {"remind.sender", "the one teammate whose remind --mail sends"},
    {"team.name", "the team's name"},
    {"trust.workspaces", "workspaces whose committed config may name programs (user config)"},
    {"user.handle", "my handle"},
    {"watercooler.day", "the day async watercooler creates the week's non-work thread"},
    {"watercooler.prompts", "the questions the watercooler threads take in turn (an array)"},
    {"workspace", "the workspace to use outside any (user config)"},
    {"workspace.id", "this workspace's id in calendar UIDs (init writes it)"},
}};

constexpr std::size_t k_description_columns = 80;

// The place's workspace, if there is one (never created).
std::optional<Workspace> workspace_of(const CompletionPlace& place) {
    Config user = Config::load(place.env, {});
    return find_workspace(place.cwd, place.started, place.env, user.get("workspace"));
}

// The layered config: the workspace's file when there is a workspace, else the user's alone.
Config config_of(const CompletionPlace& place, const std::optional<Workspace>& ws) {
    return Config::load(place.env, ws ? ws->config_file() : fs::path{});
}

// The index as a keypress may see it. With the file watcher, brought up to date from its
// answer first (the files it names are read, as any refresh would; it never walks): a document
// a `git pull` brought is offered at once. Without one, or when it cannot say, the index as
// it is, read-only (complete() still stats every candidate it offers). nullptr: no index.
std::unique_ptr<Index> index_of(const CompletionPlace& place, const Workspace& ws) {
    Config user = Config::load(place.env, {});
    Config layered = Config::load(place.env, ws.config_file());
    if (watcher_enabled(user, layered)) {
        if (std::unique_ptr<Index> index = Index::open_existing(ws)) {
            Watcher watcher{ws, place.env, true};
            index->use_watcher(&watcher);
            index->set_note_history(note_history(ws, layered));
            try {
                index->refresh_from_watcher();
            } catch (const Error&) {
                // Busy or unwritable: the index as it is.
            }
            index->use_watcher(nullptr);
            return index;
        }
    }
    return Index::open_read_only(ws);
}

// Ids of top-level documents (of type, when given) starting with prefix, newest first.
void document_ids(Index& index, const std::optional<std::string>& type, const std::string& prefix,
                  std::vector<Candidate>& out) {
    for (auto& doc : ids_by_prefix(index, type, prefix)) {
        out.push_back({std::move(doc.id), std::move(doc.title), std::move(doc.path)});
    }
}

void handles(const Config& config, std::vector<Candidate>& out) {
    for (const auto& person : config.people()) {
        out.push_back({person.handle, !person.name.empty() ? person.name : person.email});
    }
}

void teams(const Config& config, std::vector<Candidate>& out) {
    for (const auto& team : config.teams()) {
        std::string members;
        for (const auto& m : team.members) {
            members += (members.empty() ? "" : ", ") + m;
        }
        out.push_back({team.name, members});
    }
}

void templates(const CompletionPlace& place, const std::optional<Workspace>& ws, std::vector<Candidate>& out) {
    TemplateSet set = TemplateSet::in_effect(place.env, ws ? &*ws : nullptr);
    for (const auto& t : set.list()) {
        std::string source{to_string(t.source)};
        out.push_back({t.name, t.description.empty() ? source : t.description + " (" + source + ")"});
    }
}

// Next week, this week and the four before, newest first.
void weeks(TimePoint now, std::vector<Candidate>& out) {
    using std::chrono::days;
    // From the middle of this week, so a DST shift can never cross into a neighbouring week.
    TimePoint middle = iso_week_start(iso_week_of(now)) + days{3} + std::chrono::hours{12};
    for (int k = 1; k >= -4; --k) {
        IsoWeek w = iso_week_of(middle + days{7 * k});
        std::string when = k == 1 ? "next week" : k == 0 ? "this week" : k == -1 ? "last week"
                                                                        : std::to_string(-k) + " weeks ago";
        out.push_back({format_iso_week(w), when + ", from Mon " + format_local_date(iso_week_start(w))});
    }
}

void items(Index& index, const Workspace& ws, const Config& config, const Env& env, const GitEmail& git_email,
           TimePoint now, std::vector<Candidate>& out) {
    Session session{ws, env, config, now, current_handle(env, config, git_email)};
    for (const auto& item : gather_inbox(index, session, true)) {
        std::string description = std::string{to_string(item.kind)} + ": " + item.title;
        if (item.state != ItemState::open) {
            description += " (" + std::string{to_string(item.state)} + ")";
        }
        out.push_back({item.handle, std::move(description), item.path});
    }
}

// Open actions whose handle starts with prefix (in SQL: a workspace has tens of thousands).
void actions(Index& index, const std::string& prefix, std::vector<Candidate>& out) {
    ActionFilter filter;
    filter.handle_prefix = prefix;
    for (const auto& a : list_actions(index, filter)) {
        out.push_back({a.handle, a.text + " (@" + a.owner + (a.due ? ", due " + *a.due : std::string{}) + ")", a.doc->path});
    }
}

void keys(const Config& config, CompletionKind kind, std::vector<Candidate>& out) {
    for (const auto& e : config.entries()) {
        out.push_back({e.key, {}});
    }
    if (kind == CompletionKind::settable_keys) {
        for (const auto& [key, what] : k_known_keys) {
            // clang++ 14 (the fuzz build) cannot capture a structured binding.
            auto same = std::find_if(out.begin(), out.end(), [k = key](const Candidate& c) { return c.value == k; });
            if (same == out.end()) {
                out.push_back({std::string{key}, std::string{what}});
            } else {
                same->description = what;
            }
        }
        std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) { return a.value < b.value; });
    }
}

std::vector<Candidate> gather(const CompletionRequest& request, const CompletionPlace& place, fs::path& root) {
    std::vector<Candidate> out;
    CompletionKind kind = request.kind;
    if (kind == CompletionKind::weeks) {
        weeks(Clock::from_env(place.env).now(), out);
        return out;
    }
    if ((kind == CompletionKind::keys || kind == CompletionKind::settable_keys) && request.global) {
        keys(Config::load(place.env, {}), kind, out);
        return out;
    }
    std::optional<Workspace> ws = workspace_of(place);
    if (ws) {
        root = ws->root();
    }
    switch (kind) {
    case CompletionKind::handles: handles(config_of(place, ws), out); return out;
    case CompletionKind::teams: teams(config_of(place, ws), out); return out;
    case CompletionKind::zones:
        for (auto& z : known_time_zones()) {
            out.push_back({std::move(z.name), std::move(z.comment)});
        }
        return out;
    case CompletionKind::templates: templates(place, ws, out); return out;
    case CompletionKind::keys:
    case CompletionKind::settable_keys: keys(config_of(place, ws), kind, out); return out;
    default: break;
    }
    if (!ws) {
        return out;
    }
    std::unique_ptr<Index> index = index_of(place, *ws);
    if (!index) {
        return out;
    }
    switch (kind) {
    case CompletionKind::ids: document_ids(*index, std::nullopt, request.prefix, out); break;
    case CompletionKind::meetings: document_ids(*index, "meeting", request.prefix, out); break;
    case CompletionKind::items:
        items(*index, *ws, config_of(place, ws), place.env, place.git_email, Clock::from_env(place.env).now(), out);
        break;
    case CompletionKind::actions: actions(*index, request.prefix, out); break;
    default: break;
    }
    return out;
}

// A value the shell can offer as one word: printable, no blanks, valid UTF-8.
bool is_plain_word(std::string_view value) {
    if (value.empty() || find_invalid_utf8(value)) {
        return false;
    }
    return std::none_of(value.begin(), value.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u <= 0x20 || u == 0x7F;
    }) && sanitize_for_terminal(value) == value;
}

} // namespace

std::optional<CompletionKind> completion_kind(std::string_view name) {
    for (const auto& [kind_name, kind] : k_kinds) {
        if (kind_name == name) {
            return kind;
        }
    }
    return std::nullopt;
}

std::string completion_kind_names() {
    std::string names;
    for (const auto& [kind_name, kind] : k_kinds) {
        names += (names.empty() ? "" : ", ") + std::string{kind_name};
    }
    return names;
}

std::vector<Candidate> complete(const CompletionRequest& request, const CompletionPlace& place) {
    std::vector<Candidate> out;
    fs::path root;
    try {
        out = gather(request, place, root);
    } catch (const std::exception&) {
        return {}; // a broken config or index: completion offers nothing rather than noise
    }
    if (!request.prefix.empty()) {
        std::erase_if(out, [&](const Candidate& c) { return !c.value.starts_with(request.prefix); });
    }
    // The index is never walked here (a keypress cannot wait for it): one stat per candidate
    // left, relative to the open root, keeps a deleted document out.
    if (!root.empty() && std::any_of(out.begin(), out.end(), [](const Candidate& c) { return !c.path.empty(); })) {
        int root_fd = ::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
        std::erase_if(out, [&](const Candidate& c) {
            struct stat st {};
            return !c.path.empty() && (root_fd < 0 || ::fstatat(root_fd, c.path.c_str(), &st, 0) != 0);
        });
        if (root_fd >= 0) {
            ::close(root_fd);
        }
    }
    return out;
}

std::string format_candidates(const std::vector<Candidate>& candidates) {
    std::string text;
    for (const auto& c : candidates) {
        if (!is_plain_word(c.value)) {
            continue;
        }
        text += c.value;
        std::string description =
            truncate_to_width(one_line(sanitize_for_terminal(c.description, Newlines::flatten)), k_description_columns);
        if (!description.empty()) {
            text += '\t';
            text += description;
        }
        text += '\n';
    }
    return text;
}

} // namespace async
