#include <async/config.hpp>
#include <async/env.hpp>
#include <async/error.hpp>
#include <async/identity.hpp>
#include <async/text.hpp>

#include <algorithm>

namespace async {

std::string normalize_handle(std::string_view handle) {
    std::string out = handle_or_lower(handle);
    // Replacing what a handle may not hold (as '-') would make 'a/b', 'a:b' and 'a b' one
    // person, and a file written by one of them another's: a handle is refused instead.
    bool valid = !out.empty() && out.size() <= 64 && out.front() != '.' && out.front() != '-';
    bool has_alnum = false;
    for (char c : out) {
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        has_alnum = has_alnum || alnum;
        valid = valid && (alnum || c == '.' || c == '_' || c == '-');
    }
    if (!valid || !has_alnum) {
        throw Error{ErrorKind::usage,
                    "invalid handle '" + sanitize_for_terminal(trim(handle), Newlines::flatten) + "'",
                    "handles are letters, digits, '.', '_' and '-', starting with a letter or digit"};
    }
    return out;
}

std::string handle_or_lower(std::string_view handle) {
    handle = trim(handle);
    if (!handle.empty() && handle.front() == '@') {
        handle.remove_prefix(1);
    }
    return to_lower_ascii(handle);
}

namespace {

std::optional<std::string_view> email_local_part(std::string_view email) {
    email = trim(email);
    auto at = email.find('@');
    if (at == std::string_view::npos || at == 0) {
        return std::nullopt;
    }
    return email.substr(0, at);
}

// The scope of the config's entry for key, for saying where a value came from.
IdentitySource source_of(const Config& config, std::string_view key) {
    for (const auto& e : config.entries()) {
        if (e.key == key) {
            switch (e.scope) {
            case ConfigScope::env: return IdentitySource::env;
            case ConfigScope::user: return IdentitySource::user_config;
            case ConfigScope::workspace: return IdentitySource::workspace_config;
            case ConfigScope::builtin: break;
            }
        }
    }
    return IdentitySource::unset;
}

IdentityField handle_field(const Env& env, const Config& config, const GitEmail& git_email) {
    if (auto handle = config.get("user.handle")) {
        IdentitySource source = source_of(config, "user.handle");
        return {normalize_handle(*handle), source, source == IdentitySource::env ? "ASYNC_USER" : "user.handle"};
    }
    if (auto answer = git_email ? git_email() : std::nullopt) {
        if (auto local = email_local_part(*answer)) {
            return {normalize_handle(*local), IdentitySource::git, "user.email"};
        }
    }
    if (auto user = env.get("USER")) {
        return {normalize_handle(*user), IdentitySource::env, "USER"};
    }
    throw Error{ErrorKind::environment, "cannot tell who you are",
                "set ASYNC_USER or run 'async config set --global user.handle NAME'"};
}

// people.<handle>.<field> of the config, else what git says.
IdentityField person_field(const Config& config, const std::string& handle, std::string_view field,
                           const std::function<std::optional<std::string>()>& git, std::string_view git_key) {
    std::string key = "people." + handle + "." + std::string{field};
    if (auto value = config.get(key); value && !trim(*value).empty()) {
        return {std::string{trim(*value)}, source_of(config, key), key};
    }
    if (auto answer = git ? git() : std::nullopt; answer && !trim(*answer).empty()) {
        return {std::string{trim(*answer)}, IdentitySource::git, std::string{git_key}};
    }
    return {};
}

} // namespace

std::string_view to_string(IdentitySource source) {
    switch (source) {
    case IdentitySource::env: return "env";
    case IdentitySource::user_config: return "user-config";
    case IdentitySource::workspace_config: return "workspace-config";
    case IdentitySource::git: return "git-config";
    case IdentitySource::unset: break;
    }
    return "unset";
}

std::optional<std::string> handle_for_email(const Config& config, std::string_view email) {
    std::string wanted = to_lower_ascii(trim(email));
    for (const auto& person : config.people()) {
        if (!person.email.empty() && to_lower_ascii(trim(person.email)) == wanted) {
            return handle_or_lower(person.handle);
        }
    }
    auto local = email_local_part(email);
    if (!local) {
        return std::nullopt;
    }
    try {
        return normalize_handle(*local);
    } catch (const Error&) {
        return std::nullopt;
    }
}

std::string current_handle(const Env& env, const Config& config, const GitEmail& git_email) {
    return handle_field(env, config, git_email).value;
}

Identity resolve_identity(const Env& env, const Config& config, const GitEmail& git_email, const GitName& git_name) {
    Identity me;
    me.handle = handle_field(env, config, git_email);
    me.name = person_field(config, me.handle.value, "name", git_name, "user.name");
    me.email = person_field(config, me.handle.value, "email", git_email, "user.email");
    return me;
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
