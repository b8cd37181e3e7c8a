"""async init --sample: the example team workspace, and colour and width on its read commands."""
import json
import tomllib
import unicodedata
from pathlib import Path

from harness import AsyncTestCase, main

ESC = "\x1b"

# The read commands of the tour, each expected to print something about the sample.
READ_COMMANDS = [
    (("list",), 0, "Pricing page redesign"),
    (("show", "k3f9"), 0, "three tiers, not four"),
    (("search", "pricing"), 0, "Pricing page redesign"),
    (("actions",), 0, "draft the copy for the three tiers"),
    (("decisions",), 0, "upgrade to PostgreSQL 16"),
    (("inbox",), 0, "On-call rotation"),
    (("meeting", "status", "7fq2"), 1, "carol"),
    (("meeting", "status", "q4p1"), 0, "Q4 planning"),
    (("checkin", "status"), 0, "bob"),
    (("checkin", "status", "--week", "last"), 0, "carol"),
    (("checkin", "digest"), 0, "Pick the screenshots"),
    (("checkin", "digest", "--week", "last"), 0, "PostgreSQL 16 upgrade on staging"),
]


def display_width(text):
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


class SampleTestCase(AsyncTestCase):
    def make_sample(self):
        r = self.ok("init", "--sample", str(self.ws))
        self.assertEqual(r.out, "")
        return r

    def run_in(self, *args, **kwargs):
        return self.run_async("-C", str(self.ws), *args, **kwargs)

    def snapshot(self):
        return {p: (self.ws / p).read_bytes() for p in self.files_under(self.ws)
                if not p.startswith(".async/index.db")}


