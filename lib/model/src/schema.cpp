#include <async/schema.hpp>

#include <algorithm>

namespace async {
namespace {

struct TypeInfo {
    std::string_view name;
    bool titled; // needs a non-empty title
    bool child;  // belongs to the document of its bundle
};

constexpr TypeInfo k_types[] = {
    {"doc", true, false},      {"decision", true, false}, {"sop", true, false},
    {"onboarding", true, false}, {"post", true, false},   {"watercooler", true, false},
    {"meeting", true, false},  {"response", false, true}, {"reply", false, true},
    {"summary", false, true},  {"checkin", false, false}, {"item", false, false},
    {"note", false, false},    {"event", true, false},
};

const TypeInfo* find_type(std::string_view type) {
    auto it = std::find_if(std::begin(k_types), std::end(k_types),
                           [&](const TypeInfo& t) { return t.name == type; });
    return it == std::end(k_types) ? nullptr : &*it;
}

bool is_id_char(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
}

} // namespace

const std::vector<std::string>& known_types() {
    static const std::vector<std::string> k_names = [] {
        std::vector<std::string> names;
        for (const auto& t : k_types) {
            names.emplace_back(t.name);
        }
        return names;
    }();
    return k_names;
}

bool is_child_type(std::string_view type) {
    const TypeInfo* t = find_type(type);
    return t != nullptr && t->child;
}

std::string display_title(std::string_view type, std::string_view title, std::string_view author,
                          std::string_view parent_title, std::string_view parent_path) {
    if (!title.empty() || !is_child_type(type)) {
        return std::string{title};
    }
    std::string parent{parent_title.empty() ? parent_path : parent_title};
    if (type == "summary") {
        return parent.empty() ? "Summary" : "Summary: " + parent;
    }
    std::string whose = author.empty() ? std::string{type} : std::string{author} + "'s " + std::string{type};
    return parent.empty() ? whose : "Re: " + parent + " — " + whose;
}

bool is_titled_type(std::string_view type) {
    const TypeInfo* t = find_type(type);
    return t != nullptr && t->titled;
}

bool is_status(std::string_view status) {
    return std::find(std::begin(k_statuses), std::end(k_statuses), status) != std::end(k_statuses);
}

bool is_id(std::string_view text) {
    return text.size() == k_id_length && std::all_of(text.begin(), text.end(), is_id_char);
}

bool looks_like_id(std::string_view text) {
    return text.size() >= k_min_id_prefix && text.size() <= k_id_length &&
           std::all_of(text.begin(), text.end(), is_id_char);
}

} // namespace async
