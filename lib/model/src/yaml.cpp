#include <async/error.hpp>
#include <async/text.hpp>
#include <async/yaml.hpp>

#include <map>
#include <memory>
#include <optional>
#include <unordered_set>

#include <libfyaml.h>

namespace async {
namespace {

Error invalid(std::string_view origin, std::size_t line, std::size_t column, std::string_view what) {
    return Error{ErrorKind::data, std::string{origin} + ":" + std::to_string(line) + ":" +
                                      std::to_string(column) + ": invalid YAML: " + std::string{what}};
}

struct ParserDeleter {
    void operator()(fy_parser* p) const { fy_parser_destroy(p); }
};

struct DiagDeleter {
    void operator()(fy_diag* d) const { fy_diag_destroy(d); }
};

// libfyaml prints its diagnostics; here they are only collected, for the message.
void discard_output(fy_diag*, void*, const char*, std::size_t) {}

// An event freed when it goes out of scope.
class Event {
public:
    Event(fy_parser* parser, fy_event* event) : m_parser(parser), m_event(event) {}
    Event(const Event&) = delete;
    Event& operator=(const Event&) = delete;
    ~Event() { fy_parser_event_free(m_parser, m_event); }
    fy_event* get() const { return m_event; }

private:
    fy_parser* m_parser;
    fy_event* m_event;
};

std::string token_text(fy_token* token) {
    if (token == nullptr) {
        return {};
    }
    // Chunk by chunk through a token iterator of our own: fy_token_get_text's formatting into
    // the token's cache leaks its growing buffer on some quoted scalars (libfyaml 0.7.12, found
    // by fuzz/yaml.cpp), and the iterator frees what it grew when destroyed.
    std::unique_ptr<fy_token_iter, decltype(&fy_token_iter_destroy)> iter{fy_token_iter_create(token),
                                                                          &fy_token_iter_destroy};
    if (!iter) {
        throw Error{ErrorKind::environment, "cannot read a YAML scalar (out of memory)"};
    }
    std::string text;
    const fy_iter_chunk* chunk = nullptr;
    int error = 0;
    while ((chunk = fy_token_iter_chunk_next(iter.get(), chunk, &error)) != nullptr) {
        text.append(chunk->str, chunk->len);
    }
    return text;
}

std::size_t count_nodes(const YamlNode& node) {
    std::size_t n = 1;
    for (const auto& k : node.keys) {
        n += count_nodes(k);
    }
    for (const auto& i : node.items) {
        n += count_nodes(i);
    }
    return n;
}

// Builds the tree from libfyaml's events with an explicit stack (the parser itself does not
// recurse), checking depth, duplicate keys and the size of what aliases copy as it goes.
class Builder {
public:
    Builder(std::string_view origin, std::size_t line_offset) : m_origin(origin), m_offset(line_offset) {}

