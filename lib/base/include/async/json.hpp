#pragma once
// A small streaming JSON writer for --json output (RFC 8259). Every document async prints
// starts with {"schema": k_json_schema, …} so scripts can rely on field names.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace async {

// Bumped whenever a --json field is renamed or removed (additions keep the version).
inline constexpr int k_json_schema = 1;

class JsonWriter {
public:
    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    // The key of the next value inside an object.
    JsonWriter& key(std::string_view name);
    JsonWriter& value(std::string_view text);
    JsonWriter& value(const char* text) { return value(std::string_view{text}); }
    JsonWriter& value(const std::string& text) { return value(std::string_view{text}); }
    JsonWriter& value(std::int64_t number);
    JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
    JsonWriter& value(bool flag);
    JsonWriter& null();
    JsonWriter& value(const std::vector<std::string>& list);

    // The text written so far (complete once every begin has its end), with a final newline.
    std::string str() const { return m_out + "\n"; }

private:
    void separate();
    std::string m_out;
    std::vector<bool> m_first; // per open container: nothing written in it yet
    bool m_after_key = false;
};

// text as a JSON string literal, quotes included; invalid UTF-8 bytes become U+FFFD.
std::string json_quote(std::string_view text);

} // namespace async
