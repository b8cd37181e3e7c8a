#pragma once
// A strict, bounded JSON reader (RFC 8259) for answers from other programs (the file watcher):
// the whole text is one value, nesting and size are limited, strings must be valid UTF-8
// without NUL (not even as \u0000), and an object may not name a key twice. Anything else is
// Error{data}, never a guess.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace async {

struct JsonMember;

struct JsonValue {
    enum class Type { null, boolean, number, string, array, object };
    Type type = Type::null;
    bool boolean = false;
    double number = 0;
    std::string string;                                    // a string's text, unescaped
    std::vector<JsonValue> items;                          // an array's values
    std::vector<JsonMember> members; // an object's members, in order

    // The member key of an object, or nullptr (also when this is not an object).
    const JsonValue* find(std::string_view key) const;
    // The string member key, or nullptr when it is missing or not a string.
    const std::string* find_string(std::string_view key) const;
};

// A member of an object (its own struct: a std::pair of a type still incomplete inside
// JsonValue does not compile with clang's libstdc++ checks).
struct JsonMember {
    std::string key;
    JsonValue value;
};

struct JsonLimits {
    std::size_t max_bytes = std::size_t{64} << 20; // longer text is refused before it is read
    std::size_t max_depth = 64;                    // arrays and objects inside each other
    std::size_t max_values = 4'000'000;            // values in the whole text
};

// The one JSON value text holds (surrounding whitespace allowed). Throws Error{data} naming the
// byte offset for malformed JSON, invalid UTF-8 (raw or in a \u escape: lone surrogates),
// duplicate keys, and text beyond limits.
JsonValue parse_json(std::string_view text, const JsonLimits& limits = {});

} // namespace async
