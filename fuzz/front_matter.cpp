// libFuzzer harness: a whole file through Document::parse (TOML front matter with the nesting
// bound and toml++ behind async/toml.hpp), then an edit and a render that must parse again.
#include <async/document.hpp>
#include <async/error.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text{reinterpret_cast<const char*>(data), size};
    std::optional<async::Document> parsed;
    try {
        parsed = async::Document::parse(text, "docs/x/index.md");
    } catch (const async::Error&) {
        return 0;
    }
    async::Document& doc = *parsed;
    for (const auto& key : doc.keys()) {
        (void)doc.get_string(key);
        (void)doc.get_time(key);
        (void)doc.get_strings(key);
        (void)doc.literal(key);
    }
    try {
        doc.set_string("title", "fuzz \"title\"\n");
        doc.set_strings("tags", {"a", "b c"});
    } catch (const async::Error&) {
        return 0; // a key of another kind in the way is refused, not a crash
    }
    // What async writes, async must read back.
    try {
        (void)async::Document::parse(doc.render(), "rendered");
    } catch (const async::Error&) {
        std::abort();
    }
    return 0;
}
