"""async event new|move (issue 23 item 2): live events in agenda, calendar and inbox.

The .ics is read by an independent parser (python3-icalendar) and imported by a real calendar
client (khal) into a private configuration. Times are typed in Europe/Berlin on both sides of
its DST changes (2026-03-29 and 2026-10-25), and must come out in UTC.
"""
import json
import shutil
import socket
import sys
import tomllib
import unittest
from datetime import datetime, timedelta, timezone

import harness

try:
    import icalendar
    from aiosmtpd.controller import Controller
except ImportError:  # a python3 outside Debian's: use the Debian packages' pure-Python modules
    sys.path.append("/usr/lib/python3/dist-packages")
    import icalendar
    from aiosmtpd.controller import Controller

from test_calendar import Sink, free_port

BERLIN = {"TZ": "Europe/Berlin"}
THURSDAY = "2026-03-26T10:00:00Z"  # before the spring change (CET, UTC+1)


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


class EventCase(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()
        self.a("config", "set", "people.alice.email", "alice@example.com")
        self.a("config", "set", "people.bob.email", "bob@example.com")
        self.a("config", "set", "people.carol.name", "Carol")
        self.env.update(BERLIN)
        self.env["ASYNC_NOW"] = THURSDAY

    @property
    def wsid(self):
        return tomllib.loads((self.ws / ".async" / "config.toml").read_text())["workspace"]["id"]

    def new_event(self, title, at, length="1h", with_="bob,carol", where=None, user="alice", **kw):
        args = ["event", "new", title, "--at", at, "--for", length, "-m", "Agenda: plans."]
        if with_:
            args += ["--with", with_]
        if where:
            args += ["--where", where]
        r = self.a(*args, user=user, **kw)
        self.assertEqual(r.code, 0, r)
        return r.out.split()[0], self.written(r)

    def events(self, **kw):
        r = self.a("calendar", **kw)
        self.assertEqual(r.code, 0, r)
        cal = icalendar.Calendar.from_ical(r.out)
        return {str(e["UID"]): e for e in cal.walk("VEVENT") if str(e["UID"]).startswith("event-")}


class NewEvent(EventCase):
    def test_writes_an_event_document_in_utc(self):
        r = self.a("event", "new", "Planning", "--at", "fri 10:00", "--for", "1h30m", "--with", "bob,@Carol",
                   "--where", "Room 2", "-m", "## Agenda\n\n- the roadmap\n\n- [ ] @bob book the room\n")
        self.assertEqual(r.code, 0, r)
        self.assertIn("starts Fri 2026-03-27 10:00, ends Fri 2026-03-27 11:30", r.err)
        path = self.written(r)
        self.assertEqual(path.relative_to(self.ws).parts[0], "meetings")
        meta, body = self.front_matter(path)
        self.assertEqual(meta["type"], "event")
        self.assertEqual(meta["start"], utc(2026, 3, 27, 9, 0))
        self.assertEqual(meta["end"], utc(2026, 3, 27, 10, 30))
        self.assertEqual(meta["participants"], ["bob", "carol"])
        self.assertEqual(meta["where"], "Room 2")
        self.assertEqual(meta["sequence"], 0)
        self.assertEqual(meta["author"], "alice")
        # Its actions count like any document's; check finds nothing wrong with it.
        acts = json.loads(self.a("--json", "actions", "--owner", "bob").out)
        self.assertEqual([a["text"] for a in acts["actions"]], ["book the room"])
        self.assertEqual(self.a("check").code, 0)
        listed = json.loads(self.a("--json", "list", "--type", "event").out)
        self.assertEqual([d["title"] for d in listed["documents"]], ["Planning"])

    def test_refuses_bad_input_and_writes_nothing(self):
        cases = [
            (["--at", "fri 10:00", "--for", "1d"], "invalid duration '1d'"),
            (["--at", "fri 10:00", "--for", "0m"], "invalid duration '0m'"),
            (["--at", "fri 10:00", "--for", "9999h"], "invalid duration"),
            (["--at", "fri 25:00", "--for", "1h"], "invalid date 'fri 25:00'"),
            (["--at", "someday", "--for", "1h"], "invalid date 'someday'"),
            (["--for", "1h"], "--at is required"),
            (["--at", "fri 10:00"], "--for is required"),
            (["--at", "fri 10:00", "--for", "1h", "--with", "a/b"], "handle"),
            (["--at", "fri 10:00", "--for", "1h", "--where", "x\x1b[31m"], "--where"),
            (["--at", "fri 10:00", "--for", "1h", "--where", "x" * 201], "--where"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                r = self.a("event", "new", "Planning", *args, "-m", "x")
                self.assertEqual(r.code, 2, r)
                self.assertIn(message, r.err)
                self.assertEqual(r.out, "")
        r = self.a("event", "new", "  ", "--at", "fri 10:00", "--for", "1h", "-m", "x")
        self.assertEqual(r.code, 2, r)
        self.assertFalse((self.ws / "meetings").exists() and any((self.ws / "meetings").iterdir()))

    def test_huge_and_hostile_title(self):
        r = self.a("event", "new", "x" * 600, "--at", "fri 10:00", "--for", "1h", "-m", "x")
        self.assertEqual(r.code, 2, r)
        _, path = self.new_event("Evil \x1b]0;pwned\x07 title; with, commas", "fri 10:00")
        ev = next(iter(self.events().values()))
        self.assertNotIn("\x1b", str(ev["SUMMARY"]))
        self.assertIn("with, commas", str(ev["SUMMARY"]))
        agenda = self.a("agenda", env={"ASYNC_USER": "bob"})
        self.assertNotIn("\x1b]", agenda.out)


class CalendarExport(EventCase):
    def test_utc_times_across_dst_changes_uid_and_attendees(self):
        before, _ = self.new_event("Spring before", "2026-03-27 10:00")      # CET
        after, _ = self.new_event("Spring after", "2026-03-30 10:00", "45m")  # CEST
        autumn1, _ = self.new_event("Autumn before", "2026-10-23 10:00")     # CEST
        autumn2, _ = self.new_event("Autumn after", "2026-10-26T10:00", "2h", where="Room; 2")  # CET
        events = self.events()
        want = {
            before: (utc(2026, 3, 27, 9), utc(2026, 3, 27, 10)),
            after: (utc(2026, 3, 30, 8), utc(2026, 3, 30, 8, 45)),
            autumn1: (utc(2026, 10, 23, 8), utc(2026, 10, 23, 9)),
            autumn2: (utc(2026, 10, 26, 9), utc(2026, 10, 26, 11)),
        }
        self.assertEqual(len(events), 4)
        for doc_id, (start, end) in want.items():
            ev = events[f"event-{doc_id}@{self.wsid}.async"]
            self.assertEqual(ev.decoded("DTSTART"), start)
            self.assertEqual(ev.decoded("DTEND"), end)
            self.assertEqual(ev.decoded("DTSTART").utcoffset(), timedelta(0))
            self.assertEqual(int(ev["SEQUENCE"]), 0)
            attendees = sorted(str(a) for a in ev.get("ATTENDEE"))
            self.assertEqual(attendees, ["mailto:alice@example.com", "mailto:bob@example.com",
                                         "mailto:carol@async.invalid"])
            self.assertEqual(str(ev["ORGANIZER"]), "mailto:alice@example.com")
        self.assertEqual(str(events[f"event-{autumn2}@{self.wsid}.async"]["LOCATION"]), "Room; 2")
        raw = self.a("calendar").out
        self.assertIn("\nDTSTART:20260330T080000Z\n", raw)  # in UTC, no TZID
        self.assertIn("\nDTEND:20260330T084500Z\n", raw)
        # Another teammate in another zone exports the same events, byte for byte but DTSTAMP.
        mine = self.a("calendar").out
        theirs = self.a("calendar", user="carol", env={"TZ": "America/New_York"}).out
        strip = lambda text: [l for l in text.splitlines() if not l.startswith("DTSTAMP")]
        self.assertEqual(strip(mine), strip(theirs))
        # --mine: only the events I attend.
        self.new_event("Not mine", "fri 15:00", with_="bob", user="dave")
        self.assertEqual(len(self.events(env={"ASYNC_USER": "carol"}, )), 5)
        r = self.a("calendar", "--mine", user="carol")
        mine_only = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(r.out).walk("VEVENT")
                     if str(e["UID"]).startswith("event-")]
        self.assertNotIn("Not mine", mine_only)
        self.assertEqual(len(mine_only), 4)

    def test_move_keeps_the_uid_and_bumps_sequence(self):
        doc_id, path = self.new_event("Planning", "2026-03-27 10:00")
        uid = f"event-{doc_id}@{self.wsid}.async"
        self.assertEqual(int(self.events()[uid]["SEQUENCE"]), 0)
        r = self.a("event", "move", doc_id, "--at", "2026-03-30 10:00")
        self.assertEqual(r.code, 0, r)
        self.assertIn("(sequence 1)", r.err)
        ev = self.events()[uid]
        self.assertEqual(int(ev["SEQUENCE"]), 1)
        self.assertEqual(ev.decoded("DTSTART"), utc(2026, 3, 30, 8))  # now CEST
        self.assertEqual(ev.decoded("DTEND"), utc(2026, 3, 30, 9))    # the length kept
        r = self.a("event", "move", doc_id[:5], "--at", "2026-03-30 10:00", "--for", "30m")
        self.assertEqual(r.code, 0, r)
        ev = self.events()[uid]
        self.assertEqual((int(ev["SEQUENCE"]), ev.decoded("DTEND")), (2, utc(2026, 3, 30, 8, 30)))
        # The same time again changes nothing.
        text = path.read_text()
        r = self.a("event", "move", doc_id, "--at", "2026-03-30 10:00", "--for", "30m")
        self.assertEqual(r.code, 0, r)
        self.assertIn("already starts", r.err)
        self.assertEqual(path.read_text(), text)
        # Only the author moves it; a meeting is not an event.
        r = self.a("event", "move", doc_id, "--at", "sat 10:00", user="bob")
        self.assertEqual(r.code, 2, r)
        self.assertIn("only its author writes to it", r.err)
        self.assertEqual(path.read_text(), text)
        meeting = self.a("meeting", "open", "Sync", "--with", "bob", "-m", "## Item\n").out.split()[0]
        r = self.a("event", "move", meeting, "--at", "sat 10:00")
        self.assertEqual(r.code, 2, r)
        self.assertIn("not an event", r.err)
        r = self.a("event", "move", doc_id, "--at", "sat 10:00", "--for", "1x")
        self.assertEqual(r.code, 2, r)
        self.assertEqual(path.read_text(), text)

    def test_an_edit_that_moves_it_raises_sequence(self):
        """async edit (--file, or the editor) that changes start or end raises the sequence once,
        as event move does; a body edit or an edit that raises it itself is kept as written."""
        doc_id, path = self.new_event("Review", "2026-03-27 10:00")
        uid = f"event-{doc_id}@{self.wsid}.async"
        text = path.read_text()
        self.assertRegex(text, r"start = 2026-03-27T09:00:00Z")
        moved = self.tmp / "moved.md"
        moved.write_text(text.replace("start = 2026-03-27T09:00:00Z", "start = 2026-03-27T08:30:00Z"))
        r = self.a("edit", doc_id, "--file", str(moved))
        self.assertEqual(r.code, 0, r)
        meta = tomllib.loads(path.read_text().split("+++\n")[1])
        self.assertEqual(meta["sequence"], 1)
        ev = self.events()[uid]
        self.assertEqual((int(ev["SEQUENCE"]), ev.decoded("DTSTART")), (1, utc(2026, 3, 27, 8, 30)))
        # In the editor: the end moves.
        editor = self.tmp / "move-end.sh"
        editor.write_text("#!/bin/sh\nsed -i 's/^end = 2026-03-27T10:00:00Z/end = 2026-03-27T11:00:00Z/' \"$1\"\n")
        editor.chmod(0o755)
        r = self.a("edit", doc_id, env={"EDITOR": str(editor), "VISUAL": None})
        self.assertEqual(r.code, 0, r)
        meta = tomllib.loads(path.read_text().split("+++\n")[1])
        self.assertEqual((meta["sequence"], meta["end"].hour), (2, 11))
        # Only the body: the sequence stays.
        r = self.a("edit", doc_id, "-m", "Agenda: other plans.")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(tomllib.loads(path.read_text().split("+++\n")[1])["sequence"], 2)
        # A move that raises the sequence itself keeps the author's number.
        own = path.read_text().replace("start = 2026-03-27T08:30:00Z", "start = 2026-03-27T08:00:00Z")
        own = own.replace("sequence = 2", "sequence = 7")
        moved.write_text(own)
        self.assertEqual(self.a("edit", doc_id, "--file", str(moved)).code, 0)
        self.assertEqual(int(self.events()[uid]["SEQUENCE"]), 7)

    def test_khal_imports_and_updates(self):
        doc_id, _ = self.new_event("Planning", "2026-03-27 10:00", where="Room 2")
        later, _ = self.new_event("Retro", "2026-10-26 10:00", "30m")
        khal_run, vdir = self.khal()

        first = self.tmp / "first.ics"
        self.assertEqual(self.a("calendar", "-o", str(first)).code, 0)
        khal_run("import", "--batch", "-a", "team", str(first))
        listed = khal_run("list", "--format", "{start}-{end} {title}", "2026-03-20", "2026-11-01")
        self.assertIn("2026-03-27 09:00-2026-03-27 10:00 Planning", listed)
        self.assertIn("2026-10-26 09:00-2026-10-26 09:30 Retro", listed)
        count = len(list(vdir.iterdir()))
        self.assertEqual(self.a("event", "move", doc_id, "--at", "2026-03-30 10:00").code, 0)
        second = self.tmp / "second.ics"
        self.assertEqual(self.a("calendar", "-o", str(second)).code, 0)
        khal_run("import", "--batch", "-a", "team", str(second))
        self.assertEqual(len(list(vdir.iterdir())), count)
        listed = khal_run("list", "--format", "{start}-{end} {title}", "2026-03-20", "2026-04-05")
        self.assertIn("2026-03-30 08:00-2026-03-30 09:00 Planning", listed)
        self.assertNotIn("2026-03-27 09:00", listed)


class AgendaAndInbox(EventCase):
    def test_agenda_shows_events_never_overdue(self):
        doc_id, _ = self.new_event("Planning", "fri 10:00", "1h30m", where="Room 2")
        r = self.a("agenda", user="dave")  # the whole team's, like document deadlines
        self.assertEqual(r.code, 0, r)
        self.assertIn("10:00–11:30", r.out)
        self.assertIn("Planning", r.out)
        self.assertIn("Room 2", r.out)
        data = json.loads(self.a("--json", "agenda").out)
        [ev] = [d for day in data["days"] for d in day["deadlines"] if d["kind"] == "event"]
        self.assertEqual((ev["id"], ev["due"], ev["end"], ev["where"], ev["sequence"]),
                         (doc_id, "2026-03-27T09:00:00Z", "2026-03-27T10:30:00Z", "Room 2", 0))
        self.assertEqual(ev["owed_by"], [])
        # After it ended it is not overdue: it is simply past.
        data = json.loads(self.a("--json", "agenda", env={"ASYNC_NOW": "2026-03-27T12:00:00Z"}).out)
        self.assertEqual([d for d in data["overdue"] if d["kind"] == "event"], [])

    def test_inbox_of_participants_on_the_day(self):
        self.new_event("Planning", "fri 10:00", where="Room 2")
        self.new_event("Retro", "sat 10:00")

        def events_in(user, now):
            r = self.a("--json", "inbox", user=user, env={"ASYNC_NOW": now})
            self.assertEqual(r.code, 0, r)
            return [i for i in json.loads(r.out)["items"] if i["kind"] == "event"]

        self.assertEqual(events_in("bob", THURSDAY), [])  # not yet: the day before
        friday_morning = "2026-03-27T06:00:00Z"
        [item] = events_in("bob", friday_morning)
        self.assertIn("today 10:00–11:00 Planning (Room 2)", item["title"])
        self.assertFalse(item.get("overdue", False))
        self.assertEqual(len(events_in("alice", friday_morning)), 1)  # the organiser too
        self.assertEqual(events_in("dave", friday_morning), [])       # not invited
        # Still there after it ended that day, never overdue; gone the next day.
        [late] = events_in("bob", "2026-03-27T20:00:00Z")
        self.assertFalse(late.get("overdue", False))
        self.assertEqual([i["title"] for i in events_in("bob", "2026-03-28T06:00:00Z")],
                         ["today 10:00–11:00 Retro"])
        # Done for the day with inbox done, like any item.
        r = self.a("inbox", "done", item["handle"], user="bob", env={"ASYNC_NOW": friday_morning})
        self.assertEqual(r.code, 0, r)
        self.assertEqual(events_in("bob", friday_morning), [])
        # remind mails nothing for an event: nobody owes it.
        r = self.a("--json", "remind", user="bob", env={"ASYNC_NOW": friday_morning})
        self.assertNotIn("Planning", r.out)


class TimeZones(harness.AsyncTestCase):
    """people.<h>.tz: remind --mail run every hour mails each person at 09:00 their time, once
    per their day, through msmtp into an SMTP sink on 127.0.0.1."""

    ZONES = {"alice": "Europe/Berlin", "bob": "America/New_York", "carol": "Asia/Tokyo", "dave": "Mars/Olympus"}

    def setUp(self):
        super().setUp()
        self.assertIsNotNone(shutil.which("msmtp"), "msmtp is not installed (scripts/install-deps.sh)")
        self.sink = Sink()
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=free_port())
        self.controller.start()
        self.addCleanup(self.controller.stop)
        msmtprc = self.tmp / "msmtprc"
        msmtprc.write_text(f"defaults\nauth off\ntls off\n\naccount default\nhost 127.0.0.1\n"
                           f"port {self.controller.port}\nfrom async@example.org\n")
        msmtprc.chmod(0o600)
        self.init_ws()
        config = self.ws / ".async" / "config.toml"
        text = config.read_text(encoding="utf-8")
        for who, tz in self.ZONES.items():
            text += f'\n[people.{who}]\nemail = "{who}@example.com"\ntz = "{tz}"\n'
        text += '\n[mail]\nfrom = "async@example.org"\n'
        config.write_text(text, encoding="utf-8")
        user = self.home / ".config" / "async" / "config.toml"
        user.parent.mkdir(parents=True, exist_ok=True)
        user.write_text(f"[mail]\nsendmail = {json.dumps(['msmtp', '-C', str(msmtprc)])}\n")
        # Something everyone owes: a review, due far ahead.
        r = self.a("doc", "new", "Pricing", "--reviewers", "alice,bob,carol,dave", "--due", "2026-12-20",
                   "-m", "Text.", user="erin")
        self.assertEqual(r.code, 0, r)

    def recipients(self):
        out = []
        for _from, rcpts, _content in self.sink.messages:
            out += rcpts
        return out

    def test_hourly_cron_mails_each_person_at_nine_their_time(self):
        # Two days of an hourly cron line, from 02:00 UTC: night in New York, Berlin and UTC,
        # 11:00 in Tokyo (a missed morning there is made up at once). It stops before Friday's
        # check-in is owed, which would be a new item.
        sent_at = {}
        start = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)
        for hour in range(0, 46):
            now = (start + timedelta(hours=hour)).strftime("%Y-%m-%dT%H:%M:%SZ")
            before = len(self.sink.messages)
            r = self.a("remind", "--mail", env={"ASYNC_NOW": now})
            self.assertEqual(r.code, 0, r)
            self.assertEqual(r.out, "")  # quiet in cron
            for who in self.recipients()[before:]:
                sent_at.setdefault(who, []).append(now)
        self.assertEqual(sent_at, {
            "carol@example.com": ["2026-11-25T02:00:00Z",    # 11:00 in Tokyo: made up
                                  "2026-11-26T00:00:00Z"],   # 09:00 JST
            "alice@example.com": ["2026-11-25T08:00:00Z", "2026-11-26T08:00:00Z"],  # 09:00 CET
            "dave@example.com": ["2026-11-25T09:00:00Z", "2026-11-26T09:00:00Z"],   # an unknown zone: UTC here
            "bob@example.com": ["2026-11-25T14:00:00Z", "2026-11-26T14:00:00Z"],    # 09:00 EST
        })
        # The record holds each person's own local day.
        record = tomllib.loads((self.ws / ".async" / "local" / "reminded.toml").read_text())
        self.assertEqual(sorted((e["person"], e["date"]) for e in record["sent"]),
                         [("alice", "2026-11-25"), ("alice", "2026-11-26"), ("bob", "2026-11-25"),
                          ("bob", "2026-11-26"), ("carol", "2026-11-25"), ("carol", "2026-11-26"),
                          ("dave", "2026-11-25"), ("dave", "2026-11-26")])

    def test_remind_hour_and_never_at_night(self):
        self.assertEqual(self.a("config", "set", "remind.hour", "14").code, 0)
        # 13:00 in Berlin, 07:00 in New York, 21:00 in Tokyo (night), 12:00 UTC: nobody yet;
        # --dry-run says so and nothing is recorded.
        r = self.a("--json", "remind", "--dry-run", env={"ASYNC_NOW": "2026-11-26T12:00:00Z"})
        self.assertEqual(r.code, 0, r)
        status = {d["handle"]: d["status"] for d in json.loads(r.out)["deliveries"]}
        self.assertEqual(status, {"alice": "later", "bob": "later", "carol": "later", "dave": "later"})
        self.assertFalse((self.ws / ".async" / "local" / "reminded.toml").exists())
        # 20:30 UTC: 21:30 in Berlin is night (alice's missed day stays missed), 15:30 in New
        # York and 20:30 UTC are past 14:00 (a missed hourly run is made up), 05:30 in Tokyo not.
        r = self.a("remind", "--mail", env={"ASYNC_NOW": "2026-11-26T20:30:00Z"})
        self.assertEqual(r.code, 0, r)
        self.assertEqual(sorted(self.recipients()), ["bob@example.com", "dave@example.com"])
        r = self.a("remind", "--mail", env={"ASYNC_NOW": "2026-11-27T05:00:00Z"})  # 14:00 in Tokyo
        self.assertEqual(r.code, 0, r)
        self.assertEqual(sorted(self.recipients()), ["bob@example.com", "carol@example.com", "dave@example.com"])

    def test_meeting_status_shows_their_local_deadline(self):
        r = self.a("meeting", "open", "Sync", "--with", "bob,carol,dave", "--due", "2026-11-27 17:00",
                   "-m", "## Item\n")
        self.assertEqual(r.code, 0, r)
        r = self.a("meeting", "status", r.out.split()[0], "--wide")
        self.assertEqual(r.code, 1, r)  # nobody has responded
        lines = {line.split()[0]: line for line in r.out.splitlines()[1:] if line.strip()}
        self.assertIn("Fri 17:00 — 02:00 Sat for carol", lines["carol"])
        self.assertIn("Fri 17:00 — 12:00 Fri for bob", lines["bob"])
        self.assertNotIn("for dave", lines["dave"])  # an unknown zone is ignored

    def test_checkin_digest_shows_their_local_deadline(self):
        r = self.a("checkin", "digest")  # Thursday: nobody has checked in; due Fri 17:00 (UTC here)
        self.assertEqual(r.code, 0, r)
        missing = next(line for line in r.out.splitlines() if line.startswith("Missing: "))
        self.assertIn("carol (due Fri 17:00 — 02:00 Sat for carol)", missing)
        self.assertIn("bob (due Fri 17:00 — 12:00 Fri for bob)", missing)
        self.assertNotIn("for dave", missing)  # an unknown zone is ignored

    def test_check_warns_about_an_unknown_zone(self):
        r = self.a("check")
        self.assertIn("unknown time zone 'Mars/Olympus' for people.dave.tz", r.err + r.out)
        self.assertNotIn("people.alice.tz", r.err + r.out)
        self.assertNotIn("people.carol.tz", r.err + r.out)


