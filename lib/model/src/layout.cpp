#include <async/layout.hpp>
#include <async/text.hpp>

#include <algorithm>
#include <iterator>

namespace async {
namespace {

struct MediaType {
    std::string_view ext;
    std::string_view mime;
};

// Audio first, then video; the MIME types podcast apps and browsers expect.
constexpr MediaType k_media[] = {
    {".ogg", "audio/ogg"},   {".oga", "audio/ogg"},   {".opus", "audio/ogg"},        {".mp3", "audio/mpeg"},
    {".m4a", "audio/mp4"},   {".wav", "audio/wav"},   {".flac", "audio/flac"},       {".webm", "video/webm"},
    {".mp4", "video/mp4"},   {".mkv", "video/x-matroska"}, {".mov", "video/quicktime"}, {".m4v", "video/mp4"},
};

const MediaType* media_type_of(std::string_view name) {
    for (const auto& m : k_media) {
        if (name.size() > m.ext.size() && name.ends_with(m.ext)) {
            return &m;
        }
    }
    return nullptr;
}

// rel without its extension (the last '.' of the file name on).
std::string_view stem_of(std::string_view rel) {
    auto dot = rel.rfind('.');
    auto slash = rel.rfind('/');
    return dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash) ? rel : rel.substr(0, dot);
}

std::vector<std::string_view> split(std::string_view rel) {
    std::vector<std::string_view> parts;
    while (true) {
        auto slash = rel.find('/');
        parts.push_back(rel.substr(0, slash));
        if (slash == std::string_view::npos) {
            return parts;
        }
        rel.remove_prefix(slash + 1);
    }
}

bool is_section(std::string_view name) {
    return std::find(std::begin(k_sections), std::end(k_sections), name) != std::end(k_sections);
}

FileKind markdown_kind(std::string_view rel) {
    if (rel.find("/replies/") != std::string_view::npos) {
        return FileKind::reply;
    }
    if (rel.find("/responses/") != std::string_view::npos) {
        return FileKind::response;
    }
    if (rel.starts_with("meetings/")) {
        return rel.ends_with("/summary.md") ? FileKind::summary : FileKind::meeting;
    }
    if (rel.starts_with("checkins/")) {
        return FileKind::checkin;
    }
    if (rel.starts_with("people/")) {
        return FileKind::item;
    }
    return FileKind::document;
}

} // namespace

FileKind classify(std::string_view rel, const SiblingExists& sibling_exists) {
    std::vector<std::string_view> parts = split(rel);
    if (parts.size() >= 2 && parts[0] == ".async") {
        if (parts.size() == 2 && parts[1] == "config.toml") {
            return FileKind::config;
        }
        if (parts.size() >= 3 && parts[1] == "templates") {
            return FileKind::template_file;
        }
        return FileKind::other;
    }
    if (parts.size() < 2 || !is_section(parts.front())) {
        return FileKind::other;
    }
    bool in_attachments = false;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (parts[i].empty() || parts[i].front() == '.') {
            return FileKind::other;
        }
        if (i + 1 < parts.size() && parts[i] == k_attachments) {
            in_attachments = true;
        }
    }
    std::string_view name = parts.back();
    if (in_attachments) {
        if (name.ends_with(".vtt") || name.ends_with(".srt")) {
            return FileKind::transcript;
        }
        if (name.ends_with(".txt") && sibling_exists) {
            for (const auto& sibling : media_siblings(rel)) {
                if (sibling_exists(sibling)) {
                    return FileKind::transcript;
                }
            }
        }
        return FileKind::attachment;
    }
    if (name.ends_with(".md")) {
        return markdown_kind(rel);
    }
    if (parts.size() == 3 && parts[0] == "people" && name == "state.toml") {
        return FileKind::inbox_state;
    }
    if (parts.size() == 3 && parts[0] == "people" && name == "reminded.toml") {
        return FileKind::reminded;
    }
    if (parts.size() == 3 && parts[0] == "people" && name == "away.toml") {
        return FileKind::away;
    }
    return FileKind::other;
}

bool is_document(FileKind kind) {
    switch (kind) {
    case FileKind::document:
    case FileKind::meeting:
    case FileKind::reply:
    case FileKind::response:
    case FileKind::summary:
    case FileKind::checkin:
    case FileKind::item:
        return true;
    default:
        return false;
    }
}

bool is_indexed(FileKind kind) {
    return is_document(kind) || kind == FileKind::transcript;
}

