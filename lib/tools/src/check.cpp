#include <async/cadence.hpp>
#include <async/check.hpp>
#include <async/config.hpp>
#include <async/zones.hpp>
#include <async/dates.hpp>
#include <async/document.hpp>
#include <async/due.hpp>
#include <async/error.hpp>
#include <async/git.hpp>
#include <async/identity.hpp>
#include <async/index.hpp>
#include <async/layout.hpp>
#include <async/leave.hpp>
#include <async/watercooler.hpp>
#include <async/markdown.hpp>
#include <async/note.hpp>
#include <async/query.hpp>
#include <async/schema.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>


#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <map>
#include <optional>
#include <set>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>

namespace fs = std::filesystem;

namespace async {
namespace {

// Long values are cut in messages: a finding is one line.
std::string shown(std::string_view text) {
    if (text.size() <= 60) {
        return "'" + std::string{text} + "'";
    }
    std::size_t cut = 60;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
        --cut; // not inside a UTF-8 sequence
    }
    return "'" + std::string{text.substr(0, cut)} + "…'";
}

std::string lowercase_errno(int err) {
    std::string text = std::strerror(err);
    if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') {
        text[0] = static_cast<char>(text[0] - 'A' + 'a');
    }
    return text;
}

// Identity's comparison form: a file's handle is reported, never refused, here.
std::string normal_handle(std::string_view handle) {
    return handle_or_lower(handle);
}

struct Position {
    std::size_t line = 1;
    std::size_t column = 1;
};

struct LinkRef {
    std::string target;
    Position at;
};

// What one file's check found, and what the checks across files need from it.
struct FileResult {
    std::vector<Finding> findings;
    bool parsed = false;
    std::string id;
    Position id_at;
    std::vector<LinkRef> links;
    std::vector<LinkRef> file_links; // relative paths, as markdown's file_links
    std::string title;               // the front matter's, when it has one
    std::vector<LinkRef> wiki_links; // targets, as markdown's wiki_links
    bool foreign = false;            // YAML or no front matter: another tool's file
};

// "origin:L:C: message" from Document::parse as a finding at L:C.
Finding located_finding(const std::string& path, const std::string& what) {
    Finding f{path, 1, 1, Severity::error, what};
    std::string_view rest = what;
    if (!rest.starts_with(path + ":")) {
        return f;
    }
    rest.remove_prefix(path.size() + 1);
    auto number = [&rest](std::size_t& out) {
        std::size_t n = 0;
        std::size_t digits = 0;
        while (digits < rest.size() && is_ascii_digit(rest[digits]) && digits < 9) {
            n = n * 10 + static_cast<std::size_t>(rest[digits] - '0');
            ++digits;
        }
        if (digits == 0 || digits >= rest.size() || rest[digits] != ':') {
            return false;
        }
        rest.remove_prefix(digits + 1);
        out = n;
        return true;
    };
    std::size_t line = 0;
    std::size_t column = 0;
    if (number(line) && number(column)) {
        f.line = std::max<std::size_t>(line, 1);
        f.column = std::max<std::size_t>(column, 1);
        f.message = describe_toml_error(trim(rest));
    }
    return f;
}

class DocumentChecker {
public:
    DocumentChecker(std::string path, const std::vector<std::string>& team)
        : m_path(std::move(path)), m_team(team) {}

