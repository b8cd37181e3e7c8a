"""YAML front matter (issue 21 item 2): an Obsidian vault and a Jekyll _posts/ folder copied into
docs/ index with no problem and read like async's own files (titles, dates, authors, tags,
search); malformed YAML is path:line:col; async never rewrites a YAML file."""
import json
import os
import shutil
import unittest
from pathlib import Path

import harness

FIXTURES = Path(os.environ.get("ASYNC_SOURCE_DIR", Path(__file__).resolve().parents[2])) / "tests" / "fixtures"


class Yaml(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()

    def copy(self, fixture):
        target = self.ws / "docs" / fixture
        shutil.copytree(FIXTURES / fixture, target)
        return target

    def listed(self):
        r = self.a("--json", "list", "--all")
        self.assertEqual(r.code, 0, r)
        return {d["path"]: d for d in json.loads(r.out)["documents"]}

    def test_obsidian_vault(self):
        self.copy("obsidian-vault")
        r = self.a("index")
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("warning", r.err)
        docs = self.listed()
        vault = "docs/obsidian-vault/"
        self.assertEqual(sorted(p for p in docs if p.startswith(vault)), [
            vault + "Home.md", vault + "Meeting 2026-02-12.md", vault + "Pricing experiments.md",
            vault + "Projects/Search revamp.md"])
        pricing = docs[vault + "Pricing experiments.md"]
        self.assertEqual(pricing["title"], "Pricing experiments")
        self.assertEqual(pricing["type"], "note")
        self.assertEqual(pricing["author"], "alice")
        self.assertEqual(pricing["created"], "2026-02-11T13:30:00Z")  # date, +01:00 in UTC
        self.assertEqual(pricing["status"], "open")
        meeting = docs[vault + "Meeting 2026-02-12.md"]
        self.assertEqual(meeting["title"], "Meeting 2026-02-12: roadmap")
        self.assertEqual(meeting["author"], "bob")  # the first of authors
        self.assertEqual(meeting["created"], "2026-02-12T00:00:00Z")
        search = docs[vault + "Projects/Search revamp.md"]
        self.assertEqual(search["title"], "Search revamp: ranking by freshness")
        self.assertEqual(search["created"], "2026-01-20T08:15:00Z")
        home = docs[vault + "Home.md"]
        self.assertEqual(home["created"], "2026-02-10T09:00:00Z")
        self.assertEqual(home["type"], "note")

        shown = json.loads(self.ok("-C", str(self.ws), "--json", "show", vault + "Pricing experiments.md").out)
        self.assertEqual(shown["tags"], ["pricing", "experiment"])
        self.assertEqual(shown["author"], "alice")
        shown = json.loads(self.ok("-C", str(self.ws), "--json", "show", vault + "Meeting 2026-02-12.md").out)
        self.assertEqual(shown["tags"], ["meeting"])  # a scalar tag is a list of one

        r = self.a("search", "usage-based tier")
        self.assertEqual(r.code, 0, r)
        self.assertIn("Pricing experiments", r.out)
        r = self.a("search", "tag:ranking")
        self.assertEqual(r.code, 0, r)
        self.assertIn("Search revamp", r.out)
        r = self.a("--json", "list", "--tag", "moc")
        self.assertEqual(r.code, 0, r)
        self.assertEqual([d["path"] for d in json.loads(r.out)["documents"]], [vault + "Home.md"])

        r = self.a("check")
        self.assertNotIn("error", r.out + r.err, r)

    def test_jekyll_posts(self):
        self.copy("jekyll-posts")
        r = self.a("index")
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("warning", r.err)
        docs = self.listed()
        hello = docs["docs/jekyll-posts/_posts/2026-03-01-hello.md"]
        self.assertEqual(hello["title"], "Hello, world")
        self.assertEqual(hello["author"], "erin")
        self.assertEqual(hello["created"], "2026-03-01T10:00:00Z")
        notes = docs["docs/jekyll-posts/_posts/2026-03-08-release-notes.md"]
        self.assertEqual(notes["title"], "Release notes: 2.4")
        self.assertEqual(notes["author"], "frank")
        self.assertEqual(notes["created"], "2026-03-08T15:45:00Z")
        self.assertEqual(notes["type"], "note")
        r = self.a("search", "lighthouse keepers")
        self.assertEqual(r.code, 0, r)
        self.assertIn("Hello, world", r.out)
        r = self.a("check")
        self.assertNotIn("error", r.out + r.err, r)

    def test_malformed_yaml_is_located_and_skipped(self):
        bad = self.ws / "docs" / "notes" / "bad.md"
        bad.parent.mkdir(parents=True)
        bad.write_text("---\ntitle: ok\ntags: [a, b\nauthor: x\n---\nbody\n")
        r = self.a("check")
        self.assertEqual(r.code, 1, r)
        self.assertRegex(r.out + r.err, r"docs/notes/bad\.md:\d+:\d+: .*invalid YAML")
        dup = self.ws / "docs" / "notes" / "dup.md"
        dup.write_text("---\ntitle: a\ntitle: b\n---\n")
        r = self.a("check")
        self.assertIn("docs/notes/dup.md:3:1: error: invalid YAML: duplicate key 'title'", r.out + r.err)
        listed = self.listed()
        self.assertNotIn("docs/notes/bad.md", listed)
        self.assertNotIn("docs/notes/dup.md", listed)

    def test_hostile_yaml_is_refused(self):
        folder = self.ws / "docs" / "hostile"
        folder.mkdir(parents=True)
        (folder / "deep.md").write_text("---\na: " + "[" * 50000 + "]" * 50000 + "\n---\n")
        laughs = "---\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in range(1, 12):
            laughs += f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n"
        (folder / "laughs.md").write_text(laughs + "---\n")
        (folder / "list.md").write_text("---\n- a\n- b\n---\n")
        (folder / "huge.md").write_text(
            "---\n" + "".join(f"key{i}: value {i}\n" for i in range(100000)) + "title: Huge\n---\nbody\n")
        r = self.a("check", timeout=60)
        out = r.out + r.err
        self.assertIn("deep.md:2:", out)
        self.assertIn("laughs.md:", out)
        self.assertIn("aliases copy more than", out)
        self.assertIn("list.md:2:1: error: invalid YAML: the front matter must be a mapping", out)
        listed = self.listed()
        self.assertEqual(listed["docs/hostile/huge.md"]["title"], "Huge")

    def test_tag_refuses_and_leaves_the_file_byte_identical(self):
        self.copy("obsidian-vault")
        path = self.ws / "docs" / "obsidian-vault" / "Pricing experiments.md"
        before = path.read_bytes()
        self.ok("-C", str(self.ws), "index")
        r = self.a("tag", "docs/obsidian-vault/Pricing experiments.md", "+web")
        self.assertNotEqual(r.code, 0, r)
        self.assertIn("has YAML front matter, which async reads but never rewrites", r.err)
        self.assertIn("hint: adopt it first: async import 'docs/obsidian-vault/Pricing experiments.md'", r.err)
        self.assertEqual(path.read_bytes(), before)
        # Listing its tags reads only.
        r = self.a("tag", "docs/obsidian-vault/Pricing experiments.md")
        self.assertEqual((r.code, r.out), (0, "pricing\nexperiment\n"))


if __name__ == "__main__":
    harness.main()
