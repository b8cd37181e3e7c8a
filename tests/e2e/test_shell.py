"""At home in the shell: man pages cover every flag and are lint-clean; bash, zsh and fish
completions driven in real shells give the exact candidates."""
import json
import os
import re
import shutil
import subprocess
import unittest
from pathlib import Path

import harness

SOURCE_DIR = Path(os.environ.get("ASYNC_SOURCE_DIR", Path(__file__).resolve().parents[2]))
MAN_SOURCES = SOURCE_DIR / "man"
COMPLETIONS = SOURCE_DIR / "completions"
COMMANDS = {"actions", "agenda", "attach", "calendar", "check", "checkin", "config", "decisions", "doc", "edit", "event", "help", "hook", "onboard",
            "import", "inbox", "index", "init", "links", "list", "meeting", "pick", "publish", "tag", "remind", "search", "show", "sync", "whoami", "away", "watercooler",
            "templates"}
TYPES = {"doc", "decision", "sop", "onboarding", "post", "watercooler", "meeting", "response", "reply",
         "summary", "checkin", "item", "note", "event"}
DATE_WORDS = {"today", "tomorrow", "yesterday", "eod", "eow", "now", "fri", "friday", "+1d", "+1w"}
# ISO weeks `async __complete weeks` offers at harness.NOW (Thursday of 2026-W48): next week, this
# week and four before.
WEEKS = {"2026-W49", "2026-W48", "2026-W47", "2026-W46", "2026-W45", "2026-W44"}


def parse_help(text):
    """The long flags and the subcommand names a CLI11 --help text lists."""
    flags, subcommands, section = set(), [], None
    for line in text.splitlines():
        header = re.fullmatch(r"(\w+):\s*", line)
        if header:
            section = header.group(1).lower()
            continue
        if not line.startswith("  ") or not line.strip():
            continue
        first = line.split()[0]
        if section == "options" and first.startswith("-"):
            flags.update(f for f in first.split(",") if f.startswith("--"))
        elif section == "subcommands" and not line.startswith("   "):
            subcommands.append(first)
    return flags, subcommands


def mentions(text, flag):
    return re.search(r"(?<![\w-])" + re.escape(flag) + r"(?![\w-])", text) is not None


