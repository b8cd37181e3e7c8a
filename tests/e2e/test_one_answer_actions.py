"""One answer per question about actions: one handle in every command, `inbox done` ticks the box
like `actions done`, one rule for due and overdue, and a mention marked done stays done until the
mention itself changes."""
import json
import os
import unittest

import harness

FRIDAY_1800 = "2026-12-18T18:00:00Z"  # one hour after 17:00 on the action's due date (TZ=UTC)
FRIDAY_1600 = "2026-12-18T16:00:00Z"  # one hour before it


class ActionsCase(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()
        for who in ("alice", "bob"):
            self.a("config", "set", f"people.{who}.email", f"{who}@example.com")

    def new_action(self, line, user=None):
        r = self.a("doc", "new", "A1", "-m", line, user=user)
        self.assertEqual(r.code, 0, r)
        self.path = self.written(r)
        return r.out.split()[0]

    def json_of(self, *args, env=None):
        r = self.a(*args, "--json", env=env)
        self.assertEqual(r.code, 0, r)
        return json.loads(r.out)

    def inbox_actions(self, *extra, env=None):
        return [i for i in self.json_of("inbox", *extra, env=env)["items"] if i["kind"] == "action"]

    def actions(self, *extra, env=None):
        return self.json_of("actions", *extra, env=env)["actions"]

    def remind_keys(self, env=None):
        people = self.json_of("remind", env=env)["people"]
        return [i["key"] for p in people if p["handle"] == "alice" for i in p["items"]]

    def agenda(self, env=None):
        return self.json_of("agenda", "--days", "60", env=env)


class OneHandle(ActionsCase):
    def test_inbox_and_actions_give_one_handle_that_both_accept(self):
        self.new_action("- [ ] @alice do it due:2026-12-10")
        [item] = self.inbox_actions()
        [action] = self.actions()
        self.assertEqual(item["handle"], action["handle"])
        handle = action["handle"]
        self.assertEqual(item["key"], "action:" + handle)
        # Every other place that names the action uses the same handle.
        agenda = self.agenda()
        self.assertIn("action:" + handle, [d["key"] for day in agenda["days"] for d in day["deadlines"]])
        r = self.a("calendar")
        self.assertEqual(r.code, 0, r)
        self.assertRegex(r.out, f"UID:action-{handle}@[0-9a-z]+\\.async\r?\n")
        for kind in ("items", "actions"):
            r = self.a("__complete", kind)
            self.assertEqual(r.code, 0, r)
            self.assertIn(handle, [line.split("\t")[0] for line in r.out.splitlines()], kind)
        # The inbox accepts what `actions` printed (a prefix too), and `actions` what the inbox did.
        r = self.a("inbox", "snooze", "--until", "mon", handle[:5])
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.inbox_actions(), [])
        r = self.a("actions", "done", item["handle"])
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.actions(), [])


class InboxDoneTicks(ActionsCase):
    def test_inbox_done_ticks_the_box_and_undo_unticks_it(self):
        self.new_action("- [ ] @alice do it due:2026-11-20")  # overdue on Thu 2026-11-26
        [item] = self.inbox_actions()
        handle = item["handle"]
        self.assertEqual([a["handle"] for a in self.actions("--overdue")], [handle])
        self.assertIn("action:" + handle, self.remind_keys())
        self.assertIn("action:" + handle, [d["key"] for d in self.agenda()["overdue"]])
        before = self.path.read_text()

        r = self.a("inbox", "done", handle, "--dry-run")
        self.assertEqual(r.code, 0, r)
        self.assertIn("would be done", r.out)
        self.assertEqual(self.path.read_text(), before)
        self.assertEqual(len(self.actions()), 1)

        r = self.a("inbox", "done", handle)
        self.assertEqual(r.code, 0, r)
        self.assertIn(": done", r.out)
        self.assertEqual(self.path.read_text(), before.replace("- [ ] @alice", "- [x] @alice"))
        self.assertEqual(self.actions(), [])
        self.assertEqual(self.actions("--overdue"), [])
        self.assertEqual([a["handle"] for a in self.actions("--done")], [handle])
        self.assertNotIn("action:" + handle, self.remind_keys())
        agenda = self.agenda()
        self.assertNotIn("action:" + handle, [d["key"] for d in agenda["overdue"]])
        self.assertEqual(self.inbox_actions(), [])
        [done] = self.inbox_actions("--all")
        self.assertEqual((done["handle"], done["state"]), (handle, "done"))
        self.assertIn("already done", self.a("inbox", "done", handle).out)
        # A done action is the box, not a line in my triage log.
        self.assertFalse((self.ws / "people" / "alice" / "state.toml").exists())

        r = self.a("inbox", "undo", handle)
        self.assertEqual(r.code, 0, r)
        self.assertIn("undid done", r.out)
        self.assertEqual(self.path.read_text(), before)
        self.assertEqual([a["handle"] for a in self.actions()], [handle])
        self.assertEqual([i["handle"] for i in self.inbox_actions()], [handle])

    def test_actions_done_and_inbox_agree(self):
        self.new_action("- [ ] @alice one\n- [ ] @alice two due:2026-12-01")
        handles = [a["handle"] for a in self.actions()]
        r = self.a("actions", "done", handles[0])
        self.assertEqual(r.code, 0, r)
        self.assertEqual([i["handle"] for i in self.inbox_actions()], handles[1:])
        r = self.a("inbox", "undo", handles[0])
        self.assertEqual(r.code, 0, r)
        self.assertEqual(sorted(i["handle"] for i in self.inbox_actions()), sorted(handles))

    def test_a_changed_action_is_not_ticked(self):
        self.new_action("- [ ] @alice do it")
        [item] = self.inbox_actions()
        # The action was edited since the handle was printed: it names nothing now.
        self.path.write_text(self.path.read_text().replace("do it", "do something else"))
        for verb in (("inbox", "done"), ("actions", "done")):
            r = self.a(*verb, item["handle"])
            self.assertEqual(r.code, 1, r)
            self.assertNotIn("[x]", self.path.read_text())


