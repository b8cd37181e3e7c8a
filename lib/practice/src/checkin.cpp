#include <async/checkin.hpp>
#include <async/config.hpp>
#include <async/document.hpp>
#include <async/due.hpp>
#include <async/editor.hpp>
#include <async/env.hpp>
#include <async/error.hpp>
#include <async/git.hpp>
#include <async/html.hpp>
#include <async/layout.hpp>
#include <async/identity.hpp>
#include <async/index.hpp>
#include <async/query.hpp>
#include <async/schema.hpp>
#include <async/templates.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>
#include <async/zones.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <system_error>

namespace fs = std::filesystem;

namespace async {
namespace {

constexpr auto k_max_checkin_size = static_cast<std::uintmax_t>(k_max_file_size);
constexpr std::size_t k_max_commits = 100;                      // pre-filled at most

// A commit subject (or any pre-fill line) as one safe line of at most about 200 bytes.
std::string clean_subject(std::string_view subject) {
    std::string plain = strip_controls(subject, Newlines::flatten);
    if (plain.size() > 200) {
        plain = truncate_to_width(plain, 120);
    }
    return std::string{trim(plain)};
}

struct PastCheckin {
    CheckinPeriod period;
    std::optional<TimePoint> created;
    std::vector<std::string> done_lines; // "- Done: …" items, without the prefix
};

// My earlier check-ins (periods that started before period, of either cadence) that can be
// read, oldest first.
std::vector<PastCheckin> past_checkins(const Workspace& ws, const std::string& me, const CheckinPeriod& period) {
    std::vector<PastCheckin> out;
    std::error_code ec;
    fs::directory_iterator it{checkins_dir(ws.root()), ec};
    if (ec) {
        return out;
    }
    for (const auto& entry : it) {
        auto p = parse_period(entry.path().filename().string());
        if (!p || p->start >= period.start) {
            continue;
        }
        fs::path file = entry.path() / (me + ".md");
        std::error_code size_ec;
        auto size = fs::file_size(file, size_ec);
        if (size_ec || size > k_max_checkin_size || fs::is_symlink(file, size_ec)) {
            continue;
        }
        try {
            Document doc = Document::parse(read_file(file), ws.display(file));
            PastCheckin past{*p, doc.get_time("created"), {}};
            std::string_view body = doc.body();
            while (!body.empty()) {
                auto eol = body.find('\n');
                std::string_view line = trim(body.substr(0, eol));
                if (line.starts_with("- Done: ")) {
                    past.done_lines.emplace_back(trim(line.substr(8)));
                }
                body = eol == std::string_view::npos ? std::string_view{} : body.substr(eol + 1);
            }
            out.push_back(std::move(past));
        } catch (const Error&) {
            continue; // an unreadable old check-in only means less pre-fill
        }
    }
    std::sort(out.begin(), out.end(), [](const PastCheckin& a, const PastCheckin& b) { return a.period.start < b.period.start; });
    return out;
}

// The body of the rendered template (a team override may start with a +++ block).
std::string template_body(const std::string& rendered) {
    std::string_view text = rendered;
    while (text.starts_with("\n")) {
        text.remove_prefix(1);
    }
    if (!text.starts_with("+++")) {
        return std::string{text};
    }
    std::string body = Document::parse(text, "template 'checkin'").body();
    while (body.starts_with("\n")) {
        body.erase(0, 1);
    }
    return body;
}

bool needs_editor(const BodyInput& body) {
    return body.edit == EditChoice::always ||
           (body.edit == EditChoice::automatic && !body.message && !body.file_text);
}

// ---- the digest ----------------------------------------------------------------------------

// text as Markdown that renders as exactly that text inside a line (never at its start): one
// line, with a backslash only before what would start markup there (emphasis, code, links,
// raw HTML, entities, strikethrough, table cells, a heading's closing #), so a name or a handle
// reads as written in the mail ("Carol Diaz (@carol)"). A line-start marker (a list's "1.") or
// '@' needs none: nothing here starts a line, and "(@carol)" is no e-mail address.
std::string md_escape(std::string_view text) {
    constexpr std::string_view k_markup = "\\`*_[]<>&~|#";
    std::string flat = strip_controls(text, Newlines::flatten);
    std::string out;
    for (char c : flat) {
        if (k_markup.find(c) != std::string_view::npos) {
            out += '\\';
        }
        out += c;
    }
    return out;
}

std::string person_label(std::string_view handle_text, std::string_view name) {
    std::string handle = "@" + std::string{handle_text};
    return name.empty() ? md_escape(handle) : md_escape(name) + " (" + md_escape(handle) + ")";
}

std::string person_label(const MemberCheckin& m) {
    return person_label(m.handle, m.name);
}

struct Fence {
    char c = 0;
    std::size_t length = 0; // 0: no fence
};

// A fence opener/closer: up to 3 spaces, then 3+ backticks or tildes.
Fence fence_of(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && i < 3 && line[i] == ' ') {
        ++i;
    }
    if (i >= line.size() || (line[i] != '`' && line[i] != '~')) {
        return {};
    }
    char c = line[i];
    std::size_t n = 0;
    while (i + n < line.size() && line[i + n] == c) {
        ++n;
    }
    if (n < 3) {
        return {};
    }
    if (c == '`' && line.substr(i + n).find('`') != std::string_view::npos) {
        return {}; // backticks in a backtick fence's info string: not a fence
    }
    return {c, n};
}

// A person's check-in body inside the digest: ATX headings one level down and at least level 3
// (so they sit under the person's heading), a code fence left open closed, safe for a terminal.
std::string digest_body(std::string_view body) {
    std::string text = strip_controls(body, Newlines::keep);
    std::string out;
    Fence open_fence;
    std::string_view rest = text;
    while (!rest.empty()) {
        auto eol = rest.find('\n');
        std::string_view line = rest.substr(0, eol);
        rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);
        if (Fence fence = fence_of(line); fence.length > 0) {
            if (open_fence.length == 0) {
                open_fence = fence;
            } else if (fence.c == open_fence.c && fence.length >= open_fence.length &&
                       trim(line.substr(line.find(fence.c) + fence.length)).empty()) {
                open_fence = {};
            }
        } else if (open_fence.length == 0) {
            std::size_t i = 0;
            while (i < line.size() && i < 3 && line[i] == ' ') {
                ++i;
            }
            std::size_t hashes = 0;
            while (i + hashes < line.size() && line[i + hashes] == '#') {
                ++hashes;
            }
            if (hashes >= 1 && hashes <= 6 &&
                (i + hashes == line.size() || line[i + hashes] == ' ' || line[i + hashes] == '\t')) {
                // Below the person's "##": level 3 at least, 6 at most.
                std::size_t level = std::min<std::size_t>(6, std::max<std::size_t>(3, hashes + 1));
                out += std::string{line.substr(0, i)} + std::string(level, '#') +
                       std::string{line.substr(i + hashes)} + "\n";
                continue;
            }
        }
        out += line;
        out += '\n';
    }
    if (open_fence.length > 0) {
        out += std::string(open_fence.length, open_fence.c) + "\n";
    }
    while (out.ends_with("\n\n")) {
        out.pop_back();
    }
    return out;
}

