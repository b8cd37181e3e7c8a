#include <async/publish.hpp>

#include <async/config.hpp>
#include <async/dates.hpp>
#include <async/identity.hpp>
#include <async/document.hpp>
#include <async/error.hpp>
#include <async/html.hpp>
#include <async/layout.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <system_error>

namespace async {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view k_manifest_header = "async-publish 1";

constexpr std::string_view k_style = R"(body{max-width:46rem;margin:0 auto;padding:1rem;font:16px/1.6 system-ui,sans-serif;color:#222;background:#fff}
header.site{border-bottom:1px solid #ddd;margin-bottom:1.5rem;padding-bottom:.5rem}
header.site a{margin-right:1rem}
a{color:#0645ad}
h1{line-height:1.2}
.meta,.tags{color:#555;font-size:.9rem}
ul.docs{list-style:none;padding:0}
ul.docs li{margin:.4rem 0}
ul.docs time{color:#555;font-variant-numeric:tabular-nums;margin-right:.5rem}
.type{font-size:.8rem;color:#555;border:1px solid #ccc;border-radius:3px;padding:0 .3rem;margin-left:.4rem}
pre{background:#f6f8fa;padding:.75rem;overflow:auto}
code{background:#f6f8fa}
blockquote{border-left:3px solid #ddd;margin-left:0;padding-left:1rem;color:#444}
table{border-collapse:collapse}
td,th{border:1px solid #ddd;padding:.25rem .5rem}
img{max-width:100%}
figure{margin:1rem 0}
audio,video{width:100%}
pre.transcript{white-space:pre-wrap}
)";

std::string hex_hash(std::string_view text) {
    return leading_hex(fnv1a_64({text}), 8);
}

bool only_chars(std::string_view text, std::string_view extra) {
    return std::all_of(text.begin(), text.end(), [&](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || extra.find(c) != std::string_view::npos;
    });
}

std::string type_label(const DocSummary& doc) {
    if (doc.type == "doc") {
        return "closed doc";
    }
    return doc.type;
}

std::string html_date(const std::optional<TimePoint>& t) {
    if (!t) {
        return {};
    }
    return "<time datetime=\"" + escape_html(format_utc(*t)) + "\">" + escape_html(format_local_date(*t)) + "</time>";
}

struct Attachment {
    fs::path source;
    std::string rel; // under attachments/, '/'-separated
};

struct Entry {
    DocSummary doc;
    std::string name;     // folder under docs/
    std::vector<Attachment> attachments;
    std::optional<TimePoint> updated;
};

// Regular files (never symlinks, never hidden) under the bundle's attachments/ folder.
std::vector<Attachment> list_attachments(const Workspace& ws, const DocSummary& doc) {
    std::vector<Attachment> out;
    fs::path file = ws.root() / doc.path;
    if (file.filename() != k_bundle_file) {
        return out;
    }
    fs::path dir = attachments_dir(file);
    std::error_code ec;
    if (!fs::is_directory(fs::symlink_status(dir, ec))) {
        return out;
    }
    fs::recursive_directory_iterator it{dir, fs::directory_options::skip_permission_denied, ec};
    for (; !ec && it != fs::recursive_directory_iterator{}; it.increment(ec)) {
        std::string leaf = it->path().filename().string();
        if (leaf.starts_with(".")) {
            if (it->is_directory(ec)) {
                it.disable_recursion_pending();
            }
            continue;
        }
        if (!it->is_symlink(ec) && it->is_regular_file(ec)) {
            out.push_back({it->path(), it->path().lexically_relative(dir).generic_string()});
        }
    }
    std::sort(out.begin(), out.end(), [](const Attachment& a, const Attachment& b) { return a.rel < b.rel; });
    return out;
}

std::string encode_path(std::string_view rel) {
    std::string out;
    for (const auto& part : split_list(rel, '/')) {
        out += (out.empty() ? "" : "/") + url_encode_segment(part);
    }
    return out;
}

class Site {
public:
    Site(const Workspace& ws, const PublishOptions& options, PublishStats& stats)
        : m_ws(ws), m_options(options), m_stats(stats) {}

    void build(Index& index);

private:
    void check_output_folder();
    void plan(Index& index);
    std::string page(std::string_view title, std::string_view root, std::string_view main) const;
    std::string doc_list(const std::vector<const Entry*>& entries, std::string_view root) const;
    std::string doc_page(const Entry& entry, const std::string& body_html) const;
    std::string media_section(const Entry& entry) const;
    std::string tag_links(const std::vector<std::string>& tags, std::string_view root) const;
    std::string index_page() const;
    std::string tags_index_page() const;
    std::string tag_page(const std::string& tag) const;
    std::string feed(const std::map<std::string, std::string>& content) const;
    // The person's name from config for an author's handle, else the handle as written.
    std::string name_of(const std::string& author) const;
    // The folder name (under docs/) of the published document an id or unique prefix names.
    std::optional<std::string> resolve(std::string_view id) const;
    struct Rendered {
        std::string page;    // the body for the document's page
        std::string feed;    // the body for the feed (links from the site's root), when asked
        std::string warning; // why the document could not be read
    };
    // Reads entry's document (setting entry.updated from its updated/closed keys) and renders
    // its body.
    Rendered render(Entry& entry, bool for_feed) const;

    void ensure_safe_parents(const std::string& rel);
    void put(const std::string& rel, std::string_view content);
    void copy(const std::string& rel, const fs::path& source);
    void remove_stale();
    void write_manifest(const std::set<std::string>& paths);

    const Workspace& m_ws;
    const PublishOptions& m_options;
    PublishStats& m_stats;
    fs::path m_dir;
    std::string m_title;
    std::set<std::string> m_old; // the previous manifest
    std::set<std::string> m_new; // what this run writes
    std::set<std::string> m_safe_dirs;
    std::vector<Entry> m_entries; // newest first
    std::map<std::string, std::size_t> m_by_id;
    std::map<std::string, std::vector<const Entry*>> m_tags;
};

void Site::check_output_folder() {
    std::error_code ec;
    m_dir = fs::weakly_canonical(m_options.out_dir, ec);
    if (ec) {
        m_dir = m_options.out_dir.lexically_normal();
    }
    std::string shown = m_options.out_dir.string();
    auto status = fs::status(m_dir, ec);
    if (fs::exists(status) && !fs::is_directory(status)) {
        throw Error{ErrorKind::usage, "'" + shown + "' is not a folder", "-o names the folder the site is written to"};
    }
    fs::path root = fs::weakly_canonical(m_ws.root(), ec);
    if (ec) {
        root = m_ws.root();
    }
    auto inside = [](const fs::path& path, const fs::path& base) {
        auto rel = path.lexically_relative(base);
        return !rel.empty() && *rel.begin() != "..";
    };
    if (inside(root, m_dir)) {
        throw Error{ErrorKind::usage, "'" + shown + "' contains the workspace",
                    "publish into a folder of its own, e.g. -o site"};
    }
    for (std::string_view part : {std::string_view{".async"}, k_docs, k_meetings, k_checkins, k_people}) {
        if (inside(m_dir, root / part)) {
            throw Error{ErrorKind::usage, "'" + shown + "' is inside the workspace's " + std::string{part} + "/ folder",
                        "publish outside docs/, meetings/, checkins/, people/ and .async/, e.g. -o site"};
        }
    }
    if (!fs::exists(status)) {
        fs::create_directories(m_dir, ec);
        if (ec) {
            throw Error{ErrorKind::data, "cannot create '" + shown + "': " + ec.message()};
        }
        return;
    }
    fs::path manifest = m_dir / k_publish_manifest;
    if (fs::is_regular_file(fs::symlink_status(manifest, ec))) {
        auto parsed = parse_publish_manifest(read_file(manifest));
        if (!parsed) {
            throw Error{ErrorKind::data, "'" + (fs::path{shown} / k_publish_manifest).string() + "' is not a publish manifest",
                        "remove it only if nothing else depends on this folder, or publish elsewhere"};
        }
        m_old = std::move(*parsed);
        return;
    }
    if (!fs::is_empty(m_dir, ec)) {
        throw Error{ErrorKind::usage, "'" + shown + "' is not empty and was not written by async publish",
                    "publish into a new or empty folder, or one async publish wrote before"};
    }
}

std::optional<std::string> Site::resolve(std::string_view id) const {
    auto it = m_by_id.lower_bound(std::string{id});
    if (it == m_by_id.end() || !it->first.starts_with(id)) {
        return std::nullopt;
    }
    if (it->first != id) {
        auto next = std::next(it);
        if (next != m_by_id.end() && next->first.starts_with(id)) {
            return std::nullopt; // ambiguous prefix
        }
    }
    return m_entries[it->second].name;
}

void Site::plan(Index& index) {
    std::set<std::string> names;
    for (auto& doc : published_documents(index)) {
        Entry entry;
        std::string name = page_name(doc.id.empty() ? doc.path : doc.id);
        for (int n = 2; names.count(name); ++n) {
            name = page_name(doc.id.empty() ? doc.path : doc.id) + "-" + std::to_string(n);
        }
        names.insert(name);
        entry.name = name;
        entry.attachments = list_attachments(m_ws, doc);
        entry.doc = std::move(doc);
        m_entries.push_back(std::move(entry));
    }
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        const auto& e = m_entries[i];
        if (!e.doc.id.empty()) {
            m_by_id.emplace(e.doc.id, i); // the first (newest) of duplicate ids wins
        }
        for (const auto& tag : e.doc.tags) {
            m_tags[tag].push_back(&e);
        }
        std::string dir = "docs/" + e.name + "/";
        m_new.insert(dir + "index.html");
        for (const auto& a : e.attachments) {
            m_new.insert(dir + "attachments/" + a.rel);
        }
    }
    m_new.insert("index.html");
    m_new.insert("feed.xml");
    for (const auto& c : m_options.calendars) {
        m_new.insert(c.file);
    }
    m_new.insert("tags/index.html");
    for (const auto& [tag, entries] : m_tags) {
        m_new.insert("tags/" + tag_file_name(tag) + ".html");
    }
    // Never replace a file publish did not write.
    for (const auto& rel : m_new) {
        std::error_code ec;
        if (!m_old.count(rel) && fs::exists(fs::symlink_status(m_dir / rel, ec))) {
            throw Error{ErrorKind::usage, "'" + (m_options.out_dir / rel).string() + "' exists and was not written by async publish",
                        "move it away, or publish into another folder"};
        }
    }
}

std::string Site::page(std::string_view title, std::string_view root, std::string_view main) const {
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                      "style-src 'unsafe-inline'; img-src 'self'; media-src 'self'\">\n";
    out += "<title>" + escape_html(title) + "</title>\n";
    out += "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"" + escape_html(m_title) + "\" href=\"" +
           std::string{root} + "feed.xml\">\n";
    out += "<style>\n" + std::string{k_style} + "</style>\n</head>\n<body>\n";
    out += "<header class=\"site\"><a href=\"" + std::string{root} + "index.html\"><strong>" + escape_html(m_title) +
           "</strong></a><a href=\"" + std::string{root} + "tags/index.html\">Tags</a><a href=\"" +
           std::string{root} + "feed.xml\">Feed</a></header>\n<main>\n";
    out += main;
    out += "</main>\n</body>\n</html>\n";
    return out;
}

std::string Site::tag_links(const std::vector<std::string>& tags, std::string_view root) const {
    std::string out;
    for (const auto& tag : tags) {
        out += (out.empty() ? "" : ", ");
        out += "<a href=\"" + std::string{root} + "tags/" + tag_file_name(tag) + ".html\">" + escape_html(tag) + "</a>";
    }
    return out;
}

std::string Site::doc_list(const std::vector<const Entry*>& entries, std::string_view root) const {
    std::string out = "<ul class=\"docs\">\n";
    for (const Entry* e : entries) {
        out += "<li>" + html_date(e->doc.created) + " <a href=\"" + std::string{root} + "docs/" + e->name +
               "/index.html\">" + escape_html(e->doc.title.empty() ? e->doc.id : e->doc.title) + "</a>";
        out += "<span class=\"type\">" + escape_html(type_label(e->doc)) + "</span>";
        if (!e->doc.author.empty()) {
            out += " <span class=\"meta\">by " + escape_html(name_of(e->doc.author)) + "</span>";
        }
        out += "</li>\n";
    }
    out += "</ul>\n";
    return out;
}

std::string Site::index_page() const {
    std::vector<const Entry*> all;
    for (const auto& e : m_entries) {
        all.push_back(&e);
    }
    std::string main = "<h1>" + escape_html(m_title) + "</h1>\n";
    main += all.empty() ? std::string{"<p>Nothing published yet.</p>\n"} : doc_list(all, "");
    if (!m_options.calendars.empty()) {
        // Subscribable: a calendar client given the URL keeps it up to date.
        main += "<h2>Calendars</h2>\n<ul class=\"calendars\">\n";
        for (const auto& c : m_options.calendars) {
            main += "<li><a href=\"" + escape_html(c.file) + "\">" + escape_html(c.label) + "</a></li>\n";
        }
        main += "</ul>\n";
    }
    return page(m_title, "", main);
}

std::string Site::tags_index_page() const {
    std::string main = "<h1>Tags</h1>\n<ul>\n";
    for (const auto& [tag, entries] : m_tags) {
        main += "<li><a href=\"" + tag_file_name(tag) + ".html\">" + escape_html(tag) + "</a> (" +
                std::to_string(entries.size()) + ")</li>\n";
    }
    main += "</ul>\n";
    return page("Tags · " + m_title, "../", main);
}

std::string Site::tag_page(const std::string& tag) const {
    std::string main = "<h1>Tagged " + escape_html(tag) + "</h1>\n" + doc_list(m_tags.at(tag), "../");
    return page(tag + " · " + m_title, "../", main);
}

std::string Site::media_section(const Entry& entry) const {
    std::string out;
    std::set<std::string> rels;
    for (const auto& a : entry.attachments) {
        rels.insert(a.rel);
    }
    for (const auto& a : entry.attachments) {
        if (!is_media_file_name(a.rel)) {
            continue;
        }
        std::string url = "attachments/" + encode_path(a.rel);
        std::string leaf = fs::path{a.rel}.filename().string();
        bool audio = is_audio_file_name(a.rel);
        out += "<figure>\n<figcaption>" + escape_html(leaf) + "</figcaption>\n";
        out += std::string{audio ? "<audio" : "<video"} + " controls preload=\"none\" src=\"" + escape_html(url) +
               "\"><a href=\"" + escape_html(url) + "\">" + escape_html(leaf) + "</a>" +
               (audio ? "</audio>" : "</video>") + "\n";
        for (const auto& transcript : transcript_paths(a.rel)) {
            if (!rels.count(transcript)) {
                continue;
            }
            fs::path source = a.source.parent_path() / fs::path{transcript}.filename();
            std::error_code ec;
            auto size = fs::file_size(source, ec);
            if (ec || size > static_cast<std::uintmax_t>(k_max_file_size)) {
                break;
            }
            out += "<details open>\n<summary>Transcript</summary>\n<pre class=\"transcript\">" +
                   escape_html(read_file(source)) + "</pre>\n</details>\n";
            break;
        }
        out += "</figure>\n";
    }
    if (!out.empty()) {
        out = "<section class=\"media\">\n<h2>Recordings</h2>\n" + out + "</section>\n";
    }
    if (!entry.attachments.empty()) {
        out += "<section class=\"attachments\">\n<h2>Attachments</h2>\n<ul>\n";
        for (const auto& a : entry.attachments) {
            out += "<li><a href=\"attachments/" + escape_html(encode_path(a.rel)) + "\">" + escape_html(a.rel) + "</a></li>\n";
        }
        out += "</ul>\n</section>\n";
    }
    return out;
}

std::string Site::doc_page(const Entry& entry, const std::string& body_html) const {
    const auto& doc = entry.doc;
    std::string title = doc.title.empty() ? doc.id : doc.title;
    std::string main = "<article>\n<h1>" + escape_html(title) + "</h1>\n<p class=\"meta\">";
    if (!doc.author.empty()) {
        main += "By <span class=\"author\">" + escape_html(name_of(doc.author)) + "</span> · ";
    }
    if (doc.created) {
        main += html_date(doc.created) + " · ";
    }
    main += "<span class=\"type\">" + escape_html(type_label(doc)) + "</span></p>\n";
    if (!doc.tags.empty()) {
        main += "<p class=\"tags\">Tags: " + tag_links(doc.tags, "../../") + "</p>\n";
    }
    main += "<div class=\"body\">\n" + body_html + "</div>\n" + media_section(entry) + "</article>\n";
    return page(title + " · " + m_title, "../../", main);
}

Site::Rendered Site::render(Entry& entry, bool for_feed) const {
    Rendered out;
    try {
        auto document = read_document(m_ws.root(), entry.doc.path);
        for (std::string_view key : {"updated", "closed"}) {
            auto t = document.get_time(key);
            if (t && (!entry.updated || *t > *entry.updated)) {
                entry.updated = t;
            }
        }
        if (entry.updated && entry.doc.created && *entry.updated < *entry.doc.created) {
            entry.updated.reset();
        }
        out.page = markdown_to_html(document.body(), [this](std::string_view id) -> std::optional<std::string> {
            auto name = resolve(id);
            return name ? std::optional<std::string>{"../" + *name + "/index.html"} : std::nullopt;
        });
        if (for_feed) {
            // Feed readers resolve relative links against the feed (xml:base is handled
            // unevenly), so the entry's links are made relative to the site's root, or absolute.
            std::string base = m_options.base_url;
            std::string page_dir = base + "docs/" + entry.name + "/";
            out.feed = markdown_to_html(
                document.body(),
                [this, &base](std::string_view id) -> std::optional<std::string> {
                    auto name = resolve(id);
                    return name ? std::optional<std::string>{base + "docs/" + *name + "/index.html"} : std::nullopt;
                },
                [&page_dir](std::string_view url) { return page_dir + std::string{url}; });
        }
    } catch (const Error& e) {
        out.warning = e.what();
        out.page = "<p>This document could not be read.</p>\n";
        out.feed = out.page;
    }
    return out;
}

std::string Site::name_of(const std::string& author) const {
    auto it = m_options.names.find(handle_or_lower(author));
    return it == m_options.names.end() || trim(it->second).empty() ? author : it->second;
}

std::string Site::feed(const std::map<std::string, std::string>& content) const {
    std::string base = m_options.base_url;
    std::string feed_id = base.empty() ? "urn:async:feed:" + hex_hash(m_title) : base;
    std::vector<const Entry*> posts;
    for (const auto& e : m_entries) {
        if (e.doc.type == "post" && e.doc.created && posts.size() < k_feed_limit) {
            posts.push_back(&e);
        }
    }
    std::optional<TimePoint> newest;
    for (const Entry* e : posts) {
        auto t = e->updated ? e->updated : e->doc.created;
        if (!newest || *t > *newest) {
            newest = t;
        }
    }
    std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
    out += "<id>" + escape_html(feed_id) + "</id>\n<title type=\"text\">" + escape_html(m_title) + "</title>\n";
    out += "<updated>" + format_utc(newest.value_or(TimePoint{})) + "</updated>\n";
    out += "<author><name>" + escape_html(m_title) + "</name></author>\n";
    out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + escape_html(base) + "index.html\"/>\n";
    if (!base.empty()) {
        out += "<link rel=\"self\" type=\"application/atom+xml\" href=\"" + escape_html(base) + "feed.xml\"/>\n";
    }
    out += "<generator>async</generator>\n";
    for (const Entry* e : posts) {
        const auto& doc = e->doc;
        std::string page_dir = base + "docs/" + e->name + "/";
        out += "<entry>\n<id>urn:async:" + escape_html(doc.id.empty() ? e->name : doc.id) + "</id>\n";
        out += "<title type=\"text\">" + escape_html(doc.title.empty() ? doc.id : doc.title) + "</title>\n";
        out += "<published>" + format_utc(*doc.created) + "</published>\n";
        out += "<updated>" + format_utc(e->updated ? *e->updated : *doc.created) + "</updated>\n";
        if (!doc.author.empty()) {
            out += "<author><name>" + escape_html(name_of(doc.author)) + "</name></author>\n";
        }
        out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + escape_html(page_dir) + "index.html\"/>\n";
        for (const auto& a : e->attachments) {
            std::string_view type = media_type(a.rel);
            std::error_code ec;
            auto length = fs::file_size(a.source, ec);
            if (type.empty() || ec) {
                continue;
            }
            out += "<link rel=\"enclosure\" type=\"" + escape_html(type) + "\" length=\"" + std::to_string(length) +
                   "\" href=\"" + escape_html(page_dir + "attachments/" + encode_path(a.rel)) + "\"/>\n";
        }
        for (const auto& tag : doc.tags) {
            out += "<category term=\"" + escape_html(tag) + "\"/>\n";
        }
        auto it = content.find(e->name);
        if (it != content.end()) {
            out += "<content type=\"html\">" + escape_html(it->second) + "</content>\n";
        }
        out += "</entry>\n";
    }
    out += "</feed>\n";
    return out;
}

void Site::ensure_safe_parents(const std::string& rel) {
    // A folder of the site replaced by a symlink must not lead writes elsewhere.
    fs::path dir = fs::path{rel}.parent_path();
    fs::path walked;
    for (const auto& part : dir) {
        walked /= part;
        std::string key = walked.generic_string();
        if (m_safe_dirs.count(key)) {
            continue;
        }
        std::error_code ec;
        if (fs::is_symlink(fs::symlink_status(m_dir / walked, ec))) {
            throw Error{ErrorKind::data, "'" + (m_options.out_dir / walked).string() + "' is a symbolic link",
                        "publish writes only into folders of its own: remove the link"};
        }
        m_safe_dirs.insert(key);
    }
}

void Site::put(const std::string& rel, std::string_view content) {
    ensure_safe_parents(rel);
    fs::path target = m_dir / rel;
    std::error_code ec;
    if (fs::is_regular_file(fs::symlink_status(target, ec)) && fs::file_size(target, ec) == content.size() && !ec) {
        try {
            if (read_file(target) == content) {
                ++m_stats.unchanged;
                return;
            }
        } catch (const Error&) {
            // unreadable: rewrite it
        }
    }
    write_file_atomic(target, content);
    ++m_stats.written;
}

void Site::copy(const std::string& rel, const fs::path& source) {
    ensure_safe_parents(rel);
    fs::path target = m_dir / rel;
    std::error_code ec;
    auto source_time = fs::last_write_time(source, ec);
    auto source_size = fs::file_size(source, ec);
    if (ec) {
        m_stats.warnings.push_back("cannot read '" + m_ws.display(source) + "': " + ec.message());
        return;
    }
    std::error_code ec2;
    if (fs::is_regular_file(fs::symlink_status(target, ec2)) && fs::file_size(target, ec2) == source_size &&
        fs::last_write_time(target, ec2) == source_time && !ec2) {
        ++m_stats.unchanged;
        return;
    }
    fs::create_directories(target.parent_path(), ec);
    fs::path temp = target.parent_path() / (".publish-" + target.filename().string() + ".tmp");
    fs::remove(temp, ec);
    if (!fs::copy_file(source, temp, fs::copy_options::overwrite_existing, ec) || ec) {
        fs::remove(temp, ec2);
        throw Error{ErrorKind::data, "cannot copy '" + m_ws.display(source) + "' to '" + (m_options.out_dir / rel).string() +
                                         "': " + ec.message()};
    }
    fs::last_write_time(temp, source_time, ec);
    fs::rename(temp, target, ec);
    if (ec) {
        fs::remove(temp, ec2);
        throw Error{ErrorKind::data, "cannot write '" + (m_options.out_dir / rel).string() + "': " + ec.message()};
    }
    ++m_stats.written;
}

void Site::remove_stale() {
    for (const auto& rel : m_old) {
        if (m_new.count(rel)) {
            continue;
        }
        std::error_code ec;
        fs::path target = m_dir / rel;
        auto status = fs::symlink_status(target, ec);
        if (!fs::is_regular_file(status) && !fs::is_symlink(status)) {
            continue;
        }
        if (fs::remove(target, ec)) {
            ++m_stats.removed;
        }
        // Folders left empty go too (never DIR itself, never one with anything left in it).
        for (fs::path dir = fs::path{rel}.parent_path(); !dir.empty(); dir = dir.parent_path()) {
            if (!fs::is_empty(m_dir / dir, ec) || ec || !fs::remove(m_dir / dir, ec)) {
                break;
            }
        }
    }
}

void Site::write_manifest(const std::set<std::string>& paths) {
    fs::path target = m_dir / k_publish_manifest;
    std::string text = format_publish_manifest(paths);
    std::error_code ec;
    if (fs::is_regular_file(fs::symlink_status(target, ec))) {
        try {
            if (read_file(target) == text) {
                return;
            }
        } catch (const Error&) {
        }
    }
    write_file_atomic(target, text);
}

void Site::build(Index& index) {
    m_title = m_options.title.empty() ? m_ws.root().filename().string() : m_options.title;
    if (m_title.empty()) {
        m_title = "async";
    }
    check_output_folder();
    plan(index);

    // Listed before anything is written, so an interrupted run's files count as publish's own.
    std::set<std::string> both = m_old;
    both.insert(m_new.begin(), m_new.end());
    write_manifest(both);

    std::map<std::string, std::string> feed_content;
    std::size_t feed_posts = 0;
    for (auto& entry : m_entries) {
        bool in_feed = entry.doc.type == "post" && entry.doc.created && feed_posts < k_feed_limit;
        Rendered body = render(entry, in_feed);
        if (!body.warning.empty()) {
            m_stats.warnings.push_back(body.warning);
        }
        std::string dir = "docs/" + entry.name + "/";
        put(dir + "index.html", doc_page(entry, body.page));
        for (const auto& a : entry.attachments) {
            copy(dir + "attachments/" + a.rel, a.source);
        }
        if (in_feed) {
            ++feed_posts;
            feed_content.emplace(entry.name, std::move(body.feed));
        }
        ++m_stats.documents;
    }
    put("index.html", index_page());
    put("tags/index.html", tags_index_page());
    for (const auto& [tag, entries] : m_tags) {
        put("tags/" + tag_file_name(tag) + ".html", tag_page(tag));
    }
    put("feed.xml", feed(feed_content));
    for (const auto& c : m_options.calendars) {
        put(c.file, c.content);
    }
    remove_stale();
    write_manifest(m_new);
}

} // namespace

std::string team_calendar_file(std::string_view team) {
    return "calendars/" + tag_file_name(team) + ".ics";
}

std::vector<DocSummary> published_documents(Index& index) {
    std::vector<DocSummary> out;
    for (std::string type : {"post", "sop", "onboarding", "decision"}) {
        ListFilter filter;
        filter.type = type;
        for (auto& doc : list_documents(index, filter)) {
            if (doc.status != "draft") {
                out.push_back(std::move(doc));
            }
        }
    }
    ListFilter closed;
    closed.type = "doc";
    closed.status = "closed";
    for (auto& doc : list_documents(index, closed)) {
        out.push_back(std::move(doc));
    }
    std::stable_sort(out.begin(), out.end(), [](const DocSummary& a, const DocSummary& b) {
        if (a.created != b.created) {
            return a.created > b.created; // nullopt (no date) sorts last
        }
        return a.path < b.path;
    });
    return out;
}

std::string page_name(std::string_view id) {
    if (!id.empty() && id.size() <= 64 && only_chars(id, "_-") && id.front() != '-') {
        return std::string{id};
    }
    return "x" + hex_hash(id);
}

std::string tag_file_name(std::string_view tag) {
    if (!tag.empty() && tag.size() <= 64 && only_chars(tag, "_-") && tag.front() != '-') {
        return std::string{tag};
    }
    return slugify(tag) + "-" + hex_hash(tag);
}

std::optional<std::set<std::string>> parse_publish_manifest(std::string_view text) {
    std::set<std::string> out;
    bool first = true;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        std::string_view line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        start = end == std::string_view::npos ? text.size() : end + 1;
        if (line.starts_with("#")) {
            continue;
        }
        if (first) {
            if (line != k_manifest_header) {
                return std::nullopt;
            }
            first = false;
            continue;
        }
        if (line.empty() || line.starts_with("/") || line.find('\\') != std::string_view::npos ||
            line.find('\0') != std::string_view::npos) {
            continue;
        }
        bool ok = true;
        for (const auto& part : fs::path{std::string{line}}) {
            if (part == ".." || part == "." || part.empty()) {
                ok = false;
            }
        }
        if (ok && line.find("//") == std::string_view::npos && !line.ends_with("/") &&
            line != k_publish_manifest) {
            out.insert(std::string{line});
        }
    }
    if (first) {
        return std::nullopt;
    }
    return out;
}

std::string format_publish_manifest(const std::set<std::string>& paths) {
    std::string out = "# Files async publish wrote here; it removes only these when they leave the site.\n";
    out += std::string{k_manifest_header} + "\n";
    for (const auto& p : paths) {
        out += p + "\n";
    }
    return out;
}

std::string normalise_base_url(std::string_view base_url) {
    if (base_url.empty()) {
        return {};
    }
    if (base_url_problem(base_url)) {
        throw Error{ErrorKind::usage, "'" + sanitize_for_terminal(base_url, Newlines::flatten) + "' is not an http(s) URL",
                    "--base-url https://intranet.example/blog/"};
    }
    std::string out{base_url};
    if (!out.ends_with("/")) {
        out += "/";
    }
    return out;
}

PublishOptions publish_options(const Config& config, const fs::path& root, const std::optional<fs::path>& home,
                               const PublishFlags& flags) {
    PublishOptions out;
    auto setting = [&](std::string_view key) -> std::optional<std::string> {
        auto value = config.get(key);
        if (value) {
            validate_config_value(key, *value);
        }
        return value;
    };
    if (flags.out_dir) {
        out.out_dir = *flags.out_dir;
    } else if (auto dir = setting("publish.dir")) {
        if (dir->starts_with("~/")) {
            if (!home) {
                throw Error{ErrorKind::usage, "publish.dir '" + sanitize_for_terminal(*dir, Newlines::flatten) +
                                                  "' starts with ~/ but there is no home folder",
                            "set HOME, or give -o DIR"};
            }
            out.out_dir = *home / dir->substr(2);
        } else {
            out.out_dir = root / *dir;
        }
        out.out_dir = out.out_dir.lexically_normal();
    } else {
        throw Error{ErrorKind::usage, "no folder to publish to",
                    "give -o DIR, or set one for the team: async config set publish.dir site"};
    }
    if (flags.title) {
        out.title = *flags.title;
    } else if (auto title = setting("publish.title"); title && !trim(*title).empty()) {
        out.title = *title;
    } else if (auto team = config.get("team.name"); team && !trim(*team).empty()) {
        out.title = *team;
    }
    if (flags.base_url) {
        out.base_url = *flags.base_url;
    } else if (auto base = setting("publish.base_url")) {
        out.base_url = *base;
    }
    for (const auto& p : config.people()) {
        if (!trim(p.name).empty()) {
            out.names[handle_or_lower(p.handle)] = strip_controls(p.name, Newlines::flatten);
        }
    }
    return out;
}

PublishStats publish_site(Index& index, const Workspace& ws, const PublishOptions& options) {
    PublishOptions checked = options;
    checked.base_url = normalise_base_url(options.base_url);
    PublishStats stats;
    Site site{ws, checked, stats};
    site.build(index);
    return stats;
}

} // namespace async
