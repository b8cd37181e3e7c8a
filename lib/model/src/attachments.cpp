#include <async/attachments.hpp>
#include <async/markdown.hpp>
#include <async/document.hpp>
#include <async/error.hpp>
#include <async/html.hpp>
#include <async/layout.hpp>
#include <async/lock.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <fcntl.h>
#include <optional>
#include <set>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace fs = std::filesystem;

namespace async {
namespace {

std::string shown(const fs::path& path) {
    return sanitize_for_terminal(path.string(), Newlines::flatten);
}

Error refused(const fs::path& source, const std::string& why, std::string hint = {}) {
    return Error{ErrorKind::usage, "cannot attach '" + shown(source) + "': " + why, std::move(hint)};
}

// Why name cannot be a file of an attachments folder, or empty.
std::string name_problem(const std::string& name) {
    if (name.empty() || name == "." || name == "..") {
        return "it has no file name";
    }
    if (find_invalid_utf8(name)) {
        return "its name is not UTF-8";
    }
    for (std::size_t i = 0; i < name.size();) {
        char32_t cp = 0;
        std::size_t n = decode_utf8(name, i, cp);
        if (cp < 0x20 || cp == 0x7f || is_invisible_control(cp)) {
            return "its name holds control characters";
        }
        i += n == 0 ? 1 : n;
    }
    if (name.front() == '.') {
        return "its name is hidden (starts with '.'), and hidden files are never the workspace's";
    }
    if (is_write_leftover_name(name)) {
        return "its name is that of a temp or lock file, which git never stages";
    }
    return {};
}

// Opens source for reading and checks what it is: a regular file within the size limit.
int open_checked(const fs::path& source, struct stat& st) {
    int fd = ::open(source.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        int err = errno;
        if (err == ENOENT || err == ENOTDIR || err == ELOOP) {
            throw refused(source, "no such file");
        }
        if (err == EACCES || err == EPERM) {
            throw refused(source, "not readable");
        }
        throw refused(source, std::error_code(err, std::generic_category()).message());
    }
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw refused(source, S_ISDIR(st.st_mode) ? "not a regular file: it is a folder" : "not a regular file",
                      S_ISDIR(st.st_mode) ? "attach the files in it one by one" : std::string{});
    }
    if (st.st_size > k_max_attachment_size) {
        ::close(fd);
        throw refused(source, attachment_too_large_message(st.st_size),
                      "link to it instead (a file share or video host), or cut it into parts");
    }
    return fd;
}

void check_source(const fs::path& source, const std::string& name) {
    struct stat st {};
    ::close(open_checked(source, st));
    if (std::string why = name_problem(name); !why.empty()) {
        throw refused(source, why, "rename the file first");
    }
}

// The transcript lying beside an audio or video file (talk.ogg → talk.vtt), if any.
std::optional<fs::path> transcript_beside(const fs::path& media) {
    if (!is_media_file_name(media.filename().string())) {
        return std::nullopt;
    }
    for (const auto& ext : transcript_extensions()) {
        fs::path candidate = media;
        candidate.replace_extension(ext);
        std::error_code ec;
        if (fs::is_regular_file(candidate, ec)) {
            return candidate;
        }
    }
    return std::nullopt;
}

// A file name as it is, or with -n before its extension (talk-2.ogg).
std::string numbered(const std::string& name, int n) {
    if (n == 1) {
        return name;
    }
    fs::path p{name};
    std::string stem = p.stem().string();
    std::string ext = p.extension().string();
    if (stem.empty()) {
        return name + "-" + std::to_string(n);
    }
    return stem + "-" + std::to_string(n) + ext;
}

[[noreturn]] void io_failure(const char* what, const fs::path& path, int err) {
    throw io_error(what, shown(path), err);
}

class Fd {
public:
    explicit Fd(int fd) : m_fd(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    int get() const { return m_fd; }
    int release() {
        int fd = m_fd;
        m_fd = -1;
        return fd;
    }

private:
    int m_fd;
};

// Reads up to size bytes, retrying short reads; returns how many were read (fewer at the end).
std::size_t read_some(int fd, char* buf, std::size_t size, const fs::path& path) {
    std::size_t got = 0;
    while (got < size) {
        ssize_t n = ::read(fd, buf + got, size - got);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) {
                continue;
            }
            io_failure("read", path, errno);
        }
        if (n == 0) {
            break;
        }
        got += static_cast<std::size_t>(n);
    }
    return got;
}

