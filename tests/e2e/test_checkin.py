"""async checkin, checkin status and checkin digest (issue 5): pre-filled from real git
repositories, ISO week edges, status exit codes, the digest in Markdown and strict HTML, the
cron environment and the crontab lines of the README and the man page, and bad input."""
import html.parser
import json
import os
import re
import subprocess
import time
import tomllib
from pathlib import Path

import harness

SOURCE_DIR = Path(os.environ.get("ASYNC_SOURCE_DIR", Path(__file__).resolve().parents[2]))
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class StrictHTML(html.parser.HTMLParser):
    """Balanced tags, one html/head/body, no script or event handler, no raw control characters."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems, self.tags, self.text = [], [], [], []
        self.saw_doctype = False

    def handle_decl(self, decl):
        self.saw_doctype = self.saw_doctype or decl.lower() == "doctype html"

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag in ("script", "iframe", "object"):
            self.problems.append(f"<{tag}> in the output")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            url = re.sub(r"[\x00-\x20\x7f]", "", value or "").lower()
            if name in ("href", "src") and re.match(r"[a-z][a-z0-9+.-]*:", url) and \
                    not re.match(r"(https?|mailto):", url):
                self.problems.append(f"unsafe {name}={value!r} on <{tag}>")
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            self.problems.append(f"end tag for void <{tag}> at {self.getpos()}")
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.problems.append(f"</{tag}> at {self.getpos()} does not close {self.stack[-1:] }")
            return
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)

    def check(self, test, document):
        test.assertNotRegex(document, r"[\x00-\x08\x0b-\x1f\x7f]", "raw control characters in the HTML")
        self.feed(document)
        self.close()
        test.assertTrue(self.saw_doctype, "no <!DOCTYPE html>")
        test.assertEqual(self.problems, [])
        test.assertEqual(self.stack, [], "unclosed tags")
        for once in ("html", "head", "body", "title", "style"):
            test.assertEqual(self.tags.count(once), 1, once)
        return "".join(self.text)


def parse_html(test, document):
    return StrictHTML().check(test, document)


class CheckinCase(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()
        with open(self.ws / ".async" / "config.toml", "a", encoding="utf-8") as f:
            f.write('\n[people.alice]\nname = "Alice A."\nemail = "alice@example.com"\n'
                    '[people.bob]\nname = "Bob B."\nemail = "bob@example.com"\n'
                    '[people.carol]\nname = "Carol C."\n')
        self.git_env = {"HOME": str(self.home), "GIT_CONFIG_NOSYSTEM": "1", "PATH": self.env["PATH"],
                        "LANG": "C.UTF-8", "TZ": "UTC"}

    def set_config(self, key, value):
        self.ok("-C", str(self.ws), "config", "set", key, value)

    def checkin_path(self, week, who="alice"):
        return self.ws / "checkins" / week / f"{who}.md"

    # -- git ---------------------------------------------------------------------------------
    def git(self, repo, *args, env=None):
        full = dict(self.git_env, **(env or {}))
        proc = subprocess.run(["git", "-C", str(repo), *args], env=full, capture_output=True, text=True,
                              timeout=30)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc.stdout.strip()

    def make_repo(self, name):
        repo = self.tmp / name
        repo.mkdir()
        self.git(repo, "init", "-q", "-b", "main")
        return repo

    def commit(self, repo, who, when, subject):
        email = f"{who}@example.com"
        env = {"GIT_AUTHOR_NAME": who, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": when,
               "GIT_COMMITTER_NAME": who, "GIT_COMMITTER_EMAIL": email, "GIT_COMMITTER_DATE": when}
        self.git(repo, "commit", "-q", "--allow-empty", "-m", subject, env=env)
        return self.git(repo, "rev-parse", "--short", "HEAD")


class Write(CheckinCase):
    def test_prefill_my_commits_since_my_last_checkin(self):
        api, web = self.make_repo("api"), self.make_repo("web")
        self.set_config("checkin.repos", f'["{api}", "../web"]')
        old = self.commit(api, "alice", "2026-11-19T09:00:00Z", "old work before last check-in")
        # Last week's check-in, written on Friday at noon.
        self.ok("-C", str(self.ws), "checkin", "-m", "Last week.", env={"ASYNC_NOW": "2026-11-20T12:00:00Z"})
        late = self.commit(api, "alice", "2026-11-20T15:00:00Z", "friday afternoon fix")
        bobs = self.commit(api, "bob", "2026-11-24T09:00:00Z", "bob's refactor")
        mine = self.commit(api, "alice", "2026-11-25T09:00:00Z", "pricing endpoint")
        webs = self.commit(web, "alice", "2026-11-24T11:00:00Z", "pricing page")
        nextweek = self.commit(web, "alice", "2026-11-30T11:00:00Z", "next week already")
        # An action I ticked off and a document I wrote this week; someone else's document.
        self.ok("-C", str(self.ws), "doc", "new", "Pricing plan", "-m", "- [x] ship the pricing draft\n- [ ] @bob review\n")
        self.ok("-C", str(self.ws), "doc", "new", "Bob's idea", "-m", "x", env={"ASYNC_USER": "bob"})

        r = self.a("checkin", "--no-edit")
        self.assertEqual(r.code, 0, r)
        path = self.checkin_path("2026-W48")
        self.assertEqual(self.written(r), path)
        fm, body = self.front_matter(path)
        self.assertEqual(r.out.split()[0], fm["id"])
        self.assertEqual((fm["type"], fm["author"], fm["week"], fm["title"]),
                         ("checkin", "alice", "2026-W48", "Check-in 2026-W48"))
        self.assertEqual(fm["created"].isoformat(), "2026-11-26T10:15:00+00:00")
        first = body.split("## What is next?")[0]
        self.assertIn("## What have you been working on?\n", first)
        self.assertIn(f"- api {late} friday afternoon fix\n", first)
        self.assertIn(f"- web {webs} pricing page\n", first)
        self.assertIn(f"- api {mine} pricing endpoint\n", first)
        self.assertLess(first.index(late), first.index(webs))  # oldest first
        self.assertLess(first.index(webs), first.index(mine))
        for absent in (old, bobs, nextweek, "bob's", "old work", "next week already"):
            self.assertNotIn(absent, body)
        self.assertIn("- Done: ship the pricing draft (Pricing plan)\n", first)
        self.assertRegex(first, r"- Wrote: Pricing plan \(doc [0-9a-z]{8}\)\n")
        self.assertNotIn("Bob's idea", body)
        self.assertIn("## Anything in your way?", body)

        # The check-in is a document of the index.
        listed = json.loads(self.a("--json", "list", "--type", "checkin").out)
        self.assertEqual([d["path"] for d in listed["documents"]],
                         ["checkins/2026-W48/alice.md", "checkins/2026-W47/alice.md"])

    def test_running_again_edits_the_same_file(self):
        r = self.ok("-C", str(self.ws), "checkin", "-m", "First version.")
        path = self.written(r)
        fm, _ = self.front_matter(path)
        r = self.a("checkin", env=self.editor("append.sh", text="Added later."))
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.out.split(), [fm["id"], str(path.relative_to(self.tmp))])
        self.assertEqual((self.tmp / "editor.log").read_text().count("\n"), 1)
        fm2, body = self.front_matter(path)
        self.assertEqual(fm2["id"], fm["id"])
        self.assertEqual(body, "First version.\nAdded later.\n")
        self.assertEqual(self.files_under(self.ws / "checkins"), ["2026-W48/alice.md"])
        r = self.a("checkin", env=self.editor("unchanged.sh"))
        self.assertEqual((r.code, r.out), (0, ""), r)
        self.assertIn("no changes", r.err)
        self.ok("-C", str(self.ws), "checkin", "-m", "Replaced.")
        self.assertEqual(self.front_matter(path)[1], "Replaced.\n")

    def test_editor_flow_and_abort_paths(self):
        r = self.a("checkin", env=self.editor("unchanged.sh"))
        self.assertEqual(r.code, 1, r)
        self.assertIn("aborted: no changes", r.err)
        self.assertFalse(self.checkin_path("2026-W48").exists())
        r = self.a("checkin", env=self.editor("fail.sh"))
        self.assertEqual(r.code, 1, r)
        self.assertIn("async checkin --week 2026-W48 --file", r.err)
        self.assertEqual(len(self.drafts()), 1)
        self.assertFalse(self.checkin_path("2026-W48").exists())
        r = self.a("checkin", env=self.editor("append.sh", text="Pricing work."))
        self.assertEqual(r.code, 0, r)
        self.assertIn("Pricing work.", self.checkin_path("2026-W48").read_text())

    def test_questions_from_config(self):
        self.set_config("checkin.questions", '["Wins?", "Blockers?"]')
        self.ok("-C", str(self.ws), "checkin", "--no-edit")
        _, body = self.front_matter(self.checkin_path("2026-W48"))
        self.assertEqual(re.findall(r"^## (.*)$", body, re.M), ["Wins?", "Blockers?"])

    def test_whole_document_from_stdin_keeps_type_week_and_author(self):
        doc = '+++\ntitle = "My week"\ntype = "doc"\nauthor = "mallory"\nweek = "1999-W01"\n+++\nDone things.\n'
        r = self.a("checkin", "--file", "-", input=doc)
        self.assertEqual(r.code, 0, r)
        fm, body = self.front_matter(self.checkin_path("2026-W48"))
        self.assertEqual((fm["type"], fm["author"], fm["week"], fm["title"]), ("checkin", "alice", "2026-W48", "My week"))
        self.assertEqual(body, "Done things.\n")

    def test_a_flood_of_commits_is_capped(self):
        repo = self.make_repo("api")
        self.set_config("checkin.repos", f'["{repo}"]')
        # One fast-import stream instead of 105 git processes.
        stream = []
        for n in range(105):
            stamp = 1795424400 + n * 60  # Mon 2026-11-23T09:00:00Z onwards
            msg = f"change {n:03d}\n"
            stream.append(f"commit refs/heads/main\nauthor alice <alice@example.com> {stamp} +0000\n"
                          f"committer alice <alice@example.com> {stamp} +0000\ndata {len(msg)}\n{msg}")
        proc = subprocess.run(["git", "-C", str(repo), "fast-import", "--quiet"], input="".join(stream), text=True,
                              env=self.git_env, capture_output=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.ok("-C", str(self.ws), "checkin", "--no-edit")
        _, body = self.front_matter(self.checkin_path("2026-W48"))
        self.assertIn("- 5 earlier commits left out\n- api ", body)
        self.assertNotIn("change 004", body)
        self.assertIn("change 005", body)
        self.assertIn("change 104", body)
        self.assertEqual(body.count("- api "), 100)

    def test_whole_document_over_an_existing_checkin_stays_that_checkin(self):
        r = self.ok("-C", str(self.ws), "checkin", "-m", "First.")
        fm, _ = self.front_matter(self.written(r))
        r = self.a("checkin", "--file", "-", input='+++\ntype = "post"\nweek = "1999-W01"\nmood = "good"\n+++\nSecond.\n')
        self.assertEqual(r.code, 0, r)
        fm2, body = self.front_matter(self.checkin_path("2026-W48"))
        self.assertEqual((fm2["id"], fm2["created"], fm2["type"], fm2["author"], fm2["week"], fm2["mood"]),
                         (fm["id"], fm["created"], "checkin", "alice", "2026-W48", "good"))
        self.assertEqual(body, "Second.\n")

    def test_resume_a_draft_after_the_editor_failed(self):
        r = self.a("checkin", env=self.editor("fail.sh"))
        self.assertEqual(r.code, 1, r)
        hint = [l for l in r.err.splitlines() if l.startswith("hint: ")][0]
        command = hint.split("resume with: ", 1)[1]
        self.assertTrue(command.startswith("async checkin --week 2026-W48 --file '"), command)
        draft = command.split("'")[1]
        r = self.a("checkin", "--week", "2026-W48", "--file", draft, "--edit",
                   env=self.editor("append.sh", text="Resumed."))
        self.assertEqual(r.code, 0, r)
        self.assertIn("Resumed.", self.checkin_path("2026-W48").read_text())
        self.assertEqual(self.drafts(), [])

    def test_missing_and_broken_repositories_are_warnings(self):
        self.set_config("checkin.repos", f'["{self.tmp / "nowhere"}"]')
        r = self.a("checkin", "--no-edit")
        self.assertEqual(r.code, 0, r)
        self.assertIn("async: warning: commits skipped: ", r.err)
        self.assertIn("is not a git repository", r.err)

    def test_json(self):
        r = self.a("--json", "checkin", "-m", "x")
        self.assertEqual(r.code, 0, r)
        data = json.loads(r.out)
        self.assertEqual((data["schema"], data["path"], data["week"], data["created"]),
                         (1, "checkins/2026-W48/alice.md", "2026-W48", True))


class Weeks(CheckinCase):
    def test_week_53_and_year_edges(self):
        for week, expected in [("2026-W53", "2026-W53"), ("2027-01-01", "2026-W53"), ("2024-12-30", "2025-W01"),
                               ("2026-w05", "2026-W05"), ("last", "2026-W47"), ("next", "2026-W49")]:
            r = self.a("checkin", "--week", week, "-m", f"week {week}")
            self.assertEqual(r.code, 0, (week, r))
            self.assertTrue(self.checkin_path(expected).is_file(), week)
            self.assertEqual(self.front_matter(self.checkin_path(expected))[0]["week"], expected)
        # "Now" inside the edge weeks picks them by default.
        r = self.a("checkin", "-m", "new year", user="bob", env={"ASYNC_NOW": "2027-01-01T12:00:00Z"})
        self.assertEqual(r.code, 0, r)
        self.assertTrue(self.checkin_path("2026-W53", "bob").is_file())
        r = self.a("checkin", "status", user="bob", env={"ASYNC_NOW": "2024-12-30T08:00:00Z"})
        self.assertEqual(r.code, 1, r)
        self.assertTrue(r.out.startswith("2025-W01: 1 of 3 checked in\ndone     alice "), r)
        r = self.a("checkin", "status", "--week", "2026-W53", user="bob")
        self.assertEqual(r.code, 0, r)

    def test_bad_week_values_are_usage_errors(self):
        for week in ["2025-W53", "2026-W54", "2026-W00", "2026-W", "W48", "48", "banana", "", "2026-W48; rm -rf ~",
                     "\x1b[31mred", "9" * 400, "2026-13-01"]:
            for command, rest in ((["checkin"], ["-m", "x"]), (["checkin", "status"], []), (["checkin", "digest"], [])):
                r = self.a(*command, "--week", week, *rest)
                self.assertEqual(r.code, 2, (week, command, r))
                self.assertTrue(r.err.startswith("async: error: invalid week"), r)
                self.assertNotIn("\x1b", r.err)
                self.assertEqual(r.out, "")
        r = self.a("checkin", "--week", "2025-W53", "-m", "x")
        self.assertEqual(r.err.splitlines()[0], "async: error: invalid week '2025-W53': 2025 has no week 53")
        self.assertEqual(self.files_under(self.ws / "checkins"), [])


class Status(CheckinCase):
    def test_exit_codes_and_quiet(self):
        r = self.a("checkin", "status")
        self.assertEqual(r.code, 1, r)
        self.assertEqual(r.err, "")
        lines = r.out.splitlines()
        self.assertEqual(lines[0], "2026-W48: 0 of 3 checked in")
        self.assertEqual([l.split()[:2] for l in lines[1:]],
                         [["missing", "alice"], ["missing", "bob"], ["missing", "carol"]])
        r = self.a("checkin", "status", "-q")
        self.assertEqual((r.code, r.out, r.err), (1, "", ""))
        r = self.a("-q", "checkin", "status")
        self.assertEqual((r.code, r.out, r.err), (1, "", ""))

        self.ok("-C", str(self.ws), "checkin", "-m", "Bob's week.", env={"ASYNC_USER": "bob"})
        self.assertEqual(self.a("checkin", "status", "-q").code, 1)  # bob has, I have not
        self.assertEqual(self.a("checkin", "status", "-q", user="bob").code, 0)
        self.ok("-C", str(self.ws), "checkin", "-m", "My week.")
        r = self.a("checkin", "status")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.out.splitlines()[0], "2026-W48: 2 of 3 checked in")
        self.assertIn("Thu 2026-11-26 10:15", r.out)
        self.assertEqual(self.a("checkin", "status", "-q").out, "")
        # Another week is another question.
        self.assertEqual(self.a("checkin", "status", "--week", "2026-W47", "-q").code, 1)
        # The shell idiom of the issue.
        r = subprocess.run(["sh", "-c", '"$0" -C "$1" checkin status -q || echo remind', harness.BIN, str(self.ws)],
                           env=dict(self.env, ASYNC_USER="carol"), capture_output=True, text=True, timeout=30)
        self.assertEqual(r.stdout, "remind\n")

    def test_json(self):
        self.ok("-C", str(self.ws), "checkin", "-m", "My week.")
        r = self.a("--json", "checkin", "status")
        self.assertEqual(r.code, 0, r)
        data = json.loads(r.out)
        self.assertEqual((data["schema"], data["week"], data["me"], data["checked_in"]), (1, "2026-W48", "alice", True))
        self.assertEqual(data["people"][0], {"handle": "alice", "name": "Alice A.", "state": "done",
                                             "path": "checkins/2026-W48/alice.md", "created": "2026-11-26T10:15:00Z"})
        self.assertEqual(data["people"][1], {"handle": "bob", "name": "Bob B.", "state": "missing", "path": None,
                                             "created": None})
        r = self.a("--json", "checkin", "status", user="dave")  # not in the team config: still listed
        self.assertEqual(r.code, 1, r)
        data = json.loads(r.out)
        self.assertFalse(data["checked_in"])
        self.assertEqual([p["handle"] for p in data["people"]], ["alice", "bob", "carol", "dave"])

    def test_colour_only_when_asked_or_on_a_terminal(self):
        self.ok("-C", str(self.ws), "checkin", "-m", "x")
        self.assertNotIn("\x1b", self.a("checkin", "status").out)
        out = self.a("--color", "always", "checkin", "status").out
        self.assertIn("\x1b[32mdone\x1b[0m", out)
        self.assertIn("\x1b[31mmissing\x1b[0m", out)
        self.assertNotIn("\x1b", self.a("--color", "never", "checkin", "status").out)
        self.assertNotIn("\x1b", self.a("checkin", "status", env={"NO_COLOR": "1", "TERM": "xterm"}).out)

    def test_broken_front_matter(self):
        self.ok("-C", str(self.ws), "checkin", "-m", "Fine.")
        broken = self.checkin_path("2026-W48", "bob")
        broken.write_text('+++\ntitle = "unclosed\n+++\nBob\'s text.\n')
        r = self.a("checkin", "status")
        self.assertEqual(r.code, 0, r)
        self.assertRegex(r.out, r"\ninvalid\s+bob\s")
        self.assertIn("async: warning: checkins/2026-W48/bob.md:2:", r.err)
        r = self.a("checkin", "status", "-q")
        self.assertEqual((r.code, r.out, r.err), (0, "", ""))  # someone else's problem stays quiet
        r = self.a("checkin", "status", "-q", user="bob")
        self.assertEqual(r.code, 1, r)
        self.assertIn("checkins/2026-W48/bob.md:2:", r.err)
        # Editing my broken check-in says where the problem is and changes nothing.
        r = self.a("checkin", "-m", "new", user="bob")
        self.assertEqual(r.code, 3, r)
        self.assertIn("checkins/2026-W48/bob.md:2:", r.err)
        self.assertIn("unclosed", broken.read_text())


class Digest(CheckinCase):
    def setUp(self):
        super().setUp()
        self.ok("-C", str(self.ws), "checkin", "-m",
                "## What have you been working on?\n\n- pricing\n- [x] shipped\n\n```\n# code\n```\n")
        self.ok("-C", str(self.ws), "checkin", "-m", "## What is next?\n\nThe **launch**.\n", env={"ASYNC_USER": "bob"})

    def test_markdown(self):
        r = self.a("checkin", "digest")
        self.assertEqual((r.code, r.err), (0, ""), r)
        md = r.out
        self.assertTrue(md.startswith("# Check-ins 2026-W48\n\n2026-11-23 to 2026-11-29: 2 of 3 checked in.\n"), md)
        # Names and handles read as written: a backslash only where Markdown needs one.
        self.assertIn("Missing: Carol C. (@carol)\n", md)
        self.assertNotIn("\\", md)
        self.assertIn("## Alice A. (@alice)\n\n### What have you been working on?\n\n- pricing\n", md)
        self.assertIn("\n```\n# code\n```\n", md)
        self.assertIn("## Bob B. (@bob)\n\n### What is next?\n\nThe **launch**.\n", md)
        self.assertLess(md.index("(@alice)"), md.index("(@bob)"))
        self.assertNotIn("## Carol", md)
        self.assertTrue(md.endswith(".\n") and not md.endswith("\n\n"))
        self.assertEqual(self.a("checkin", "digest", "--format", "markdown").out, md)
        # Whoever runs it is not added to the team's document, and needs no identity.
        self.assertEqual(self.a("checkin", "digest", user="dave").out, md)
        self.assertEqual(self.a("checkin", "digest", env={"ASYNC_USER": None, "USER": None}).out, md)
        r = self.a("checkin", "digest", "--week", "2026-W47")
        self.assertEqual(r.code, 0, r)
        self.assertIn("0 of 3 checked in", r.out)
        self.assertIn("Missing: Alice A. (@alice), Bob B. (@bob), Carol C. (@carol)", r.out)

    def test_html(self):
        r = self.a("checkin", "digest", "--format", "html")
        self.assertEqual((r.code, r.err), (0, ""), r)
        text = parse_html(self, r.out)
        self.assertIn('<meta charset="utf-8">', r.out)
        self.assertIn("<h1>Check-ins 2026-W48</h1>", r.out)
        self.assertIn("<h2>Alice A. (@alice)</h2>", r.out)
        self.assertIn("<h3>What have you been working on?</h3>", r.out)
        self.assertIn("<strong>launch</strong>", r.out)
        self.assertIn('type="checkbox"', r.out)
        self.assertIn("Missing: Carol C. (@carol)", text)
        self.assertNotIn("http", r.out.split("</style>")[0])  # self-contained: nothing fetched

    def test_output_file(self):
        out = self.tmp / "digest.html"
        r = self.a("checkin", "digest", "-o", str(out))
        self.assertEqual((r.code, r.out), (0, ""), r)
        self.assertIn("wrote", r.err)
        parse_html(self, out.read_text(encoding="utf-8"))  # the format follows the extension
        md = self.tmp / "digest.md"
        self.ok("-C", str(self.ws), "-q", "checkin", "digest", "--output", str(md))
        self.assertTrue(md.read_text().startswith("# Check-ins 2026-W48\n"))
        r = self.a("checkin", "digest", "-o", str(self.tmp / "no" / "such" / "dir" / "x.md"))
        self.assertEqual(r.code, 0, r)  # folders are created like every write
        r = self.a("checkin", "digest", "--format", "pdf")
        self.assertEqual(r.code, 2, r)

    def test_hostile_names_and_bodies(self):
        with open(self.ws / ".async" / "config.toml", "a", encoding="utf-8") as f:
            f.write('[people.mallory]\nname = "<script>alert(1)</script>\\u001b[2J *M* [x](javascript:alert(1))"\n')
        self.ok("-C", str(self.ws), "checkin", "--file", "-", env={"ASYNC_USER": "mallory"},
                input='+++\ntitle = "<script>alert(2)</script>"\n+++\n'
                      "# <script>alert(3)</script>\n\n<img src=x onerror=alert(4)>\n\n"
                      "<div>\n\x1b]0;owned\x07 \x1b[31mred\x1b[0m \u202eevil\n</div>\n\n"
                      "[click](javascript:alert(5)) ![img](data:text/html,x) [ok](https://example.com)\n\n"
                      "```\nunclosed fence\n")
        # A file written by hand in someone's name, with a hostile file name too.
        (self.ws / "checkins" / "2026-W48" / "x<y>.md").write_text("+++\n+++\nignored\n")
        r = self.a("checkin", "digest", "--format", "html")
        self.assertEqual(r.code, 0, r)
        text = parse_html(self, r.out)
        self.assertIn("<script>alert(1)</script>", text)  # shown as text
        self.assertIn("<img src=x onerror=alert(4)>", text)
        self.assertNotIn("\x1b", r.out)
        self.assertNotIn("\u202e", r.out)
        self.assertNotIn("<div>", r.out)
        self.assertIn("unclosed fence", text)
        self.assertIn('<a href="#">click</a>', r.out)
        self.assertIn('<a href="https://example.com">ok</a>', r.out)
        self.assertNotIn("ignored", text)  # not a handle: not anybody's check-in
        md = self.a("checkin", "digest")
        self.assertEqual(md.code, 0, md)
        self.assertNotIn("\x1b", md.out)
        self.assertIn("## \\<script\\>alert(1)\\</script\\>", md.out)
        self.assertIn(" \\*M\\* \\[x\\](javascript:alert(1))", md.out)  # no emphasis, no link
        self.assertIn("\n```\nunclosed fence\n```\n", md.out)  # the fence does not swallow the rest
        status = self.a("checkin", "status")
        self.assertNotIn("\x1b", status.out)

    def test_unreadable_and_huge_checkins(self):
        self.checkin_path("2026-W48", "carol").write_text("no front matter at all\n")
        huge = "+++\n+++\n" + ("A line of a very long check-in, with *emphasis* and `code`.\n\n" * 55000)
        self.assertGreater(len(huge), 3 * 1024 * 1024)
        self.assertLess(len(huge), 4 * 1024 * 1024)
        self.checkin_path("2026-W48", "dave").write_text(huge)
        (self.ws / "checkins" / "2026-W48" / "erin.md").write_bytes(b"+++\n+++\n" + b"x" * (5 * 1024 * 1024))
        start = time.monotonic()
        r = self.a("checkin", "digest", "--format", "html")
        self.assertLess(time.monotonic() - start, 20)
        self.assertEqual(r.code, 0, r)
        self.assertIn("checkins/2026-W48/carol.md", r.err)
        self.assertIn("'checkins/2026-W48/erin.md' is too large (over 4 MiB)", r.err)
        text = parse_html(self, r.out)
        self.assertIn("Could not be read: Carol C. (@carol), @erin", text)
        self.assertEqual(text.count("A line of a very long check-in"), 55000)
        r = self.a("--json", "checkin", "status")
        states = {p["handle"]: p["state"] for p in json.loads(r.out)["people"]}
        self.assertEqual(states, {"alice": "done", "bob": "done", "carol": "invalid", "dave": "done",
                                  "erin": "invalid"})


# Cron's PATH (/usr/bin:/bin) does not hold /usr/local/bin, so the documented lines name the
# installed binary by its full path; the tests run them with the binary under test there.
INSTALLED = "/usr/local/bin/async"
CRON_LINE = re.compile(r"^(?:\S+\s+){4}(?:mon|fri)\s+(/usr/local/bin/async .*)$", re.M)


class Cron(CheckinCase):
    """`env -i HOME=… PATH=…` and no terminal, like cron; the crontab lines of the docs as written."""

    def setUp(self):
        super().setUp()
        self.team = self.home / "team"
        os.rename(self.ws, self.team)
        self.ws = self.team
        config = self.home / ".config" / "async"
        config.mkdir(parents=True)
        (config / "config.toml").write_text('[user]\nhandle = "alice"\n')
        self.bin = self.tmp / "bin"
        self.bin.mkdir()
        (self.bin / "async").symlink_to(Path(harness.BIN).resolve())
        # Stand-in for the mailer: records its arguments and the message.
        (self.bin / "mail").write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$HOME/mail.args"\ncat > "$HOME/mail.body"\n')
        (self.bin / "mail").chmod(0o755)

    def cron(self, command, timeout=20):
        env = {"HOME": str(self.home), "PATH": f"{self.bin}:/usr/bin:/bin"}
        proc = subprocess.run(["env", "-i", *[f"{k}={v}" for k, v in env.items()], "/bin/sh", "-c", command],
                              capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
                              start_new_session=True)  # no controlling terminal
        return harness.Result(proc)

    def real_week(self, ago=""):
        cmd = ["env", "-i", "/bin/date"] + (["-d", ago] if ago else []) + ["+%G-W%V"]
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()

    def documented_lines(self):
        readme = (SOURCE_DIR / "README.md").read_text(encoding="utf-8")
        man = (SOURCE_DIR / "man" / "async-checkin.1.scd").read_text(encoding="utf-8")
        in_readme = CRON_LINE.findall(readme)
        in_man = CRON_LINE.findall(man)
        self.assertEqual(len(in_readme), 2, in_readme)
        self.assertEqual(in_readme, in_man, "README and man page show different crontab lines")
        for line in in_readme:
            self.assertNotIn("%", line, "% is a newline in a crontab")
        return [line.replace(INSTALLED, str(self.bin / "async")) for line in in_readme]

    def test_status_and_digest_work_without_colour(self):
        self.ok("-C", str(self.ws), "checkin", "--week", self.real_week(), "-m", "cron week")
        r = self.cron("async -C ~/team checkin status")
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("\x1b", r.out + r.err)
        self.assertRegex(r.out, r"\ndone\s+alice\s")
        r = self.cron("async -C ~/team checkin digest --format html")
        self.assertEqual((r.code, r.err), (0, ""), r)
        self.assertNotIn("\x1b", r.out)
        self.assertIn("cron week", parse_html(self, r.out))
        r = self.cron("async -C ~/team checkin digest")
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("\x1b", r.out)

    def test_checkin_without_text_fails_at_once(self):
        start = time.monotonic()
        r = self.cron("async -C ~/team checkin", timeout=10)
        self.assertLess(time.monotonic() - start, 5)
        self.assertEqual(r.code, 4, r)
        self.assertEqual(r.out, "")
        self.assertIn("async: error: no editor is set and there is no terminal", r.err)
        self.assertIn("hint: use -m TEXT, --file PATH or --no-edit", r.err)
        self.assertEqual(self.files_under(self.ws / "checkins"), [])
        self.assertEqual(self.drafts(), [])
        r = self.cron("async -C ~/team checkin --no-edit")
        self.assertEqual(r.code, 0, r)

    def test_documented_crontab_lines(self):
        reminder, digest = self.documented_lines()
        self.assertIn("checkin status", reminder)
        self.assertIn("checkin digest", digest)
        # Friday, not checked in yet: the reminder speaks (cron mails what a job prints).
        r = self.cron(reminder)
        self.assertEqual(r.code, 0, r)
        self.assertIn("async checkin", r.out)
        self.assertEqual(r.err, "")
        self.ok("-C", str(self.ws), "checkin", "--week", self.real_week(), "-m", "This week's work.")
        r = self.cron(reminder)
        self.assertEqual((r.code, r.out, r.err), (0, "", ""))  # checked in: silence
        # Monday: last week's digest goes to the mailer.
        self.ok("-C", str(self.ws), "checkin", "--week", self.real_week("7 days ago"), "-m", "Last week's work.")
        self.ok("-C", str(self.ws), "checkin", "--week", self.real_week("7 days ago"), "-m", "Bob's.",
                env={"ASYNC_USER": "bob"})
        r = self.cron(digest)
        self.assertEqual((r.code, r.out, r.err), (0, "", ""), r)
        body = (self.home / "mail.body").read_text()
        self.assertTrue(body.startswith(f"# Check-ins {self.real_week('7 days ago')}\n"), body)
        self.assertIn("Last week's work.", body)
        self.assertIn("Missing: Carol C. (@carol)", body)
        self.assertNotIn("This week's work.", body)
        self.assertIn("-s", (self.home / "mail.args").read_text())


if __name__ == "__main__":
    harness.main()
