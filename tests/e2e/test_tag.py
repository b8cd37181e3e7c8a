"""async tag (issue 21 item 5, the tagging half): +TAG and -TAG edit my document's front matter
(tags only, every other line kept), the index and search agree at once, someone else's
document is refused with a hint, and bad tags change nothing."""
import json
import tomllib
import unittest

import harness


class Tag(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()
        r = self.a("doc", "new", "Pricing page", "--tag", "draft", "--tag", "pricing", "-m", "Body.", "--no-edit")
        self.assertEqual(r.code, 0, r)
        self.id = r.out.split()[0]
        self.file = self.written(r)

    def front(self):
        return tomllib.loads(self.file.read_text().split("+++\n")[1])

    def test_add_and_remove(self):
        before = self.file.read_text()
        r = self.a("tag", self.id, "+web", "-draft", "+api")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.out, "pricing\nweb\napi\n")
        self.assertEqual(self.front()["tags"], ["pricing", "web", "api"])
        # Only the tags line changed.
        changed = [(a, b) for a, b in zip(before.splitlines(), self.file.read_text().splitlines()) if a != b]
        self.assertEqual(len(changed), 1, changed)
        self.assertTrue(changed[0][1].startswith("tags = "), changed)
        # The index agrees at once: list, search fields, show --json.
        self.assertEqual(json.loads(self.a("--json", "show", self.id).out)["tags"], ["pricing", "web", "api"])
        self.assertIn(self.id, self.a("list", "--tag", "web").out)
        self.assertIn(self.id, self.a("search", "tag:api").out)
        self.assertEqual(self.a("search", "tag:draft").code, 1)

    def test_listing_and_no_change(self):
        r = self.a("tag", self.id)
        self.assertEqual((r.code, r.out), (0, "draft\npricing\n"))
        before = self.file.stat().st_mtime_ns
        r = self.a("--json", "tag", self.id, "+draft", "-absent")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(json.loads(r.out)["changed"], False)
        self.assertIn("no changes", r.err)
        self.assertEqual(self.file.stat().st_mtime_ns, before)
        r = self.a("tag", self.id, "--", "-draft")
        self.assertEqual((r.code, r.out), (0, "pricing\n"))

    def test_someone_elses_document_is_refused(self):
        before = self.file.read_text()
        r = self.a("tag", self.id, "+web", user="bob")
        self.assertEqual(r.code, 2, r)
        self.assertIn("only its author writes to it", r.err)
        self.assertIn("async doc reply", r.err)
        self.assertEqual(self.file.read_text(), before)

    def test_bad_tags_change_nothing(self):
        before = self.file.read_text()
        for bad in ["+", "+two words", "+a,b", "+\x1b[2J", "+" + "x" * 65, "+\u202eevil", "web", "++x"]:
            r = self.a("tag", self.id, "+ok", bad)
            self.assertEqual(r.code, 2, (bad, r))
            self.assertNotIn("\x1b", r.err)
        self.assertEqual(self.file.read_text(), before)
        r = self.a("tag", "nosuchdoc", "+web")
        self.assertEqual(r.code, 1, r)


if __name__ == "__main__":
    unittest.main()
