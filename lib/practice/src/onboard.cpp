#include <async/dates.hpp>
#include <async/error.hpp>
#include <async/identity.hpp>
#include <async/inbox.hpp>
#include <async/layout.hpp>
#include <async/onboard.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>

#include <async/toml.hpp>

#include <algorithm>
#include <charconv>
#include <system_error>

namespace fs = std::filesystem;

namespace async {
namespace {

constexpr int k_max_day = 366;

// "day 3:" at the start of a list item's text: the day, else nullopt.
std::optional<int> step_day(std::string_view line) {
    std::string_view t = trim(line);
    if (t.size() < 2 || (t[0] != '-' && t[0] != '*' && t[0] != '+') || t[1] != ' ') {
        return std::nullopt;
    }
    t = trim(t.substr(2));
    if (t.size() < 4 || to_lower_ascii(t.substr(0, 3)) != "day" || t[3] != ' ') {
        return std::nullopt;
    }
    t = trim(t.substr(4));
    int day = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), day);
    if (ec != std::errc{} || end == t.data() || end == t.data() + t.size() || *end != ':' || day < 1 ||
        day > k_max_day) {
        return std::nullopt;
    }
    return day;
}

fs::path record_file(const Workspace& ws, std::string_view handle, std::string_view path_id) {
    return ws.root() / k_people / std::string{handle} / ("onboarding-" + std::string{path_id} + ".toml");
}

std::string step_date(const std::string& start, int day, TimePoint now) {
    TimePoint first = parse_human_date(start, now, DateRole::start);
    // Noon of the day, so a DST change never moves it to a neighbour.
    return format_local_date(first + std::chrono::hours{24 * (day - 1) + 12});
}

} // namespace

std::vector<PathStep> onboarding_steps(Index& index, const Workspace& ws, const DocSummary& path) {
    if (path.type != "onboarding") {
        throw Error{ErrorKind::usage,
                    "'" + sanitize_for_terminal(path.path, Newlines::flatten) + "' is a " + path.type +
                        ", not an onboarding document",
                    "write one with: async doc new \"Welcome\" --template onboarding"};
    }
    std::string text = read_workspace_file(ws.root(), path.path);
    std::vector<std::string_view> lines;
    for (std::size_t begin = 0; begin <= text.size();) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string::npos) {
            end = text.size();
        }
        lines.push_back(std::string_view{text}.substr(begin, end - begin));
        begin = end + 1;
    }
    std::vector<PathStep> steps;
    // The links are the markdown owner's (code never holds one); the line says which day.
    for (auto& link : links_from(index, path)) {
        if (link.line == 0 || link.line > lines.size()) {
            continue;
        }
        auto day = step_day(lines[link.line - 1]);
        if (!day || (!steps.empty() && steps.back().line == link.line)) {
            continue;
        }
        PathStep step;
        step.day = *day;
        step.line = link.line;
        step.target = link.target;
        step.doc = link.doc;
        steps.push_back(std::move(step));
    }
    if (steps.empty()) {
        throw Error{ErrorKind::usage,
                    "'" + sanitize_for_terminal(path.path, Newlines::flatten) + "' lists no path",
                    "list the steps as \"- day 3: [[document]]\""};
    }
    std::stable_sort(steps.begin(), steps.end(), [](const PathStep& a, const PathStep& b) { return a.day < b.day; });
    return steps;
}

std::optional<Onboarding> start_onboarding(const Session& session, Index& index, const DocSummary& path,
                                           std::string_view handle, TimePoint start) {
    std::string who = normalize_handle(handle);
    onboarding_steps(index, session.workspace, path); // refuses a path without steps
    Onboarding out;
    out.handle = who;
    out.path_id = path.id;
    out.start = format_local_date(start);
    out.by = session.me;
    out.file = record_file(session.workspace, who, path.id);
    std::string text = "# Written once by " + session.me +
                       "'s async onboard; the steps are in the path's document.\n"
                       "path = " + toml_quote(path.id) + "\nstart = " + toml_quote(out.start) +
                       "\nby = " + toml_quote(session.me) + "\n";
    fs::create_directories(out.file.parent_path());
    if (!create_file_exclusive(out.file, text)) {
        return std::nullopt;
    }
    return out;
}

