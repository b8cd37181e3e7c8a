"""async doc reply / doc close and review states in async show (issue 4, first half)."""
import json
import shutil
import tomllib
from pathlib import Path

import harness
import test_shell

AFTER_DUE = "2026-11-28T09:00:00Z"  # the doc's due is Fri 2026-11-27 17:00 UTC


class Feedback(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()

    def new_doc(self, title="Pricing page", body="## Problem\n\nOld page.\n\n## Which tiers?\n\nThree or four."):
        r = self.a("doc", "new", title, "-r", "bob,carol", "-d", "fri", "-m", body)
        self.assertEqual(r.code, 0, r)
        return r.out.split()[0], self.written(r)

    def replies(self, doc_path):
        return self.files_under(Path(doc_path).parent / "replies")

    def reviews(self, doc_id, env=None):
        r = self.a("show", doc_id, "--json", env=env)
        self.assertEqual(r.code, 0, r)
        return json.loads(r.out)["reviews"]

    def test_issue_flow(self):
        doc_id, doc_path = self.new_doc()
        self.assertEqual(self.reviews(doc_id), [{"handle": "bob", "state": "pending"},
                                                {"handle": "carol", "state": "pending"}])
        r = self.a("doc", "reply", doc_id, "-m", "Three tiers, please.", user="bob",
                   env={"ASYNC_NOW": "2026-11-27T10:15:00Z"})
        self.assertEqual(r.code, 0, r)
        reply_id, reply_path = r.out.split()
        self.assertEqual(reply_path, "ws/docs/2026-11-26-pricing-page/replies/20261127T101500Z-bob.md")
        fm, body = self.front_matter(self.written(r))
        self.assertEqual(fm["id"], reply_id)
        self.assertEqual(fm["type"], "reply")
        self.assertEqual(fm["author"], "bob")
        self.assertEqual(fm["reply_to"], doc_id)
        self.assertEqual(body.strip(), "Three tiers, please.")
        self.assertEqual(self.reviews(doc_id), [
            {"handle": "bob", "state": "answered", "replied": "2026-11-27T10:15:00Z", "late": False},
            {"handle": "carol", "state": "pending"}])
        self.assertEqual(self.reviews(doc_id, env={"ASYNC_NOW": AFTER_DUE})[1],
                         {"handle": "carol", "state": "overdue"})
        human = self.a("show", doc_id, env={"ASYNC_NOW": AFTER_DUE})
        self.assertIn("review bob: answered", human.out)
        self.assertIn("review carol: overdue", human.out)

        self.ok("-C", str(self.ws), "doc", "close", doc_id, "-m", "Go with three tiers")
        decisions = json.loads(self.a("decisions", "--json").out)["decisions"]
        self.assertIn(("Go with three tiers", doc_id), [(d["text"], d["document"]["id"]) for d in decisions])
        listed = self.a("list", "--status", "closed")
        self.assertEqual(listed.code, 0, listed)
        self.assertIn(doc_id, listed.out)
        fm, body = self.front_matter(doc_path)
        self.assertEqual(fm["status"], "closed")
        self.assertIn("closed", fm)
        self.assertIn("## Outcome\n\nDecision: Go with three tiers\n", body)

    def test_doc_status_answers_has_everyone_answered(self):
        doc_id, _ = self.new_doc()
        r = self.a("doc", "status", doc_id)
        self.assertEqual(r.code, 1, r)
        self.assertRegex(r.out, r"^Pricing page \(" + doc_id + r"\), open, feedback due Fri 2026-11-27 17:00")
        self.assertRegex(r.out, r"bob\s+pending")
        self.assertEqual(r.err, "")
        self.assertEqual(self.a("doc", "reply", doc_id, "-m", "Yes.", user="bob",
                                env={"ASYNC_NOW": "2026-11-27T10:15:00Z"}).code, 0)
        # carol answers after the deadline: answered, but late, in status, show and --json.
        self.assertEqual(self.a("doc", "reply", doc_id, "-m", "Sorry, late.", user="carol",
                                env={"ASYNC_NOW": "2026-11-30T09:12:00Z"}).code, 0)
        r = self.a("doc", "status", doc_id, env={"ASYNC_NOW": "2026-11-30T10:00:00Z"})
        self.assertEqual(r.code, 0, r)
        self.assertRegex(r.out, r"bob\s+answered\s+Fri 2026-11-27 10:15")
        self.assertRegex(r.out, r"carol\s+answered late\s+Mon 2026-11-30 09:12")
        j = self.a("--json", "doc", "status", doc_id, env={"ASYNC_NOW": "2026-11-30T10:00:00Z"})
        self.assertEqual(j.code, 0, j)
        data = json.loads(j.out)
        self.assertEqual(data["id"], doc_id)
        self.assertEqual(data["reviews"], [
            {"handle": "bob", "state": "answered", "replied": "2026-11-27T10:15:00Z", "late": False},
            {"handle": "carol", "state": "answered", "replied": "2026-11-30T09:12:00Z", "late": True}])
        self.assertEqual(self.reviews(doc_id), data["reviews"])
        self.assertIn("review carol: answered late, Mon 2026-11-30 09:12", self.a("show", doc_id).out)
        # A reply or a meeting is not a write-up to ask about.
        reply = self.ws / "docs/2026-11-26-pricing-page/replies" / self.replies(self.ws / "docs/2026-11-26-pricing-page/index.md")[0]
        r = self.a("doc", "status", str(reply))
        self.assertEqual(r.code, 2, r)
        self.assertIn("async doc status docs/2026-11-26-pricing-page/index.md", r.err)
        self.assertEqual(self.a("doc", "status", "nosuch").code, 1)
        # No reviewers: nobody to wait for.
        r = self.a("doc", "new", "Notes", "-m", "x")
        self.assertEqual(self.a("doc", "status", r.out.split()[0]).code, 0)

    def test_no_reviews_key_without_reviewers(self):
        r = self.ok("-C", str(self.ws), "doc", "new", "Solo", "-m", "x")
        data = json.loads(self.a("show", r.out.split()[0], "--json").out)
        self.assertNotIn("reviews", data)

    def test_two_replies_in_one_second_make_two_files(self):
        doc_id, doc_path = self.new_doc()
        first = self.a("doc", "reply", doc_id, "-m", "one", user="bob")
        second = self.a("doc", "reply", doc_id, "-m", "two", user="bob")
        self.assertEqual((first.code, second.code), (0, 0), (first, second))
        self.assertEqual(self.replies(doc_path), ["20261126T101500Z-bob-2.md", "20261126T101500Z-bob.md"])
        self.assertNotEqual(first.out.split()[0], second.out.split()[0])

    def test_unknown_ref(self):
        r = self.a("doc", "reply", "zzzzzzzz", "-m", "x")
        self.assertEqual(r.code, 1, r)
        self.assertIn("no document matches 'zzzzzzzz'", r.err)
        self.assertEqual(self.a("doc", "close", "zzzzzzzz").code, 1)

    def test_reply_to_a_reply_is_a_usage_error(self):
        doc_id, doc_path = self.new_doc()
        reply_id = self.a("doc", "reply", doc_id, "-m", "x", user="bob").out.split()[0]
        r = self.a("doc", "reply", reply_id, "-m", "y")
        self.assertEqual(r.code, 2, r)
        self.assertIn("cannot reply to a reply", r.err)
        self.assertEqual(self.a("doc", "close", reply_id).code, 2)
        self.assertEqual(len(self.replies(doc_path)), 1)

    def test_editor_shows_context_which_is_not_saved(self):
        doc_id, doc_path = self.new_doc()
        r = self.a("doc", "reply", doc_id, user="bob", env=self.editor("append.sh", text="Looks good."))
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.drafts(), [])
        text = self.written(r).read_text()
        self.assertIn('*Feedback on "Pricing page" (' + doc_id + ').*', text)
        self.assertIn("## My answer", text)
        self.assertIn("Looks good.", text)
        self.assertNotIn("<!--", text)
        self.assertNotIn("Which tiers?", text)

    def test_context_block_lists_title_questions_and_deadline(self):
        doc_id, _ = self.new_doc()
        r = self.a("doc", "reply", doc_id, "--edit", "-m", "hi", env={"EDITOR": "cat"})
        self.assertEqual(r.code, 0, r)
        for expected in ["Replying to: Pricing page (" + doc_id + ") by alice",
                         "Feedback due: Fri 2026-11-27 17:00", "  - Problem", "  - Which tiers?"]:
            self.assertIn(expected, r.out)

    def test_abort_paths_leave_no_reply(self):
        doc_id, doc_path = self.new_doc()
        r = self.a("doc", "reply", doc_id, env=self.editor("unchanged.sh"))
        self.assertEqual(r.code, 1, r)
        self.assertIn("aborted: no changes", r.err)
        self.assertEqual(self.drafts(), [])
        r = self.a("doc", "reply", doc_id, env=self.editor("fail.sh"))
        self.assertEqual(r.code, 1, r)
        self.assertIn("async doc reply " + doc_id + " --file", r.err)
        self.assertEqual(len(self.drafts()), 1)
        r = self.a("doc", "reply", doc_id, env=self.editor("broken-toml.sh"))
        self.assertEqual(r.code, 3, r)
        self.assertEqual(len(self.drafts()), 2)
        r = self.a("doc", "reply", doc_id, env=self.editor("empty-body.sh"))
        self.assertEqual(r.code, 1, r)
        r = self.a("doc", "reply", doc_id, "-m", "   ")
        self.assertEqual(r.code, 1, r)
        self.assertEqual(self.replies(doc_path), [])

    def test_resume_draft(self):
        doc_id, doc_path = self.new_doc()
        r = self.a("doc", "reply", doc_id, env=self.editor("fail.sh"))
        draft = self.ws / ".async" / "local" / "drafts" / self.drafts()[0]
        r = self.a("doc", "reply", doc_id, "--file", str(draft), "--edit", env=self.editor("append.sh", text="Done."))
        self.assertEqual(r.code, 0, r)
        text = self.written(r).read_text()
        self.assertIn("Text typed before the editor failed.", text)
        self.assertNotIn("<!--", text)
        self.assertEqual(self.drafts(), [])

    def test_reply_front_matter_parses_with_tomllib(self):
        doc_id, _ = self.new_doc(title='Quotes " and \\ and """ here')
        r = self.a("doc", "reply", doc_id, "--no-edit", user="bob")
        self.assertEqual(r.code, 0, r)
        fm, body = self.front_matter(self.written(r))
        self.assertEqual(fm["reply_to"], doc_id)
        self.assertIn("## My answer", body)
        self.assertNotIn("<!--", body)

    def test_reply_to_closed_document_is_allowed_with_a_notice(self):
        doc_id, doc_path = self.new_doc()
        self.ok("-C", str(self.ws), "doc", "close", doc_id)
        r = self.a("doc", "reply", doc_id, "-m", "late", user="bob")
        self.assertEqual(r.code, 0, r)
        self.assertIn("is closed", r.err)
        self.assertEqual(len(self.replies(doc_path)), 1)

    def test_close_is_idempotent_and_keeps_front_matter(self):
        doc_id, doc_path = self.new_doc()
        text = doc_path.read_text().replace("+++\n", "+++\n# a comment to keep\ncustom = 42 # trailing\n", 1)
        doc_path.write_text(text)
        r = self.a("doc", "close", doc_id)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.out, "")
        after = doc_path.read_text()
        self.assertIn("# a comment to keep\ncustom = 42 # trailing\n", after)
        fm, _ = self.front_matter(doc_path)
        self.assertEqual(fm["status"], "closed")
        self.assertEqual(fm["custom"], 42)
        r = self.a("doc", "close", doc_id, env={"ASYNC_NOW": AFTER_DUE})
        self.assertEqual(r.code, 0, r)
        self.assertIn("already closed", r.err)
        self.assertEqual(doc_path.read_text(), after)
        r = self.a("doc", "close", doc_id, "-m", "Ship it")
        self.assertEqual(r.code, 0, r)
        fm, body = self.front_matter(doc_path)
        self.assertEqual(fm["closed"], tomllib.loads("t = " + harness.NOW)["t"])
        self.assertIn("Decision: Ship it", body)
        self.ok("-C", str(self.ws), "doc", "close", doc_id, "-m", "And test it")
        body = self.front_matter(doc_path)[1]
        self.assertEqual(body.count("## Outcome"), 1)
        self.assertIn("Decision: And test it", body)

    def test_close_empty_outcome_is_usage_error(self):
        doc_id, doc_path = self.new_doc()
        before = doc_path.read_bytes()
        r = self.a("doc", "close", doc_id, "-m", "  ")
        self.assertEqual((r.code, r.out), (2, ""), r)
        self.assertTrue(r.err.startswith("async: error: the outcome is empty\n"), r)
        self.assertEqual(doc_path.read_bytes(), before)  # not closed either


