// libFuzzer harness: a workspace config.toml loaded through the layers, then `config set` and
// `config unset` editing it line by line.
#include <async/config.hpp>
#include <async/env.hpp>
#include <async/error.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

// The harness's own folder in the temp folder, removed when the run ends (libFuzzer leaves
// through exit() when its time is up; a crash leaves it for scripts/fuzz.sh, whose TMPDIR is
// its own work folder).
struct ScratchFolder {
    fs::path path;
    ScratchFolder() {
        std::string tmpl = (fs::temp_directory_path() / "async-fuzz-config-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) {
            std::abort();
        }
        path = tmpl;
    }
    ~ScratchFolder() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    ScratchFolder(const ScratchFolder&) = delete;
    ScratchFolder& operator=(const ScratchFolder&) = delete;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const ScratchFolder scratch;
    const fs::path& dir = scratch.path;
    const fs::path file = dir / "config.toml";
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    async::Env env{{{"HOME", dir.string()}, {"XDG_CONFIG_HOME", (dir / "none").string()}}};
    try {
        auto config = async::Config::load(env, file);
        (void)config.entries();
        (void)config.people();
        (void)config.get_list("checkin.day");
    } catch (const async::Error&) {
        return 0;
    }
    try {
        async::config_file_set(file, "people.bob.email", "bob@example.com");
        async::config_file_set(file, "core.tags", "[\"a\", \"b\"]");
        (void)async::config_file_unset(file, "people.bob.email");
        // What config set wrote must load again.
        (void)async::Config::load(env, file);
    } catch (const async::Error&) {
    }
    return 0;
}
