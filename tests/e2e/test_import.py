"""async import (issue 21 item 3): an adr-tools folder becomes decision documents with TOML
front matter, moved with `git mv` inside the workspace's repository (history follows) and copied
from outside it (originals untouched); other Markdown becomes doc documents; --dry-run writes
nothing; a second run changes nothing; nothing is ever overwritten; bad files are skipped."""
import hashlib
import json
import os
import shutil
import subprocess
import unittest
from pathlib import Path

import harness

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "adr-tools"
ADRS = {
    "0001-record-architecture-decisions.md": ("Record architecture decisions", "2017-01-18", "closed", "Accepted"),
    "0002-use-postgresql-for-storage.md": ("Use PostgreSQL for storage", "2017-02-03", "closed",
                                           "Superseded by [3. Use SQLite for storage](0003-use-sqlite-for-storage.md)"),
    "0003-use-sqlite-for-storage.md": ("Use SQLite for storage", "2017-06-12", "open", "Proposed"),
}


def slug_dir(name, date):
    title = ADRS[name][0]
    return f"{date}-" + title.lower().replace(" ", "-")


class ImportCase(harness.AsyncTestCase):
    def git(self, *args, cwd=None, date="2017-01-18T09:00:00Z"):
        env = dict(self.env)
        env.update({"GIT_AUTHOR_NAME": "Carol", "GIT_AUTHOR_EMAIL": "carol@example.com",
                    "GIT_COMMITTER_NAME": "Carol", "GIT_COMMITTER_EMAIL": "carol@example.com",
                    "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})
        r = subprocess.run(["git", *args], cwd=cwd or self.ws, env=env, capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def git_ws(self):
        self.ok("init", "--git", str(self.ws))
        shutil.copytree(FIXTURE / "doc", self.ws / "doc")
        self.git("add", "-A")
        self.git("commit", "-q", "-m", "Add the ADRs")
        return self.ws / "doc" / "adr"

    def outside(self):
        src = self.tmp / "outside" / "doc"
        shutil.copytree(FIXTURE / "doc", src)
        return src / "adr"

    def tree(self, root):
        """Every file under root (the index cache and git's own folder left out) with its bytes."""
        out = {}
        for p in sorted(Path(root).rglob("*")):
            rel = p.relative_to(root).as_posix()
            if rel.startswith(".async/index.db") or rel.startswith(".git/") or p.is_dir():
                continue
            out[rel] = p.read_bytes()
        return out

    def check_adrs(self, author, moved):
        for name, (title, date, status, adr_status) in ADRS.items():
            path = self.ws / "docs" / slug_dir(name, date) / "index.md"
            self.assertTrue(path.is_file(), self.docs())
            front, body = self.front_matter(path)
            self.assertEqual(front["type"], "decision")
            self.assertEqual(front["title"], title)
            self.assertEqual(front["status"], status)
            self.assertEqual(front["adr_status"], adr_status)
            self.assertEqual(front["author"], author)
            self.assertEqual(front["created"].isoformat(), f"{date}T00:00:00+00:00")
            self.assertEqual(len(front["id"]), 8)
            original = (FIXTURE / "doc" / "adr" / name).read_bytes()
            self.assertEqual(front["imported_hash"],
                             "fnv1a64:" + format(fnv1a64(original), "016x"))
            # The body is the original text, byte for byte.
            self.assertEqual(body.encode(), original)
            if moved:
                self.assertEqual(front["imported_from"], f"doc/adr/{name}")
            else:
                self.assertEqual(front["imported_from"], str(self.tmp / "outside" / "doc" / "adr" / name))

    def listed_decisions(self):
        r = self.a("--json", "list", "--type", "decision")
        self.assertEqual(r.code, 0, r)
        return {d["title"]: d for d in json.loads(r.out)["documents"]}


def fnv1a64(data):
    h = 14695981039346656037
    for b in data:
        h ^= b
        h = (h * 1099511628211) % (1 << 64)
    return h


class InsideGit(ImportCase):
    def test_git_mv_keeps_history(self):
        adr = self.git_ws()
        r = self.a("import", str(adr))
        self.assertEqual(r.code, 0, r)
        self.assertIn("imported 3 files (3 moved with git mv, 0 copied)", r.err)
        self.assertEqual(r.out.count("git mv"), 3, r.out)
        self.assertFalse(any((adr / n).exists() for n in ADRS))
        self.check_adrs("carol", moved=True)
        # git sees renames, staged.
        status = self.git("status", "--porcelain")
        self.assertEqual(len([l for l in status.splitlines() if l.startswith("R") and " doc/adr/" in l]), 3, status)
        self.git("add", "-A")
        self.git("commit", "-q", "-m", "Import the ADRs", date="2026-11-26T10:00:00Z")
        dest = f"docs/{slug_dir('0001-record-architecture-decisions.md', '2017-01-18')}/index.md"
        log = self.git("log", "--follow", "--name-only", "--format=%s", "--", dest)
        self.assertIn("doc/adr/0001-record-architecture-decisions.md", log)
        self.assertIn("Add the ADRs", log)
        # The index knows them at once: status, created date, ADR wording.
        listed = self.listed_decisions()
        self.assertEqual(set(listed), {t for t, *_ in ADRS.values()})
        self.assertEqual(listed["Use SQLite for storage"]["status"], "open")
        self.assertEqual(listed["Use PostgreSQL for storage"]["status"], "closed")
        self.assertTrue(listed["Record architecture decisions"]["created"].startswith("2017-01-18"))
        self.assertEqual(self.a("check").code, 0)

    def test_second_run_changes_nothing(self):
        adr = self.git_ws()
        self.assertEqual(self.a("import", str(adr)).code, 0)
        before = self.tree(self.ws)
        r = self.a("import", str(adr))
        self.assertEqual(r.code, 0, r)
        self.assertIn("nothing to import: 3 files already imported", r.err)
        self.assertEqual(r.out.count("already"), 3, r.out)
        # The imported documents themselves are not imported again either.
        r = self.a("import", str(self.ws / "docs"))
        self.assertEqual(r.code, 0, r)
        self.assertIn("3 files already imported", r.err)
        # A file named again is recognised too, though it has moved.
        r = self.a("import", str(adr / "0002-use-postgresql-for-storage.md"))
        self.assertEqual(r.code, 0, r)
        self.assertIn("nothing to import", r.err)
        self.assertEqual(self.tree(self.ws), before)

    def test_dry_run_writes_nothing(self):
        adr = self.git_ws()
        self.ok("-C", str(self.ws), "list")  # the index cache exists before
        before = self.tree(self.ws)
        git_before = self.git("status", "--porcelain")
        r = self.a("import", "--dry-run", str(adr))
        self.assertEqual(r.code, 0, r)
        self.assertIn("dry run: would import 3 files; nothing written", r.err)
        for name, (title, date, status, _) in ADRS.items():
            line = next(l for l in r.out.splitlines() if name in l)
            self.assertIn("git mv", line)
            self.assertIn(f"docs/{slug_dir(name, date)}/index.md", line)
            self.assertEqual(line.split()[-len(title.split()) - 2:], ["decision", status, *title.split()])
        self.assertEqual(self.tree(self.ws), before)
        self.assertEqual(self.git("status", "--porcelain"), git_before)
        r = self.a("--json", "import", "-n", str(adr))
        plan = json.loads(r.out)
        self.assertTrue(plan["dry_run"])
        self.assertEqual([i["result"] for i in plan["items"]], ["planned"] * 3)
        self.assertEqual(plan["items"][1]["adr_status"], ADRS["0002-use-postgresql-for-storage.md"][3])
        self.assertEqual(plan["items"][0]["method"], "git-mv")
        self.assertEqual(self.tree(self.ws), before)

    def test_untracked_file_in_repo_is_copied(self):
        self.ok("init", "--git", str(self.ws))
        note = self.ws / "notes" / "idea.md"
        note.parent.mkdir()
        note.write_text("# An idea\n\nText.\n")
        stamp = 1763726400  # 2025-11-21T12:00:00Z: no git history, so created is the mtime
        os.utime(note, (stamp, stamp))
        r = self.a("import", str(note))
        self.assertEqual(r.code, 0, r)
        self.assertIn("copy", r.out)
        self.assertEqual(note.read_text(), "# An idea\n\nText.\n")
        front, body = self.front_matter(self.ws / "docs" / "2025-11-21-an-idea" / "index.md")
        self.assertEqual((front["type"], front["title"], front["author"]), ("doc", "An idea", "alice"))
        self.assertEqual(front["created"].isoformat(), "2025-11-21T12:00:00+00:00")
        self.assertEqual(front["imported_from"], "notes/idea.md")
        self.assertEqual(body, "# An idea\n\nText.\n")


class OutsideGit(ImportCase):
    def test_copy_leaves_originals(self):
        self.init_ws()
        adr = self.outside()
        originals = self.tree(adr)
        r = self.a("import", str(adr))
        self.assertEqual(r.code, 0, r)
        self.assertIn("imported 3 files (0 moved with git mv, 3 copied)", r.err)
        self.assertEqual(self.tree(adr), originals)
        self.check_adrs("alice", moved=False)
        listed = self.listed_decisions()
        self.assertEqual(len(listed), 3)
        # A second run, also from another folder and spelling, changes nothing.
        before = self.tree(self.ws)
        r = self.run_async("-C", str(self.ws), "import", "../outside/doc/adr/")
        self.assertEqual(r.code, 0, r)
        self.assertIn("3 files already imported", r.err)
        self.assertEqual(self.tree(self.ws), before)
        # The same file copied to another folder is recognised by its name and bytes.
        elsewhere = self.tmp / "copy2"
        shutil.copytree(adr, elsewhere)
        r = self.a("import", str(elsewhere))
        self.assertEqual(r.code, 0, r)
        self.assertIn("3 files already imported", r.err)
        self.assertEqual(self.tree(self.ws), before)

    def test_clash_gets_a_new_folder(self):
        self.init_ws()
        taken = self.ws / "docs" / "2017-01-18-record-architecture-decisions"
        r = self.a("doc", "new", "Record architecture decisions", "-m", "Mine.", "--no-edit",
                   env={"ASYNC_NOW": "2017-01-18T12:00:00Z"})
        self.assertEqual(r.code, 0, r)
        mine = (taken / "index.md").read_bytes()
        r = self.a("import", str(self.outside() / "0001-record-architecture-decisions.md"))
        self.assertEqual(r.code, 0, r)
        self.assertEqual((taken / "index.md").read_bytes(), mine)
        front, _ = self.front_matter(self.ws / "docs" / "2017-01-18-record-architecture-decisions-2" / "index.md")
        self.assertEqual(front["adr_status"], "Accepted")

    def test_dry_run_plans_distinct_folders(self):
        self.init_ws()
        src = self.tmp / "src"
        src.mkdir()
        for n in ("a.md", "b.md"):
            (src / n).write_text("# Same title\n")
            os.utime(src / n, (1795695300, 1795695300))  # 2026-11-26T12:15:00Z
        r = self.a("import", "--dry-run", str(src))
        self.assertEqual(r.code, 0, r)
        self.assertIn("docs/2026-11-26-same-title/index.md", r.out)
        self.assertIn("docs/2026-11-26-same-title-2/index.md", r.out)
        self.assertFalse((self.ws / "docs").exists() and any((self.ws / "docs").iterdir()))

    def test_missing_source(self):
        self.init_ws()
        before = self.tree(self.ws)
        r = self.a("import", str(self.outside()), str(self.tmp / "nope.md"))
        self.assertEqual(r.code, 1, r)
        self.assertIn("async: error: '", r.err)
        self.assertIn("nope.md' does not exist", r.err)
        self.assertEqual(self.tree(self.ws), before)


class Markdown(ImportCase):
    def test_plain_and_hostile_files(self):
        self.init_ws()
        src = self.tmp / "notes"
        (src / "deep" / "er").mkdir(parents=True)
        (src / "deep" / "er" / "heading.md").write_text("Intro.\n\n# The heading\n\nText.\n")
        (src / "no-heading.md").write_text("Just text.\n")
        plus = "# Plus\n\n+++\nid = \"zzzzzzzz\"\ntype = \"meeting\"\n+++\n\nAfter.\n"
        (src / "plus.md").write_text(plus)
        (src / "evil.md").write_text("# Evil \x1b[31mred\x1b]0;title\x07 \u202etxt\n\nBody.\n")
        (src / "nul.md").write_bytes(b"# Nul\n\nA\x00B\n")
        (src / "latin1.md").write_bytes(b"# Caf\xe9\n")
        (src / "huge.md").write_bytes(b"# Huge\n" + b"x" * (4 * 1024 * 1024))
        (src / "notes.txt").write_text("# Not markdown\n")
        (src / ".hidden.md").write_text("# Hidden\n")
        os.symlink("/etc/passwd", src / "link.md")
        toml = "+++\ntitle = \"Has TOML\"\ntype = \"sop\"\nid = \"abcdefgh\"\nextra = 1\n+++\nSteps.\n"
        (src / "toml.md").write_text(toml)
        os.mkfifo(self.tmp / "pipe.md")
        before_src = self.tree(src)
        r = self.a("import", str(src), str(self.tmp / "pipe.md"))
        self.assertEqual(r.code, 1, r)
        self.assertIn("4 files were not imported", r.err)
        self.assertIn("pipe.md: not a regular file", r.err)
        self.assertIn("nul.md: 3:2: NUL byte in file", r.err)
        self.assertIn("latin1.md: 1:6: invalid UTF-8", r.err)
        self.assertIn("huge.md: larger than 4 MiB", r.err)
        self.assertEqual(self.tree(src), before_src)
        docs = {self.front_matter(self.ws / "docs" / d)[0]["title"]: d for d in self.docs()}
        self.assertEqual(set(docs), {"The heading", "no-heading", "Plus", "Evil [31mred]0;title txt", "Has TOML"}, docs)
        front, body = self.front_matter(self.ws / "docs" / docs["Plus"])
        self.assertEqual((front["type"], front["status"]), ("doc", "open"))
        self.assertEqual(body, plus)
        front, body = self.front_matter(self.ws / "docs" / docs["Has TOML"])
        self.assertEqual((front["type"], front["extra"], body), ("sop", 1, "Steps.\n"))
        self.assertNotEqual(front["id"], "abcdefgh")
        out = self.a("list").out
        self.assertNotIn("\x1b", out)
        self.assertEqual(self.a("check").code, 0, self.a("check"))

    def test_yaml_front_matter_is_imported(self):
        self.init_ws()
        src = self.tmp / "post.md"
        text = ("---\ntitle: A post\ndate: 2020-05-01\nauthors: [Carol, bob]\ntags: [web]\npublish: false\n"
                "layout: post\n---\n\nHello.\n")
        src.write_text(text)
        r = self.a("import", str(src))
        self.assertEqual(r.code, 0, r)
        self.assertEqual(src.read_text(), text)
        front, body = self.front_matter(self.ws / "docs" / self.docs()[0])
        # YAML's keys made async's; a note (what async calls a file it did not write) becomes a doc.
        self.assertEqual((front["title"], front["type"], front["author"], front["tags"]),
                         ("A post", "doc", "carol", ["web"]))
        self.assertEqual(front["created"].isoformat(), "2020-05-01T00:00:00+00:00")
        # Scalars stay scalars, lists lists.
        self.assertEqual((front["publish"], front["layout"]), ("false", "post"))
        self.assertEqual(body.strip(), "Hello.")

if __name__ == "__main__":
    harness.main()
