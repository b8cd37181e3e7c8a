"""Closing the loop (issue 20 items 1, 4, 12): authors hear back in their inbox and in remind,
the meeting response template, and `async whoami`."""
import json
import subprocess
from pathlib import Path

import harness

# NOW is Thu 2026-11-26 10:15 UTC; "fri" as a deadline is Fri 2026-11-27 17:00 UTC.
THU_NOON = "2026-11-26T12:00:00Z"
FRI_MORNING = "2026-11-27T09:00:00Z"
AFTER_DUE = "2026-11-28T09:00:00Z"


class AuthorsHearBack(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()
        for who in ("alice", "bob", "carol"):
            self.a("config", "set", f"people.{who}.email", f"{who}@example.com")

    def new_doc(self, title="Pricing page"):
        r = self.a("doc", "new", title, "-r", "bob,carol", "-d", "fri", "-m", "## Which tiers?\n\nThree or four.")
        self.assertEqual(r.code, 0, r)
        return r.out.split()[0]

    def new_meeting(self, title="Weekly sync"):
        r = self.a("meeting", "open", title, "--with", "bob,carol", "-d", "fri", "-m", "## Launch\n\nShip it?")
        self.assertEqual(r.code, 0, r)
        return r.out.split()[0]

    def reply(self, doc_id, who, now, text="Looks good."):
        r = self.a("doc", "reply", doc_id, "-m", text, user=who, env={"ASYNC_NOW": now})
        self.assertEqual(r.code, 0, r)
        return r.out.split()[0]

    def respond(self, meeting_id, who, now):
        r = self.a("meeting", "respond", meeting_id, "-m", "## Launch\n\nYes.", user=who, env={"ASYNC_NOW": now})
        self.assertEqual(r.code, 0, r)

    def inbox(self, *extra, now=FRI_MORNING, user="alice"):
        r = self.a("inbox", "--json", *extra, user=user, env={"ASYNC_NOW": now})
        self.assertEqual(r.code, 0, r)
        return json.loads(r.out)["items"]

    def of_kind(self, items, *kinds):
        return [i for i in items if i["kind"] in kinds]

    def remind(self, now, user="alice"):
        r = self.a("remind", "--json", user=user, env={"ASYNC_NOW": now})
        self.assertEqual(r.code, 0, r)
        # The check-in (owed from Friday on) is not what these tests are about.
        return {p["handle"]: [i for i in p["items"] if i["kind"] != "checkin"] for p in json.loads(r.out)["people"]}

    def test_reply_arrives_then_feedback_is_in(self):
        doc_id = self.new_doc()
        self.assertEqual(self.of_kind(self.inbox(), "replied", "close"), [])
        reply_id = self.reply(doc_id, "bob", THU_NOON)

        items = self.of_kind(self.inbox(), "replied", "close")
        self.assertEqual([(i["kind"], i["title"], i["from"], i["id"]) for i in items],
                         [("replied", "bob replied to Pricing page", "bob", reply_id)])
        replied = items[0]
        self.assertEqual(replied["since"], THU_NOON)
        self.assertIsNone(replied["due"])
        # The table names it by the same handle.
        human = self.a("inbox", env={"ASYNC_NOW": FRI_MORNING})
        self.assertIn(replied["handle"], human.out)
        self.assertIn("bob replied to Pricing page", human.out)
        # Bob's own inbox has no such item: it is news for the author only.
        self.assertEqual(self.of_kind(self.inbox(user="bob"), "replied", "close"), [])
        # Not owed, so not in remind.
        self.assertEqual([i["kind"] for i in self.remind(FRI_MORNING)["alice"]], [])

        # Done once stays done, even when more replies come.
        r = self.a("inbox", "done", replied["handle"], env={"ASYNC_NOW": FRI_MORNING})
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.of_kind(self.inbox(), "replied"), [])

        self.reply(doc_id, "carol", FRI_MORNING, "Four tiers.")
        items = self.of_kind(self.inbox(), "replied", "close")
        self.assertEqual(sorted((i["kind"], i["title"]) for i in items),
                         [("close", "Pricing page: feedback is in — close it"),
                          ("replied", "carol replied to Pricing page")])
        close = self.of_kind(items, "close")[0]
        self.assertEqual((close["id"], close["from"]), (doc_id, ""))
        self.assertEqual(close["since"], FRI_MORNING)  # the last answer
        owed = self.remind(FRI_MORNING)
        self.assertEqual([(i["kind"], i["title"], i["id"]) for i in owed["alice"]],
                         [("close", "Pricing page: feedback is in — close it", doc_id)])
        self.assertEqual(owed["bob"], [])

        # Done on the close-it item: gone, and it stays gone while nobody's answer changes.
        r = self.a("inbox", "done", close["handle"], env={"ASYNC_NOW": FRI_MORNING})
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.of_kind(self.inbox(), "close"), [])
        self.assertEqual(self.of_kind(self.inbox(now=AFTER_DUE), "close"), [])
        self.assertEqual([i["state"] for i in self.of_kind(self.inbox("--all"), "close")], ["done"])
        r = self.a("inbox", "undo", close["handle"], env={"ASYNC_NOW": FRI_MORNING})
        self.assertEqual(r.code, 0, r)
        self.assertEqual(len(self.of_kind(self.inbox(), "close")), 1)

        # Closing the document takes the close-it and the reply items away.
        self.ok("-C", str(self.ws), "doc", "close", doc_id, env={"ASYNC_NOW": FRI_MORNING})
        self.assertEqual(self.of_kind(self.inbox("--all"), "replied", "close"), [])
        self.assertEqual(self.remind(FRI_MORNING)["alice"], [])

    def test_deadline_passed_with_someone_pending(self):
        doc_id = self.new_doc()
        self.reply(doc_id, "bob", THU_NOON)
        # Before the deadline with carol pending: nothing to close yet.
        self.assertEqual(self.of_kind(self.inbox(), "close"), [])
        self.assertEqual([i["kind"] for i in self.remind(FRI_MORNING)["alice"]], [])

        items = self.of_kind(self.inbox(now=AFTER_DUE), "close")
        self.assertEqual([(i["title"], i["id"], i["since"]) for i in items],
                         [("Pricing page: feedback is in — close it", doc_id, "2026-11-27T17:00:00Z")])
        self.assertEqual([i["kind"] for i in self.remind(AFTER_DUE)["alice"]], ["close"])

        # Done holds until an answer changes: carol's late reply brings it back.
        r = self.a("inbox", "done", items[0]["handle"], env={"ASYNC_NOW": AFTER_DUE})
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.of_kind(self.inbox(now=AFTER_DUE), "close"), [])
        self.reply(doc_id, "carol", AFTER_DUE)
        self.assertEqual([i["handle"] for i in self.of_kind(self.inbox(now=AFTER_DUE), "close")],
                         [items[0]["handle"]])

    def test_meeting_responses_are_in(self):
        meeting_id = self.new_meeting()
        self.respond(meeting_id, "bob", THU_NOON)
        self.assertEqual(self.of_kind(self.inbox(), "close", "replied"), [])
        self.respond(meeting_id, "carol", FRI_MORNING)
        items = self.of_kind(self.inbox(), "close", "replied")
        self.assertEqual([(i["kind"], i["title"], i["id"]) for i in items],
                         [("close", "Weekly sync: responses are in — close it", meeting_id)])
        owed = self.remind(FRI_MORNING)
        self.assertEqual([(i["kind"], i["title"]) for i in owed["alice"]],
                         [("close", "Weekly sync: responses are in — close it")])

        # remind --mail --dry-run words it with the command that closes it.
        self.a("config", "set", "mail.from", "async@example.com")
        r = self.a("remind", "--dry-run", env={"ASYNC_NOW": FRI_MORNING})
        self.assertEqual(r.code, 0, r)
        self.assertIn("- Weekly sync: responses are in — close it\n    async meeting close " + meeting_id, r.out)

        r = self.a("inbox", "snooze", "--until", "2026-11-30", items[0]["handle"], env={"ASYNC_NOW": FRI_MORNING})
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.of_kind(self.inbox(), "close"), [])
        self.assertEqual(len(self.of_kind(self.inbox(now="2026-12-01T09:00:00Z"), "close")), 1)

        r = self.a("meeting", "close", meeting_id, "--no-edit", env={"ASYNC_NOW": FRI_MORNING})
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.of_kind(self.inbox("--all", now="2026-12-01T09:00:00Z"), "close"), [])

    def test_meeting_deadline_passed(self):
        meeting_id = self.new_meeting()
        self.respond(meeting_id, "bob", THU_NOON)
        items = self.of_kind(self.inbox(now=AFTER_DUE), "close")
        self.assertEqual([(i["title"], i["id"]) for i in items],
                         [("Weekly sync: deadline passed — close it", meeting_id)])
        r = self.a("inbox", "done", items[0]["handle"], env={"ASYNC_NOW": AFTER_DUE})
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.of_kind(self.inbox(now=AFTER_DUE), "close"), [])
        self.assertEqual([i["kind"] for i in self.remind(AFTER_DUE)["alice"]], ["close"])

    def test_hostile_titles_and_authors(self):
        # A title with escape sequences never reaches the terminal as one; a reply file whose
        # author is the document's author is not news.
        r = self.a("doc", "new", "Evil \x1b[31mred", "-r", "bob", "-m", "x")
        self.assertEqual(r.code, 0, r)
        doc_id = r.out.split()[0]
        self.reply(doc_id, "bob", THU_NOON)
        self.reply(doc_id, "alice", THU_NOON, "My own note.")
        human = self.a("inbox", env={"ASYNC_NOW": FRI_MORNING})
        self.assertEqual(human.code, 0, human)
        self.assertNotIn("\x1b[31m", human.out)
        kinds = sorted(i["kind"] for i in self.of_kind(self.inbox(), "replied", "close"))
        self.assertEqual(kinds, ["close", "replied"])


