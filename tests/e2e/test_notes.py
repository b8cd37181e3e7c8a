"""Plain Markdown (no front matter) is a read-only note: titled from its first heading or its
name, authored and dated from git history (one `git log` per refresh), listed, shown, searched,
its actions and decisions counted; check calls it info; writers that would add front matter
refuse. Fixtures in the style of an RFC and a KEP repository (tests/fixtures)."""
import json
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

from harness import AsyncTestCase, main

SOURCE = Path(os.environ.get("ASYNC_SOURCE_DIR", Path(__file__).resolve().parents[2]))
FIXTURES = SOURCE / "tests" / "fixtures"


class NotesTest(AsyncTestCase):
    def git(self, *args, env=None, cwd=None):
        full = {"PATH": self.env["PATH"], "HOME": str(self.home), "GIT_CONFIG_NOSYSTEM": "1",
                "GIT_COMMITTER_NAME": "CI", "GIT_COMMITTER_EMAIL": "ci@example.org"}
        full.update(env or {})
        r = subprocess.run(["git", *args], cwd=cwd or self.ws, env=full, capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def commit_as(self, email, date, message):
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message,
                 env={"GIT_AUTHOR_NAME": email.split("@")[0], "GIT_AUTHOR_EMAIL": email,
                      "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})

    def git_workspace(self):
        self.init_ws()
        self.git("init", "-q", "-b", "main")
        self.commit_as("alice@example.org", "2019-01-01T09:00:00Z", "start")

    def copy_fixture(self, name, dest):
        shutil.copytree(FIXTURES / name, self.ws / "docs" / dest)

    def listed(self, *args):
        r = self.a("--json", "list", "--type", "note", *args)
        self.assertEqual(r.code, 0, r)
        return {d["path"]: d for d in json.loads(r.out)["documents"]}

    def test_rfc_folder_indexes_with_history(self):
        self.git_workspace()
        self.copy_fixture("rfc-style/text", "rfcs")
        rfcs = self.ws / "docs" / "rfcs"
        os.remove(rfcs / "0003-quay-naming.md")
        self.commit_as("dana@example.org", "2019-03-04T10:00:00Z", "RFC 1 and 2")
        shutil.copy(FIXTURES / "rfc-style/text/0003-quay-naming.md", rfcs)
        self.commit_as("Eve@Example.org", "2020-01-15T08:30:00Z", "RFC 3")

        r = self.a("--json", "index")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(json.loads(r.out)["problems"], [])
        docs = self.listed()
        self.assertEqual(sorted(docs), ["docs/rfcs/0001-ferry-schedules.md", "docs/rfcs/0002-lighthouse-telemetry.md",
                                        "docs/rfcs/0003-quay-naming.md"])
        first = docs["docs/rfcs/0001-ferry-schedules.md"]
        # "# Summary" names a section, not the RFC: the file's name is the title.
        self.assertEqual(first["title"], "0001-ferry-schedules")
        self.assertEqual(first["type"], "note")
        self.assertEqual(first["author"], "dana")
        self.assertTrue(first["created"].startswith("2019-03-04T10:00:00"), first)
        third = docs["docs/rfcs/0003-quay-naming.md"]
        self.assertEqual(third["title"], "Consistent quay naming")
        self.assertEqual(third["author"], "eve")
        self.assertTrue(third["created"].startswith("2020-01-15T08:30:00"), third)
        self.assertRegex(first["id"], r"^[0-9a-z]{8}$")

        # Search finds a known passage; show reads the note by its derived id.
        r = self.a("--json", "search", "barnacle")
        self.assertEqual(r.code, 0, r)
        found = [d["path"] for d in json.loads(r.out)["results"]]
        self.assertEqual(found, ["docs/rfcs/0002-lighthouse-telemetry.md"])
        r = self.a("show", first["id"])
        self.assertEqual(r.code, 0, r)
        self.assertIn("machine-readable feed", r.out)

        # Its action and decision count like any document's.
        r = self.a("--json", "actions", "--all")
        self.assertEqual(r.code, 0, r)
        texts = [(x["owner"], x["text"]) for x in json.loads(r.out)["actions"]]
        self.assertIn(("dana", "write the generator"), texts)
        r = self.a("--json", "decisions")
        self.assertEqual(r.code, 0, r)
        self.assertIn("the spreadsheet is retired once the feed has run for a month.",
                      [d["text"] for d in json.loads(r.out)["decisions"]])

        # The id is the same after a rebuild and in another clone.
        self.ok("-C", str(self.ws), "index", "--full")
        self.assertEqual(self.listed()["docs/rfcs/0001-ferry-schedules.md"]["id"], first["id"])
        clone = self.tmp / "clone"
        subprocess.run(["git", "clone", "-q", str(self.ws), str(clone)], check=True, capture_output=True)
        r = self.run_async("-C", str(clone), "--json", "show", first["id"])
        self.assertEqual(r.code, 0, r)
        shown = json.loads(r.out)
        self.assertEqual(shown["title"], "0001-ferry-schedules")
        self.assertEqual(shown["author"], "dana")

        # check: no error, one line of info for the workspace, the finding for the path asked.
        r = self.a("check")
        self.assertEqual(r.code, 0, r)
        self.assertIn("3 files without front matter indexed as read-only notes", r.err)
        self.assertNotIn("info:", r.out)
        r = self.a("check", "docs/rfcs/0001-ferry-schedules.md")
        self.assertEqual(r.code, 0, r)
        self.assertRegex(r.out, r"docs/rfcs/0001-ferry-schedules.md:1:1: info: no front matter")
        # "[summary]: #summary" jumps within the page: no broken-link finding.
        self.assertNotIn("broken link", r.out)
        r = self.a("--json", "check")
        report = json.loads(r.out)
        self.assertEqual((report["errors"], report["info"]), (0, 3))
        # In another tool's file "#radio" is an HTML anchor more often than an id: a warning.
        self.assertEqual([(f["severity"], f["message"]) for f in report["findings"] if f["severity"] != "info"],
                         [("warning", "broken link '#radio': no document has this id")])

    def test_a_folder_moved_in_keeps_its_authors(self):
        # The team's repository holds the RFCs in text/; the workspace is team/ in it, and the
        # folder is moved into team/docs/rfcs by someone else: history follows the rename.
        repo = self.tmp / "repo"
        self.ws = repo / "team"
        self.ok("init", str(self.ws))
        self.git("init", "-q", "-b", "main", cwd=repo)
        shutil.copytree(FIXTURES / "rfc-style/text", repo / "text")
        self.git("add", "-A", cwd=repo)
        self.git("commit", "-q", "-m", "RFCs", cwd=repo,
                 env={"GIT_AUTHOR_NAME": "Dana", "GIT_AUTHOR_EMAIL": "dana.k@example.org",
                      "GIT_AUTHOR_DATE": "2019-03-04T10:00:00Z"})
        (self.ws / ".async" / "config.toml").write_text(
            '[people.dana]\nname = "Dana"\nemail = "Dana.K@example.org"\n', encoding="utf-8")
        self.git("mv", "text", "team/docs/rfcs", cwd=repo)
        self.git("add", "-A", cwd=repo)
        self.git("commit", "-q", "-m", "Move the RFCs into the workspace", cwd=repo,
                 env={"GIT_AUTHOR_NAME": "Mover", "GIT_AUTHOR_EMAIL": "mover@example.org",
                      "GIT_AUTHOR_DATE": "2026-12-01T10:00:00Z"})
        docs = self.listed()
        self.assertEqual(len(docs), 3)
        for doc in docs.values():
            self.assertEqual(doc["author"], "dana", doc)  # the team's email, not the local part
            self.assertTrue(doc["created"].startswith("2019-03-04T10:00:00"), doc)

    def test_one_git_log_per_refresh(self):
        self.git_workspace()
        self.copy_fixture("rfc-style/text", "rfcs")
        self.commit_as("dana@example.org", "2019-03-04T10:00:00Z", "RFCs")
        wrapper = self.tmp / "bin"
        wrapper.mkdir()
        log = self.tmp / "git-calls.log"
        real = shutil.which("git")
        (wrapper / "git").write_text(f"#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{log}'\nexec '{real}' \"$@\"\n")
        (wrapper / "git").chmod(0o755)
        env = {"PATH": f"{wrapper}:{self.env['PATH']}"}
        self.assertEqual(self.a("index", env=env).code, 0)
        calls = [line for line in log.read_text().splitlines() if " log " in f" {line} "]
        self.assertEqual(len(calls), 1, calls)
        # Nothing changed: no history asked.
        log.write_text("")
        self.assertEqual(self.a("list", env=env).code, 0)
        self.assertEqual([line for line in log.read_text().splitlines() if " log " in f" {line} "], [])
        # Two notes changed: one git log for both.
        for name in ("0001-ferry-schedules.md", "0002-lighthouse-telemetry.md"):
            with open(self.ws / "docs" / "rfcs" / name, "a", encoding="utf-8") as f:
                f.write("\nAn added line.\n")
        self.assertEqual(self.a("list", env=env).code, 0)
        self.assertEqual(len([line for line in log.read_text().splitlines() if " log " in f" {line} "]), 1)

    def test_kep_folder_and_no_git(self):
        self.init_ws()
        self.copy_fixture("kep-style/keps", "keps")
        readme = self.ws / "docs/keps/sig-net/2077-dual-queue/README.md"
        os.utime(readme, (1656590400, 1656590400))  # 2022-06-30T12:00:00Z
        r = self.a("--json", "index")
        self.assertEqual(json.loads(r.out)["problems"], [])
        docs = self.listed()
        self.assertEqual(sorted(d["title"] for d in docs.values()),
                         ["KEP-1412: Snapshot Retention Windows", "KEP-2077: Dual Queue Ingress"])
        dual = docs["docs/keps/sig-net/2077-dual-queue/README.md"]
        # Not a git repository: the file's time and nobody in particular.
        self.assertEqual(dual["author"], "unknown")
        self.assertTrue(dual["created"].startswith("2022-06-30T12:00:00"), dual)
        r = self.a("--json", "search", "starves")
        self.assertEqual([d["title"] for d in json.loads(r.out)["results"]], ["KEP-2077: Dual Queue Ingress"])
        r = self.a("--json", "actions", "--all")
        self.assertIn(("ravi", "draft the API review"),
                      [(x["owner"], x["text"]) for x in json.loads(r.out)["actions"]])

    def test_adr_folder_indexes_as_notes(self):
        # Before `async import` adopts them, ADRs copied in are notes: titled by their heading,
        # their links to each other resolved.
        self.git_workspace()
        self.copy_fixture("adr-tools/doc/adr", "adr")
        self.commit_as("erin@example.org", "2017-02-03T12:00:00Z", "ADRs")
        r = self.a("--json", "index")
        self.assertEqual(json.loads(r.out)["problems"], [])
        docs = self.listed()
        self.assertEqual(sorted(d["title"] for d in docs.values()),
                         ["1. Record architecture decisions", "2. Use PostgreSQL for storage",
                          "3. Use SQLite for storage"])
        self.assertEqual({d["author"] for d in docs.values()}, {"erin"})
        r = self.a("--json", "search", "point-in-time")
        self.assertEqual([d["path"] for d in json.loads(r.out)["results"]], ["docs/adr/0002-use-postgresql-for-storage.md"])
        r = self.a("check")
        self.assertEqual((r.code, r.out), (0, ""), r)

    def test_writers_never_add_front_matter(self):
        self.git_workspace()
        note = self.ws / "docs" / "plan.md"
        note.write_text("# Harbour plan\r\n\r\n- [ ] @alice paint the bollards\r\n", encoding="utf-8")
        self.commit_as("alice@example.org", "2021-05-01T09:00:00Z", "plan")
        before = note.read_bytes()
        doc = self.listed()["docs/plan.md"]
        self.assertEqual((doc["title"], doc["author"]), ("Harbour plan", "alice"))
        r = self.a("tag", doc["id"], "+harbour")
        self.assertEqual(r.code, 2, r)
        self.assertIn("plain Markdown", r.err)
        self.assertIn("hint: adopt it first: async import 'docs/plan.md'", r.err)
        self.assertEqual(note.read_bytes(), before)
        # Ticking its box edits the body only: the file stays plain Markdown, CRLF kept.
        r = self.a("--json", "actions")
        handle = [x for x in json.loads(r.out)["actions"] if x["text"] == "paint the bollards"][0]["handle"]
        self.ok("-C", str(self.ws), "actions", "done", handle)
        self.assertEqual(note.read_bytes(), before.replace(b"- [ ]", b"- [x]"))
        self.assertEqual(self.listed()["docs/plan.md"]["id"], doc["id"])

    def test_hostile_notes(self):
        self.init_ws()
        docs = self.ws / "docs"
        (docs / "nul.md").write_bytes(b"# Title\n\x00oops\n")
        (docs / "latin1.md").write_bytes(b"# Caf\xe9\n")
        (docs / "huge.md").write_text("# Huge\n" + "x" * (5 * 1024 * 1024), encoding="utf-8")
        (docs / "control.md").write_text("# \x1b]0;pwned\x07Evil \u202etitle\n\nbody\n", encoding="utf-8")
        (docs / "empty.md").write_text("", encoding="utf-8")
        (docs / "deep.md").write_text("# Deep\n\n" + "> " * 5000 + "quote\n", encoding="utf-8")
        r = self.a("--json", "index")
        self.assertEqual(r.code, 0, r)
        problems = "\n".join(json.loads(r.out)["problems"])
        self.assertIn("docs/nul.md:2:1: NUL byte in file", problems)
        self.assertIn("docs/latin1.md:1:6: invalid UTF-8", problems)
        self.assertIn("docs/huge.md", problems)
        docs_listed = self.listed()
        self.assertEqual(sorted(docs_listed), ["docs/control.md", "docs/deep.md", "docs/empty.md"])
        self.assertEqual(docs_listed["docs/empty.md"]["title"], "empty")
        r = self.a("list", "--type", "note")
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("\x1b", r.out)
        self.assertNotIn("\u202e", r.out)
        r = self.a("check")
        self.assertEqual(r.code, 1, r)
        self.assertIn("docs/nul.md:2:1: error: NUL byte in file", r.out)


if __name__ == "__main__":
    main()
