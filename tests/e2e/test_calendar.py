"""async agenda, calendar and remind (issue 7): the shared calendar and reminders.

The .ics is read by an independent parser (python3-icalendar) and imported by a real calendar
client (khal) into a private configuration; reminders go through a real MTA client (msmtp) to
an SMTP sink this test starts on 127.0.0.1 (python3-aiosmtpd) and stops.
"""
import email
import email.policy
import json
import os
import shutil
import socket
import subprocess
import sys
import tomllib
import unittest
from pathlib import Path

import harness

try:
    import icalendar
    from aiosmtpd.controller import Controller
except ImportError:  # a python3 outside Debian's (pyenv…): use the Debian packages' pure-Python modules
    sys.path.append("/usr/lib/python3/dist-packages")
    import icalendar
    from aiosmtpd.controller import Controller

FRIDAY_EVENING = "2026-11-27T18:00:00Z"  # after the check-in day's 17:00 (default: Friday)
LATER_SAME_DAY = "2026-11-26T16:45:00Z"
NEXT_DAY = "2026-11-27T09:00:00Z"
TRICKY = "Pricing, tiers; launch \\ \U0001F680 \u00e9t\u00e9"  # comma, semicolon, backslash, emoji


def toml_string(text):
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


class CalendarCase(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()
        self.a("config", "set", "people.alice.name", "Alice Example")
        self.a("config", "set", "people.alice.email", "alice@example.com")
        self.a("config", "set", "people.bob.name", "Bob Müller")
        self.a("config", "set", "people.bob.email", "bob@example.com")
        self.a("config", "set", "people.carol.email", "carol@example.com")

    def a_ok(self, *args, **kwargs):
        r = self.a(*args, **kwargs)
        self.assertEqual(r.code, 0, r)
        return r

    @property
    def wsid(self):
        """The workspace id init wrote, read by Python's own TOML parser."""
        return tomllib.loads((self.ws / ".async" / "config.toml").read_text())["workspace"]["id"]

    def new_doc(self, title, reviewers="alice,carol", due="+2d", body="Text.", user="bob"):
        r = self.a_ok("doc", "new", title, "-r", reviewers, "-d", due, "-m", body, user=user)
        return r.out.split()[0]

    def write_doc(self, folder, title, reviewers, due="2026-11-28T17:00:00Z", author="bob", doc_id="hand0001"):
        """A document written by hand (titles the command line could not carry)."""
        path = self.ws / "docs" / folder / "index.md"
        path.parent.mkdir(parents=True)
        path.write_text(f'+++\nid = "{doc_id}"\ntype = "doc"\ntitle = {toml_string(title)}\nauthor = "{author}"\n'
                        f'created = 2026-11-26T09:00:00Z\nstatus = "open"\nreviewers = {json.dumps(reviewers)}\n'
                        f'due = {due}\n+++\n\nBody.\n', encoding="utf-8")
        return path

    def checkin(self, who, week="2026-W48"):
        folder = self.ws / "checkins" / week
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{who}.md").write_text(f'+++\nid = "ck{who[:6]:0<6}"\ntype = "checkin"\nauthor = "{who}"\n'
                                          f'week = "{week}"\ncreated = 2026-11-27T10:00:00Z\n+++\n\nShipped.\n')

    def team(self):
        """bob asks alice and carol for feedback and opens a meeting; alice has actions."""
        self.doc = self.new_doc(TRICKY, body="- [ ] @alice fix the copy due:2026-11-20\n"
                                              "- [ ] @alice ship it due:2026-11-28\n"
                                              "- [ ] @carol later, no date\n")
        r = self.a_ok("meeting", "open", "Weekly sync", "--with", "alice,carol", "-d", "+1d", "-m", "## Item",
                      user="bob")
        self.meeting = r.out.split()[0]