std::vector<Onboarding> onboardings_of(const Workspace& ws, std::string_view handle) {
    std::vector<Onboarding> out;
    std::string who = handle_or_lower(handle);
    fs::path dir = ws.root() / k_people / who;
    std::error_code ec;
    for (fs::directory_iterator it{dir, ec}, end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (!name.starts_with("onboarding-") || !name.ends_with(".toml") || !it->is_regular_file(ec) ||
            it->is_symlink(ec)) {
            continue;
        }
        try {
            std::string rel = std::string{k_people} + "/" + who + "/" + name;
            toml::table t = parse_toml(read_workspace_file(ws.root(), rel), rel);
            Onboarding o;
            o.handle = who;
            o.path_id = t["path"].value_or(std::string{});
            o.start = t["start"].value_or(std::string{});
            o.by = t["by"].value_or(std::string{});
            o.file = it->path();
            if (!o.path_id.empty() && parse_iso8601(o.start)) {
                out.push_back(std::move(o));
            }
        } catch (const Error&) {
            // Unreadable or not TOML: not an onboarding (check does not read these files).
        } catch (const toml::parse_error&) {
        }
    }
    std::sort(out.begin(), out.end(), [](const Onboarding& a, const Onboarding& b) { return a.path_id < b.path_id; });
    return out;
}

std::string_view to_string(StepState state) {
    switch (state) {
    case StepState::open: return "open";
    case StepState::done: return "done";
    case StepState::replied: return "replied";
    case StepState::upcoming: break;
    }
    return "upcoming";
}

std::string onboarding_key(const std::string& path_id, const PathStep& step) {
    return "onboarding:" + path_id + ":" + std::to_string(step.day) + ":" + (step.doc ? step.doc->id : step.target);
}

namespace {

std::vector<StepStatus> steps_of(const Session& session, Index& index, const Onboarding& onboarding,
                                 std::string_view handle) {
    std::vector<StepStatus> out;
    DocSummary path;
    try {
        path = resolve_ref(index, onboarding.path_id, session.workspace.root());
    } catch (const Error&) {
        return out; // the path's document is gone
    }
    std::vector<PathStep> steps;
    try {
        steps = onboarding_steps(index, session.workspace, path);
    } catch (const Error&) {
        return out;
    }
    std::string today = format_local_date(session.now);
    for (auto& step : steps) {
        StepStatus s;
        s.date = step_date(onboarding.start, step.day, session.now);
        s.key = onboarding_key(onboarding.path_id, step);
        s.state = s.date <= today ? StepState::open : StepState::upcoming;
        if (step.doc) {
            for (const auto& child : children_of(index, *step.doc)) {
                if (child.type == "reply" && handle_or_lower(child.author) == handle) {
                    s.state = StepState::replied;
                }
            }
        }
        s.step = std::move(step);
        out.push_back(std::move(s));
    }
    return out;
}

} // namespace

std::vector<StepStatus> onboarding_due(const Session& session, Index& index) {
    std::vector<StepStatus> out;
    std::string me = handle_or_lower(session.me);
    for (const auto& o : onboardings_of(session.workspace, me)) {
        for (auto& s : steps_of(session, index, o, me)) {
            if (s.state == StepState::open && s.step.doc) {
                out.push_back(std::move(s));
            }
        }
    }
    return out;
}

std::vector<StepStatus> onboarding_status(const Session& session, Index& index, const Onboarding& onboarding) {
    std::vector<StepStatus> out = steps_of(session, index, onboarding, onboarding.handle);
    // Done is the new person's own decision, in their state.toml: read through their inbox.
    Session theirs{session.workspace, session.env, session.config, session.now, onboarding.handle};
    std::vector<InboxItem> items = gather_inbox(index, theirs, true);
    for (auto& s : out) {
        if (s.state != StepState::open) {
            continue;
        }
        for (const auto& item : items) {
            if (item.key == s.key && item.state == ItemState::done) {
                s.state = StepState::done;
            }
        }
    }
    return out;
}

} // namespace async
