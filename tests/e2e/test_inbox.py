"""async inbox: every source of items, the triage verbs, and triage in a real terminal (tmux)."""
import json
import os
import shlex
import shutil
import signal
import subprocess
import time
import tomllib
import unicodedata
import unittest
from pathlib import Path

import harness

FRIDAY_EVENING = "2026-11-27T18:00:00Z"  # after the default check-in day's deadline (Fri 17:00)


class InboxCase(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()
        for who in ("bob", "carol"):
            self.a("config", "set", f"people.{who}.email", f"{who}@example.com")

    def inbox(self, user=None, env=None, *extra):
        r = self.a("inbox", "--json", *extra, user=user, env=env)
        self.assertEqual(r.code, 0, r)
        return json.loads(r.out)["items"]

    def keys(self, user=None, env=None, *extra):
        return [i["key"] for i in self.inbox(user, env, *extra)]

    def make_sources(self):
        """One item of every source for alice; returns {kind: item}."""
        r = self.a("doc", "new", "Pricing", "-r", "alice,carol", "-d", "+5d",
                   "-m", "## Tiers?\n\n- [ ] @alice fix the copy due:2026-11-20\n", user="bob")
        self.doc_id = r.out.split()[0]
        r = self.a("meeting", "open", "Sync", "--with", "alice,carol", "-d", "+2d", "-m", "## Item", user="bob")
        self.meeting_id = r.out.split()[0]
        self.a("doc", "new", "Team news", "-m", "Thanks @alice for the demo.", user="carol")
        self.a("inbox", "add", "Call the bank", "--due", "mon")
        return {i["kind"]: i for i in self.inbox()}


class Sources(InboxCase):
    def test_every_source_and_the_order(self):
        items = self.make_sources()
        self.assertEqual(set(items), {"review", "response", "action", "mention", "item"})
        listed = self.inbox()
        # Overdue first, then by due date, then the rest by age.
        self.assertEqual([i["kind"] for i in listed], ["action", "response", "item", "review", "mention"])
        self.assertTrue(listed[0]["overdue"])
        self.assertEqual(listed[0]["from"], "bob")
        self.assertEqual(items["review"]["id"], self.doc_id)
        self.assertEqual(items["response"]["due"], "2026-11-28T17:00:00Z")
        self.assertIn("overdue by", listed[0]["explain"])
        explained = self.a("inbox", "--explain").out
        self.assertIn("asked by bob", explained)
        self.assertIn("mentioned by carol", explained)
        # Doing the thing takes it out of the inbox.
        self.a("doc", "reply", self.doc_id, "-m", "Looks good.")
        self.a("meeting", "respond", self.meeting_id, "-m", "## Item\n\nFine.")
        self.assertEqual({i["kind"] for i in self.inbox()}, {"action", "mention", "item"})
        # carol still owes her review and response; bob owes nothing but his own mentions none.
        self.assertEqual({i["kind"] for i in self.inbox(user="carol")}, {"review", "response"})

    def test_count_is_the_length_of_the_list(self):
        """--count counts what the list lists, with and without --all, as documents close."""
        def agree(user=None):
            for extra in ((), ("--all",)):
                listed = self.inbox(user, None, *extra)
                r = self.a("inbox", "--count", *extra, user=user)
                self.assertEqual(r.code, 0, r)
                self.assertEqual(r.out, f"{len(listed)}\n", extra)
                counted = json.loads(self.a("--json", "inbox", "--count", *extra, user=user).out)
                self.assertEqual(counted, {"schema": 1, "count": len(listed)})
            return len(self.inbox(user))

        def kinds(user=None):
            return sorted(i["kind"] for i in self.inbox(user))

        self.make_sources()
        self.assertEqual(agree(), 5)
        self.assertEqual(agree("carol"), 2)
        # Closed by its author: nobody is asked to review it any more. Its line "@alice fix
        # the copy" stays alice's action, and is now a mention too (while the review was
        # owed, the review stood for it).
        self.assertEqual(self.a("doc", "close", self.doc_id, user="bob").code, 0)
        self.assertEqual(kinds(), ["action", "item", "mention", "mention", "response"])
        self.assertEqual(agree(), 5)
        self.assertEqual(kinds("carol"), ["response"])
        self.assertEqual(agree("carol"), 1)
        r = self.a("meeting", "close", self.meeting_id, "--no-edit", user="bob")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(agree("carol"), 0)
        self.assertEqual(kinds(), ["action", "item", "mention", "mention"])
        mention = next(i for i in self.inbox() if i["kind"] == "mention")
        self.ok_decide("done", mention["handle"])
        self.assertEqual(agree(), 3)
        self.assertEqual(self.a("inbox", "--count", "--all").out, "4\n")

    def test_colour(self):
        self.make_sources()
        coloured = self.a("--color=always", "inbox").out.splitlines()
        self.assertTrue(coloured[0].startswith("\x1b[31m") and coloured[0].endswith("\x1b[0m"), coloured[0])
        self.assertNotIn("^[", "".join(coloured))
        self.assertNotIn("\x1b", self.a("--color=never", "inbox").out)
        self.assertNotIn("\x1b", self.a("inbox").out)  # not a terminal
        r = self.a("--color=always", "meeting", "status", self.meeting_id, env={"ASYNC_NOW": "2026-12-01T09:00:00Z"})
        self.assertIn("\x1b[31malice", r.out)
        self.assertNotIn("^[", r.out)

    def test_a_long_inbox_is_one_table(self):
        # 1,500 actions: the table is written in several pieces as it is laid out. Every item is
        # one line, in the order of --json, with its columns aligned, titles sanitised, and
        # cut to the terminal's width without splitting a character.
        lines = []
        for k in range(1500):
            title = f"task {k} " + ("\x1b[2J wipe" if k == 7 else "日本語の題" if k == 8 else "x" * (k % 90))
            due = f" due:2026-11-{1 + k % 28:02d}" if k % 3 else ""
            lines.append(f"- [ ] @alice {title}{due}")
        r = self.a("doc", "new", "Plan", "-m", "## Actions\n\n" + "\n".join(lines) + "\n", user="bob")
        self.assertEqual(r.code, 0, r)
        items = self.inbox()
        self.assertEqual([i["kind"] for i in items].count("action"), 1500)
        self.assertEqual(len(items), 1501)  # and the document mentions alice
        table = self.a("inbox").out
        self.assertGreater(len(table.encode()), 2 * 64 * 1024)
        rows = table.splitlines()
        self.assertEqual(len(rows), 1501)
        self.assertEqual([row.split()[0] for row in rows], [i["handle"] for i in items])
        self.assertNotIn("\x1b", table)
        self.assertIn("^[[2J wipe", table)
        title_column = rows[0].index(items[0]["title"])
        for row, item in zip(rows, items):
            self.assertEqual(row.index(item["title"][:6]), title_column, row)
        narrow = self.a("inbox", env={"COLUMNS": "60"}).out.splitlines()
        self.assertEqual(len(narrow), 1501)
        for row in narrow:  # Japanese characters are two columns wide, and never cut in half
            width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in row)
            self.assertLessEqual(width, 60, row)
            self.assertNotIn("\ufffd", row)
        self.assertTrue(any("日本" in row for row in narrow))

    def test_checkin_from_the_checkin_day(self):
        self.assertNotIn("checkin:2026-W48", self.keys())  # Thursday
        self.assertIn("checkin:2026-W48", self.keys(None, {"ASYNC_NOW": FRIDAY_EVENING}))
        self.a("config", "set", "checkin.day", "thursday")
        self.assertIn("checkin:2026-W48", self.keys())
        folder = self.ws / "checkins" / "2026-W48"
        folder.mkdir(parents=True)
        (folder / "alice.md").write_text('+++\nid = "ck4alice"\ntype = "checkin"\nauthor = "alice"\n'
                                         'week = "2026-W48"\n+++\n## What have you been working on?\n\nThings.\n')
        self.assertNotIn("checkin:2026-W48", self.keys())

    def test_mentions_only_recent_and_by_others(self):
        self.a("doc", "new", "Old note", "-m", "cc @alice", user="bob", env={"ASYNC_NOW": "2026-10-01T10:00:00Z"})
        self.a("doc", "new", "My note", "-m", "note to self @alice")
        self.assertEqual(self.keys(), [])
        r = self.a("doc", "new", "New note", "-m", "cc @alice", user="bob")
        mention = self.inbox()[0]
        self.assertEqual((mention["kind"], mention["id"]), ("mention", r.out.split()[0]))
        self.ok_decide("done", mention["handle"])
        self.assertEqual(self.keys(), [])
        # Something new in that document (another mention): the item is back.
        path = self.written(r)
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
        path.write_text(path.read_text() + "\nAnd @alice again.\n")
        self.assertEqual(self.keys(), [mention["key"]])

    def test_capture(self):
        r = self.a("inbox", "add", "Renew the domain\nbefore it lapses", "--due", "fri")
        self.assertEqual(r.code, 0, r)
        self.assertIn("due Fri 2026-11-27 17:00", r.err)
        fm, body = self.front_matter(self.written(r))
        self.assertEqual((fm["type"], fm["title"], fm["author"], fm["for"]), ("item", "Renew the domain", "alice", ["alice"]))
        self.assertEqual(body.strip(), "before it lapses")
        r = self.a("inbox", "add", "-", "--for", "bob", input="From a script\nwith details\n")
        self.assertEqual(r.code, 0, r)
        self.assertTrue(str(self.written(r)).startswith(str(self.ws / "people" / "bob" / "inbox")))
        self.assertEqual([i["title"] for i in self.inbox(user="bob")], ["From a script"])
        self.assertEqual([i["from"] for i in self.inbox(user="bob")], ["alice"])
        # Two captures in the same second make two files.
        self.a("inbox", "add", "Renew the domain")
        self.assertEqual(len(list((self.ws / "people" / "alice" / "inbox").iterdir())), 2)

    def ok_decide(self, verb, *args, user=None, env=None):
        r = self.a("inbox", verb, *args, user=user, env=env)
        self.assertEqual(r.code, 0, r)
        return r


