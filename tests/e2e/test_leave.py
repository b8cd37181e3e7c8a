"""Leave and teams (issue 23 items 1 and 3): `async away` writes people/<me>/away.toml, and an
absence changes review states, reminders, the agenda and the calendar; teams in the config give
`--team` views and one .ics per team in the published site.

The .ics is read by python3-icalendar and imported by khal; mail goes through msmtp to an SMTP
sink on 127.0.0.1 (python3-aiosmtpd)."""
import datetime
import email
import email.policy
import json
import shutil
import sys
import tomllib
import unittest

import harness
from test_calendar import Sink, free_port
from test_git import GitCase

try:
    import icalendar
    from aiosmtpd.controller import Controller
except ImportError:  # a python3 outside Debian's: use the Debian packages' pure-Python modules
    sys.path.append("/usr/lib/python3/dist-packages")
    import icalendar
    from aiosmtpd.controller import Controller

# harness.NOW is Thursday 2026-11-26 10:15 UTC. bob is away Friday 11-27 to Friday 12-04.
AFTER_DEADLINE = "2026-11-30T10:00:00Z"  # a Monday, bob still away
BACK = "2026-12-07T09:00:00Z"  # the Monday after


class LeaveBase(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()
        for who in ("alice", "bob", "carol"):
            self.a_ok("config", "set", f"people.{who}.email", f"{who}@example.com")

    def a_ok(self, *args, **kwargs):
        r = self.a(*args, **kwargs)
        self.assertEqual(r.code, 0, r)
        return r

    @property
    def wsid(self):
        return tomllib.loads((self.ws / ".async" / "config.toml").read_text())["workspace"]["id"]

    def away_file(self, who):
        return self.ws / "people" / who / "away.toml"

    def bob_away(self):
        r = self.a_ok("away", "2026-11-27..2026-12-04", "--note", "Holiday, back on Monday", user="bob")
        self.assertIn("away Fri 2026-11-27 .. Fri 2026-12-04", r.err)
        return r


class LeaveCase(LeaveBase):
    # -- async away ------------------------------------------------------------------------
    def test_away_writes_my_file_lists_and_clears(self):
        self.bob_away()
        data = tomllib.loads(self.away_file("bob").read_text())
        self.assertEqual(data["away"], [{"from": datetime.date(2026, 11, 27), "to": datetime.date(2026, 12, 4),
                                         "note": "Holiday, back on Monday"}])
        # A range in the date grammar: "mon..wed" is the Monday after now to the Wednesday after it.
        self.a_ok("away", "mon..wed", user="bob")
        data = tomllib.loads(self.away_file("bob").read_text())
        self.assertEqual([(e["from"], e["to"]) for e in data["away"]],
                         [(datetime.date(2026, 11, 27), datetime.date(2026, 12, 4)),
                          (datetime.date(2026, 11, 30), datetime.date(2026, 12, 2))])
        self.assertFalse(self.away_file("alice").exists())
        mine = json.loads(self.a_ok("--json", "away", user="bob").out)
        self.assertEqual([(a["handle"], a["from"], a["to"]) for a in mine["absences"]],
                         [("bob", "2026-11-27", "2026-12-04"), ("bob", "2026-11-30", "2026-12-02")])
        # Mine is empty for alice; --all is the team's.
        self.assertEqual(json.loads(self.a_ok("--json", "away").out)["absences"], [])
        listed = self.a_ok("away", "--all").out
        self.assertIn("@bob", listed)
        self.assertIn("Holiday, back on Monday", listed)
        # Clearing the day 2026-12-01 removes both absences that hold it; again: nothing, exit 1.
        r = self.a_ok("away", "--clear", "2026-12-01", user="bob")
        self.assertIn("cleared 2 absences", r.err)
        self.assertEqual(tomllib.loads(self.away_file("bob").read_text()).get("away", []), [])
        self.assertEqual(self.a("away", "--clear", user="bob").code, 1)
        # Usage errors: out of order, a note without days, nonsense.
        self.assertEqual(self.a("away", "2026-12-04..2026-12-01", user="bob").code, 2)
        self.assertEqual(self.a("away", "--note", "x", user="bob").code, 2)
        self.assertEqual(self.a("away", "2026-13-01..2026-12-01", user="bob").code, 2)
        self.assertEqual(self.a("away", "..", user="bob").code, 2)

    # -- review states, warnings -----------------------------------------------------------
    def test_status_says_away_until_instead_of_overdue(self):
        self.bob_away()
        r = self.a_ok("doc", "new", "Pricing", "-r", "bob,carol", "-d", "2026-11-28", "-m", "Text.")
        doc = r.out.split()[0]
        self.assertIn("--reviewers: @bob is away until Fri 2026-12-04", r.err)
        self.assertNotIn("@carol is away", r.err)
        r = self.a("doc", "status", doc, env={"ASYNC_NOW": AFTER_DEADLINE})
        self.assertEqual(r.code, 1, r)
        self.assertRegex(r.out, r"bob\s+away until Fri 2026-12-04")
        self.assertRegex(r.out, r"carol\s+overdue")
        states = json.loads(self.a("--json", "doc", "status", doc, env={"ASYNC_NOW": AFTER_DEADLINE}).out)
        self.assertEqual({x["handle"]: (x["state"], x.get("away_until")) for x in states["reviews"]},
                         {"bob": ("away", "2026-12-04"), "carol": ("overdue", None)})
        shown = self.a_ok("show", doc, env={"ASYNC_NOW": AFTER_DEADLINE}).out
        self.assertIn("review bob: away until Fri 2026-12-04", shown)
        self.assertIn("review carol: overdue", shown)
        # A meeting: the same rule through the same owner.
        r = self.a_ok("meeting", "open", "Weekly sync", "--with", "bob,carol", "--due", "2026-11-30", "--no-edit")
        meeting = r.out.split()[0]
        self.assertIn("--with: @bob is away until Fri 2026-12-04", r.err)
        r = self.a("meeting", "status", meeting, env={"ASYNC_NOW": "2026-12-01T10:00:00Z"})
        self.assertRegex(r.out, r"bob\s+away until Fri 2026-12-04")
        self.assertRegex(r.out, r"carol\s+overdue")
        # Without the absence bob is overdue like carol: the test can fail.
        self.a_ok("away", "--clear", user="bob")
        r = self.a("doc", "status", doc, env={"ASYNC_NOW": AFTER_DEADLINE})
        self.assertRegex(r.out, r"bob\s+overdue")

    def test_no_warning_when_back_before_the_deadline(self):
        self.bob_away()
        r = self.a_ok("doc", "new", "Later", "-r", "bob", "-d", "2026-12-08", "-m", "Text.")
        self.assertNotIn("away", r.err)

    # -- agenda ----------------------------------------------------------------------------
    def test_agenda_shows_who_is_away(self):
        self.bob_away()
        out = self.a_ok("agenda").out
        self.assertIn("Away", out)
        self.assertRegex(out, r"@bob\s+Fri 2026-11-27 \.\. Fri 2026-12-04")
        data = json.loads(self.a_ok("--json", "agenda").out)
        self.assertEqual(data["away"], [{"handle": "bob", "from": "2026-11-27", "to": "2026-12-04",
                                         "note": "Holiday, back on Monday"}])
        # Outside the window: nobody.
        later = json.loads(self.a_ok("--json", "agenda", env={"ASYNC_NOW": "2026-12-10T09:00:00Z"}).out)
        self.assertEqual(later["away"], [])

    # -- remind ----------------------------------------------------------------------------
    def test_remind_sends_nothing_while_away_and_the_items_wait(self):
        self.assertIsNotNone(shutil.which("msmtp"), "msmtp is not installed (scripts/install-deps.sh)")
        sink = Sink()
        controller = Controller(sink, hostname="127.0.0.1", port=free_port())
        controller.start()
        self.addCleanup(controller.stop)
        msmtprc = self.tmp / "msmtprc"
        msmtprc.write_text(f"defaults\nauth off\ntls off\n\naccount default\nhost 127.0.0.1\n"
                           f"port {controller.port}\nfrom async@example.org\n")
        msmtprc.chmod(0o600)
        user = self.home / ".config" / "async" / "config.toml"
        user.parent.mkdir(parents=True, exist_ok=True)
        user.write_text(f"[mail]\nfrom = \"async@example.org\"\n"
                        f"sendmail = {json.dumps(['msmtp', '-C', str(msmtprc)])}\n")
        self.a_ok("doc", "new", "Pricing", "-r", "bob,carol", "-d", "2026-12-10", "-m", "Text.")
        self.bob_away()

        def recipients():
            return sorted(email.message_from_bytes(c, policy=email.policy.default)["To"].addresses[0].addr_spec
                          for _f, _r, c in sink.messages)

        r = self.a_ok("remind", "--mail", env={"ASYNC_NOW": AFTER_DEADLINE})
        self.assertIn("not reminding bob: away", r.err)
        self.assertEqual(recipients(), ["carol@example.com"])
        listed = self.a_ok("remind", env={"ASYNC_NOW": AFTER_DEADLINE}).out
        self.assertRegex(listed, r"@bob\s+review\s+away until Fri 2026-12-04")
        # Back: the review that waited is mailed.
        self.a_ok("remind", "--mail", env={"ASYNC_NOW": BACK})
        self.assertEqual(recipients(), ["bob@example.com", "carol@example.com", "carol@example.com"])

    # -- calendar --------------------------------------------------------------------------
    def absence_events(self, ics):
        cal = icalendar.Calendar.from_ical(ics)
        return {str(e["UID"]): e for e in cal.walk("VEVENT") if str(e["UID"]).startswith("away-")}

    def test_calendar_has_each_absence_as_an_all_day_event_with_a_stable_uid(self):
        self.bob_away()
        self.a_ok("away", "2026-12-24", "--note", "Christmas Eve")
        first = self.absence_events(self.a_ok("calendar").out)
        uid = f"away-bob-2026-11-27@{self.wsid}.async"
        self.assertEqual(set(first), {uid, f"away-alice-2026-12-24@{self.wsid}.async"})
        bob = first[uid]
        self.assertEqual(bob.decoded("DTSTART"), datetime.date(2026, 11, 27))
        self.assertEqual(bob.decoded("DTEND"), datetime.date(2026, 12, 5))  # the day after the last
        self.assertEqual(str(bob["SUMMARY"]), "Away: @bob (Holiday, back on Monday)")
        # Another export later has the same UIDs; --mine has only mine.
        again = self.absence_events(self.a_ok("calendar", env={"ASYNC_NOW": AFTER_DEADLINE}).out)
        self.assertEqual(set(again), set(first))
        mine = self.absence_events(self.a_ok("calendar", "--mine", user="bob").out)
        self.assertEqual(set(mine), {uid})

    def test_khal_imports_the_absences(self):
        self.bob_away()
        khal_run, vdir = self.khal()

        first = self.tmp / "first.ics"
        self.a_ok("calendar", "-o", str(first))
        khal_run("import", "--batch", "-a", "team", str(first))
        listed = khal_run("list", "--format", "{start} {end} {title}", "2026-11-26", "2026-12-10")
        self.assertIn("Away: @bob (Holiday, back on Monday)", listed)
        count = len(list(vdir.iterdir()))
        # bob changes the note: re-importing updates the same event.
        self.a_ok("away", "2026-11-27..2026-12-04", "--note", "Holiday", user="bob")
        second = self.tmp / "second.ics"
        self.a_ok("calendar", "-o", str(second))
        khal_run("import", "--batch", "-a", "team", str(second))
        self.assertEqual(len(list(vdir.iterdir())), count)
        listed = khal_run("list", "--format", "{title}", "2026-11-26", "2026-12-10")
        self.assertIn("Away: @bob (Holiday)", listed)
        self.assertNotIn("back on Monday", listed)

    # -- hostile files ---------------------------------------------------------------------
    def test_malformed_hostile_and_huge_files_are_warnings(self):
        self.a_ok("doc", "new", "Pricing", "-r", "bob,carol,dave", "-d", "2026-11-28", "-m", "Text.")
        cases = {
            "bob": "this is = not [ toml\n",
            "carol": "a" + ".a" * 200 + " = 1\n",  # nesting past the bounded parser's limit
            "dave": "[[away]]\nfrom = 2026-12-01\nto = 2026-11-01\n[[away]]\nfrom = \"soon\"\nto = 3\n"
                    "[[away]]\nfrom = \"2026-02-30\"\nto = 2026-03-01\n",
            "erin": "[[away]]\nfrom = 2026-11-01\nto = 2026-11-02\n" * 1 + "x = \"" + "y" * (5 << 20) + "\"\n",
            "fred": "away = 3\n",
        }
        for who, text in cases.items():
            path = self.away_file(who)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        r = self.a("agenda")
        self.assertEqual(r.code, 0, r)
        for who in cases:
            self.assertIn(f"people/{who}/away.toml", r.err)
        self.assertIn("before it starts", r.err)
        self.assertIn("needs from and to as dates", r.err)
        self.assertIn("impossible date", r.err)
        self.assertIn("too large", r.err)
        self.assertIn("nested more than 64 levels", r.err)
        self.assertEqual(self.a("calendar").code, 0)
        check = self.a("check")
        for who in cases:
            self.assertIn(f"people/{who}/away.toml", check.out + check.err)
        # My own damaged file is never written over.
        before = self.away_file("bob").read_text()
        r = self.a("away", "2026-12-01..2026-12-02", user="bob")
        self.assertEqual(r.code, 3, r)
        self.assertEqual(self.away_file("bob").read_text(), before)
        # A note with control characters is refused; a long one too.
        self.assertEqual(self.a("away", "2026-12-01", "--note", "a\x1b[31mb", user="alice").code, 2)
        self.assertEqual(self.a("away", "2026-12-01", "--note", "x" * 300, user="alice").code, 2)


class TeamsCase(LeaveBase):
    def setUp(self):
        super().setUp()
        self.a_ok("config", "set", "teams.web.members", '["alice", "bob"]')
        self.a_ok("config", "set", "teams.ops.members", '["carol"]')

    def test_agenda_and_calendar_by_team(self):
        self.bob_away()
        self.a_ok("away", "2026-11-30", user="carol")
        self.a_ok("doc", "new", "Web copy", "-r", "bob", "-d", "2026-11-28", "-m", "Text.")
        self.a_ok("doc", "new", "Ops runbook", "-r", "carol", "-d", "2026-11-28", "-m", "Text.", user="carol")
        web = json.loads(self.a_ok("--json", "agenda", "--team", "web").out)
        titles = [d["title"] for day in web["days"] for d in day["deadlines"]] + [d["title"] for d in web["overdue"]]
        self.assertIn("Web copy", titles)
        self.assertNotIn("Ops runbook", titles)
        self.assertEqual([a["handle"] for a in web["away"]], ["bob"])
        ops = json.loads(self.a_ok("--json", "agenda", "--team", "ops").out)
        self.assertEqual([a["handle"] for a in ops["away"]], ["carol"])
        cal = icalendar.Calendar.from_ical(self.a_ok("calendar", "--team", "ops").out)
        summaries = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
        self.assertIn("Feedback due: Ops runbook", summaries)
        self.assertNotIn("Feedback due: Web copy", summaries)
        self.assertIn("Away: @carol", summaries)
        self.assertNotIn("Away: @bob (Holiday, back on Monday)", summaries)
        r = self.a("agenda", "--team", "nope")
        self.assertEqual(r.code, 2, r)
        self.assertIn("no team 'nope'", r.err)
        self.assertIn("ops, web", r.err)

    def test_publish_writes_one_calendar_per_team_and_one_for_everything(self):
        self.bob_away()
        self.a_ok("away", "2026-11-30", user="carol")
        site = self.tmp / "site"
        self.a_ok("publish", "-o", str(site))
        everything = icalendar.Calendar.from_ical((site / "calendar.ics").read_bytes())
        web = icalendar.Calendar.from_ical((site / "calendars" / "web.ics").read_bytes())
        ops = icalendar.Calendar.from_ical((site / "calendars" / "ops.ics").read_bytes())

        def away(cal):
            return sorted(str(e["UID"]) for e in cal.walk("VEVENT") if str(e["UID"]).startswith("away-"))

        self.assertEqual(away(everything), [f"away-bob-2026-11-27@{self.wsid}.async",
                                            f"away-carol-2026-11-30@{self.wsid}.async"])
        self.assertEqual(away(web), [f"away-bob-2026-11-27@{self.wsid}.async"])
        self.assertEqual(away(ops), [f"away-carol-2026-11-30@{self.wsid}.async"])
        index = (site / "index.html").read_text()
        for link in ('href="calendar.ics"', 'href="calendars/web.ics"', 'href="calendars/ops.ics"'):
            self.assertIn(link, index)
        # A second run with nothing changed rewrites nothing.
        self.assertIn("0 file(s) written", self.a_ok("publish", "-o", str(site)).err)

    def test_check_warns_about_team_members_outside_the_team(self):
        self.a_ok("config", "set", "teams.ops.members", '["carol", "zed"]')
        r = self.a("check")
        self.assertIn("team 'ops' names 'zed'", r.out + r.err)


class WatercoolerCase(GitCase):
    """The weekly prompt (issue 23 item 6): created once even when two clones both run it."""

    def test_two_clones_create_it_and_sync_to_one_thread(self):
        alice, bob = self.make_team()
        self.a_ok(alice, "config", "set", "watercooler.day", "thu")  # harness.NOW is a Thursday
        self.a_ok(alice, "config", "set", "watercooler.prompts", '["Best snack?", "Favourite bird?"]')
        for who in ("alice", "bob", "carol"):
            self.a_ok(alice, "config", "set", f"people.{who}.email", f"{who}@example.com")
        self.a_ok(alice, "sync")
        self.a_ok(bob, "sync", user="bob")
        # Not the day: nothing.
        r = self.a_ok(alice, "watercooler", env={"ASYNC_NOW": "2026-11-25T10:00:00Z"})
        self.assertIn("the watercooler day is thu", r.err)
        self.assertFalse((alice / "docs" / "2026-W48-watercooler").exists())
        # Both clones create it (as from cron), then both sync.
        first = self.a_ok(alice, "watercooler")
        self.assertEqual(first.out.split()[0], "w2026w48")
        self.a_ok(bob, "watercooler", user="bob")
        again = self.a_ok(alice, "watercooler")
        self.assertIn("there already", again.err)
        rel = "docs/2026-W48-watercooler/index.md"
        self.assertEqual((alice / rel).read_bytes(), (bob / rel).read_bytes())
        self.a_ok(alice, "sync")
        self.a_ok(bob, "sync", user="bob")
        self.a_ok(alice, "sync")
        for repo, user in ((alice, "alice"), (bob, "bob")):
            docs = json.loads(self.a_ok(repo, "--json", "list", "--type", "watercooler", user=user).out)["documents"]
            self.assertEqual([d["id"] for d in docs], ["w2026w48"], repo)
            self.assertEqual(self.git(repo, "status", "--porcelain").stdout, "")
        self.assertEqual(self.git(alice, "rev-parse", "HEAD").stdout, self.git(bob, "rev-parse", "HEAD").stdout)
        text = (alice / rel).read_text()
        self.assertIn("## This week's question", text)
        self.assertTrue("Best snack?" in text or "Favourite bird?" in text)
        # Optional in everyone's inbox: no due date, never overdue; never in remind.
        inbox = json.loads(self.a_ok(bob, "--json", "inbox", user="carol",
                                     env={"ASYNC_NOW": "2026-11-27T20:00:00Z"}).out)
        items = [i for i in inbox["items"] if i["kind"] == "watercooler"]
        self.assertEqual(len(items), 1, inbox)
        self.assertIsNone(items[0].get("due"))
        self.assertFalse(items[0].get("overdue", False))
        owed = json.loads(self.a_ok(bob, "--json", "remind", user="bob").out)
        self.assertNotIn("watercooler", json.dumps(owed))
        # A reply takes it off my list.
        self.a_ok(bob, "doc", "reply", "w2026w48", "-m", "Pretzels.", user="carol")
        inbox = json.loads(self.a_ok(bob, "--json", "inbox", user="carol").out)
        self.assertEqual([i for i in inbox["items"] if i["kind"] == "watercooler"], [])
        # check takes the workspace's own author.
        self.assertNotIn("unknown person", self.a(alice, "check").out)


if __name__ == "__main__":
    harness.main()
