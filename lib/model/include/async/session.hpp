#pragma once
// Who acts, where, with which settings and at what instant: the context a practice needs.
// cmd/ assembles one from what it opened (the environment snapshot, the workspace, the layered
// config, the clock's reading, my handle); the library only reads it. `now` is read once per
// session, so everything one command decides (created, due, overdue, the draft's name) agrees
// on the time.
#include <async/dates.hpp>

#include <string>

namespace async {

class Config;
class Env;
class Workspace;

struct Session {
    const Workspace& workspace;
    const Env& env;
    const Config& config;
    TimePoint now;
    std::string me; // the acting person's handle
};

} // namespace async