class CompletionChecks:
    """`doc reply` and `doc close` complete as subcommands, with their flags and document ids."""
    shell = "bash"

    def setUp(self):
        super().setUp()
        if not shutil.which(self.shell):
            self.skipTest(f"{self.shell} is not installed")

    def test_reply_and_close(self):
        ids, _ = self.make_documents()
        self.assertTrue({"reply", "close"} <= self.complete("async doc "))
        self.assertEqual(self.complete("async doc re"), {"reply"})
        self.assertEqual(self.complete("async doc reply --no"), {"--no-edit"})
        self.assertEqual(self.complete("async doc close --m"), {"--message"})
        self.assertEqual(self.complete("async doc reply ", cwd=self.ws), set(ids))
        self.assertEqual(self.complete("async doc close -m Done ", cwd=self.ws), set(ids))


class BashFeedbackCompletion(CompletionChecks, test_shell.ShellTestCase):
    complete = test_shell.BashCompletion.complete
    preamble = ""


class FishFeedbackCompletion(CompletionChecks, test_shell.ShellTestCase):
    complete = test_shell.FishCompletion.complete
    shell = "fish"


class ZshFeedbackCompletion(CompletionChecks, test_shell.ShellTestCase):
    complete = test_shell.ZshCompletion.complete
    shell = "zsh"


if __name__ == "__main__":
    harness.main()
