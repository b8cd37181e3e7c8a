#pragma once
// The injectable "now": ASYNC_NOW (ISO 8601) overrides the system clock for tests, demos and
// reproducible cron runs.
#include <chrono>

namespace async {

class Env;

using TimePoint = std::chrono::sys_seconds;

class Clock {
public:
    // The real clock.
    Clock();
    // A fixed instant.
    explicit Clock(TimePoint fixed);

    // ASYNC_NOW from env when set (throws Error{usage} when it does not parse), else the real clock.
    static Clock from_env(const Env& env);

    TimePoint now() const;

private:
    bool m_fixed = false;
    TimePoint m_at{};
};

} // namespace async
