"""The index and the read commands: refresh, list, show, edit, search, actions, decisions."""
import json
import os
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import tomllib
import unittest
from pathlib import Path

import harness


def doc_text(doc_id, title, body, **extra):
    lines = [f'id = "{doc_id}"', 'type = "doc"', f"title = {json.dumps(title)}", 'author = "alice"',
             "created = 2026-11-20T09:00:00Z", 'status = "open"']
    for key, value in extra.items():
        lines.append(f"{key} = {value}")
    return "+++\n" + "\n".join(lines) + "\n+++\n" + body


class IndexCase(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()

    def j(self, *args, **kwargs):
        r = self.a("--json", *args, **kwargs)
        self.assertEqual(r.code, 0, r)
        return json.loads(r.out)

    def put(self, rel, text):
        path = self.ws / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text)
        return path

    def new(self, title, body, *flags):
        r = self.a("doc", "new", title, "-m", body, *flags)
        self.assertEqual(r.code, 0, r)
        return r.out.split()[0]


class Refresh(IndexCase):
    def ids(self):
        return sorted(d["id"] for d in self.j("list")["documents"])

    def test_touch_modify_delete_move(self):
        a = self.new("Alpha", "first")
        b = self.new("Beta", "second")
        self.assertEqual(self.ids(), sorted([a, b]))
        path = next((self.ws / "docs").glob("*-alpha/index.md"))
        path.write_text(path.read_text().replace('title = "Alpha"', 'title = "Alpha two"'))
        self.assertEqual([d["title"] for d in self.j("list", "--sort", "title")["documents"]], ["Alpha two", "Beta"])
        os.utime(path)  # touched, unchanged content: still one row
        self.assertEqual(self.ids(), sorted([a, b]))
        moved = self.ws / "docs" / "renamed"
        path.parent.rename(moved)
        docs = {d["id"]: d["path"] for d in self.j("list")["documents"]}
        self.assertEqual(docs[a], "docs/renamed/index.md")
        (self.ws / "docs" / "renamed" / "index.md").unlink()
        self.assertEqual(self.ids(), [b])
        r = self.a("index", "--check")
        self.assertEqual(r.code, 0, r)

    def test_deleted_index_is_rebuilt_and_check_passes(self):
        self.new("Alpha", "first")
        for f in (self.ws / ".async").glob("index.db*"):
            f.unlink()
        r = self.a("index", "--check")
        self.assertEqual(r.code, 1, r)
        self.assertIn("not in the index", r.out)
        self.assertEqual(len(self.j("list")["documents"]), 1)
        r = self.a("index", "--check")
        self.assertEqual((r.code, r.out), (0, ""), r)

    def test_check_sees_a_change_not_yet_indexed(self):
        self.new("Alpha", "first")
        self.a("list")
        path = next((self.ws / "docs").glob("*/index.md"))
        path.write_text(path.read_text() + "more words\n")
        r = self.a("index", "--check")
        self.assertEqual(r.code, 1, r)
        self.assertIn(str(path.relative_to(self.ws)), r.out)
        self.a("index")
        self.assertEqual(self.a("index", "--check").code, 0)

    def test_corrupt_and_foreign_version_indexes_are_rebuilt(self):
        self.new("Alpha", "first")
        db = self.ws / ".async/index.db"
        for f in (self.ws / ".async").glob("index.db*"):
            f.unlink()
        db.write_bytes(b"this is not a database" * 100)
        r = self.a("list")
        self.assertEqual(r.code, 0, r)
        self.assertIn("Alpha", r.out)
        self.assertEqual(r.err, "async: the index was damaged; rebuilt it from the files\n")
        con = sqlite3.connect(db)
        con.execute("PRAGMA user_version = 99")
        con.commit()
        con.close()
        r = self.a("list")
        self.assertEqual(r.code, 0, r)
        self.assertIn("Alpha", r.out)
        self.assertIn("another version", r.err)
        self.assertEqual(self.a("list").err, "")

    def test_an_index_missing_a_table_is_rebuilt_by_the_next_command(self):
        self.new("Alpha", "- [ ] @bob ship it")
        self.assertEqual(self.a("actions").code, 0)
        # Damage the refresh does not notice (no file changed): a table the query needs is gone.
        con = sqlite3.connect(self.ws / ".async/index.db")
        con.execute("DROP TABLE actions")
        con.commit()
        con.close()
        r = self.a("index", "--check")
        self.assertEqual((r.code, r.out), (1, ".async/index.db: the index is damaged (the table or index "
                                              "'actions' is missing)\n"), r)
        r = self.a("actions")
        self.assertEqual(r.code, 0, r)
        self.assertIn("ship it", r.out)
        self.assertEqual(r.err, "async: the index was damaged; rebuilt it from the files\n")
        self.assertEqual(self.a("index", "--check").code, 0)

    def test_bad_files_are_skipped_with_a_message(self):
        good = self.new("Good", "fine")
        self.put("docs/bad-toml/index.md", '+++\nid = "aaaa1111"\ntitle = \n+++\nbody\n')
        self.put("docs/no-fm/index.md", "just text\n")
        self.put("docs/utf8/index.md", b'+++\nid = "bbbb2222"\ntitle = "\xff"\n+++\n')
        self.put("docs/nul/index.md", b'+++\nid = "cccc3333"\ntitle = "n"\n+++\nbody\x00\n')
        self.put("docs/huge/index.md", doc_text("dddd4444", "Huge", "word " * (4 * 1024 * 1024)))
        (self.ws / "docs/loop").mkdir()
        os.symlink("b.md", self.ws / "docs/loop/a.md")
        os.symlink("a.md", self.ws / "docs/loop/b.md")
        os.symlink("missing.md", self.ws / "docs/loop/dangling.md")
        self.put("docs/dup1/index.md", doc_text("eeee5555", "Dup one", "x\n"))
        self.put("docs/dup2/index.md", doc_text("eeee5555", "Dup two", "y\n"))
        r = self.a("--json", "list")
        self.assertEqual(r.code, 0, r)
        ids = sorted(d["id"] for d in json.loads(r.out)["documents"])
        # Plain text is a note (its id derived from its path), not a bad file.
        note = [d for d in json.loads(r.out)["documents"] if d["path"] == "docs/no-fm/index.md"]
        self.assertEqual([(d["type"], d["title"]) for d in note], [("note", "no-fm")])
        self.assertEqual(ids, sorted([good, "eeee5555", "eeee5555", note[0]["id"]]))
        self.assertNotIn("no-fm", r.err)
        for name in ["bad-toml/index.md:3:9: ", "utf8/index.md:3:10: invalid UTF-8",
                     "nul/index.md:5:5: NUL byte", "huge/index.md: file is too large", "loop/a.md: symbolic link loop",
                     "loop/dangling.md: No such file"]:
            self.assertIn(name, r.err)
        self.assertEqual(r.err.count("warning: skipped"), 7, r.err)
        # Reported when parsed, not on every command.
        self.assertEqual(self.a("list").err, "")
        r = self.a("show", "eeee")
        self.assertEqual(r.code, 1, r)
        self.assertIn("ambiguous", r.err)

    def test_a_symlink_out_of_the_workspace_is_never_read(self):
        good = self.new("Good", "fine")
        outside = self.tmp / "outside"
        outside.mkdir()
        (outside / "secret.md").write_text(doc_text("5ec12e75", "Secret", "the launch code is marzipan\n"))
        (self.ws / "docs/2026-11-24-x").mkdir(parents=True)
        os.symlink(outside / "secret.md", self.ws / "docs/2026-11-24-x/index.md")
        (self.ws / "docs/2026-11-24-rel").mkdir(parents=True)
        os.symlink("../../../outside/secret.md", self.ws / "docs/2026-11-24-rel/index.md")
        # A link that stays inside the workspace is followed.
        self.put("shared-notes.md", doc_text("1a2b3c4d", "Inside", "linked marzipan\n"))
        (self.ws / "docs/2026-11-24-in").mkdir(parents=True)
        os.symlink("../../shared-notes.md", self.ws / "docs/2026-11-24-in/index.md")
        r = self.a("--json", "list")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(sorted(d["id"] for d in json.loads(r.out)["documents"]), sorted([good, "1a2b3c4d"]))
        for rel in ["docs/2026-11-24-x/index.md", "docs/2026-11-24-rel/index.md"]:
            self.assertIn(f"{rel}: symbolic link to a file outside the workspace", r.err)
        self.assertEqual(r.err.count("warning: skipped"), 2, r.err)
        search = self.a("--json", "search", "marzipan")
        self.assertEqual(search.code, 0, search)
        self.assertNotIn("launch code", search.out)
        self.assertNotIn("5ec12e75", search.out)
        self.assertEqual(self.a("show", "5ec12e75").code, 1)
        check = self.a("check")
        self.assertEqual(check.code, 1, check)
        for rel in ["docs/2026-11-24-x/index.md", "docs/2026-11-24-rel/index.md"]:
            self.assertIn(f"{rel}:1:1: error: symbolic link to a file outside the workspace", check.out + check.err)
        self.assertNotIn("2026-11-24-in", check.out + check.err)

    def test_an_unreadable_file_is_skipped_with_a_message(self):
        good = self.new("Good", "fine")
        secret = self.put("docs/secret/index.md", doc_text("ffff6666", "Secret", "hidden\n"))
        secret.chmod(0)
        r = self.a("--json", "list", unprivileged=True)
        self.assertEqual(r.code, 0, r)
        self.assertEqual([d["id"] for d in json.loads(r.out)["documents"]], [good])
        self.assertIn("docs/secret/index.md", r.err)
        self.assertIn("Permission denied", r.err)
        self.assertEqual(r.err.count("warning: skipped"), 1, r.err)

    @unittest.skipUnless(shutil.which("tmux"), "tmux is not installed (scripts/install-deps.sh installs it)")
    def test_progress_on_a_terminal_only(self):
        for i in range(600):
            self.put(f"docs/d{i}/index.md", doc_text(f"p{i:07d}", f"Doc {i}", "text\n"))
        socket = self.tmp / "tmux.sock"
        env = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        # The shell stays (sleep) so that the screen can be read after async has finished.
        command = (f"env -i {env} TERM=xterm {shlex.quote(harness.BIN)} -C {shlex.quote(str(self.ws))} index --full;"
                   " echo \"[exit $?]\"; sleep 60")
        tmux = lambda *args: subprocess.run(["tmux", "-S", str(socket), *args], capture_output=True, text=True,
                                            check=True).stdout
        try:
            tmux("new-session", "-d", "-x", "100", "-y", "20", "-s", "t", command)
            deadline = time.monotonic() + 30
            while "[exit " not in (screen := tmux("capture-pane", "-p", "-t", "t")) and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            subprocess.run(["tmux", "-S", str(socket), "kill-server"], capture_output=True)
        self.assertIn("[exit 0]", screen)
        self.assertIn("indexing 600/600", screen)
        # Not a terminal: no progress at all.
        r = self.a("index", "--full")
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("indexing", r.err)

    def test_concurrent_writers_never_see_a_locked_database(self):
        script = (f'for i in $(seq 1 20); do "{harness.BIN}" -C "{self.ws}" doc new "W$1 $i" -m "body $1 $i" >/dev/null'
                  f' && "{harness.BIN}" -C "{self.ws}" list >/dev/null || exit 1; done')
        procs = [subprocess.Popen(["sh", "-c", script, "sh", str(n)], env=self.env, stderr=subprocess.PIPE,
                                  text=True, stdin=subprocess.DEVNULL) for n in (1, 2)]
        errs = [p.communicate(timeout=240)[1] for p in procs]
        self.assertEqual([p.returncode for p in procs], [0, 0], errs)
        self.assertFalse(any("locked" in e for e in errs), errs)
        self.assertEqual(len(self.j("list")["documents"]), 40)
        self.assertEqual(self.a("index", "--check").code, 0)


