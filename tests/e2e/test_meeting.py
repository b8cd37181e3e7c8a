"""async meeting open / respond / status / close (issue 4, second half)."""
import json
import os
from pathlib import Path

import harness

AFTER_DUE = "2026-11-28T09:00:00Z"  # responses are due Fri 2026-11-27 17:00 UTC
AGENDA = ("**Goal:** agree the launch.\n\n"
          "## Pricing\n\nWhich price do we launch with?\n\n"
          "## Launch date\n\nIs December 1 realistic?\n\n"
          "- [ ] @alice book the launch room\n")


class Meetings(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()

    def open_meeting(self, *extra, title="Launch sync", people="bob,carol,dave", body=AGENDA):
        r = self.a("meeting", "open", title, "--with", people, "--due", "fri", "-m", body, *extra)
        self.assertEqual(r.code, 0, r)
        return r.out.split()[0], self.written(r)

    def respond(self, ref, user, body, **kwargs):
        r = self.a("meeting", "respond", ref, "-m", body, user=user, **kwargs)
        self.assertEqual(r.code, 0, r)
        return self.written(r)

    def status(self, ref, env=None):
        r = self.a("meeting", "status", ref, "--json", env=env)
        return r.code, json.loads(r.out)

    def test_issue_flow(self):
        mid, agenda = self.open_meeting()
        self.assertEqual(agenda, self.ws / "meetings/2026-11-26-launch-sync/index.md")
        fm, body = self.front_matter(agenda)
        self.assertEqual((fm["type"], fm["status"], fm["author"]), ("meeting", "open", "alice"))
        self.assertEqual(fm["participants"], ["bob", "carol", "dave"])
        self.assertEqual(fm["due"].isoformat(), "2026-11-27T17:00:00+00:00")
        listed = json.loads(self.a("list", "--type", "meeting", "--status", "open", "--json").out)
        self.assertEqual([d["id"] for d in listed["documents"]], [mid])

        # bob writes his response in the editor: the template has one section per agenda item.
        r = self.a("meeting", "respond", mid, user="bob",
                   env=self.editor("append.sh", text="Dec 1 works.\n\n- [ ] @bob ship the draft due:2026-12-01"))
        self.assertEqual(r.code, 0, r)
        bob = self.written(r)
        self.assertEqual(bob, agenda.parent / "responses" / "bob.md")
        fm, body = self.front_matter(bob)
        self.assertEqual((fm["type"], fm["author"], fm["response_to"]), ("response", "bob", mid))
        self.assertEqual(r.out.split()[0], fm["id"])
        self.assertLess(body.index("## Pricing"), body.index("## Launch date"))
        self.respond(mid, "dave", "## Pricing\n\n$12 a month.\n\nDecision: one plan only\n\n## Launch date\n\nFine.\n")

        code, st = self.status(mid)
        self.assertEqual(code, 1)
        self.assertEqual(st["schema"], 1)
        self.assertEqual(st["responses"], [
            {"handle": "bob", "state": "responded", "responded": "2026-11-26T10:15:00Z", "late": False},
            {"handle": "carol", "state": "pending"},
            {"handle": "dave", "state": "responded", "responded": "2026-11-26T10:15:00Z", "late": False}])
        human = self.a("meeting", "status", mid)
        self.assertEqual(human.code, 1)
        self.assertRegex(human.out, r"carol\s+pending")
        self.assertEqual(human.err, "")

        self.respond(mid, "carol", "## Pricing\n\n$10, as before.\n\n## Launch date\n\n"
                     "- [ ] @carol write the announcement due:2026-11-30\n")
        code, st = self.status(mid)
        self.assertEqual(code, 0)
        self.assertTrue(all(p["state"] == "responded" for p in st["responses"]))

        r = self.a("meeting", "close", mid, "--no-edit")
        self.assertEqual(r.code, 0, r)
        summary = self.written(r)
        self.assertEqual(summary, agenda.parent / "summary.md")
        fm, body = self.front_matter(summary)
        self.assertEqual((fm["type"], fm["summary_of"], fm["author"]), ("summary", mid, "alice"))
        sections = self.sections(body)
        self.assertIn("**dave**:\n\n> $12 a month.", sections["Pricing"])
        self.assertIn("**carol**:\n\n> $10, as before.", sections["Pricing"])
        self.assertIn("> Dec 1 works.", sections["Launch date"])
        self.assertIn("> - [ ] @carol write the announcement", sections["Launch date"])
        self.assertNotIn("Dec 1 works", sections["Pricing"])
        self.assertEqual(sections["Decisions"].strip(), "- one plan only")
        self.assertEqual(sections["Actions"].strip().splitlines(), [
            "- [ ] @alice book the launch room",
            "- [ ] @bob ship the draft due:2026-12-01",
            "- [ ] @carol write the announcement due:2026-11-30"])
        self.assertEqual(self.front_matter(agenda)[0]["status"], "closed")

        # The summary is the meeting's record: each action and decision is listed once, from it.
        actions = json.loads(self.a("actions", "--owner", "bob", "--json", user="bob").out)["actions"]
        self.assertEqual([(x["text"], x["document"]["path"]) for x in actions],
                         [("ship the draft", "meetings/2026-11-26-launch-sync/summary.md")])
        every = json.loads(self.a("actions", "--all", "--json").out)["actions"]
        self.assertEqual(len(every), 3)
        decisions = json.loads(self.a("decisions", "--json").out)["decisions"]
        self.assertEqual([(d["text"], d["document"]["type"]) for d in decisions], [("one plan only", "summary")])
        self.assertEqual(json.loads(self.a("list", "--type", "meeting", "--status", "open", "--json").out)["documents"], [])
        shown = json.loads(self.a("show", mid, "--json").out)
        self.assertEqual([c["type"] for c in shown["thread"]], ["response", "response", "response", "summary"])
        self.assertEqual(len(shown["responses"]), 3)
        self.assertIn("response carol: responded", self.a("show", mid).out)
        self.assertEqual(self.a("index", "--check").code, 0)
        self.assertEqual(self.a("check").code, 0, self.a("check"))  # the summary's #id link resolves

    def sections(self, body):
        """The text under each "## " heading of body."""
        out, name = {}, None
        for line in body.split("\n"):
            if line.startswith("## "):
                name = line[3:].strip()
                out[name] = ""
            elif name is not None:
                out[name] += line + "\n"
        return out

    def test_status_overdue_and_unknown_ref(self):
        mid, _ = self.open_meeting(people="bob")
        code, st = self.status(mid, env={"ASYNC_NOW": AFTER_DUE})
        self.assertEqual(code, 1)
        self.assertEqual(st["responses"], [{"handle": "bob", "state": "overdue"}])
        r = self.a("meeting", "status", "zzzzzz")
        self.assertEqual(r.code, 1)
        self.assertIn("zzzzzz", r.err)
        r = self.a("meeting", "respond", "nope", user="bob", env=self.editor("append.sh"))
        self.assertEqual(r.code, 1)
        self.assertFalse((self.ws / "meetings/2026-11-26-launch-sync/responses").exists())

    def test_a_late_response_is_marked_late(self):
        mid, _ = self.open_meeting(people="bob")
        self.respond(mid, "bob", "## Pricing\n\nLate.\n", env={"ASYNC_NOW": "2026-11-30T09:12:00Z"})
        code, st = self.status(mid, env={"ASYNC_NOW": "2026-11-30T10:00:00Z"})
        self.assertEqual(code, 0)
        self.assertEqual(st["responses"], [{"handle": "bob", "state": "responded",
                                            "responded": "2026-11-30T09:12:00Z", "late": True}])
        human = self.a("meeting", "status", mid, env={"ASYNC_NOW": "2026-11-30T10:00:00Z"})
        self.assertRegex(human.out, r"bob\s+responded late\s+Mon 2026-11-30 09:12")
        self.assertIn("response bob: responded late, Mon 2026-11-30 09:12", self.a("show", mid).out)

    def test_respond_again_edits_the_same_file(self):
        mid, agenda = self.open_meeting()
        first = self.respond(mid, "bob", "## Pricing\n\nFirst thought.\n")
        again = self.respond(mid, "bob", "## Pricing\n\nSecond thought.\n")
        self.assertEqual(first, again)
        self.assertEqual(self.files_under(agenda.parent / "responses"), ["bob.md"])
        fm, body = self.front_matter(first)
        self.assertEqual(body.strip(), "## Pricing\n\nSecond thought.")
        r = self.a("meeting", "respond", mid, user="bob", env=self.editor("unchanged.sh"))
        self.assertEqual(r.code, 0, r)
        self.assertIn("no changes", r.err)

    def test_closed_meeting_refuses_responses(self):
        mid, agenda = self.open_meeting()
        self.respond(mid, "bob", "## Pricing\n\nYes.\n")
        r = self.a("meeting", "close", mid, "-m", "We launch on December 1.")
        self.assertEqual(r.code, 0, r)
        self.assertIn("without a response from carol, dave", r.err)
        _, body = self.front_matter(agenda.parent / "summary.md")
        self.assertTrue(body.startswith(f"We launch on December 1.\n\nSummary of the async meeting #{mid}.\n\n"
                                        "**Responded:** bob"), body)
        self.assertIn("**No response:** carol, dave", body)
        r = self.a("meeting", "respond", mid, "-m", "late", user="carol")
        self.assertEqual(r.code, 1)
        self.assertIn("is closed", r.err)
        self.assertFalse((agenda.parent / "responses" / "carol.md").exists())
        before = (agenda.parent / "summary.md").read_bytes()
        r = self.a("meeting", "close", mid, "--no-edit")
        self.assertEqual(r.code, 0, r)
        self.assertIn("already closed", r.err)
        self.assertEqual((agenda.parent / "summary.md").read_bytes(), before)

    def test_close_in_the_editor(self):
        mid, agenda = self.open_meeting()
        r = self.a("meeting", "close", mid, env=self.editor("fail.sh"))
        self.assertEqual(r.code, 1)
        self.assertFalse((agenda.parent / "summary.md").exists())
        self.assertEqual(self.front_matter(agenda)[0]["status"], "open")
        # Saving the compiled summary as it is closes the meeting: it is a result, not a template.
        r = self.a("meeting", "close", mid, env=self.editor("unchanged.sh"))
        self.assertEqual(r.code, 0, r)
        self.assertIn("## Pricing\n\n*No responses.*", (agenda.parent / "summary.md").read_text())
        self.assertEqual(self.front_matter(agenda)[0]["status"], "closed")

    def test_attachments_and_transcripts(self):
        src = self.tmp / "src"
        (src / "other").mkdir(parents=True)
        (src / "standup.ogg").write_bytes(b"OggS" + os.urandom(2048))
        (src / "standup.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:02.000\nthe zeppelin budget is approved\n")
        (src / "other" / "standup.ogg").write_bytes(b"OggS second")
        odd = src / "[odd] (1) %20.pdf"
        odd.write_bytes(b"%PDF-1.4")
        r = self.a("meeting", "open", "Voice notes", "--with", "bob", "--no-edit",
                   "--attach", str(src / "standup.ogg"), "--attach", str(src / "other" / "standup.ogg"),
                   "-a", str(odd))
        self.assertEqual(r.code, 0, r)
        agenda = self.written(r)
        folder = agenda.parent / "attachments"
        self.assertEqual(sorted(p.name for p in folder.iterdir()),
                         ["[odd] (1) %20.pdf", "standup-2.ogg", "standup.ogg", "standup.vtt"])
        self.assertEqual((folder / "standup.ogg").read_bytes(), (src / "standup.ogg").read_bytes())
        _, body = self.front_matter(agenda)
        self.assertIn("(attachments/standup.ogg)", body)
        self.assertIn("(attachments/standup-2.ogg)", body)
        self.assertIn("[\\[odd\\] \\(1\\) \\%20\\.pdf](attachments/%5Bodd%5D%20%281%29%20%2520.pdf)", body)
        hits = json.loads(self.a("search", "zeppelin", "--json").out)["results"]
        self.assertEqual([h["id"] for h in hits], [r.out.split()[0]])
        self.assertEqual(self.a("check").code, 0, self.a("check"))

    def test_bad_input(self):
        def refused(*args, code=2, says=""):
            r = self.a("meeting", "open", *args)
            self.assertEqual(r.code, code, r)
            self.assertIn(says, r.err)
            self.assertFalse((self.ws / "meetings").exists() and any((self.ws / "meetings").iterdir()))
        refused("Sync", "--with", "", "-m", "x", says="participants")
        refused("Sync", "--with", "bob,!!!", "-m", "x", says="invalid handle")
        refused("Sync", "-m", "x", says="--with")
        refused("", "--with", "bob", "-m", "x", says="title")
        refused("Sync", "--with", "bob", "--due", "someday", "-m", "x")
        refused("Sync", "--with", "bob", "--attach", str(self.tmp / "missing.ogg"), "-m", "x", says="no such file")
        refused("Sync", "--with", "bob", "--attach", str(self.tmp), "-m", "x", says="not a regular file")
        weird = self.tmp / "line\nbreak.ogg"
        weird.write_bytes(b"x")
        refused("Sync", "--with", "bob", "--attach", str(weird), "-m", "x", says="control characters")
        # A response to something that is not a meeting is a usage error naming it.
        r = self.a("doc", "new", "A doc", "-m", "text")
        r = self.a("meeting", "respond", r.out.split()[0], "-m", "x", user="bob")
        self.assertEqual(r.code, 2, r)
        self.assertIn("not a meeting", r.err)

    def test_hostile_and_huge_text(self):
        mid, agenda = self.open_meeting(title="Sync \x1b[2J\x1b]0;pwned\x07 now")
        huge = "## Pricing\n\n" + ("A long paragraph of thoughts. " * 40 + "\n\n") * 2000
        r = self.a("meeting", "respond", mid, "--file", "-", user="bob", input=huge)
        self.assertEqual(r.code, 0, r)
        self.respond(mid, "carol", "## Pricing\n\n```\n## Launch date\n- [ ] @carol not an action\n```\n")
        r = self.a("meeting", "status", mid)
        self.assertNotIn("\x1b", r.out)
        r = self.a("meeting", "close", mid, "--no-edit")
        self.assertEqual(r.code, 0, r)
        _, body = self.front_matter(agenda.parent / "summary.md")
        sections = self.sections(body)
        self.assertIn("> ## Launch date", sections["Pricing"])  # carol's code block stays under Pricing
        self.assertGreater(len(sections["Pricing"]), 2_000_000)
        self.assertNotIn("not an action", sections["Actions"])
        self.assertEqual(json.loads(self.a("actions", "--json").out)["actions"][0]["text"], "book the launch room")


if __name__ == "__main__":
    harness.main()