class ShellTestCase(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        # `async` on PATH is the binary under test, whatever its file is called.
        self.bin_dir = self.tmp / "bin"
        self.bin_dir.mkdir()
        (self.bin_dir / "async").symlink_to(Path(harness.BIN).resolve())
        self.env["PATH"] = f"{self.bin_dir}:{self.env['PATH']}"

    def run_shell(self, argv, cwd=None, timeout=60):
        proc = subprocess.run(argv, cwd=cwd or self.tmp, env=self.env, capture_output=True,
                              text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        return harness.Result(proc)

    def zsh_output(self, line, cwd=None, compdir=COMPLETIONS):
        """What ZSH_CAPTURE prints for `line` and a Tab in a real zsh with compdir on $fpath:
        the candidates, and "DESCRIPTION:…" lines for what is shown beside them."""
        script = self.tmp / "capture.zsh"
        script.write_text(ZSH_CAPTURE)
        r = self.run_shell(["zsh", "-f", str(script), str(compdir), line,
                            str(self.tmp / "zsh-init.zsh")], cwd=cwd)
        self.assertEqual(r.code, 0, r)
        return [l for l in r.out.splitlines() if l.strip()]

    def make_team_workspace(self):
        """A workspace with a team template override and a team member."""
        self.init_ws()
        (self.ws / ".async" / "templates" / "retro.md").write_text("{{! Team retro }}\n## Went well\n")
        self.ok("-C", str(self.ws), "config", "set", "people.bob.email", "bob@example.com")
        return self.ws

    def make_documents(self):
        """A workspace with two documents, one of them holding two open actions and a done one.
        Returns ({id: title}, {handle of an open action: text})."""
        self.init_ws()
        body = "- [ ] @bob ship the draft due:2026-12-01\n- [ ] write the summary\n- [x] book the room\n"
        ids = {}
        for title, text in [("Pricing page", body), ("Hiring plan", "Interview loop.")]:
            ids[self.ok("-C", str(self.ws), "doc", "new", title, "-m", text).out.split()[0]] = title
        out = self.ok("-C", str(self.ws), "--json", "actions").out
        handles = {a["handle"]: a["text"] for a in json.loads(out)["actions"]}
        self.assertEqual(sorted(handles.values()), ["ship the draft", "write the summary"])
        return ids, handles

    def template_names(self, cwd):
        out = self.ok("templates", cwd=cwd).out
        return {line.split()[0] for line in out.splitlines() if line.strip()}

    def config_keys(self, cwd):
        out = self.ok("config", "list", cwd=cwd).out
        return {line.split("=", 1)[0] for line in out.splitlines() if "=" in line}


class ManPages(ShellTestCase):
    def page_source(self, command):
        """The scdoc source documenting command (async.1 or async-TOP.1), None when missing."""
        name = "async" if not command else f"async-{command[0]}"
        path = MAN_SOURCES / f"{name}.1.scd"
        return path.read_text(encoding="utf-8") if path.is_file() else None

    def test_every_flag_in_help_is_documented(self):
        visited, missing = [], []
        pending = [()]
        while pending:
            command = pending.pop()
            self.assertLess(len(visited), 100, "runaway subcommand walk")
            r = self.ok(*command, "--help")
            flags, subcommands = parse_help(r.out)
            self.assertIn("--help", flags, f"no flags parsed from 'async {' '.join(command)} --help'")
            visited.append(command)
            source = self.page_source(command)
            if source is None:
                missing.append(f"async {' '.join(command)}: no man page man/async-{command[0]}.1.scd")
                source = ""
            missing += [f"async {' '.join(command)}: {f}" for f in sorted(flags) if not mentions(source, f)]
            for sub in subcommands:
                # A subcommand is documented in its top-level command's page by name too.
                if command and not mentions(source, sub):
                    missing.append(f"async {' '.join(command)}: subcommand {sub}")
                pending.append(command + (sub,))
        # The walk really went through the tree (so a parsing slip cannot make this pass).
        for expected in [(), ("init",), ("doc", "new"), ("config", "get"), ("config", "list"),
                         ("templates", "show"), ("index",), ("list",), ("show",), ("edit",), ("search",),
                         ("actions",), ("actions", "done"), ("decisions",), ("check",), ("hook", "install"),
                         ("hook", "uninstall"), ("sync",), ("checkin",), ("meeting", "open"),
                         ("meeting", "close"), ("inbox",), ("inbox", "snooze"), ("inbox", "triage"), ("publish",),
                         ("checkin", "status"), ("checkin", "digest")]:
            self.assertIn(expected, visited)
        self.assertTrue(COMMANDS <= {c[0] for c in visited if c}, visited)
        self.assertEqual(missing, [], "flags or subcommands missing from the man pages")

    def test_help_parser_sees_known_flags(self):
        flags, subs = parse_help(self.ok("doc", "new", "--help").out)
        self.assertTrue({"--template", "--reviewers", "--due", "--tag", "--message", "--file",
                         "--edit", "--no-edit", "--help"} <= flags, flags)
        self.assertEqual(subs, [])
        flags, subs = parse_help(self.ok("--help").out)
        self.assertTrue({"--json", "--color", "--quiet", "--version"} <= flags, flags)
        self.assertTrue(COMMANDS <= set(subs), subs)

    def built_pages(self):
        sources = sorted(MAN_SOURCES.glob("*.scd"))
        self.assertTrue(sources)
        man_dir = os.environ.get("ASYNC_MAN_DIR")
        if man_dir:
            man_dir = Path(man_dir)
        else:
            if not shutil.which("scdoc") or not shutil.which("cmake"):
                self.skipTest("ASYNC_MAN_DIR is unset and scdoc or cmake is missing")
            man_dir = self.tmp / "man"
            man_dir.mkdir()
            for src in sources:
                out = man_dir / src.name[:-len(".scd")]
                r = self.run_shell(["cmake", f"-DSCDOC={shutil.which('scdoc')}", f"-DINPUT={src}",
                                    f"-DOUTPUT={out}", "-P", str(MAN_SOURCES / "scdoc.cmake")])
                self.assertEqual(r.code, 0, r)
        pages = {src.name[:-len(".scd")]: man_dir / src.name[:-len(".scd")] for src in sources}
        for name, page in pages.items():
            self.assertTrue(page.is_file(), f"man page {name} was not built in {man_dir}")
        return pages

    def test_man_pages_are_lint_clean(self):
        if not shutil.which("mandoc"):
            self.skipTest("mandoc is not installed")
        pages = self.built_pages()
        self.assertTrue({"async.1", "async-init.1", "async-doc.1", "async-config.1", "async-config.5",
                         "async-templates.1", "async-files.5", "async-templates.7", "async-index.1",
                         "async-list.1", "async-show.1", "async-edit.1", "async-search.1",
                         "async-actions.1", "async-decisions.1", "async-check.1", "async-hook.1",
                         "async-sync.1", "async-checkin.1"} <= set(pages))
        for name, page in pages.items():
            r = self.run_shell(["mandoc", "-Tlint", "-W", "warning", str(page)])
            self.assertEqual((r.code, r.out, r.err), (0, "", ""), f"{name} is not lint-clean")

    def test_main_page_refers_to_every_page(self):
        main = (MAN_SOURCES / "async.1.scd").read_text(encoding="utf-8")
        see_also = main[main.index("# SEE ALSO"):]
        for src in MAN_SOURCES.glob("async-*.scd"):
            name, section = src.name[:-len(".scd")].rsplit(".", 1)
            self.assertIn(f"*{name}*({section})", see_also)


def write_doc(ws, slug, doc_id, title_toml, doc_type="doc", created="2026-11-20T10:00:00Z", body="Text.\n"):
    """A document written straight into the workspace (title_toml: a TOML string literal)."""
    path = Path(ws) / ("meetings" if doc_type == "meeting" else "docs") / slug / "index.md"
    path.parent.mkdir(parents=True)
    path.write_text(f'+++\nid = "{doc_id}"\ntype = "{doc_type}"\ntitle = {title_toml}\nauthor = "alice"\n'
                    f'created = {created}\nstatus = "open"\n+++\n{body}', encoding="utf-8")
    return path


class CompleteEntryPoint(ShellTestCase):
    """The hidden `async __complete KIND [PREFIX]` the completions call."""

    def complete_lines(self, *args, cwd=None):
        r = self.run_async("__complete", *args, cwd=cwd)
        self.assertEqual((r.code, r.err), (0, ""), r)
        return r.out.splitlines()

    def test_hidden_from_help(self):
        self.assertNotIn("__complete", self.ok("--help").out)
        flags, subcommands = parse_help(self.ok("--help").out)
        self.assertNotIn("__complete", subcommands)

    def test_no_workspace_prints_nothing_and_creates_nothing(self):
        default = self.home / ".local" / "share" / "async"
        empty = self.tmp / "empty"
        empty.mkdir()
        for kind in ("ids", "meetings", "handles", "items", "actions"):
            r = self.run_async("__complete", kind, cwd=empty)
            self.assertEqual((r.code, r.out, r.err), (0, "", ""), kind)
            r = self.run_async("-C", str(empty), "__complete", kind)
            self.assertEqual((r.code, r.out, r.err), (0, "", ""), kind)
        r = self.run_async("-C", str(self.tmp / "missing"), "__complete", "ids")
        self.assertEqual((r.code, r.out, r.err), (0, "", ""))
        self.assertFalse(default.exists(), "completing created the default workspace")
        self.assertEqual(list(empty.iterdir()), [])
        # What needs no workspace still answers: built-in templates, the user config, weeks.
        self.assertIn("doc", {l.split("\t")[0] for l in self.complete_lines("templates", cwd=empty)})
        self.assertIn("user.handle", {l.split("\t")[0] for l in self.complete_lines("keys", cwd=empty)})
        self.assertEqual({l.split("\t")[0] for l in self.complete_lines("weeks", cwd=empty)}, WEEKS)
        self.assertFalse(default.exists())

    def test_workspace_without_index_creates_none(self):
        ws = self.init_ws()
        write_doc(ws, "a", "aaaa1111", '"Pricing"')
        before = sorted(p.name for p in (ws / ".async").iterdir())
        self.assertEqual(self.complete_lines("ids", cwd=ws), [])
        self.assertEqual(sorted(p.name for p in (ws / ".async").iterdir()), before)
        self.assertFalse((ws / ".async" / "index.db").exists())

    def test_ids_with_titles_newest_first_and_prefix(self):
        ws = self.init_ws()
        write_doc(ws, "a", "aaaa1111", '"Pricing page"', created="2026-11-20T10:00:00Z")
        write_doc(ws, "b", "abcd2222", '"Hiring plan"', created="2026-11-21T10:00:00Z")
        write_doc(ws, "m", "mmmm3333", '"Weekly sync"', doc_type="meeting", created="2026-11-22T10:00:00Z")
        self.ok("-C", str(ws), "index")
        self.assertEqual(self.complete_lines("ids", cwd=ws),
                         ["mmmm3333\tWeekly sync", "abcd2222\tHiring plan", "aaaa1111\tPricing page"])
        self.assertEqual(self.complete_lines("ids", "ab", cwd=ws), ["abcd2222\tHiring plan"])
        self.assertEqual(self.complete_lines("ids", "--", "a", cwd=ws), ["abcd2222\tHiring plan", "aaaa1111\tPricing page"])
        self.assertEqual(self.complete_lines("meetings", cwd=ws), ["mmmm3333\tWeekly sync"])
        r = self.run_async("-C", str(ws), "__complete", "ids", "zz")
        self.assertEqual((r.code, r.out, r.err), (0, "", ""))

    def test_hostile_titles_give_one_clean_line_each(self):
        ws = self.init_ws()
        titles = {"aaaa0001": '"tab\\there"', "aaaa0002": '"new\\nline"', "aaaa0003": '"\\u001b[31mred\\u001b]0;pwned\\u0007"',
                  "aaaa0004": '"' + "x" * 2048 + '"', "aaaa0005": '"\\u009b31m C1 and \\u202e bidi"'}
        for i, (doc_id, title) in enumerate(titles.items()):
            write_doc(ws, f"d{i}", doc_id, title)
        self.ok("-C", str(ws), "index")
        r = self.run_async("__complete", "ids", cwd=ws)
        self.assertEqual((r.code, r.err), (0, ""), r)
        lines = r.out.split("\n")
        self.assertEqual(lines[-1], "")
        lines = lines[:-1]
        self.assertEqual(sorted(l.split("\t")[0] for l in lines), sorted(titles))
        for line in lines:
            value, description = line.split("\t")  # exactly one tab: value and description
            self.assertFalse(any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f for c in value + description), repr(line))
            self.assertNotIn("\u202e", line)
            self.assertLessEqual(len(description), 80)
        by_id = dict(l.split("\t") for l in lines)
        self.assertEqual(by_id["aaaa0001"], "tab here")
        self.assertEqual(by_id["aaaa0002"], "new line")
        self.assertTrue(by_id["aaaa0003"].startswith("^[[31mred^["), by_id["aaaa0003"])
        self.assertTrue(by_id["aaaa0004"].endswith("…"))
        # --json escapes C1 controls and bidirectional formatting; a JSON parser gets them back.
        r = self.run_async("--json", "list", cwd=ws)
        self.assertEqual(r.code, 0, r)
        self.assertIn('"\\u009b31m C1 and \\u202e bidi"', r.out)
        self.assertFalse(any(0x80 <= ord(c) <= 0x9f or c == "\u202e" for c in r.out), repr(r.out))
        titles_back = {d["id"]: d["title"] for d in json.loads(r.out)["documents"]}
        self.assertEqual(titles_back["aaaa0005"], "\u009b31m C1 and \u202e bidi")

    def test_stale_index_is_read_as_it_is(self):
        ws = self.init_ws()
        write_doc(ws, "a", "aaaa1111", '"Pricing"')
        write_doc(ws, "b", "bbbb2222", '"Hiring"')
        self.ok("-C", str(ws), "index")
        db = ws / ".async" / "index.db"
        stamp = db.stat().st_mtime_ns
        shutil.rmtree(ws / "docs" / "a")
        write_doc(ws, "c", "cccc3333", '"New"')
        # No refresh: the new document is not offered yet, and the deleted one no longer (its
        # file is stat'ed).
        self.assertEqual(self.complete_lines("ids", cwd=ws), ["bbbb2222\tHiring"])
        self.assertEqual(db.stat().st_mtime_ns, stamp)
        self.ok("-C", str(ws), "list")
        self.assertEqual({l.split("\t")[0] for l in self.complete_lines("ids", cwd=ws)}, {"bbbb2222", "cccc3333"})

    def test_damaged_index_prints_nothing(self):
        ws = self.init_ws()
        (ws / ".async" / "index.db").write_bytes(b"not a database" * 100)
        r = self.run_async("__complete", "ids", cwd=ws)
        self.assertEqual((r.code, r.out, r.err), (0, "", ""))
        self.assertEqual((ws / ".async" / "index.db").read_bytes(), b"not a database" * 100)

    def test_items_actions_handles_keys(self):
        ws = self.init_ws()
        self.ok("-C", str(ws), "config", "set", "people.bob.name", "Bob Example")
        self.ok("-C", str(ws), "config", "set", "people.carol.email", "carol@example.com")
        write_doc(ws, "a", "aaaa1111", '"Pricing"', body="- [ ] @bob ship the draft due:2026-12-01\n- [x] @bob done\n")
        self.ok("-C", str(ws), "inbox", "add", "Call the bank")
        actions = json.loads(self.ok("-C", str(ws), "--json", "actions").out)["actions"]
        items = json.loads(self.ok("-C", str(ws), "--json", "inbox", "--all").out)["items"]
        self.assertEqual(self.complete_lines("actions", cwd=ws),
                         [f"{actions[0]['handle']}\tship the draft (@bob, due 2026-12-01)"])
        self.assertEqual(self.complete_lines("items", cwd=ws), [f"{items[0]['handle']}\titem: Call the bank"])
        self.assertEqual(self.complete_lines("items", items[0]["handle"][:3], cwd=ws), self.complete_lines("items", cwd=ws))
        self.assertEqual(self.complete_lines("items", "x", cwd=ws), [])
        self.assertEqual(self.complete_lines("handles", cwd=ws), ["bob\tBob Example", "carol\tcarol@example.com"])
        keys = {l.split("\t")[0] for l in self.complete_lines("keys", cwd=ws)}
        self.assertEqual(keys, self.config_keys(ws))
        settable = dict(l.split("\t", 1) if "\t" in l else (l, "") for l in self.complete_lines("settable-keys", cwd=ws))
        self.assertTrue(keys <= set(settable))
        self.assertEqual(settable["mail.from"], "the From: address of reminders")
        self.assertNotIn("people.bob.name", {l.split("\t")[0] for l in self.complete_lines("keys", "--global", cwd=ws)})

    def test_action_handles_by_prefix(self):
        # The prefix is applied in the index query; the answer is the same as filtering the list.
        ws = self.init_ws()
        write_doc(ws, "a", "aaaa1111", '"Many"', body="".join(f"- [ ] @bob task {i}\n" for i in range(40)))
        self.ok("-C", str(ws), "actions")  # completion reads the index as it is: refresh it
        everything = self.complete_lines("actions", cwd=ws)
        self.assertEqual(len(everything), 40)
        for prefix in sorted({line[:1] for line in everything} | {line[:2] for line in everything}):
            self.assertEqual(self.complete_lines("actions", prefix, cwd=ws),
                             [line for line in everything if line.startswith(prefix)], prefix)
        whole = everything[0].split("\t")[0]
        self.assertEqual(self.complete_lines("actions", whole, cwd=ws), [everything[0]])
        for hostile in ("%", "_", "'", "a%", whole + "0", "\u00e9", "x" * 5000):
            self.assertEqual(self.complete_lines("actions", hostile, cwd=ws), [], hostile)

    def test_unknown_kind_is_a_usage_error(self):
        r = self.run_async("__complete", "nonsense")
        self.assertEqual(r.code, 2, r)
        self.assertEqual(r.out, "")
        self.assertTrue(r.err.startswith("async: error: unknown completion kind 'nonsense'\n"), r.err)
        self.assertIn("hint: kinds: ids, meetings", r.err)
        r = self.run_async("__complete")
        self.assertEqual(r.code, 2, r)
        self.assertTrue(r.err.startswith("async: error: "), r.err)


BASH_DRIVER = r'''
source "$1" || exit 9
shift
complete -p async
COMP_WORDS=("$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE="${COMP_WORDS[*]}"
COMP_POINT=${#COMP_LINE}
_async
printf 'candidate:%s\n' "${COMPREPLY[@]}"
'''


class CompletionCases:
    """Cases every shell's completion script must pass, mixed into each shell's test case
    (which provides complete())."""

    def test_time_zone_of_a_person(self):
        """config set people.HANDLE.tz offers the system's time zone names; other keys do not."""
        ws = self.make_team_workspace()
        self.assertEqual(self.complete("async config set people.bob.tz Europe/Berl", cwd=ws), {"Europe/Berlin"})
        self.assertEqual(self.complete("async config set people.bob.tz America/New_Y", cwd=ws), {"America/New_York"})
        self.assertIn("UTC", self.complete("async config set people.bob.tz U", cwd=ws))
        self.assertNotIn("Europe/Berlin", self.complete("async config set team.name Europe/Berl", cwd=ws))

    def test_meeting(self):
        """Meeting subcommands, flags, participants and meeting ids (a document's id is not one)."""
        ws = self.make_team_workspace()
        self.ok("-C", str(ws), "doc", "new", "Not a meeting", "-m", "text")
        mid = self.ok("-C", str(ws), "meeting", "open", "Sync", "--with", "bob", "-m", "## Item").out.split()[0]
        # Completion reads the index as the last command left it (writing commands do not
        # refresh it): a read command brings the new meeting in.
        self.ok("-C", str(ws), "list")
        self.assertEqual(self.complete("async meeting "), {"open", "respond", "status", "close"})
        self.assertEqual(self.complete("async meeting open Sync --wi"), {"--with"})
        self.assertEqual(self.complete("async meeting open Sync --at"), {"--attach"})
        self.assertEqual(self.complete("async meeting respond --at"), {"--attach"})
        self.assertEqual(self.complete("async doc reply --at"), {"--attach"})
        self.assertEqual(self.complete("async doc new Title --at"), {"--attach"})
        self.assertIn(mid, self.complete("async attach ", cwd=ws))
        self.assertEqual(self.complete("async meeting open Sync --with ", cwd=ws), {"bob"})
        for sub in ("respond", "status", "close"):
            self.assertEqual(self.complete(f"async meeting {sub} ", cwd=ws), {mid})

    def test_publish(self):
        """Publish flags, and folders (not files) for -o."""
        (self.tmp / "sitedir").mkdir()
        (self.tmp / "afile").write_text("x")
        self.assertEqual(self.complete("async publish --ba"), {"--base-url"})
        self.assertEqual(self.complete("async publish -o sitedir --ti"), {"--title"})
        self.assertEqual({c.rstrip("/") for c in self.complete("async publish -o ", cwd=self.tmp)} & {"sitedir", "afile"},
                         {"sitedir"})

    def test_inbox(self):
        """Inbox subcommands, verb flags, item handles and teammates for --to."""
        ws = self.make_team_workspace()
        self.ok("-C", str(ws), "inbox", "add", "Call the bank")
        handle = json.loads(self.ok("-C", str(ws), "--json", "inbox").out)["items"][0]["handle"]
        self.assertEqual(self.complete("async inbox "), {"add", "done", "snooze", "delegate", "undo", "triage"})
        self.assertEqual(self.complete("async inbox snooze --un"), {"--until"})
        self.assertEqual(self.complete("async inbox done ", cwd=ws), {handle})
        self.assertEqual(self.complete("async inbox delegate --to ", cwd=ws), {"bob"})

    def test_agenda_calendar_remind(self):
        """The flags of agenda, calendar and remind."""
        self.assertEqual(self.complete("async ag"), {"agenda"})
        self.assertEqual(self.complete("async agenda --d"), {"--days"})
        self.assertEqual(self.complete("async calendar --m"), {"--mine"})
        self.assertEqual(self.complete("async calendar --ou"), {"--output"})
        self.assertEqual(self.complete("async remind --m"), {"--mail"})
        self.assertEqual(self.complete("async remind --dr"), {"--dry-run"})


class BashCompletion(CompletionCases, ShellTestCase):
    preamble = ""

    def complete(self, line, cwd=None):
        """COMPREPLY for the command line `line` (the cursor at its end) in a real bash."""
        words = line.split(" ")  # a trailing space gives the empty word being completed
        script = self.preamble + BASH_DRIVER
        r = self.run_shell(["bash", "--norc", "--noprofile", "-c", script, "bash",
                            str(COMPLETIONS / "async.bash"), *words], cwd=cwd)
        self.assertEqual(r.code, 0, r)
        self.assertIn("complete -F _async async", r.out)
        return {l[len("candidate:"):] for l in r.out.splitlines()
                if l.startswith("candidate:") and l != "candidate:"}

    def test_commands(self):
        self.assertEqual(self.complete("async "), COMMANDS)
        self.assertEqual(self.complete("async co"), {"config"})
        self.assertEqual(self.complete("async c"), {"config", "check", "checkin", "calendar"})
        self.assertEqual(self.complete("async s"), {"search", "show", "sync"})
        self.assertEqual(self.complete("async --json -q t"), {"templates", "tag"})

    def test_global_flags(self):
        self.assertEqual(self.complete("async --co"), {"--color="})
        self.assertEqual(self.complete("async --color = "), {"auto", "always", "never"})
        self.assertEqual(self.complete("async --color = al"), {"always"})

    def test_subcommands(self):
        self.assertEqual(self.complete("async actions "), {"done", "undo", "add", "due"})
        self.assertEqual(self.complete("async actions add x --f"), {"--for"})
        self.assertEqual(self.complete("async actions due --d"), {"--dry-run"})
        self.assertEqual(self.complete("async doc "), {"new", "reply", "close", "status"})
        self.assertEqual(self.complete("async config "), {"get", "set", "unset", "list"})
        self.assertEqual(self.complete("async templates "), {"show"})
        self.assertEqual(self.complete("async -C somewhere doc "), {"new", "reply", "close", "status"})
        self.assertEqual(self.complete("async hook "), {"install", "uninstall"})
        self.assertEqual(self.complete("async hook install "), set())

    def test_flags(self):
        self.assertEqual(self.complete("async doc new --re"), {"--reviewers"})
        self.assertEqual(self.complete("async doc new Title --no"), {"--no-edit"})
        self.assertEqual(self.complete("async config list --"), {"--global", "--show-origin", "--help"})
        self.assertEqual(self.complete("async init --"), {"--git", "--sample", "--help"})
        self.assertEqual(self.complete("async index --"), {"--full", "--check", "--watch", "--help"})
        self.assertEqual(self.complete("async list --so"), {"--sort"})
        self.assertEqual(self.complete("async list --type doc --re"), {"--reverse"})
        self.assertEqual(self.complete("async search pricing --ty"), {"--type"})
        self.assertEqual(self.complete("async actions --o"), {"--owner", "--open", "--overdue"})
        self.assertEqual(self.complete("async actions done --"), {"--dry-run", "--help"})
        self.assertEqual(self.complete("async decisions --"), {"--since", "--wide", "--help"})
        self.assertEqual(self.complete("async check --"), {"--staged", "--help"})
        self.assertEqual(self.complete("async sync --"), {"--help"})
        self.assertEqual(self.complete("async hook install --"), {"--help"})
        self.assertEqual(self.complete("async checkin "), {"status", "digest"})
        self.assertEqual(self.complete("async checkin --no"), {"--no-edit"})
        self.assertEqual(self.complete("async checkin --week "), {"this", "last", "next"} | WEEKS)
        self.assertEqual(self.complete("async checkin status --week 2026-W4"), WEEKS)
        self.assertEqual(self.complete("async checkin status --week 2026-W45"), {"2026-W45"})
        self.assertEqual(self.complete("async checkin status --"), {"--week", "--day", "--wide", "--help"})
        self.assertEqual(self.complete("async checkin --day "),
                         {"today", "last", "next", "yesterday", "mon", "tue", "wed", "thu", "fri"})
        self.assertEqual(self.complete("async checkin --week last digest --f"), {"--format"})
        self.assertEqual(self.complete("async checkin digest --format "), {"markdown", "html"})

    def test_option_values(self):
        self.assertEqual(self.complete("async list --type "), TYPES)
        self.assertEqual(self.complete("async search --type d"), {"doc", "decision"})
        self.assertEqual(self.complete("async list --sort "), {"created", "due", "title", "type"})
        self.assertEqual(self.complete("async list --sort = t"), {"title", "type"})
        self.assertEqual(self.complete("async list --status "), {"draft", "open", "closed"})
        self.assertTrue(DATE_WORDS <= self.complete("async list --since "))
        self.assertEqual(self.complete("async decisions --since yes"), {"yesterday"})

    def test_dates(self):
        self.assertTrue(DATE_WORDS <= self.complete("async doc new Title --due "))
        self.assertEqual(self.complete("async doc new -d tom"), {"tomorrow"})

    def test_template_names_include_team_override(self):
        ws = self.make_team_workspace()
        expected = self.template_names(ws)
        self.assertIn("retro", expected)
        self.assertIn("doc", expected)
        self.assertEqual(self.complete("async doc new Title --template ", cwd=ws), expected)
        self.assertEqual(self.complete("async doc new -t re", cwd=ws), {"reply", "response", "retro"})
        self.assertEqual(self.complete("async templates show ", cwd=ws), expected)
        # -C on the command line points the lookup at the workspace.
        self.assertEqual(self.complete(f"async -C {ws} templates show ret"), {"retro"})
        self.assertNotIn("retro", self.complete("async templates show "))

    def test_config_keys(self):
        ws = self.make_team_workspace()
        expected = self.config_keys(ws)
        self.assertIn("people.bob.email", expected)
        self.assertEqual(self.complete("async config get ", cwd=ws), expected)
        self.assertEqual(self.complete("async config unset peo", cwd=ws), {"people.bob.email"})
        self.assertEqual(self.complete("async doc new -r ", cwd=ws), {"bob"})

    def test_handles_for_author_and_owner(self):
        ws = self.make_team_workspace()
        self.assertEqual(self.complete("async list --author ", cwd=ws), {"bob"})
        self.assertEqual(self.complete("async search x --author b", cwd=ws), {"bob"})
        self.assertEqual(self.complete("async actions --owner ", cwd=ws), {"bob"})
        self.assertEqual(self.complete("async actions add x --for ", cwd=ws), {"bob"})

    def test_show_and_edit_complete_document_ids(self):
        ids, _ = self.make_documents()
        self.assertEqual(self.complete("async show ", cwd=self.ws), set(ids))
        some = sorted(ids)[0]
        self.assertEqual(self.complete(f"async edit {some[:3]}", cwd=self.ws),
                         {i for i in ids if i.startswith(some[:3])})
        self.assertEqual(self.complete(f"async -C {self.ws} show "), set(ids))
        self.assertEqual(self.complete(f"async show {some} ", cwd=self.ws), set())  # one REF only

    def test_actions_done_completes_open_handles(self):
        _, handles = self.make_documents()
        self.assertEqual(self.complete("async actions done ", cwd=self.ws), set(handles))
        first = sorted(handles)[0]
        self.assertEqual(self.complete(f"async actions done {first} ", cwd=self.ws), set(handles) - {first})
        self.assertEqual(self.complete(f"async -C {self.ws} actions done --dry-run {first[:2]}"),
                         {h for h in handles if h.startswith(first[:2])})

    def test_check_completes_paths(self):
        self.init_ws()
        self.assertEqual(self.complete("async check do", cwd=self.ws), {"docs"})

    def test_completion_never_creates_a_workspace(self):
        default = self.home / ".local" / "share" / "async"
        user_keys = {line.split("=", 1)[0] for line in self.ok("config", "list", "--global").out.splitlines()}
        self.assertIn("user.handle", user_keys)  # ASYNC_USER
        self.assertFalse(default.exists())
        self.assertEqual(self.complete("async config get "), user_keys)
        self.assertEqual(self.complete("async show "), set())
        self.assertEqual(self.complete("async actions done "), set())
        self.assertEqual(self.complete("async list --author "), set())
        self.assertFalse(default.exists(), "completing created the default workspace")


BASH_COMPLETION_SCRIPT = Path("/usr/share/bash-completion/bash_completion")


@unittest.skipUnless(BASH_COMPLETION_SCRIPT.is_file(), "the bash-completion package is not installed")
class BashCompletionWithPackage(BashCompletion):
    """The same cases with bash-completion loaded, so _async goes through _init_completion."""
    preamble = f"source {BASH_COMPLETION_SCRIPT}\ndeclare -F _init_completion >/dev/null || exit 8\n"


class FishCompletion(CompletionCases, ShellTestCase):
    def setUp(self):
        super().setUp()
        if not shutil.which("fish"):
            self.skipTest("fish is not installed (scripts/install-deps.sh installs it)")

    def complete(self, line, cwd=None):
        script = f"source {COMPLETIONS / 'async.fish'}; or exit 9; complete -C {quote_fish(line)}"
        r = self.run_shell(["fish", "--no-config", "-c", script], cwd=cwd)
        self.assertEqual(r.code, 0, r)
        return {l.split("\t")[0] for l in r.out.splitlines() if l}

    def test_doc_subcommand(self):
        self.assertEqual(self.complete("async doc n"), {"new"})

    def test_commands_and_flags(self):
        self.assertEqual(self.complete("async "), COMMANDS)
        self.assertEqual(self.complete("async config "), {"get", "set", "unset", "list"})
        self.assertEqual(self.complete("async doc new --re"), {"--reviewers"})
        self.assertEqual(self.complete("async --color "), {"auto", "always", "never"})
        self.assertTrue(DATE_WORDS <= self.complete("async doc new Title --due "))

    def test_dynamic_candidates(self):
        ws = self.make_team_workspace()
        templates = self.template_names(ws)
        self.assertEqual(self.complete("async doc new Title --template ", cwd=ws), templates)
        self.assertEqual(self.complete("async templates show ", cwd=ws), templates)
        self.assertEqual(self.complete("async config get ", cwd=ws), self.config_keys(ws))
        self.assertEqual(self.complete("async doc new -r ", cwd=ws), {"bob"})
        self.assertEqual(self.complete("async actions --owner ", cwd=ws), {"bob"})
        self.assertEqual(self.complete("async actions add x --for ", cwd=ws), {"bob"})

    def test_new_commands(self):
        self.assertEqual(self.complete("async list --so"), {"--sort"})
        self.assertEqual(self.complete("async list --sort "), {"created", "due", "title", "type"})
        self.assertEqual(self.complete("async list --type "), TYPES)
        self.assertEqual(self.complete("async search pricing --ty"), {"--type"})
        self.assertEqual(self.complete("async actions "), {"done", "undo", "add", "due"})
        self.assertEqual(self.complete("async actions add x --f"), {"--for"})
        self.assertEqual(self.complete("async actions due --d"), {"--dry-run"})
        self.assertEqual(self.complete("async actions done --d"), {"--dry-run"})
        self.assertEqual(self.complete("async hook "), {"install", "uninstall"})
        self.assertEqual(self.complete("async checkin "), {"status", "digest"})
        self.assertEqual(self.complete("async checkin --no"), {"--no-edit"})
        self.assertEqual(self.complete("async checkin digest --fo"), {"--format"})
        self.assertEqual(self.complete("async checkin digest --format "), {"markdown", "html"})

    def test_ids_and_handles_with_descriptions(self):
        ids, handles = self.make_documents()
        self.assertEqual(self.complete_lines("async show ", cwd=self.ws),
                         {f"{i}\t{title}" for i, title in ids.items()})
        self.assertEqual(self.complete("async show x ", cwd=self.ws), set())
        self.assertEqual(self.complete("async actions done ", cwd=self.ws), set(handles))
        self.assertEqual({l.split("\t")[1].split(" (@")[0] for l in self.complete_lines("async actions done ", cwd=self.ws)},
                         set(handles.values()))

    def complete_lines(self, line, cwd=None):
        script = f"source {COMPLETIONS / 'async.fish'}; or exit 9; complete -C {quote_fish(line)}"
        r = self.run_shell(["fish", "--no-config", "-c", script], cwd=cwd)
        self.assertEqual(r.code, 0, r)
        return {l for l in r.out.splitlines() if l}


def quote_fish(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


# Drives real zsh completion: an interactive `zsh -f -i` in a zsh/zpty pseudo-terminal loads
# compinit with the completions folder on $fpath, wraps compadd to print every candidate it
# is given, types the line and a Tab, and reads what is printed between the two markers
# written by compprefuncs/comppostfuncs (the latter also exits the inner shell). Every read
# blocks on real output, and every loop is bounded.
ZSH_CAPTURE = r'''
zmodload zsh/zpty || exit 3
compdir=$1 cmdline=$2 init=$3
cat > $init <<INIT
PROMPT=
PS2=
fpath=($compdir \$fpath)
autoload -Uz compinit
compinit -u -D
bindkey '^I' complete-word
__capture_mark() { print -r -- "CAPTURE-MARK" }
compprefuncs=( __capture_mark )
comppostfuncs=( __capture_mark exit )
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
compadd() {
  if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then
    builtin compadd "\$@"
    return
  fi
  local -a __hits
  builtin compadd -A __hits "\$@"
  local h
  for h in \$__hits; do print -r -- "CANDIDATE:\$h"; done
  integer __i=\${@[(i)-d]}
  if (( __i < \$# )); then
    for h in "\${(@P)\${@[__i+1]}}"; do print -r -- "DESCRIPTION:\$h"; done
  fi
  builtin compadd "\$@"
}
print READY
INIT
zpty z zsh -f -i || exit 4
zpty -w z "source ${(q)init}"
integer n=0 marks=0
local line
while (( n++ < 200 )) && zpty -r z line; do
  [[ $line == READY* ]] && break
done
(( n < 200 )) || exit 5
zpty -w -n z "$cmdline"$'\t'
n=0
while (( n++ < 5000 )) && zpty -r z line; do
  line=${line%$'\r\n'}
  line=${line%$'\n'}
  line=${line%$'\r'}
  if [[ $line == *CAPTURE-MARK* ]]; then
    (( ++marks >= 2 )) && break
    continue
  fi
  (( marks == 1 )) && [[ $line == *CANDIDATE:* ]] && print -r -- ${line#*CANDIDATE:}
  (( marks == 1 )) && [[ $line == *DESCRIPTION:* ]] && print -r -- DESCRIPTION:${line#*DESCRIPTION:}
done
zpty -d z
(( marks >= 2 )) || exit 6
'''


class ZshCompletion(CompletionCases, ShellTestCase):
    def setUp(self):
        super().setUp()
        if not shutil.which("zsh"):
            self.skipTest("zsh is not installed (scripts/install-deps.sh installs it)")

    def test_sources_after_compinit(self):
        r = self.run_shell(["zsh", "-f", "-c", f"autoload -U compinit; compinit -u; "
                            f"source {COMPLETIONS / '_async'}; print -r -- $_comps[async]"])
        self.assertEqual((r.code, r.err, r.out), (0, "", "_async\n"))

    def complete(self, line, cwd=None, compdir=COMPLETIONS):
        return {l for l in self.zsh_output(line, cwd, compdir) if not l.startswith("DESCRIPTION:")}

    def descriptions(self, line, cwd=None):
        """What zsh shows beside each candidate ("id  -- title")."""
        return {l[len("DESCRIPTION:"):] for l in self.zsh_output(line, cwd) if l.startswith("DESCRIPTION:")}

    def test_commands_and_flags(self):
        self.assertEqual(self.complete("async "), COMMANDS)
        self.assertEqual(self.complete("async doc n"), {"new"})
        self.assertEqual(self.complete("async config "), {"get", "set", "unset", "list"})
        self.assertEqual(self.complete("async doc new --re"), {"--reviewers"})
        self.assertEqual(self.complete("async --color="), {"auto", "always", "never"})
        self.assertEqual(self.complete("async doc new -d tom"), {"tomorrow"})

    def test_dynamic_candidates(self):
        ws = self.make_team_workspace()
        templates = self.template_names(ws)
        self.assertEqual(self.complete("async doc new Title --template ", cwd=ws), templates)
        self.assertEqual(self.complete("async templates show ", cwd=ws), templates)
        self.assertEqual(self.complete("async config get ", cwd=ws), self.config_keys(ws))
        self.assertEqual(self.complete("async list --author ", cwd=ws), {"bob"})
        self.assertEqual(self.complete("async actions --owner ", cwd=ws), {"bob"})
        self.assertEqual(self.complete("async actions add x --for ", cwd=ws), {"bob"})

    def test_new_commands(self):
        self.assertEqual(self.complete("async list --so"), {"--sort"})
        self.assertEqual(self.complete("async list --sort "), {"created", "due", "title", "type"})
        self.assertEqual(self.complete("async list --type "), TYPES)
        self.assertEqual(self.complete("async actions "), {"done", "undo", "add", "due"})
        self.assertEqual(self.complete("async actions add x --f"), {"--for"})
        self.assertEqual(self.complete("async actions due --d"), {"--dry-run"})
        self.assertEqual(self.complete("async actions done --d"), {"--dry-run"})
        self.assertEqual(self.complete("async hook "), {"install", "uninstall"})

    def test_inbox(self):
        super().test_inbox()
        self.assertEqual(self.complete("async checkin "), {"status", "digest"})
        self.assertEqual(self.complete("async checkin --no"), {"--no-edit"})
        self.assertEqual(self.complete("async checkin digest --fo"), {"--format"})
        self.assertEqual(self.complete("async checkin digest --format "), {"markdown", "html"})

    def test_ids_and_handles(self):
        ids, handles = self.make_documents()
        self.assertEqual(self.complete("async show ", cwd=self.ws), set(ids))
        self.assertEqual(self.complete("async edit ", cwd=self.ws), set(ids))
        self.assertEqual(self.complete("async actions done ", cwd=self.ws), set(handles))
        first = sorted(handles)[0]
        self.assertEqual(self.complete(f"async actions done {first} ", cwd=self.ws), set(handles) - {first})

    def test_ids_with_titles(self):
        ids, handles = self.make_documents()
        described = self.descriptions("async show ", cwd=self.ws)
        for doc_id, title in ids.items():
            self.assertTrue(any(d.startswith(doc_id) and d.endswith(f"-- {title}") for d in described), described)
        described = self.descriptions("async actions done ", cwd=self.ws)
        for handle, text in handles.items():
            self.assertTrue(any(d.startswith(handle) and f"-- {text} (@" in d for d in described), described)

    def test_weeks(self):
        self.assertEqual(self.complete("async checkin --week "), {"this", "last", "next"} | WEEKS)
        self.assertTrue(any(d.startswith("2026-W48") and d.endswith("this week, from Mon 2026-11-23")
                            for d in self.descriptions("async checkin --week 2026")))


def build_dir():
    """The CMake build folder of the binary under test (ASYNC_BUILD_DIR, else the folder above
    ASYNC_BIN holding CMakeCache.txt), None when there is none."""
    if os.environ.get("ASYNC_BUILD_DIR"):
        return Path(os.environ["ASYNC_BUILD_DIR"])
    for parent in Path(harness.BIN).resolve().parents:
        if (parent / "CMakeCache.txt").is_file():
            return parent
    return None


class InstalledCompletions(ShellTestCase):
    """`cmake --install` puts completions and man pages where each shell and man look, and each
    finds them there the way it normally does."""

    def setUp(self):
        super().setUp()
        build = build_dir()
        if build is None or not shutil.which("cmake"):
            self.skipTest("no CMake build folder above ASYNC_BIN (set ASYNC_BUILD_DIR)")
        self.prefix = self.tmp / "prefix"
        r = self.run_shell(["cmake", "--install", str(build), "--prefix", str(self.prefix)], timeout=120)
        self.assertEqual(r.code, 0, r)
        self.share = self.prefix / "share"
        for rel in ["bash-completion/completions/async", "zsh/vendor-completions/_async",
                    "fish/vendor_completions.d/async.fish", "man/man1/async.1", "man/man1/async-config.1",
                    "man/man5/async-config.5", "man/man5/async-files.5", "man/man7/async-templates.7"]:
            self.assertTrue((self.share / rel).is_file(), rel)
        self.ids, _ = self.make_documents()

    def test_bash_loads_it_through_bash_completion(self):
        if not BASH_COMPLETION_SCRIPT.is_file():
            self.skipTest("the bash-completion package is not installed")
        # The package's on-demand loader finds share/bash-completion/completions/async through
        # XDG_DATA_DIRS the first time `async` is completed.
        script = f"""source {BASH_COMPLETION_SCRIPT} || exit 8
complete -p async >/dev/null 2>&1 && exit 7
_completion_loader async
shopt -s extdebug
declare -F _async
complete -p async
COMP_WORDS=(async show "")
COMP_CWORD=2
COMP_LINE="async show "
COMP_POINT=${{#COMP_LINE}}
_async
printf 'candidate:%s\\n' "${{COMPREPLY[@]}}"
"""
        self.env["XDG_DATA_DIRS"] = str(self.share)
        r = self.run_shell(["bash", "--norc", "--noprofile", "-c", script], cwd=self.ws)
        self.assertEqual(r.code, 0, r)
        # `declare -F` with extdebug: "_async LINE FILE", the file it was defined in.
        self.assertRegex(r.out, rf"(?m)^_async [0-9]+ {re.escape(str(self.share / 'bash-completion' / 'completions' / 'async'))}$")
        self.assertIn("complete -F _async async", r.out)
        self.assertEqual({l[len("candidate:"):] for l in r.out.splitlines() if l.startswith("candidate:")}, set(self.ids))

    def test_zsh_finds_it_on_fpath(self):
        if not shutil.which("zsh"):
            self.skipTest("zsh is not installed")
        vendor = self.share / "zsh" / "vendor-completions"
        r = self.run_shell(["zsh", "-f", "-c", f"fpath=({vendor} $fpath); autoload -U compinit; compinit -u -D; "
                            "print -r -- $_comps[async]; print -r -- $functions_source[_async]"])
        self.assertEqual((r.code, r.err), (0, ""), r)
        self.assertEqual(r.out.splitlines()[0], "_async")
        self.assertEqual(ZshCompletion.complete(self, "async show ", cwd=self.ws, compdir=vendor), set(self.ids))

    def test_fish_finds_it_in_vendor_completions(self):
        if not shutil.which("fish"):
            self.skipTest("fish is not installed")
        # fish adds $XDG_DATA_DIRS/fish/vendor_completions.d to fish_complete_path at start-up.
        self.env["XDG_DATA_DIRS"] = f"{self.share}:/usr/share"
        script = ("contains -- " + str(self.share / "fish" / "vendor_completions.d") + " $fish_complete_path; or exit 7; "
                  "complete -C 'async show '; functions --details __async_command_path")
        r = self.run_shell(["fish", "-c", script], cwd=self.ws)
        self.assertEqual(r.code, 0, r)
        lines = r.out.splitlines()
        self.assertEqual(lines[-1], str(self.share / "fish" / "vendor_completions.d" / "async.fish"))
        self.assertEqual({l for l in lines[:-1] if l}, {f"{i}\t{t}" for i, t in self.ids.items()})

    def test_man_finds_the_pages(self):
        if not shutil.which("man"):
            self.skipTest("man is not installed")
        man = self.share / "man"
        for section, page in [("5", "async-config"), ("1", "async-config"), ("1", "async"), ("5", "async-files"),
                              ("7", "async-templates")]:
            r = self.run_shell(["man", "-M", str(man), "-w", section, page])
            self.assertEqual((r.code, r.out.strip()), (0, str(man / f"man{section}" / f"{page}.{section}")), r)
        r = self.run_shell(["man", "-M", str(man), "-P", "cat", "5", "async-config"])
        self.assertEqual(r.code, 0, r)
        self.assertIn("config.toml", r.out)


if __name__ == "__main__":
    harness.main()