class KilledRebuild(harness.AsyncTestCase):
    """kill -9 while a new index file is being built: the index stays usable."""

    def build_and_kill(self, ws, *args):
        """Starts async index ARGS in ws and kills it (SIGKILL) while it builds its new file."""
        proc = subprocess.Popen([harness.BIN, "-C", str(ws), "index", *args], env=self.env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        tmp = ws / ".async" / f"index.db.new-{proc.pid}"
        rows = ws / ".async" / f"index.db.new-{proc.pid}-rows"  # the other tables, written beside it
        seen = False
        for _ in range(20000):  # bounded: the build takes well under a second per thousand files
            if tmp.exists() and tmp.stat().st_size > 0 and rows.exists() and rows.stat().st_size > 0:
                seen = True
                break
            if proc.poll() is not None:
                break
            time.sleep(0.0005)
        running = proc.poll() is None
        proc.kill()
        proc.communicate(timeout=30)
        self.assertTrue(seen and running, "the build ended before it could be killed")
        self.assertEqual(proc.returncode, -signal.SIGKILL)
        self.assertTrue(tmp.exists())
        self.assertTrue(rows.exists())
        return tmp

    def test_kill_9_mid_build_leaves_a_usable_index(self):
        ws = self.tmp / "ws"
        gen = Path(__file__).resolve().parents[2] / "bench" / "gen_corpus.py"
        subprocess.run([sys.executable, str(gen), "--docs", "3000", str(ws)], check=True, capture_output=True)
        files = sum(1 for _ in ws.glob("*/**/*.md"))

        # A first index killed mid-build: the next command builds it again, complete.
        tmp = self.build_and_kill(ws)
        r = self.ok("-C", str(ws), "--json", "index")
        self.assertEqual(json.loads(r.out)["parsed"], files)
        self.assertEqual(self.run_async("-C", str(ws), "index", "--check").code, 0)
        self.assertFalse(tmp.exists())  # the dead process's half-built files are removed
        self.assertFalse(Path(f"{tmp}-rows").exists())

        # A full rebuild killed mid-build: the old index was never touched.
        tmp = self.build_and_kill(ws, "--full")
        self.assertEqual(self.run_async("-C", str(ws), "index", "--check").code, 0)
        r = self.ok("-C", str(ws), "--json", "index")
        self.assertEqual(json.loads(r.out)["parsed"], 0)
        self.assertEqual(self.ok("-C", str(ws), "search", "quixotically").code, 0)
        r = self.ok("-C", str(ws), "--json", "index", "--full")
        self.assertEqual(json.loads(r.out)["parsed"], files)
        self.assertFalse(tmp.exists())
        self.assertEqual([p.name for p in (ws / ".async").glob("index.db.new*")], [])


class ListShowEdit(IndexCase):
    def test_list_filters_sort_and_json(self):
        self.put("docs/a/index.md", doc_text("aaaa0001", "Apple", "x\n", tags='["web"]', due="2026-12-05T17:00:00Z"))
        self.put("docs/b/index.md", doc_text("aaaa0002", "Banana", "x\n").replace('author = "alice"', 'author = "bob"')
                 .replace("2026-11-20", "2026-11-24").replace('status = "open"', 'status = "closed"'))
        self.put("docs/c/index.md", doc_text("aaaa0003", "Cherry", "x\n", tags='["web", "pricing"]',
                                             due="2026-11-30T17:00:00Z").replace('type = "doc"', 'type = "decision"')
                 .replace("2026-11-20", "2026-11-22"))
        ids = lambda *a: [d["id"] for d in self.j("list", *a)["documents"]]
        self.assertEqual(ids(), ["aaaa0002", "aaaa0003", "aaaa0001"])
        self.assertEqual(ids("--reverse"), ["aaaa0001", "aaaa0003", "aaaa0002"])
        self.assertEqual(ids("--type", "decision"), ["aaaa0003"])
        self.assertEqual(ids("--author", "bob"), ["aaaa0002"])
        self.assertEqual(ids("--status", "open"), ["aaaa0003", "aaaa0001"])
        self.assertEqual(ids("--tag", "web"), ["aaaa0003", "aaaa0001"])
        self.assertEqual(ids("--tag", "web", "--tag", "pricing"), ["aaaa0003"])
        self.assertEqual(ids("--since", "2026-11-22"), ["aaaa0002", "aaaa0003"])
        self.assertEqual(ids("--until", "2026-11-22"), ["aaaa0003", "aaaa0001"])
        self.assertEqual(ids("--sort", "due"), ["aaaa0003", "aaaa0001", "aaaa0002"])
        self.assertEqual(ids("--sort", "title", "--limit", "2"), ["aaaa0001", "aaaa0002"])
        self.assertEqual(self.a("list", "--since", "someday").code, 2)
        self.assertEqual(self.a("list", "--sort", "mood").code, 2)
        self.assertEqual(self.j("actions", "--all")["actions"], [])
        doc = self.j("list", "--type", "decision")["documents"][0]
        self.assertEqual(doc, {"id": "aaaa0003", "path": "docs/c/index.md", "type": "decision", "title": "Cherry",
                               "author": "alice", "created": "2026-11-22T09:00:00Z", "status": "open",
                               "due": "2026-11-30T17:00:00Z", "parent": None, "tags": ["web", "pricing"],
                               "reviewers": [], "participants": []})

    def test_list_output_is_safe_and_fits(self):
        self.put("docs/a/index.md", doc_text("aaaa0001", "\x1b[2J cleared " + "long " * 40, "x\n"))
        r = self.a("list", env={"COLUMNS": "60"})
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("\x1b", r.out)
        for line in r.out.splitlines():
            self.assertLessEqual(len(line), 60, line)
        r = self.a("list", env={"NO_COLOR": "1"})
        self.assertNotIn("\x1b", r.out)

    def test_show_threads_replies(self):
        self.put("docs/a/index.md", doc_text("aaaa0001", "Plan", "The plan.\n"))
        self.put("docs/a/replies/20261127T101500Z-bob.md",
                 '+++\nid = "rrrr0001"\ntype = "reply"\nauthor = "bob"\ncreated = 2026-11-27T10:15:00Z\n+++\nLooks good.\n')
        self.put("docs/a/replies/20261126T101500Z-carol.md",
                 '+++\nid = "rrrr0002"\ntype = "reply"\nauthor = "carol"\ncreated = 2026-11-26T10:15:00Z\n+++\nOne concern.\n')
        data = self.j("show", "aaaa")
        self.assertEqual(data["body"], "The plan.\n")
        self.assertEqual([(t["author"], t["body"]) for t in data["thread"]], [("carol", "One concern.\n"), ("bob", "Looks good.\n")])
        r = self.a("show", "docs/a")
        self.assertEqual(r.code, 0, r)
        self.assertLess(r.out.index("One concern."), r.out.index("Looks good."))
        self.assertIn("reply by bob", r.out)
        self.assertEqual(self.a("list").out.count("\n"), 1)  # replies are not listed as documents
        self.assertEqual(len(self.j("list", "--type", "reply")["documents"]), 2)
        r = self.a("show", "zzzz")
        self.assertEqual(r.code, 1, r)
        self.assertIn("no document matches 'zzzz'", r.err)
        self.assertEqual(self.a("show", str(self.ws / "docs/a/index.md")).code, 0)

    def test_edit_saves_reindexes_and_never_overwrites(self):
        doc = self.new("Editable", "original text")
        r = self.a("edit", doc[:5], env=self.editor("append.sh", text="zebracorn appended"))
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.j("search", "zebracorn")["results"][0]["id"], doc)
        r = self.a("edit", doc, env=self.editor("unchanged.sh"))
        self.assertEqual(r.code, 0, r)
        self.assertIn("no changes", r.err)
        path = next((self.ws / "docs").glob("*-editable/index.md"))
        env = self.editor("touch-original.sh", original=str(path))
        r = self.a("edit", doc, env=env)
        self.assertEqual(r.code, 1, r)
        self.assertIn("changed on disk", r.err)
        self.assertIn("Changed by a teammate meanwhile.", path.read_text())
        self.assertNotIn("My edit.", path.read_text())
        self.assertEqual(len(self.drafts()), 1)
        self.assertIn("My edit.", (self.ws / ".async/local/drafts" / self.drafts()[0]).read_text())
        r = self.a("edit", doc, env=self.editor("broken-toml.sh"))
        self.assertEqual(r.code, 3, r)
        self.assertNotIn("not toml", path.read_text())
        # -m replaces the body without an editor; --file with front matter replaces the whole file.
        fm_before = path.read_text().split("+++")[1]
        r = self.a("edit", doc, "-m", "Replaced body.")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(path.read_text(), "+++" + fm_before + "+++\nReplaced body.\n")
        r = self.a("edit", doc, "--file", "-", input='+++\nid = "' + doc + '"\ntitle = "New title"\n+++\nAll new.\n')
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.j("show", doc)["title"], "New title")
        r = self.a("edit", doc, "--file", "-", input='+++\ntitle = \n+++\n')
        self.assertEqual(r.code, 3, r)
        self.assertEqual(self.j("show", doc)["title"], "New title")


