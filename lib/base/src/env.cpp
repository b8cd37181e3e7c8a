#include <async/env.hpp>

#include <async/error.hpp>

extern char** environ;

namespace async {

Env Env::from_process() {
    std::map<std::string, std::string> vars;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        std::string_view kv{*entry};
        auto eq = kv.find('=');
        if (eq == std::string_view::npos) {
            continue;
        }
        vars.emplace(std::string{kv.substr(0, eq)}, std::string{kv.substr(eq + 1)});
    }
    return Env{std::move(vars)};
}

std::optional<std::string> Env::get(const std::string& name) const {
    auto it = m_vars.find(name);
    if (it == m_vars.end() || it->second.empty()) {
        return std::nullopt;
    }
    return it->second;
}

std::optional<std::string> Env::home() const {
    auto home = get("HOME");
    if (!home || home->front() != '/') {
        return std::nullopt;
    }
    return home;
}

std::string Env::require_home(std::string_view what) const {
    if (auto home = this->home()) {
        return *home;
    }
    throw Error{ErrorKind::environment, "HOME is not set, so " + std::string{what} + " cannot be found",
                "set HOME to your home folder, or name the workspace with -C DIR or ASYNC_DIR"};
}

} // namespace async
