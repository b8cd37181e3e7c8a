#include "local_state.hpp"

#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace async {

std::optional<std::string> read_small_file(const fs::path& path) {
    std::ifstream in{path, std::ios::binary};
    if (!in) {
        return std::nullopt;
    }
    std::string text;
    char buf[4096];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        text.append(buf, static_cast<std::size_t>(in.gcount()));
        if (text.size() > 65536) {
            return std::nullopt;
        }
    }
    return text;
}

void write_small_file(const fs::path& path, const std::string& text) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    fs::path tmp = path.string() + ".tmp-" + std::to_string(::getpid());
    {
        std::ofstream out{tmp, std::ios::binary | std::ios::trunc};
        out << text;
        if (!out.flush()) {
            fs::remove(tmp, ec);
            return;
        }
    }
    fs::rename(tmp, path, ec);
    if (ec) {
        fs::remove(tmp, ec);
    }
}

} // namespace async