class InitSampleTest(SampleTestCase):
    def test_writes_the_team_and_the_layout(self):
        r = self.make_sample()
        self.assertIn("initialized a workspace", r.err)
        self.assertIn("sample", r.err)
        config = tomllib.loads((self.ws / ".async" / "config.toml").read_text())
        self.assertEqual(set(config["people"]), {"alice", "bob", "carol"})
        for person in config["people"].values():
            self.assertTrue(person["name"])
            self.assertTrue(person["email"].endswith("@example.com"))
        files = self.files_under(self.ws)
        # NOW is Thursday 2026-11-26, in 2026-W48.
        for expected in [
            "docs/2026-11-23-pricing-page-redesign/index.md",
            "docs/2026-11-23-pricing-page-redesign/replies/20261124T093000Z-bob.md",
            "meetings/2026-11-25-launch-sync/index.md",
            "meetings/2026-11-25-launch-sync/responses/bob.md",
            "meetings/2026-11-17-q4-planning/summary.md",
            "meetings/2026-11-17-q4-planning/responses/carol.md",
            "checkins/2026-W47/alice.md", "checkins/2026-W47/bob.md", "checkins/2026-W47/carol.md",
            "checkins/2026-W48/alice.md", "checkins/2026-W48/bob.md",
        ]:
            self.assertIn(expected, files)
        fm, _ = self.front_matter(self.ws / "checkins/2026-W48/bob.md")
        self.assertEqual((fm["type"], fm["week"], fm["author"]), ("checkin", "2026-W48", "bob"))
        fm, body = self.front_matter(self.ws / "docs/2026-11-23-pricing-page-redesign/index.md")
        self.assertEqual(fm["id"], "k3f9q2ma")
        self.assertEqual(fm["reviewers"], ["bob", "carol"])
        self.assertIn("- [ ] @alice pick the screenshots due:2026-11-25", body)
        fm, _ = self.front_matter(self.ws / "meetings/2026-11-17-q4-planning/index.md")
        self.assertEqual(fm["status"], "closed")

    def test_same_now_same_files(self):
        self.make_sample()
        other = self.tmp / "other"
        self.ok("init", "--sample", str(other))
        # The index (built by init --sample) is a cache holding the files' mtimes: not compared.
        first = self.snapshot()
        second = {p: (other / p).read_bytes() for p in self.files_under(other) if not p.startswith(".async/index.db")}
        # Each workspace gets its own id (calendar UIDs must not collide); nothing else differs.
        ids = []
        for files in (first, second):
            config = files.pop(".async/config.toml").decode()
            ids.append(tomllib.loads(config)["workspace"]["id"])
            files["config without its id"] = config.replace(ids[-1], "")
        self.assertNotEqual(ids[0], ids[1])
        self.assertEqual(first, second)

    def test_json(self):
        r = self.ok("--json", "init", "--sample", str(self.ws))
        out = json.loads(r.out)
        self.assertEqual(out["schema"], 1)
        self.assertTrue(out["created"])
        self.assertGreater(out["sample_files"], 20)
        self.assertEqual(out["sample_files"], len([p for p in self.files_under(self.ws)
                                                   if p.split("/")[0] in ("docs", "meetings", "checkins")]))

    def test_check_and_index_check_pass(self):
        self.make_sample()
        r = self.run_in("check")
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("error", r.out + r.err)
        self.assertNotIn("warning", r.out + r.err)
        self.ok("-C", str(self.ws), "list")
        r = self.run_in("index", "--check")
        self.assertEqual(r.code, 0, r)

    def test_every_read_command_shows_something(self):
        self.make_sample()
        for args, code, expected in READ_COMMANDS:
            with self.subTest(args=args):
                r = self.run_in(*args)
                self.assertEqual(r.code, code, r)
                self.assertIn(expected, r.out)
                self.assertNotIn("error", r.err)

    def test_inbox_has_every_kind_alice_owes(self):
        self.make_sample()
        items = json.loads(self.ok("-C", str(self.ws), "--json", "inbox").out)["items"]
        kinds = {i["kind"] for i in items}
        for kind in ("review", "response", "action", "mention"):
            self.assertIn(kind, kinds)
        titles = " ".join(i["title"] for i in items)
        self.assertIn("On-call rotation", titles)
        self.assertIn("Launch sync", titles)
        # bob owes the pricing review and has overdue actions
        r = self.run_in("inbox", env={"ASYNC_USER": "bob"})
        self.assertEqual(r.code, 0, r)
        self.assertIn("Pricing page redesign", r.out)

    def test_actions_open_done_overdue(self):
        self.make_sample()
        actions = json.loads(self.ok("-C", str(self.ws), "--json", "actions").out)["actions"]
        self.assertTrue(actions)
        self.assertFalse(any(a["done"] for a in actions), actions)
        done = json.loads(self.ok("-C", str(self.ws), "--json", "actions", "--done").out)["actions"]
        self.assertTrue(done)
        self.assertTrue(all(a["done"] for a in done), done)
        overdue = self.run_in("actions", "--overdue")
        self.assertEqual(overdue.code, 0, overdue)
        self.assertIn("pick the screenshots", overdue.out)
        self.assertIn("write the Q1 roadmap", overdue.out)
        done = self.run_in("actions", "--done")
        self.assertIn("write the backend job description", done.out)

    def test_decisions_from_documents_and_the_summary(self):
        self.make_sample()
        r = self.ok("-C", str(self.ws), "decisions")
        self.assertIn("upgrade to PostgreSQL 16", r.out)
        self.assertIn("We hire a backend engineer first", r.out)

    def test_publish(self):
        self.make_sample()
        site = self.tmp / "site"
        self.ok("-C", str(self.ws), "publish", "-o", str(site))
        index = (site / "index.html").read_text()
        self.assertIn("What we learned from the beta", index)
        self.assertIn("How we deploy", index)
        self.assertTrue((site / "feed.xml").exists())

    def test_on_a_fresh_init(self):
        self.init_ws()
        r = self.run_async("init", "--sample", str(self.ws))
        self.assertEqual(r.code, 0, r)
        self.assertIn("already set up", r.err)
        self.assertIn("docs/2026-11-23-pricing-page-redesign/index.md", self.files_under(self.ws))

    def test_twice_is_refused_and_nothing_is_lost(self):
        self.make_sample()
        self.ok("-C", str(self.ws), "list")  # an index too
        self.ok("-C", str(self.ws), "doc", "reply", "k3f9", "-m", "Looks good.", env={"ASYNC_USER": "carol"})
        before = self.snapshot()
        r = self.run_async("init", "--sample", str(self.ws))
        self.assertEqual(r.code, 2, r)
        self.assertEqual(r.out, "")
        self.assertIn("async: error:", r.err)
        self.assertIn("hint:", r.err)
        self.assertEqual(self.snapshot(), before)

    def test_refused_with_a_team_document_or_config(self):
        self.init_ws()
        self.ok("-C", str(self.ws), "doc", "new", "Our idea", "-m", "Text.")
        before = self.snapshot()
        r = self.run_async("init", "--sample", str(self.ws))
        self.assertEqual(r.code, 2, r)
        self.assertEqual(self.snapshot(), before)

        other = self.tmp / "other"
        self.ok("init", str(other))
        self.ok("-C", str(other), "config", "set", "people.dave.email", "dave@example.com")
        r = self.run_async("init", "--sample", str(other))
        self.assertEqual(r.code, 2, r)
        self.assertEqual(self.files_under(other / "docs"), [])

    def test_into_a_folder_with_other_files(self):
        self.ws.mkdir()
        (self.ws / "README.md").write_text("Our team.\n")
        self.ok("init", "--sample", str(self.ws))
        self.assertEqual((self.ws / "README.md").read_text(), "Our team.\n")

    def test_refuses_to_nest(self):
        self.make_sample()
        r = self.run_async("init", "--sample", str(self.ws / "docs" / "inner"))
        self.assertEqual(r.code, 2, r)
        self.assertFalse((self.ws / "docs" / "inner").exists())


