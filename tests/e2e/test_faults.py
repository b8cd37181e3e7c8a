"""Faults of the machine and of the index: a damaged index, handles that would collide, kill -9
in the middle of every kind of write."""
import json
import os
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import harness

NOTICE = "async: the index was damaged; rebuilt it from the files\n"

# The read commands whose answers must survive any damage to the index (the sample's ids).
READS = [
    ("list",),
    ("search", "pricing"),
    ("inbox",),
    ("show", "k3f9q2ma"),
    ("actions",),
    ("decisions",),
]


class IndexDamage(harness.AsyncTestCase):
    """Every kind of damage: --check sees it without changing the file, and the next read
    command rebuilds the index once, says so in one line, and answers as before."""

    def setUp(self):
        super().setUp()
        self.ok("init", "--sample", str(self.ws))
        # One rebuild, so the whole index is in index.db (nothing in a WAL that would hide the
        # damage written over the file below).
        self.assertEqual(self.a("index", "--full").code, 0)
        self.db = self.ws / ".async" / "index.db"
        self.before = {cmd: self.ok("-C", str(self.ws), *cmd).out for cmd in READS}
        for suffix in ("-wal", "-shm"):
            Path(str(self.db) + suffix).unlink(missing_ok=True)

    def assert_repaired(self):
        damaged = self.db.read_bytes()
        r = self.a("index", "--check")
        self.assertNotEqual(r.code, 0, r)
        self.assertIn(".async/index.db: ", r.out)
        self.assertEqual(self.db.read_bytes(), damaged, "--check changed the damaged index")
        notices = 0
        for cmd in READS:
            r = self.a(*cmd)
            self.assertEqual(r.code, 0, (cmd, r))
            self.assertEqual(r.out, self.before[cmd], cmd)
            notices += r.err.count(NOTICE)
            self.assertEqual(r.err.replace(NOTICE, ""), "", (cmd, r))
        self.assertEqual(notices, 1)
        r = self.a("index", "--check")
        self.assertEqual((r.code, r.out), (0, ""), r)

    def overwrite(self, offset, data):
        with open(self.db, "r+b") as f:
            f.seek(offset)
            f.write(data)

    def test_random_bytes_over_page_5(self):
        page = sqlite3.connect(self.db).execute("PRAGMA page_size").fetchone()[0]
        rng = random.Random(5)
        self.overwrite(4 * page, bytes(rng.randrange(256) for _ in range(page)))
        self.assert_repaired()

    def test_a_dropped_table(self):
        con = sqlite3.connect(self.db)
        con.execute("DROP TABLE decisions")
        con.commit()
        con.close()
        self.assert_repaired()

    def test_a_truncated_file(self):
        size = self.db.stat().st_size
        with open(self.db, "r+b") as f:
            f.truncate(size // 2)
        self.assert_repaired()

    def test_garbage_over_the_header(self):
        self.overwrite(0, bytes(random.Random(100).randrange(256) for _ in range(100)))
        self.assert_repaired()

    def test_async_index_repairs_damage_no_refresh_would_read(self):
        page = sqlite3.connect(self.db).execute("PRAGMA page_size").fetchone()[0]
        pages = self.db.stat().st_size // page
        # The last page: search rows no other command of the sample reads.
        self.overwrite((pages - 1) * page, b"\xff" * page)
        self.assertNotEqual(self.a("index", "--check").code, 0)
        r = self.a("index")
        self.assertEqual((r.code, r.err), (0, NOTICE), r)
        self.assertEqual(self.a("index", "--check").code, 0)

    def test_a_clean_check_is_read_again_only_after_a_write(self):
        def checked():
            r = self.a("--json", "index")
            self.assertEqual(r.code, 0, r)
            return json.loads(r.out)["pages_checked"]

        self.assertTrue(checked())
        self.assertTrue((self.ws / ".async" / "local" / "index-checked").is_file())
        self.assertFalse(checked(), "a file no one wrote was read page by page again")
        self.assertFalse(checked())
        # A write by async itself: the next `async index` checks again, then trusts the file.
        self.ok("-C", str(self.ws), "doc", "new", "-m", "text", "Another")
        self.assertTrue(checked())
        self.assertFalse(checked())
        # A write that puts the modification time back is still seen (the change time moves).
        page = sqlite3.connect(self.db).execute("PRAGMA page_size").fetchone()[0]
        pages = self.db.stat().st_size // page
        st = self.db.stat()
        time.sleep(0.01)
        self.overwrite((pages - 1) * page, b"\xff" * page)
        os.utime(self.db, ns=(st.st_atime_ns, st.st_mtime_ns))
        self.assertEqual(self.db.stat().st_size, st.st_size)
        r = self.a("--json", "index")
        self.assertEqual((r.code, r.err), (0, NOTICE), r)
        self.assertTrue(json.loads(r.out)["pages_checked"])
        self.assertEqual(self.a("index", "--check").code, 0)
        # --full reads every file, not every page.
        r = self.a("--json", "index", "--full")
        self.assertFalse(json.loads(r.out)["pages_checked"])


class Handles(harness.AsyncTestCase):
    """'a/b', 'a:b' and 'a b' once all became 'a-b': one person of three. Now each is refused."""

    def setUp(self):
        super().setUp()
        self.init_ws()

    def test_a_handle_that_normalisation_would_change_is_refused(self):
        for bad in ["a/b", "a:b", "a b"]:
            with self.subTest(bad=bad):
                r = self.a("doc", "new", "-m", "text", "--reviewers", bad, "Title")
                self.assertEqual(r.code, 2, r)
                self.assertIn(f"invalid handle '{bad}'", r.err)
                self.assertEqual(self.docs(), [])
                r = self.a("config", "set", "user.handle", bad)
                self.assertEqual(r.code, 2, r)
                self.assertIn(bad, r.err)
                r = self.a("inbox", user=bad)
                self.assertEqual(r.code, 2, r)
                self.assertIn(f"invalid handle '{bad}'", r.err)

    def test_case_and_at_sign_are_one_person(self):
        r = self.a("doc", "new", "-m", "text", "--reviewers", "@Bob", "Title", user="Alice")
        self.assertEqual(r.code, 0, r)
        meta, _ = self.front_matter(self.written(r))
        self.assertEqual((meta["author"], meta["reviewers"]), ("alice", ["bob"]))


class Environment(harness.AsyncTestCase):
    """The machine says no: a read-only workspace, a full disk, no HOME."""

    def setUp(self):
        super().setUp()
        self.init_ws()
        self.ok("-C", str(self.ws), "doc", "new", "-m", "- [ ] @alice ship it", "Alpha")

    def test_a_read_only_workspace_is_read_from_its_index_while_it_is_current(self):
        reads = [("list",), ("search", "ship"), ("actions",), ("inbox",)]
        before = {cmd: self.ok("-C", str(self.ws), *cmd).out for cmd in reads}
        subprocess.run(["chmod", "-R", "a-w", str(self.ws)], check=True)
        try:
            for cmd in reads:
                r = self.a(*cmd, unprivileged=True)
                self.assertEqual((r.code, r.out, r.err), (0, before[cmd], ""), (cmd, r))
            r = self.a("index", "--check", unprivileged=True)
            self.assertEqual((r.code, r.out), (0, ""), r)
            # A file changed since it was indexed: the index cannot catch up, and says so.
            doc = next((self.ws / "docs").glob("*/index.md"))
            os.chmod(doc, 0o644)
            with open(doc, "a") as f:
                f.write("more\n")
            os.chmod(doc, 0o444)
            r = self.a("list", unprivileged=True)
            self.assertEqual(r.code, 4, r)
            self.assertIn("the index is out of date (1 file(s) changed since it was indexed) and cannot be "
                          "refreshed", r.err)
            self.assertNotIn("delete", r.err)
            r = self.a("index", "--check", unprivileged=True)
            self.assertEqual(r.code, 1, r)
            self.assertIn("changed since it was indexed", r.out)
        finally:
            subprocess.run(["chmod", "-R", "u+w", str(self.ws)], check=True)

    def run_limited(self, limit, *args):
        """async with its file size limit at limit bytes: a write past it fails with EFBIG (SIGXFSZ
        is ignored), the fault injector standing in for a full disk (no mount needed)."""
        def limit_size():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        return subprocess.run([harness.BIN, "-C", str(self.ws), *args], env=self.env, cwd=self.tmp,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, preexec_fn=limit_size)

    def test_a_full_disk_is_exit_4_and_leaves_no_empty_folder(self):
        self.ok("-C", str(self.ws), "list")  # the index is current: doc new writes only its file
        before = self.docs()
        r = self.run_limited(64, "doc", "new", "-m", "x" * 4096, "Too big")
        self.assertEqual(r.returncode, 4, r)
        self.assertIn("File too large", r.stderr)
        self.assertEqual(self.docs(), before)
        self.assertEqual(sorted(p.name for p in (self.ws / "docs").iterdir()), [Path(before[0]).parts[0]])
        r = self.run_limited(64, "config", "set", "team.name", "y" * 4096)
        self.assertEqual(r.returncode, 4, r)
        self.assertNotIn("yyyy", (self.ws / ".async/config.toml").read_text())

    def test_without_home_a_workspace_must_be_named(self):
        no_home = {"HOME": None, "XDG_CONFIG_HOME": None, "XDG_DATA_HOME": None, "XDG_CACHE_HOME": None}
        default = Path("/.local/share/async")
        existed = default.exists()
        r = self.run_async("list", env=no_home)
        self.assertEqual(r.code, 4, r)
        self.assertIn("async: error: HOME is not set, so the default workspace cannot be found", r.err)
        self.assertIn("hint: set HOME", r.err)
        self.assertEqual(default.exists(), existed)
        r = self.run_async("-C", str(self.ws), "list", env=no_home)
        self.assertEqual(r.code, 0, r)
        self.assertIn("Alpha", r.out)
        r = self.run_async("-C", str(self.ws), "config", "set", "--global", "user.handle", "bob", env=no_home)
        self.assertEqual(r.code, 4, r)
        self.assertIn("HOME is not set", r.err)


class KillNine(harness.AsyncTestCase):
    """kill -9 at a random moment of every kind of write. Afterwards the index matches the files
    (once the next command has refreshed it), git sees no temp file, and every write that exited
    0 before a kill is there. Seeded: the seed is in every failure message (ASYNC_FAULT_SEED
    replays one)."""

    TRIALS = 160  # about 10 s on a quiet machine

    def setUp(self):
        super().setUp()
        self.init_ws()
        subprocess.run(["git", "init", "-q", str(self.ws)], check=True, env=self.env)
        self.env["ASYNC_LOCK_TIMEOUT"] = "0.5"
        lines = "\n".join(f"- [ ] @alice mine-{i}\n- [ ] @bob theirs-{i}" for i in range(self.TRIALS))
        r = self.ok("-C", str(self.ws), "doc", "new", "-m", lines, "Work")
        self.doc = r.out.split(" ", 1)[0]
        r = self.ok("-C", str(self.ws), "meeting", "open", "Weekly", "--with", "bob,carol", "-d", "+1d",
                    "-m", "## Item")
        self.meeting = r.out.split(" ", 1)[0]
        self.seed = int(os.environ.get("ASYNC_FAULT_SEED", random.SystemRandom().randrange(1 << 32)))
        self.rng = random.Random(self.seed)

    def handles(self, owner):
        r = self.a("--json", "actions", "--owner", owner)
        self.assertEqual(r.code, 0, r)
        return {a["text"]: a["handle"] for a in json.loads(r.out)["actions"]}

    def writes(self):
        """(name, argv, env, the check that its effect is on disk) for trial i."""
        mine, theirs = self.handles("alice"), self.handles("bob")
        ws = self.ws

        def grep(folder, text):
            return lambda: any(text in p.read_text(errors="replace") for p in Path(ws, folder).rglob("*.md"))

        def ticked(owner, text):
            return lambda: f"- [x] @{owner} {text}\n" in next(Path(ws, "docs").glob("*-work/index.md")).read_text()

        def draft(i):
            path = self.tmp / f"draft-{i}.md"  # removed by doc new once the document is written
            path.write_text(f"+++\ntitle = \"Filed {i}\"\n+++\nbody {i}\n")
            return str(path)

        return {
            "doc new --file": lambda i: (["doc", "new", "--file", draft(i)], {},
                                         grep("docs", f"Filed {i}")),
            "doc reply": lambda i: (["doc", "reply", self.doc, "-m", f"reply {i}"], {"ASYNC_USER": "bob"},
                                    grep("docs", f"reply {i}")),
            "meeting respond": lambda i: (["meeting", "respond", self.meeting, "-m", f"response {i}"],
                                          {"ASYNC_USER": f"p{i}"}, grep("meetings", f"response {i}")),
            "checkin": lambda i: (["checkin", "-m", f"checkin {i}"], {"ASYNC_USER": f"p{i}"},
                                  grep("checkins", f"checkin {i}")),
            "inbox done": lambda i: (["inbox", "done", mine[f"mine-{i}"]], {}, ticked("alice", f"mine-{i}")),
            "actions done": lambda i: (["actions", "done", theirs[f"theirs-{i}"]], {}, ticked("bob", f"theirs-{i}")),
            "config set": lambda i: (["config", "set", f"fault.key{i}", f"value{i}"], {},
                                     lambda: f'key{i} = "value{i}"' in (ws / ".async/config.toml").read_text()),
            "index refresh": lambda i: (["index", "--full"], {}, lambda: True),
        }

    def test_kill_nine_at_random_points_of_every_write(self):
        writes = self.writes()
        kinds = sorted(writes)
        must_exist = []  # (what, check) of writes that exited 0
        log = []
        for i in range(self.TRIALS):
            kind = kinds[i % len(kinds)]
            argv, extra, check = writes[kind](i)
            env = dict(self.env)
            env.update(extra)
            # Most of these commands take 5-50 ms here: a kill anywhere in that span, or none.
            delay = self.rng.uniform(0, 0.06)
            proc = subprocess.Popen([harness.BIN, "-C", str(self.ws), *argv], env=env, cwd=self.tmp,
                                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            time.sleep(delay)  # the fault's moment, not a synchronisation
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            log.append(f"{i} {kind} delay={delay:.4f} exit={proc.returncode}")
            if proc.returncode == 0:
                must_exist.append((f"{i} {kind}", check))
            elif proc.returncode != -signal.SIGKILL:
                # Exited by itself: only a lock a killed writer left may stop it (exit 4).
                self.assertEqual(proc.returncode, 4, (self.seed, log[-1], err))
                self.assertIn(".lock", err.decode())
            if proc.returncode == -signal.SIGKILL:
                # What the lock's message tells a person to do once no async runs.
                for lock in ws_locks(self.ws):
                    lock.unlink()
        print(f"\n{sum(1 for line in log if 'exit=-9' in line)} of {len(log)} killed", file=sys.stderr)
        where = f"seed {self.seed} (ASYNC_FAULT_SEED={self.seed} replays it):\n" + "\n".join(log)
        self.assertGreater(len(must_exist), 0, where)
        self.assertLess(len(must_exist), self.TRIALS, where)
        r = self.a("list")
        self.assertEqual(r.code, 0, (where, r))
        r = self.a("index", "--check")
        self.assertEqual((r.code, r.out), (0, ""), (where, r))
        status = subprocess.run(["git", "status", "--porcelain", "--ignored=no", "--untracked-files=all"],
                                cwd=self.ws, env=self.env, capture_output=True, text=True, check=True).stdout
        leftovers = [line for line in status.splitlines() if ".tmp-" in line or line.endswith(".lock")
                     or "index.db" in line]
        self.assertEqual(leftovers, [], where)
        missing = [what for what, check in must_exist if not check()]
        self.assertEqual(missing, [], where)


def ws_locks(ws):
    """Lock files of async's writes (index.db.lock is the index's flock, never stale)."""
    return [p for p in Path(ws).rglob("*.lock") if p.name != "index.db.lock"]


if __name__ == "__main__":
    harness.main()