class Verbs(InboxCase):
    def state(self, who="alice"):
        path = self.ws / "people" / who / "state.toml"
        return tomllib.loads(path.read_text())["decision"] if path.exists() else []

    def test_done_snooze_delegate_undo(self):
        items = self.make_sources()
        action, item, mention = items["action"]["handle"], items["item"]["handle"], items["mention"]["handle"]
        r = self.a("inbox", "done", action, mention[:4], "--dry-run")
        self.assertEqual(r.code, 0, r)
        self.assertIn("would be done", r.out)
        self.assertEqual(self.state(), [])
        r = self.a("inbox", "done", action, mention[:4])
        self.assertEqual(r.out.count(": done"), 2, r)
        r = self.a("inbox", "done", action)
        self.assertIn("already done", r.out)
        # The action is ticked in its file, not logged; the mention is logged.
        self.assertEqual([d["item"] for d in self.state()], [items["mention"]["key"]])
        self.assertIn("- [x] @alice fix the copy", (self.ws / items["action"]["path"]).read_text())
        self.assertNotIn(action, [i["handle"] for i in self.inbox()])
        done = [i for i in self.inbox(None, None, "--all") if i["handle"] == action][0]
        self.assertEqual(done["state"], "done")

        r = self.a("inbox", "snooze", "--until", "mon", item)
        self.assertEqual(r.code, 0, r)
        self.assertIn("snoozed until Mon 2026-11-30 00:00", r.out)
        self.assertNotIn(item, [i["handle"] for i in self.inbox()])
        self.assertIn(item, [i["handle"] for i in self.inbox(None, {"ASYNC_NOW": "2026-11-30T08:00:00Z"})])

        review = items["review"]["handle"]
        r = self.a("inbox", "delegate", "--to", "carol", review)
        self.assertEqual(r.code, 0, r)
        handed = [i for i in self.inbox(user="carol") if i["kind"] == "item"]
        self.assertEqual(len(handed), 1)
        body = (self.ws / handed[0]["path"]).read_text()
        self.assertIn("Delegated by @alice (review in #%s)" % self.doc_id, body)
        self.assertNotIn(review, [i["handle"] for i in self.inbox()])

        r = self.a("inbox", "undo", review, action)
        self.assertEqual(r.code, 0, r)
        self.assertIn("undid delegate", r.out)
        self.assertIn("undid done", r.out)
        self.assertEqual([i for i in self.inbox(user="carol") if i["kind"] == "item"], [])
        self.assertTrue({review, action} <= {i["handle"] for i in self.inbox()})
        self.assertIn("nothing to undo", self.a("inbox", "undo", review).out)

        # The decisions live in files: deleting the index loses none of them.
        (self.ws / ".async" / "index.db").unlink()
        self.assertNotIn(mention, [i["handle"] for i in self.inbox()])
        self.assertNotIn(item, [i["handle"] for i in self.inbox()])

    def test_bad_input(self):
        self.make_sources()
        for args, code, says in [
            (["done", "zz"], 2, "invalid item"),
            (["done", "abcdef0"], 1, "no inbox item matches"),
            (["snooze", "--until", "yesterday", self.inbox()[0]["handle"]], 2, "in the future"),
            (["snooze", "--until", "someday", self.inbox()[0]["handle"]], 2, ""),
            (["delegate", "--to", "alice", self.inbox()[0]["handle"]], 2, "yourself"),
            (["delegate", "--to", "!!!", self.inbox()[0]["handle"]], 2, "invalid handle"),
            (["add", "   "], 2, "empty"),
            (["add", "x", "--for", "../etc"], 2, "invalid handle"),
        ]:
            r = self.a("inbox", *args)
            self.assertEqual(r.code, code, (args, r))
            self.assertIn(says, r.err)
        self.assertEqual(self.a("inbox", "add", "-", input="x" * (2 << 20)).code, 2)
        self.assertFalse((self.ws / "people" / "alice" / "state.toml").exists())
        state = self.ws / "people" / "alice" / "state.toml"
        state.parent.mkdir(parents=True, exist_ok=True)
        state.write_text("[[decision]\nitem = 'x'\n")
        r = self.a("inbox")
        self.assertEqual(r.code, 3, r)
        self.assertIn("people/alice/state.toml:1:", r.err)
        self.assertEqual(state.read_text(), "[[decision]\nitem = 'x'\n")

    def test_triage_needs_a_terminal(self):
        r = self.a("inbox", "triage")
        self.assertEqual(r.code, 4, r)
        self.assertIn("needs a terminal", r.err)
        self.assertIn("inbox done", r.err)