    FileResult run(std::string_view text) {
        if (auto line = find_merge_conflict(text)) {
            // The index skips the file until it is resolved (its parse asks the same question).
            add(Severity::error, {*line, 1}, "unresolved merge conflict");
            return std::move(m_result);
        }
        std::optional<Document> parsed;
        try {
            parsed = parse_workspace_document(text, m_path);
        } catch (const Error& e) {
            m_result.findings.push_back(located_finding(m_path, e.what()));
            return std::move(m_result);
        }
        const Document& doc = *parsed;
        m_doc = &doc;
        m_yaml = doc.front_matter_kind() == Document::FrontMatter::yaml;
        m_result.parsed = true;
        m_result.foreign = doc.front_matter_kind() != Document::FrontMatter::toml;
        if (doc.front_matter_kind() == Document::FrontMatter::none) {
            // The index reads it as a note (model/note): nothing is wrong with it.
            add(Severity::info, {1, 1}, "no front matter: indexed as a read-only note (async import adopts it)");
            DocumentNames names = names_of(doc, m_path, extract_markdown(doc.body()).headings);
            m_result.id = std::move(names.id);
            m_result.title = std::move(names.title);
            check_body(doc);
            return std::move(m_result);
        }
        m_result.title = doc.get_string("title").value_or("");
        for (const auto& info : doc.key_infos()) {
            m_keys.emplace(info.name, Key{info.kind, {info.line, info.column}});
        }
        check_front_matter();
        if (m_yaml) {
            // What the index stores for it: a note's id and title where the YAML has none.
            DocumentNames names = names_of(doc, m_path, extract_markdown(doc.body()).headings);
            if (m_result.id.empty()) {
                m_result.id = std::move(names.id);
            }
            m_result.title = std::move(names.title);
        }
        check_body(doc);
        return std::move(m_result);
    }

private:
    using ValueKind = Document::ValueKind;
    struct Key {
        ValueKind kind = ValueKind::other;
        Position at;
    };

    void add(Severity severity, Position at, std::string message) {
        m_result.findings.push_back(
            Finding{m_path, at.line, at.column, severity, std::move(message)});
    }

    const Key* key(std::string_view name) const {
        auto it = m_keys.find(std::string{name});
        return it == m_keys.end() ? nullptr : &it->second;
    }

    // The value of a key that must be a string, nullopt (and an error) when it is not.
    std::optional<std::string> string_value(std::string_view name, const Key& k) {
        if (k.kind == ValueKind::string) {
            return m_doc->get_string(name);
        }
        add(Severity::error, k.at, "'" + std::string{name} + "' must be a string");
        return std::nullopt;
    }

    void check_front_matter() {
        // A file with YAML front matter is another tool's (async reads it, never writes it): none
        // of async's keys is required, and a type async does not know makes it a note.
        for (auto name : k_required_keys) {
            if (!m_yaml && !key(name)) {
                add(Severity::error, {1, 1}, "missing required key '" + std::string{name} + "'");
            }
        }
        std::string type;
        if (const Key* k = key("type")) {
            if (auto v = string_value("type", *k)) {
                const auto& known = known_types();
                if (m_yaml && std::find(known.begin(), known.end(), *v) == known.end()) {
                    type = "note";
                } else if (std::find(known.begin(), known.end(), *v) == known.end()) {
                    std::string list;
                    for (const auto& t : known) {
                        list += (list.empty() ? "" : ", ") + t;
                    }
                    add(Severity::error, k->at,
                        "unknown type " + shown(*v) + " (one of " + list + ")");
                } else {
                    type = *v;
                }
            }
        }
        if (const Key* k = key("id")) {
            if (auto v = string_value("id", *k)) {
                m_result.id = *v;
                m_result.id_at = k->at;
                if (!is_id(*v)) {
                    add(Severity::error, k->at,
                        "'id' must be 8 characters of 0-9 and a-z, not " + shown(*v));
                }
            }
        }
        if (const Key* k = key("author")) {
            if (auto v = string_value("author", *k)) {
                if (trim(*v).empty()) {
                    add(Severity::error, k->at, "'author' is empty");
                } else {
                    check_person(normal_handle(*v), "author", k->at);
                }
            }
        }
        bool titled = is_titled_type(type);
        if (const Key* k = key("title")) {
            if (auto v = string_value("title", *k); v && titled && trim(*v).empty()) {
                add(Severity::error, k->at, "'title' is empty");
            }
        } else if (titled) {
            add(Severity::error, {1, 1},
                "missing required key 'title' (every " + type + " has one)");
        }
        if (const Key* k = key("status")) {
            if (auto v = string_value("status", *k); v && !is_status(*v)) {
                add(m_yaml ? Severity::warning : Severity::error, k->at,
                    "'status' must be draft, open or closed, not " + shown(*v));
            }
        }
        for (auto name : k_time_keys) {
            if (const Key* k = key(name)) {
                check_time(name, *k);
            }
        }
        for (auto name : k_list_keys) {
            if (const Key* k = key(name)) {
                check_list(name, *k);
            }
        }
        if (const Key* k = key("week")) {
            if (auto v = string_value("week", *k)) {
                try {
                    (void)parse_iso_week(*v);
                } catch (const Error&) {
                    add(Severity::error, k->at,
                        "'week' must be an ISO week such as 2026-W48, not " + shown(*v));
                }
            }
        }
        // A daily check-in names its day; other types may use "day" for anything.
        if (const Key* k = type == "checkin" ? key("day") : nullptr) {
            if (auto v = string_value("day", *k)) {
                auto period = parse_period(*v);
                if (!period || period->cadence != Cadence::daily) {
                    add(Severity::error, k->at, "'day' must be a date such as 2026-12-07, not " + shown(*v));
                }
            }
        }
    }

