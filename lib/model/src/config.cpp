#include <async/config.hpp>
#include <async/dates.hpp>
#include <async/env.hpp>
#include <async/document.hpp>
#include <async/error.hpp>
#include <async/html.hpp>
#include <async/identity.hpp>
#include <async/layout.hpp>
#include <async/lock.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>

#include <algorithm>
#include <sstream>
#include <async/toml.hpp>

namespace fs = std::filesystem;

namespace async {
namespace {

std::string scalar_text(const toml::node& node) {
    if (auto s = node.as_string()) {
        return s->get();
    }
    std::ostringstream out;
    if (auto i = node.as_integer()) {
        out << i->get();
    } else if (auto f = node.as_floating_point()) {
        out << f->get();
    } else if (auto b = node.as_boolean()) {
        out << (b->get() ? "true" : "false");
    } else if (auto d = node.as_date_time()) {
        out << *d;
    } else if (auto dd = node.as_date()) {
        out << *dd;
    } else if (auto t = node.as_time()) {
        out << *t;
    } else {
        out << toml::toml_formatter{node};
    }
    return out.str();
}

void flatten(const toml::table& table, const std::string& prefix, ConfigScope scope,
             std::vector<ConfigEntry>& out) {
    for (const auto& [k, node] : table) {
        std::string key = prefix.empty() ? std::string{k.str()} : prefix + "." + std::string{k.str()};
        if (auto sub = node.as_table()) {
            flatten(*sub, key, scope, out);
            continue;
        }
        ConfigEntry entry{key, {}, {}, false, scope};
        if (auto arr = node.as_array()) {
            entry.is_list = true;
            std::ostringstream literal;
            literal << toml::toml_formatter{*arr};
            entry.value = literal.str();
            for (const auto& item : *arr) {
                entry.items.push_back(scalar_text(item));
            }
        } else {
            entry.value = scalar_text(node);
        }
        out.push_back(std::move(entry));
    }
}

toml::table parse_toml_file(const fs::path& file, const std::string& text) {
    if (auto bad = find_invalid_utf8(text)) {
        auto at = line_col_at(text, *bad);
        throw Error{ErrorKind::data, file.string() + ":" + std::to_string(at.line) + ":" +
                                         std::to_string(at.column) + ": invalid UTF-8"};
    }
    try {
        return parse_toml(text, file.string());
    } catch (const toml::parse_error& e) {
        const auto& where = e.source().begin;
        throw Error{ErrorKind::data, file.string() + ":" + std::to_string(where.line) + ":" +
                                         std::to_string(where.column) + ": " +
                                         describe_toml_error(e.description())};
    }
}

void replace_layer(std::vector<ConfigEntry>& entries, std::vector<ConfigEntry> layer) {
    for (auto& entry : layer) {
        auto same = [&](const ConfigEntry& e) { return e.key == entry.key; };
        entries.erase(std::remove_if(entries.begin(), entries.end(), same), entries.end());
        entries.push_back(std::move(entry));
    }
}

std::vector<ConfigEntry> read_file_layer(const fs::path& file, ConfigScope scope) {
    std::error_code ec;
    if (file.empty() || !fs::exists(file, ec)) {
        return {};
    }
    std::string text = read_file(file);
    if (text.size() > 4 * 1024 * 1024) {
        throw Error{ErrorKind::data, "config file '" + file.string() + "' is too large"};
    }
    std::vector<ConfigEntry> layer;
    flatten(parse_toml_file(file, text), "", scope, layer);
    return layer;
}

// The folder a trust.workspaces entry names, comparable with a workspace root.
fs::path trusted_folder(const std::string& entry, const Env& env) {
    fs::path path = entry;
    if (entry == "~" || entry.starts_with("~/")) {
        auto home = env.home();
        if (!home) {
            return {}; // trusts nothing: no workspace root is empty
        }
        path = fs::path{*home} / (entry.size() > 2 ? entry.substr(2) : std::string{});
    }
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(path, ec);
    return (ec ? path : canonical).lexically_normal();
}

// Whether the user's own settings (entries holds no other layer yet) trust the workspace at
// root: its folder, or "*", is listed in trust.workspaces.
bool user_trusts(const std::vector<ConfigEntry>& entries, const Env& env, const fs::path& root) {
    std::error_code ec;
    fs::path here = fs::weakly_canonical(root, ec);
    here = (ec ? root : here).lexically_normal();
    for (const auto& entry : entries) {
        if (entry.key != k_trust_key) {
            continue;
        }
        std::vector<std::string> listed = entry.is_list ? entry.items : std::vector<std::string>{entry.value};
        for (const auto& item : listed) {
            if (item == "*" || (!item.empty() && trusted_folder(item, env) == here)) {
                return true;
            }
        }
    }
    return false;
}

std::vector<std::string> split_key(std::string_view key) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        auto dot = key.find('.', start);
        parts.emplace_back(key.substr(start, dot - start));
        if (dot == std::string_view::npos) {
            break;
        }
        start = dot + 1;
    }
    return parts;
}