class Agenda(CalendarCase):
    def agenda(self, *extra, env=None):
        return json.loads(self.a_ok("--json", "agenda", *extra, env=env).out)

    def test_grouped_by_day_overdue_first(self):
        self.team()
        got = self.agenda()
        self.assertEqual(got["schema"], 1)
        self.assertEqual([(d["kind"], d["title"]) for d in got["overdue"]], [("action", "fix the copy")])
        self.assertTrue(got["overdue"][0]["overdue"])
        days = [(day["date"], [(d["kind"], d["key"]) for d in day["deadlines"]]) for day in got["days"]]
        self.assertEqual(days, [
            ("2026-11-27", [("checkin", "checkin:2026-W48"), ("response", f"response:{self.meeting}")]),
            ("2026-11-28", [("action", days[1][1][0][1]), ("feedback", f"feedback:{self.doc}")]),
        ])
        feedback = got["days"][1]["deadlines"][1]
        self.assertEqual(feedback["title"], TRICKY)
        self.assertEqual(feedback["due"], "2026-11-28T17:00:00Z")
        self.assertEqual(feedback["owed_by"], ["alice", "carol"])
        self.assertEqual(feedback["author"], "bob")
        # Human output: the overdue section first, then one heading per day.
        out = self.a_ok("agenda").out
        self.assertLess(out.index("Overdue"), out.index("Fri 2026-11-27"))
        self.assertLess(out.index("Fri 2026-11-27"), out.index("Sat 2026-11-28"))
        self.assertIn("waiting for @alice @carol", out)

    def test_answers_and_the_window(self):
        self.team()
        self.a_ok("doc", "reply", self.doc, "-m", "Fine.", user="alice")
        self.a_ok("doc", "reply", self.doc, "-m", "Fine.", user="carol")
        keys = [d["key"] for day in self.agenda()["days"] for d in day["deadlines"]]
        self.assertNotIn(f"feedback:{self.doc}", keys)  # nobody owes it any more
        one_day = self.agenda("--days", "1")
        self.assertEqual(one_day["days"], [])  # Thursday: nothing due today
        three = self.agenda("--days", "14")
        self.assertEqual([d["key"] for day in three["days"] for d in day["deadlines"] if d["kind"] == "checkin"],
                         ["checkin:2026-W48", "checkin:2026-W49"])

    def test_due_now_is_not_yet_overdue(self):
        """The boundary at NOW (Thu 10:15 UTC): a deadline is overdue once its instant has passed,
        an action once its date has (so one due today is still today's)."""
        self.write_doc("now", "Due right now", ["carol"], due=harness.NOW, doc_id="fbnow001")
        self.write_doc("early", "Due this morning", ["carol"], due="2026-11-26T09:00:00Z", doc_id="fbearly1")
        self.write_doc("later", "Due tomorrow", ["carol"], due="2026-11-27T09:00:00Z", doc_id="fblater1")
        actions = self.ws / "docs" / "acts" / "index.md"
        actions.parent.mkdir(parents=True)
        actions.write_text('+++\nid = "actions1"\ntype = "doc"\ntitle = "Actions"\nauthor = "bob"\n'
                           'created = 2026-11-20T09:00:00Z\n+++\n\n'
                           "- [ ] @alice due yesterday due:2026-11-25\n"
                           "- [ ] @alice due today due:2026-11-26\n"
                           "- [ ] @alice due tomorrow due:2026-11-27\n", encoding="utf-8")
        overdue = lambda agenda: sorted(d["title"] for d in agenda["overdue"])
        got = self.agenda()
        self.assertEqual(overdue(got), ["Due this morning", "due yesterday"])
        days = {day["date"]: sorted(d["title"] for d in day["deadlines"] if d["kind"] != "checkin")
                for day in got["days"]}
        self.assertEqual(days, {"2026-11-26": ["Due right now", "due today"],
                                "2026-11-27": ["Due tomorrow", "due tomorrow"]})
        # One second later the deadline due at NOW has passed; the action due today has not.
        got = self.agenda(env={"ASYNC_NOW": "2026-11-26T10:15:01Z"})
        self.assertEqual(overdue(got), ["Due right now", "Due this morning", "due yesterday"])
        # The check-in is overdue after 17:00 on its day, not at 17:00.
        at_five = self.agenda(env={"ASYNC_NOW": "2026-11-27T17:00:00Z"})
        self.assertNotIn("checkin:2026-W48", [d["key"] for d in at_five["overdue"]])
        after_five = self.agenda(env={"ASYNC_NOW": "2026-11-27T17:00:01Z"})
        self.assertIn("checkin:2026-W48", [d["key"] for d in after_five["overdue"]])

    def test_missing_checkin_is_overdue_after_the_day(self):
        got = self.agenda(env={"ASYNC_NOW": FRIDAY_EVENING})
        self.assertEqual([d["key"] for d in got["overdue"]], ["checkin:2026-W48"])
        self.checkin("alice")
        got = self.agenda(env={"ASYNC_NOW": FRIDAY_EVENING})
        self.assertEqual(got["overdue"], [])

    def test_checkin_day_from_config(self):
        self.a_ok("config", "set", "checkin.day", "mon")
        got = self.agenda()
        self.assertEqual([day["date"] for day in got["days"]], ["2026-11-30"])

    def test_nothing_and_bad_days(self):
        self.assertEqual(self.a_ok("agenda").out, "Fri 2026-11-27\n    checkin    Check-in for 2026-W48\n")
        r = self.a_ok("agenda", "--days", "1")  # Thursday: the check-in is tomorrow
        self.assertEqual(r.out, "")
        self.assertIn("no deadlines in the next 1 day", r.err)
        for bad in ("0", "-3", "400", "many"):
            r = self.a("agenda", "--days", bad)
            self.assertEqual(r.code, 2, r)
            self.assertIn("async: error:", r.err)


