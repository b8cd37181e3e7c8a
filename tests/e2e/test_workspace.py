"""Workspaces, discovery, config, identity, templates and the global plumbing (foundation)."""
import json
import subprocess
import tomllib
from pathlib import Path

import harness

BUILTINS = ["checkin", "decision", "doc", "item", "meeting", "onboarding", "post", "reply",
            "response", "sop", "watercooler"]


class Init(harness.AsyncTestCase):
    def test_init_creates_layout_and_is_idempotent(self):
        r = self.ok("init", str(self.ws))
        self.assertEqual(r.out, "")
        self.assertIn("initialized", r.err)
        for sub in [".async/config.toml", ".async/templates", ".async/local", "docs", "meetings", "checkins", "people"]:
            self.assertTrue((self.ws / sub).exists(), sub)
        tomllib.loads((self.ws / ".async/config.toml").read_text())
        gitignore = (self.ws / ".gitignore").read_text().splitlines()
        self.assertIn(".async/index.db*", gitignore)
        self.assertIn(".async/local/", gitignore)
        (self.ws / ".async/config.toml").write_text('[team]\nname = "kept"\n')
        r = self.ok("init", str(self.ws))
        self.assertIn("already", r.err)
        self.assertEqual((self.ws / ".async/config.toml").read_text(), '[team]\nname = "kept"\n')
        self.assertEqual((self.ws / ".gitignore").read_text().splitlines(), gitignore)

    def test_init_keeps_an_existing_gitignore(self):
        self.ws.mkdir()
        (self.ws / ".gitignore").write_text("build/")
        self.ok("init", str(self.ws))
        self.assertEqual((self.ws / ".gitignore").read_text(), "build/\n.async/index.db*\n.async/local/\n.*.tmp-*\n*.md.lock\n*.toml.lock\n")

    def test_init_refuses_to_nest(self):
        self.ok("init", str(self.ws))
        r = self.run_async("init", str(self.ws / "docs" / "inner"))
        self.assertEqual(r.code, 2, r)
        self.assertIn("inside the workspace", r.err)
        self.assertFalse((self.ws / "docs" / "inner" / ".async").exists())

    def test_init_git(self):
        self.ok("init", "--git", str(self.ws))
        self.assertTrue((self.ws / ".git").is_dir())
        status = subprocess.run(["git", "-C", str(self.ws), "status", "--porcelain", "--ignored"],
                                capture_output=True, text=True, check=True).stdout
        self.assertNotIn("local", status.replace(".async/local/", "IGNORED"))

    def test_init_on_a_file_is_refused(self):
        f = self.tmp / "file"
        f.write_text("x")
        r = self.run_async("init", str(f))
        self.assertEqual((r.code, r.out), (2, ""), r)
        self.assertTrue(r.err.startswith(f"async: error: '{f}' exists and is not a folder\n"), r)
        self.assertEqual(f.read_text(), "x")
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["file", "home"])


class Discovery(harness.AsyncTestCase):
    def where(self, *args, **kwargs):
        r = self.run_async(*args, "doc", "new", "Where", "-m", "x", **kwargs)
        self.assertEqual(r.code, 0, r)
        return self.written(r, kwargs.get("cwd")).resolve()

    def test_order(self):
        a, b, c = self.tmp / "a", self.tmp / "b", self.tmp / "c"
        for ws in (a, b, c):
            self.ok("init", str(ws))
        (a / "docs" / "deep").mkdir()
        # walking up from a subfolder
        self.assertTrue(self.where(cwd=a / "docs" / "deep").is_relative_to(a))
        # ASYNC_DIR beats walking up
        self.assertTrue(self.where(cwd=a, env={"ASYNC_DIR": str(b)}).is_relative_to(b))
        # -C beats ASYNC_DIR
        self.assertTrue(self.where("-C", str(c), cwd=a, env={"ASYNC_DIR": str(b)}).is_relative_to(c))
        # the user config's workspace when nothing else matches
        self.ok("config", "set", "--global", "workspace", str(b))
        self.assertTrue(self.where(cwd=self.tmp).is_relative_to(b))

    def test_default_workspace_is_created_with_a_notice(self):
        r = self.run_async("doc", "new", "First idea", "-m", "x", cwd=self.tmp)
        self.assertEqual(r.code, 0, r)
        default = self.home / ".local/share/async"
        self.assertIn("created a new workspace", r.err)
        self.assertTrue(self.written(r).is_relative_to(default))
        r = self.run_async("doc", "new", "Second idea", "-m", "x", cwd=self.tmp)
        self.assertNotIn("created", r.err)

    def test_explicit_places_that_are_not_workspaces(self):
        r = self.run_async("-C", str(self.tmp), "doc", "new", "X", "-m", "x")
        self.assertEqual(r.code, 2, r)
        self.assertIn("not in an async workspace", r.err)
        r = self.run_async("doc", "new", "X", "-m", "x", env={"ASYNC_DIR": str(self.tmp / "nope")})
        self.assertEqual(r.code, 2, r)
        r = self.run_async("-C", str(self.tmp / "missing"), "templates")
        self.assertEqual(r.code, 2, r)