// The comments under a check-in: who wrote each and when, then its text quoted (headings below
// the person's, fences closed), so a comment can never pass for part of the check-in.
std::string digest_comments(const std::vector<CheckinComment>& comments) {
    if (comments.empty()) {
        return {};
    }
    std::string out = "### Comments\n\n";
    for (const auto& c : comments) {
        out += "**" + person_label(c.author, c.name) + "**";
        if (c.created) {
            out += ", " + format_local(*c.created);
        }
        out += ":\n\n";
        std::string body = digest_body(c.body);
        if (trim(body).empty()) {
            body = "*(empty)*";
        }
        std::string_view rest = body;
        while (!rest.empty()) {
            auto eol = rest.find('\n');
            std::string_view line = rest.substr(0, eol);
            out += line.empty() ? ">\n" : "> " + std::string{line} + "\n";
            rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);
        }
        out += "\n";
    }
    return out;
}

std::string digest_markdown(const WeekCheckins& checkins) {
    const CheckinPeriod& period = checkins.period;
    std::string out = "# Check-ins " + period.label + "\n\n";
    if (period.cadence == Cadence::daily) {
        out += format_local(period.start).substr(0, 3) + " " + period.label;
    } else {
        TimePoint last_day = period.end - std::chrono::hours{12};
        out += format_local_date(period.start) + " to " + format_local_date(last_day);
    }
    out += ": " + std::to_string(checkins.done()) + " of " + std::to_string(checkins.members.size()) +
           " checked in.\n\n";
    std::vector<std::string> missing, invalid;
    for (const auto& m : checkins.members) {
        if (m.state == CheckinState::missing) {
            missing.push_back(person_label(m) +
                              (m.local_deadline.empty() ? "" : " (due " + md_escape(m.local_deadline) + ")"));
        } else if (m.state == CheckinState::invalid) {
            invalid.push_back(person_label(m));
        }
    }
    auto join = [](const std::vector<std::string>& parts) {
        std::string s;
        for (const auto& p : parts) {
            s += (s.empty() ? "" : ", ") + p;
        }
        return s;
    };
    if (!missing.empty()) {
        out += "Missing: " + join(missing) + "\n\n";
    }
    if (!invalid.empty()) {
        out += "Could not be read: " + join(invalid) + "\n\n";
    }
    for (const auto& m : checkins.members) {
        if (m.state == CheckinState::missing) {
            continue;
        }
        out += "## " + person_label(m) + "\n\n";
        if (m.state == CheckinState::invalid) {
            out += "*This check-in could not be read: " + md_escape(m.problem) + "*\n\n";
            continue;
        }
        std::string body = digest_body(m.body);
        if (trim(body).empty()) {
            out += "*(empty)*\n\n";
        } else {
            out += body + "\n";
        }
        out += digest_comments(m.comments);
    }
    while (out.ends_with("\n\n")) {
        out.pop_back();
    }
    return out;
}