namespace {

struct KindNames {
    FileKind kind;
    std::string_view type; // the default type of a document of this kind
    std::string_view noun; // what a message calls a file of this kind
};

// In FileKind's order.
constexpr KindNames k_kind_names[] = {
    {FileKind::document, "doc", "document"},    {FileKind::meeting, "meeting", "meeting"},
    {FileKind::reply, "reply", "reply"},        {FileKind::response, "response", "response"},
    {FileKind::summary, "summary", "summary"},  {FileKind::checkin, "checkin", "check-in"},
    {FileKind::item, "item", "item"},           {FileKind::transcript, "doc", "attachment"},
    {FileKind::attachment, "doc", "attachment"}, {FileKind::inbox_state, "doc", "inbox state"},
    {FileKind::reminded, "doc", "reminder record"}, {FileKind::away, "doc", "absences"},
    {FileKind::config, "doc", "config"},        {FileKind::template_file, "doc", "template"},
    {FileKind::other, "doc", "file"},
};

constexpr bool in_kind_order() {
    for (std::size_t i = 0; i < std::size(k_kind_names); ++i) {
        if (static_cast<std::size_t>(k_kind_names[i].kind) != i) {
            return false;
        }
    }
    return std::size(k_kind_names) == static_cast<std::size_t>(FileKind::other) + 1;
}
static_assert(in_kind_order(), "k_kind_names must list every FileKind in order");

} // namespace

std::string_view default_type(FileKind kind) {
    return k_kind_names[static_cast<std::size_t>(kind)].type;
}

std::string_view kind_noun(FileKind kind) {
    return k_kind_names[static_cast<std::size_t>(kind)].noun;
}

std::string bundle_of(std::string_view rel) {
    auto first = rel.find('/');
    auto second = first == std::string_view::npos ? std::string_view::npos : rel.find('/', first + 1);
    auto end = second == std::string_view::npos ? rel.rfind('/') : second;
    return std::string{rel.substr(0, end)};
}

std::string parent_of(std::string_view rel) {
    if (rel.starts_with("checkins/")) {
        std::vector<std::string_view> parts = split(rel);
        if (parts.size() == 5 && parts[3] == "replies" && parts[4].ends_with(".md")) {
            return std::string{k_checkins} + "/" + std::string{parts[1]} + "/" + std::string{parts[2]} + ".md";
        }
        return {};
    }
    if (!(rel.starts_with("docs/") || rel.starts_with("meetings/"))) {
        return {};
    }
    std::string bundle = bundle_of(rel);
    std::string_view rest = rel.size() > bundle.size() ? rel.substr(bundle.size() + 1) : std::string_view{};
    bool child = rest.starts_with("replies/") || rest.starts_with("responses/") || rest == "summary.md";
    return child ? bundle + "/index.md" : std::string{};
}

std::optional<std::string> replies_folder(std::string_view rel) {
    std::vector<std::string_view> parts = split(rel);
    if (parts.size() != 3 || parts[1].empty() || parts[1].front() == '.') {
        return std::nullopt;
    }
    if ((parts[0] == k_docs || parts[0] == k_meetings) && parts[2] == k_bundle_file) {
        return std::string{parts[0]} + "/" + std::string{parts[1]} + "/replies";
    }
    if (parts[0] == k_checkins && parts[2].size() > 3 && parts[2].ends_with(".md") && parts[2].front() != '.') {
        return std::string{rel.substr(0, rel.size() - 3)} + "/replies";
    }
    return std::nullopt;
}

std::optional<std::string> folder_problem(std::string_view rel) {
    if (static_cast<std::size_t>(std::count(rel.begin(), rel.end(), '/')) > k_max_folder_depth) {
        return "folders nested too deep";
    }
    return std::nullopt;
}

std::optional<std::string> unreached_problem(std::string_view rel) {
    auto slash = rel.rfind('/');
    return slash == std::string_view::npos ? std::nullopt : folder_problem(rel.substr(0, slash));
}

bool is_media_file_name(std::string_view name) {
    return media_type_of(name) != nullptr;
}

bool is_audio_file_name(std::string_view name) {
    const MediaType* m = media_type_of(name);
    return m != nullptr && m->mime.starts_with("audio/");
}

std::string_view media_type(std::string_view name) {
    const MediaType* m = media_type_of(name);
    return m == nullptr ? std::string_view{} : m->mime;
}

const std::vector<std::string>& transcript_extensions() {
    static const std::vector<std::string> k_extensions = {".vtt", ".srt", ".txt"};
    return k_extensions;
}

std::vector<std::string> media_siblings(std::string_view rel) {
    std::vector<std::string> out;
    for (const auto& m : k_media) {
        out.push_back(std::string{stem_of(rel)} + std::string{m.ext});
    }
    return out;
}

