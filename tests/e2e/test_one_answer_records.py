"""One answer for what a record says (issue 17, items 7 and 8).

A decision is dated when it was taken: the closing time for an outcome `doc close` recorded,
the summary's time for a meeting's decision, the file's own `created` otherwise.
"""
import json

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


if __name__ == "__main__":
    harness.main()
