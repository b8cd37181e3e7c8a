"""One answer for what a record says (issue 17, items 7 and 8).

A decision is dated when it was taken: the closing time for an outcome `doc close` recorded,
the summary's time for a meeting's decision, the file's own `created` otherwise. And every
command that writes a file updates the index for it before it exits (write-through), so
completion, which reads the index as it is, offers what was written a moment ago.
"""
import json
import sqlite3

import harness

MON = "2026-12-07T09:00:00Z"
TUE = "2026-12-08T11:30:00Z"
WED = "2026-12-09T14:00:00Z"
THU = "2026-12-10T16:45:00Z"


class DecisionDates(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()

    def decisions(self, *args):
        r = self.a("--json", "decisions", *args)
        self.assertEqual(r.code, 0, r)
        return [(d["text"], d["taken"]) for d in json.loads(r.out)["decisions"]]

    def test_outcome_is_dated_when_the_document_was_closed(self):
        r = self.a("doc", "new", "Pricing page", "-m", "Decision: keep the old page until then",
                   env={"ASYNC_NOW": MON})
        self.assertEqual(r.code, 0, r)
        doc_id = r.out.split()[0]
        self.assertEqual(self.a("doc", "close", doc_id, "-m", "Three tiers", env={"ASYNC_NOW": WED}).code, 0)
        _, body = self.front_matter(self.written(r))
        self.assertIn("## Outcome\n\nDecision: Three tiers", body)

        # Most recently taken first; the outcome on Wednesday, the write-up's own on Monday.
        self.assertEqual(self.decisions(), [("Three tiers", WED), ("keep the old page until then", MON)])
        # The bug: --since the closing day missed the outcome (it had the write-up's date).
        self.assertEqual(self.decisions("--since", "2026-12-09"), [("Three tiers", WED)])
        self.assertEqual(self.decisions("--since", "2026-12-10"), [])
        table = self.a("decisions", "--since", "2026-12-09")
        self.assertEqual(table.code, 0, table)
        self.assertTrue(table.out.startswith("2026-12-09  Three tiers"), table.out)
        self.assertIn("2026-12-07  keep the old page", self.a("decisions").out)

    def test_outcome_heading_of_an_open_document_keeps_its_created_date(self):
        # Without a closing time, an "Outcome" section is just text of the document.
        r = self.a("doc", "new", "Hiring", "-m", "## Outcome\n\nDecision: hire two", env={"ASYNC_NOW": MON})
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.decisions(), [("hire two", MON)])

    def test_a_replys_decision_has_the_replys_date(self):
        r = self.a("doc", "new", "Pricing page", "-r", "bob", "-m", "Which tiers?", env={"ASYNC_NOW": MON})
        doc_id = r.out.split()[0]
        r = self.a("doc", "reply", doc_id, "-m", "Decision: three tiers", user="bob", env={"ASYNC_NOW": TUE})
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.decisions(), [("three tiers", TUE)])
        self.assertEqual(self.decisions("--since", "2026-12-08"), [("three tiers", TUE)])

    def test_a_meetings_decision_has_the_summarys_date(self):
        r = self.a("meeting", "open", "Weekly sync", "--with", "bob", "-m", "## Launch\n\nDecision: launch on Monday",
                   env={"ASYNC_NOW": MON})
        self.assertEqual(r.code, 0, r)
        meeting_id = r.out.split()[0]
        self.assertEqual(self.decisions(), [("launch on Monday", MON)])
        r = self.a("meeting", "close", meeting_id, "--no-edit", env={"ASYNC_NOW": THU})
        self.assertEqual(r.code, 0, r)
        # Listed once, from the summary (the meeting's record), when the meeting closed.
        self.assertEqual(self.decisions(), [("launch on Monday", THU)])
        self.assertEqual(self.decisions("--since", "2026-12-10"), [("launch on Monday", THU)])


