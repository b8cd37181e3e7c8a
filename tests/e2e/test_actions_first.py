"""Actions as first-class items: `actions add` into my capture file or a document of mine,
`actions undo` reopens, `actions due` reschedules; every one keeps the one-writer rule and
updates the index before it exits."""
import json
import unittest
from pathlib import Path

import harness

# harness.NOW is Thursday 2026-11-26 10:15 UTC; "friday" is 2026-11-27.


class ActionsFirst(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()
        for who in ("alice", "bob"):
            self.a("config", "set", f"people.{who}.email", f"{who}@example.com")

    def json_of(self, *args, user=None):
        r = self.a(*args, "--json", user=user)
        self.assertEqual(r.code, 0, r)
        return json.loads(r.out)

    def actions(self, *extra, user=None):
        return self.json_of("actions", "--all", *extra, user=user)["actions"]

    def completed(self, kind="actions"):
        """What completion sees: the index as it is, without a refresh (the write-through)."""
        r = self.a("__complete", kind)
        self.assertEqual(r.code, 0, r)
        return [line.split("\t")[0] for line in r.out.splitlines()]

    def add(self, *args, user=None):
        r = self.a("actions", "add", *args, user=user)
        self.assertEqual(r.code, 0, r)
        handle, path = r.out.rstrip("\n").split(" ", 1)
        return handle, Path(path) if Path(path).is_absolute() else self.tmp / path

    def new_doc(self, body, user=None):
        r = self.a("doc", "new", "Plan", "-m", body, user=user)
        self.assertEqual(r.code, 0, r)
        return r.out.split()[0], self.written(r)


class Add(ActionsFirst):
    def test_capture_file_is_created_indexed_and_listed_everywhere(self):
        handle, path = self.add("ship the draft", "--due", "friday")
        self.assertEqual(path, self.ws / "people" / "alice" / "actions.md")
        meta, body = self.front_matter(path)
        self.assertEqual(meta["type"], "item")
        self.assertEqual(meta["author"], "alice")
        self.assertTrue(meta["id"])
        self.assertIn("## Actions\n\n- [ ] @alice ship the draft due:2026-11-27\n", body)
        # The index knows it before any refresh.
        self.assertIn(handle, self.completed())
        [row] = self.actions()
        self.assertEqual((row["handle"], row["owner"], row["due"], row["text"]),
                         (handle, "alice", "2026-11-27", "ship the draft"))
        inbox = self.json_of("inbox")["items"]
        self.assertIn("action:" + handle, [i["key"] for i in inbox])
        # Not an inbox item of its own: only the action is.
        self.assertEqual([i["kind"] for i in inbox], ["action"])
        agenda = self.json_of("agenda", "--days", "7")
        self.assertIn("action:" + handle, [d["key"] for day in agenda["days"] for d in day["deadlines"]])
        self.assertIn(f"UID:action-{handle}@", self.ok("-C", str(self.ws), "calendar").out)
        # A second add appends to the same list; the first handle stays.
        second, _ = self.add("write the notes")
        self.assertEqual([r["handle"] for r in self.actions()], [handle, second])
        self.assertTrue(path.read_text().endswith(
            "- [ ] @alice ship the draft due:2026-11-27\n- [ ] @alice write the notes\n"))
        self.assertEqual(self.ok("-C", str(self.ws), "check").code, 0)

    def test_overdue_added_action_is_reminded(self):
        handle, _ = self.add("pay the invoice", "--due", "2026-11-20")
        people = self.json_of("remind")["people"]
        keys = [i["key"] for p in people if p["handle"] == "alice" for i in p["items"]]
        self.assertIn("action:" + handle, keys)

    def test_for_someone_else_is_theirs(self):
        handle, path = self.add("call @carol", "--for", "@Bob")
        self.assertIn("- [ ] @bob call @carol\n", path.read_text())
        [row] = self.actions()
        self.assertEqual(row["owner"], "bob")
        self.assertIn("action:" + handle, [i["key"] for i in self.json_of("inbox", user="bob")["items"]])
        self.assertNotIn("action:" + handle, [i["key"] for i in self.json_of("inbox")["items"]])

    def test_without_for_the_owner_is_me_even_when_the_text_mentions_someone(self):
        self.add("ask @bob about pricing")
        [row] = self.actions()
        self.assertEqual(row["owner"], "alice")

    def test_json(self):
        out = self.json_of("actions", "add", "ship it", "--due", "2026-12-01", "--for", "bob")
        self.assertEqual(out["owner"], "bob")
        self.assertEqual(out["due"], "2026-12-01")
        self.assertEqual(out["text"], "ship it")
        self.assertEqual(out["path"], "people/alice/actions.md")
        self.assertTrue(out["created_file"])
        [row] = self.actions()
        self.assertEqual(row["handle"], out["handle"])
        self.assertEqual(row["line"], out["line"])
        self.assertFalse(self.json_of("actions", "add", "more")["created_file"])

    def test_in_my_document_goes_after_the_last_task_list(self):
        body = ("Intro\n\n- [ ] @bob first\n\n## Later\n\n- [x] second\n  still second\n- [ ] third\n\n"
                "Closing words.\n")
        doc_id, path = self.new_doc(body)
        handle, written = self.add("fourth", "--in", doc_id[:5])
        self.assertEqual(written, path)
        text = path.read_text()
        self.assertIn("- [x] second\n  still second\n- [ ] third\n- [ ] @alice fourth\n\nClosing words.\n", text)
        self.assertIn(handle, self.completed())
        rows = {r["handle"]: r for r in self.actions()}
        self.assertEqual(len(rows), 4)
        self.assertEqual(rows[handle]["text"], "fourth")
        # The handles of the actions that were there did not change.
        self.assertEqual(self.ok("-C", str(self.ws), "index", "--check").code, 0)

    def test_in_a_nested_list_keeps_its_indentation(self):
        doc_id, path = self.new_doc("- Topic\n  * [ ] one\n  * [ ] two\n")
        self.add("three", "--in", doc_id)
        self.assertTrue(path.read_text().endswith("  * [ ] two\n  * [ ] @alice three\n"))
        self.assertEqual(len(self.actions()), 3)

    def test_in_a_document_without_actions_adds_a_section(self):
        doc_id, path = self.new_doc("Just prose.\n\n\n")
        self.add("follow up", "--in", str(path), "--due", "friday")
        self.assertTrue(path.read_text().endswith("Just prose.\n\n## Actions\n\n- [ ] @alice follow up due:2026-11-27\n"))

    def test_in_someone_elses_document_is_refused(self):
        doc_id, path = self.new_doc("- [ ] @alice one\n", user="bob")
        before = path.read_text()
        r = self.a("actions", "add", "mine", "--in", doc_id)
        self.assertEqual(r.code, 1, r)
        self.assertIn("async: error: ", r.err)
        self.assertIn("is bob's: only its author adds to it", r.err)
        self.assertIn("--for @bob", r.err)
        self.assertEqual(path.read_text(), before)
        self.assertFalse((self.ws / "people" / "alice" / "actions.md").exists())

    def test_unknown_ref(self):
        r = self.a("actions", "add", "x", "--in", "zzzzzz")
        self.assertNotEqual(r.code, 0, r)
        self.assertFalse((self.ws / "people").exists() and any((self.ws / "people").rglob("*.md")))

    def test_hostile_text_is_refused_and_nothing_is_written(self):
        cases = [
            ("two\nlines", "one line without control characters"),
            ("bell \x07 in it", "one line without control characters"),
            ("esc \x1b[31m red", "one line without control characters"),
            ("bidi \u202e trick", "one line without control characters"),
            ("pay due:2026-12-01", "has a 'due:' of its own"),
            ("pay DUE: friday", "has a 'due:' of its own"),
            ("x" * 1001, "too long"),
            ("   ", "empty"),
            ("", "empty"),
        ]
        for text, message in cases:
            with self.subTest(text=text[:20]):
                r = self.a("actions", "add", text, "--due", "friday")
                self.assertEqual(r.code, 2, r)
                self.assertIn(message, r.err)
                self.assertNotIn("\x1b", r.err)
        r = self.a("actions", "add", "ok", "--for", "a/b")
        self.assertEqual(r.code, 2, r)
        r = self.a("actions", "add", "ok", "--due", "someday")
        self.assertEqual(r.code, 2, r)
        self.assertFalse((self.ws / "people" / "alice" / "actions.md").exists())
        # Words that merely contain "due" are fine, and so is the limit itself.
        self.add("overdue: invoices")
        self.add("y" * 1000)
        self.assertEqual(len(self.actions()), 2)

    def test_markdown_in_the_text_stays_one_action(self):
        self.add("[x] `code` **bold** <b>html</b> #tag")
        [row] = self.actions()
        self.assertFalse(row["done"])


class Undo(ActionsFirst):
    def test_undo_reopens_and_the_index_agrees_at_once(self):
        handle, path = self.add("ship")
        self.ok("-C", str(self.ws), "actions", "done", handle)
        self.assertNotIn(handle, self.completed())  # completion offers open actions
        r = self.a("actions", "undo", handle[:4])
        self.assertEqual(r.code, 0, r)
        self.assertIn("reopened: ship", r.err)
        self.assertIn("- [ ] @alice ship\n", path.read_text())
        self.assertIn(handle, self.completed())
        r = self.a("actions", "undo", handle)
        self.assertEqual(r.code, 0, r)
        self.assertIn("already open: ship", r.err)

    def test_dry_run_changes_nothing(self):
        handle, path = self.add("ship")
        self.ok("-C", str(self.ws), "actions", "done", handle)
        before = path.read_text()
        r = self.a("actions", "undo", "--dry-run", handle)
        self.assertEqual(r.code, 0, r)
        self.assertIn("would untick " + handle, r.out)
        self.assertEqual(path.read_text(), before)

    def test_anyone_may_reopen_a_box_like_done(self):
        handle, path = self.add("ship", "--for", "bob")
        self.ok("-C", str(self.ws), "actions", "done", handle, env={"ASYNC_USER": "bob"})
        r = self.a("actions", "undo", handle, user="bob")
        self.assertEqual(r.code, 0, r)
        self.assertIn("- [ ] @bob ship\n", path.read_text())

    def test_unknown_and_ambiguous_ids(self):
        r = self.a("actions", "undo", "ffffff0")
        self.assertEqual(r.code, 1, r)
        self.assertIn("no action matches", r.err)
        r = self.a("actions", "undo", "not-hex")
        self.assertEqual(r.code, 2, r)
        # Enough actions that two handles share their first four digits.
        body = "".join(f"- [ ] @alice task {n}\n" for n in range(2500))
        self.new_doc(body)
        seen, prefix = {}, None
        for row in self.actions():
            p = row["handle"][:4]
            if p in seen:
                prefix = p
                break
            seen[p] = row["handle"]
        self.assertIsNotNone(prefix, "no shared 4-digit prefix among 2500 handles (chance e^-47)")
        r = self.a("actions", "undo", prefix)
        self.assertEqual(r.code, 1, r)
        self.assertIn("async: error: ", r.err)
        r = self.a("actions", "due", prefix, "friday")
        self.assertEqual(r.code, 1, r)


class Due(ActionsFirst):
    def test_set_change_and_clear_with_new_handles(self):
        handle, path = self.add("ship")
        r = self.a("actions", "due", handle, "friday")
        self.assertEqual(r.code, 0, r)
        new = r.out.strip()
        self.assertRegex(new, "^[0-9a-f]{7}$")
        self.assertIn("- [ ] @alice ship due:2026-11-27\n", path.read_text())
        self.assertEqual([(a["handle"], a["due"]) for a in self.actions()], [(new, "2026-11-27")])
        self.assertIn(new, self.completed())
        self.assertNotIn(handle, self.completed())

        r = self.a("actions", "due", new, "2026-12-24")
        self.assertEqual(r.code, 0, r)
        newer = r.out.strip()
        self.assertIn("- [ ] @alice ship due:2026-12-24\n", path.read_text())
        self.assertEqual([a["due"] for a in self.actions()], ["2026-12-24"])

        r = self.a("actions", "due", newer, "none")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.out.strip(), handle)  # back to the text it had
        self.assertIn("- [ ] @alice ship\n", path.read_text())
        self.assertEqual([a["due"] for a in self.actions()], [None])

    def test_unread_due_word_is_replaced(self):
        doc_id, path = self.new_doc("- [ ] @alice pay due:friday, please\n")
        [row] = self.actions()
        r = self.a("actions", "due", row["handle"], "2026-12-02")
        self.assertEqual(r.code, 0, r)
        self.assertIn("- [ ] @alice pay due:2026-12-02 please\n", path.read_text())
        self.assertEqual([a["due"] for a in self.actions()], ["2026-12-02"])

    def test_owner_may_reschedule_in_anothers_document_others_may_not(self):
        doc_id, path = self.new_doc("- [ ] @bob review due:2026-12-01\n- [ ] @carol other\n")
        rows = {r["owner"]: r["handle"] for r in self.actions()}
        r = self.a("actions", "due", rows["bob"], "2026-12-05", user="bob")
        self.assertEqual(r.code, 0, r)
        self.assertIn("- [ ] @bob review due:2026-12-05\n", path.read_text())
        before = path.read_text()
        r = self.a("actions", "due", rows["carol"], "2026-12-05", user="bob")
        self.assertEqual(r.code, 1, r)
        self.assertIn("only they reschedule it", r.err)
        self.assertEqual(path.read_text(), before)

    def test_bad_date_and_dry_run(self):
        handle, path = self.add("ship")
        before = path.read_text()
        r = self.a("actions", "due", handle, "whenever")
        self.assertEqual(r.code, 2, r)
        r = self.a("actions", "due", "--dry-run", handle, "friday")
        self.assertEqual(r.code, 0, r)
        self.assertIn("would set due:2026-11-27", r.out)
        self.assertEqual(path.read_text(), before)
        r = self.a("actions", "due", "abcdef0", "friday")
        self.assertEqual(r.code, 1, r)


if __name__ == "__main__":
    harness.main()
