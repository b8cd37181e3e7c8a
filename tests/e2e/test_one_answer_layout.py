"""One answer to "what kind of file is this?" (issue 17, item 2): the index, `check` and `sync`
ask the same layout, so a file the index skips is an error in `check` (working tree and
staged), a file `check` passes is in the index, and `sync` names a file by the kind the index
gives it."""
import json
import subprocess
import unittest

import harness

DOC = """+++
id = "{id}"
type = "{type}"
title = "{title}"
author = "alice"
created = 2026-11-26T10:15:00Z
+++
Some text.
"""


class LayoutCase(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()

    def put(self, rel, text, root=None):
        path = (root or self.ws) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def listed_ids(self):
        r = self.a("--json", "list", "--all")
        self.assertEqual(r.code, 0, r)
        return {d["id"] for d in json.loads(r.out)["documents"]}


class CheckAgreesWithTheIndex(LayoutCase):
    def test_check_reports_the_folder_the_index_skips_as_too_deep(self):
        deep = "docs/" + "/".join(f"d{i}" for i in range(33))
        self.put(deep + "/index.md", DOC.format(id="deep0001", type="doc", title="Deep"))
        r = self.a("index")
        self.assertEqual(r.code, 0, r)
        self.assertIn("nested too deep", r.err)
        self.assertNotIn("deep0001", self.listed_ids())
        r = self.a("check")
        self.assertEqual(r.code, 1, r)
        self.assertIn(": error: folders nested too deep", r.out)
        # Named by path, the document the index never sees is an error too.
        r = self.a("check", deep + "/index.md")
        self.assertEqual(r.code, 1, r)
        self.assertIn(deep + "/index.md:1:1: error: ", r.out)
        self.assertIn("nested too deep", r.out)

    def test_staged_check_reports_a_file_the_index_will_not_reach(self):
        deep = "docs/" + "/".join(f"d{i}" for i in range(33))
        self.put(deep + "/index.md", DOC.format(id="deep0002", type="doc", title="Deep"))
        for args in (["init", "-q"], ["add", "docs"]):
            subprocess.run(["git", *args], cwd=self.ws, env=self.env, check=True, capture_output=True)
        r = self.a("check", "--staged")
        self.assertEqual(r.code, 1, r)
        self.assertIn(deep + "/index.md:1:1: error: not indexed: folders nested too deep", r.out)

    def test_what_check_passes_by_name_is_indexed(self):
        self.put("docs/plan/notes.md", DOC.format(id="note0001", type="doc", title="Notes"))
        self.put("meetings/m/attachments/talk.ogg", "not really audio")
        self.put("meetings/m/attachments/talk.txt", "the words of the talk\n")
        self.put("meetings/m/index.md", DOC.format(id="meet0001", type="meeting", title="Sync"))
        for rel in ["docs/plan/notes.md", "meetings/m/attachments/talk.txt", "meetings/m/index.md"]:
            r = self.a("check", rel)
            self.assertEqual((r.code, r.out), (0, ""), r)
        self.assertTrue({"note0001", "meet0001"} <= self.listed_ids())
        r = self.a("search", "words")
        self.assertEqual(r.code, 0, r)
        self.assertIn("meet0001", r.out)


class SyncAgreesWithTheIndex(LayoutCase):
    def git(self, *args):
        r = subprocess.run(["git", *args], cwd=self.ws, env=dict(self.env, GIT_TERMINAL_PROMPT="0"),
                           capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 0, f"git {' '.join(args)}\n{r.stdout}\n{r.stderr}")
        return r.stdout

    def test_sync_names_files_by_the_kind_the_index_gives_them(self):
        bare = self.tmp / "team.git"
        subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True, env=self.env)
        self.git("init", "-q")
        self.git("config", "user.name", "Alice")
        self.git("config", "user.email", "alice@example.com")
        self.git("remote", "add", "origin", str(bare))
        r = self.a("sync")
        self.assertEqual(r.code, 0, r)
        self.put("docs/2026-11-26-plan/notes.md", DOC.format(id="note0001", type="doc", title="Notes"))
        self.put("people/alice/todo.md", DOC.format(id="item0001", type="item", title="Todo"))
        self.assertTrue({"note0001", "item0001"} <= self.listed_ids())
        r = self.a("sync")
        self.assertEqual(r.code, 0, r)
        subject = self.git("log", "-1", "--format=%s").strip()
        self.assertEqual(subject, "async: 1 document, 1 item")


class PublishAgreesWithTheIndex(LayoutCase):
    def test_publish_shows_a_transcript_exactly_when_the_index_holds_it(self):
        bundle = "docs/2026-11-26-demo"
        self.put(bundle + "/index.md", DOC.format(id="demo0001", type="post", title="Demo"))
        self.put(bundle + "/attachments/talk.ogg", "OggS")
        self.put(bundle + "/attachments/talk.txt", "we talked about the zeppelin\n")
        # An upper-case extension is not a media file to the layout: its .txt is a plain
        # attachment, so neither search nor the published page treat it as a transcript.
        self.put(bundle + "/attachments/LOUD.OGG", "OggS")
        self.put(bundle + "/attachments/LOUD.txt", "we talked about the quasar\n")
        self.assertEqual(self.a("index").code, 0)

        def found(word):
            r = self.a("search", word, "--json")
            hits = json.loads(r.out)["results"]
            self.assertEqual(r.code, 0 if hits else 1, r)  # 1: nothing found, as grep
            return bool(hits)

        self.assertTrue(found("zeppelin"))
        self.assertFalse(found("quasar"))
        site = self.tmp / "site"
        r = self.a("publish", "-o", str(site))
        self.assertEqual(r.code, 0, r)
        page = next(p.read_text(encoding="utf-8") for p in site.rglob("*.html")
                    if "LOUD" in p.read_text(encoding="utf-8"))
        self.assertIn("zeppelin", page)
        self.assertIn("Transcript", page)
        self.assertNotIn("quasar", page)
        self.assertEqual(page.count("<audio"), 1, page)


if __name__ == "__main__":
    harness.main()
