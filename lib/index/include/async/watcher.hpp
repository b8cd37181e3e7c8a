#pragma once
// The file watcher (Watchman, https://facebook.github.io/watchman/) as the index uses it: asked
// over its unix socket what changed since the clock of the last refresh, so that a refresh
// stats and re-reads only those files instead of walking the workspace. Every doubt (no
// server, a fresh instance, a malformed answer) means "walk", never "nothing changed".
#include <async/env.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace async {

class Config;
class Workspace;

// Whether refreshes may ask the watcher: index.watcher is not "false" in the user's own
// configuration nor in the layered one (the committed configuration can only turn it off).
bool watcher_enabled(const Config& user, const Config& layered);

// Whether a refresh would ask the watcher, and why not.
struct WatcherStatus {
    bool in_use = false;
    std::string detail; // in use: the socket; else why not ("disabled by index.watcher = false", ...)
};

// What the watcher says changed since the stored clock.
struct WatcherChanges {
    enum class Kind {
        unavailable, // no watcher (absent, off, not registered): walk, say nothing
        fresh,       // no usable clock (first query, restart, overflow): walk, then store clock
        changed,     // only paths changed (workspace-relative, '/'-separated): store clock after
        failed,      // a malformed or unexpected answer: walk with warning, keep the old clock
    };
    Kind kind = Kind::unavailable;
    std::string clock;
    std::vector<std::string> paths;
    std::string warning;
};

class Watcher {
public:
    // enabled is config index.watcher (false: never asked). env gives WATCHMAN_SOCK; without
    // it the socket is what `watchman --no-spawn get-sockname` says, asked once and cached in
    // .async/local/watchman-sock (a "none" answer included, until watch() asks again).
    Watcher(const Workspace& ws, Env env, bool enabled);
    ~Watcher();
    Watcher(const Watcher&) = delete;
    Watcher& operator=(const Watcher&) = delete;

    // Registers the workspace with the server (watch-project) and remembers its watch root in
    // .async/local/watchman.json (without a clock: the next refresh walks once and stores one).
    // Forgets a cached "none" answer first. Starts no server. Returns the status after.
    WatcherStatus watch();

    // Whether the next refresh would use the watcher (connects and asks for the clock; starts
    // and registers nothing).
    WatcherStatus status();

    // What changed since the stored clock (see WatcherChanges). Spawns at most the one
    // get-sockname lookup of a cache miss.
    WatcherChanges changes();

    // Stores clock as the one the next changes() asks from (after the changes it answered, or
    // the walk of a fresh instance, are in the index).
    void store_clock(const std::string& clock);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace async