bool is_integer(std::string_view v) {
    if (!v.empty() && (v[0] == '-' || v[0] == '+')) {
        v.remove_prefix(1);
    }
    return !v.empty() && v.size() < 19 &&
           std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string typed_literal(std::string_view value) {
    if (value == "true" || value == "false" || is_integer(value)) {
        return std::string{value};
    }
    if (!value.empty() && value.front() == '[') {
        try {
            auto doc = parse_toml("v = " + std::string{value}, "value");
            if (doc["v"].as_array()) {
                return std::string{value};
            }
        } catch (const toml::parse_error&) {
        }
        throw Error{ErrorKind::usage, "invalid TOML array '" + std::string{value} + "'",
                    "write arrays like '[\"a\", \"b\"]'"};
    }
    return toml_quote(value);
}

// The lines of text as strings, to be edited and joined again.
std::vector<std::string> line_strings(std::string_view text) {
    std::vector<std::string_view> views = split_lines(text);
    return {views.begin(), views.end()};
}

std::string join_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) {
        out += line;
        out += '\n';
    }
    return out;
}

// The header text "[a.b]" of table a.b, if its line exists; the line index is returned.
std::optional<std::size_t> find_table_header(const std::vector<std::string>& lines,
                                             const std::string& table) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
        auto line = trim(lines[i]);
        if (line.size() > 2 && line.front() == '[' && line[1] != '[') {
            auto close = line.find(']');
            if (close != std::string_view::npos) {
                std::string name;
                for (char c : line.substr(1, close - 1)) {
                    if (c != ' ' && c != '\t') {
                        name += c;
                    }
                }
                if (name == table) {
                    return i;
                }
            }
        }
    }
    return std::nullopt;
}

std::optional<std::size_t> first_table_header(const std::vector<std::string>& lines) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
        auto line = trim(lines[i]);
        if (!line.empty() && line.front() == '[') {
            return i;
        }
    }
    return std::nullopt;
}

} // namespace

std::string_view to_string(ConfigScope scope) {
    switch (scope) {
    case ConfigScope::builtin: return "built-in";
    case ConfigScope::user: return "user";
    case ConfigScope::workspace: return "workspace";
    case ConfigScope::env: return "env";
    }
    return "built-in";
}

std::optional<fs::path> find_user_config_file(const Env& env) {
    if (auto xdg = env.get("XDG_CONFIG_HOME"); xdg && fs::path{*xdg}.is_absolute()) {
        return fs::path{*xdg} / "async" / "config.toml";
    }
    if (auto home = env.home()) {
        return fs::path{*home} / ".config" / "async" / "config.toml";
    }
    return std::nullopt;
}

fs::path user_config_file(const Env& env) {
    if (auto file = find_user_config_file(env)) {
        return *file;
    }
    return fs::path{env.require_home("your own config file")}; // throws
}

void validate_config_key(std::string_view key) {
    bool ok = !key.empty() && key.size() <= 200 && key.front() != '.' && key.back() != '.' &&
              key.find("..") == std::string_view::npos;
    for (char c : key) {
        bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '_' || c == '-' || c == '.';
        ok = ok && allowed;
    }
    if (!ok) {
        throw Error{ErrorKind::usage, "invalid config key '" + sanitize_for_terminal(key, Newlines::flatten) + "'",
                    "keys look like 'section.name', e.g. 'core.editor'"};
    }
}

