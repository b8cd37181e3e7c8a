// libFuzzer harness: the search language (words, "phrases", OR, -exclusions, prefix*) as it is
// turned into an FTS5 expression.
#include <async/error.hpp>
#include <async/query.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view query{reinterpret_cast<const char*>(data), size};
    try {
        (void)async::to_fts_query(query);
    } catch (const async::Error&) {
    }
    return 0;
}