class Onboarding(harness.AsyncTestCase):
    """async onboard (issue 23 item 5): a path of 5 steps over 30 days, walked with ASYNC_NOW."""

    def setUp(self):
        super().setUp()
        self.init_ws()
        self.env["ASYNC_NOW"] = "2026-11-30T09:00:00Z"
        self.steps = {}
        for title in ("Setup", "Code review", "Deploys", "On call", "Retro"):
            r = self.a("doc", "new", title, "--template", "sop", "-m", f"How we do {title}.", user="bob")
            self.assertEqual(r.code, 0, r)
            self.steps[title] = (r.out.split()[0], self.written(r))
        deploys = self.steps["Deploys"][1].parent.name
        body = ("Welcome!\n\n"
                "- day 1: [[Setup]]\n"
                f"- day 3: read #{self.steps['Code review'][0]}\n"
                f"- Day 7: [how we deploy](../{deploys}/index.md)\n"
                f"- day 14: [[{self.steps['On call'][0]}]]\n"
                "- day 30: [[Retro]], then tell us\n\n"
                "```\n- day 2: [[Setup]]\n```\n"
                "- a list item that is no step: [[Setup]]\n")
        r = self.a("doc", "new", "Welcome", "--template", "onboarding", "-m", body)
        self.assertEqual(r.code, 0, r)
        self.path_id = r.out.split()[0]

    def onboarding_items(self, now, user="dave"):
        r = self.a("--json", "inbox", user=user, env={"ASYNC_NOW": now})
        self.assertEqual(r.code, 0, r)
        return [i for i in json.loads(r.out)["items"] if i["kind"] == "onboarding"]

    def status(self, now):
        r = self.a("--json", "onboard", "status", "dave", env={"ASYNC_NOW": now})
        self.assertEqual(r.code, 0, r)
        [path] = json.loads(r.out)["paths"]
        return [(s["day"], s["date"], s["state"]) for s in path["steps"]]

    def test_a_path_of_five_steps_over_thirty_days(self):
        r = self.a("onboard", "dave", "--path", self.path_id, "--start", "2026-12-01")
        self.assertEqual(r.code, 0, r)
        self.assertIn("5 steps over 30 days", r.err)
        record = self.ws / "people" / "dave" / f"onboarding-{self.path_id}.toml"
        self.assertEqual(tomllib.loads(record.read_text())["start"], "2026-12-01")
        self.assertEqual(self.onboarding_items("2026-11-30T12:00:00Z"), [])  # not started yet
        seen = {}
        for day in range(1, 32):
            now = f"2026-12-{day:02d}T12:00:00Z" if day <= 31 else None
            items = self.onboarding_items(now)
            for item in items:
                seen.setdefault(item["id"], now[:10])
            if day == 1:
                [first] = items
                self.assertIn("Day 1 of onboarding: Setup — what was missing?", first["title"])
                self.assertFalse(first.get("overdue", False))
                # Finishing a step by replying to its document.
                r = self.a("doc", "reply", first["id"], "-m", "The VPN part was missing.", user="dave",
                           env={"ASYNC_NOW": now})
                self.assertEqual(r.code, 0, r)
                self.assertEqual(self.onboarding_items(now), [])
            if day == 3:
                [third] = items
                # ... or with inbox done.
                r = self.a("inbox", "done", third["handle"], user="dave", env={"ASYNC_NOW": now})
                self.assertEqual(r.code, 0, r)
                self.assertEqual(self.onboarding_items(now), [])
        ids = {title: doc_id for title, (doc_id, _) in self.steps.items()}
        self.assertEqual(seen, {ids["Setup"]: "2026-12-01", ids["Code review"]: "2026-12-03",
                                ids["Deploys"]: "2026-12-07", ids["On call"]: "2026-12-14",
                                ids["Retro"]: "2026-12-30"})
        self.assertEqual(self.status("2026-12-10T12:00:00Z"),
                         [(1, "2026-12-01", "replied"), (3, "2026-12-03", "done"), (7, "2026-12-07", "open"),
                          (14, "2026-12-14", "upcoming"), (30, "2026-12-30", "upcoming")])
        text = self.a("onboard", "status", "dave", env={"ASYNC_NOW": "2026-12-10T12:00:00Z"}).out
        self.assertIn("replied", text)
        self.assertIn("Deploys", text)
        # Nobody else's inbox has the steps.
        self.assertEqual(self.onboarding_items("2026-12-10T12:00:00Z", user="erin"), [])

    def test_refusals_and_a_second_run(self):
        r = self.a("onboard", "dave", "--path", self.steps["Setup"][0])
        self.assertEqual(r.code, 2, r)
        self.assertIn("not an onboarding document", r.err)
        empty = self.a("doc", "new", "Empty", "--template", "onboarding", "-m", "No steps.").out.split()[0]
        r = self.a("onboard", "dave", "--path", empty)
        self.assertEqual(r.code, 2, r)
        self.assertIn("lists no path", r.err)
        for handle in ("a/b", "../x", "x y"):
            r = self.a("onboard", handle, "--path", self.path_id)
            self.assertEqual(r.code, 2, r)
        r = self.a("onboard", "dave", "--path", self.path_id, "--start", "someday")
        self.assertEqual(r.code, 2, r)
        self.assertFalse((self.ws / "people" / "dave").exists())
        self.assertEqual(self.a("onboard", "dave", "--path", self.path_id).code, 0)
        record = self.ws / "people" / "dave" / f"onboarding-{self.path_id}.toml"
        before = record.read_text()
        r = self.a("onboard", "dave", "--path", self.path_id, "--start", "+3d")
        self.assertEqual(r.code, 0, r)
        self.assertIn("already on the path", r.err)
        self.assertEqual(record.read_text(), before)
        r = self.a("onboard", "status", "erin")
        self.assertEqual(r.code, 1, r)
        # A hostile record is skipped, never a crash.
        record.write_text("path = [[[\n")
        r = self.a("onboard", "status", "dave")
        self.assertEqual(r.code, 1, r)
        self.assertEqual(self.a("inbox", user="dave").code, 0)


if __name__ == "__main__":
    harness.main()