Config Config::load(const Env& env, const fs::path& workspace_file) {
    Config config;
    config.set("checkin.day", "fri", ConfigScope::builtin);
    config.set("mail.sendmail", "sendmail", ConfigScope::builtin);
    if (auto file = find_user_config_file(env)) {
        replace_layer(config.m_entries, read_file_layer(*file, ConfigScope::user));
    }
    auto team = read_file_layer(workspace_file, ConfigScope::workspace);
    if (!team.empty()) {
        // A teammate's commit must not choose what runs on my machine: the settings that name
        // a program count only where I trust the workspace, and trust is mine alone to give.
        bool trusted = user_trusts(config.m_entries, env, workspace_file.parent_path().parent_path());
        std::erase_if(team, [&](const ConfigEntry& e) {
            bool refuse = e.key == k_trust_key || (!trusted && names_a_program(e.key));
            if (refuse) {
                config.m_refused.push_back(e.key);
            }
            return refuse;
        });
    }
    replace_layer(config.m_entries, std::move(team));
    if (auto user = env.get("ASYNC_USER")) {
        config.set("user.handle", *user, ConfigScope::env);
    }
    return config;
}

bool names_a_program(std::string_view key) {
    return std::find(std::begin(k_program_keys), std::end(k_program_keys), key) != std::end(k_program_keys);
}

void Config::set(std::string key, std::string value, ConfigScope scope) {
    replace_layer(m_entries, {ConfigEntry{std::move(key), std::move(value), {}, false, scope}});
}

const ConfigEntry* Config::find(std::string_view key) const {
    for (const auto& entry : m_entries) {
        if (entry.key == key) {
            return &entry;
        }
    }
    return nullptr;
}

std::optional<std::string> Config::get(std::string_view key) const {
    if (const auto* entry = find(key)) {
        return entry->value;
    }
    return std::nullopt;
}

std::vector<std::string> Config::get_list(std::string_view key) const {
    const auto* entry = find(key);
    if (entry == nullptr) {
        return {};
    }
    if (entry->is_list) {
        return entry->items;
    }
    return {entry->value};
}

std::vector<ConfigEntry> Config::entries() const {
    auto sorted = m_entries;
    std::sort(sorted.begin(), sorted.end(),
              [](const ConfigEntry& a, const ConfigEntry& b) { return a.key < b.key; });
    return sorted;
}

std::vector<Person> Config::people() const {
    std::vector<Person> people;
    for (const auto& entry : entries()) {
        if (!entry.key.starts_with("people.")) {
            continue;
        }
        auto rest = std::string_view{entry.key}.substr(7);
        auto dot = rest.find('.');
        std::string handle{rest.substr(0, dot)};
        if (people.empty() || people.back().handle != handle) {
            people.push_back(Person{handle, {}, {}});
        }
        if (dot != std::string_view::npos) {
            auto field = rest.substr(dot + 1);
            if (field == "name") {
                people.back().name = entry.value;
            } else if (field == "email") {
                people.back().email = entry.value;
            }
        }
    }
    // Sorted keys group each person's entries, but "people.bob-lee.*" sorts before
    // "people.bob.*" while "bob" sorts before "bob-lee".
    std::sort(people.begin(), people.end(),
              [](const Person& a, const Person& b) { return a.handle < b.handle; });
    return people;
}

std::vector<Team> Config::teams() const {
    std::vector<Team> teams;
    for (const auto& entry : entries()) {
        if (!entry.key.starts_with("teams.")) {
            continue;
        }
        auto rest = std::string_view{entry.key}.substr(6);
        auto dot = rest.find('.');
        if (dot == std::string_view::npos || rest.substr(dot + 1) != "members") {
            continue;
        }
        Team team{std::string{rest.substr(0, dot)}, {}};
        for (const auto& m : entry.is_list ? entry.items : std::vector<std::string>{entry.value}) {
            std::string handle = handle_or_lower(m);
            if (!handle.empty() && std::find(team.members.begin(), team.members.end(), handle) == team.members.end()) {
                team.members.push_back(handle);
            }
        }
        teams.push_back(std::move(team));
    }
    std::sort(teams.begin(), teams.end(), [](const Team& a, const Team& b) { return a.name < b.name; });
    return teams;
}