@unittest.skipUnless(shutil.which("tmux"), "tmux is not installed (scripts/install-deps.sh installs it)")
class Triage(InboxCase):
    """async inbox triage in a real terminal: tmux on a private socket, keys in, screen out."""

    def setUp(self):
        super().setUp()
        self.socket = self.tmp / "tmux.sock"

    def tearDown(self):
        subprocess.run(["tmux", "-S", str(self.socket), "kill-server"], capture_output=True)
        super().tearDown()

    def tmux(self, *args):
        return subprocess.run(["tmux", "-S", str(self.socket), *args], capture_output=True, text=True, check=True).stdout

    def start(self):
        env = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        command = f"exec env -i {env} TERM=xterm {shlex.quote(harness.BIN)} -C {shlex.quote(str(self.ws))} inbox triage"
        self.tmux("new-session", "-d", "-x", "150", "-y", "50", "-s", "t", command)
        self.tmux("set-option", "-t", "t", "remain-on-exit", "on")

    def screen(self):
        return self.tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", "t")

    def wait_for(self, text, count=1):
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            screen = self.screen()
            if screen.count(text) >= count:
                return screen
            time.sleep(0.05)
        self.fail(f"{text!r} (x{count}) never appeared; screen:\n{self.screen()}")

    def keys(self, *keys):
        self.tmux("send-keys", "-t", "t", *keys)

    def state(self):
        path = self.ws / "people" / "alice" / "state.toml"
        return tomllib.loads(path.read_text())["decision"] if path.exists() else []

    def test_done_snooze_delegate_undo_quit(self):
        items = self.inbox()
        self.assertEqual(items, [])
        self.make_sources()
        items = self.inbox()
        self.start()
        self.wait_for("[1 of 5]")
        self.assertIn(items[0]["title"], self.screen())
        self.keys("d")
        self.wait_for("[2 of 5]")
        # The first item is the overdue action: done ticks it in its file, like `actions done`.
        self.assertEqual(items[0]["kind"], "action")
        self.assertEqual(self.state(), [])
        self.assertIn("- [x] @alice fix the copy", (self.ws / items[0]["path"]).read_text())
        self.keys("s")
        self.wait_for("Snooze until")
        self.keys("mon", "Enter")
        self.wait_for("snoozed until Mon 2026-11-30 00:00")
        self.wait_for("[3 of 5]")
        self.keys("g")
        self.wait_for("Delegate to")
        self.keys("ca", "Tab")
        self.wait_for("Delegate to (Tab completes): carol")
        self.keys("Enter")
        self.wait_for("delegated to carol")
        self.wait_for("[4 of 5]")
        self.keys("u")
        self.wait_for("undid delegate")
        self.wait_for("[3 of 5]", count=2)
        self.keys("n")
        self.wait_for("[4 of 5]", count=2)
        self.keys("q")
        screen = self.wait_for("Stopped: 2 decided, 3 still in your inbox.")
        self.assertNotIn("\x1b[2J", screen)
        self.assertEqual([(d["item"], d["verb"]) for d in self.state()], [(items[1]["key"], "snooze")])
        self.assertEqual([i["kind"] for i in self.inbox(user="carol") if i["kind"] == "item"], [])
        self.assertEqual([i["key"] for i in self.inbox()], [i["key"] for i in items[2:]])

    def test_inbox_zero_line(self):
        self.a("inbox", "add", "Only thing")
        self.start()
        self.wait_for("[1 of 1]")
        self.keys("d")
        self.wait_for("Inbox zero. Nothing needs you.")
        self.assertEqual(self.inbox(), [])

    def test_open_does_the_item(self):
        r = self.a("doc", "new", "Pricing", "-r", "alice", "-m", "## Tiers?", user="bob")
        doc = self.written(r)
        self.env.update(self.editor("append.sh", text="Three tiers."))
        self.start()
        self.wait_for("[1 of 1]")
        self.keys("o")
        self.wait_for("wrote ")
        replies = list((doc.parent / "replies").iterdir())
        self.assertEqual(len(replies), 1)
        self.assertIn("Three tiers.", replies[0].read_text())
        self.keys("q")
        self.wait_for("Stopped:")
        self.assertEqual(self.inbox(), [])

    def test_kill_9_keeps_confirmed_decisions(self):
        self.make_sources()
        items = self.inbox()
        self.start()
        self.wait_for("[1 of 5]")
        self.keys("d")
        self.wait_for("[2 of 5]")
        self.keys("s")
        self.wait_for("Snooze until")
        self.keys("+3d", "Enter")
        self.wait_for("[3 of 5]")
        pid = int(self.tmux("list-panes", "-t", "t", "-F", "#{pane_pid}").split()[0])
        os.kill(pid, signal.SIGKILL)
        self.assertEqual([(d["item"], d["verb"]) for d in self.state()], [(items[1]["key"], "snooze")])
        self.assertIn("- [x] @alice fix the copy", (self.ws / items[0]["path"]).read_text())
        self.assertEqual([i["key"] for i in self.inbox()], [i["key"] for i in items[2:]])


if __name__ == "__main__":
    harness.main()