class Config(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()

    def cfg(self, *args, **kwargs):
        return self.run_async("-C", str(self.ws), "config", *args, **kwargs)

    def test_set_get_list_unset_keep_comments(self):
        path = self.ws / ".async/config.toml"
        self.assertEqual(self.cfg("set", "team.name", "Acme").code, 0)
        self.assertEqual(self.cfg("set", "people.bob.email", "bob@example.com").code, 0)
        self.assertEqual(self.cfg("set", "checkin.repos", '["~/src/a", "~/src/b"]').code, 0)
        self.assertEqual(self.cfg("set", "mail.port", "25").code, 0)
        text = path.read_text()
        self.assertIn("# One table per person", text)
        data = tomllib.loads(text)
        self.assertEqual(data["team"]["name"], "Acme")
        self.assertEqual(data["people"]["bob"]["email"], "bob@example.com")
        self.assertEqual(data["checkin"]["repos"], ["~/src/a", "~/src/b"])
        self.assertEqual(data["mail"]["port"], 25)
        self.assertEqual(self.cfg("get", "team.name").out, "Acme\n")
        self.assertEqual(self.cfg("set", "team.name", 'Quote " and \\ and\nnewline').code, 0)
        self.assertEqual(tomllib.loads(path.read_text())["team"]["name"], 'Quote " and \\ and\nnewline')
        listing = self.cfg("list", "--show-origin").out
        self.assertIn("workspace\tpeople.bob.email=bob@example.com", listing)
        self.assertIn("built-in\tmail.sendmail=sendmail", listing)
        self.assertEqual(self.cfg("unset", "people.bob.email").code, 0)
        self.assertEqual(self.cfg("get", "people.bob.email").code, 1)
        self.assertEqual(self.cfg("unset", "people.bob.email").code, 1)
        data = json.loads(self.cfg("list", "--json").out)
        self.assertEqual(data["schema"], 1)
        self.assertIn({"key": "mail.port", "value": "25", "origin": "workspace"}, data["settings"])

    def test_layers(self):
        self.cfg("set", "--global", "core.editor", "user-editor")
        self.cfg("set", "--global", "team.name", "from user")
        self.cfg("set", "team.name", "from workspace")
        self.assertEqual(self.cfg("get", "core.editor").out, "user-editor\n")
        self.assertEqual(self.cfg("get", "team.name").out, "from workspace\n")
        self.assertEqual(self.cfg("get", "--global", "team.name").out, "from user\n")
        self.cfg("set", "user.handle", "carol")
        self.assertEqual(self.cfg("get", "user.handle", env={"ASYNC_USER": "dave"}).out, "dave\n")
        user_file = self.home / ".config/async/config.toml"
        self.assertEqual(tomllib.loads(user_file.read_text())["core"]["editor"], "user-editor")

    def test_bad_keys_values_and_files(self):
        config = self.ws / ".async/config.toml"
        before = config.read_bytes()

        def refused(*args):
            r = self.cfg("set", *args)
            self.assertEqual((r.code, r.out), (2, ""), (args, r))
            self.assertTrue(r.err.startswith("async: error: "), (args, r))
            self.assertEqual(config.read_bytes(), before, args)

        for key in ["", "a..b", ".a", "a b", "a=b", "ü"]:
            refused(key, "v")
        refused("x.list", "[unclosed")
        self.assertEqual(self.cfg("get", "missing.key").code, 1)
        self.cfg("set", "team.name", "x")
        before = config.read_bytes()
        refused("team", "flat")
        (self.ws / ".async/config.toml").write_text("[team]\nname = \n")
        r = self.cfg("get", "team.name")
        self.assertEqual(r.code, 3, r)
        self.assertRegex(r.err, r"config\.toml:2:\d+: ")
        r = self.run_async("-C", str(self.ws), "doc", "new", "X", "-m", "x")
        self.assertEqual(r.code, 3, r)


class Identity(harness.AsyncTestCase):
    def author(self, env):
        r = self.run_async("-C", str(self.ws), "doc", "new", "Who", "-m", "x", env=env)
        self.assertEqual(r.code, 0, r)
        return self.front_matter(self.written(r))[0]["author"]

    def test_order(self):
        self.init_ws()
        gitcfg = self.home / ".gitconfig"
        self.assertEqual(self.author({"ASYNC_USER": None, "USER": "Env-User"}), "env-user")
        gitcfg.write_text("[user]\n\temail = Git.Person@example.com\n")
        self.assertEqual(self.author({"ASYNC_USER": None}), "git.person")
        self.ok("-C", str(self.ws), "config", "set", "--global", "user.handle", "configured")
        self.assertEqual(self.author({"ASYNC_USER": None}), "configured")
        self.assertEqual(self.author({"ASYNC_USER": "@Bob"}), "bob")
        r = self.run_async("-C", str(self.ws), "doc", "new", "Who", "-m", "x", env={"ASYNC_USER": "../.."})
        self.assertEqual(r.code, 2, r)

    def test_git_is_asked_only_when_nothing_else_says(self):
        self.init_ws()
        # A git that logs every run and knows one address.
        bin_dir = self.tmp / "bin"
        bin_dir.mkdir()
        log = self.tmp / "git.log"
        fake = bin_dir / "git"
        fake.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\n'
                        'if [ "$1 $2" = "config user.email" ]; then echo Fake.Git@example.com; exit 0; fi\nexit 1\n')
        fake.chmod(0o755)
        path = {"PATH": f"{bin_dir}:{self.env['PATH']}"}
        self.assertEqual(self.author(path), "alice")
        self.assertEqual(self.run_async("-C", str(self.ws), "inbox", env=path).code, 0)
        self.assertFalse(log.exists(), log.read_text() if log.exists() else "")
        self.assertEqual(self.author({**path, "ASYNC_USER": None}), "fake.git")
        self.assertEqual(log.read_text(), "config user.email\n")


