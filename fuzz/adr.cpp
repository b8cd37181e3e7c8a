// libFuzzer harness: the adr-tools parser of async import on untrusted text. What it returns must
// be safe to put into front matter: one line, no control characters, valid UTF-8, at most 500
// bytes, a date of the YYYY-MM-DD shape; and the document import builds from it must parse back
// with the body unchanged.
#include <async/document.hpp>
#include <async/error.hpp>
#include <async/import.hpp>
#include <async/text.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

void require_clean(const std::string& field) {
    if (field.size() > 500 || async::find_invalid_utf8(field)) {
        __builtin_trap();
    }
    for (unsigned char c : field) {
        if (c < 0x20 || c == 0x7F) {
            __builtin_trap();
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text{reinterpret_cast<const char*>(data), size};
    auto adr = async::parse_adr("0001-fuzz.md", text);
    (void)async::status_of_adr(text);
    (void)async::import_hash(text);
    if (!adr) {
        return 0;
    }
    require_clean(adr->title);
    require_clean(adr->status);
    if (adr->date && adr->date->size() != 10) {
        __builtin_trap();
    }
    (void)async::status_of_adr(adr->status);
    if (async::find_invalid_utf8(text) || text.starts_with("+++") || text.starts_with("\xEF\xBB\xBF")) {
        return 0; // import skips these before building a document
    }
    auto doc = async::Document::from_parts("", std::string{text});
    try {
        doc.set_string("title", adr->title);
        doc.set_string("adr_status", adr->status);
        auto back = async::Document::parse(doc.render(), "fuzz");
        if (back.get_string("title") != adr->title || back.get_string("adr_status") != adr->status) {
            __builtin_trap();
        }
    } catch (const async::Error&) {
        // A body that is not a document body (a second front matter fence at the start) is
        // refused by import's read-back check, as here.
    }
    return 0;
}
