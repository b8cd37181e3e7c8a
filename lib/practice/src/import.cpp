#include <async/import.hpp>

#include <async/config.hpp>
#include <async/dates.hpp>
#include <async/document.hpp>
#include <async/error.hpp>
#include <async/git.hpp>
#include <async/identity.hpp>
#include <async/index.hpp>
#include <async/layout.hpp>
#include <async/markdown.hpp>
#include <async/note.hpp>
#include <async/query.hpp>
#include <async/schema.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>
#include <async/writing.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <set>

#include <unordered_map>

#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace async {

namespace {

constexpr std::size_t k_max_field = 500;
constexpr int k_max_walk_depth = 32;

// text on one line, without controls, at most k_max_field bytes, never cutting a character.
std::string clean_field(std::string_view text) {
    std::string out = one_line(strip_controls(text, Newlines::flatten));
    if (out.size() > k_max_field) {
        std::size_t cut = k_max_field;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) {
            --cut;
        }
        out.resize(cut);
    }
    return out;
}

bool is_fence_line(std::string_view line) {
    line = trim(line);
    return line.starts_with("```") || line.starts_with("~~~");
}

bool starts_with_word(std::string_view text, std::string_view word) {
    return to_lower_ascii(text.substr(0, word.size())) == word;
}

} // namespace

std::optional<AdrRecord> parse_adr(std::string_view file_name, std::string_view text) {
    // adr-tools names its records NNNN-slug.md.
    if (file_name.size() < 9 || !file_name.ends_with(".md") || file_name[4] != '-') {
        return std::nullopt;
    }
    for (int i = 0; i < 4; ++i) {
        if (!is_ascii_digit(file_name[static_cast<std::size_t>(i)])) {
            return std::nullopt;
        }
    }
    AdrRecord adr;
    adr.number = std::stoi(std::string{file_name.substr(0, 4)});
    bool titled = false, has_status = false, in_fence = false, seen_section = false;
    enum class Status { before, blank, paragraph, done } status = Status::before;
    std::string status_text;
    for (std::string_view line : split_lines(text)) {
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        if (is_fence_line(line)) {
            in_fence = !in_fence;
            if (status == Status::blank || status == Status::paragraph) {
                status = Status::done;
            }
            continue;
        }
        if (in_fence) {
            continue;
        }
        if (status == Status::blank || status == Status::paragraph) {
            if (line.starts_with('#')) {
                status = Status::done;
            } else if (trim(line).empty()) {
                if (status == Status::paragraph) {
                    status = Status::done;
                }
            } else {
                status = Status::paragraph;
                status_text += std::string{trim(line)} + " ";
            }
            continue;
        }
        if (!titled && line.starts_with("# ")) {
            std::string_view heading = trim(line.substr(2));
            // "N. Title": the number is the file's, the rest is the title.
            std::size_t digits = 0;
            while (digits < heading.size() && is_ascii_digit(heading[digits])) {
                ++digits;
            }
            if (digits > 0 && digits < heading.size() && heading[digits] == '.') {
                heading = trim(heading.substr(digits + 1));
            }
            adr.title = clean_field(heading);
            titled = true;
            continue;
        }
        if (line.starts_with("## ")) {
            seen_section = true;
            if (!has_status && to_lower_ascii(trim(line.substr(3))) == "status") {
                has_status = true;
                status = Status::blank;
            }
            continue;
        }
        if (!seen_section && !adr.date && starts_with_word(line, "date:")) {
            std::string_view value = trim(line.substr(5));
            if (has_iso_date_shape(value)) {
                adr.date = std::string{value};
            }
        }
    }
    if (!titled || (!has_status && !adr.date)) {
        return std::nullopt;
    }
    adr.status = clean_field(status_text);
    return adr;
}

std::string status_of_adr(std::string_view adr_status) {
    std::string s = to_lower_ascii(trim(adr_status));
    for (std::string_view word : {"accepted", "rejected", "deprecated", "superseded", "superceded"}) {
        if (s.starts_with(word)) {
            return "closed";
        }
    }
    if (s.starts_with("draft")) {
        return "draft";
    }
    return "open";
}

std::string import_hash(std::string_view bytes) {
    return "fnv1a64:" + leading_hex(fnv1a_64({bytes}, k_fnv1a_offset_basis), 16);
}