constexpr std::string_view k_digest_css =
    "body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;"
    "color:#1f2328;background:#fff;max-width:46em;margin:2em auto;padding:0 1em}"
    "h1{font-size:1.6em;margin:0 0 .4em}"
    "h2{font-size:1.3em;border-bottom:1px solid #d0d7de;padding-bottom:.2em;margin-top:1.8em}"
    "h3{font-size:1.05em;margin-top:1.2em}h4,h5,h6{font-size:1em}"
    "code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;background:#f6f8fa}"
    "code{padding:.1em .3em;border-radius:4px}pre{padding:.8em;overflow:auto;border-radius:6px}"
    "pre code{padding:0;background:none}"
    "blockquote{margin:0;padding:0 1em;color:#59636e;border-left:.25em solid #d0d7de}"
    "table{border-collapse:collapse}th,td{border:1px solid #d0d7de;padding:.3em .6em}"
    "li.task-list-item{list-style:none}a{color:#0969da}";

std::string digest_html(const WeekCheckins& checkins) {
    std::string markdown = digest_markdown(checkins);
    // Hostile link schemes become "#" and remote images links: a mail loads nothing.
    std::string body = markdown_to_html(markdown, [](std::string_view) { return std::optional<std::string>{}; });
    std::string title = "Check-ins " + checkins.period.label; // digits, letters and '-' only
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
           title + "</title>\n<style>" + std::string{k_digest_css} + "</style>\n</head>\n<body>\n" + body +
           "</body>\n</html>\n";
}

} // namespace

fs::path checkin_file(const Workspace& ws, const CheckinPeriod& period, std::string_view handle) {
    return checkin_file(ws.root(), period.label, handle);
}

std::vector<Commit> commits_by(const fs::path& repo, const std::vector<std::string>& emails, TimePoint since,
                               TimePoint until) {
    auto commits = list_commits(repo, since);
    std::set<std::string> wanted;
    for (const auto& e : emails) {
        wanted.insert(to_lower_ascii(trim(e)));
    }
    std::string name = fs::weakly_canonical(repo).filename().string();
    if (name.empty()) {
        name = repo.filename().string();
    }
    std::vector<Commit> out;
    // Newest first from git; the author date decides whether a commit is in the window.
    for (auto& c : commits) {
        if (!wanted.contains(to_lower_ascii(c.email)) || c.authored < since || c.authored >= until) {
            continue;
        }
        out.push_back(Commit{name, std::move(c.hash), clean_subject(c.subject), c.authored});
    }
    std::stable_sort(out.begin(), out.end(), [](const Commit& a, const Commit& b) { return a.authored < b.authored; });
    return out;
}

std::vector<fs::path> checkin_repos(const Workspace& ws, const Env& env, const Config& config) {
    std::vector<fs::path> out;
    for (const auto& item : config.get_list("checkin.repos")) {
        std::string text{trim(item)};
        if (text.empty()) {
            continue;
        }
        fs::path path;
        if (text == "~" || text.starts_with("~/")) {
            path = fs::path{env.require_home("'" + text + "'")} / text.substr(std::min<std::size_t>(2, text.size()));
        } else if (fs::path{text}.is_absolute()) {
            path = text;
        } else {
            path = ws.root() / text;
        }
        out.push_back(path.lexically_normal());
    }
    return out;
}

