#include <async/config.hpp>
#include <async/env.hpp>
#include <async/error.hpp>
#include <async/identity.hpp>
#include <async/text.hpp>

#include <algorithm>

namespace async {

std::string normalize_handle(std::string_view handle) {
    handle = trim(handle);
    if (!handle.empty() && handle.front() == '@') {
        handle.remove_prefix(1);
    }
    std::string out;
    for (char c : to_lower_ascii(handle)) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        out += ok ? c : '-';
    }
    bool has_alnum = false;
    for (char c : out) {
        has_alnum = has_alnum || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
    if (!has_alnum || out.size() > 64 || out.front() == '.' || out.front() == '-') {
        throw Error{ErrorKind::usage,
                    "invalid handle '" + sanitize_for_terminal(handle, Newlines::flatten) + "'",
                    "handles are letters, digits, '.', '_' and '-', starting with a letter or digit"};
    }
    return out;
}

std::string handle_or_lower(std::string_view handle) {
    try {
        return normalize_handle(handle);
    } catch (const Error&) {
        return to_lower_ascii(trim(handle));
    }
}

std::string current_handle(const Env& env, const Config& config, const GitEmail& git_email) {
    if (auto handle = config.get("user.handle")) {
        return normalize_handle(*handle);
    }
    if (auto answer = git_email ? git_email() : std::nullopt) {
        std::string_view email = trim(*answer);
        auto at = email.find('@');
        if (at != std::string_view::npos && at > 0) {
            return normalize_handle(email.substr(0, at));
        }
    }
    if (auto user = env.get("USER")) {
        return normalize_handle(*user);
    }
    throw Error{ErrorKind::environment, "cannot tell who you are",
                "set ASYNC_USER or run 'async config set --global user.handle NAME'"};
}

std::vector<std::string> unknown_people(const Config& config, const std::vector<std::string>& handles) {
    std::vector<std::string> team;
    for (const auto& person : config.people()) {
        team.push_back(handle_or_lower(person.handle));
    }
    std::vector<std::string> out;
    if (team.empty()) {
        return out;
    }
    for (const auto& h : handles) {
        std::string handle = handle_or_lower(h);
        if (!handle.empty() && std::find(team.begin(), team.end(), handle) == team.end() &&
            std::find(out.begin(), out.end(), handle) == out.end()) {
            out.push_back(std::move(handle));
        }
    }
    return out;
}

} // namespace async