class Templates(harness.AsyncTestCase):
    def test_list_and_overrides(self):
        r = self.ok("templates", "--json")
        data = json.loads(r.out)
        self.assertEqual([t["name"] for t in data["templates"]], BUILTINS)
        self.assertTrue(all(t["source"] == "built-in" for t in data["templates"]))
        self.assertTrue(all(t["description"] for t in data["templates"]))
        self.init_ws()
        user_dir = self.home / ".config/async/templates"
        user_dir.mkdir(parents=True)
        (user_dir / "doc.md").write_text("{{! mine }}\nUser doc for {{title}}\n")
        (user_dir / "retro.md").write_text("{{! a retro }}\nWhat went well?\n")
        r = self.ok("-C", str(self.ws), "templates")
        self.assertRegex(r.out, r"(?m)^doc\s+user\s+mine$")
        self.assertRegex(r.out, r"(?m)^retro\s+user\s+a retro$")
        (self.ws / ".async/templates/doc.md").write_text("{{! team }}\nTeam doc for {{title}}\n")
        r = self.ok("-C", str(self.ws), "templates")
        self.assertRegex(r.out, r"(?m)^doc\s+team\s+team$")
        self.assertEqual(self.ok("-C", str(self.ws), "templates", "show", "retro").out, "{{! a retro }}\nWhat went well?\n")
        r = self.ok("-C", str(self.ws), "doc", "new", "Override", "--no-edit")
        _, body = self.front_matter(self.written(r))
        self.assertEqual(body, "Team doc for Override\n")
        r = self.ok("-C", str(self.ws), "doc", "new", "Retro", "--template", "retro", "--no-edit")
        fm, body = self.front_matter(self.written(r))
        self.assertEqual((fm["type"], body), ("doc", "What went well?\n"))

    def test_show_unknown_and_broken(self):
        r = self.run_async("templates", "show", "nope")
        self.assertEqual(r.code, 1, r)
        self.init_ws()
        (self.ws / ".async/templates/doc.md").write_text("{{#open}} never closed\n")
        r = self.run_async("-C", str(self.ws), "doc", "new", "Broken", "--no-edit")
        self.assertEqual(r.code, 3, r)
        self.assertIn("template 'doc'", r.err)
        self.assertEqual(self.docs(), [])

    def test_listing_opens_no_workspace(self):
        self.ok("templates", cwd=self.tmp)
        self.assertFalse((self.home / ".local/share/async").exists())


class Plumbing(harness.AsyncTestCase):
    def test_version_help_and_usage_errors(self):
        r = self.ok("--version")
        self.assertRegex(r.out, r"^async \d+\.\d+\.\d+\n$")
        self.assertIn("doc", self.ok("--help").out)
        self.assertIn("--reviewers", self.ok("doc", "new", "--help").out)
        for args in [["--bogus"], ["doc", "new", "--bogus"], [], ["--color=sometimes", "templates"]]:
            r = self.run_async(*args)
            self.assertEqual(r.code, 2, (args, r))
            self.assertTrue(r.err.startswith("async: error: "), r)
            self.assertEqual(r.out, "")
        self.assertFalse((self.home / ".local/share/async").exists())

    def test_bad_async_now(self):
        self.init_ws()
        r = self.run_async("-C", str(self.ws), "doc", "new", "X", "-m", "x", env={"ASYNC_NOW": "yesterday-ish"})
        self.assertEqual(r.code, 2, r)
        self.assertIn("ASYNC_NOW", r.err)

    def test_full_stdout_is_an_error(self):
        with open("/dev/full", "w") as full:
            proc = subprocess.run([harness.BIN, "templates"], env=self.env, stdout=full,
                                  stderr=subprocess.PIPE, text=True)
        self.assertEqual(proc.returncode, 4, proc.stderr)

    def test_error_messages_are_sanitised(self):
        self.init_ws()
        r = self.run_async("-C", str(self.ws), "templates", "show", "x\x1b[2Jy")
        self.assertEqual(r.code, 1, r)
        self.assertNotIn("\x1b", r.err)
        self.assertIn("^[", r.err)


if __name__ == "__main__":
    harness.main()