std::vector<std::string> my_emails(const Workspace& ws, const Config& config, std::string_view me) {
    std::vector<std::string> out;
    auto add = [&out](std::string_view email) {
        std::string e = to_lower_ascii(trim(email));
        if (!e.empty() && std::find(out.begin(), out.end(), e) == out.end()) {
            out.push_back(e);
        }
    };
    if (auto team = config.get("people." + std::string{me} + ".email")) {
        add(*team);
    }
    if (auto email = git_user_email(ws.root())) {
        add(*email);
    }
    return out;
}

CheckinPrefill gather_prefill(Index& index, const Session& session, const CheckinPeriod& period) {
    const Workspace& ws = session.workspace;
    const Config& config = session.config;
    const std::string& me = session.me;
    CheckinPrefill prefill;
    TimePoint start = period.start;
    TimePoint end = period.end;
    auto past = past_checkins(ws, me, period);
    std::set<std::string> already_done;
    for (const auto& p : past) {
        if (p.created) {
            prefill.since = *p.created;
        }
        already_done.insert(p.done_lines.begin(), p.done_lines.end());
    }
    TimePoint since = prefill.since.value_or(start);

    auto repos = checkin_repos(ws, session.env, config);
    if (!repos.empty()) {
        auto emails = my_emails(ws, config, me);
        if (emails.empty()) {
            prefill.warnings.push_back("no e-mail address for '" + me +
                                       "': set people." + me + ".email in the team config; commits left out");
        } else {
            std::vector<Commit> all;
            for (const auto& repo : repos) {
                try {
                    auto commits = commits_by(repo, emails, since, end);
                    all.insert(all.end(), commits.begin(), commits.end());
                } catch (const Error& e) {
                    prefill.warnings.push_back("commits skipped: " + std::string{e.what()});
                    if (e.kind() == ErrorKind::environment) {
                        break;
                    }
                }
            }
            // One story of the week across repositories, oldest first.
            std::stable_sort(all.begin(), all.end(),
                             [](const Commit& a, const Commit& b) { return a.authored < b.authored; });
            // Months without a check-in must not bury the template: the newest ones, and a count.
            std::size_t skip = all.size() > k_max_commits ? all.size() - k_max_commits : 0;
            if (skip > 0) {
                prefill.commits.push_back(std::to_string(skip) + " earlier commits left out");
            }
            for (std::size_t i = skip; i < all.size(); ++i) {
                prefill.commits.push_back(all[i].repo + " " + all[i].hash + " " + all[i].subject);
            }
        }
    }

    ActionFilter actions;
    actions.owner = me;
    actions.state = ActionState::done;
    for (const auto& a : list_actions(index, actions)) {
        if (a.doc->type == "checkin") {
            continue;
        }
        std::string line = a.text + " (" + a.doc->title + ")";
        if (already_done.contains(line) || already_done.contains(a.text)) {
            continue;
        }
        std::error_code ec;
        auto mtime = fs::last_write_time(ws.root() / a.doc->path, ec);
        if (ec || std::chrono::file_clock::to_sys(mtime) < since) {
            continue; // the tick, whenever it was, is older than my last check-in
        }
        prefill.done_actions.push_back(clean_subject(line));
    }

    ListFilter docs;
    docs.author = me;
    docs.since = start;
    docs.until = end - std::chrono::seconds{1};
    docs.include_children = true;
    docs.sort = SortKey::created;
    docs.reverse = true; // oldest first
    for (const auto& d : list_documents(index, docs)) {
        if (d.type == "checkin") {
            continue;
        }
        // A reply's or response's title already says what it is: "Re: Launch sync — bob's response".
        std::string kind = is_child_type(d.type) ? std::string{} : d.type + " ";
        prefill.documents.push_back(clean_subject(d.title + " (" + kind + d.id + ")"));
    }
    return prefill;
}