class Calendar(CalendarCase):
    def export(self, *extra, now=None):
        """The calendar as written (through a file: text-mode pipes would turn CRLF into LF)."""
        out = self.tmp / "export.ics"
        self.a_ok("calendar", "-o", str(out), *extra, env={"ASYNC_NOW": now} if now else None)
        return out.read_bytes().decode("utf-8")

    def events(self, ics):
        cal = icalendar.Calendar.from_ical(ics)
        return {str(e["UID"]): e for e in cal.walk("VEVENT")}

    def test_events_parse_independently(self):
        self.team()
        ics = self.export()
        self.assertTrue(ics.startswith("BEGIN:VCALENDAR\r\n"), ics[:40])
        self.assertTrue(all(len(line.encode()) <= 75 for line in ics.split("\r\n")))
        cal = icalendar.Calendar.from_ical(ics)
        self.assertEqual(str(cal["VERSION"]), "2.0")
        events = self.events(ics)
        action_uids = sorted(u for u in events if u.startswith("action-"))
        self.assertEqual(set(events), {f"feedback-{self.doc}@{self.wsid}.async", f"response-{self.meeting}@{self.wsid}.async",
                                       f"checkin@{self.wsid}.async", *action_uids})
        self.assertEqual(len(action_uids), 2)  # the two with a due date; carol's has none
        feedback = events[f"feedback-{self.doc}@{self.wsid}.async"]
        self.assertEqual(str(feedback["SUMMARY"]), f"Feedback due: {TRICKY}")
        self.assertEqual(feedback.decoded("DTSTART").isoformat(), "2026-11-28T17:00:00+00:00")
        self.assertIn("DTSTAMP", feedback)
        self.assertIn("@alice @carol", str(feedback["DESCRIPTION"]))
        self.assertEqual(str(events[f"response-{self.meeting}@{self.wsid}.async"]["SUMMARY"]), "Responses due: Weekly sync")
        ship = [events[u] for u in action_uids if "ship it" in str(events[u]["SUMMARY"])][0]
        self.assertEqual(str(ship["SUMMARY"]), "Due (@alice): ship it")
        self.assertEqual(ship.decoded("DTSTART").isoformat(), "2026-11-28")  # all day
        checkin = events[f"checkin@{self.wsid}.async"]
        self.assertEqual(checkin["RRULE"]["FREQ"], ["WEEKLY"])
        self.assertEqual(checkin["RRULE"]["BYDAY"], ["FR"])
        self.assertEqual(checkin.decoded("DTSTART").weekday(), 4)

    def test_stable_across_runs(self):
        self.team()
        first = self.export()
        second = self.export(now=LATER_SAME_DAY)
        self.assertNotEqual(first, second)
        strip = lambda text: [l for l in text.split("\r\n") if not l.startswith("DTSTAMP:")]
        self.assertEqual(strip(first), strip(second))
        # The same workspace copied elsewhere gives the same UIDs (nothing of the path in them).
        copy = self.tmp / "copy"
        shutil.copytree(self.ws, copy)
        self.assertEqual(self.run_async("-C", str(copy), "calendar", "-o", str(self.tmp / "copy.ics")).code, 0)
        self.assertEqual(strip((self.tmp / "copy.ics").read_bytes().decode()), strip(first))
        # Standard output carries the same text.
        self.assertEqual(self.a_ok("calendar").out, first.replace("\r\n", "\n"))

    def test_output_file_and_mine_and_day(self):
        self.team()
        self.new_doc("Not for me", reviewers="carol", user="bob")
        self.a_ok("config", "set", "checkin.day", "wednesday")
        out = self.tmp / "sub" / "team.ics"
        r = self.a_ok("calendar", "-o", str(out))
        self.assertEqual(r.out, "")
        self.assertIn("wrote", r.err)
        everything = self.events(out.read_bytes().decode("utf-8"))
        self.assertEqual(everything[f"checkin@{self.wsid}.async"]["RRULE"]["BYDAY"], ["WE"])
        self.assertIn("Feedback due: Not for me", [str(e["SUMMARY"]) for e in everything.values()])
        mine = self.events(self.export("--mine"))
        summaries = [str(e["SUMMARY"]) for e in mine.values()]
        self.assertNotIn("Feedback due: Not for me", summaries)
        self.assertIn(f"Feedback due: {TRICKY}", summaries)
        self.assertIn("Weekly check-in", summaries)
        self.assertEqual(len(mine), len(everything) - 1)

    def test_uids_unique_across_workspaces(self):
        # Two teams with the same document id (and an action of the same text) in one client.
        self.write_doc("2026-11-26-same", "Same", ["alice"], doc_id="same0001")
        first_ws = self.ws
        self.ws = self.tmp / "other"
        self.init_ws()
        self.write_doc("2026-11-26-same", "Same", ["alice"], doc_id="same0001")
        theirs = set(self.events(self.export()))
        self.ws = first_ws
        ours = set(self.events(self.export()))
        self.assertEqual(len(ours), 2)
        self.assertEqual(ours & theirs, set(), (ours, theirs))
        self.assertTrue(all(uid.endswith(f"@{self.wsid}.async") for uid in ours), ours)
        # The same workspace gives the same UIDs again.
        self.assertEqual(set(self.events(self.export(now=LATER_SAME_DAY))), ours)

    def test_workspace_without_an_id(self):
        config = self.ws / ".async" / "config.toml"
        text = config.read_text()
        start = text.index("[workspace]")
        config.write_text(text[:start] + text[text.index("[team]"):])
        self.write_doc("2026-11-26-same", "Same", ["alice"], doc_id="same0001")
        out = self.tmp / "old.ics"
        r = self.a_ok("calendar", "-o", str(out))
        self.assertIn("no workspace id", r.err)
        derived = set(self.events(out.read_bytes().decode()))
        self.assertEqual(derived, set(self.events(self.export())))  # stable for this folder
        self.assertTrue(all("@path-" in uid for uid in derived), derived)
        # init leaves an existing config alone; the command the notice gives adds an id.
        self.ok("init", str(self.ws))
        self.assertNotIn("[workspace]", config.read_text())
        command = r.err.split("run '", 1)[1].split("'", 1)[0].split()
        self.assertEqual(command[:3], ["async", "config", "set"])
        self.a_ok(*command[1:])
        self.assertIn("# The weekly check-in day", config.read_text())
        self.assertRegex(self.wsid, "^[0-9a-z]{16}$")
        self.assertTrue(all(uid.endswith(f"@{self.wsid}.async") for uid in self.events(self.export())))

    def test_hostile_titles(self):
        long_title = ("Ünïcödé 🚀, ; \\ " * 20)[:200]
        self.write_doc("2026-11-26-long", long_title, ["alice"], doc_id="long0001")
        self.write_doc("2026-11-26-crlf", "Evil\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:x@evil", ["alice"],
                       doc_id="crlf0001")
        self.write_doc("2026-11-26-huge", "H" * 20000, ["alice"], doc_id="huge0001")
        self.write_doc("2026-11-26-bidi", "Pay \u202eevil\u202c the \u009b31m invoice \u2066x\u2069", ["alice"],
                       doc_id="bidi0001")
        ics = self.export()
        events = self.events(ics)
        self.assertEqual(set(events), {f"feedback-long0001@{self.wsid}.async", f"feedback-crlf0001@{self.wsid}.async",
                                       f"feedback-huge0001@{self.wsid}.async", f"feedback-bidi0001@{self.wsid}.async",
                                       f"checkin@{self.wsid}.async"})
        self.assertEqual(str(events[f"feedback-bidi0001@{self.wsid}.async"]["SUMMARY"]),
                         "Feedback due: Pay evil the 31m invoice x")
        for bad in ["\u202e", "\u202c", "\u009b", "\u2066", "\u2069"]:
            self.assertNotIn(bad, ics)
        self.assertEqual(str(events[f"feedback-long0001@{self.wsid}.async"]["SUMMARY"]), f"Feedback due: {long_title}")
        self.assertEqual(str(events[f"feedback-crlf0001@{self.wsid}.async"]["SUMMARY"]),
                         "Feedback due: Evil END:VEVENT BEGIN:VEVENT UID:x@evil")
        self.assertEqual(str(events[f"feedback-huge0001@{self.wsid}.async"]["SUMMARY"]), "Feedback due: " + "H" * 20000)
        self.assertTrue(all(len(line.encode()) <= 75 for line in ics.split("\r\n")))
        ics.encode("utf-8")  # folding never splits a character (the parser above would have failed)

    def test_libical_is_loaded_by_the_calendar_alone(self):
        # The dynamic loader names every library it loads (LD_DEBUG=libs): libical links ICU,
        # which would triple the start-up time of every other command.
        self.team()
        for args in (["--version"], ["list"], ["agenda"]):
            r = self.run_async("-C", str(self.ws), *args, env={"LD_DEBUG": "libs"})
            self.assertEqual(r.code, 0, r)
            self.assertNotIn("libical", r.err, args)
            self.assertNotIn("libicu", r.err, args)
        r = self.run_async("-C", str(self.ws), "calendar", env={"LD_DEBUG": "libs"})
        self.assertEqual(r.code, 0, r)
        self.assertIn("libical.so", r.err)
        self.assertIn("BEGIN:VCALENDAR", r.out)

    def test_a_broken_libical_is_exit_4_and_loses_nothing(self):
        self.team()
        out = self.tmp / "team.ics"
        out.write_text("the last export\n")
        libdir = self.tmp / "lib"
        libdir.mkdir()
        fake = libdir / "libical.so.3"
        env = {"LD_LIBRARY_PATH": str(libdir)}
        # Not a library at all: the loader skips it and finds the real one further on.
        fake.write_bytes(b"\x7fELF" + b"\xff" * 4096)
        self.assertEqual(self.a("calendar", "-o", str(self.tmp / "other.ics"), env=env).code, 0)
        # A shared library by that name without libical's functions.
        cc = shutil.which("cc") or shutil.which("gcc")
        subprocess.run([cc, "-shared", "-fPIC", "-o", str(fake), "-x", "c", "/dev/null"], check=True)
        r = self.a("calendar", "-o", str(out), env=env)
        self.assertEqual(r.code, 4, r)
        self.assertIn("cannot load libical.so.3: it has no icalcomponent_new", r.err)
        self.assertEqual(out.read_text(), "the last export\n")
        self.assertEqual(self.a_ok("agenda", env=env).code, 0)  # the rest of async never needs it

    def test_khal_imports_and_updates(self):
        self.team()
        khal_run, vdir = self.khal()

        first = self.tmp / "first.ics"
        self.a_ok("calendar", "-o", str(first))
        khal_run("import", "--batch", "-a", "team", str(first))
        listed = khal_run("list", "--format", "{start} {title}", "2026-11-20", "2026-12-05")
        self.assertIn(f"2026-11-28 17:00 Feedback due: {TRICKY}", listed)
        self.assertIn("2026-11-27 17:00 Responses due: Weekly sync", listed)
        self.assertIn("2026-11-28 Due (@alice): ship it", listed)
        self.assertEqual(listed.count("Weekly check-in"), 3)  # Fridays 11-20, 11-27 and 12-04
        count = len(list(vdir.iterdir()))
        # Re-importing a later export updates the events instead of adding new ones.
        doc_file = next((self.ws / "docs").glob("*/index.md"))
        text = doc_file.read_text(encoding="utf-8")
        doc_file.write_text(text.replace(toml_string(TRICKY), '"Pricing v2"', 1), encoding="utf-8")
        second = self.tmp / "second.ics"
        self.a_ok("calendar", "-o", str(second), env={"ASYNC_NOW": LATER_SAME_DAY})
        khal_run("import", "--batch", "-a", "team", str(second))
        self.assertEqual(len(list(vdir.iterdir())), count)
        listed = khal_run("list", "--format", "{start} {title}", "2026-11-28", "1d")
        self.assertIn("Feedback due: Pricing v2", listed)
        self.assertNotIn(TRICKY, listed)