    void check_time(std::string_view name, const Key& k) {
        const std::string example = " such as 2026-11-26T10:15:00Z";
        if (k.kind == ValueKind::time) {
            return;
        }
        std::string label = "'" + std::string{name} + "'";
        if (auto s = k.kind == ValueKind::string ? m_doc->get_string(name) : std::nullopt) {
            if (m_doc->get_time(name) && m_yaml) {
                return; // YAML's quotes around a date-time are no mistake async can advise on
            }
            if (m_doc->get_time(name)) {
                add(Severity::warning, k.at,
                    label + " is a quoted string; write the date-time without quotes: " +
                        std::string{name} + " = " + *s);
            } else {
                add(Severity::error, k.at,
                    label + " must be a date-time" + example + ", not " + shown(*s));
            }
            return;
        }
        add(Severity::error, k.at, label + " must be a date-time" + example);
    }

    void check_list(std::string_view name, const Key& k) {
        std::string label = "'" + std::string{name} + "'";
        std::vector<std::string> values;
        if (k.kind == ValueKind::other_list) {
            add(Severity::error, k.at, label + " must be an array of strings");
            return;
        }
        if (k.kind == ValueKind::string_list) {
            values = m_doc->get_strings(name);
        } else if (k.kind == ValueKind::string && m_yaml) {
            values.push_back(m_doc->get_string(name).value_or("")); // `tags: web`: a list of one
        } else if (k.kind == ValueKind::string) {
            std::string s = m_doc->get_string(name).value_or("");
            add(Severity::warning, k.at,
                label + " is a string; write it as an array: " + std::string{name} + " = [" +
                    toml_quote(s) + "]");
            values.push_back(s);
        } else {
            add(Severity::error, k.at,
                label + " must be an array of strings such as [\"bob\", \"carol\"]");
            return;
        }
        if (std::find(std::begin(k_people_keys), std::end(k_people_keys), name) !=
            std::end(k_people_keys)) {
            for (const auto& v : values) {
                check_person(normal_handle(v), name, k.at);
            }
        }
    }

    bool in_team(const std::string& handle) const {
        return m_team.empty() || std::find(m_team.begin(), m_team.end(), handle) != m_team.end();
    }

    void check_person(const std::string& handle, std::string_view where, Position at) {
        if (where == "author" && handle == k_watercooler_author) {
            return; // the watercooler thread is the workspace's own
        }
        if (!handle.empty() && !in_team(handle)) {
            add(Severity::warning, at,
                "unknown person " + shown(handle) + " in '" + std::string{where} +
                    "' (no [people." + handle + "] in .async/config.toml)");
        }
    }

    // A place the Markdown parser reported in the body, as a place in the file.
    static Position in_file(const Document& doc, BodyPosition at) {
        if (at.line == 0) {
            return {doc.body_line(), 1};
        }
        return {doc.body_line() + at.line - 1, at.column};
    }