COLOUR_COMMANDS = [args for args, _, _ in READ_COMMANDS] + [
    ("actions", "--overdue"), ("show", "7fq2"), ("search", "tiers"), ("check",),
]


class ColourTest(SampleTestCase):
    def test_no_color_and_never_print_no_escape(self):
        self.make_sample()
        for how in ({"env": {"NO_COLOR": "1"}, "flags": ("--color=auto",)},
                    {"env": {"NO_COLOR": "1"}, "flags": ()},
                    {"env": {}, "flags": ("--color=never",)}):
            for args in COLOUR_COMMANDS:
                with self.subTest(how=how, args=args):
                    r = self.run_async("-C", str(self.ws), *how["flags"], *args, env=how["env"])
                    self.assertIn(r.code, (0, 1), r)
                    self.assertNotIn(ESC, r.out)
                    self.assertNotIn(ESC, r.err)

    def test_not_a_terminal_prints_no_escape(self):
        self.make_sample()
        for args in COLOUR_COMMANDS:
            with self.subTest(args=args):
                r = self.run_in(*args)
                self.assertNotIn(ESC, r.out + r.err)

    def test_always_colours_overdue_items(self):
        self.make_sample()
        r = self.ok("-C", str(self.ws), "--color=always", "inbox")
        self.assertIn(ESC + "[31m", r.out)
        # styles are never shown as caret text, and never shift the columns
        self.assertNotIn("^[", r.out)
        plain = self.ok("-C", str(self.ws), "--color=never", "inbox").out
        stripped = r.out.replace(ESC + "[31m", "").replace(ESC + "[0m", "")
        self.assertEqual(stripped, plain)

    def test_always_colours_meeting_status_and_checkin_status(self):
        self.make_sample()
        # a day after the launch sync's deadline, the pending participants are overdue
        later = {"ASYNC_NOW": "2026-11-28T10:00:00Z"}
        r = self.run_async("-C", str(self.ws), "--color=always", "meeting", "status", "7fq2", env=later)
        self.assertEqual(r.code, 1, r)
        self.assertIn(ESC + "[31malice  overdue" + ESC + "[0m", r.out)  # overdue rows are red, whole
        self.assertNotIn("^[", r.out)
        r = self.run_async("-C", str(self.ws), "--color=always", "checkin", "status")
        self.assertEqual(r.code, 0, r)
        self.assertIn(ESC + "[", r.out)

    def test_always_colours_search_matches(self):
        self.make_sample()
        r = self.ok("-C", str(self.ws), "--color=always", "search", "tiers")
        self.assertIn(ESC + "[", r.out)


class WidthTest(SampleTestCase):
    def test_sixty_columns_never_wrap_a_row(self):
        self.make_sample()
        for args in [("list",), ("actions",), ("actions", "--done"), ("inbox",), ("inbox", "--explain"),
                     ("decisions",), ("meeting", "status", "7fq2"), ("checkin", "status")]:
            for colour in ("--color=never", "--color=always"):
                with self.subTest(args=args, colour=colour):
                    r = self.run_async("-C", str(self.ws), colour, *args, env={"COLUMNS": "60"})
                    self.assertIn(r.code, (0, 1), r)
                    self.assertTrue(r.out.strip(), r)
                    lines = r.out.splitlines()
                    if args[0] == "meeting":
                        lines = lines[1:]  # the heading above the table is a sentence
                    if "--explain" in args:
                        lines = [l for l in lines if not l.startswith("    ")]  # the reasons, below each row
                    for line in lines:
                        plain = line.replace(ESC + "[31m", "").replace(ESC + "[0m", "")
                        for code in ("32m", "33m", "1;33m", "2m"):
                            plain = plain.replace(ESC + "[" + code, "")
                        self.assertLessEqual(display_width(plain), 60, line)

    def test_titles_are_cut_not_the_rows(self):
        self.make_sample()
        wide = self.ok("-C", str(self.ws), "list", env={"COLUMNS": "200"}).out
        narrow = self.ok("-C", str(self.ws), "list", env={"COLUMNS": "60"}).out
        self.assertEqual(len(wide.splitlines()), len(narrow.splitlines()))


if __name__ == "__main__":
    main()
