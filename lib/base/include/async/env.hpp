#pragma once
// A snapshot of the process environment, passed in instead of calling getenv() in the library,
// so tests can construct any environment they need.
#include <map>
#include <optional>
#include <string_view>
#include <string>

namespace async {

class Env {
public:
    Env() = default;
    explicit Env(std::map<std::string, std::string> vars) : m_vars(std::move(vars)) {}

    // The current process environment (environ).
    static Env from_process();

    // The value of name, or nullopt when unset. An empty value counts as unset.
    std::optional<std::string> get(const std::string& name) const;

    void set(const std::string& name, std::string value) { m_vars[name] = std::move(value); }

    // $HOME, or nullopt when it is unset, empty or not an absolute path.
    std::optional<std::string> home() const;

    // $HOME; throws Error{environment} naming what needed it (e.g. "the default workspace")
    // when home() is nullopt, never guessing "/" (which made a workspace in /.local/share).
    std::string require_home(std::string_view what) const;

private:
    std::map<std::string, std::string> m_vars;
};

} // namespace async