    void check_body(const Document& doc) {
        Extracted md = extract_markdown(doc.body());
        std::vector<std::string_view> lines = split_lines(doc.body());
        for (const auto& action : md.actions) {
            if (action.due) {
                continue;
            }
            check_action_due(action, doc, lines);
        }
        if (!m_team.empty()) {
            for (std::size_t i = 0; i < md.mentions.size(); ++i) {
                std::string h = normal_handle(md.mentions[i]);
                if (!in_team(h)) {
                    add(Severity::warning, in_file(doc, md.mention_positions[i]),
                        "unknown person '@" + h + "' (no [people." + h +
                            "] in .async/config.toml)");
                }
            }
        }
        for (std::size_t i = 0; i < md.links.size(); ++i) {
            m_result.links.push_back(LinkRef{md.links[i], in_file(doc, md.link_positions[i])});
        }
        for (std::size_t i = 0; i < md.file_links.size(); ++i) {
            m_result.file_links.push_back(LinkRef{md.file_links[i], in_file(doc, md.file_link_positions[i])});
        }
        for (std::size_t i = 0; i < md.wiki_links.size(); ++i) {
            m_result.wiki_links.push_back(LinkRef{md.wiki_links[i], in_file(doc, md.wiki_link_positions[i])});
        }
    }

    // A "due:" markdown did not read as a date: an impossible date is an error, anything else
    // (due:friday) a warning, since the action then has no due date.
    void check_action_due(const Action& action, const Document& doc,
                          const std::vector<std::string_view>& lines) {
        if (!action.unread_due) {
            return;
        }
        const std::string& value = *action.unread_due; // read by the index's Markdown parser
        std::size_t file_line = action.line + doc.body_line() - 1;
        Position pos{file_line, 1};
        if (action.line >= 1 && action.line <= lines.size()) {
            std::string line = to_lower_ascii(lines[action.line - 1]);
            if (auto col = line.find("due:"); col != std::string::npos) {
                pos.column = col + 1;
            }
        }
        UnreadDueProblem problem = unread_due_problem(value); // the index warns of the same
        add(problem.error ? Severity::error : Severity::warning, pos, std::move(problem.message));
    }

    std::string m_path;
    const Document* m_doc = nullptr;
    bool m_yaml = false; // the front matter is YAML
    const std::vector<std::string>& m_team;
    std::map<std::string, Key> m_keys;
    FileResult m_result;
};

FileResult check_transcript_text(const std::string& path, std::string_view text) {
    FileResult result;
    if (auto bad = find_invalid_utf8(text)) {
        auto at = line_col_at(text, *bad);
        result.findings.push_back(
            Finding{path, at.line, at.column, Severity::error,
                    text[*bad] == '\0' ? "NUL byte in file" : "invalid UTF-8"});
    }
    return result;
}

FileResult check_text(const std::string& path, FileKind kind, std::string_view text,
                      const std::vector<std::string>& team) {
    if (static_cast<std::int64_t>(text.size()) > k_max_file_size) {
        FileResult result;
        result.findings.push_back(Finding{path, 1, 1, Severity::error,
                                          too_large_message(static_cast<std::int64_t>(text.size()))});
        return result;
    }
    if (kind == FileKind::transcript) {
        return check_transcript_text(path, text);
    }
    return DocumentChecker{path, team}.run(text);
}

FileResult single_error(const std::string& path, std::string message) {
    FileResult result;
    result.findings.push_back(Finding{path, 1, 1, Severity::error, std::move(message)});
    return result;
}