    YamlNode run(std::string_view text) {
        fy_diag_cfg diag_cfg{};
        fy_diag_cfg_default(&diag_cfg);
        diag_cfg.fp = nullptr;
        diag_cfg.output_fn = discard_output;
        std::unique_ptr<fy_diag, DiagDeleter> diag{fy_diag_create(&diag_cfg)};
        if (!diag) {
            throw Error{ErrorKind::environment, "cannot create a YAML parser (out of memory)"};
        }
        fy_diag_set_collect_errors(diag.get(), true);
        m_diag = diag.get();
        fy_parse_cfg cfg{};
        cfg.diag = diag.get();
        // Duplicate keys are checked here: libfyaml's own check is quadratic in the keys of a
        // mapping (20,000 keys took 110 s), and aliases are copied here under a budget.
        cfg.flags = static_cast<fy_parse_cfg_flags>(FYPCF_QUIET | FYPCF_COLLECT_DIAG |
                                                    FYPCF_ALLOW_DUPLICATE_KEYS | FYPCF_DEFAULT_VERSION_1_2);
        std::unique_ptr<fy_parser, ParserDeleter> parser{fy_parser_create(&cfg)};
        if (!parser) {
            throw Error{ErrorKind::environment, "cannot create a YAML parser (out of memory)"};
        }
        m_parser = parser.get();
        // An empty text is no document at all; libfyaml wants a non-empty buffer.
        if (text.empty() || fy_parser_set_string(m_parser, text.data(), text.size()) != 0) {
            return empty_mapping();
        }
        std::size_t documents = 0;
        std::optional<YamlNode> root;
        while (true) {
            Event event{m_parser, fy_parser_parse(m_parser)};
            if (event.get() == nullptr) {
                if (fy_parser_get_stream_error(m_parser)) {
                    throw library_error();
                }
                break;
            }
            fy_event* e = event.get();
            switch (e->type) {
            case FYET_DOCUMENT_START:
                if (++documents > 1) {
                    auto at = mark_of(e);
                    throw invalid(m_origin, at.first, at.second, "more than one document");
                }
                break;
            case FYET_SCALAR: {
                YamlNode node = leaf(e);
                node.text = token_text(e->scalar.value);
                node.plain = fy_token_scalar_style(e->scalar.value) == FYSS_PLAIN;
                remember(token_text(e->scalar.anchor), node);
                finish(std::move(node), root);
                break;
            }
            case FYET_ALIAS: {
                auto at = mark_of(e);
                std::string name = token_text(e->alias.anchor);
                auto found = m_anchors.find(name);
                if (found == m_anchors.end()) {
                    throw invalid(m_origin, at.first, at.second, "unknown alias *" + name);
                }
                m_alias_nodes += found->second.second;
                if (m_alias_nodes > k_yaml_max_alias_nodes) {
                    throw invalid(m_origin, at.first, at.second,
                                  "aliases copy more than " + std::to_string(k_yaml_max_alias_nodes) + " nodes");
                }
                YamlNode copy = found->second.first;
                copy.line = at.first - m_offset;
                copy.column = at.second;
                finish(std::move(copy), root);
                break;
            }
            case FYET_SEQUENCE_START:
            case FYET_MAPPING_START: {
                if (m_stack.size() >= k_yaml_max_depth) {
                    auto at = mark_of(e);
                    throw invalid(m_origin, at.first, at.second,
                                  "nested deeper than " + std::to_string(k_yaml_max_depth) + " levels");
                }
                YamlNode node = leaf(e);
                bool mapping = e->type == FYET_MAPPING_START;
                node.kind = mapping ? YamlNode::Kind::mapping : YamlNode::Kind::sequence;
                m_stack.push_back({std::move(node), token_text(mapping ? e->mapping_start.anchor
                                                                       : e->sequence_start.anchor),
                                   {}});
                break;
            }
            case FYET_SEQUENCE_END:
            case FYET_MAPPING_END: {
                Open open = std::move(m_stack.back());
                m_stack.pop_back();
                remember(open.anchor, open.node);
                finish(std::move(open.node), root);
                break;
            }
            default:
                break;
            }
        }
        if (!root) {
            return empty_mapping();
        }
        if (root->kind != YamlNode::Kind::mapping) {
            throw invalid(m_origin, root->line + m_offset, root->column,
                          "the front matter must be a mapping of keys to values");
        }
        return std::move(*root);
    }

private:
    struct Open {
        YamlNode node;
        std::string anchor;
        std::unordered_set<std::string> seen; // a mapping's scalar keys so far
    };

    static YamlNode empty_mapping() {
        YamlNode node;
        node.kind = YamlNode::Kind::mapping;
        return node;
    }

    // The 1-based line in the file and column of an event.
    std::pair<std::size_t, std::size_t> mark_of(fy_event* e) const {
        const fy_mark* mark = fy_event_start_mark(e);
        if (mark == nullptr) {
            return {1 + m_offset, 1};
        }
        return {static_cast<std::size_t>(mark->line) + 1 + m_offset, static_cast<std::size_t>(mark->column) + 1};
    }

    YamlNode leaf(fy_event* e) const {
        YamlNode node;
        auto at = mark_of(e);
        node.line = at.first - m_offset;
        node.column = at.second;
        return node;
    }

    void remember(const std::string& anchor, const YamlNode& node) {
        if (!anchor.empty()) {
            m_anchors[anchor] = {node, count_nodes(node)};
        }
    }

    void finish(YamlNode node, std::optional<YamlNode>& root) {
        if (m_stack.empty()) {
            root = std::move(node);
            return;
        }
        Open& parent = m_stack.back();
        if (parent.node.kind == YamlNode::Kind::sequence) {
            parent.node.items.push_back(std::move(node));
        } else if (parent.node.keys.size() == parent.node.items.size()) {
            std::string key = node.kind == YamlNode::Kind::scalar ? node.text : yaml_flow_text(node);
            if (!parent.seen.insert(key).second) {
                throw invalid(m_origin, node.line + m_offset, node.column, "duplicate key '" + key + "'");
            }
            parent.node.keys.push_back(std::move(node));
        } else {
            parent.node.items.push_back(std::move(node));
        }
    }

