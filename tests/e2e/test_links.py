"""Links between documents (issue 21 item 4): [[title]] and [[id]] wiki links, #id references and
relative .md links, resolved through the index when asked; `async links REF` both ways (--json),
"Linked from:" in `show`, and `check`'s warning on a wiki link that names no document."""
import json
import os
import shutil

import harness

DOC = """+++
id = "{id}"
type = "doc"
title = "{title}"
author = "alice"
created = 2026-11-26T10:15:00Z
status = "open"
+++

{body}
"""
BODY_LINE = 10  # the first body line of DOC


class LinksCase(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()

    def doc(self, folder, id, title, body="Some text."):
        path = self.ws / "docs" / folder / "index.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(DOC.format(id=id, title=title, body=body), encoding="utf-8")
        return path

    def links_json(self, ref):
        r = self.a("--json", "links", ref)
        self.assertEqual(r.code, 0, r)
        return json.loads(r.out)


class Resolve(LinksCase):
    def setUp(self):
        super().setUp()
        self.doc("pricing", "aaaa1111", "Pricing page")
        self.doc("goals", "bbbb2222", "Quarterly goals")
        self.launch = self.doc("launch", "cccc3333", "Launch plan",
                               "See [[pricing PAGE]] and [[bbbb2222|the goals]].\n"  # 10
                               "Notes: [goals](../goals/index.md#top), [[Nowhere]] and #aaaa1111.\n"  # 11
                               "`[[in code]]` and [[#a heading]] are no links.\n")

    def test_links_to_by_title_id_path_and_reference(self):
        out = self.links_json("cccc3333")
        self.assertEqual(out["schema"], 1)
        self.assertEqual(out["document"]["id"], "cccc3333")
        got = [(l["kind"], l["target"], l["line"], l["resolved"], l["problem"], l["candidates"],
                l["document"]["id"] if l["document"] else None) for l in out["links_to"]]
        self.assertEqual(got, [
            ("wiki", "pricing PAGE", BODY_LINE, True, None, 1, "aaaa1111"),
            ("wiki", "bbbb2222", BODY_LINE, True, None, 1, "bbbb2222"),
            ("file", "../goals/index.md", BODY_LINE + 1, True, None, 1, "bbbb2222"),
            ("wiki", "Nowhere", BODY_LINE + 1, False, "not found", 0, None),
            ("reference", "aaaa1111", BODY_LINE + 1, True, None, 1, "aaaa1111"),
        ])
        self.assertEqual(out["linked_from"], [])
        self.assertEqual(out["links_to"][0]["document"]["path"], "docs/pricing/index.md")

    def test_human_output_both_directions(self):
        r = self.a("links", "cccc3333", env={"COLUMNS": "200"})
        self.assertEqual(r.code, 0, r)
        lines = r.out.splitlines()
        self.assertEqual(lines[0], "Links to:")
        self.assertRegex(r.out, r"\n  10  aaaa1111 +Pricing page +docs/pricing/index.md\n")
        self.assertRegex(r.out, r"\n  11  \[\[Nowhere\]\] +not found\n")
        self.assertEqual(lines[-2:], ["Linked from:", "  none"])
        r = self.a("links", "docs/pricing", env={"COLUMNS": "200"})
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.out.splitlines()[:2], ["Links to:", "  none"])
        self.assertRegex(r.out, r"Linked from:\n  cccc3333  Launch plan  docs/launch/index.md:10\n$")

    def test_backlinks_in_links_and_show(self):
        out = self.links_json("bbbb2222")
        self.assertEqual([(b["document"]["id"], b["kind"], b["line"]) for b in out["linked_from"]],
                         [("cccc3333", "wiki", BODY_LINE)])
        r = self.a("show", "bbbb2222", env={"COLUMNS": "200"})
        self.assertEqual(r.code, 0, r)
        self.assertRegex(r.out, r"\nLinked from:\n +cccc3333 +Launch plan +docs/launch/index.md:10\n")
        shown = json.loads(self.a("--json", "show", "bbbb2222").out)
        self.assertEqual([b["document"]["id"] for b in shown["linked_from"]], ["cccc3333"])
        # No backlinks: no section, an empty array.
        self.assertNotIn("Linked from:", self.a("show", "cccc3333").out)
        self.assertEqual(json.loads(self.a("--json", "show", "cccc3333").out)["linked_from"], [])

    def test_target_created_later_resolves_and_deleted_one_does_not(self):
        before = self.launch.stat().st_mtime_ns
        self.assertFalse(self.links_json("cccc3333")["links_to"][3]["resolved"])
        self.doc("nowhere", "dddd4444", "Nowhere")
        later = self.links_json("cccc3333")["links_to"][3]
        self.assertEqual((later["resolved"], later["document"]["id"]), (True, "dddd4444"))
        self.assertEqual([b["document"]["id"] for b in self.links_json("dddd4444")["linked_from"]], ["cccc3333"])
        self.assertEqual(self.launch.stat().st_mtime_ns, before)  # the linking file was not rewritten
        shutil.rmtree(self.ws / "docs" / "goals")
        out = self.links_json("cccc3333")["links_to"]
        self.assertEqual([(l["target"], l["resolved"]) for l in out if l["kind"] != "reference"],
                         [("pricing PAGE", True), ("bbbb2222", False), ("../goals/index.md", False),
                          ("Nowhere", True)])

    def test_an_edited_link_is_read_again(self):
        text = self.launch.read_text().replace("[[Nowhere]]", "[[Quarterly Goals]]")
        self.launch.write_text(text)
        os.utime(self.launch, ns=(self.launch.stat().st_atime_ns, self.launch.stat().st_mtime_ns + 10**9))
        targets = [(l["target"], l["document"]["id"] if l["document"] else None)
                   for l in self.links_json("cccc3333")["links_to"]]
        self.assertIn(("Quarterly Goals", "bbbb2222"), targets)
        self.assertNotIn("Nowhere", [t for t, _ in targets])

    def test_check_warns_at_the_link(self):
        r = self.a("check")
        self.assertEqual(r.code, 0, r)  # warnings alone
        self.assertEqual(r.out.splitlines(), [
            "docs/launch/index.md:11:40: warning: broken link '[[Nowhere]]': "
            "no document has this id, title or file name"])
        self.doc("nowhere", "dddd4444", "Nowhere")
        r = self.a("check")
        self.assertEqual((r.code, r.out), (0, ""), r)


