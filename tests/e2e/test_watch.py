"""Every read sees exactly the files on disk, with and without the file watcher (Watchman).

The same edits (in place, by rename, deletes, creates, folder renames, git checkout of another
branch) run three ways: without Watchman, with a Watchman this test starts itself (its own
state folder and socket through WATCHMAN_SOCK, never a system instance), and with that Watchman
killed in the middle. Tests that need watchman fail when it is not installed.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import harness


def doc_text(doc_id, word):
    return (f'+++\nid = "{doc_id}"\ntype = "doc"\ntitle = "Doc {doc_id}"\nauthor = "alice"\n'
            f'created = 2026-11-20T09:00:00Z\nstatus = "open"\n+++\nThe word is {word}.\n')


class Watchman:
    """A private watchman server: its own state folder and socket, stopped by pid."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.sock = str(self.folder / "sock")
        binary = shutil.which("watchman")
        if binary is None:
            raise AssertionError("watchman is not installed (scripts/install-deps.sh installs it)")
        self.proc = subprocess.Popen(
            [binary, "--foreground", f"--sockname={self.sock}", f"--statefile={self.folder / 'state'}",
             f"--logfile={self.folder / 'log'}", f"--pidfile={self.folder / 'pid'}"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Ready when its socket accepts a connection (bounded: a server that never answers fails).
        deadline = time.monotonic() + 30
        while True:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(self.sock)
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"watchman did not start: {(self.folder / 'log').read_text(errors='replace')}")
                time.sleep(0.02)
            finally:
                s.close()

    def kill(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


class WatchCase(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.watchman = None
        self.init_ws()

    def tearDown(self):
        if self.watchman is not None:
            self.watchman.kill()
        super().tearDown()

    def start_watchman(self):
        self.watchman = Watchman(self.tmp / "watchman")
        self.env["WATCHMAN_SOCK"] = self.watchman.sock

    def j(self, *args):
        r = self.a("--json", *args)
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("warning", r.err)
        return json.loads(r.out)

    def found(self, word):
        """The paths search finds for word (exit 1 and nothing printed when none)."""
        r = self.a("--json", "search", word)
        self.assertIn(r.code, (0, 1), r)
        self.assertNotIn("warning", r.err)
        return [d["path"] for d in json.loads(r.out)["results"]] if r.code == 0 else []

    def put(self, rel, doc_id, word):
        path = self.ws / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(doc_text(doc_id, word))

    def assert_sees_disk(self, step):
        """list and search name exactly the documents on disk, each found by its own word."""
        on_disk = {}
        for path in (self.ws / "docs").rglob("index.md"):
            word = path.read_text().split("The word is ")[1].split(".")[0]
            on_disk[str(path.relative_to(self.ws))] = word
        listed = sorted(d["path"] for d in self.j("list")["documents"])
        self.assertEqual(listed, sorted(on_disk), step)
        for path, word in on_disk.items():
            found = self.found(word)
            self.assertEqual(found, [path], f"{step}: search {word}")
        return on_disk

    def git(self, *args):
        subprocess.run(["git", "-C", str(self.ws), *args], check=True, capture_output=True,
                       env={**self.env, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@x",
                            "GIT_COMMITTER_NAME": "a", "GIT_COMMITTER_EMAIL": "a@x"})

    def scenario(self, midway=None):
        """The edits; midway (optional) runs after the first half."""
        self.put("docs/alpha/index.md", "alpha", "zeppelin")
        self.put("docs/beta/index.md", "beta", "quokka")
        self.assert_sees_disk("created")

        # An editor that writes in place: same file, same inode, new content of the same size.
        alpha = self.ws / "docs/alpha/index.md"
        with open(alpha, "r+") as f:
            text = f.read().replace("zeppelin", "marmoset")
            f.seek(0)
            f.write(text)
            f.truncate()
        self.assertEqual(self.found("zeppelin"), [])
        self.assert_sees_disk("edited in place")

        # An editor that writes a new file and renames it over the old one.
        beta = self.ws / "docs/beta/index.md"
        tmp = beta.with_name(".index.md.swp")
        tmp.write_text(doc_text("beta", "narwhal"))
        os.replace(tmp, beta)
        self.assertEqual(self.found("quokka"), [])
        self.assert_sees_disk("written by rename")

        if midway:
            midway()

        alpha.unlink()
        self.assert_sees_disk("file deleted")

        self.put("docs/group/gamma/index.md", "gamma", "axolotl")
        self.put("docs/group/delta/index.md", "delta", "pangolin")
        self.assert_sees_disk("folders created")

        (self.ws / "docs/group").rename(self.ws / "docs/team")
        self.assert_sees_disk("folder renamed")

        (self.ws / "docs/team/gamma").rename(self.ws / "docs/gamma")
        self.assert_sees_disk("folder moved up")

        shutil.rmtree(self.ws / "docs/team")
        self.assert_sees_disk("folder tree deleted")

        # A folder moved in from outside the workspace, and one moved out of it.
        outside = self.tmp / "outside"
        (outside / "zeta/deeper").mkdir(parents=True)
        (outside / "zeta/index.md").write_text(doc_text("zeta", "tapir"))
        (outside / "zeta/deeper/index.md").write_text(doc_text("zeta2", "dugong"))
        (outside / "zeta").rename(self.ws / "docs/zeta")
        self.assert_sees_disk("folder moved in")
        (self.ws / "docs/zeta").rename(outside / "zeta")
        self.assert_sees_disk("folder moved out")

        # git checkout of another branch changes, adds and removes files at once.
        self.git("init", "-q", "-b", "main")
        self.git("add", "-A")
        self.git("commit", "-q", "-m", "one")
        self.git("checkout", "-q", "-b", "other")
        (self.ws / "docs/gamma/index.md").unlink()
        self.put("docs/beta/index.md", "beta", "capybara")
        self.put("docs/epsilon/index.md", "epsilon", "okapi")
        self.git("add", "-A")
        self.git("commit", "-q", "-m", "two")
        self.assert_sees_disk("on the other branch")
        self.git("checkout", "-q", "main")
        disk = self.assert_sees_disk("back on main")
        self.assertEqual(sorted(disk.values()), ["axolotl", "narwhal"])
        self.git("checkout", "-q", "other")
        self.assert_sees_disk("on the other branch again")
        r = self.a("index", "--check")
        self.assertEqual(r.code, 0, r)

    def watcher_status(self):
        r = self.a("--json", "index", "--check")
        self.assertEqual(r.code, 0, r)
        return json.loads(r.out)["watcher"]


class WithoutWatchman(WatchCase):
    def test_every_read_sees_the_files_on_disk(self):
        self.env["WATCHMAN_SOCK"] = str(self.tmp / "no-such-socket")
        self.assertFalse(self.watcher_status()["in_use"])
        self.scenario()

    def test_turned_off_by_config_even_with_a_server(self):
        self.start_watchman()
        self.ok("config", "set", "index.watcher", "false", cwd=self.ws)
        r = self.a("index", "--watch")
        self.assertEqual(r.code, 4, r)
        self.assertIn("index.watcher = false", r.err)
        self.assertFalse(self.watcher_status()["in_use"])
        self.scenario()


    def test_completion_without_a_watcher_answers_from_the_index_as_it_is(self):
        self.env["WATCHMAN_SOCK"] = str(self.tmp / "no-such-socket")
        self.put("docs/alpha/index.md", "alpha", "one")
        self.ok("list", cwd=self.ws)
        self.put("docs/beta/index.md", "beta", "two")
        r = self.a("__complete", "ids")
        self.assertEqual(r.code, 0, r)
        self.assertEqual([line.split("\t")[0] for line in r.out.splitlines()], ["alpha"])
        self.assertEqual(self.j("index")["parsed"], 1)  # nothing walked it in


class WithWatchman(WatchCase):
    def test_every_read_sees_the_files_on_disk(self):
        self.start_watchman()
        r = self.a("index", "--watch")
        self.assertEqual(r.code, 0, r)
        self.assertIn("watcher: in use", r.err)
        status = self.watcher_status()
        self.assertTrue(status["in_use"], status)
        self.scenario()
        # The refreshes went through the watcher: it stored the clock of its last answer.
        state = json.loads((self.ws / ".async/local/watchman.json").read_text())
        self.assertTrue(state["clock"].startswith("c:"), state)

    def test_a_copy_of_a_registered_workspace_never_asks_about_the_original(self):
        self.start_watchman()
        self.ok("index", "--watch", cwd=self.ws)
        self.put("docs/alpha/index.md", "alpha", "zeppelin")
        self.assert_sees_disk("registered")
        copy = self.tmp / "copy"
        shutil.copytree(self.ws, copy, symlinks=True)
        self.ws = copy
        self.put("docs/beta/index.md", "beta", "quokka")
        self.assert_sees_disk("in the copy")
        self.assertFalse(self.watcher_status()["in_use"])

    def test_init_registers_a_workspace_with_a_running_watchman(self):
        self.start_watchman()
        ws = self.tmp / "second"
        r = self.run_async("init", str(ws))
        self.assertEqual(r.code, 0, r)
        self.assertIn("registered the workspace with watchman", r.err)
        self.ws = ws
        self.assertTrue(self.watcher_status()["in_use"])
        self.scenario()

    def test_inbox_count_is_fresh(self):
        self.start_watchman()
        self.ok("index", "--watch", cwd=self.ws)
        r = self.a("inbox", "--count")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.out, "0\n")
        (self.ws / "docs/x").mkdir(parents=True)
        (self.ws / "docs/x/index.md").write_text(
            '+++\nid = "x"\ntype = "doc"\ntitle = "X"\nauthor = "bob"\ncreated = 2026-11-20T09:00:00Z\n'
            'status = "open"\n+++\n- [ ] @alice review this\n')
        count = self.a("inbox", "--count")
        self.assertEqual(count.code, 0, count)
        items = json.loads(self.a("--json", "inbox").out)["items"]
        self.assertEqual(count.out, f"{len(items)}\n")
        self.assertGreater(len(items), 0)
        self.assertEqual(json.loads(self.a("--json", "inbox", "--count").out)["count"], len(items))


    def test_completion_offers_a_document_written_by_other_means_at_once(self):
        self.start_watchman()
        self.ok("index", "--watch", cwd=self.ws)
        self.put("docs/alpha/index.md", "alpha", "one")
        self.ok("list", cwd=self.ws)  # stores the watcher's clock
        # As a `git pull` would: a file no async command wrote, and no read command since.
        self.put("docs/beta/index.md", "beta", "two")
        r = self.a("__complete", "ids")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.err, "")
        self.assertEqual(sorted(line.split("\t")[0] for line in r.out.splitlines()), ["alpha", "beta"])
        # It was stored, as a refresh stores it: the next read has nothing to read.
        self.assertEqual(self.j("index")["parsed"], 0)


class WatchmanKilledMidway(WatchCase):
    def test_every_read_sees_the_files_on_disk(self):
        self.start_watchman()
        self.ok("index", "--watch", cwd=self.ws)
        self.assertTrue(self.watcher_status()["in_use"])

        def kill():
            self.watchman.kill()
            status = self.watcher_status()
            self.assertFalse(status["in_use"], status)

        self.scenario(midway=kill)


class HostileWatcher(WatchCase):
    """A server on WATCHMAN_SOCK that answers queries with bad JSON: the refresh walks instead."""

    def serve(self, answer):
        path = str(self.tmp / "fake.sock")
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(path)
        server.listen(8)
        self.addCleanup(server.close)

        def loop():
            while True:
                try:
                    conn, _ = server.accept()
                except OSError:
                    return
                with conn:
                    buf = b""
                    while True:
                        data = conn.recv(65536)
                        if not data:
                            break
                        buf += data
                        while b"\n" in buf:
                            line, buf = buf.split(b"\n", 1)
                            request = json.loads(line)
                            if request[0] == "watch-project":
                                conn.sendall(json.dumps({"watch": request[1]}).encode() + b"\n")
                            elif request[0] == "clock":
                                conn.sendall(b'{"clock": "c:1:1:1:1"}\n')
                            else:
                                conn.sendall(answer + b"\n")

        threading.Thread(target=loop, daemon=True).start()
        self.env["WATCHMAN_SOCK"] = path

    def check_walks_with_one_warning(self, answer):
        self.serve(answer)
        self.ok("index", "--watch", cwd=self.ws)
        self.ok("list", cwd=self.ws)  # the first refresh walks and stores the clock
        (self.ws / "docs/new").mkdir(parents=True)
        (self.ws / "docs/new/index.md").write_text(doc_text("new", "wombat"))
        r = self.a("--json", "search", "wombat")
        self.assertEqual(r.code, 0, r)
        self.assertEqual([d["path"] for d in json.loads(r.out)["results"]], ["docs/new/index.md"])
        self.assertEqual(r.err.count("async: warning: watchman:"), 1, r)
        self.assertIn("walked the workspace instead", r.err)

    def test_malformed_json(self):
        self.check_walks_with_one_warning(b'{"clock": "c:2", "files": [')

    def test_wrong_types(self):
        self.check_walks_with_one_warning(b'{"clock": "c:2", "is_fresh_instance": false, "files": [{"name": 7}]}')

    def test_deeply_nested(self):
        self.check_walks_with_one_warning(b"[" * 100000 + b"]" * 100000)

    def test_invalid_utf8(self):
        self.check_walks_with_one_warning(b'{"clock": "c:2", "is_fresh_instance": false, "files": [{"name": "\xff"}]}')

    def test_no_clock(self):
        self.check_walks_with_one_warning(b'{"is_fresh_instance": false, "files": []}')


class SocketLookup(WatchCase):
    """Without WATCHMAN_SOCK the socket comes from `watchman get-sockname`, asked once."""

    def test_get_sockname_runs_once_per_cache_miss(self):
        bin_dir = self.tmp / "bin"
        bin_dir.mkdir()
        log = self.tmp / "watchman.log"
        fake = bin_dir / "watchman"
        fake.write_text(f'#!/bin/sh\necho "$@" >> {log}\n'
                        f'echo \'{{"version": "4.9.0", "sockname": "{self.tmp}/absent.sock"}}\'\n')
        fake.chmod(0o755)
        env = {"PATH": f"{bin_dir}:{self.env['PATH']}", "WATCHMAN_SOCK": None}
        r = self.a("index", "--watch", env=env)
        self.assertEqual(r.code, 4, r)
        self.assertIn("does not answer", r.err)
        self.assertEqual(log.read_text(), "--no-spawn --no-pretty get-sockname\n")
        # Registered by hand, as an earlier session with a server would have left it.
        (self.ws / ".async/local/watchman.json").write_text(
            json.dumps({"watch": str(self.ws), "relative_path": "", "clock": "c:1:1:1:1"}))
        for _ in range(3):
            self.assertEqual(self.a("list", env=env).code, 0)
        self.assertEqual(log.read_text().count("get-sockname"), 1, "the negative answer is cached")
        # A dead cached socket is dropped and asked again once.
        (self.ws / ".async/local/watchman-sock").write_text(f"{self.tmp}/dead.sock\n")
        for _ in range(3):
            self.assertEqual(self.a("list", env=env).code, 0)
        self.assertEqual(log.read_text().count("get-sockname"), 2)

    def test_no_watchman_spawns_nothing(self):
        env = {"PATH": "/nonexistent", "WATCHMAN_SOCK": None}
        r = self.a("index", "--watch", env=env)
        self.assertEqual(r.code, 4, r)
        self.assertIn("not installed", r.err)
        self.assertEqual((self.ws / ".async/local/watchman-sock").read_text(), "none\n")


class CompletionOfDeleted(WatchCase):
    def test_a_document_deleted_on_disk_is_never_offered(self):
        self.env["WATCHMAN_SOCK"] = str(self.tmp / "no-such-socket")
        self.put("docs/alpha/index.md", "alpha", "one")
        self.put("docs/beta/index.md", "beta", "two")
        self.ok("list", cwd=self.ws)
        r = self.a("__complete", "ids")
        self.assertEqual(r.code, 0, r)
        self.assertIn("alpha", r.out)
        (self.ws / "docs/alpha/index.md").unlink()
        r = self.a("__complete", "ids")
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("alpha", r.out)
        self.assertIn("beta", r.out)


if __name__ == "__main__":
    harness.main()
