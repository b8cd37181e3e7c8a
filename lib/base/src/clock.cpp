#include <async/clock.hpp>
#include <async/dates.hpp>
#include <async/env.hpp>
#include <async/error.hpp>

namespace async {

Clock::Clock() = default;

Clock::Clock(TimePoint fixed) : m_fixed(true), m_at(fixed) {}

Clock Clock::from_env(const Env& env) {
    auto text = env.get("ASYNC_NOW");
    if (!text) {
        return Clock{};
    }
    auto at = parse_iso8601(*text);
    if (!at) {
        throw Error{ErrorKind::usage, "invalid ASYNC_NOW '" + *text + "'",
                    "use ISO 8601, e.g. ASYNC_NOW=2026-11-26T10:15:00Z"};
    }
    return Clock{*at};
}

TimePoint Clock::now() const {
    if (m_fixed) {
        return m_at;
    }
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

} // namespace async
