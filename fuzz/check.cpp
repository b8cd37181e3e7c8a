// libFuzzer harness: async check of one file's text (front matter, schema, actions, due: dates,
// mentions against a team, #id links).
#include <async/check.hpp>
#include <async/error.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text{reinterpret_cast<const char*>(data), size};
    static const std::vector<std::string> team{"alice", "bob"};
    try {
        (void)async::check_document_text("docs/2026-11-26-x/index.md", text, team);
        (void)async::check_document_text("meetings/2026-11-26-m/responses/bob.md", text, {});
    } catch (const async::Error&) {
    }
    return 0;
}