// True when the files at a and b hold the same bytes.
bool same_content(const fs::path& a, const fs::path& b) {
    std::error_code ec;
    auto sa = fs::file_size(a, ec);
    if (ec) {
        return false;
    }
    auto sb = fs::file_size(b, ec);
    if (ec || sa != sb || !fs::is_regular_file(fs::symlink_status(b, ec))) {
        return false;
    }
    Fd fa{::open(a.c_str(), O_RDONLY | O_CLOEXEC)};
    Fd fb{::open(b.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
    if (fa.get() < 0 || fb.get() < 0) {
        return false;
    }
    std::array<char, 65536> ba{};
    std::array<char, 65536> bb{};
    while (true) {
        std::size_t na = read_some(fa.get(), ba.data(), ba.size(), a);
        std::size_t nb = read_some(fb.get(), bb.data(), bb.size(), b);
        if (na != nb || !std::equal(ba.begin(), ba.begin() + static_cast<std::ptrdiff_t>(na), bb.begin())) {
            return false;
        }
        if (na == 0) {
            return true;
        }
    }
}

// Copies source into a new temp file in dir; returns the temp file's path.
fs::path copy_to_temp(const fs::path& source, const fs::path& dir, const std::string& name) {
    struct stat st {};
    Fd in{open_checked(source, st)};
    int flags = ::fcntl(in.get(), F_GETFL);
    ::fcntl(in.get(), F_SETFL, flags & ~O_NONBLOCK);
    remove_stale_temp_files_once(dir);
    std::string tmpl = temp_file_pattern(dir / name);
    Fd out{::mkstemp(tmpl.data())};
    if (out.get() < 0) {
        io_failure("write", dir / name, errno);
    }
    fs::path tmp{tmpl};
    try {
        ::fchmod(out.get(), 0644);
        std::array<char, 65536> buf{};
        std::int64_t total = 0;
        while (std::size_t n = read_some(in.get(), buf.data(), buf.size(), source)) {
            total += static_cast<std::int64_t>(n);
            if (total > k_max_attachment_size) {
                throw refused(source, attachment_too_large_message(total));
            }
            std::size_t put = 0;
            while (put < n) {
                ssize_t w = ::write(out.get(), buf.data() + put, n - put);
                if (w < 0) {
                    if (errno == EINTR) {
                        continue;
                    }
                    io_failure("write", dir / name, errno);
                }
                put += static_cast<std::size_t>(w);
            }
        }
        if (::fsync(out.get()) != 0 || ::close(out.release()) != 0) {
            io_failure("write", dir / name, errno);
        }
    } catch (...) {
        ::unlink(tmp.c_str());
        throw;
    }
    return tmp;
}

} // namespace

std::vector<AttachmentFile> plan_attachments(const std::vector<fs::path>& sources) {
    std::vector<AttachmentFile> out;
    std::set<fs::path> seen;
    auto add = [&](const fs::path& source, bool transcript) {
        std::error_code ec;
        fs::path key = fs::weakly_canonical(fs::absolute(source), ec);
        if (ec) {
            key = fs::absolute(source).lexically_normal();
        }
        if (!seen.insert(key).second) {
            return;
        }
        std::string name = source.filename().string();
        check_source(source, name);
        out.push_back(AttachmentFile{source, name, transcript});
    };
    for (const auto& source : sources) {
        add(source, false);
        if (auto transcript = transcript_beside(source)) {
            add(*transcript, true);
        }
    }
    std::set<std::string> taken;
    for (auto& f : out) {
        std::string wanted = f.name;
        for (int n = 2; !taken.insert(f.name).second; ++n) {
            f.name = numbered(wanted, n);
        }
    }
    return out;
}

std::vector<AttachedFile> copy_attachments(const std::vector<AttachmentFile>& files, const fs::path& dir) {
    std::vector<AttachedFile> out;
    if (files.empty()) {
        return out;
    }
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        io_failure("create", dir, ec.value());
    }
    for (const auto& f : files) {
        fs::path tmp;
        for (int n = 1;; ++n) {
            std::string name = numbered(f.name, n);
            fs::path target = dir / name;
            if (fs::exists(fs::symlink_status(target, ec)) && same_content(f.source, target)) {
                out.push_back(AttachedFile{target, name, true});
                break;
            }
            if (tmp.empty()) {
                tmp = copy_to_temp(f.source, dir, f.name);
            }
            if (::link(tmp.c_str(), target.c_str()) == 0) {
                out.push_back(AttachedFile{target, name, false});
                break;
            }
            if (errno != EEXIST) {
                int err = errno;
                ::unlink(tmp.c_str());
                io_failure("write", target, err);
            }
        }
        if (!tmp.empty()) {
            ::unlink(tmp.c_str());
        }
    }
    return out;
}