    Error library_error() const {
        void* it = nullptr;
        if (fy_diag_error* err = fy_diag_errors_iterate(m_diag, &it)) {
            std::string what = err->msg != nullptr ? err->msg : "syntax error";
            // Collected errors count lines and columns from 1 (events' marks from 0).
            return invalid(m_origin, static_cast<std::size_t>(std::max(err->line, 1)) + m_offset,
                           static_cast<std::size_t>(std::max(err->column, 1)), what);
        }
        return invalid(m_origin, 1 + m_offset, 1, "syntax error");
    }

    std::string_view m_origin;
    std::size_t m_offset;
    fy_parser* m_parser = nullptr;
    fy_diag* m_diag = nullptr;
    std::vector<Open> m_stack;
    std::map<std::string, std::pair<YamlNode, std::size_t>> m_anchors; // name → node, its size
    std::size_t m_alias_nodes = 0;
};

bool needs_quotes(const std::string& text) {
    if (text.empty()) {
        return true;
    }
    for (char c : text) {
        if (c == ',' || c == '[' || c == ']' || c == '{' || c == '}' || c == ':' || c == '#' ||
            c == '"' || c == '\'' || c == '\n') {
            return true;
        }
    }
    return text.front() == ' ' || text.back() == ' ';
}

} // namespace

bool YamlNode::is_null() const {
    return kind == Kind::scalar && plain && (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL");
}

YamlNode parse_yaml(std::string_view text, std::string_view origin, std::size_t line_offset) {
    // libfyaml 0.7.12 can loop without end on invalid UTF-8 in a directive ("%a\xff…"): it is
    // refused before the library sees it, as Document::parse refuses it for a whole file.
    if (auto bad = find_invalid_utf8(text)) {
        LineCol at = line_col_at(text, *bad);
        throw Error{ErrorKind::data, std::string{origin} + ":" + std::to_string(at.line + line_offset) + ":" +
                                         std::to_string(at.column) + ": invalid YAML: " +
                                         (text[*bad] == '\0' ? "NUL byte" : "invalid UTF-8")};
    }
    // An explicit key ("? key" in a block, "{? key: v}" in a flow) can leave libfyaml 0.7.12's
    // parser in a state its own cleanup crashes on (found by fuzz/yaml.cpp); front matter never
    // needs one, so it is refused before the library sees it.
    {
        std::size_t line = 1;
        std::size_t line_start = 0;
        char before = '\n'; // the last non-blank character, '\n' at a line's start
        for (std::size_t i = 0; i < text.size(); ++i) {
            char c = text[i];
            if (c == '\n') {
                ++line;
                line_start = i + 1;
                before = '\n';
                continue;
            }
            if (c == ' ' || c == '\t') {
                continue;
            }
            bool indicator = c == '?' && (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\t' ||
                                          text[i + 1] == '\n' || text[i + 1] == '\r');
            if (indicator && (before == '\n' || before == '-' || before == '{' || before == '[' || before == ',')) {
                throw Error{ErrorKind::data, std::string{origin} + ":" + std::to_string(line + line_offset) + ":" +
                                                 std::to_string(i - line_start + 1) +
                                                 ": invalid YAML: explicit keys ('? ') are not read in front matter"};
            }
            before = c;
        }
    }
    // YAML ends a line at a lone CR too, async's positions only at LF (CRLF is made LF before):
    // such a line end would put every later key on another line than check reports.
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) {
            LineCol at = line_col_at(text, i);
            throw Error{ErrorKind::data, std::string{origin} + ":" + std::to_string(at.line + line_offset) + ":" +
                                             std::to_string(at.column) +
                                             ": invalid YAML: a carriage return without a line feed"};
        }
    }
    return Builder{origin, line_offset}.run(text);
}

std::string yaml_flow_text(const YamlNode& node) {
    switch (node.kind) {
    case YamlNode::Kind::scalar: {
        if (!needs_quotes(node.text) || node.plain) {
            return node.text;
        }
        std::string out = "\"";
        for (char c : node.text) {
            if (c == '"' || c == '\\') {
                out += '\\';
                out += c;
            } else if (c == '\n') {
                out += "\\n";
            } else {
                out += c;
            }
        }
        return out + "\"";
    }
    case YamlNode::Kind::sequence: {
        std::string out = "[";
        for (std::size_t i = 0; i < node.items.size(); ++i) {
            out += (i ? ", " : "") + yaml_flow_text(node.items[i]);
        }
        return out + "]";
    }
    case YamlNode::Kind::mapping: {
        std::string out = "{";
        for (std::size_t i = 0; i < node.keys.size() && i < node.items.size(); ++i) {
            out += (i ? ", " : "") + yaml_flow_text(node.keys[i]) + ": " + yaml_flow_text(node.items[i]);
        }
        return out + "}";
    }
    }
    return {};
}

} // namespace async
