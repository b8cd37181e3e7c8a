"""A line starting with "Decision:" is a decision wherever it is (issue 18, item 2): after a
paragraph line, after a task item (never glued into the action), in a meeting response (and so
in the summary's ## Decisions); never inside code or a block quote."""
import json

import harness


class Decisions(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()

    def decisions(self):
        r = self.a("decisions", "--json")
        self.assertEqual(r.code, 0, r)
        return [(d["text"], d["line"]) for d in json.loads(r.out)["decisions"]]

    def actions(self):
        r = self.a("actions", "--json")
        self.assertEqual(r.code, 0, r)
        return [a["text"] for a in json.loads(r.out)["actions"]]

    def new_doc(self, body):
        r = self.a("doc", "new", "Storage", "-m", body)
        self.assertEqual(r.code, 0, r)
        return self.written(r)

    def body_line(self, path, text):
        """The 1-based line of the file holding text."""
        return path.read_text().split("\n").index(text) + 1

    def test_right_after_a_paragraph_line(self):
        path = self.new_doc("We looked.\nDecision: use Postgres.")
        self.assertEqual(self.decisions(), [("use Postgres.", self.body_line(path, "Decision: use Postgres."))])

    def test_right_after_a_task_item(self):
        path = self.new_doc("- [ ] do it\nDecision: also this one.\n- [ ] @bob next\n  Decision: and this.\n")
        self.assertEqual(self.actions(), ["do it", "next"])
        self.assertEqual(self.decisions(), [("also this one.", self.body_line(path, "Decision: also this one.")),
                                            ("and this.", self.body_line(path, "  Decision: and this."))])

    def test_lines_after_a_decision_line_belong_to_it(self):
        self.new_doc("Context first.\nDecision: one plan\nfor everyone.\nDecision: no trial.\n\n"
                     "Decision: monthly billing.\n\n- a point\n  Decision: in a list item")
        self.assertEqual([t for t, _ in self.decisions()],
                         ["one plan for everyone.", "no trial.", "monthly billing.", "in a list item"])

    def test_not_in_code_or_quotes(self):
        self.new_doc("```\nx\nDecision: in a fence\n```\n\n> Quoted.\n> Decision: someone else's\n\n"
                     "Text with\n`Decision:` in code\n\n    indented\n    Decision: code too\n")
        self.assertEqual(self.decisions(), [])

    def test_in_a_meeting_response_and_its_summary(self):
        r = self.a("meeting", "open", "Storage sync", "--with", "bob", "-m", "## Database\n\nWhich one?\n")
        self.assertEqual(r.code, 0, r)
        mid = r.out.split()[0]
        r = self.a("meeting", "respond", mid, "-m", "## Database\n\nWe looked.\nDecision: use Postgres.\n",
                   user="bob")
        self.assertEqual(r.code, 0, r)
        self.assertEqual([t for t, _ in self.decisions()], ["use Postgres."])
        r = self.a("meeting", "close", mid, "--no-edit")
        self.assertEqual(r.code, 0, r)
        summary = self.written(r).read_text()
        decisions = summary.split("\n## Decisions\n", 1)[1].split("\n## ", 1)[0]
        self.assertEqual(decisions.strip(), "- use Postgres.")
        self.assertEqual([t for t, _ in self.decisions()], ["use Postgres."])  # listed once, from the summary


if __name__ == "__main__":
    harness.main()
