#pragma once
// Internal to async_core: the templates compiled into the binary. The definition is generated
// from templates/*.md by templates/CMakeLists.txt (target async_builtin_templates).
#include <span>
#include <string_view>

namespace async::detail {

struct BuiltinTemplate {
    std::string_view name; // the file name without ".md": "doc", "meeting", …
    std::string_view text; // the file's bytes, unchanged (description comment included)
};

// Every built-in template, sorted by name; the views point to static storage.
std::span<const BuiltinTemplate> builtin_templates();

} // namespace async::detail