namespace {

struct PastImport {
    std::string origin;
    std::string hash;
    std::string file_name; // of the origin
    fs::path path;         // the document, absolute
    std::string id, type, title, author, status;
    std::optional<TimePoint> created;
};

std::vector<PastImport> past_imports(Index& index, const Workspace& ws) {
    std::vector<PastImport> out;
    ListFilter filter;
    for (const auto& doc : list_documents(index, filter)) {
        if (!doc.path.starts_with(std::string{k_docs} + "/")) {
            continue;
        }
        try {
            Document d = read_document(ws.root(), doc.path);
            auto origin = d.get_string("imported_from");
            if (!origin) {
                continue;
            }
            out.push_back({*origin, d.get_string("imported_hash").value_or(""), fs::path{*origin}.filename().string(),
                           ws.root() / doc.path, doc.id, doc.type, doc.title, doc.author, doc.status, doc.created});
        } catch (const Error&) {
            // A document that cannot be read now records nothing we could compare.
        }
    }
    return out;
}

// Where path is, as imported_from records it: workspace-relative inside the workspace, else
// absolute; symbolic links of its folders resolved so two spellings of one file agree.
std::string origin_of(const fs::path& path, const Workspace& ws) {
    std::error_code ec;
    fs::path parent = fs::weakly_canonical(path.parent_path(), ec);
    if (ec) {
        parent = path.parent_path().lexically_normal();
    }
    fs::path full = parent / path.filename();
    fs::path root = fs::weakly_canonical(ws.root(), ec);
    if (ec) {
        root = ws.root();
    }
    fs::path rel = full.lexically_relative(root);
    if (!rel.empty() && *rel.begin() != "..") {
        return rel.generic_string();
    }
    return full.generic_string();
}

bool is_under(const std::string& origin, const std::string& folder) {
    return folder.empty() || origin.starts_with(folder.ends_with('/') ? folder : folder + "/");
}

fs::path canonical_or_self(const fs::path& p) {
    std::error_code ec;
    fs::path c = fs::weakly_canonical(p, ec);
    return ec ? p : c;
}

// True when path is top or below it (both absolute, as they are spelled).
bool is_inside(const fs::path& path, const fs::path& top) {
    fs::path rel = path.lexically_relative(top);
    return !rel.empty() && *rel.begin() != "..";
}

// A key TOML writes bare, so a page's own key is copied without quoting.
bool is_bare_key(std::string_view key) {
    if (key.empty() || key.size() > 64) {
        return false;
    }
    return std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

bool is_markdown_name(const fs::path& p) {
    return to_lower_ascii(p.extension().string()) == ".md";
}

void walk(const fs::path& dir, int depth, const fs::path& skip, std::vector<fs::path>& out) {
    if (depth > k_max_walk_depth) {
        return;
    }
    std::vector<fs::directory_entry> entries;
    std::error_code ec;
    for (fs::directory_iterator it{dir, ec}, end; !ec && it != end; it.increment(ec)) {
        entries.push_back(*it);
    }
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });
    for (const auto& e : entries) {
        std::string name = e.path().filename().string();
        if (name.starts_with('.') || e.path() == skip) {
            continue;
        }
        std::error_code sec;
        if (e.is_symlink(sec)) {
            continue;
        }
        if (e.is_directory(sec)) {
            walk(e.path(), depth + 1, skip, out);
        } else if (e.is_regular_file(sec) && is_markdown_name(e.path())) {
            out.push_back(e.path());
        }
    }
}

std::string first_line_of(std::string_view text) {
    return std::string{trim(text.substr(0, text.find('\n')))};
}

std::optional<std::string> valid_handle(std::string_view text) {
    try {
        return normalize_handle(text);
    } catch (const Error&) {
        return std::nullopt;
    }
}

// The keys an import writes itself; a YAML page's keys of these names are read, not copied.
bool is_own_key(std::string_view key) {
    for (std::string_view k : {"id", "type", "title", "author", "authors", "created", "date", "status", "tags",
                               "due", "adr_status", "imported_from", "imported_hash"}) {
        if (key == k) {
            return true;
        }
    }
    return false;
}

