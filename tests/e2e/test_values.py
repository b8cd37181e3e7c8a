"""Bad values a command accepted and something later choked on (issue 18, item 3): config set
refuses what a known key cannot hold; people outside the team and past deadlines are warned
about (the write still happens); an impossible due: date is a check error and an indexing
warning naming path:line, never a failure of another command."""
import json
import tomllib

import harness


class ConfigValues(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()
        self.config = self.ws / ".async" / "config.toml"

    def refused(self, key, value, *allowed):
        before = self.config.read_bytes()
        r = self.a("config", "set", key, value)
        self.assertEqual((r.code, r.out), (2, ""), r)
        shown = value.replace("\n", " ")  # one line on the terminal
        self.assertTrue(r.err.startswith(f"async: error: invalid value '{shown}' for {key}"), r)
        for word in allowed:
            self.assertIn(word, r.err)
        self.assertEqual(self.config.read_bytes(), before)

    def test_checkin_day(self):
        self.refused("checkin.day", "daily", "monday", "sunday", "mon..sun")
        self.refused("checkin.day", "fri day")
        self.refused("checkin.day", "7")
        for good in ("wednesday", "Thu", " MON "):
            r = self.a("config", "set", "checkin.day", good)
            self.assertEqual((r.code, r.err), (0, ""), r)
        self.assertEqual(tomllib.loads(self.config.read_text())["checkin"]["day"], " MON ")

    def test_addresses_and_workspace_id(self):
        self.refused("people.bob.email", "bob at example.com", "name@example.com")
        self.refused("people.bob.email", "bob@example.com\nBcc: eve@example.com")
        self.refused("mail.from", "nobody")
        self.refused("workspace.id", "Not An Id!", "0-9, a-z")
        self.refused("user.handle", "!!!", "letters, digits")
        self.assertEqual(self.a("config", "set", "people.bob.email", "bob@example.com").code, 0)
        self.assertEqual(self.a("config", "set", "mail.from", "async@example.com").code, 0)
        # Keys async does not read take anything, as before.
        self.assertEqual(self.a("config", "set", "people.bob.nickname", "b at b").code, 0)


class Warnings(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()
        for who in ("alice", "bob", "carol"):
            self.assertEqual(self.a("config", "set", f"people.{who}.name", who.title()).code, 0)

    def test_reviewers_outside_the_team(self):
        r = self.a("doc", "new", "Plan", "--reviewers", "bob,dave,@Erin", "-m", "x")
        self.assertEqual(r.code, 0, r)
        self.assertIn("async: warning: unknown person 'dave' in --reviewers (no [people.dave] in "
                      ".async/config.toml)\n", r.err)
        self.assertIn("unknown person 'erin' in --reviewers", r.err)
        self.assertNotIn("'bob'", r.err)
        fm, _ = self.front_matter(self.written(r))
        self.assertEqual(fm["reviewers"], ["bob", "dave", "erin"])  # written anyway

    def test_participants_outside_the_team(self):
        r = self.a("meeting", "open", "Sync", "--with", "carol,dave", "-m", "## Item\n")
        self.assertEqual(r.code, 0, r)
        self.assertIn("async: warning: unknown person 'dave' in --with", r.err)
        self.assertNotIn("carol", r.err)
        self.assertEqual(self.front_matter(self.written(r))[0]["participants"], ["carol", "dave"])

    def test_team_members_and_no_team_are_quiet(self):
        r = self.a("doc", "new", "Plan", "--reviewers", "bob,carol", "-m", "x")
        self.assertEqual((r.code, r.err), (0, ""), r)
        self.ws = self.tmp / "other"
        self.init_ws()  # nobody listed yet: nobody to miss
        r = self.a("doc", "new", "Plan", "--reviewers", "dave", "-m", "x")
        self.assertEqual((r.code, r.err), (0, ""), r)

    def test_a_due_date_in_the_past(self):
        r = self.a("doc", "new", "Plan", "--due", "2020-01-01", "-m", "x")
        self.assertEqual(r.code, 0, r)
        self.assertIn("async: warning: due Wed 2020-01-01 17:00 is in the past", r.err)
        self.assertEqual(self.front_matter(self.written(r))[0]["due"].isoformat(), "2020-01-01T17:00:00+00:00")
        r = self.a("meeting", "open", "Sync", "--with", "bob", "--due", "yesterday", "-m", "## Item\n")
        self.assertEqual(r.code, 0, r)
        self.assertIn("async: warning: responses due Wed 2026-11-25 17:00 is in the past", r.err)
        # The boundary: due at this very minute is not past yet (NOW is 10:15 UTC).
        r = self.a("inbox", "add", "call back", "--due", "2026-11-26T10:15")
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("warning", r.err)
        r = self.a("inbox", "add", "call back", "--due", "2026-11-26T10:14")
        self.assertIn("is in the past", r.err)
        r = self.a("doc", "new", "Later", "--due", "fri", "-m", "x")
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("warning", r.err)


class ImpossibleDue(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()

    def test_a_warning_naming_the_line_and_no_failure(self):
        r = self.a("doc", "new", "Plan", "-m", "Intro.\n\n- [ ] @alice call due:0000-01-01\n- [ ] fine due:2026-12-01\n")
        self.assertEqual(r.code, 0, r)
        path = self.written(r)
        line = path.read_text().split("\n").index("- [ ] @alice call due:0000-01-01") + 1
        rel = path.relative_to(self.ws)
        warning = f"async: warning: {rel}:{line}: impossible due date 'due:0000-01-01' in an action\n"
        self.assertIn(warning, r.err)  # the write-through indexed it
        for args in (("inbox",), ("actions",), ("agenda",), ("calendar",), ("remind",), ("inbox", "--json"),
                     ("actions", "--overdue")):
            r = self.a(*args)
            self.assertEqual(r.code, 0, (args, r))
            self.assertNotIn("warning", r.err)  # said when the file was read, not every time
        actions = json.loads(self.a("actions", "--json").out)["actions"]
        self.assertEqual(sorted((a["text"], a["due"]) for a in actions),
                         [("call due:0000-01-01", None), ("fine", "2026-12-01")])
        r = self.a("index", "--full")
        self.assertEqual(r.code, 0, r)
        self.assertIn(warning, r.err)
        r = self.a("check")
        self.assertEqual(r.code, 1, r)
        self.assertIn(f"{rel}:{line}:", r.out)
        self.assertIn("error: impossible due date 'due:0000-01-01' in an action", r.out)


if __name__ == "__main__":
    harness.main()
