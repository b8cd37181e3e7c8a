// libFuzzer harness: YAML front matter through Document::parse (libfyaml's events behind
// parse_yaml, which bounds nesting and aliases), then every getter, and the refusal of every
// setter: a YAML document is never rewritten.
#include <async/document.hpp>
#include <async/error.hpp>
#include <async/yaml.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input{reinterpret_cast<const char*>(data), size};
    try {
        (void)async::yaml_flow_text(async::parse_yaml(input, "fuzz.yaml", 0));
    } catch (const async::Error&) {
    }
    std::string text = "---\n" + std::string{input} + "\n---\nbody\n";
    std::optional<async::Document> parsed;
    try {
        parsed = async::Document::parse(text, "docs/x.md");
    } catch (const async::Error&) {
        return 0;
    }
    async::Document& doc = *parsed;
    if (doc.front_matter_kind() != async::Document::FrontMatter::yaml) {
        std::abort();
    }
    for (const auto& key : doc.keys()) {
        (void)doc.get_string(key);
        (void)doc.get_time(key);
        (void)doc.get_strings(key);
        (void)doc.literal(key);
    }
    for (const auto& info : doc.key_infos()) {
        if (info.line < 2 || info.line >= doc.body_line()) {
            std::abort(); // a key is reported where the front matter is
        }
    }
    try {
        doc.set_string("title", "x");
        std::abort();
    } catch (const async::Error&) {
    }
    // A file that mixed CRLF and LF lines renders CRLF throughout; any other renders as read.
    if (text.find('\r') == std::string::npos && doc.render() != text) {
        std::abort();
    }
    return 0;
}
