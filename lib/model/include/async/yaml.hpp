#pragma once
// YAML front matter (Jekyll, Hugo, MkDocs, Obsidian, zk) read into a small tree. The one module
// that includes libfyaml (tests/lint/owners.py): its event parser runs here, and this module
// builds the tree itself, so nesting, aliases and duplicate keys are bounded and checked before
// anything grows with the input (bench/RESULTS.md, HACKING.md: why libfyaml).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace async {

// How deep YAML may nest (each sequence or mapping counts one level), as for TOML.
inline constexpr std::size_t k_yaml_max_depth = 64;

// How many nodes all aliases of one text may copy in total (a "billion laughs" stops here).
inline constexpr std::size_t k_yaml_max_alias_nodes = 10000;

struct YamlNode {
    enum class Kind { scalar, sequence, mapping };
    Kind kind = Kind::scalar;
    std::string text;             // a scalar's value (escapes resolved, lines folded)
    bool plain = false;           // a scalar written without quotes or | >: null and dates apply
    std::vector<YamlNode> keys;   // a mapping's keys, in text order
    std::vector<YamlNode> items;  // a sequence's items, or a mapping's values (items[i] for keys[i])
    std::size_t line = 1;         // 1-based, within the parsed text
    std::size_t column = 1;       // 1-based, in bytes

    // A plain empty, ~ or null scalar.
    bool is_null() const;
};

// Parses text as one YAML document whose top level is a mapping (an empty text is an empty
// mapping). origin names the text in messages and line_offset is added to its line numbers
// (the lines of the file before the text). Throws Error{data} "origin:line:col: invalid YAML:
// ..." for invalid UTF-8, a NUL byte, a lone carriage return or an explicit key ("? k"), malformed YAML, a top level that is not a mapping, more than one document, a
// duplicate key, nesting deeper than k_yaml_max_depth, and aliases that would copy more than
// k_yaml_max_alias_nodes nodes.
YamlNode parse_yaml(std::string_view text, std::string_view origin, std::size_t line_offset);

// A node as YAML flow text on one line ({a: b, c: [d, e]}): how a nested value reads in
// get_string.
std::string yaml_flow_text(const YamlNode& node);

} // namespace async
