"""Comments on check-ins and the daily cadence (issue 20 items 5 and 6): `doc reply` on a
check-in writes checkins/<period>/<handle>/replies/…, which show, search, the inbox and the
digest (Markdown, and HTML read by an independent parser) agree on; config
checkin.cadence = "daily" moves checkin, status, digest, inbox, agenda, remind and the
calendar (read by python3-icalendar) to one check-in per working day; bad input."""
import html.parser
import json
import os
import sys
import tomllib
import unittest
from pathlib import Path

import harness

try:
    import icalendar
except ImportError:  # a python3 outside Debian's (pyenv…): use the Debian package's module
    sys.path.append("/usr/lib/python3/dist-packages")
    import icalendar

TEAM = """
[people.alice]
name = "Alice Example"
email = "alice@example.com"

[people.bob]
name = "Bob Lee"
email = "bob@example.com"

[people.carol]
name = "Carol Diaz"
email = "carol@example.com"
"""

SATURDAY = "2026-11-28T10:00:00Z"


def front_matter(path):
    text = Path(path).read_text()
    return tomllib.loads(text.split("+++\n")[1])


class Quotes(html.parser.HTMLParser):
    """Which text sits inside a <blockquote>, and the <h2> headings outside any."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.quoted, self.outside, self.h2, self.in_h2, self.scripts = 0, [], [], [], False, 0

    def handle_starttag(self, tag, attrs):
        if tag == "blockquote":
            self.depth += 1
        elif tag == "h2":
            self.in_h2 = True
            self.h2.append("")
        elif tag == "script":
            self.scripts += 1

    def handle_endtag(self, tag):
        if tag == "blockquote":
            self.depth -= 1
        elif tag == "h2":
            self.in_h2 = False

    def handle_data(self, data):
        (self.quoted if self.depth > 0 else self.outside).append(data)
        if self.in_h2:
            self.h2[-1] += data


class Base(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()
        with open(self.ws / ".async" / "config.toml", "a") as f:
            f.write(TEAM)

    def checkin(self, user, text, *extra, env=None):
        r = self.a("checkin", "-m", text, "--no-edit", *extra, user=user, env=env)
        self.assertEqual(r.code, 0, r)
        return r

    def reply(self, user, ref, text):
        r = self.a("doc", "reply", ref, "-m", text, "--no-edit", user=user)
        self.assertEqual(r.code, 0, r)
        return str(self.written(r).relative_to(self.ws))


class Comments(Base):
    def test_a_comment_is_threaded_under_the_checkin_everywhere(self):
        self.checkin("alice", "Shipped the pricing page.")
        self.checkin("carol", "Wrote the onboarding guide.")
        path = self.reply("bob", "checkins/2026-W48/alice.md", "Great work, @alice. What about the tiers?")
        self.assertRegex(path, r"^checkins/2026-W48/alice/replies/\d{8}T\d{6}Z-bob\.md$")
        self.assertEqual(front_matter(self.ws / path)["type"], "reply")

        shown = self.a("--json", "show", "checkins/2026-W48/alice.md")
        self.assertEqual(shown.code, 0, shown)
        thread = json.loads(shown.out)["thread"]
        self.assertEqual([(t["author"], t["path"], t["parent"]) for t in thread],
                         [("bob", path, "checkins/2026-W48/alice.md")])
        self.assertIn("What about the tiers?", self.a("show", "checkins/2026-W48/alice.md").out)

        found = self.a("--json", "search", "tiers")
        self.assertEqual([h["path"] for h in json.loads(found.out)["results"]], [path], found)
        # The author hears back, as for any document of hers; the comment is no check-in of bob's.
        self.assertIn("bob replied to Check-in 2026-W48", self.a("inbox", user="alice").out)
        status = self.a("--json", "checkin", "status", user="bob")
        self.assertEqual(status.code, 1, status)
        states = {p["handle"]: p["state"] for p in json.loads(status.out)["people"]}
        self.assertEqual(states, {"alice": "done", "bob": "missing", "carol": "done"})
        self.assertEqual(self.a("check").code, 0)

        digest = self.a("checkin", "digest")
        self.assertEqual(digest.code, 0, digest)
        alice = digest.out.index("## Alice Example (@alice)")
        comments = digest.out.index("### Comments", alice)
        carol = digest.out.index("## Carol Diaz (@carol)")
        self.assertLess(comments, carol)
        self.assertIn("**Bob Lee (@bob)**, Thu 2026-11-26 10:15:\n\n> Great work, @alice. What about the tiers?",
                      digest.out)
        self.assertIn("Missing: Bob Lee (@bob)", digest.out)

    def test_a_hostile_comment_stays_inside_its_quote(self):
        self.checkin("alice", "Shipped.")
        self.checkin("carol", "Wrote.")
        hostile = "# Take over\n\n## Carol Diaz (@carol)\n\n<script>alert(1)</script>\x1b[2J\n\n```\nunclosed fence\n"
        self.reply("bob", "checkins/2026-W48/alice.md", hostile)
        r = self.a("checkin", "digest", "--format", "html")
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("\x1b", r.out)
        page = Quotes()
        page.feed(r.out)
        self.assertEqual(page.scripts, 0)
        # Only the two people's headings are h2; the comment's headings are inside its quote.
        self.assertEqual([h.strip() for h in page.h2], ["Alice Example (@alice)", "Carol Diaz (@carol)"])
        quoted = "".join(page.quoted)
        self.assertIn("Take over", quoted)
        self.assertIn("unclosed fence", quoted)
        self.assertIn("Wrote.", "".join(page.outside))
        self.assertNotIn("Wrote.", quoted)

    def test_unreadable_comments_are_left_out_with_a_warning(self):
        self.checkin("alice", "Shipped.")
        self.reply("bob", "checkins/2026-W48/alice.md", "Readable comment.")
        replies = self.ws / "checkins/2026-W48/alice/replies"
        (replies / "20261126T110000Z-carol.md").write_text("+++\nid = \"zzzzzzzz\"\n+++\n" + "x" * (5 << 20))
        outside = self.tmp / "secret.md"
        outside.write_text("+++\nauthor = \"mallory\"\n+++\nSecret text.\n")
        os.symlink(outside, replies / "20261126T120000Z-mallory.md")
        (replies / "20261126T130000Z-dave.md").write_text("+++\ntitle = \"unclosed\n+++\nBroken.\n")
        r = self.a("checkin", "digest")
        self.assertEqual(r.code, 0, r)
        self.assertIn("> Readable comment.", r.out)
        self.assertNotIn("Secret text", r.out)
        self.assertNotIn("xxxxxxxx", r.out)
        self.assertNotIn("Broken.", r.out)
        self.assertIn("comment skipped: 'checkins/2026-W48/alice/replies/20261126T110000Z-carol.md' is too large",
                      r.err)
        self.assertIn("20261126T120000Z-mallory.md' is not a regular file", r.err)
        self.assertIn("20261126T130000Z-dave.md:", r.err)
        # -q keeps cron mail quiet: only the answer.
        self.assertEqual(self.a("-q", "checkin", "digest").err, "")

    def test_what_cannot_take_a_comment_is_refused(self):
        self.checkin("alice", "Shipped.")
        path = self.reply("bob", "checkins/2026-W48/alice.md", "A comment.")
        r = self.a("doc", "reply", path, "-m", "a reply to a reply", "--no-edit", user="carol")
        self.assertEqual(r.code, 2, r)
        self.assertIn("cannot reply to a reply", r.err)
        r = self.a("doc", "reply", "checkins/2026-W48/bob.md", "-m", "x", "--no-edit", user="carol")
        self.assertNotEqual(r.code, 0, r)
        self.assertEqual(self.files_under(self.ws / "checkins"),
                         ["2026-W48/alice.md", path.removeprefix("checkins/")])


class Daily(Base):
    def daily(self):
        self.assertEqual(self.a("config", "set", "checkin.cadence", "daily").code, 0)

    def test_the_cadence_takes_weekly_or_daily_only(self):
        for bad in ("hourly", "Daily", "", "daily\n"):
            r = self.a("config", "set", "checkin.cadence", bad)
            self.assertEqual(r.code, 2, (bad, r))
            self.assertIn("weekly", r.err)
        self.daily()
        self.assertEqual(self.a("config", "get", "checkin.cadence").out.strip(), "daily")

    def test_one_checkin_a_day_named_by_the_day(self):
        self.daily()
        r = self.a("--json", "checkin", "-m", "Standup: pricing.", "--no-edit")
        self.assertEqual(r.code, 0, r)
        out = json.loads(r.out)
        self.assertEqual((out["cadence"], out["period"], out["day"], out["path"]),
                         ("daily", "2026-11-26", "2026-11-26", "checkins/2026-11-26/alice.md"))
        self.assertNotIn("week", out)
        fm = front_matter(self.ws / "checkins/2026-11-26/alice.md")
        self.assertEqual((fm["type"], fm["author"], fm["day"]), ("checkin", "alice", "2026-11-26"))
        self.assertNotIn("week", fm)
        self.checkin("alice", "Yesterday's.", "--day", "yesterday")
        # "last" from a Monday is the Friday before: nobody stands up at the weekend.
        self.checkin("alice", "Friday's.", "--day", "last", env={"ASYNC_NOW": "2026-11-30T09:00:00Z"})
        self.assertEqual(self.files_under(self.ws / "checkins"),
                         ["2026-11-25/alice.md", "2026-11-26/alice.md", "2026-11-27/alice.md"])

        for bad in ("2026-W48", "banana", "2026-02-30"):
            r = self.a("checkin", "--day", bad, "-m", "x", "--no-edit")
            self.assertEqual(r.code, 2, (bad, r))
        r = self.a("checkin", "--week", "2026-W48", "-m", "x", "--no-edit")
        self.assertEqual(r.code, 2, r)
        self.assertIn("the team checks in daily", r.err)
        r = self.a("checkin", "--week", "this", "--day", "today", "-m", "x", "--no-edit")
        self.assertEqual(r.code, 2, r)
        self.assertEqual(self.a("check").code, 0)

    def test_status_and_digest_follow_the_day(self):
        self.daily()
        self.checkin("alice", "Pricing.")
        self.checkin("bob", "Reviews.")
        self.checkin("carol", "Yesterday only.", "--day", "2026-11-25")
        status = self.a("--json", "checkin", "status", user="carol")
        self.assertEqual(status.code, 1, status)
        body = json.loads(status.out)
        self.assertEqual((body["cadence"], body["period"], body["day"], body["checked_in"]),
                         ("daily", "2026-11-26", "2026-11-26", False))
        self.assertEqual(self.a("checkin", "status", user="bob").code, 0)
        self.assertEqual(self.a("checkin", "status", "--day", "yesterday", user="carol").code, 0)
        digest = self.a("checkin", "digest")
        self.assertTrue(digest.out.startswith("# Check-ins 2026-11-26\n\nThu 2026-11-26: 2 of 3 checked in."),
                        digest.out)
        self.assertIn("Missing: Carol Diaz (@carol)", digest.out)
        self.assertIn("Yesterday only.", self.a("checkin", "digest", "--day", "2026-11-25").out)

    def test_inbox_agenda_and_remind_owe_one_a_working_day(self):
        self.daily()
        inbox = self.a("inbox", user="bob")
        self.assertIn("Check-in for Thu 2026-11-26", inbox.out)
        self.checkin("bob", "Done for today.")
        self.assertNotIn("Check-in for", self.a("inbox", user="bob").out)
        self.assertNotIn("Check-in for", self.a("inbox", user="bob", env={"ASYNC_NOW": SATURDAY}).out)
        agenda = self.a("--json", "agenda", "--days", "7", user="bob")
        days = [d["date"] for d in json.loads(agenda.out)["days"]
                if any(x["kind"] == "checkin" for x in d["deadlines"])]
        self.assertEqual(days, ["2026-11-26", "2026-11-27", "2026-11-30", "2026-12-01", "2026-12-02"])
        remind = self.a("remind", env={"ASYNC_NOW": "2026-11-27T18:00:00Z"})
        self.assertEqual(remind.code, 0, remind)
        self.assertIn("Check-in for Fri 2026-11-27", remind.out)

    def test_the_calendar_recurs_every_working_day(self):
        self.daily()
        r = self.a("calendar")
        self.assertEqual(r.code, 0, r)
        events = [e for e in icalendar.Calendar.from_ical(r.out).walk("VEVENT")
                  if str(e["SUMMARY"]) == "Daily check-in"]
        self.assertEqual(len(events), 1, r.out)
        rule = events[0]["RRULE"]
        self.assertEqual((rule["FREQ"], rule["BYDAY"]), (["WEEKLY"], ["MO", "TU", "WE", "TH", "FR"]))
        self.assertEqual(events[0].decoded("DTSTART").weekday(), 0)

    def test_check_reads_the_day_of_a_daily_checkin(self):
        folder = self.ws / "checkins/2026-11-26"
        folder.mkdir(parents=True)
        (folder / "alice.md").write_text('+++\nid = "abcd1234"\ntype = "checkin"\nauthor = "alice"\n'
                                         'created = 2026-11-26T10:00:00Z\nday = "2026-13-01"\n+++\nHi.\n')
        r = self.a("check")
        self.assertEqual(r.code, 1, r)
        self.assertIn("'day' must be a date such as 2026-12-07", r.out + r.err)


if __name__ == "__main__":
    unittest.main()