AGENDA = ("**Goal:** agree the launch.\n\n"
          "## Launch date\n\nShip on **Monday** or wait a week?\n\n- option A\n- option B\n\n"
          "## Hiring\n\n"
          "## Budget\n\nWe have 10k left.\n\n```\n---\n```\n\n"
          "---\n*Respond with async meeting respond.*\n")
INSTRUCTIONS = ("Under each item", "how to respond", "Propose a decision", "<!--", "Respond with")


class ResponseTemplate(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()
        r = self.a("meeting", "open", "Weekly sync", "--with", "bob,carol", "-d", "fri", "-m", AGENDA)
        self.assertEqual(r.code, 0, r)
        self.meeting = r.out.split()[0]
        self.responses = self.written(r).parent / "responses"

    def expected_body(self, written=""):
        return ("## Launch date\n\n> Ship on **Monday** or wait a week?\n>\n> - option A\n> - option B\n\n"
                "## Hiring\n\n"
                "## Budget\n\n> We have 10k left.\n>\n> ```\n> ---\n> ```\n" + written)

    def test_no_edit_repeats_each_item_and_no_instructions(self):
        r = self.a("meeting", "respond", self.meeting, "--no-edit", user="bob")
        self.assertEqual(r.code, 0, r)
        fm, body = self.front_matter(self.responses / "bob.md")
        self.assertEqual(body, self.expected_body())
        for text in INSTRUCTIONS:
            self.assertNotIn(text, body)
        # show and the index read the same body.
        shown = json.loads(self.a("show", fm["id"], "--json").out)
        self.assertEqual(shown["body"], body)
        found = self.a("search", "Monday", "--type", "response", "--json")
        self.assertEqual(found.code, 0, found)
        self.assertIn(fm["id"], found.out)

    def test_the_editor_sees_the_guidance_and_saves_without_it(self):
        unchanged = self.a("meeting", "respond", self.meeting, env=self.editor("unchanged.sh"), user="bob")
        self.assertEqual(unchanged.code, 1, unchanged)
        self.assertIn("aborted: no changes", unchanged.err)
        self.assertFalse((self.responses / "bob.md").exists())

        seen = self.tmp / "seen.md"
        editor = self.tmp / "copy-and-append.sh"
        editor.write_text(f"#!/bin/sh\ncp \"$1\" {seen}\nprintf 'Monday works.\\n' >> \"$1\"\n")
        editor.chmod(0o755)
        r = self.a("meeting", "respond", self.meeting, env={"EDITOR": str(editor)}, user="carol")
        self.assertEqual(r.code, 0, r)
        self.assertIn("Under each item", seen.read_text())  # the guidance, while writing
        fm, body = self.front_matter(self.responses / "carol.md")
        self.assertEqual(body, self.expected_body("\nMonday works.\n"))
        for text in INSTRUCTIONS:
            self.assertNotIn(text, body)

    def test_summary_shows_each_item_once(self):
        self.a("meeting", "respond", self.meeting, "--no-edit", user="bob")
        self.a("meeting", "respond", self.meeting, "-m", "## Launch date\n\nMonday.", user="carol")
        r = self.a("meeting", "close", self.meeting, "--no-edit")
        self.assertEqual(r.code, 0, r)
        summary = (self.responses.parent / "summary.md").read_text()
        self.assertNotIn("Ship on", summary)  # bob wrote nothing of his own
        self.assertIn("**carol**:\n\n> Monday.", summary)
        self.assertNotIn("**bob**:", summary.split("## Decisions")[0].split("Other remarks")[0])


class WhoAmI(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()

    def git_config(self, key, value):
        # The private HOME's ~/.gitconfig, which is what `git config` reads there.
        subprocess.run(["git", "config", "--global", key, value], env=self.env, check=True)

    def whoami(self, env=None):
        r = self.a("--json", "whoami", env=env)
        self.assertEqual(r.code, 0, r)
        doc = json.loads(r.out)
        self.assertEqual(doc["schema"], 1)
        return {k: (doc[k]["value"], doc[k]["source"], doc[k]["key"]) for k in ("handle", "name", "email")}

    def test_each_source(self):
        # ASYNC_USER, normalised.
        self.assertEqual(self.whoami(env={"ASYNC_USER": "@Alice"}),
                         {"handle": ("alice", "env", "ASYNC_USER"), "name": (None, "unset", None),
                          "email": (None, "unset", None)})
        human = self.a("whoami")
        self.assertEqual(human.code, 0, human)
        self.assertEqual(human.out.splitlines(), ["handle  alice  (environment ASYNC_USER)",
                                                  "name    -      (unset)",
                                                  "email   -      (unset)"])
        self.assertEqual(human.err, "")
        # $USER when nothing else says.
        self.assertEqual(self.whoami(env={"ASYNC_USER": None})["handle"], ("tester", "env", "USER"))
        # git's user.email (its local part) before $USER, and git's name and email.
        self.git_config("user.email", "Dana@example.com")
        self.git_config("user.name", "Dana Git")
        self.assertEqual(self.whoami(env={"ASYNC_USER": None}),
                         {"handle": ("dana", "git-config", "user.email"), "name": ("Dana Git", "git-config", "user.name"),
                          "email": ("Dana@example.com", "git-config", "user.email")})
        # My own config's user.handle before git; the team's people table before git.
        r = self.a("config", "set", "--global", "user.handle", "erin", env={"ASYNC_USER": None})
        self.assertEqual(r.code, 0, r)
        self.a("config", "set", "people.erin.name", "Erin Team")
        self.a("config", "set", "people.erin.email", "erin@example.com")
        self.assertEqual(self.whoami(env={"ASYNC_USER": None}),
                         {"handle": ("erin", "user-config", "user.handle"),
                          "name": ("Erin Team", "workspace-config", "people.erin.name"),
                          "email": ("erin@example.com", "workspace-config", "people.erin.email")})
        # The workspace's user.handle over my own.
        self.a("config", "set", "user.handle", "frank", env={"ASYNC_USER": None})
        self.assertEqual(self.whoami(env={"ASYNC_USER": None})["handle"],
                         ("frank", "workspace-config", "user.handle"))
        # And ASYNC_USER over everything; the same handle the other commands use.
        self.assertEqual(self.whoami(env={"ASYNC_USER": "erin"})["handle"], ("erin", "env", "ASYNC_USER"))
        r = self.a("doc", "new", "Mine", "-m", "x", env={"ASYNC_USER": None})
        self.assertEqual(self.front_matter(self.written(r))[0]["author"], "frank")

    def test_no_identity_is_an_error_with_a_hint(self):
        r = self.a("whoami", env={"ASYNC_USER": None, "USER": None})
        self.assertEqual(r.code, 4, r)
        self.assertEqual(r.out, "")
        self.assertEqual(r.err.splitlines(), [
            "async: error: cannot tell who you are",
            "hint: set ASYNC_USER or run 'async config set --global user.handle NAME'"])

    def test_hostile_values(self):
        r = self.a("whoami", env={"ASYNC_USER": "a/b"})
        self.assertEqual(r.code, 2, r)
        self.assertIn("invalid handle 'a/b'", r.err)
        self.a("config", "set", "people.alice.name", "Evil \x1b]0;owned\x07 " + "x" * 5000)
        r = self.a("whoami", "--wide")
        self.assertEqual(r.code, 2, r)  # whoami takes no flags of its own
        r = self.a("whoami")
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("\x1b", r.out)
        self.assertNotIn("\x07", r.out)
        self.assertTrue(self.whoami()["name"][0].startswith("Evil \x1b]0;owned\x07 x"))

    def test_help(self):
        r = self.a("help", "whoami")
        self.assertEqual(r.code, 0, r)
        self.assertIn("Usage: async whoami", r.out)
        self.assertIn("whoami", self.a("--help").out)


if __name__ == "__main__":
    harness.main()