CheckinWritten write_checkin(Index& index, const Session& session, const CheckinPeriod& period,
                             const BodyInput& body) {
    const Workspace& ws = session.workspace;
    const Config& config = session.config;
    const std::string& me = session.me;
    if (needs_editor(body)) {
        resolve_editor(session.env, config); // no editor and no terminal (cron): fail before any work
    }
    TimePoint now = session.now;
    fs::path file = checkin_file(ws, period, me);
    const std::string& label = period.label;
    // The front matter names the period as the path does: week = "2026-W48" or day = "2026-12-07".
    const char* period_key = period.cadence == Cadence::daily ? "day" : "week";
    std::string option = period.cadence == Cadence::daily ? "--day " : "--week ";
    CheckinWritten written;
    written.path = file;
    std::error_code ec;
    if (fs::exists(file, ec) || fs::is_symlink(file, ec)) {
        if (fs::is_symlink(file, ec) || !fs::is_regular_file(file, ec)) {
            throw Error{ErrorKind::data, "'" + ws.display(file) + "' is not a regular file"};
        }
        BodyInput input = body;
        if (input.file_text && trim(*input.file_text).starts_with("+++")) {
            // A whole document replaces the file: it stays this check-in, with its id.
            std::string origin = input.file_path == "-" ? std::string{"<stdin>"} : input.file_path.string();
            Document given = Document::parse(*input.file_text, origin);
            Document existing = Document::parse(read_file(file), ws.display(file));
            for (auto key : {"id", "created"}) {
                if (!given.has(key) && existing.has(key)) {
                    given.set_literal(key, *existing.literal(key));
                }
            }
            given.set_string("type", "checkin");
            given.set_string("author", me);
            given.set_string(period_key, label);
            input.file_text = given.render();
        }
        written.changed = edit_existing(session, file, input) == EditOutcome::saved;
        try {
            written.id = Document::parse(read_file(file), ws.display(file)).get_string("id").value_or("");
        } catch (const Error&) {
            // edit_existing validated what it wrote; an untouched broken file keeps its id unknown
        }
        return written;
    }

    CheckinPrefill prefill = gather_prefill(index, session, period);
    written.warnings = prefill.warnings;
    TemplateSet templates = TemplateSet::in_effect(session.env, &ws);
    TemplateData data;
    data.strings["week"] = label; // the period's label, whatever the cadence
    data.strings["period"] = label;
    data.strings["author"] = me;
    data.strings["date"] = format_local_date(now);
    data.strings["since"] = prefill.since ? format_local(*prefill.since) : std::string{};
    std::vector<std::string> questions;
    for (const auto& q : config.get_list("checkin.questions")) {
        if (!trim(q).empty()) {
            questions.push_back(clean_subject(q));
        }
    }
    data.lists["questions"] = questions;
    data.lists["commits"] = prefill.commits;
    data.lists["done_actions"] = prefill.done_actions;
    data.lists["documents"] = prefill.documents;
    std::string text = render_template(templates.text("checkin"), data, "checkin");

    Document doc = new_document("checkin", "Check-in " + label, me, now, template_body(text));
    doc.set_string(period_key, label);
    ComposeRequest request{doc, "async checkin " + option + label, "checkin-" + to_lower_ascii(label), {}};
    Document final_doc = compose_document(session, request, body);
    // The path says whose check-in for which period this is: the front matter agrees with it.
    final_doc.set_string("type", "checkin");
    final_doc.set_string("author", me);
    final_doc.set_string(period_key, label);
    std::string id = final_doc.get_string("id").value_or("");
    if (!is_id(id)) {
        id = new_id();
        final_doc.set_string("id", id);
    }
    if (!create_file_exclusive(file, final_doc.render())) {
        fs::path draft = ws.drafts_dir() / ("checkin-" + to_lower_ascii(label) + "-" + id + ".md");
        write_file_atomic(draft, final_doc.render());
        throw Error{ErrorKind::data, "'" + ws.display(file) + "' appeared while the check-in was being written",
                    "your text is kept in '" + draft.string() + "'; run 'async checkin " + option + label +
                        "' to edit the file"};
    }
    written.id = id;
    written.created = true;
    return written;
}

std::string_view to_string(CheckinState state) {
    switch (state) {
    case CheckinState::done: return "done";
    case CheckinState::missing: return "missing";
    case CheckinState::invalid: return "invalid";
    }
    return "missing";
}

