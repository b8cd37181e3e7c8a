// libFuzzer harness: the search language (words, "phrases", OR, -exclusions, prefix*, field
// terms) as it is turned into an FTS5 expression and field terms.
#include <async/error.hpp>
#include <async/query.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view query{reinterpret_cast<const char*>(data), size};
    try {
        auto parsed = async::parse_search_query(query);
        // Something to find, a balanced FTS5 group when there are words, and no empty field.
        if (parsed.fts.empty() == parsed.fields.empty() && parsed.fts.empty()) {
            __builtin_trap();
        }
        if (!parsed.fts.empty() && parsed.fts.front() != '(') {
            __builtin_trap();
        }
        for (const auto& f : parsed.fields) {
            if (f.value.empty() || f.field.empty()) {
                __builtin_trap();
            }
        }
    } catch (const async::Error&) {
    }
    return 0;
}
