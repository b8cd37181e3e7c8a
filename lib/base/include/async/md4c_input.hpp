#pragma once
// The text every md4c call parses. md4c 0.4.8 (the version Debian 12 ships) reads past the end
// of its input when the text ends inside a link, e.g. "[x](y": it relies on a NUL after the
// last byte. Given a view into a larger buffer it parses what follows, or faults. Md4cInput is
// a copy of the text that ends in a NUL (std::string guarantees one), so md4c never reads
// beyond it; offsets md4c reports stay offsets into the original text.
//
// md4c and md4c-html are not linked: they are loaded by soname the first time a text is parsed
// (md4c_parse, md4c_html), so `async --version`, completions and the commands that parse no
// Markdown start without them (bench/RESULTS.md, start-up).
#include <md4c-html.h>
#include <md4c.h>

#include <algorithm>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

namespace async {

class Md4cInput {
public:
    explicit Md4cInput(std::string text) : m_text(std::move(text)) {}

    const char* data() const { return m_text.c_str(); }
    // md4c's sizes are 32 bits: a longer text is read up to that size.
    unsigned size() const {
        return static_cast<unsigned>(std::min<std::size_t>(m_text.size(), std::numeric_limits<unsigned>::max()));
    }
    std::string_view view() const { return m_text; }

private:
    std::string m_text;
};

// md_parse of md4c on input, loaded on first use. Throws Error{environment} when the library
// cannot be loaded (a broken installation), before anything is parsed.
int md4c_parse(const Md4cInput& input, const MD_PARSER& parser, void* userdata);

// md_html of md4c-html on input, loaded on first use; throws as md4c_parse does.
int md4c_html(const Md4cInput& input, void (*process_output)(const MD_CHAR*, MD_SIZE, void*), void* userdata,
              unsigned parser_flags, unsigned renderer_flags);

} // namespace async