class Search(IndexCase):
    def setUp(self):
        super().setUp()
        self.put("docs/a/index.md", doc_text("aaaa0001", "Pricing page", "We compare tiers and discounts.\n"))
        self.put("docs/b/index.md", doc_text("aaaa0002", "Hiring plan", "Pricing is mentioned once. Interview loop.\n"))
        self.put("docs/c/index.md", doc_text("aaaa0003", "Standup", "See the recording.\n", tags='["audio"]')
                 .replace('author = "alice"', 'author = "bob"'))
        self.put("docs/c/attachments/standup.ogg", b"OggS fake audio")
        self.put("docs/c/attachments/standup.vtt", "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nthe quarterly roadmap\n")

    def found(self, *query, **kw):
        r = self.a("--json", "search", *query, **kw)
        if r.code == 1:
            return []
        self.assertEqual(r.code, 0, r)
        return [h["id"] for h in json.loads(r.out)["results"]]

    def test_language(self):
        self.assertEqual(self.found("pricing"), ["aaaa0001", "aaaa0002"])  # title beats body
        self.assertEqual(self.found('"interview loop"'), ["aaaa0002"])
        self.assertEqual(self.found('"loop interview"'), [])
        self.assertEqual(sorted(self.found("tiers", "OR", "interview")), ["aaaa0001", "aaaa0002"])
        self.assertEqual(self.found("pricing -interview"), ["aaaa0001"])
        self.assertEqual(self.found("--", "-interview", "pricing"), ["aaaa0001"])
        self.assertEqual(self.a("search", "pricing", "--bogus").code, 2)
        self.assertEqual(self.found("disc*"), ["aaaa0001"])
        self.assertEqual(self.found("roadmap"), ["aaaa0003"])  # transcript beside the audio
        self.assertEqual(self.found("pricing", "--author", "bob"), [])
        self.assertEqual(self.found("pricing", "--type", "doc", "--limit", "1"), ["aaaa0001"])

    def test_snippets_highlight(self):
        r = self.a("search", "discounts", "--color=always")
        self.assertIn("\x1b[1;33mdiscounts\x1b[0m", r.out)
        r = self.a("search", "discounts")
        self.assertNotIn("\x1b", r.out)
        self.assertIn("discounts", r.out)

    def test_no_match_is_exit_1_silently(self):
        r = self.a("search", "nonexistentword")
        self.assertEqual((r.code, r.out, r.err), (1, "", ""))
        r = self.a("--json", "search", "nonexistentword")
        self.assertEqual(r.code, 1, r)
        self.assertEqual(json.loads(r.out)["results"], [])

    def test_malformed_queries(self):
        for q in ['"unterminated', "OR", "pricing OR", "-pricing", "*", "pri*ce", '""', "a -"]:
            r = self.a("search", q)
            self.assertEqual(r.code, 2, (q, r))
            self.assertTrue(r.err.startswith("async: error: "), r.err)
            self.assertNotIn("fts5", r.err.lower())
            self.assertNotIn("sqlite", r.err.lower())
        self.assertEqual(self.a("search", "x" * 5000).code, 2)

    def test_fts5_syntax_is_taken_literally(self):
        # Each query below means something else to FTS5 (or is an FTS5 syntax error): taken
        # literally, its words must all be there, punctuation splitting them into phrases.
        self.put("docs/d/index.md", doc_text("dddd0004", "Zoo notes", "We stood near zebra quokka and "
                                             "wrote title xylo yak zed.\n"))
        self.put("docs/e/index.md", doc_text("eeee0005", "Zoo map", "A zebra is far, far away from "
                                             "any quokka in xylo park.\n"))
        for q in ["NEAR(zebra quokka)",  # FTS5: both documents (within ten words)
                  "zebra AND quokka",    # FTS5: both documents; literally "and" is a word
                  "title:xylo",          # FTS5: the title column, where no xylo is
                  "^xylo yak",           # FTS5: xylo as the first word of a column
                  "xylo:yak:zed",        # FTS5: a syntax error
                  "(xylo yak"]:          # FTS5: a syntax error
            r = self.a("--json", "search", q)
            self.assertEqual(r.code, 0, (q, r))
            self.assertEqual([h["id"] for h in json.loads(r.out)["results"]], ["dddd0004"], q)
        for q in ["a AND", "NEAR(a b)", "x:y:z"]:  # words no document has
            r = self.a("search", q)
            self.assertEqual((r.code, r.out, r.err), (1, "", ""), (q, r))