class Ambiguous(LinksCase):
    def test_two_titles_are_ambiguous_until_the_id_is_used(self):
        self.doc("one", "aaaa1111", "Same title")
        self.doc("two", "bbbb2222", "Same title")
        self.doc("src", "cccc3333", "Source", "Either [[same title]] or [[bbbb2222|that one]].")
        links = self.links_json("cccc3333")["links_to"]
        self.assertEqual([(l["resolved"], l["problem"], l["candidates"]) for l in links],
                         [(False, "ambiguous", 2), (True, None, 1)])
        self.assertRegex(self.a("links", "cccc3333").out, r"\[\[same title\]\] +ambiguous: 2 documents")
        # Neither gets a backlink from the ambiguous one; the id link counts.
        self.assertEqual(self.links_json("aaaa1111")["linked_from"], [])
        self.assertEqual([b["line"] for b in self.links_json("bbbb2222")["linked_from"]], [BODY_LINE])
        r = self.a("check")
        self.assertEqual(r.out.splitlines(), [
            "docs/src/index.md:10:8: warning: ambiguous link '[[same title]]': 2 documents have this "
            "title or file name ('docs/one/index.md' and 'docs/two/index.md'); use an id"])

    def test_file_name_when_no_title_matches(self):
        self.doc("2026-11-26-pricing", "aaaa1111", "Pricing page")
        self.doc("src", "cccc3333", "Source", "[[2026-11-26-Pricing]]")
        self.assertEqual(self.links_json("cccc3333")["links_to"][0]["document"]["id"], "aaaa1111")


class Hostile(LinksCase):
    def test_many_links_and_odd_targets(self):
        self.doc("target", "aaaa1111", "Target")
        body = " ".join(f"[[Target|{i}]]" for i in range(10000)) + "\n\n"
        body += "[[red\x1b\x07bell]] [out](../../../../../etc/passwd.md) [[" + "x" * 100 + "]]\n"
        body += "[[unclosed [[ ]] ]]] [[a\nb]]\n"
        self.doc("many", "cccc3333", "Many", body)
        out = self.links_json("cccc3333")
        self.assertEqual(len(out["links_to"]), 10003)
        self.assertTrue(all(l["resolved"] for l in out["links_to"][:10000]))
        odd = out["links_to"][10000:]
        self.assertEqual([(l["kind"], l["resolved"]) for l in odd],
                         [("wiki", False), ("file", False), ("wiki", False)])
        # One backlink row per linking document, however many links it has.
        self.assertEqual(len(self.links_json("aaaa1111")["linked_from"]), 1)
        r = self.a("links", "cccc3333")
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("\x1b", r.out)

    def test_bad_refs(self):
        r = self.a("links", "zzzz9999")
        self.assertEqual(r.code, 1, r)
        self.assertIn("async: error: no document matches 'zzzz9999'", r.err)
        r = self.a("links")
        self.assertEqual(r.code, 2, r)


if __name__ == "__main__":
    harness.main()