class Sink:
    """An SMTP server on 127.0.0.1 that keeps what arrives (aiosmtpd)."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Remind(CalendarCase):
    def setUp(self):
        super().setUp()
        self.sink = Sink()
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=free_port())
        self.controller.start()
        self.addCleanup(self.controller.stop)
        self.msmtprc = self.tmp / "msmtprc"
        self.msmtprc.write_text(f"defaults\nauth off\ntls off\n\naccount default\nhost 127.0.0.1\n"
                                f"port {self.controller.port}\nfrom async@example.org\n")
        self.msmtprc.chmod(0o600)
        self.configure_mail(["msmtp", "-C", str(self.msmtprc)])

    def configure_mail(self, sendmail):
        config = self.ws / ".async" / "config.toml"
        text = config.read_text(encoding="utf-8")
        text += f"\n[mail]\nfrom = \"async@example.org\"\nsendmail = {json.dumps(sendmail)}\n"
        config.write_text(text, encoding="utf-8")
        # A committed sendmail runs only in a workspace I trust (async-config(5)).
        user = self.home / ".config" / "async" / "config.toml"
        user.parent.mkdir(parents=True, exist_ok=True)
        with user.open("a", encoding="utf-8") as f:
            f.write(f"\n[trust]\nworkspaces = [{json.dumps(str(self.ws))}]\n")

    def set_person(self, handle, email_address, name=None):
        config = self.ws / ".async" / "config.toml"
        text = config.read_text(encoding="utf-8")
        text += f"\n[people.{handle}]\nemail = {toml_string(email_address)}\n"
        if name is not None:
            text += f"name = {toml_string(name)}\n"
        config.write_text(text, encoding="utf-8")

    def received(self):
        out = {}
        for mail_from, rcpts, content in self.sink.messages:
            msg = email.message_from_bytes(content, policy=email.policy.default)
            out[msg["To"].addresses[0].addr_spec] = (mail_from, rcpts, msg)
        return out

    def test_listing(self):
        self.team()
        got = json.loads(self.a_ok("--json", "remind").out)
        people = {p["handle"]: p for p in got["people"]}
        self.assertEqual(set(people), {"alice", "bob", "carol"})
        self.assertEqual([i["kind"] for i in people["alice"]["items"]], ["action", "response", "review"])
        self.assertEqual(people["bob"]["items"], [])
        self.assertEqual([i["kind"] for i in people["carol"]["items"]], ["response", "review"])
        self.assertEqual(people["carol"]["items"][1]["title"], TRICKY)
        self.assertEqual(people["carol"]["items"][1]["from"], "bob")
        out = self.a_ok("remind").out
        self.assertIn("@alice", out)
        self.assertNotIn("@bob", out)
        # From the check-in day on, whoever has not checked in owes it.
        self.checkin("carol")
        got = json.loads(self.a_ok("--json", "remind", env={"ASYNC_NOW": FRIDAY_EVENING}).out)
        owes = {p["handle"]: [i["key"] for i in p["items"] if i["kind"] == "checkin"] for p in got["people"]}
        self.assertEqual(owes, {"alice": ["checkin:2026-W48"], "bob": ["checkin:2026-W48"], "carol": []})

    def test_mail_through_msmtp_once_a_day(self):
        self.assertIsNotNone(shutil.which("msmtp"), "msmtp is not installed (scripts/install-deps.sh)")
        self.team()
        r = self.a_ok("remind", "--mail")
        self.assertEqual(r.out, "")
        self.assertIn("reminded alice of 3 items", r.err)
        got = self.received()
        self.assertEqual(set(got), {"alice@example.com", "carol@example.com"})
        mail_from, rcpts, msg = got["alice@example.com"]
        self.assertEqual(rcpts, ["alice@example.com"])
        self.assertEqual(msg["From"].addresses[0].addr_spec, "async@example.org")
        self.assertEqual(msg["To"].addresses[0].display_name, "Alice Example")
        self.assertEqual(msg["Subject"], "Reminder: 3 things you owe (2026-11-26)")
        self.assertIsNotNone(msg["Date"])
        body = msg.get_content()
        self.assertIn("this is what you owe", body)
        self.assertIn(f'Feedback on "{TRICKY}", asked by @bob, due Sat 2026-11-28 17:00', body)
        self.assertIn(f"async doc reply {self.doc}", body)
        self.assertIn('Your response to the meeting "Weekly sync"', body)
        self.assertIn('Action: "fix the copy"', body)
        self.assertNotIn("ship it", body)  # not overdue yet
        log = tomllib.loads((self.ws / ".async" / "local" / "reminded.toml").read_text())
        self.assertEqual(len(log["sent"]), 5)
        # Again the same day: nothing new, nothing sent.
        r = self.a_ok("remind", "--mail", env={"ASYNC_NOW": LATER_SAME_DAY})
        self.assertEqual(len(self.sink.messages), 2)
        self.assertNotIn("reminded", r.err)
        # Something new the same day: only that is sent.
        other = self.new_doc("Second doc", reviewers="carol")
        self.a_ok("remind", "--mail", env={"ASYNC_NOW": LATER_SAME_DAY})
        self.assertEqual(len(self.sink.messages), 3)
        msg = email.message_from_bytes(self.sink.messages[2][2], policy=email.policy.default)
        self.assertEqual(msg["Subject"], "Reminder: 1 thing you owe (2026-11-26)")
        self.assertIn(f"async doc reply {other}", msg.get_content())
        self.assertNotIn("Weekly sync", msg.get_content())
        # The next day everything still owed is sent again, the check-in now included.
        self.a_ok("remind", "--mail", env={"ASYNC_NOW": FRIDAY_EVENING})
        self.assertEqual(len(self.sink.messages), 6)  # alice, bob (check-in only), carol

    def test_dry_run_sends_and_records_nothing(self):
        self.team()
        r = self.a_ok("remind", "--dry-run")
        self.assertIn("To: Alice Example <alice@example.com>", r.out)
        self.assertIn("Subject: Reminder: 3 things you owe", r.out)
        self.assertNotIn("\r", r.out)
        self.assertEqual(self.sink.messages, [])
        self.assertFalse((self.ws / ".async" / "local" / "reminded.toml").exists())
        got = json.loads(self.a_ok("--json", "remind", "--dry-run").out)
        status = {d["handle"]: d["status"] for d in got["deliveries"]}
        self.assertEqual(status, {"alice": "would-send", "bob": "nothing-new", "carol": "would-send"})

    def test_sendmail_failure_is_exit_4_and_not_recorded(self):
        self.team()
        config = self.ws / ".async" / "config.toml"
        config.write_text(config.read_text().replace(str(self.msmtprc), str(self.msmtprc) + "-missing"))
        r = self.a("remind", "--mail")
        self.assertEqual(r.code, 4, r)
        self.assertIn("async: error: cannot send the reminder for alice", r.err)
        self.assertIn("hint:", r.err)
        self.assertFalse((self.ws / ".async" / "local" / "reminded.toml").exists())
        # A program that does not exist is the same environment error.
        config.write_text(config.read_text().replace('sendmail = ["msmtp"', 'sendmail = ["/nonexistent/sendmail"'))
        r = self.a("remind", "--mail")
        self.assertEqual(r.code, 4, r)
        self.assertIn("cannot run '/nonexistent/sendmail'", r.err)
        # What sendmail prints never reaches standard output (the answer); it is in the error.
        config.write_text(config.read_text().replace(
            '"/nonexistent/sendmail"', '"sh", "-c", "cat >/dev/null; echo queue full; exit 75", "sendmail"', 1))
        r = self.a("remind", "--mail")
        self.assertEqual((r.code, r.out), (4, ""), r)
        self.assertIn("'sh' failed with exit status 75: queue full", r.err)
        config.write_text(config.read_text().replace(
            '"sh", "-c", "cat >/dev/null; echo queue full; exit 75", "sendmail"', '"/nonexistent/sendmail"', 1))
        # Once the MTA works again, everything goes out.
        config.write_text(config.read_text().replace('"/nonexistent/sendmail"', '"msmtp"')
                          .replace(str(self.msmtprc) + "-missing", str(self.msmtprc)))
        self.a_ok("remind", "--mail")
        self.assertEqual(len(self.sink.messages), 2)

    def test_mail_from_required(self):
        self.team()
        config = self.ws / ".async" / "config.toml"
        config.write_text(config.read_text().replace('from = "async@example.org"\n', ""))
        r = self.a("remind", "--mail")
        self.assertEqual(r.code, 2, r)
        self.assertIn("[mail] from is not set", r.err)
        self.assertIn("hint: async config set mail.from", r.err)

    def test_hostile_addresses_and_titles(self):
        self.set_person("dave", "-oQ/tmp/evil@example.com", name="Dave")
        self.set_person("erin", "erin@example.com\nBcc: eve@example.com")
        self.set_person("frank", "frank@example.com", name="Frank \"The Tank\" <root@evil>\r\nBcc: eve@example.com")
        self.write_doc("2026-11-26-evil", "Hi\r\nBcc: eve@example.com\r\n\r\nInjected body",
                       ["dave", "erin", "frank"], doc_id="evil0001")
        self.write_doc("2026-11-26-huge", "X" * 5000, ["frank"], doc_id="huge0001")
        r = self.a("remind", "--mail")
        self.assertEqual(r.code, 3, r)
        self.assertIn("refusing the address '-oQ/tmp/evil@example.com' of 'dave': it starts with '-'", r.err)
        self.assertIn("of 'erin': it contains a control character", r.err)
        self.assertEqual(len(self.sink.messages), 1)  # frank's still went out
        mail_from, rcpts, content = self.sink.messages[0]
        self.assertEqual(rcpts, ["frank@example.com"])
        msg = email.message_from_bytes(content, policy=email.policy.default)
        self.assertIsNone(msg["Bcc"])
        self.assertEqual(msg["To"].addresses[0].addr_spec, "frank@example.com")
        body = msg.get_content()
        self.assertIn('Feedback on "Hi Bcc: eve@example.com Injected body"', body)
        self.assertTrue(all(len(line) <= 998 for line in content.split(b"\r\n")))
        self.assertIn("X" * 199 + "…", body)
        self.assertNotIn("X" * 201, body)
        self.assertFalse(any(b"eve@example.com" in rcpt.encode() for _, rs, _ in self.sink.messages for rcpt in rs))


if __name__ == "__main__":
    harness.main()