class ActionsDecisions(IndexCase):
    BODY = """Intro @carol.

- [ ] @bob ship the draft due:2026-11-25
- [ ] @bob write docs due:2026-12-03
- [x] @carol book the room
- [ ] unowned thing
- [ ] @bob ship the draft due:2026-11-25

```
- [ ] @bob not an action
Decision: not a decision
```

Decision: three tiers.

## Decisions

- Monthly billing
- Annual discount

## Later

- not a decision
"""

    def setUp(self):
        super().setUp()
        self.path = self.put("docs/a/index.md", doc_text("aaaa0001", "Pricing", self.BODY, tags='["pricing"]'))

    def actions(self, *args):
        return self.j("actions", *args)["actions"]

    def test_listing(self):
        open_ = self.actions()
        self.assertEqual([(a["owner"], a["text"], a["due"]) for a in open_],
                         [("bob", "ship the draft", "2026-11-25"), ("bob", "ship the draft", "2026-11-25"),
                          ("bob", "write docs", "2026-12-03"), ("alice", "unowned thing", None)])
        self.assertEqual(len({a["handle"] for a in open_}), 4)
        self.assertEqual(open_[0]["document"]["tags"], ["pricing"])
        self.assertEqual([a["text"] for a in self.actions("--done")], ["book the room"])
        self.assertEqual(len(self.actions("--all")), 5)
        self.assertEqual([a["text"] for a in self.actions("--owner", "carol", "--all")], ["book the room"])
        self.assertEqual([a["line"] for a in self.actions("--overdue")], [12, 16])
        self.assertEqual(self.actions("--mine")[0]["text"], "unowned thing")
        self.assertEqual(self.a("actions", "--done", "--all").code, 2)

    def test_done_ticks_the_box_atomically_and_idempotently(self):
        target = self.actions("--owner", "bob")[2]
        self.assertEqual(target["text"], "write docs")
        before = self.path.read_text()
        r = self.a("actions", "done", "--dry-run", target["handle"][:4])
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.path.read_text(), before)
        r = self.a("actions", "done", target["handle"][:5])
        self.assertEqual(r.code, 0, r)
        self.assertIn("- [x] @bob write docs due:2026-12-03", self.path.read_text())
        self.assertEqual(self.path.read_text().count("[x]"), 2)
        tomllib.loads(self.path.read_text().split("+++")[1])
        self.assertNotIn("write docs", [a["text"] for a in self.actions()])
        r = self.a("actions", "done", target["handle"])
        self.assertEqual(r.code, 0, r)
        self.assertIn("already done", r.err)
        self.assertEqual(self.a("actions", "done", "ffffff").code, 1)
        self.assertEqual(self.a("actions", "done", "xyz!").code, 2)
        # Handles survive lines moving: insert a paragraph above every action.
        handles = sorted(a["handle"] for a in self.actions("--all"))
        self.path.write_text(self.path.read_text().replace("Intro @carol.", "Intro @carol.\n\nA new paragraph."))
        self.assertEqual(sorted(a["handle"] for a in self.actions("--all")), handles)
        self.assertEqual(self.a("actions", "done", target["handle"], target["handle"][:4]).code, 0)

    def test_decisions(self):
        rows = self.j("decisions")["decisions"]
        self.assertEqual([r["text"] for r in rows], ["three tiers.", "Monthly billing", "Annual discount"])
        self.assertEqual(rows[0]["document"]["id"], "aaaa0001")
        self.assertEqual(self.j("decisions", "--since", "2026-11-21")["decisions"], [])
        r = self.a("decisions")
        self.assertIn("docs/a/index.md:", r.out)


if __name__ == "__main__":
    harness.main()