// Reads and checks the file at root/rel from disk. Never blocks on a FIFO, never follows a
// symbolic link loop forever, never reads more than the limit.
FileResult check_disk_file(const fs::path& root, const std::string& rel, FileKind kind,
                           const std::vector<std::string>& team) {
    fs::path file = root / rel;
    OpenedFile opened = open_workspace_file(root, rel, O_NONBLOCK);
    if (opened.outside) {
        return single_error(rel, k_outside_link_problem);
    }
    int fd = opened.fd;
    if (fd < 0) {
        int err = opened.error;
        struct stat lst {};
        if (err == ELOOP) {
            return single_error(rel, "symbolic link loop");
        }
        if (err == ENOENT && ::lstat(file.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)) {
            return single_error(rel, "broken symbolic link (its target does not exist)");
        }
        struct stat target {};
        bool folder = ::stat(file.c_str(), &target) == 0 && S_ISDIR(target.st_mode);
        return single_error(
            rel, std::string{folder ? "cannot read the folder: " : "cannot read the file: "} +
                     lowercase_errno(err));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        int err = errno;
        ::close(fd);
        return single_error(rel, "cannot read the file: " + lowercase_errno(err));
    }
    if (S_ISDIR(st.st_mode)) {
        // Only folders the index could not open are listed as files.
        ::close(fd);
        if (DIR* dir = ::opendir(file.c_str())) {
            ::closedir(dir);
            return {};
        }
        return single_error(rel, "cannot read the folder: " + lowercase_errno(errno));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        return single_error(rel, "not a regular file");
    }
    if (st.st_size > k_max_file_size) {
        ::close(fd);
        return single_error(rel, too_large_message(st.st_size));
    }
    std::string text;
    text.resize(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    while (true) {
        if (got == text.size()) {
            text.resize(text.size() + 4096); // the file may have grown since fstat
        }
        ssize_t n = ::read(fd, text.data() + got, text.size() - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            int err = errno;
            ::close(fd);
            return single_error(rel, "cannot read the file: " + lowercase_errno(err));
        }
        if (n == 0) {
            break;
        }
        got += static_cast<std::size_t>(n);
        if (static_cast<std::int64_t>(got) > k_max_file_size) {
            ::close(fd);
            return single_error(rel, too_large_message(static_cast<std::int64_t>(got)));
        }
    }
    ::close(fd);
    text.resize(got);
    return check_text(rel, kind, text, team);
}

// What the index makes of a workspace-relative path: a document, a transcript, or nothing.
// A .txt is a transcript when its audio or video file is staged or on disk.
std::optional<FileKind> indexed_kind(const fs::path& root, const std::string& rel,
                                     const std::set<std::string>& staged) {
    FileKind kind = classify(rel, [&](std::string_view sibling) {
        std::string path{sibling};
        std::error_code ec;
        return staged.count(path) > 0 || fs::exists(root / path, ec);
    });
    if (!is_indexed(kind)) {
        return std::nullopt;
    }
    return kind == FileKind::transcript ? FileKind::transcript : FileKind::document;
}

bool in_scope(const std::string& path, const std::vector<std::string>& scope) {
    if (scope.empty()) {
        return true;
    }
    return std::any_of(scope.begin(), scope.end(), [&](const std::string& s) {
        return s.empty() || path == s ||
               (path.size() > s.size() && path.starts_with(s) && path[s.size()] == '/');
    });
}

struct Checked {
    std::string path;
    FileResult result;
};

// A file to check and what the index says of it.
struct Wanted {
    std::optional<FileKind> kind; // nullopt: named, but no document
    std::string problem;          // why the index skipped it, if it did
    bool known = false;           // the index has it
};

std::vector<Checked> check_working_tree(const Workspace& ws, Index& index,
                                        const std::vector<std::string>& scope,
                                        const std::vector<std::string>& team) {
    const fs::path& root = ws.root();
    std::vector<IndexedFile> files = indexed_files(index);
    std::map<std::string, Wanted> wanted;
    bool everything = scope.empty() || std::find(scope.begin(), scope.end(), "") != scope.end();
    std::vector<std::string> folders;
    for (const auto& path : scope) {
        if (path.empty()) {
            continue;
        }
        struct stat st {};
        if (::stat((root / path).c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
            folders.push_back(path);
        } else {
            wanted[path].kind = indexed_kind(root, path, {});
        }
    }
    for (const auto& f : files) {
        bool named = wanted.count(f.path) > 0;
        if (named || everything || (!folders.empty() && in_scope(f.path, folders))) {
            wanted[f.path] = Wanted{f.transcript ? FileKind::transcript : FileKind::document, f.problem, true};
        }
    }
    std::vector<Checked> out;
    for (const auto& [path, want] : wanted) {
        if (!want.kind) {
            FileResult r;
            r.findings.push_back(
                Finding{path, 1, 1, Severity::warning,
                        "not checked: not a workspace document (those are .md files under docs/, "
                        "meetings/, checkins/ and people/)"});
            out.push_back(Checked{path, std::move(r)});
            continue;
        }
        if (auto why = want.known ? std::nullopt : unreached_problem(path)) {
            out.push_back(Checked{path, single_error(path, "not indexed: " + *why)});
            continue;
        }
        FileResult result = check_disk_file(root, path, *want.kind, team);
        bool failed = std::any_of(result.findings.begin(), result.findings.end(),
                                  [](const Finding& f) { return f.severity == Severity::error; });
        if (!failed && !want.problem.empty()) {
            // What the index skipped is an error here, even where reading it again finds nothing
            // (a folder it would not walk).
            result.findings.push_back(Finding{path, 1, 1, Severity::error, want.problem});
        }
        out.push_back(Checked{path, std::move(result)});
    }
    return out;
}

std::vector<Checked> check_staged(const Workspace& ws, const std::vector<std::string>& scope,
                                  const std::vector<std::string>& team,
                                  std::vector<std::string>& deleted) {
    std::vector<StagedFile> staged =
        staged_files(ws.root(), "run 'git init' there, or run 'async check' without --staged");
    std::set<std::string> staged_paths;
    for (const auto& entry : staged) {
        if (entry.status != 'D') {
            staged_paths.insert(entry.path);
        }
    }
    std::vector<Checked> out;
    for (const auto& entry : staged) {
        const std::string& path = entry.path;
        if (entry.status == 'D') {
            deleted.push_back(path);
            continue;
        }
        if (!in_scope(path, scope)) {
            continue;
        }
        auto kind = indexed_kind(ws.root(), path, staged_paths);
        if (!kind || entry.mode == "160000") {
            continue;
        }
        if (auto why = unreached_problem(path)) {
            out.push_back(Checked{path, single_error(path, "not indexed: " + *why)});
            continue;
        }
        if (entry.mode == "120000") {
            // A symbolic link: what it points to is checked where it is.
            out.push_back(Checked{path, check_disk_file(ws.root(), path, *kind, team)});
            continue;
        }
        auto blob = read_blob(ws.root(), entry.blob);
        if (!blob) {
            throw Error{ErrorKind::environment,
                        "cannot read the staged version of '" + path + "' from git"};
        }
        out.push_back(Checked{path, check_text(path, *kind, *blob, team)});
    }
    return out;
}

std::string others_list(const std::vector<std::string>& paths, const std::string& self) {
    std::vector<std::string> others;
    for (const auto& p : paths) {
        if (p != self) {
            others.push_back(p);
        }
    }
    std::string out;
    std::size_t shown_count = std::min<std::size_t>(others.size(), 3);
    for (std::size_t i = 0; i < shown_count; ++i) {
        out += (i == 0                                       ? "'"
                : i + 1 == shown_count && others.size() <= 3 ? " and '"
                                                             : ", '") +
               others[i] + "'";
    }
    if (others.size() > 3) {
        out += " and " + std::to_string(others.size() - 3) + " more";
    }
    return out;
}

void check_across_files(Index& index, std::vector<Checked>& checked,
                        const std::vector<std::string>& deleted) {
    // Which file has which id: the index (the working tree), with the checked versions and the
    // staged deletions applied.
    std::unordered_map<std::string, LinkableDoc> doc_at;
    for (auto& doc : document_ids(index)) {
        std::string path = doc.path;
        doc_at.emplace(std::move(path), std::move(doc));
    }
    for (const auto& path : deleted) {
        doc_at.erase(path);
    }
    for (const auto& c : checked) {
        if (c.result.parsed) {
            LinkableDoc& doc = doc_at[c.path];
            doc.path = c.path;
            doc.id = c.result.id;
            if (!c.result.title.empty()) {
                doc.title = c.result.title;
            }
        }
    }
    std::map<std::string, std::vector<std::string>> paths_of;
    std::vector<LinkableDoc> docs;
    for (const auto& [path, doc] : doc_at) {
        if (!doc.id.empty()) {
            paths_of[doc.id].push_back(path);
        }
        docs.push_back(doc);
    }
    LinkTargets targets{docs};
    for (auto& [id, paths] : paths_of) {
        std::sort(paths.begin(), paths.end());
    }
    for (auto& c : checked) {
        FileResult& r = c.result;
        if (!r.parsed) {
            continue;
        }
        if (!r.id.empty()) {
            const auto& same = paths_of[r.id];
            if (same.size() > 1) {
                r.findings.push_back(Finding{c.path, r.id_at.line, r.id_at.column, Severity::error,
                                             "duplicate id " + shown(r.id) + " (also in " +
                                                 others_list(same, c.path) + ")"});
            }
        }
        for (const auto& link : r.links) {
            // paths_of is sorted by id: the ids a target is a prefix of are consecutive.
            std::size_t matches = 0;
            for (auto it = paths_of.lower_bound(link.target);
                 it != paths_of.end() && it->first.starts_with(link.target); ++it) {
                ++matches;
            }
            if (matches == 1) {
                continue;
            }
            bool number = std::all_of(link.target.begin(), link.target.end(), is_ascii_digit);
            if (matches == 0) {
                // "#1234" is more often an issue number than a document id, and another tool's
                // file means an anchor (an RFC's <a name="overload">) more often than an id.
                r.findings.push_back(
                    Finding{c.path, link.at.line, link.at.column,
                            number || r.foreign ? Severity::warning : Severity::error,
                            "broken link '#" + link.target + "': no document has this id"});
            } else {
                r.findings.push_back(
                    Finding{c.path, link.at.line, link.at.column, Severity::warning,
                            "ambiguous link '#" + link.target + "': " + std::to_string(matches) +
                                " documents have ids starting with it; use the full id"});
            }
        }
        for (const auto& link : r.wiki_links) {
            std::vector<std::string> to = targets.resolve(LinkKind::wiki, link_key(LinkKind::wiki, link.target, c.path));
            if (to.size() == 1) {
                continue;
            }
            std::sort(to.begin(), to.end());
            r.findings.push_back(Finding{
                c.path, link.at.line, link.at.column, Severity::warning,
                to.empty() ? "broken link '[[" + link.target + "]]': no document has this id, title or file name"
                           : "ambiguous link '[[" + link.target + "]]': " + std::to_string(to.size()) +
                                 " documents have this title or file name (" + others_list(to, {}) +
                                 "); use an id"});
        }
    }
}

// A relative link resolves against the folder of the file that holds it, on disk (a file the
// link names but nobody added yet is missing for every reader of the repository too).
void check_file_links(const Workspace& ws, std::vector<Checked>& checked) {
    for (auto& c : checked) {
        for (const auto& link : c.result.file_links) {
            fs::path target = (ws.root() / fs::path{c.path}.parent_path() / link.target).lexically_normal();
            std::error_code ec;
            if (!fs::exists(target, ec)) {
                c.result.findings.push_back(Finding{c.path, link.at.line, link.at.column, Severity::warning,
                                                    "link to a missing file: " + link.target});
            }
        }
    }
}

std::vector<std::string> team_of(const Config& config) {
    std::vector<std::string> team;
    for (const auto& person : config.people()) {
        team.push_back(normal_handle(person.handle));
    }
    std::sort(team.begin(), team.end());
    return team;
}

// away.toml files leave skips (malformed, hostile, too large) and team members outside
// [people.HANDLE] (once the team is listed), as warnings: neither stops a command.
void check_absences_and_teams(const Workspace& ws, const Config& config, const std::vector<std::string>& people,
                              const std::vector<std::string>& scope, std::vector<Finding>& findings) {
    for (const auto& p : load_absences(ws).problems) {
        if (in_scope(p.path, scope)) {
            findings.push_back(Finding{p.path, static_cast<std::size_t>(std::max(p.line, 1)),
                                       static_cast<std::size_t>(std::max(p.column, 1)), Severity::warning,
                                       p.message + " (the absence is ignored)"});
        }
    }
    std::string config_rel = ".async/config.toml";
    if (people.empty() || !in_scope(config_rel, scope)) {
        return;
    }
    for (const auto& team : config.teams()) {
        for (const auto& member : team.members) {
            if (!std::binary_search(people.begin(), people.end(), normal_handle(member))) {
                findings.push_back(Finding{config_rel, 1, 1, Severity::warning,
                                           "team '" + team.name + "' names '" + member +
                                               "', who has no [people." + member + "] table"});
            }
        }
    }
}

} // namespace

std::string_view to_string(Severity severity) {
    switch (severity) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::info: break;
    }
    return "info";
}

