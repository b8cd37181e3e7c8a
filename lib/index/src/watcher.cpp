#include <async/config.hpp>
#include <async/error.hpp>
#include <async/json.hpp>
#include <async/json_read.hpp>
#include <async/process.hpp>
#include <async/watcher.hpp>
#include <async/workspace.hpp>

#include "local_state.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <sstream>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace async {
namespace {

// Answers are bounded: a query after `git checkout` of a big tree names every file, but more
// than this is a hostile or broken server.
constexpr std::size_t k_max_answer = std::size_t{64} << 20;
// More names than this and the walk is cheaper than stat'ing each (and the answer is big).
constexpr std::size_t k_max_changes = 20000;
// How long Watchman may wait for its own view to catch up with the file system (its cookie).
constexpr int k_sync_timeout_ms = 2000;
constexpr int k_socket_timeout_s = 5;
// Registering waits for the server's first crawl of the tree, minutes for a big one on a busy
// machine; it is the explicit `index --watch` (or init), so it may wait.
constexpr int k_watch_timeout_s = 600;
constexpr const char* k_none = "none";

// A clock is an opaque token of Watchman's ("c:1700000000:123:1:42"): printable and short.
bool plausible_clock(const std::string& clock) {
    if (clock.empty() || clock.size() > 256) {
        return false;
    }
    for (char c : clock) {
        if (c < 0x21 || c > 0x7e) {
            return false;
        }
    }
    return true;
}

struct State {
    std::string watch;         // the watch root (watch-project's answer)
    std::string relative_path; // the workspace below it, or empty
    std::string clock;         // empty: walk once and store one
};

} // namespace

struct Watcher::Impl {
    fs::path root;
    fs::path sock_cache, state_file;
    Env env;
    bool enabled = true;
    int fd = -1;
    std::string sock;
    std::string why_not; // why open() failed
    std::optional<State> state;
    bool state_loaded = false;

    ~Impl() {
        if (fd >= 0) {
            ::close(fd);
        }
    }

    // The socket from `watchman --no-spawn get-sockname` (which answers without a server and
    // starts none), cached with a "none" answer too.
    std::optional<std::string> look_up_socket() {
        auto r = run_process({"watchman", "--no-spawn", "--no-pretty", "get-sockname"}, Capture::stdout_silent);
        std::string found;
        if (r && r->exit_status == 0) {
            try {
                JsonLimits limits;
                limits.max_bytes = 65536;
                JsonValue v = parse_json(r->out, limits);
                if (const std::string* s = v.find_string("sockname"); s != nullptr && !s->empty() && s->front() == '/' &&
                                                                      s->find('\n') == std::string::npos) {
                    found = *s;
                }
            } catch (const Error&) {
                // A strange answer counts as no server.
            }
        }
        write_small_file(sock_cache, found.empty() ? std::string{k_none} + "\n" : found + "\n");
        if (found.empty()) {
            return std::nullopt;
        }
        return found;
    }

