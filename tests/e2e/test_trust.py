"""Trust: parallel writers lose nothing (lock files), a held lock fails within its bound."""
import json
import os
import subprocess
import time
import tomllib
import unittest
from pathlib import Path

import harness

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


if __name__ == "__main__":
    harness.main()
