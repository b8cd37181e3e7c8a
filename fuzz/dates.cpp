// libFuzzer harness: the human date grammar (every role, a day word with a time of day), durations,
// strict ISO 8601, ISO weeks and the
// check-in periods named by folders and by --week/--day.
#include <async/cadence.hpp>
#include <async/dates.hpp>
#include <async/error.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text{reinterpret_cast<const char*>(data), size};
    const auto now = *async::parse_iso8601("2026-11-26T10:15:00Z");
    for (auto role : {async::DateRole::deadline, async::DateRole::start, async::DateRole::end}) {
        try {
            auto t = async::parse_human_date(text, now, role);
            (void)async::format_utc(t);
            (void)async::format_local(t);
            (void)async::format_relative(t, now);
            (void)async::format_iso_week(async::iso_week_of(t));
        } catch (const async::Error&) {
        }
    }
    try {
        auto d = async::parse_duration(text);
        if (d.count() <= 0 || d.count() > async::k_max_duration_minutes) {
            __builtin_trap();
        }
    } catch (const async::Error&) {
    }
    if (auto t = async::parse_iso8601(text)) {
        (void)async::format_utc(*t);
    }
    try {
        auto week = async::parse_iso_week(text);
        (void)async::iso_week_start(week);
        (void)async::format_iso_week(week);
    } catch (const async::Error&) {
    }
    if (auto period = async::parse_period(text)) {
        // A label read back names the same period, whose neighbours are other periods (or an
        // Error at the ends of the supported years).
        if (async::parse_period(period->label)->start != period->start) {
            __builtin_trap();
        }
        try {
            if (async::next_period(*period).start < period->end) {
                __builtin_trap();
            }
        } catch (const async::Error&) {
        }
        try {
            if (async::previous_period(*period).end > period->start) {
                __builtin_trap();
            }
        } catch (const async::Error&) {
        }
    }
    for (auto cadence : {async::Cadence::weekly, async::Cadence::daily}) {
        try {
            auto p = async::resolve_period(cadence, text, now);
            if (p.cadence != cadence || !(p.start < p.end)) {
                __builtin_trap();
            }
        } catch (const async::Error&) {
        }
    }
    return 0;
}