class OneDueRule(ActionsCase):
    def test_a_date_is_due_at_1700_local_for_every_command(self):
        self.new_action("- [ ] @alice ship it due:2026-12-18")
        for now, overdue in ((FRIDAY_1600, False), (FRIDAY_1800, True)):
            env = {"ASYNC_NOW": now}
            [item] = self.inbox_actions(env=env)
            handle = item["handle"]
            self.assertEqual(item["due"], "2026-12-18T17:00:00Z")
            self.assertEqual(item["overdue"], overdue, now)
            self.assertEqual([a["handle"] for a in self.actions("--overdue", env=env)], [handle] if overdue else [], now)
            self.assertEqual("action:" + handle in self.remind_keys(env=env), overdue, now)
            agenda = self.agenda(env=env)
            self.assertEqual("action:" + handle in [d["key"] for d in agenda["overdue"]], overdue, now)
            text = self.a("inbox", env=env).out
            self.assertEqual("overdue" in text, overdue, text)

    def test_local_time_zone(self):
        self.new_action("- [ ] @alice ship it due:2026-12-18")
        # 18:00 UTC is 13:00 in New York: not yet overdue there; 23:00 UTC is 18:00 there.
        ny = "EST5EDT,M3.2.0,M11.1.0"
        for now, overdue in ((FRIDAY_1800, False), ("2026-12-18T23:00:00Z", True)):
            env = {"ASYNC_NOW": now, "TZ": ny}
            [item] = self.inbox_actions(env=env)
            self.assertEqual(item["due"], "2026-12-18T22:00:00Z")
            self.assertEqual(item["overdue"], overdue, now)
            self.assertEqual(len(self.actions("--overdue", env=env)), 1 if overdue else 0, now)
            self.assertEqual(len([k for k in self.remind_keys(env=env) if k.startswith("action:")]),
                             1 if overdue else 0, now)


class MentionDone(ActionsCase):
    def test_a_done_mention_stays_done_until_the_mention_changes(self):
        r = self.a("doc", "new", "Launch", "-m", "Thanks @alice for the demo.\n\nMore text.", user="bob")
        self.assertEqual(r.code, 0, r)
        path = self.written(r)
        [mention] = [i for i in self.json_of("inbox")["items"] if i["kind"] == "mention"]
        r = self.a("inbox", "done", mention["handle"])
        self.assertEqual(r.code, 0, r)

        def mentions():
            return [i["handle"] for i in self.json_of("inbox")["items"] if i["kind"] == "mention"]

        def edit(old, new):
            stat = path.stat()
            path.write_text(path.read_text().replace(old, new))
            # A later modification time, so the refresh sees the edit whatever the clock's grain.
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))

        self.assertEqual(mentions(), [])
        edit("More text.", "More text, edited by bob.")
        self.assertEqual(mentions(), [], "an edit elsewhere brings the mention back")
        edit("Thanks @alice for the demo.", "Thanks @alice for the demo and the notes.")
        self.assertEqual(mentions(), [mention["handle"]])


if __name__ == "__main__":
    harness.main()