    static int connect_to(const std::string& path) {
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        if (path.size() >= sizeof addr.sun_path) {
            return -1;
        }
        std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
        int s = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (s < 0) {
            return -1;
        }
        timeval tv{k_socket_timeout_s, 0};
        ::setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        if (::connect(s, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
            ::close(s);
            return -1;
        }
        return s;
    }

    // Connects to the server. Only a cache miss, or a cached socket that is dead (asked again
    // once), runs get-sockname.
    bool open(bool ask_again = false) {
        if (fd >= 0) {
            return true;
        }
        if (auto env_sock = env.get("WATCHMAN_SOCK")) {
            sock = *env_sock;
            fd = connect_to(sock);
            why_not = fd < 0 ? "no watchman server at WATCHMAN_SOCK '" + sock + "'" : "";
            return fd >= 0;
        }
        std::optional<std::string> cached = read_small_file(sock_cache);
        if (cached && !cached->empty() && cached->back() == '\n') {
            cached->pop_back();
        }
        std::optional<std::string> path;
        bool from_cache = false;
        if (cached && *cached == k_none && !ask_again) {
            why_not = "no watchman server was found (remembered in .async/local/watchman-sock; "
                      "'async index --watch' looks again)";
            return false;
        }
        if (cached && !cached->empty() && cached->front() == '/' && !ask_again) {
            path = *cached;
            from_cache = true;
        } else {
            path = look_up_socket();
        }
        if (path) {
            fd = connect_to(*path);
            if (fd < 0 && from_cache) {
                path = look_up_socket();
                fd = path ? connect_to(*path) : -1;
            }
        }
        if (fd < 0) {
            if (path) {
                write_small_file(sock_cache, std::string{k_none} + "\n");
            }
            why_not = path ? "no watchman server is running (its socket '" + *path + "' does not answer)"
                           : "watchman is not installed or has no socket";
            return false;
        }
        sock = *path;
        return true;
    }

    void set_timeout(int seconds) const {
        timeval tv{seconds, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }

    void close_connection() {
        if (fd >= 0) {
            ::close(fd);
            fd = -1;
        }
    }

    // One request and its answer (skipping unilateral messages). Throws Error{data}.
    JsonValue request(const std::string& pdu) {
        std::string line = pdu + "\n";
        for (std::size_t sent = 0; sent < line.size();) {
            ssize_t n = ::send(fd, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                close_connection();
                throw Error{ErrorKind::data, std::string{"cannot write to its socket: "} + std::strerror(errno)};
            }
            sent += static_cast<std::size_t>(n);
        }
        for (;;) {
            std::string answer = read_line();
            JsonValue v = parse_json(answer);
            if (v.type != JsonValue::Type::object) {
                throw Error{ErrorKind::data, "its answer is not a JSON object"};
            }
            if (const JsonValue* u = v.find("unilateral"); u != nullptr && u->type == JsonValue::Type::boolean && u->boolean) {
                continue;
            }
            if (const JsonValue* e = v.find("error")) {
                throw Error{ErrorKind::data, e->type == JsonValue::Type::string ? e->string : "an error"};
            }
            return v;
        }
    }

    std::string pending; // bytes read past the last line

    std::string read_line() {
        for (;;) {
            if (auto nl = pending.find('\n'); nl != std::string::npos) {
                std::string line = pending.substr(0, nl);
                pending.erase(0, nl + 1);
                return line;
            }
            if (pending.size() > k_max_answer) {
                close_connection();
                throw Error{ErrorKind::data, "its answer is longer than " + std::to_string(k_max_answer) + " bytes"};
            }
            char buf[65536];
            ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                int err = errno;
                close_connection();
                throw Error{ErrorKind::data, n == 0 ? "it closed the connection" : std::string{"cannot read its answer: "} + std::strerror(err)};
            }
            pending.append(buf, static_cast<std::size_t>(n));
        }
    }

    const std::optional<State>& load_state() {
        if (state_loaded) {
            return state;
        }
        state_loaded = true;
        std::optional<std::string> text = read_small_file(state_file);
        if (!text) {
            return state;
        }
        try {
            JsonValue v = parse_json(*text);
            const std::string* watch = v.find_string("watch");
            const std::string* rel = v.find_string("relative_path");
            const std::string* clock = v.find_string("clock");
            if (watch != nullptr && !watch->empty() && watch->front() == '/' && names_root(*watch, rel)) {
                State s{*watch, rel != nullptr ? *rel : std::string{}, clock != nullptr ? *clock : std::string{}};
                if (!s.clock.empty() && !plausible_clock(s.clock)) {
                    s.clock.clear();
                }
                state = std::move(s);
            }
        } catch (const Error&) {
            // A damaged state file is no registration: the status says so.
        }
        return state;
    }

    // Whether the watch root and relative path name this workspace: a copy of the workspace
    // (its .async/local included) must not ask about the original's files.
    bool names_root(const std::string& watch, const std::string* rel) const {
        fs::path claimed = fs::path{watch};
        if (rel != nullptr && !rel->empty()) {
            claimed /= *rel;
        }
        auto same = [&](const fs::path& a) {
            return a.lexically_normal().generic_string() == claimed.lexically_normal().generic_string();
        };
        std::error_code ec;
        fs::path canonical = fs::weakly_canonical(root, ec);
        return same(root) || (!ec && same(canonical));
    }

    void save_state() {
        if (!state) {
            std::error_code ec;
            fs::remove(state_file, ec);
            return;
        }
        JsonWriter w;
        w.begin_object().key("watch").value(state->watch).key("relative_path").value(state->relative_path)
            .key("clock").value(state->clock).end_object();
        write_small_file(state_file, w.str());
    }
};

bool watcher_enabled(const Config& user, const Config& layered) {
    return user.get("index.watcher") != "false" && layered.get("index.watcher") != "false";
}

Watcher::Watcher(const Workspace& ws, Env env, bool enabled) : m_impl(std::make_unique<Impl>()) {
    m_impl->root = ws.root();
    m_impl->sock_cache = ws.local_dir() / "watchman-sock";
    m_impl->state_file = ws.local_dir() / "watchman.json";
    m_impl->env = std::move(env);
    m_impl->enabled = enabled;
}

Watcher::~Watcher() = default;

WatcherStatus Watcher::watch() {
    Impl& m = *m_impl;
    if (!m.enabled) {
        return {false, "turned off by index.watcher = false"};
    }
    if (!m.open(true)) {
        return {false, m.why_not};
    }
    try {
        JsonWriter w;
        w.begin_array().value("watch-project").value(m.root.string()).end_array();
        m.set_timeout(k_watch_timeout_s);
        JsonValue v = m.request(w.str().substr(0, w.str().size() - 1));
        // The first crawl is over once the server can sync to the tree.
        if (const std::string* root = v.find_string("watch")) {
            JsonWriter sync;
            sync.begin_array().value("clock").value(*root).begin_object()
                .key("sync_timeout").value(k_watch_timeout_s * 1000).end_object().end_array();
            m.request(sync.str().substr(0, sync.str().size() - 1));
        }
        m.set_timeout(k_socket_timeout_s);
        const std::string* watch = v.find_string("watch");
        if (watch == nullptr || watch->empty() || watch->front() != '/') {
            return {false, "watchman's answer to watch-project names no watch root"};
        }
        const std::string* rel = v.find_string("relative_path");
        m.state = State{*watch, rel != nullptr ? *rel : std::string{}, {}};
        m.state_loaded = true;
        m.save_state();
    } catch (const Error& e) {
        return {false, std::string{"watchman refused to watch the workspace: "} + e.what()};
    }
    return status();
}

WatcherStatus Watcher::status() {
    Impl& m = *m_impl;
    if (!m.enabled) {
        return {false, "turned off by index.watcher = false"};
    }
    if (!m.open()) {
        return {false, m.why_not};
    }
    if (!m.load_state()) {
        return {false, "the workspace is not registered with watchman (run 'async index --watch')"};
    }
    try {
        JsonWriter w;
        w.begin_array().value("clock").value(m.state->watch).end_array();
        JsonValue v = m.request(w.str().substr(0, w.str().size() - 1));
        if (const std::string* clock = v.find_string("clock"); clock == nullptr || !plausible_clock(*clock)) {
            return {false, "watchman's answer names no clock"};
        }
    } catch (const Error& e) {
        return {false, std::string{"watchman does not answer for this workspace: "} + e.what()};
    }
    return {true, "watchman at '" + m.sock + "'"};
}

WatcherChanges Watcher::changes() {
    Impl& m = *m_impl;
    WatcherChanges out;
    if (!m.enabled || !m.load_state() || !m.open()) {
        return out;
    }
    const State& s = *m.state;
    auto walk_instead = [&](const std::string& why) {
        out.kind = WatcherChanges::Kind::failed;
        out.warning = "watchman: " + why + "; walked the workspace instead";
        out.paths.clear();
        return out;
    };
    try {
        JsonWriter w;
        if (s.clock.empty()) {
            w.begin_array().value("clock").value(s.watch).begin_object().key("sync_timeout").value(k_sync_timeout_ms)
                .end_object().end_array();
        } else {
            w.begin_array().value("query").value(s.watch).begin_object().key("since").value(s.clock);
            if (!s.relative_path.empty()) {
                w.key("relative_root").value(s.relative_path);
            }
            w.key("fields").begin_array().value("name").value("exists").value("type").end_array()
                .key("empty_on_fresh_instance").value(true).key("sync_timeout").value(k_sync_timeout_ms)
                .end_object().end_array();
        }
        std::string pdu = w.str();
        pdu.pop_back();
        JsonValue v = m.request(pdu);
        const std::string* clock = v.find_string("clock");
        if (clock == nullptr || !plausible_clock(*clock)) {
            return walk_instead("its answer names no clock");
        }
        out.clock = *clock;
        if (s.clock.empty()) {
            out.kind = WatcherChanges::Kind::fresh;
            return out;
        }
        const JsonValue* fresh = v.find("is_fresh_instance");
        const JsonValue* files = v.find("files");
        if (fresh == nullptr || fresh->type != JsonValue::Type::boolean || files == nullptr ||
            files->type != JsonValue::Type::array) {
            return walk_instead("its answer lacks is_fresh_instance or files");
        }
        if (fresh->boolean || files->items.size() > k_max_changes) {
            out.kind = WatcherChanges::Kind::fresh;
            return out;
        }
        out.paths.reserve(files->items.size());
        for (const JsonValue& f : files->items) {
            const std::string* name = f.type == JsonValue::Type::object ? f.find_string("name") : nullptr;
            if (name == nullptr || name->empty() || name->find('\0') != std::string::npos) {
                return walk_instead("its answer names a file without a name");
            }
            // A folder that exists is named because an entry in it changed, and Watchman names
            // every such entry itself (a folder moved in is crawled): listing the folder would
            // walk all of docs/ for one new file. A folder that is gone still counts, for what
            // the index has below it.
            const JsonValue* exists = f.find("exists");
            const std::string* type = f.find_string("type");
            if (exists == nullptr || exists->type != JsonValue::Type::boolean) {
                return walk_instead("its answer lacks whether a file exists");
            }
            if (exists->boolean && type != nullptr && *type == "d") {
                continue;
            }
            out.paths.push_back(*name);
        }
        out.kind = WatcherChanges::Kind::changed;
        return out;
    } catch (const Error& e) {
        std::string why = e.what();
        if (why.find("not watched") != std::string::npos || why.find("unable to resolve root") != std::string::npos) {
            // Forgotten by the server (its state was lost): said once, then walked quietly.
            m.state.reset();
            m.save_state();
            return walk_instead("it no longer watches this workspace (run 'async index --watch')");
        }
        return walk_instead(why);
    }
}

void Watcher::store_clock(const std::string& clock) {
    Impl& m = *m_impl;
    if (!m.load_state() || !plausible_clock(clock) || m.state->clock == clock) {
        return;
    }
    m.state->clock = clock;
    m.save_state();
}

} // namespace async
