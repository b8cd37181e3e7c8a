#pragma once
// Readable doctest failure messages for vectors of strings, shared by every test that
// compares them (one definition for the whole test binary).
#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace doctest {
template <> struct StringMaker<std::vector<std::string>> {
    static String convert(const std::vector<std::string>& values) {
        std::string out = "{";
        for (const auto& value : values)
            out += (out.size() > 1 ? ", \"" : "\"") + value + "\"";
        out += "}";
        return String(out.c_str());
    }
};
} // namespace doctest