class WriteThrough(harness.AsyncTestCase):
    """`__complete` never refreshes: it sees what the writing command put into the index."""

    def setUp(self):
        super().setUp()
        self.init_ws()
        self.ok("-C", str(self.ws), "list")  # the index exists and is up to date

    def complete(self, kind):
        r = self.run_async("__complete", kind, cwd=self.ws)
        self.assertEqual((r.code, r.err), (0, ""), r)
        return [line.split("\t")[0] for line in r.out.splitlines()]

    def consistent(self):
        # --check compares the index with the files without refreshing it first.
        r = self.a("index", "--check")
        self.assertEqual((r.code, r.out), (0, ""), r)

    def test_doc_new_is_offered_at_once(self):
        r = self.a("doc", "new", "Pricing page", "-m", "Three tiers?")
        self.assertEqual(r.code, 0, r)
        self.assertIn(r.out.split()[0], self.complete("ids"))
        self.consistent()

    def test_meeting_open_is_offered_at_once_with_its_transcript(self):
        recording = self.tmp / "sync.ogg"
        recording.write_bytes(b"OggS")
        (self.tmp / "sync.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nzebrafish budget\n", encoding="utf-8")
        r = self.a("meeting", "open", "Weekly sync", "--with", "bob", "--attach", str(recording), "-m", "## Launch\n\nWhen?")
        self.assertEqual(r.code, 0, r)
        meeting_id = r.out.split()[0]
        self.assertIn(meeting_id, self.complete("meetings"))
        self.consistent()
        found = json.loads(self.a("--json", "search", "zebrafish").out)
        self.assertEqual([h["id"] for h in found["results"]], [meeting_id])

    def test_inbox_add_is_offered_at_once(self):
        self.ok("-C", str(self.ws), "inbox", "add", "Call the bank")
        self.assertEqual(len(self.complete("items")), 1)
        self.consistent()

    def test_every_writer_leaves_the_index_consistent(self):
        doc_id = self.a("doc", "new", "Pricing page", "-r", "bob", "-m", "Which tiers?").out.split()[0]
        self.consistent()
        self.assertEqual(self.a("doc", "reply", doc_id, "-m", "Three.", user="bob").code, 0)
        self.consistent()
        self.assertEqual(self.a("doc", "close", doc_id, "-m", "Three tiers").code, 0)
        self.consistent()
        meeting_id = self.a("meeting", "open", "Sync", "--with", "bob", "-m", "## Launch\n\nWhen?").out.split()[0]
        self.assertEqual(self.a("meeting", "respond", meeting_id, "-m", "## Launch\n\nMonday.", user="bob").code, 0)
        self.consistent()
        self.assertEqual(self.a("meeting", "close", meeting_id, "--no-edit").code, 0)
        self.consistent()
        self.assertEqual(self.a("checkin", "-m", "## Done\n\n- shipped\n", "--no-edit").code, 0)
        self.consistent()
        self.assertEqual(self.a("edit", doc_id, "-m", "Which tiers? Three.", "--no-edit").code, 0)
        self.consistent()

    def test_a_busy_index_warns_and_keeps_the_write(self):
        # Another process holds the write lock: the document is written, exit 0, a warning;
        # no waiting beyond a couple of seconds, and the next read command catches up.
        db = sqlite3.connect(self.ws / ".async" / "index.db", isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")
            r = self.a("doc", "new", "Pricing page", "-m", "Three tiers?", timeout=20)
            db.execute("ROLLBACK")
        finally:
            db.close()
        self.assertEqual(r.code, 0, r)
        self.assertIn("async: warning: the index was not updated", r.err)
        doc_id = r.out.split()[0]
        self.assertTrue(self.written(r).exists())
        self.assertNotIn(doc_id, self.complete("ids"))
        self.assertIn(doc_id, self.a("list").out)
        self.assertIn(doc_id, self.complete("ids"))
        self.consistent()

    def test_first_write_in_a_new_workspace_builds_the_index(self):
        fresh = self.tmp / "fresh"
        self.ok("init", str(fresh))
        r = self.run_async("-C", str(fresh), "doc", "new", "First", "-m", "Hello")
        self.assertEqual(r.code, 0, r)
        self.assertTrue((fresh / ".async" / "index.db").exists())
        r2 = self.run_async("__complete", "ids", cwd=fresh)
        self.assertEqual([l.split("\t")[0] for l in r2.out.splitlines()], [r.out.split()[0]])

    def test_sample_is_offered_at_once(self):
        demo = self.tmp / "demo"
        self.ok("init", "--sample", str(demo))
        r = self.run_async("__complete", "ids", cwd=demo)
        self.assertIn("k3f9q2ma", [l.split("\t")[0] for l in r.out.splitlines()])
        r = self.run_async("-C", str(demo), "index", "--check")
        self.assertEqual(r.code, 0, r)


if __name__ == "__main__":
    harness.main()
