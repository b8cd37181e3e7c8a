// libFuzzer harness: a Markdown body through the md4c extraction of actions, decisions,
// mentions, headings and links (wiki links too), and the context of a mention. The body is a
// view into a larger buffer whose next bytes would close an open link or wiki link and mention
// and link someone: nothing past the view may be read. Each wiki link has its position.
#include <async/markdown.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static constexpr std::string_view k_after = ")](x)]] @pasttheend [[pasttheend]]\n";
    std::string buffer(reinterpret_cast<const char*>(data), size);
    buffer.append(k_after);
    std::string_view body = std::string_view(buffer).substr(0, size);
    auto extracted = async::extract_markdown(body);
    bool read_past = body.find("pasttheend") == std::string_view::npos &&
                     std::find(extracted.mentions.begin(), extracted.mentions.end(), "pasttheend") !=
                         extracted.mentions.end();
    bool wiki_past = body.find("pasttheend") == std::string_view::npos &&
                     std::any_of(extracted.wiki_links.begin(), extracted.wiki_links.end(),
                                 [](const std::string& t) { return t.find("pasttheend") != std::string::npos; });
    if (read_past || wiki_past || extracted.wiki_links.size() != extracted.wiki_link_positions.size()) {
        std::abort();
    }
    if (!extracted.mentions.empty()) {
        (void)async::mention_context(body, extracted.mentions.front());
    }
    (void)async::mention_context(body, "alice");
    return 0;
}
