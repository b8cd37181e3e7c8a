#include <async/leave.hpp>

#include <async/dates.hpp>
#include <async/error.hpp>
#include <async/identity.hpp>
#include <async/layout.hpp>
#include <async/lock.hpp>
#include <async/text.hpp>
#include <async/toml.hpp>
#include <async/workspace.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>

namespace fs = std::filesystem;

namespace async {
namespace {

// The local date a `from`/`to` value holds: a TOML local date or a "YYYY-MM-DD" string.
std::optional<std::string> date_of(const toml::node* node) {
    if (node == nullptr) {
        return std::nullopt;
    }
    if (auto s = node->value<std::string>()) {
        return has_iso_date_shape(*s) ? std::optional<std::string>{*s} : std::nullopt;
    }
    if (const auto* d = node->as_date()) {
        const toml::date& v = d->get();
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(v.year) % 10000,
                      static_cast<int>(v.month) % 100, static_cast<int>(v.day) % 100);
        return std::string{buf};
    }
    return std::nullopt;
}

// start and end of the days from..to, or nullopt when either is no real date.
bool fill_times(Absence& a) {
    try {
        a.start = parse_human_date(a.from, TimePoint{}, DateRole::start);
        a.end = parse_human_date(a.to, TimePoint{}, DateRole::end);
    } catch (const Error&) {
        return false;
    }
    return true;
}

bool has_controls(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7f;
    }) || strip_controls(text, Newlines::keep) != text;
}

std::string render_away(std::string_view me, std::vector<Absence> list) {
    std::sort(list.begin(), list.end(),
              [](const Absence& a, const Absence& b) { return std::tie(a.from, a.to) < std::tie(b.from, b.to); });
    std::string out = "# Absences of " + std::string{me} + ", written by async away.\n"
                      "# Only " + std::string{me} + " writes this file; from and to are the first and last day away.\n";
    for (const auto& a : list) {
        out += "\n[[away]]\nfrom = " + a.from + "\nto = " + a.to + "\n";
        if (!a.note.empty()) {
            out += "note = " + toml_quote(a.note) + "\n";
        }
    }
    return out;
}

std::string rel_away(std::string_view handle) {
    return std::string{k_people} + "/" + std::string{handle} + "/away.toml";
}

// My file under its lock: the absences, or Error{data} naming the file when it cannot be read.
std::vector<Absence> read_own(const fs::path& file, std::string_view me, const std::string& shown) {
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        return {};
    }
    std::vector<AwayProblem> problems;
    auto list = parse_away(read_file(file), me, shown, problems);
    if (!problems.empty()) {
        const auto& p = problems.front();
        std::string where = p.line > 0 ? ":" + std::to_string(p.line) + ":" + std::to_string(p.column) : "";
        throw Error{ErrorKind::data, p.path + where + ": " + p.message,
                    "fix or remove the file; it holds only your absences"};
    }
    return list;
}

} // namespace

std::vector<Absence> parse_away(std::string_view text, std::string_view handle, std::string_view path,
                                std::vector<AwayProblem>& problems) {
    std::vector<Absence> out;
    auto problem = [&](int line, int column, std::string message) {
        problems.push_back(AwayProblem{std::string{path}, line, column, std::move(message)});
    };
    if (text.size() > static_cast<std::size_t>(k_max_file_size)) {
        problem(0, 0, too_large_message(static_cast<std::int64_t>(text.size())));
        return out;
    }
    toml::table table;
    try {
        table = parse_toml(text, path);
    } catch (const toml::parse_error& e) {
        problem(static_cast<int>(e.source().begin.line), static_cast<int>(e.source().begin.column),
                std::string{e.description()});
        return out;
    }
    const toml::node* node = table.get("away");
    if (node == nullptr) {
        return out;
    }
    const auto* list = node->as_array();
    if (list == nullptr) {
        problem(static_cast<int>(node->source().begin.line), static_cast<int>(node->source().begin.column),
                "'away' must be a list of [[away]] tables");
        return out;
    }
    for (const auto& entry : *list) {
        int line = static_cast<int>(entry.source().begin.line);
        int column = static_cast<int>(entry.source().begin.column);
        if (out.size() >= k_max_absences) {
            problem(line, column, "more than " + std::to_string(k_max_absences) + " absences; the rest are ignored");
            break;
        }
        const auto* t = entry.as_table();
        if (t == nullptr) {
            problem(line, column, "an absence must be a table with from and to");
            continue;
        }
        Absence a;
        a.handle = to_lower_ascii(handle);
        auto from = date_of(t->get("from"));
        auto to = date_of(t->get("to"));
        if (!from || !to) {
            problem(line, column, "an absence needs from and to as dates (YYYY-MM-DD)");
            continue;
        }
        a.from = *from;
        a.to = *to;
        if (!fill_times(a)) {
            problem(line, column, "impossible date in absence " + a.from + ".." + a.to);
            continue;
        }
        if (a.to < a.from) {
            problem(line, column, "absence ends (" + a.to + ") before it starts (" + a.from + ")");
            continue;
        }
        if (const auto* note = t->get("note")) {
            auto s = note->value<std::string>();
            if (!s) {
                problem(line, column, "an absence's note must be a string");
                continue;
            }
            std::string cleaned = one_line(strip_controls(*s, Newlines::flatten));
            if (cleaned.size() > k_max_away_note) {
                cleaned.resize(k_max_away_note);
                while (!cleaned.empty() && (static_cast<unsigned char>(cleaned.back()) & 0xC0) == 0x80) {
                    cleaned.pop_back();
                }
                if (!cleaned.empty() && static_cast<unsigned char>(cleaned.back()) >= 0xC0) {
                    cleaned.pop_back();
                }
            }
            a.note = std::move(cleaned);
        }
        out.push_back(std::move(a));
    }
    std::sort(out.begin(), out.end(),
              [](const Absence& a, const Absence& b) { return std::tie(a.from, a.to) < std::tie(b.from, b.to); });
    return out;
}