std::vector<std::string> team_members(const Config& config, std::string_view name) {
    std::string names;
    for (const auto& team : config.teams()) {
        if (team.name == name) {
            return team.members;
        }
        names += (names.empty() ? "" : ", ") + team.name;
    }
    throw Error{ErrorKind::usage, "no team '" + std::string{name} + "' in the config",
                names.empty() ? "add one: async config set teams." + std::string{name} + ".members '[\"alice\", \"bob\"]'"
                              : "the teams are: " + names};
}

std::optional<std::string> Config::workspace_id() const {
    for (const auto& e : m_entries) {
        if (e.key == "workspace.id" && e.scope == ConfigScope::workspace && !e.is_list &&
            is_workspace_id(e.value)) {
            return e.value;
        }
    }
    return std::nullopt;
}

std::optional<std::string> publish_dir_problem(std::string_view value) {
    if (trim(value).empty()) {
        return "it is empty";
    }
    if (std::any_of(value.begin(), value.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
        return "it holds control characters";
    }
    std::filesystem::path p = std::filesystem::path{std::string{value}}.lexically_normal();
    if (p.is_absolute() || value.starts_with("~/")) {
        return std::nullopt;
    }
    std::string first = p.begin() == p.end() ? std::string{} : p.begin()->string();
    if (first.empty() || first == "." || first == ".." || first == ".async" ||
        std::find(std::begin(k_sections), std::end(k_sections), first) != std::end(k_sections)) {
        return "the site cannot go into the workspace's root, its document folders, .async/ or above it";
    }
    return std::nullopt;
}

void validate_config_value(std::string_view key, std::string_view value) {
    auto refuse = [&](std::string_view allowed) {
        throw Error{ErrorKind::usage,
                    "invalid value '" + sanitize_for_terminal(value, Newlines::flatten) + "' for " +
                        std::string{key},
                    std::string{allowed}};
    };
    auto parts = split_key(key);
    if (key == "checkin.day" || key == "watercooler.day") {
        if (!weekday_from_name(value)) {
            refuse("use a weekday: monday, tuesday, wednesday, thursday, friday, saturday or sunday "
                   "(or mon..sun)");
        }
    } else if (key == "checkin.cadence") {
        if (value != "weekly" && value != "daily") {
            refuse("use weekly (one check-in a week, the default) or daily (a stand-up, Monday to Friday)");
        }
    } else if (key == "user.handle" || key == "remind.sender") {
        try {
            (void)normalize_handle(value);
        } catch (const Error&) {
            refuse("handles are letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
    } else if (key == "workspace.id") {
        if (!is_workspace_id(value)) {
            refuse("a workspace id is 1 to 64 of 0-9, a-z, '_' and '-'");
        }
    } else if (key == "publish.base_url") {
        if (auto why = base_url_problem(value)) {
            throw Error{ErrorKind::usage,
                        "invalid value '" + sanitize_for_terminal(value, Newlines::flatten) + "' for " + std::string{key} +
                            ": " + *why,
                        "use the site's address, such as https://intranet.example/blog/"};
        }
    } else if (key == "publish.dir") {
        if (auto why = publish_dir_problem(value)) {
            throw Error{ErrorKind::usage,
                        "invalid value '" + sanitize_for_terminal(value, Newlines::flatten) + "' for " + std::string{key} +
                            ": " + *why,
                        "use a folder outside the documents, such as site or ~/public_html/blog"};
        }
    } else if (key == "mail.from" || (parts.size() == 3 && parts[0] == "people" && parts[2] == "email")) {
        if (auto why = address_problem(value)) {
            throw Error{ErrorKind::usage,
                        "invalid value '" + sanitize_for_terminal(value, Newlines::flatten) + "' for " +
                            std::string{key} + ": " + *why,
                        "use a plain address such as name@example.com"};
        }
    }
}

bool is_workspace_id(std::string_view text) {
    return !text.empty() && text.size() <= 64 &&
           std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '_' || c == '-';
           });
}

std::string new_workspace_id() {
    return new_id() + new_id();
}

std::string workspace_id_or_derived(const Config& config, const fs::path& root) {
    if (auto id = config.workspace_id()) {
        return *id;
    }
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(root, ec);
    // Two hashes make 14 hex digits, so two folders of one machine practically never share one.
    std::string path = (ec ? root : canonical).string();
    return "path-" + short_hash({"workspace\n", path}) + short_hash({path, "\nworkspace"});
}

void config_file_set(const fs::path& file, std::string_view key, std::string_view value) {
    validate_config_key(key);
    validate_config_value(key, value);
    std::string literal = typed_literal(value);
    FileLock lock{file};
    std::error_code ec;
    std::string text = fs::exists(file, ec) ? read_file(file) : std::string{};
    toml::table doc = parse_toml_file(file, text);
    auto parts = split_key(key);
    std::string leaf = parts.back();
    std::string table_name;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        table_name += (i ? "." : "") + parts[i];
    }
    std::vector<std::string> lines = line_strings(text);
    std::string new_line = leaf + " = " + literal;
    toml::node_view existing = doc.at_path(key);
    if (existing && !existing.is_table()) {
        const auto& src = existing.node()->source();
        // The key sits on the line where its value begins; multi-line values end further down.
        std::size_t first = src.begin.line - 1;
        std::size_t last = src.end.line - 1;
        if (existing.is_array() || existing.is_string()) {
            last = std::max(last, first);
        }
        if (last >= lines.size()) {
            last = lines.size() - 1;
        }
        auto& line = lines[first];
        auto eq = line.find('=');
        std::string key_part = eq == std::string::npos ? leaf + " " : line.substr(0, eq);
        lines.erase(lines.begin() + static_cast<long>(first) + 1,
                    lines.begin() + static_cast<long>(last) + 1);
        lines[first] = key_part + (key_part.ends_with(' ') ? "" : " ") + "= " + literal;
    } else if (existing) {
        throw Error{ErrorKind::usage, "'" + std::string{key} + "' is a section, not a value"};
    } else if (table_name.empty()) {
        auto header = first_table_header(lines);
        lines.insert(header ? lines.begin() + static_cast<long>(*header) : lines.end(), new_line);
    } else if (auto header = find_table_header(lines, table_name)) {
        lines.insert(lines.begin() + static_cast<long>(*header) + 1, new_line);
    } else {
        if (!lines.empty() && !trim(lines.back()).empty()) {
            lines.emplace_back();
        }
        lines.push_back("[" + table_name + "]");
        lines.push_back(new_line);
    }
    std::string updated = join_lines(lines);
    toml::table check;
    try {
        check = parse_toml(updated, file.string());
    } catch (const toml::parse_error& e) {
        throw Error{ErrorKind::data, "cannot set '" + std::string{key} + "' in '" + file.string() +
                                         "': the result would not parse (" +
                                         std::string{e.description()} + ")",
                    "edit the file by hand"};
    }
    if (!check.at_path(key)) {
        throw Error{ErrorKind::data, "cannot set '" + std::string{key} + "' in '" + file.string() + "'",
                    "edit the file by hand"};
    }
    lock.commit(updated);
}

bool config_file_unset(const fs::path& file, std::string_view key) {
    validate_config_key(key);
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        return false;
    }
    FileLock lock{file};
    if (!fs::exists(file, ec)) {
        return false;
    }
    std::string text = read_file(file);
    toml::table doc = parse_toml_file(file, text);
    toml::node_view existing = doc.at_path(key);
    if (!existing || existing.is_table()) {
        return false;
    }
    const auto& src = existing.node()->source();
    std::vector<std::string> lines = line_strings(text);
    std::size_t first = src.begin.line - 1;
    std::size_t last = std::min<std::size_t>(src.end.line - 1, lines.size() - 1);
    lines.erase(lines.begin() + static_cast<long>(first),
                lines.begin() + static_cast<long>(std::max(first, last)) + 1);
    lock.commit(join_lines(lines));
    return true;
}

} // namespace async