std::vector<std::string> transcript_paths(std::string_view media_rel) {
    std::vector<std::string> out;
    for (const auto& ext : transcript_extensions()) {
        out.push_back(std::string{stem_of(media_rel)} + ext);
    }
    return out;
}

std::filesystem::path replies_dir(const std::filesystem::path& bundle_file) {
    return bundle_file.parent_path() / "replies";
}

std::filesystem::path responses_dir(const std::filesystem::path& bundle_file) {
    return bundle_file.parent_path() / "responses";
}

std::filesystem::path summary_file(const std::filesystem::path& bundle_file) {
    return bundle_file.parent_path() / "summary.md";
}

std::filesystem::path attachments_dir(const std::filesystem::path& bundle_file) {
    return bundle_file.parent_path() / k_attachments;
}

namespace {

// True for a bundle folder whose document is its index.md: docs/<b>, meetings/<b>.
bool is_bundle_folder(const std::vector<std::string_view>& parts, std::size_t count) {
    return count == 2 && (parts[0] == k_docs || parts[0] == k_meetings);
}

} // namespace

std::string own_attachments_link(std::string_view rel) {
    std::vector<std::string_view> parts = split(rel);
    if (parts.size() < 2 || !is_section(parts.front()) || !parts.back().ends_with(".md") ||
        parts.back().size() <= 3 || std::find(parts.begin(), parts.end(), k_attachments) != parts.end()) {
        return {};
    }
    if (parts.back() == k_bundle_file && is_bundle_folder(parts, parts.size() - 1)) {
        return std::string{k_attachments};
    }
    std::string_view stem = parts.back().substr(0, parts.back().size() - 3);
    if (stem.front() == '.') {
        return {};
    }
    return std::string{k_attachments} + "/" + std::string{stem};
}

std::string attachment_owner(std::string_view rel) {
    std::vector<std::string_view> parts = split(rel);
    auto at = std::find(parts.begin(), parts.end(), k_attachments);
    if (at == parts.end() || at == parts.begin() || !is_section(parts.front()) || at + 1 == parts.end()) {
        return {};
    }
    auto folder_parts = static_cast<std::size_t>(at - parts.begin());
    std::string folder;
    for (std::size_t i = 0; i < folder_parts; ++i) {
        folder += std::string{parts[i]} + "/";
    }
    if (is_bundle_folder(parts, folder_parts)) {
        return folder + std::string{k_bundle_file};
    }
    if (at + 2 >= parts.end()) {
        return {}; // a file directly in attachments/ of a folder that has no index.md of its own
    }
    return folder + std::string{*(at + 1)} + ".md";
}

std::string attachment_too_large_message(std::int64_t size) {
    return "attachment is too large (" + std::to_string(size / (1024 * 1024)) + " MiB; the limit is " +
           std::to_string(k_max_attachment_size / (1024 * 1024)) + " MiB)";
}

std::filesystem::path checkins_dir(const std::filesystem::path& root) {
    return root / k_checkins;
}

std::filesystem::path week_dir(const std::filesystem::path& root, std::string_view week) {
    return checkins_dir(root) / week;
}

std::filesystem::path checkin_file(const std::filesystem::path& root, std::string_view week,
                                   std::string_view handle) {
    return week_dir(root, week) / (std::string{handle} + ".md");
}

std::filesystem::path inbox_dir(const std::filesystem::path& root, std::string_view handle) {
    return root / k_people / handle / "inbox";
}

std::filesystem::path inbox_state_file(const std::filesystem::path& root, std::string_view handle) {
    return root / k_people / handle / "state.toml";
}

std::filesystem::path actions_file(const std::filesystem::path& root, std::string_view handle) {
    return root / k_people / handle / "actions.md";
}

std::filesystem::path reminded_file(const std::filesystem::path& root, std::string_view handle) {
    return root / k_people / handle / "reminded.toml";
}

std::filesystem::path away_file(const std::filesystem::path& root, std::string_view handle) {
    return root / k_people / handle / "away.toml";
}

bool is_inbox_file(std::string_view rel) {
    std::vector<std::string_view> parts = split(rel);
    return parts.size() == 4 && parts[0] == k_people && !parts[1].empty() && parts[2] == "inbox" &&
           !parts[3].empty();
}

std::string too_large_message(std::int64_t size) {
    return "file is too large (" + std::to_string(size / (1024 * 1024)) + " MiB; the limit is " +
           std::to_string(k_max_file_size / (1024 * 1024)) + " MiB)";
}

} // namespace async