Absences load_absences(const Workspace& ws) {
    Absences out;
    fs::path people = ws.root() / k_people;
    std::error_code ec;
    if (!fs::is_directory(people, ec)) {
        return out;
    }
    std::vector<std::string> handles;
    for (fs::directory_iterator it{people, ec}, end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (name.empty() || name.front() == '.') {
            continue;
        }
        std::error_code fe;
        if (it->is_directory(fe) && fs::exists(it->path() / "away.toml", fe)) {
            handles.push_back(name);
        }
    }
    std::sort(handles.begin(), handles.end());
    for (const auto& h : handles) {
        std::string rel = rel_away(h);
        std::error_code se;
        auto size = fs::file_size(ws.root() / rel, se);
        if (!se && size > static_cast<std::uintmax_t>(k_max_file_size)) {
            out.problems.push_back(AwayProblem{rel, 0, 0, too_large_message(static_cast<std::int64_t>(size))});
            continue;
        }
        std::string text;
        try {
            text = read_workspace_file(ws.root(), rel);
        } catch (const Error& e) {
            out.problems.push_back(AwayProblem{rel, 0, 0, e.what()});
            continue;
        }
        for (auto& a : parse_away(text, h, rel, out.problems)) {
            out.all.push_back(std::move(a));
        }
    }
    return out;
}

std::optional<Absence> away_at(const Absences& absences, std::string_view handle, TimePoint t) {
    std::string h = handle_or_lower(handle);
    std::optional<Absence> found;
    for (const auto& a : absences.all) {
        if (a.handle == h && a.start <= t && t <= a.end) {
            if (!found || a.end > found->end) {
                found = a;
            }
        }
    }
    if (!found) {
        return found;
    }
    // Absences that follow without a gap (the next starts by the second after this one ends).
    for (bool grew = true; grew;) {
        grew = false;
        for (const auto& a : absences.all) {
            if (a.handle == h && a.start <= found->end + std::chrono::seconds{1} && a.end > found->end) {
                found->end = a.end;
                found->to = a.to;
                grew = true;
            }
        }
    }
    return found;
}

std::vector<Absence> away_between(const Absences& absences, TimePoint from, TimePoint to,
                                  const std::vector<std::string>& handles) {
    std::vector<Absence> out;
    for (const auto& a : absences.all) {
        if (a.end < from || a.start > to) {
            continue;
        }
        if (!handles.empty() &&
            std::none_of(handles.begin(), handles.end(), [&](const std::string& h) { return handle_or_lower(h) == a.handle; })) {
            continue;
        }
        out.push_back(a);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Absence& a, const Absence& b) { return std::tie(a.from, a.handle) < std::tie(b.from, b.handle); });
    return out;
}

std::string away_until_text(const Absence& absence) {
    return "away until " + format_local(absence.end).substr(0, 14);
}

std::vector<Absence> my_absences(const Workspace& ws, std::string_view me) {
    return read_own(away_file(ws.root(), me), me, rel_away(me));
}

void add_absence(const Workspace& ws, std::string_view me, std::string_view from, std::string_view to,
                 std::string_view note) {
    Absence a;
    a.handle = to_lower_ascii(me);
    a.from = std::string{from};
    a.to = std::string{to};
    if (!has_iso_date_shape(a.from) || !has_iso_date_shape(a.to) || !fill_times(a)) {
        throw Error{ErrorKind::usage, "an absence needs two dates, not '" + a.from + ".." + a.to + "'"};
    }
    if (a.to < a.from) {
        throw Error{ErrorKind::usage, "the absence ends (" + a.to + ") before it starts (" + a.from + ")",
                    "async away FROM..TO"};
    }
    if (has_controls(note)) {
        throw Error{ErrorKind::usage, "the note holds control characters", "give the note as one line of text"};
    }
    if (note.size() > k_max_away_note) {
        throw Error{ErrorKind::usage,
                    "the note is too long (" + std::to_string(note.size()) + " bytes; the limit is " +
                        std::to_string(k_max_away_note) + ")"};
    }
    a.note = std::string{trim(note)};
    fs::path file = away_file(ws.root(), me);
    FileLock lock{file};
    auto list = read_own(file, me, rel_away(me));
    auto same = std::find_if(list.begin(), list.end(), [&](const Absence& o) { return o.from == a.from && o.to == a.to; });
    if (same != list.end()) {
        same->note = a.note;
    } else {
        list.push_back(a);
    }
    lock.commit(render_away(me, list));
}

std::size_t clear_absences(const Workspace& ws, std::string_view me, const std::optional<std::string>& on,
                           TimePoint now) {
    fs::path file = away_file(ws.root(), me);
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        return 0;
    }
    FileLock lock{file};
    auto list = read_own(file, me, rel_away(me));
    std::string today = format_local_date(now);
    auto before = list.size();
    std::erase_if(list, [&](const Absence& a) {
        return on ? a.from <= *on && *on <= a.to : a.to >= today;
    });
    std::size_t removed = before - list.size();
    if (removed > 0) {
        lock.commit(render_away(me, list));
    }
    return removed;
}

} // namespace async
