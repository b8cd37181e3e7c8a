#include <async/watercooler.hpp>

#include <async/config.hpp>
#include <async/error.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <vector>

namespace fs = std::filesystem;

namespace async {
namespace {

// The template's own questions (templates/watercooler.md), when the team names none.
constexpr std::string_view k_default_prompts[] = {
    "What have you enjoyed lately that has nothing to do with work?",
    "What is the view from your window today?",
    "Which skill would you learn if time were free?",
    "What is the best thing you ate this week?",
    "Which song goes on the team playlist?",
};

std::string two_digits(int n) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d", n % 100);
    return buf;
}

// The local weekday of t, 0 = Monday: days since the Monday of its ISO week.
int weekday_of(TimePoint t) {
    TimePoint monday = iso_week_start(iso_week_of(t));
    auto days = std::chrono::duration_cast<std::chrono::hours>(t - monday).count() / 24;
    return static_cast<int>(std::clamp<long long>(days, 0, 6));
}

// "2026-11-27": the date of weekday day (0 = Monday) of week, from the week alone (noon, so no
// DST change moves it to another date).
std::string date_in_week(IsoWeek week, int day) {
    return format_local_date(iso_week_start(week) + std::chrono::hours{24 * day + 12});
}

int configured_day(const Config& config, bool& set) {
    auto value = config.get("watercooler.day");
    set = value && !trim(*value).empty();
    if (!set) {
        return 4;
    }
    auto day = weekday_from_name(*value);
    if (!day) {
        throw Error{ErrorKind::usage, "watercooler.day is '" + *value + "', not a weekday",
                    "async config set watercooler.day fri"};
    }
    return *day;
}

} // namespace

std::string watercooler_path(IsoWeek week) {
    return "docs/" + format_iso_week(week) + "-watercooler/index.md";
}

std::string watercooler_id(IsoWeek week) {
    return "w" + std::to_string(week.year) + "w" + two_digits(week.week);
}

std::string watercooler_prompt(const Config& config, IsoWeek week) {
    std::vector<std::string> prompts;
    for (const auto& p : config.get_list("watercooler.prompts")) {
        std::string line = one_line(strip_controls(p, Newlines::flatten));
        if (!trim(line).empty()) {
            prompts.push_back(std::string{trim(line)});
        }
    }
    if (prompts.empty()) {
        for (auto p : k_default_prompts) {
            prompts.emplace_back(p);
        }
    }
    auto turn = static_cast<std::size_t>(week.year) * 53 + static_cast<std::size_t>(week.week);
    return prompts[turn % prompts.size()];
}

std::string watercooler_text(const Config& config, IsoWeek week) {
    bool set = false;
    int day = configured_day(config, set);
    std::string date = date_in_week(week, day);
    std::string out = "+++\n";
    out += "id = \"" + watercooler_id(week) + "\"\n";
    out += "type = \"watercooler\"\n";
    out += "title = " + toml_quote("Watercooler " + format_iso_week(week)) + "\n";
    out += "author = \"" + std::string{k_watercooler_author} + "\"\n";
    out += "created = " + date + "T00:00:00Z\n";
    out += "status = \"open\"\n";
    out += "+++\n\n";
    out += "*No work talk here, and nothing is due: answer with a reply if you like "
           "(async doc reply " + watercooler_id(week) + ").*\n\n";
    out += "## This week's question\n\n";
    out += "**" + watercooler_prompt(config, week) + "**\n";
    return out;
}

WatercoolerResult create_watercooler(const Workspace& ws, const Config& config, TimePoint now) {
    WatercoolerResult r;
    bool set = false;
    r.day = configured_day(config, set);
    r.week = iso_week_of(now);
    if (!set) {
        r.outcome = WatercoolerOutcome::off;
        return r;
    }
    if (weekday_of(now) != r.day) {
        r.outcome = WatercoolerOutcome::not_today;
        return r;
    }
    r.path = watercooler_path(r.week);
    r.id = watercooler_id(r.week);
    fs::path file = ws.root() / r.path;
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    if (ec) {
        throw Error{ErrorKind::data, "cannot create '" + file.parent_path().string() + "': " + ec.message()};
    }
    r.outcome = create_file_exclusive(file, watercooler_text(config, r.week)) ? WatercoolerOutcome::created
                                                                              : WatercoolerOutcome::exists;
    return r;
}

} // namespace async
