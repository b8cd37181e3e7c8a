#pragma once
// The text every md4c call parses. md4c 0.4.8 (the version Debian 12 ships) reads past the end
// of its input when the text ends inside a link, e.g. "[x](y": it relies on a NUL after the
// last byte. Given a view into a larger buffer it parses what follows, or faults. Md4cInput is
// a copy of the text that ends in a NUL (std::string guarantees one), so md4c never reads
// beyond it; offsets md4c reports stay offsets into the original text.
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

} // namespace async
