// libFuzzer harness: the strict JSON reader that reads the file watcher's answers. Any input
// either parses or throws Error; what parses keeps every string valid UTF-8.
#include <async/error.hpp>
#include <async/json_read.hpp>
#include <async/text.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

void check(const async::JsonValue& v) {
    if (async::find_invalid_utf8(v.string)) {
        __builtin_trap();
    }
    for (const auto& item : v.items) {
        check(item);
    }
    for (const auto& [key, member] : v.members) {
        if (async::find_invalid_utf8(key)) {
            __builtin_trap();
        }
        check(member);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text{reinterpret_cast<const char*>(data), size};
    try {
        async::JsonLimits limits;
        limits.max_depth = 32;
        check(async::parse_json(text, limits));
    } catch (const async::Error&) {
    }
    return 0;
}
