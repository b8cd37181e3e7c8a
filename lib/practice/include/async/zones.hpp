#pragma once
// People's time zones: `people.<handle>.tz` in the team config, an IANA name ("America/New_York"),
// read through libical's zone data (the system's tzdata), so a time can be put in any person's
// zone without changing the process's TZ. A person without a valid tz lives in the local zone.
#include <async/clock.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace async {

class Config;

struct ZonedTime {
    std::string date; // "2026-11-27"
    int hour = 0;
    int minute = 0;
    int weekday = 0; // 0 = Monday … 6 = Sunday
    std::string zone; // the IANA name; empty for the local zone
};

// True when name is an IANA time zone libical knows ("Europe/Berlin", "UTC"): 1 to 64
// characters of [A-Za-z0-9_+-/], no leading '/', no "..". Throws Error{environment} when libical
// cannot be loaded.
bool is_time_zone(std::string_view name);

// The zone of handle: config's people.<handle>.tz when it is_time_zone, else nullopt (unset or
// unknown: the local zone). Loads libical only when a tz is set.
std::optional<std::string> person_time_zone(const Config& config, std::string_view handle);

// t in handle's zone (person_time_zone), else in the local zone (TZ).
ZonedTime person_time(const Config& config, std::string_view handle, TimePoint t);

// t in zone (an IANA name that is_time_zone); nullopt for an unknown zone.
std::optional<ZonedTime> time_in_zone(std::string_view zone, TimePoint t);

// "Fri 17:00 — 02:00 Sat for carol": deadline in the local zone and in handle's, when handle has
// a zone (person_time_zone) in which the deadline's day or time differs; nullopt otherwise.
std::optional<std::string> deadline_for_person(const Config& config, std::string_view handle, TimePoint deadline);

struct ZoneName {
    std::string name;    // "Europe/Berlin"
    std::string comment; // where it applies ("DE (most areas)"), may be empty
};

// The time zones a person's tz may name, for completion: UTC and the canonical zones of the
// system's tzdata (zone1970.tab, whose lines with no zone of the name shape are skipped), sorted
// by name. Reads at most 1 MiB; an unreadable table gives UTC alone. Loads no library.
std::vector<ZoneName> known_time_zones();

// The handles of config's people whose people.<handle>.tz is set but names no zone, with the
// value: check's warnings.
std::vector<std::pair<std::string, std::string>> unknown_time_zones(const Config& config);

} // namespace async