// A planning step's view of the workspace: which bundle names are taken (on disk or earlier in
// this run), for --dry-run's destinations.
fs::path planned_bundle(const Workspace& ws, TimePoint created, std::string_view slug, std::set<fs::path>& taken) {
    std::string base = format_local_date(created) + "-" + std::string{slug};
    for (int n = 1; n < 10000; ++n) {
        fs::path dir = ws.root() / k_docs / (n == 1 ? base : base + "-" + std::to_string(n));
        std::error_code ec;
        if (taken.contains(dir) || fs::exists(fs::symlink_status(dir, ec))) {
            continue;
        }
        taken.insert(dir);
        return dir / k_bundle_file;
    }
    throw Error{ErrorKind::data, "too many documents named '" + base + "' in '" + std::string{k_docs} + "'"};
}

struct Prepared {
    Document doc;
    ImportItem item;
};

class Importer {
public:
    Importer(const Session& session, Index& index, const ImportRequest& request)
        : m_session(session), m_ws(session.workspace), m_request(request), m_past(past_imports(index, m_ws)) {
        try {
            m_repo = find_git_repository(m_ws.root());
        } catch (const Error&) {
            m_repo.reset(); // no git: everything is copied
        }
    }

    std::vector<ImportItem> run() {
        std::vector<ImportItem> out;
        std::vector<fs::path> files;
        std::set<std::string> seen;
        // Every source is checked before anything is written.
        for (const auto& given : m_request.sources) {
            fs::path source = fs::absolute(given).lexically_normal();
            if (source.has_filename() == false) {
                source = source.parent_path();
            }
            std::error_code ec;
            auto st = fs::status(source, ec);
            std::string origin = origin_of(source, m_ws);
            if (!fs::exists(st)) {
                bool known = false;
                for (const auto& p : m_past) {
                    if (p.origin == origin || is_under(p.origin, origin)) {
                        known = true;
                        if (seen.insert(p.origin).second) {
                            out.push_back(already(p, m_ws.root() / p.origin));
                        }
                    }
                }
                if (!known) {
                    throw Error{ErrorKind::no, "'" + sanitize_for_terminal(given.string(), Newlines::flatten) + "' does not exist"};
                }
                continue;
            }
            if (fs::is_directory(st)) {
                // Files moved away by an earlier run (git mv) are still this folder's.
                for (const auto& p : m_past) {
                    if (is_under(p.origin, origin) && seen.insert(p.origin).second) {
                        out.push_back(already(p, m_ws.root() / p.origin));
                    }
                }
                std::vector<fs::path> found;
                walk(source, 0, m_ws.root() / ".async", found);
                files.insert(files.end(), found.begin(), found.end());
            } else {
                files.push_back(source);
            }
        }
        std::set<fs::path> taken;
        for (const auto& file : files) {
            std::string origin = origin_of(file, m_ws);
            if (!seen.insert(origin).second) {
                continue;
            }
            ImportItem item = import_one(file, origin, taken);
            out.push_back(std::move(item));
        }
        return out;
    }

private:
    static ImportItem already(const PastImport& p, const fs::path& source) {
        ImportItem item;
        item.source = source;
        item.origin = p.origin;
        item.result = ImportResult::already_imported;
        item.destination = p.path;
        item.id = p.id;
        item.type = p.type;
        item.title = p.title;
        item.author = p.author;
        item.status = p.status;
        if (p.created) {
            item.created = *p.created;
        }
        return item;
    }

    ImportItem skipped(const fs::path& file, const std::string& origin, std::string reason) {
        ImportItem item;
        item.source = file;
        item.origin = origin;
        item.result = ImportResult::skipped;
        item.reason = std::move(reason);
        return item;
    }

