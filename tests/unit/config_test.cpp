#include <async/config.hpp>
#include <async/env.hpp>
#include <async/error.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

// toml++ as the library includes it (its checks throw), so both compile the same inline code.
#include <async/toml.hpp>

#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using async::Config;
using async::ConfigScope;
using async::Env;
using async::ErrorKind;
using async_test::error_of;
using async_test::TempDir;
using V = std::vector<std::string>;

namespace {

void write_text(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE(out.good());
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    return std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Env env_of(std::map<std::string, std::string> vars) { return Env{std::move(vars)}; }

const std::string k_user_toml = "# my settings\n"
                                "[core]\n"
                                "editor = \"nano\"\n"
                                "[checkin]\n"
                                "day = \"mon\"\n"
                                "repos = [\n"
                                "  \"~/a\",\n"
                                "  \"~/b\",\n"
                                "]\n"
                                "[user]\n"
                                "handle = \"user-file\"\n"
                                "[people.bob]\n"
                                "name = \"Bob from the user file\"\n";

const std::string k_workspace_toml = "[checkin]\n"
                                     "day = \"wed\"\n"
                                     "[team]\n"
                                     "name = \"Team\"\n"
                                     "size = 5\n"
                                     "remote = true\n"
                                     "[people.bob]\n"
                                     "name = \"Bob B\"\n"
                                     "email = \"bob@example.com\"\n"
                                     "[people.bob-lee]\n"
                                     "email = \"lee@example.com\"\n"
                                     "[people.alice]\n"
                                     "name = \"Alice A\"\n"
                                     "email = \"alice@example.com\"\n";

const async::ConfigEntry* entry_for(const std::vector<async::ConfigEntry>& entries, const std::string& key) {
    for (const auto& e : entries) {
        if (e.key == key) {
            return &e;
        }
    }
    return nullptr;
}

} // namespace

TEST_CASE("config::to_string") {
    CHECK(async::to_string(ConfigScope::builtin) == "built-in");
    CHECK(async::to_string(ConfigScope::user) == "user");
    CHECK(async::to_string(ConfigScope::workspace) == "workspace");
    CHECK(async::to_string(ConfigScope::env) == "env");
}

TEST_CASE("config::user_config_file") {
    CHECK(async::user_config_file(env_of({{"HOME", "/home/a"}})) == "/home/a/.config/async/config.toml");
    CHECK(async::user_config_file(env_of({{"HOME", "/home/a"}, {"XDG_CONFIG_HOME", "/xdg"}})) ==
          "/xdg/async/config.toml");
    CHECK(async::user_config_file(env_of({{"HOME", "/home/a"}, {"XDG_CONFIG_HOME", "rel"}})) ==
          "/home/a/.config/async/config.toml");
}

TEST_CASE("config::Config::load") {
    TempDir tmp{"config"};
    const fs::path home = tmp / "home";
    const fs::path ws_file = tmp / "ws/.async/config.toml";
    write_text(home / ".config/async/config.toml", k_user_toml);
    write_text(ws_file, k_workspace_toml);

    SUBCASE("built-in < user < workspace < env") {
        Config config = Config::load(env_of({{"HOME", home.string()}, {"ASYNC_USER", "Alice"}}), ws_file);
        CHECK(config.get("mail.sendmail") == "sendmail");
        CHECK(config.get("core.editor") == "nano");
        CHECK(config.get("checkin.day") == "wed");
        CHECK(config.get("user.handle") == "Alice");
        CHECK(config.get("team.size") == "5");
        CHECK(config.get("team.remote") == "true");
        CHECK(config.get("people.bob.name") == "Bob B");
        CHECK(config.get("missing") == std::nullopt);
        CHECK(config.get("checkin") == std::nullopt); // tables are no values

        auto entries = config.entries();
        V keys;
        for (const auto& e : entries) {
            keys.push_back(e.key);
        }
        CHECK(keys == V{"checkin.day", "checkin.repos", "core.editor", "mail.sendmail",
                        "people.alice.email", "people.alice.name", "people.bob-lee.email",
                        "people.bob.email", "people.bob.name", "team.name", "team.remote",
                        "team.size", "user.handle"});
        CHECK(entry_for(entries, "mail.sendmail")->scope == ConfigScope::builtin);
        CHECK(entry_for(entries, "core.editor")->scope == ConfigScope::user);
        CHECK(entry_for(entries, "checkin.repos")->scope == ConfigScope::user);
        CHECK(entry_for(entries, "checkin.day")->scope == ConfigScope::workspace);
        CHECK(entry_for(entries, "people.bob.name")->scope == ConfigScope::workspace);
        CHECK(entry_for(entries, "user.handle")->scope == ConfigScope::env);
        CHECK(entry_for(entries, "checkin.repos")->is_list);
        CHECK_FALSE(entry_for(entries, "checkin.day")->is_list);
    }
    SUBCASE("without ASYNC_USER the user file's handle counts") {
        Config config = Config::load(env_of({{"HOME", home.string()}}), ws_file);
        CHECK(config.get("user.handle") == "user-file");
        CHECK(entry_for(config.entries(), "user.handle")->scope == ConfigScope::user);
    }
    SUBCASE("an empty ASYNC_USER counts as unset") {
        Config config = Config::load(env_of({{"HOME", home.string()}, {"ASYNC_USER", ""}}), ws_file);
        CHECK(config.get("user.handle") == "user-file");
    }
    SUBCASE("XDG_CONFIG_HOME moves the user file") {
        write_text(tmp / "xdg/async/config.toml", "[core]\neditor = \"ed\"\n");
        Config config = Config::load(env_of({{"HOME", home.string()}, {"XDG_CONFIG_HOME", (tmp / "xdg").string()}}), "");
        CHECK(config.get("core.editor") == "ed");
        CHECK(config.get("checkin.day") == "fri");
    }
    SUBCASE("no files: the built-in values only") {
        Config config = Config::load(env_of({{"HOME", (tmp / "nohome").string()}}), tmp / "nothing.toml");
        V keys;
        for (const auto& e : config.entries()) {
            keys.push_back(e.key + "=" + e.value);
        }
        CHECK(keys == V{"checkin.day=fri", "mail.sendmail=sendmail"});
    }
    SUBCASE("set in memory replaces the loaded value") {
        Config config = Config::load(env_of({{"HOME", home.string()}}), ws_file);
        config.set("checkin.day", "thu", ConfigScope::env);
        config.set("new.key", "v", ConfigScope::user);
        CHECK(config.get("checkin.day") == "thu");
        CHECK(entry_for(config.entries(), "checkin.day")->scope == ConfigScope::env);
        CHECK(config.get("new.key") == "v");
    }
    SUBCASE("a malformed workspace file is a data error with path:line:col") {
        write_text(ws_file, "[core]\neditor = \n");
        auto e = error_of([&] { (void)Config::load(env_of({{"HOME", home.string()}}), ws_file); });
        CHECK(e.kind() == ErrorKind::data);
        CHECK(std::string{e.what()}.starts_with(ws_file.string() + ":2:10: "));
        CHECK(std::string{e.what()}.find("expected value") != std::string::npos);
    }
    SUBCASE("a malformed user file too") {
        write_text(home / ".config/async/config.toml", "ok = 1\n\n[core\n");
        auto e = error_of([&] { (void)Config::load(env_of({{"HOME", home.string()}}), ws_file); });
        CHECK(e.kind() == ErrorKind::data);
        CHECK(std::string{e.what()}.starts_with((home / ".config/async/config.toml").string() + ":3:6: "));
    }
    SUBCASE("invalid UTF-8 is located") {
        write_text(ws_file, "[team]\nname = \"ab\xFF\"\n");
        auto e = error_of([&] { (void)Config::load(env_of({{"HOME", home.string()}}), ws_file); });
        CHECK(e.kind() == ErrorKind::data);
        CHECK(std::string{e.what()} == ws_file.string() + ":2:11: invalid UTF-8");
    }
}

TEST_CASE("config::Config::get_list") {
    TempDir tmp{"config"};
    write_text(tmp / "ws.toml", "[checkin]\nrepos = [\"~/a\", \"~/b c\"]\nday = \"fri\"\nempty = []\nnums = [1, 2]\n");
    Config config = Config::load(env_of({{"HOME", (tmp / "home").string()}}), tmp / "ws.toml");
    CHECK(config.get_list("checkin.repos") == V{"~/a", "~/b c"});
    CHECK(config.get_list("checkin.day") == V{"fri"});
    CHECK(config.get_list("checkin.empty") == V{});
    CHECK(config.get_list("checkin.nums") == V{"1", "2"});
    CHECK(config.get_list("missing") == V{});
    SUBCASE("the value of a list is a TOML array literal with the same items") {
        auto value = config.get("checkin.repos");
        REQUIRE(value.has_value());
        auto parsed = toml::parse("v = " + *value);
        auto* array = parsed["v"].as_array();
        REQUIRE(array != nullptr);
        REQUIRE(array->size() == 2);
        CHECK((*array)[0].value<std::string>() == "~/a");
        CHECK((*array)[1].value<std::string>() == "~/b c");
    }
}

TEST_CASE("config::Config::people") {
    TempDir tmp{"config"};
    write_text(tmp / "home/.config/async/config.toml", "[people.zed]\nname = \"Zed (user file)\"\n");
    write_text(tmp / "ws.toml", k_workspace_toml + "[people.carol]\nemail = \"carol@example.com\"\nrole = \"x\"\n");
    Config config = Config::load(env_of({{"HOME", (tmp / "home").string()}}), tmp / "ws.toml");
    auto people = config.people();
    std::vector<std::string> rows;
    for (const auto& p : people) {
        rows.push_back(p.handle + "|" + p.name + "|" + p.email);
    }
    // Sorted by handle ("bob" before "bob-lee"), from every layer, unknown fields ignored.
    CHECK(rows == V{"alice|Alice A|alice@example.com", "bob|Bob B|bob@example.com",
                    "bob-lee||lee@example.com", "carol||carol@example.com", "zed|Zed (user file)|"});
    SUBCASE("nobody") {
        Config empty = Config::load(env_of({{"HOME", (tmp / "nohome").string()}}), "");
        CHECK(empty.people().empty());
    }
}

TEST_CASE("config::validate_config_key") {
    for (const char* ok : {"core.editor", "people.bob-x.email", "a_b", "A1", "x.y.z"}) {
        CAPTURE(ok);
        CHECK_NOTHROW(async::validate_config_key(ok));
    }
    CHECK_NOTHROW(async::validate_config_key(std::string(200, 'k')));
    for (const std::string& bad : std::vector<std::string>{"", ".a", "a.", "a..b", "a b", "a/b", "a=b", "clé", "a\nb", "[core]",
                                  std::string(201, 'k')}) {
        CAPTURE(bad);
        auto e = error_of([&] { async::validate_config_key(bad); });
        CHECK(e.kind() == ErrorKind::usage);
    }
    auto e = error_of([] { async::validate_config_key("bad\x1b[2Jkey"); });
    CHECK(std::string{e.what()} == "invalid config key 'bad^[[2Jkey'");
}

TEST_CASE("config::validate_config_value") {
    using async::validate_config_value;
    for (const char* day : {"monday", "Fri", " SUN ", "thursday"}) {
        CAPTURE(day);
        CHECK_NOTHROW(validate_config_value("checkin.day", day));
    }
    for (const char* bad : {"daily", "", "fr", "fridays", "7", "[\"fri\"]"}) {
        CAPTURE(bad);
        auto e = error_of([&] { validate_config_value("checkin.day", bad); });
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(std::string{e.hint()}.find("monday") != std::string::npos);
    }
    CHECK_NOTHROW(validate_config_value("people.bob.email", "bob@example.com"));
    CHECK_NOTHROW(validate_config_value("mail.from", "async@example.com"));
    CHECK(error_of([] { validate_config_value("people.bob.email", "bob"); }).kind() == ErrorKind::usage);
    CHECK(error_of([] { validate_config_value("mail.from", "-f@x"); }).kind() == ErrorKind::usage);
    CHECK_NOTHROW(validate_config_value("user.handle", "@Carol"));
    CHECK(error_of([] { validate_config_value("user.handle", "!!!"); }).kind() == ErrorKind::usage);
    CHECK_NOTHROW(validate_config_value("remind.sender", "@Alice"));
    CHECK(error_of([] { validate_config_value("remind.sender", "a/b"); }).kind() == ErrorKind::usage);
    CHECK_NOTHROW(validate_config_value("workspace.id", "k3f9q2ma7fq2m4xa"));
    CHECK(error_of([] { validate_config_value("workspace.id", "Web Team"); }).kind() == ErrorKind::usage);
    // Keys with no constraint, including a person's other keys, take anything.
    CHECK_NOTHROW(validate_config_value("people.bob.name", "bob"));
    CHECK_NOTHROW(validate_config_value("checkin.days", "daily"));
    CHECK_NOTHROW(validate_config_value("team.name", ""));
}

TEST_CASE("config::workspace_id") {
    async_test::TempDir dir;
    auto file = dir.path() / "config.toml";
    auto load = [&] { return Config::load(Env{{{"HOME", dir.path().string()}}}, file); };
    std::string fresh = async::new_workspace_id();
    CHECK(fresh.size() == 16);
    CHECK(async::is_workspace_id(fresh));
    CHECK(fresh != async::new_workspace_id());
    {
        std::ofstream{file} << "[workspace]\nid = \"" << fresh << "\"\n";
    }
    CHECK(load().workspace_id() == fresh);
    CHECK(async::workspace_id_or_derived(load(), dir.path()) == fresh);
    {
        std::ofstream{file} << "[team]\nname = \"x\"\n";
    }
    CHECK_FALSE(load().workspace_id());
    std::string derived = async::workspace_id_or_derived(load(), dir.path());
    CHECK(derived.starts_with("path-"));
    CHECK(async::is_workspace_id(derived));
    CHECK(derived == async::workspace_id_or_derived(load(), dir.path()));
    CHECK(derived != async::workspace_id_or_derived(load(), dir.path() / "other"));
    // Only the committed file counts: an id in memory at another scope is not the workspace's.
    Config c = load();
    c.set("workspace.id", "mine", ConfigScope::user);
    CHECK_FALSE(c.workspace_id());
}

TEST_CASE("config::config_file_set") {
    TempDir tmp{"config"};
    const fs::path file = tmp / "config.toml";
    const std::string base = "# Team settings\n"
                             "\n"
                             "[core]\n"
                             "# which editor\n"
                             "editor = \"vi\"  # trailing\n"
                             "pager = \"less\"\n"
                             "\n"
                             "[team]\n"
                             "name = \"x\"\n";
    write_text(file, base);

    SUBCASE("replaces a value, keeping comments and other keys") {
        async::config_file_set(file, "core.editor", "nano");
        CHECK(read_text(file) == "# Team settings\n\n[core]\n# which editor\neditor = \"nano\"\n"
                                 "pager = \"less\"\n\n[team]\nname = \"x\"\n");
    }
    SUBCASE("adds a key to an existing table, right under its header") {
        async::config_file_set(file, "team.size", "25");
        CHECK(read_text(file) == "# Team settings\n\n[core]\n# which editor\neditor = \"vi\"  # trailing\n"
                                 "pager = \"less\"\n\n[team]\nsize = 25\nname = \"x\"\n");
    }
    SUBCASE("creates a missing table at the end") {
        async::config_file_set(file, "mail.from", "async@example.com");
        async::config_file_set(file, "people.bob.email", "bob@example.com");
        CHECK(read_text(file) == base + "\n[mail]\nfrom = \"async@example.com\"\n"
                                        "\n[people.bob]\nemail = \"bob@example.com\"\n");
    }
    SUBCASE("a top-level key goes before the first table") {
        async::config_file_set(file, "workspace", "~/notes");
        CHECK(read_text(file) == "# Team settings\n\nworkspace = \"~/notes\"\n[core]\n# which editor\n"
                                 "editor = \"vi\"  # trailing\npager = \"less\"\n\n[team]\nname = \"x\"\n");
        async::config_file_set(file, "workspace", "~/other");
        CHECK(read_text(file).find("workspace = \"~/other\"\n[core]\n") != std::string::npos);
    }
    SUBCASE("a missing file is created, folders included") {
        const fs::path fresh = tmp / "new/dir/config.toml";
        async::config_file_set(fresh, "core.editor", "vim");
        CHECK(read_text(fresh) == "[core]\neditor = \"vim\"\n");
        const fs::path top = tmp / "top.toml";
        async::config_file_set(top, "workspace", "~/w");
        CHECK(read_text(top) == "workspace = \"~/w\"\n");
    }
    SUBCASE("replaces every line of a multi-line value") {
        write_text(file, "[checkin]\nrepos = [\n  \"a\",\n  \"b\",\n]\nday = \"fri\"\nmotd = \"\"\"\nhi\n[x]\n\"\"\"\nend = 1\n");
        async::config_file_set(file, "checkin.repos", "[\"c\", \"d\"]");
        CHECK(read_text(file) == "[checkin]\nrepos = [\"c\", \"d\"]\nday = \"fri\"\nmotd = \"\"\"\nhi\n[x]\n\"\"\"\nend = 1\n");
        async::config_file_set(file, "checkin.motd", "short");
        CHECK(read_text(file) == "[checkin]\nrepos = [\"c\", \"d\"]\nday = \"fri\"\nmotd = \"short\"\nend = 1\n");
    }
    SUBCASE("values are typed like git config") {
        const std::vector<std::pair<std::string, std::string>> cases = {
            {"true", "true"},           {"false", "false"},       {"25", "25"},
            {"-3", "-3"},               {"+7", "+7"},             {"1.5", "\"1.5\""},
            {"True", "\"True\""},       {"hello world", "\"hello world\""},
            {"", "\"\""},               {"say \"hi\"\n", "\"say \\\"hi\\\"\\n\""},
            {"[\"a\", \"b\"]", "[\"a\", \"b\"]"}, {"[]", "[]"}, {"[1, 2]", "[1, 2]"},
            {"12345678901234567890", "\"12345678901234567890\""}};
        for (const auto& [input, literal] : cases) {
            CAPTURE(input);
            async::config_file_set(file, "team.value", input);
            CHECK(read_text(file) == "# Team settings\n\n[core]\n# which editor\neditor = \"vi\"  # trailing\n"
                                     "pager = \"less\"\n\n[team]\nvalue = " + literal + "\nname = \"x\"\n");
        }
        Config config = Config::load(env_of({{"HOME", (tmp / "home").string()}}), file);
        CHECK(config.get_list("team.value") == V{"12345678901234567890"});
    }
    SUBCASE("the typed values read back") {
        async::config_file_set(file, "team.flag", "true");
        async::config_file_set(file, "team.size", "25");
        async::config_file_set(file, "team.tags", "[\"x\", \"y\"]");
        async::config_file_set(file, "team.motto", "less is more # not a comment");
        Config config = Config::load(env_of({{"HOME", (tmp / "home").string()}}), file);
        CHECK(config.get("team.flag") == "true");
        CHECK(config.get("team.size") == "25");
        CHECK(config.get_list("team.tags") == V{"x", "y"});
        CHECK(config.get("team.motto") == "less is more # not a comment");
        CHECK(config.get("core.pager") == "less");
        // Read as a workspace's file, which nobody trusted: its editor is not taken.
        CHECK(config.refused() == V{"core.editor"});
    }
    SUBCASE("errors leave the file alone") {
        auto bad_array = error_of([&] { async::config_file_set(file, "team.tags", "[unclosed"); });
        CHECK(bad_array.kind() == ErrorKind::usage);
        CHECK(std::string{bad_array.what()} == "invalid TOML array '[unclosed'");
        auto section = error_of([&] { async::config_file_set(file, "core", "x"); });
        CHECK(section.kind() == ErrorKind::usage);
        CHECK(std::string{section.what()} == "'core' is a section, not a value");
        auto bad_key = error_of([&] { async::config_file_set(file, "a..b", "x"); });
        CHECK(bad_key.kind() == ErrorKind::usage);
        CHECK(read_text(file) == base);

        write_text(file, "[core\n");
        auto malformed = error_of([&] { async::config_file_set(file, "core.editor", "x"); });
        CHECK(malformed.kind() == ErrorKind::data);
        CHECK(std::string{malformed.what()}.starts_with(file.string() + ":1:6: "));
        CHECK(read_text(file) == "[core\n");
    }
}

TEST_CASE("config::config_file_unset") {
    TempDir tmp{"config"};
    const fs::path file = tmp / "config.toml";
    const std::string base = "# top\n[core]\n# which editor\neditor = \"vi\"\npager = \"less\"\n"
                             "[checkin]\nrepos = [\n  \"a\",\n  \"b\",\n]\nday = \"fri\"\n";
    write_text(file, base);
    SUBCASE("removes one key, keeping the rest") {
        CHECK(async::config_file_unset(file, "core.editor"));
        CHECK(read_text(file) == "# top\n[core]\n# which editor\npager = \"less\"\n"
                                 "[checkin]\nrepos = [\n  \"a\",\n  \"b\",\n]\nday = \"fri\"\n");
    }
    SUBCASE("removes every line of a multi-line array") {
        CHECK(async::config_file_unset(file, "checkin.repos"));
        CHECK(read_text(file) == "# top\n[core]\n# which editor\neditor = \"vi\"\npager = \"less\"\n"
                                 "[checkin]\nday = \"fri\"\n");
    }
    SUBCASE("false when there is nothing to remove") {
        CHECK_FALSE(async::config_file_unset(file, "core.missing"));
        CHECK_FALSE(async::config_file_unset(file, "core"));
        CHECK_FALSE(async::config_file_unset(file, "nothere.at.all"));
        CHECK(read_text(file) == base);
        CHECK_FALSE(async::config_file_unset(tmp / "missing.toml", "core.editor"));
        CHECK_FALSE(fs::exists(tmp / "missing.toml"));
    }
    SUBCASE("an invalid key is a usage error") {
        auto e = error_of([&] { async::config_file_unset(file, "bad key"); });
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(read_text(file) == base);
    }
}

TEST_CASE("config: committed settings that name a program count only in a trusted workspace") {
    TempDir tmp{"config"};
    const fs::path home = tmp / "home";
    const fs::path root = tmp / "ws";
    const fs::path ws_file = root / ".async/config.toml";
    const fs::path user_file = home / ".config/async/config.toml";
    write_text(ws_file, "[core]\neditor = \"touch pwned; true\"\n[mail]\nsendmail = [\"evil\"]\nfrom = \"a@b.c\"\n"
                        "[trust]\nworkspaces = [\"*\"]\n");
    const Env env = env_of({{"HOME", home.string()}});

    SUBCASE("untrusted: refused, my own value or the default applies") {
        write_text(user_file, "[core]\neditor = \"nano\"\n");
        Config config = Config::load(env, ws_file);
        CHECK(config.refused() == V{"core.editor", "mail.sendmail", "trust.workspaces"});
        CHECK(config.get("core.editor") == "nano");
        CHECK(config.get("mail.sendmail") == "sendmail");
        CHECK(config.get("mail.from") == "a@b.c");
        CHECK(config.get("trust.workspaces") == std::nullopt);
    }
    SUBCASE("trusting another folder trusts nothing here") {
        write_text(user_file, "[trust]\nworkspaces = [\"" + (tmp / "other").string() + "\"]\n");
        CHECK(Config::load(env, ws_file).refused() == V{"core.editor", "mail.sendmail", "trust.workspaces"});
    }
    SUBCASE("trusted by its folder, through a symbolic link, by ~/ or by *") {
        fs::create_directories(home);
        fs::create_directory_symlink(root, home / "link");
        for (std::string entry : {root.string(), root.string() + "/", std::string{"~/link"}, std::string{"*"}}) {
            CAPTURE(entry);
            write_text(user_file, "[trust]\nworkspaces = [\"" + entry + "\"]\n");
            Config config = Config::load(env, ws_file);
            CHECK(config.refused() == V{"trust.workspaces"});
            CHECK(config.get("core.editor") == "touch pwned; true");
            CHECK(config.get_list("mail.sendmail") == V{"evil"});
        }
    }
    SUBCASE("no workspace file: nothing refused") {
        CHECK(Config::load(env, {}).refused().empty());
    }
    CHECK(async::names_a_program("core.editor"));
    CHECK_FALSE(async::names_a_program("mail.from"));
}