std::string attachment_link_target(std::string_view link_folder, std::string_view name) {
    std::string out;
    while (!link_folder.empty()) {
        auto slash = link_folder.find('/');
        out += url_encode_segment(link_folder.substr(0, slash)) + "/";
        if (slash == std::string_view::npos) {
            break;
        }
        link_folder.remove_prefix(slash + 1);
    }
    return out + url_encode_segment(name);
}

std::string link_attachments(std::string_view body, std::string_view link_folder, const std::vector<std::string>& names) {
    std::vector<std::string> missing;
    for (const auto& name : names) {
        std::string target = attachment_link_target(link_folder, name);
        if (body.find("(" + target + ")") == std::string_view::npos &&
            body.find("(./" + target + ")") == std::string_view::npos &&
            std::find(missing.begin(), missing.end(), name) == missing.end()) {
            missing.push_back(name);
        }
    }
    std::string out{body};
    if (missing.empty()) {
        return out;
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ' || out.back() == '\r')) {
        out.pop_back();
    }
    out += out.empty() ? "**Attachments:**\n\n" : "\n\n**Attachments:**\n\n";
    for (const auto& name : missing) {
        out += "- [" + markdown_literal(name) + "](" + attachment_link_target(link_folder, name) + ")\n";
    }
    return out;
}

namespace {

// file's path relative to root, '/'-separated, and its link folder; throws when it has none.
std::pair<std::string, std::string> owned_folder(const fs::path& root, const fs::path& file) {
    std::string rel = file.lexically_normal().lexically_relative(root.lexically_normal()).generic_string();
    std::string link = own_attachments_link(rel);
    fs::path folder = fs::path{rel}.parent_path() / link;
    if (link.empty() || attachment_owner((folder / "x").generic_string()) != rel) {
        throw Error{ErrorKind::usage, "'" + sanitize_for_terminal(rel, Newlines::flatten) + "' cannot have attachments",
                    "attach to a bundle's index.md, a reply, a response or a check-in"};
    }
    return {rel, link};
}

} // namespace

fs::path own_attachments_dir(const fs::path& root, const fs::path& file) {
    return file.parent_path() / owned_folder(root, file).second;
}

Attached attach_to_document(const fs::path& root, const fs::path& file, const std::vector<AttachmentFile>& files) {
    auto [rel, link] = owned_folder(root, file);
    Attached out;
    if (files.empty()) {
        return out;
    }
    out.files = copy_attachments(files, file.parent_path() / link);
    std::vector<std::string> names;
    for (const auto& f : out.files) {
        names.push_back(f.name);
    }
    FileLock lock{file};
    Document doc = Document::parse(read_file(file), rel);
    std::string linked = link_attachments(doc.body(), link, names);
    if (linked != doc.body()) {
        doc.set_body(linked);
        lock.commit(doc.render());
        out.relinked = true;
    }
    return out;
}

} // namespace async
