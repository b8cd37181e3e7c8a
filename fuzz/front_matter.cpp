// libFuzzer harness: a whole file through Document::parse (TOML front matter with the nesting
// bound and toml++ behind async/toml.hpp), then an edit and a render that must parse again; and
// as the index reads a file under docs/ (plain Markdown is a note, with a derived id and title).
#include <async/document.hpp>
#include <async/error.hpp>
#include <async/markdown.hpp>
#include <async/note.hpp>
#include <async/schema.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text{reinterpret_cast<const char*>(data), size};
    try {
        async::Document any = async::parse_workspace_document(text, "docs/x.md");
        async::DocumentNames names = async::names_of(any, "docs/x.md", async::extract_markdown(any.body()).headings);
        if (any.front_matter_kind() == async::Document::FrontMatter::none) {
            if (!async::is_id(names.id) || names.type != "note" || names.title.empty()) {
                std::abort();
            }
            // A note is written back as it was read (the body, line ends kept).
            if (async::Document::parse_any(any.render(), "docs/x.md").body() != any.body()) {
                std::abort();
            }
        }
    } catch (const async::Error&) {
        // refused input: fine
    }
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
