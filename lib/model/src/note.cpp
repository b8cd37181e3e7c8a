#include <async/document.hpp>
#include <async/layout.hpp>
#include <async/note.hpp>
#include <async/schema.hpp>
#include <async/text.hpp>

#include <algorithm>
#include <array>

namespace async {
namespace {

// First headings that name a section, not the document (RFC, KEP and design-doc templates).
constexpr std::array<std::string_view, 12> k_section_headings = {
    "summary", "abstract", "motivation", "introduction", "overview", "background",
    "context", "status", "contents", "table of contents", "toc", "description"};

bool is_section_heading(std::string_view text) {
    std::string lower = to_lower_ascii(trim(text));
    return std::find(k_section_headings.begin(), k_section_headings.end(), lower) != k_section_headings.end();
}

std::string_view file_name(std::string_view path) {
    auto slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

} // namespace

std::string note_id(std::string_view path) {
    static constexpr char k_alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    std::uint64_t h = fnv1a_64({"note:", path});
    std::string id(k_id_length, '0');
    for (std::size_t i = 0; i < k_id_length; ++i) {
        id[k_id_length - 1 - i] = k_alphabet[h % 36];
        h /= 36;
    }
    return id;
}

std::string note_title(std::string_view path, const std::vector<Heading>& headings) {
    for (const auto& h : headings) {
        if (h.level == 1) {
            std::string text{trim(h.text)};
            if (!text.empty() && !is_section_heading(text)) {
                return text;
            }
            break;
        }
    }
    std::string_view name = file_name(path);
    std::string lower = to_lower_ascii(name);
    if (lower == "index.md" || lower == "readme.md") {
        std::string_view folder = path.substr(0, path.size() - name.size());
        if (!folder.empty()) {
            folder.remove_suffix(1);
            name = file_name(folder);
        }
    }
    if (name.size() > 3 && to_lower_ascii(name.substr(name.size() - 3)) == ".md") {
        name.remove_suffix(3);
    }
    return std::string{name};
}

Document parse_workspace_document(std::string_view text, std::string_view path) {
    if (classify(path) == FileKind::document) {
        return Document::parse_any(text, path);
    }
    return Document::parse(text, path);
}

std::string document_id(const Document& doc, std::string_view path) {
    bool note = doc.front_matter_kind() != Document::FrontMatter::toml;
    return doc.get_string("id").value_or(note ? note_id(path) : std::string{});
}

DocumentNames names_of(const Document& doc, std::string_view path, const std::vector<Heading>& headings) {
    bool note = doc.front_matter_kind() != Document::FrontMatter::toml;
    DocumentNames names;
    names.id = document_id(doc, path);
    names.type = doc.get_string("type").value_or(
        std::string{note ? k_note_type : default_type(classify(path))});
    names.title = doc.get_string("title").value_or("");
    if (note && names.title.empty()) {
        names.title = note_title(path, headings);
    }
    return names;
}

} // namespace async