std::string resolve_check_path(const Workspace& ws, const fs::path& cwd, std::string_view arg,
                               bool must_exist) {
    fs::path given{std::string{arg}};
    fs::path abs = (given.is_absolute() ? given : cwd / given).lexically_normal();
    if (!abs.has_filename() && abs != abs.root_path()) {
        abs = abs.parent_path(); // "docs/" is "docs"
    }
    std::error_code ec;
    fs::path root = fs::weakly_canonical(ws.root(), ec);
    if (ec) {
        root = ws.root().lexically_normal();
    }
    fs::path full = abs;
    if (abs != abs.root_path()) {
        fs::path parent = fs::weakly_canonical(abs.parent_path(), ec);
        full = (ec ? abs.parent_path() : parent) / abs.filename();
    }
    fs::path rel = full.lexically_relative(root);
    if (rel.empty() || *rel.begin() == "..") {
        throw Error{ErrorKind::usage,
                    "'" + std::string{arg} + "' is outside the workspace '" + root.string() + "'",
                    "name files or folders inside the workspace"};
    }
    if (must_exist && fs::symlink_status(full, ec).type() == fs::file_type::not_found) {
        throw Error{ErrorKind::usage, "no such file or folder '" + std::string{arg} + "'"};
    }
    std::string out = rel.generic_string();
    return out == "." ? std::string{} : out;
}

