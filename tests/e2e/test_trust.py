"""Trust: parallel writers lose nothing (lock files), a held lock fails within its bound."""
import json
import os
import subprocess
import time
import tomllib
import unittest
from pathlib import Path

import harness
import test_git

N = 10
TRIALS = 3


class Parallel(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()

    def parallel(self, commands, user=None, extra_env=None):
        """Starts every command (a list of args after `-C WS`) at once; returns their Results."""
        env = dict(self.env)
        if user:
            env["ASYNC_USER"] = user
        env.update(extra_env or {})
        procs = [subprocess.Popen([harness.BIN, "-C", str(self.ws), *args], cwd=self.tmp, env=env,
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for args in commands]
        results = []
        for p in procs:
            out, err = p.communicate(timeout=60)
            results.append((p.returncode, out, err))
        for code, out, err in results:
            self.assertEqual(code, 0, f"stdout: {out!r} stderr: {err!r}")
        return results

    def state(self):
        path = self.ws / "people" / "alice" / "state.toml"
        return tomllib.loads(path.read_text()).get("decision", []) if path.exists() else []

    def test_inbox_done_and_undo(self):
        for i in range(N):
            self.ok("-C", str(self.ws), "inbox", "add", f"Item number {i}")
        r = self.ok("-C", str(self.ws), "inbox", "--json")
        handles = [i["handle"] for i in json.loads(r.out)["items"]]
        self.assertEqual(len(handles), N)
        for _ in range(TRIALS):
            self.parallel([["inbox", "done", h] for h in handles])
            self.assertEqual(len(self.state()), N)
            self.parallel([["inbox", "undo", h] for h in handles])
            self.assertEqual(len(self.state()), 0)

    def test_inbox_snooze_and_delegate(self):
        for i in range(N):
            self.ok("-C", str(self.ws), "inbox", "add", f"Item number {i}")
        r = self.ok("-C", str(self.ws), "inbox", "--json")
        handles = [i["handle"] for i in json.loads(r.out)["items"]]
        half = N // 2
        self.parallel([["inbox", "snooze", "--until", "mon", h] for h in handles[:half]] +
                      [["inbox", "delegate", "--to", "bob", h] for h in handles[half:]])
        verbs = sorted(d["verb"] for d in self.state())
        self.assertEqual(verbs, ["delegate"] * (N - half) + ["snooze"] * half)

    def test_config_set_workspace_and_user(self):
        for trial in range(TRIALS):
            self.parallel([["config", "set", f"people.p{trial}x{i}.email", f"p{i}@example.com"] for i in range(N)])
            config = tomllib.loads((self.ws / ".async" / "config.toml").read_text())
            self.assertEqual(len([k for k in config["people"] if k.startswith(f"p{trial}x")]), N)
            self.parallel([["config", "set", "--global", f"t{trial}.k{i}", str(i)] for i in range(N)])
            user = tomllib.loads((self.home / ".config" / "async" / "config.toml").read_text())
            self.assertEqual(user[f"t{trial}"], {f"k{i}": i for i in range(N)})
        self.parallel([["config", "unset", f"people.p0x{i}.email"] for i in range(N)])
        config = tomllib.loads((self.ws / ".async" / "config.toml").read_text())
        self.assertEqual([k for k in config["people"] if k.startswith("p0x") and config["people"][k]], [])

    def test_actions_done_and_undo(self):
        body = "\n".join(f"- [ ] @alice task {i}" for i in range(N)) + "\n"
        r = self.ok("-C", str(self.ws), "doc", "new", "Tasks", "-m", body)
        path = self.written(r)
        r = self.ok("-C", str(self.ws), "actions", "--json")
        handles = [a["handle"] for a in json.loads(r.out)["actions"]]
        self.assertEqual(len(handles), N)
        for _ in range(TRIALS):
            self.parallel([["actions", "done", h] for h in handles])
            self.assertEqual(path.read_text().count("- [x]"), N)
            self.parallel([["inbox", "undo", h] for h in handles])
            self.assertEqual(path.read_text().count("- [ ]"), N)
            self.parallel([["inbox", "done", h] for h in handles])
            self.assertEqual(path.read_text().count("- [x]"), N)
            self.parallel([["inbox", "undo", h] for h in handles])
            self.assertEqual(path.read_text().count("- [ ]"), N)

    def test_doc_close_with_outcomes(self):
        r = self.ok("-C", str(self.ws), "doc", "new", "Pricing", "-m", "Which tier?")
        doc_id, path = r.out.split()[0], self.written(r)
        self.parallel([["doc", "close", doc_id, "-m", f"outcome {i}"] for i in range(N)])
        text = path.read_text()
        self.assertEqual(sorted(line for line in text.splitlines() if line.startswith("Decision: ")),
                         sorted(f"Decision: outcome {i}" for i in range(N)))
        fm, _ = self.front_matter(path)
        self.assertEqual(fm["status"], "closed")

    def test_meeting_close(self):
        r = self.ok("-C", str(self.ws), "meeting", "open", "Sync", "--with", "bob", "-m", "## Item")
        meeting_id, agenda = r.out.split()[0], self.written(r)
        env = dict(self.env)
        procs = [subprocess.Popen([harness.BIN, "-C", str(self.ws), "meeting", "close", meeting_id, "-m", f"closing {i}"],
                                  cwd=self.tmp, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for i in range(N)]
        codes = [p.wait(timeout=60) for p in procs]
        for p in procs:
            p.stdout.close()
            p.stderr.close()
        # One summary (never replaced); the others are told it is there or already closed.
        self.assertIn(0, codes)
        self.assertTrue(set(codes) <= {0, 1}, codes)
        self.assertTrue((agenda.parent / "summary.md").exists())
        fm, _ = self.front_matter(agenda)
        self.assertEqual(fm["status"], "closed")
        self.assertEqual(list(agenda.parent.glob("*.lock")), [])


class HeldLock(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()

    def held(self, target, *args, bound=1.0):
        lock = Path(str(target) + ".lock")
        lock.parent.mkdir(parents=True, exist_ok=True)
        lock.write_text("")
        before = target.read_bytes() if target.exists() else None
        start = time.monotonic()
        r = self.a(*args, env={"ASYNC_LOCK_TIMEOUT": "0.3"})
        elapsed = time.monotonic() - start
        self.assertEqual(r.code, 4, r)
        self.assertIn("another async is writing", r.err)
        self.assertIn(f"remove '{lock}'", r.err)
        self.assertLess(elapsed, 0.3 + bound)
        self.assertGreaterEqual(elapsed, 0.3)
        self.assertEqual(target.read_bytes() if target.exists() else None, before)
        self.assertTrue(lock.exists())
        lock.unlink()
        self.assertEqual(self.a(*args).code, 0)

    def test_each_writer_waits_then_fails_with_exit_4(self):
        r = self.a("inbox", "add", "Call the bank")
        r = self.a("inbox", "--json")
        handle = json.loads(r.out)["items"][0]["handle"]
        self.held(self.ws / "people" / "alice" / "state.toml", "inbox", "done", handle)
        self.held(self.ws / ".async" / "config.toml", "config", "set", "team.name", "Core")
        self.held(self.home / ".config" / "async" / "config.toml", "config", "set", "--global", "core.pager", "less")
        r = self.a("doc", "new", "Tasks", "-m", "- [ ] @alice task\n")
        doc_id, path = r.out.split()[0], self.written(r)
        action = json.loads(self.a("actions", "--json").out)["actions"][0]["handle"]
        self.held(path, "actions", "done", action)
        self.held(path, "doc", "close", doc_id)

    def test_the_default_bound_is_five_seconds(self):
        lock = self.ws / ".async" / "config.toml.lock"
        lock.write_text("")
        start = time.monotonic()
        r = self.a("config", "set", "team.name", "Core")
        elapsed = time.monotonic() - start
        self.assertEqual(r.code, 4, r)
        self.assertTrue(4.9 <= elapsed < 8, elapsed)


class CommittedPrograms(harness.AsyncTestCase):
    """Settings that name a program count from the committed config only where trusted."""

    def setUp(self):
        super().setUp()
        self.init_ws()
        self.user_config = self.home / ".config" / "async" / "config.toml"

    def commit_setting(self, text):
        config = self.ws / ".async" / "config.toml"
        config.write_text(config.read_text() + "\n" + text + "\n")

    def trust(self, value):
        self.ok("config", "set", "--global", "trust.workspaces", json.dumps([value]))

    def test_committed_editor_runs_only_once_trusted(self):
        marker = self.tmp / "MARKER"
        self.commit_setting(f'[core]\neditor = "touch {marker}; true"')
        r = self.a("doc", "new", "Plan")
        self.assertEqual(r.code, 4, r)
        self.assertFalse(marker.exists())
        warning = [line for line in r.err.splitlines() if "core.editor" in line]
        self.assertEqual(len(warning), 1, r.err)
        self.assertIn("async: warning: ignoring core.editor in the committed '.async/config.toml'", warning[0])
        self.assertIn(f"async config set --global trust.workspaces '[\"{self.ws}\"]'", warning[0])
        self.assertNotIn("touch", self.a("config", "get", "core.editor").out)
        # A committed trust list trusts nothing.
        self.commit_setting('[trust]\nworkspaces = ["*"]')
        r = self.a("doc", "new", "Plan")
        self.assertEqual(r.code, 4, r)
        self.assertFalse(marker.exists())
        self.assertIn("ignoring trust.workspaces", r.err)
        # Trusting another folder is not trusting this one.
        self.trust(str(self.tmp / "elsewhere"))
        self.assertEqual(self.a("doc", "new", "Plan").code, 4)
        self.assertFalse(marker.exists())
        self.trust(str(self.ws))
        r = self.a("doc", "new", "Plan")
        self.assertTrue(marker.exists(), r)
        self.assertNotIn("core.editor", r.err)
        marker.unlink()
        self.trust("*")
        self.a("doc", "new", "Plan")
        self.assertTrue(marker.exists())

    def test_my_own_editor_is_kept_and_setting_it_in_the_workspace_warns(self):
        r = self.a("config", "set", "core.editor", "vim")
        self.assertEqual(r.code, 0, r)
        self.assertIn("used only by those who trust the workspace", r.err)
        self.ok("config", "set", "--global", "core.editor", "nano")
        r = self.a("config", "get", "core.editor")
        self.assertEqual(r.out, "nano\n")
        self.assertIn("ignoring core.editor", r.err)

    def test_committed_sendmail_runs_only_once_trusted(self):
        sent = self.tmp / "SENT"
        mine = self.tmp / "MINE"
        # My own sendmail stands in for the refused one (and keeps the test from mailing anyone).
        self.ok("config", "set", "--global", "mail.sendmail",
                json.dumps(["sh", "-c", f"cat >/dev/null; touch {mine}", "sendmail"]))
        self.commit_setting('[mail]\nfrom = "async@example.org"\nsendmail = ' +
                            json.dumps(["sh", "-c", f"cat >/dev/null; touch {sent}", "sendmail"]) +
                            '\n\n[people.alice]\nemail = "alice@example.com"\n\n[people.bob]\nemail = "bob@example.com"')
        r = self.a("doc", "new", "Pricing", "-r", "alice", "-d", "+1d", "-m", "Which tier?", user="bob")
        self.assertEqual(r.code, 0, r)
        r = self.a("remind", "--mail")
        self.assertEqual(r.code, 0, r)
        self.assertFalse(sent.exists())
        self.assertTrue(mine.exists(), r)
        self.assertIn("ignoring mail.sendmail", r.err)
        (self.ws / ".async" / "local" / "reminded.toml").unlink()
        self.trust(str(self.ws))
        r = self.a("remind", "--mail")
        self.assertEqual(r.code, 0, r)
        self.assertTrue(sent.exists(), r)



class Leftovers(test_git.GitCase):
    """What a kill -9 leaves mid-write (temp files, a lock) is never shared, and goes."""

    def leave(self, folder, name, age=0):
        path = folder / name
        path.write_text("half a file")
        if age:
            stamp = time.time() - age
            os.utime(path, (stamp, stamp))
        return path

    def test_sync_never_commits_them_and_a_write_removes_the_stale_ones(self):
        alice, _ = self.make_team()
        # A workspace made before init wrote the ignore rules: sync alone must keep them out.
        (alice / ".gitignore").write_text(".async/index.db*\n.async/local/\n")
        doc_id, path = self.new_doc(alice, "Plan")
        bundle = alice / Path(path).relative_to("alice").parent
        self.a_ok(alice, "inbox", "add", "Call the bank")
        handle = json.loads(self.a_ok(alice, "inbox", "--json").out)["items"][0]["handle"]
        mine = alice / "people" / "alice"
        dead = self.leave(bundle, ".index.md.tmp-2147483000-Ab3dE9")
        old = self.leave(bundle, ".index.md.tmp-Qw3rTy", age=3600)
        live = self.leave(bundle, f".index.md.tmp-{os.getpid()}-Zx9cVb")
        lock = self.leave(bundle, "index.md.lock")
        state_tmp = self.leave(mine, ".state.toml.tmp-2147483000-Ab3dE9")
        state_lock = self.leave(mine, "state.toml.lock", age=3600)
        rebuild = self.leave(alice / ".async", "index.db.new-2147483000")
        rebuild_rows = self.leave(alice / ".async", "index.db.new-2147483000-rows")
        self.a_ok(alice, "check")
        self.a_ok(alice, "sync")
        leftovers = [dead, old, live, lock, state_tmp, state_lock, rebuild, rebuild_rows]
        shared = self.git(self.bare, "ls-tree", "-r", "--name-only", "HEAD").stdout.split()
        names = {p.name for p in leftovers}
        self.assertEqual([f for f in shared if Path(f).name in names], [])
        self.assertIn(str(Path(path).relative_to("alice")), shared)
        self.assertEqual([f for f in self.git(alice, "ls-files").stdout.split() if Path(f).name in names], [])

        # The next write in each folder removes what a killed writer left; a live writer's
        # temp file and the locks stay (a lock is removed by hand, as the error says).
        r = self.a(alice, "doc", "close", doc_id)
        self.assertEqual(r.code, 4, r)
        self.assertIn(f"remove '{lock}'", r.err)
        lock.unlink()
        state_lock.unlink()
        self.a_ok(alice, "doc", "close", doc_id)
        self.a_ok(alice, "inbox", "done", handle)
        self.assertEqual([p.name for p in leftovers if p.exists()], [live.name])

    def test_init_ignores_them(self):
        ws = self.tmp / "fresh"
        self.ok("init", "--git", str(ws))
        self.ok("-C", str(ws), "inbox", "add", "Call the bank")
        folder = ws / "people" / "alice"
        self.leave(folder, ".state.toml.tmp-2147483000-Ab3dE9")
        self.leave(folder, "state.toml.lock")
        self.leave(ws / ".async", "config.toml.lock")
        status = self.git(ws, "status", "--porcelain", "--untracked-files=all").stdout
        self.assertNotIn("tmp-", status)
        self.assertNotIn(".lock", status)
        self.assertIn("people/alice/inbox/", status)


if __name__ == "__main__":
    harness.main()
