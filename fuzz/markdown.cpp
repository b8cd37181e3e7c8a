// libFuzzer harness: a Markdown body through the md4c extraction of actions, decisions,
// mentions, headings and links, and the context of a mention.
#include <async/markdown.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view body{reinterpret_cast<const char*>(data), size};
    auto extracted = async::extract_markdown(body);
    if (!extracted.mentions.empty()) {
        (void)async::mention_context(body, extracted.mentions.front());
    }
    (void)async::mention_context(body, "alice");
    return 0;
}