std::vector<Finding> check_document_text(std::string_view path, std::string_view text,
                                         const std::vector<std::string>& team) {
    std::vector<std::string> normal;
    for (const auto& handle : team) {
        normal.push_back(normal_handle(handle));
    }
    return check_text(std::string{path}, FileKind::document, text, normal).findings;
}

namespace {

// A person's tz that names no time zone is ignored (their reminders follow the local zone), and
// said here.
void append_time_zone_findings(const Config& config, std::vector<Finding>& findings) {
    bool any = false;
    for (const auto& person : config.people()) {
        any = any || config.get("people." + person.handle + ".tz").has_value();
    }
    if (!any) {
        return; // libical is loaded only when someone has a tz
    }
    for (const auto& [handle, tz] : unknown_time_zones(config)) {
        Finding f;
        f.path = ".async/config.toml";
        f.severity = Severity::warning;
        f.message = "unknown time zone '" + tz + "' for people." + handle +
                    ".tz (an IANA name like Europe/Berlin); it is ignored";
        findings.push_back(std::move(f));
    }
}

} // namespace

std::vector<Finding> check_workspace(const Workspace& ws, const Config& config, Index& index,
                                     const CheckRequest& request) {
    std::vector<std::string> team = team_of(config);
    std::vector<std::string> deleted;
    // The index's own questions (indexed_files, document_ids) throw Error{data} when it is damaged.
    std::vector<Checked> checked = request.source == CheckSource::staged
                                       ? check_staged(ws, request.paths, team, deleted)
                                       : check_working_tree(ws, index, request.paths, team);
    check_across_files(index, checked, deleted);
    check_file_links(ws, checked);
    std::vector<Finding> findings;
    if (request.source == CheckSource::working_tree) {
        check_absences_and_teams(ws, config, team, request.paths, findings);
    }
    if (request.paths.empty() && request.source != CheckSource::staged) {
        append_time_zone_findings(config, findings);
    }
    for (auto& c : checked) {
        for (auto& f : c.result.findings) {
            findings.push_back(std::move(f));
        }
    }
    std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
        return std::tie(a.path, a.line, a.column) < std::tie(b.path, b.line, b.column);
    });
    return findings;
}

} // namespace async