    ImportItem import_one(const fs::path& file, const std::string& origin, std::set<fs::path>& taken) {
        std::string text;
        try {
            std::error_code ec;
            if (!fs::is_regular_file(file, ec)) {
                return skipped(file, origin, "not a regular file"); // a FIFO would never end
            }
            auto size = fs::file_size(file, ec);
            if (!ec && size > static_cast<std::uintmax_t>(k_max_file_size)) {
                return skipped(file, origin, "larger than 4 MiB");
            }
            text = read_file(file);
        } catch (const Error& e) {
            return skipped(file, origin, e.what());
        }
        std::string hash = import_hash(text);
        std::string name = file.filename().string();
        for (const auto& p : m_past) {
            if (p.origin == origin || (p.hash == hash && p.file_name == name) ||
                canonical_or_self(p.path) == canonical_or_self(file)) {
                return already(p, file);
            }
        }
        ImportItem item;
        item.source = file;
        item.origin = origin;
        Document doc;
        try {
            doc = build(file, text, item);
        } catch (const Error& e) {
            return skipped(file, origin, e.what());
        }
        doc.set_string("imported_from", origin);
        doc.set_string("imported_hash", hash);
        // What is written must read back as written: the body unchanged, the keys ours.
        try {
            Document check = Document::parse(doc.render(), origin);
            if (check.get_string("imported_hash") != hash) {
                return skipped(file, origin, "its text does not survive a new front matter");
            }
        } catch (const Error& e) {
            return skipped(file, origin, e.what());
        }
        item.method = ImportMethod::copy;
        fs::path real = canonical_or_self(file);
        if (m_repo && is_inside(real, m_repo->top) && is_tracked(m_repo->top, real)) {
            item.method = ImportMethod::git_move;
        }
        std::string slug = slugify(item.title.empty() ? file.stem().string() : item.title);
        if (m_request.dry_run) {
            item.destination = planned_bundle(m_ws, item.created, slug, taken);
            item.result = ImportResult::planned;
            return item;
        }
        if (item.method == ImportMethod::copy) {
            item.destination = write_new_bundle(m_ws, k_docs, item.created, slug, doc);
        } else {
            fs::path dir = claim_bundle_folder(m_ws, k_docs, item.created, slug);
            fs::path dest = dir / k_bundle_file;
            try {
                git_move(m_repo->top, real, canonical_or_self(dir) / k_bundle_file);
            } catch (...) {
                ::rmdir(dir.c_str());
                throw;
            }
            write_file_atomic(dest, doc.render());
            item.destination = dest;
        }
        item.result = ImportResult::imported;
        return item;
    }

    // The document to write for file's text, item filled with what it says.
    Document build(const fs::path& file, std::string_view text, ImportItem& item) {
        std::string_view content = text;
        if (content.starts_with("\xEF\xBB\xBF")) {
            content.remove_prefix(3);
        }
        std::string first = first_line_of(content);
        if (first == "+++") {
            return from_toml(Document::parse(text, item.origin), item);
        }
        if (auto bad = find_invalid_utf8(content)) {
            auto at = line_col_at(content, *bad);
            throw Error{ErrorKind::data, std::to_string(at.line) + ":" + std::to_string(at.column) + ": " +
                                             (content[*bad] == '\0' ? "NUL byte in file" : "invalid UTF-8")};
        }
        if (first == "---") {
            // YAML front matter: read through Document like any front matter.
            return from_yaml(Document::parse(text, item.origin), item);
        }
        Document doc = Document::from_parts("", std::string{content});
        std::optional<TimePoint> created;
        std::optional<std::string> author;
        if (auto adr = parse_adr(file.filename().string(), content)) {
            item.kind = "adr";
            item.type = "decision";
            item.title = adr->title;
            item.adr_status = adr->status;
            item.status = status_of_adr(adr->status);
            if (adr->date) {
                try {
                    created = parse_human_date(*adr->date, m_session.now, DateRole::start);
                } catch (const Error&) {
                    created.reset(); // 2017-02-30: the date is not one
                }
            }
        } else {
            item.kind = "markdown";
            item.type = "doc";
            item.status = "open";
            item.title = clean_field(note_title(file.string(), extract_markdown(content).headings));
        }
        if (item.title.empty()) {
            item.title = clean_field(file.stem().string());
        }
        fill_history(file, created, author, item);
        write_own_keys(item, doc);
        if (item.kind == "adr") {
            doc.set_string("adr_status", item.adr_status);
        }
        return doc;
    }

    // The keys async owns, as item says them, and a new id (a copy must not share its id with
    // the document it was copied from).
    static void write_own_keys(ImportItem& item, Document& doc) {
        item.id = new_id();
        doc.set_string("id", item.id);
        doc.set_string("type", item.type);
        doc.set_string("title", item.title);
        doc.set_string("author", item.author);
        doc.set_time("created", item.created);
        doc.set_string("status", item.status);
    }

