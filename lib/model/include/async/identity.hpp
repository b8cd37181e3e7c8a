#pragma once
// Who "me" is: ASYNC_USER, else config user.handle, else the local part of
// `git config user.email`, else $USER; and, for `async whoami`, my name and email and where
// each of the three came from.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace async {

class Config;
class Env;

// Asked for git's user.email only when the config does not say who "me" is; nullopt when git
// has none. The caller supplies it (the git module sits above this one).
using GitEmail = std::function<std::optional<std::string>()>;

// Asked for git's user.name (whoami only); nullopt when git has none.
using GitName = std::function<std::optional<std::string>()>;

enum class IdentitySource { unset, env, user_config, workspace_config, git };

// "unset", "env", "user-config", "workspace-config", "git-config".
std::string_view to_string(IdentitySource source);

struct IdentityField {
    std::string value;                             // empty when unset
    IdentitySource source = IdentitySource::unset;
    std::string key;  // what gave it: "ASYNC_USER", "USER", "user.handle", "people.alice.name",
                      // "user.email" (git's), "user.name" (git's); empty when unset
};

struct Identity {
    IdentityField handle;
    IdentityField name;
    IdentityField email;
};

// Who I am and where each part came from. handle: as current_handle finds it. name: config
// people.<handle>.name (the team's table, or my own config), else git's user.name. email:
// config people.<handle>.email, else git's user.email. git_email and git_name are asked only
// when the config does not answer. Throws what current_handle throws when there is no handle.
Identity resolve_identity(const Env& env, const Config& config, const GitEmail& git_email, const GitName& git_name);

// The current user's handle, normalised (see normalize_handle): config user.handle (which
// ASYNC_USER sets), else the local part of git_email(), else $USER. git_email is not called
// when the config answers. Throws Error{environment} when no source gives one.
std::string current_handle(const Env& env, const Config& config, const GitEmail& git_email);

// The handle of the person whose address email is (a git author's): the team's person whose
// people.<handle>.email it is (case ignored), else its local part as current_handle takes it
// from git's user.email; nullopt when neither gives a valid handle.
std::optional<std::string> handle_for_email(const Config& config, std::string_view email);

// The one normalisation of a handle: surrounding blanks and a leading '@' dropped, ASCII
// lower-cased (so "@Bob" and "bob" are one person). Nothing else is changed, so two different
// handles never become one: a handle that holds anything outside [A-Za-z0-9._-] ('a/b', 'a:b',
// 'a b', 'zoë'), starts with '.' or '-', has no letter or digit or is longer than 64
// characters throws Error{usage} naming it.
std::string normalize_handle(std::string_view handle);

// handle as normalize_handle compares it (blanks and a leading '@' dropped, lower-cased),
// whether or not it is valid: for comparing what files say, never throws.
std::string handle_or_lower(std::string_view handle);

// The handles (handle_or_lower) that have no [people.HANDLE] table in config, in order, each
// once; none when the config lists nobody (a team not written down yet misses no one). What a
// command warns about when --reviewers or --with names someone outside the team.
std::vector<std::string> unknown_people(const Config& config, const std::vector<std::string>& handles);

} // namespace async