namespace {

// Why the check-in or comment at p (shown as its workspace-relative path) cannot be read as a
// document, or nullopt.
std::optional<std::string> unreadable_problem(const fs::path& p, const std::string& shown) {
    std::error_code ec;
    auto status = fs::symlink_status(p, ec);
    if (ec || status.type() != fs::file_type::regular) {
        return "'" + shown + "' is not a regular file";
    }
    if (fs::file_size(p, ec) > k_max_checkin_size || ec) {
        return "'" + shown + "' is too large (over 4 MiB)";
    }
    return std::nullopt;
}

// The comments on m's check-in (the .md files of its replies folder), oldest first: reply file
// names start with their UTC time.
void read_comments(const Workspace& ws, const std::map<std::string, std::string>& names, MemberCheckin& m,
                   std::vector<std::string>& problems) {
    auto folder = replies_folder(m.path);
    if (!folder) {
        return;
    }
    std::error_code ec;
    std::vector<fs::path> files;
    for (fs::directory_iterator it{ws.root() / *folder, ec}, end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (name.ends_with(".md") && !name.starts_with(".")) {
            files.push_back(it->path());
        }
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        std::string shown = ws.display(file);
        if (auto problem = unreadable_problem(file, shown)) {
            problems.push_back(*problem);
            continue;
        }
        try {
            Document doc = Document::parse(read_file(file), shown);
            CheckinComment c;
            c.path = shown;
            c.created = doc.get_time("created");
            c.body = doc.body();
            std::string stem = file.stem().string();
            std::string author = doc.get_string("author").value_or(stem.substr(stem.rfind('-') + 1));
            try {
                c.author = normalize_handle(author);
            } catch (const Error&) {
                c.author = strip_controls(author, Newlines::flatten);
            }
            if (auto it = names.find(c.author); it != names.end()) {
                c.name = it->second;
            }
            m.comments.push_back(std::move(c));
        } catch (const Error& e) {
            problems.push_back(e.what());
        }
    }
}

} // namespace

std::size_t WeekCheckins::done() const {
    return static_cast<std::size_t>(std::count_if(members.begin(), members.end(),
                                                  [](const MemberCheckin& m) { return m.state == CheckinState::done; }));
}

WeekCheckins week_checkins(const Workspace& ws, const Config& config, const CheckinPeriod& period,
                           const std::string& me) {
    std::map<std::string, std::string> names; // handle -> name
    for (const auto& p : config.people()) {
        try {
            names[normalize_handle(p.handle)] = p.name;
        } catch (const Error&) {
            continue; // `async check` reports a bad handle in the config
        }
    }
    if (!me.empty()) {
        names.emplace(me, std::string{});
    }
    fs::path dir = week_dir(ws.root(), period.label);
    std::error_code ec;
    fs::directory_iterator it{dir, ec};
    if (!ec) {
        for (const auto& entry : it) {
            fs::path p = entry.path();
            if (p.extension() != ".md") {
                continue;
            }
            std::string stem = p.stem().string();
            try {
                if (normalize_handle(stem) == stem) {
                    names.emplace(stem, std::string{});
                }
            } catch (const Error&) {
                continue;
            }
        }
    }
    WeekCheckins out;
    out.period = period;
    // Due at 17:00 of the day it is owed from (model/due's rule for a date).
    std::optional<TimePoint> owed = checkin_owed_from(config, period);
    std::optional<TimePoint> due = owed ? due_at(format_local_date(*owed)) : std::nullopt;
    for (const auto& [handle, name] : names) {
        MemberCheckin m;
        m.handle = handle;
        m.name = name;
        fs::path file = dir / (handle + ".md");
        std::error_code fec;
        auto status = fs::symlink_status(file, fec);
        if (fec || status.type() == fs::file_type::not_found) {
            if (due) {
                m.local_deadline = deadline_for_person(config, handle, *due).value_or("");
            }
            out.members.push_back(std::move(m));
            continue;
        }
        m.path = ws.display(file);
        read_comments(ws, names, m, out.problems);
        if (auto problem = unreadable_problem(file, m.path)) {
            m.state = CheckinState::invalid;
            m.problem = *problem;
        } else {
            try {
                Document doc = Document::parse(read_file(file), m.path);
                m.created = doc.get_time("created");
                m.body = doc.body();
                m.state = CheckinState::done;
            } catch (const Error& e) {
                m.state = CheckinState::invalid;
                m.problem = e.what();
            }
        }
        out.members.push_back(std::move(m));
    }
    return out;
}

std::string render_digest(const WeekCheckins& checkins, DigestFormat format) {
    if (format == DigestFormat::html) {
        return digest_html(checkins);
    }
    return digest_markdown(checkins);
}

} // namespace async