    // created and author from what the file said, else git's first commit, else the file's
    // mtime and me.
    void fill_history(const fs::path& file, std::optional<TimePoint> created, std::optional<std::string> author,
                      ImportItem& item) {
        if (!created || !author) {
            fs::path real = canonical_or_self(file);
            if (m_repo && is_inside(real, m_repo->top)) {
                if (!m_additions) {
                    // One git log for every file of the import, not one per file.
                    m_additions = first_additions(m_repo->top, {});
                }
                auto first = m_additions->find(real.lexically_relative(m_repo->top).generic_string());
                if (first != m_additions->end()) {
                    if (!created) {
                        created = first->second.authored;
                    }
                    if (!author) {
                        author = handle_for_email(m_session.config, first->second.email);
                    }
                }
            }
        }
        if (!created) {
            struct stat st{};
            created = ::stat(file.c_str(), &st) == 0 ? TimePoint{std::chrono::seconds{st.st_mtime}} : m_session.now;
        }
        item.created = *created;
        item.author = author.value_or(m_session.me);
    }

    // What src's front matter (TOML, or YAML as Document reads it: `date` for created, the
    // first of `authors` for author) says, made async's and written into doc: a known type of
    // its own (else doc; a note is what async calls a file it did not write), the title (else
    // a note's), created and author (else history's), the status (else open), a new id.
    void adopt_front_matter(const Document& src, ImportItem& item, Document& doc) {
        item.kind = "document";
        std::string type = src.get_string("type").value_or("doc");
        const auto& types = known_types();
        if (type == k_note_type || std::find(types.begin(), types.end(), type) == types.end() ||
            is_child_type(type)) {
            type = "doc";
        }
        item.type = type;
        item.title = clean_field(src.get_string("title").value_or(""));
        if (item.title.empty()) {
            item.title = clean_field(note_title(item.source.string(), extract_markdown(src.body()).headings));
        }
        if (item.title.empty()) {
            item.title = clean_field(item.source.stem().string());
        }
        std::optional<std::string> author;
        if (auto a = src.get_string("author")) {
            author = valid_handle(*a);
        }
        fill_history(item.source, src.get_time("created"), author, item);
        item.status = src.get_string("status").value_or("open");
        if (!is_status(item.status)) {
            item.status = "open";
        }
        write_own_keys(item, doc);
    }

    Document from_toml(Document doc, ImportItem& item) {
        if (doc.has("id") && origin_is_inside(item.origin)) {
            throw Error{ErrorKind::data, "already an async document"};
        }
        Document source = doc;
        adopt_front_matter(source, item, doc);
        return doc;
    }

    Document from_yaml(const Document& yaml, ImportItem& item) {
        Document doc = Document::from_parts("", yaml.body());
        adopt_front_matter(yaml, item, doc);
        if (auto tags = yaml.get_strings("tags"); !tags.empty()) {
            doc.set_strings("tags", tags);
        }
        if (auto due = yaml.get_time("due")) {
            doc.set_time("due", *due);
        }
        for (const auto& info : yaml.key_infos()) {
            const std::string& key = info.name;
            if (is_own_key(key) || !is_bare_key(key)) {
                continue;
            }
            try {
                // A list stays a list and a scalar a scalar ("publish: false" is no ["false"]).
                if (info.kind == Document::ValueKind::string_list) {
                    doc.set_strings(key, yaml.get_strings(key));
                } else if (auto value = yaml.get_string(key)) {
                    doc.set_string(key, *value);
                }
            } catch (const Error&) {
                // A key TOML cannot name stays in the original (moved with its history, or
                // left where it was).
            }
        }
        return doc;
    }

    bool origin_is_inside(const std::string& origin) const {
        return !origin.starts_with('/');
    }

    const Session& m_session;
    const Workspace& m_ws;
    const ImportRequest& m_request;
    std::vector<PastImport> m_past;
    std::optional<GitRepository> m_repo;
    std::optional<std::unordered_map<std::string, FileAddition>> m_additions; // asked once
};

} // namespace

std::vector<ImportItem> import_files(const Session& session, Index& index, const ImportRequest& request) {
    return Importer{session, index, request}.run();
}

} // namespace async
