#include <async/config.hpp>
#include <async/dates.hpp>
#include <async/zones.hpp>

#include "ical_library.hpp"

#include <async/text.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <ctime>

namespace async {
namespace {

bool plausible_zone_name(std::string_view name) {
    if (name.empty() || name.size() > 64 || name.front() == '/' || name.find("..") != std::string_view::npos) {
        return false;
    }
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                  c == '+' || c == '-' || c == '/';
        if (!ok) {
            return false;
        }
    }
    return true;
}

icaltimezone* zone_named(std::string_view name) {
    if (!plausible_zone_name(name)) {
        return nullptr;
    }
    std::string text{name};
    return ical().icaltimezone_get_builtin_timezone(text.c_str());
}

std::string two(int n) {
    return std::string(n < 10 ? "0" : "") + std::to_string(n);
}

int iso_weekday_index(int year, int month, int day) {
    using namespace std::chrono;
    year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                       std::chrono::day{static_cast<unsigned>(day)}};
    return static_cast<int>(weekday{sys_days{ymd}}.iso_encoding()) - 1;
}

} // namespace

bool is_time_zone(std::string_view name) {
    return zone_named(name) != nullptr;
}

std::optional<ZonedTime> time_in_zone(std::string_view zone, TimePoint t) {
    icaltimezone* z = zone_named(zone);
    if (z == nullptr) {
        return std::nullopt;
    }
    icaltimetype local = ical().icaltime_from_timet_with_zone(static_cast<time_t>(t.time_since_epoch().count()), 0, z);
    ZonedTime out;
    out.date = std::to_string(local.year) + "-" + two(local.month) + "-" + two(local.day);
    out.hour = local.hour;
    out.minute = local.minute;
    out.weekday = iso_weekday_index(local.year, local.month, local.day);
    out.zone = std::string{zone};
    return out;
}

std::optional<std::string> person_time_zone(const Config& config, std::string_view handle) {
    auto tz = config.get("people." + std::string{handle} + ".tz");
    if (!tz || tz->empty() || !is_time_zone(*tz)) {
        return std::nullopt;
    }
    return tz;
}

ZonedTime person_time(const Config& config, std::string_view handle, TimePoint t) {
    if (auto zone = person_time_zone(config, handle)) {
        if (auto zoned = time_in_zone(*zone, t)) {
            return *zoned;
        }
    }
    // The local zone: "Fri 2026-11-27 17:00" gives the weekday and the time.
    std::string shown = format_local(t);
    ZonedTime out;
    out.date = format_local_date(t);
    out.hour = std::stoi(shown.substr(15, 2));
    out.minute = std::stoi(shown.substr(18, 2));
    out.weekday = iso_weekday_index(std::stoi(out.date.substr(0, 4)), std::stoi(out.date.substr(5, 2)),
                                    std::stoi(out.date.substr(8, 2)));
    return out;
}

std::optional<std::string> deadline_for_person(const Config& config, std::string_view handle, TimePoint deadline) {
    auto zone = person_time_zone(config, handle);
    if (!zone) {
        return std::nullopt;
    }
    auto theirs = time_in_zone(*zone, deadline);
    if (!theirs) {
        return std::nullopt;
    }
    // "Fri 2026-11-27 17:00"
    std::string mine = format_local(deadline);
    if (theirs->date == format_local_date(deadline) && two(theirs->hour) + ":" + two(theirs->minute) == mine.substr(15)) {
        return std::nullopt;
    }
    static constexpr const char* k_days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    return mine.substr(0, 3) + " " + mine.substr(15) + " — " + two(theirs->hour) + ":" + two(theirs->minute) + " " +
           k_days[theirs->weekday] + " for " + std::string{handle};
}

std::vector<std::pair<std::string, std::string>> unknown_time_zones(const Config& config) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& person : config.people()) {
        auto tz = config.get("people." + person.handle + ".tz");
        if (tz && !is_time_zone(*tz)) {
            out.emplace_back(person.handle, *tz);
        }
    }
    return out;
}

std::vector<ZoneName> known_time_zones() {
    constexpr std::size_t k_max_table = 1 << 20;
    std::vector<ZoneName> zones{{"UTC", "Coordinated Universal Time"}};
    std::ifstream in("/usr/share/zoneinfo/zone1970.tab", std::ios::binary);
    std::string table(k_max_table, '\0');
    in.read(table.data(), static_cast<std::streamsize>(table.size()));
    table.resize(static_cast<std::size_t>(in.gcount()));
    for (std::string_view line : split_lines(table)) {
        if (line.empty() || line.front() == '#') {
            continue;
        }
        // codes TAB coordinates TAB zone [TAB comment]
        std::vector<std::string_view> fields;
        while (fields.size() < 4) {
            std::size_t tab = fields.size() < 3 ? line.find('\t') : std::string_view::npos;
            fields.push_back(line.substr(0, tab));
            if (tab == std::string_view::npos) {
                break;
            }
            line.remove_prefix(tab + 1);
        }
        if (fields.size() < 3 || fields[2].find('/') == std::string_view::npos ||
            !std::all_of(fields[2].begin(), fields[2].end(), [](char c) {
                return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_ascii_digit(c) || c == '/' ||
                       c == '_' || c == '-' || c == '+';
            }) ||
            fields[2].size() > 64) {
            continue;
        }
        std::string comment = fields.size() > 3 ? std::string{fields[3]} : std::string{fields[0]};
        zones.push_back({std::string{fields[2]}, strip_controls(comment, Newlines::flatten)});
    }
    std::sort(zones.begin(), zones.end(), [](const ZoneName& a, const ZoneName& b) { return a.name < b.name; });
    zones.erase(std::unique(zones.begin(), zones.end(),
                            [](const ZoneName& a, const ZoneName& b) { return a.name == b.name; }),
                zones.end());
    return zones;
}

} // namespace async
