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
COMMANDS = {"actions", "agenda", "calendar", "check", "checkin", "config", "decisions", "doc", "edit", "hook",
            "inbox", "index", "init", "list", "meeting", "publish", "remind", "search", "show", "sync",
            "templates"}
TYPES = {"doc", "decision", "sop", "onboarding", "post", "watercooler", "meeting", "response", "reply",
         "summary", "checkin", "item"}
DATE_WORDS = {"today", "tomorrow", "yesterday", "eod", "eow", "now", "fri", "friday", "+1d", "+1w"}


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

    def check_meeting_completion(self):
        """Meeting subcommands, flags, participants and meeting ids (a document's id is not one)."""
        ws = self.make_team_workspace()
        self.ok("-C", str(ws), "doc", "new", "Not a meeting", "-m", "text")
        mid = self.ok("-C", str(ws), "meeting", "open", "Sync", "--with", "bob", "-m", "## Item").out.split()[0]
        self.assertEqual(self.complete("async meeting "), {"open", "respond", "status", "close"})
        self.assertEqual(self.complete("async meeting open Sync --wi"), {"--with"})
        self.assertEqual(self.complete("async meeting open Sync --at"), {"--attach"})
        self.assertEqual(self.complete("async meeting open Sync --with ", cwd=ws), {"bob"})
        for sub in ("respond", "status", "close"):
            self.assertEqual(self.complete(f"async meeting {sub} ", cwd=ws), {mid})

    def check_publish_completion(self):
        """Publish flags, and folders (not files) for -o."""
        (self.tmp / "sitedir").mkdir()
        (self.tmp / "afile").write_text("x")
        self.assertEqual(self.complete("async publish --ba"), {"--base-url"})
        self.assertEqual(self.complete("async publish -o sitedir --ti"), {"--title"})
        self.assertEqual({c.rstrip("/") for c in self.complete("async publish -o ", cwd=self.tmp)} & {"sitedir", "afile"},
                         {"sitedir"})

    def check_inbox_completion(self):
        """Inbox subcommands, verb flags, item handles and teammates for --to."""
        ws = self.make_team_workspace()
        self.ok("-C", str(ws), "inbox", "add", "Call the bank")
        handle = json.loads(self.ok("-C", str(ws), "--json", "inbox").out)["items"][0]["handle"]
        self.assertEqual(self.complete("async inbox "), {"add", "done", "snooze", "delegate", "undo", "triage"})
        self.assertEqual(self.complete("async inbox snooze --un"), {"--until"})
        self.assertEqual(self.complete("async inbox done ", cwd=ws), {handle})
        self.assertEqual(self.complete("async inbox delegate --to ", cwd=ws), {"bob"})

    def check_calendar_completion(self):
        """The flags of agenda, calendar and remind."""
        self.assertEqual(self.complete("async ag"), {"agenda"})
        self.assertEqual(self.complete("async agenda --d"), {"--days"})
        self.assertEqual(self.complete("async calendar --m"), {"--mine"})
        self.assertEqual(self.complete("async calendar --ou"), {"--output"})
        self.assertEqual(self.complete("async remind --m"), {"--mail"})
        self.assertEqual(self.complete("async remind --dr"), {"--dry-run"})

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
        self.assertTrue({"async.1", "async-init.1", "async-doc.1", "async-config.1",
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


class BashCompletion(ShellTestCase):
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
        self.assertEqual(self.complete("async --json -q t"), {"templates"})

    def test_meeting(self):
        self.check_meeting_completion()

    def test_publish(self):
        self.check_publish_completion()

    def test_inbox(self):
        self.check_inbox_completion()

    def test_agenda_calendar_remind(self):
        self.check_calendar_completion()

    def test_global_flags(self):
        self.assertEqual(self.complete("async --co"), {"--color="})
        self.assertEqual(self.complete("async --color = "), {"auto", "always", "never"})
        self.assertEqual(self.complete("async --color = al"), {"always"})

    def test_subcommands(self):
        self.assertEqual(self.complete("async actions "), {"done"})
        self.assertEqual(self.complete("async doc "), {"new", "reply", "close"})
        self.assertEqual(self.complete("async config "), {"get", "set", "unset", "list"})
        self.assertEqual(self.complete("async templates "), {"show"})
        self.assertEqual(self.complete("async -C somewhere doc "), {"new", "reply", "close"})
        self.assertEqual(self.complete("async hook "), {"install", "uninstall"})
        self.assertEqual(self.complete("async hook install "), set())

    def test_flags(self):
        self.assertEqual(self.complete("async doc new --re"), {"--reviewers"})
        self.assertEqual(self.complete("async doc new Title --no"), {"--no-edit"})
        self.assertEqual(self.complete("async config list --"), {"--global", "--show-origin", "--help"})
        self.assertEqual(self.complete("async init --"), {"--git", "--sample", "--help"})
        self.assertEqual(self.complete("async index --"), {"--full", "--check", "--help"})
        self.assertEqual(self.complete("async list --so"), {"--sort"})
        self.assertEqual(self.complete("async list --type doc --re"), {"--reverse"})
        self.assertEqual(self.complete("async search pricing --ty"), {"--type"})
        self.assertEqual(self.complete("async actions --o"), {"--owner", "--open", "--overdue"})
        self.assertEqual(self.complete("async actions done --"), {"--dry-run", "--help"})
        self.assertEqual(self.complete("async decisions --"), {"--since", "--help"})
        self.assertEqual(self.complete("async check --"), {"--staged", "--help"})
        self.assertEqual(self.complete("async sync --"), {"--help"})
        self.assertEqual(self.complete("async hook install --"), {"--help"})
        self.assertEqual(self.complete("async checkin "), {"status", "digest"})
        self.assertEqual(self.complete("async checkin --no"), {"--no-edit"})
        self.assertEqual(self.complete("async checkin --week "), {"this", "last", "next"})
        self.assertEqual(self.complete("async checkin status --"), {"--week", "--help"})
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


class FishCompletion(ShellTestCase):
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

    def test_meeting(self):
        self.check_meeting_completion()

    def test_publish(self):
        self.check_publish_completion()

    def test_inbox(self):
        self.check_inbox_completion()

    def test_agenda_calendar_remind(self):
        self.check_calendar_completion()

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

    def test_new_commands(self):
        self.assertEqual(self.complete("async list --so"), {"--sort"})
        self.assertEqual(self.complete("async list --sort "), {"created", "due", "title", "type"})
        self.assertEqual(self.complete("async list --type "), TYPES)
        self.assertEqual(self.complete("async search pricing --ty"), {"--type"})
        self.assertEqual(self.complete("async actions "), {"done"})
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
done
zpty -d z
(( marks >= 2 )) || exit 6
'''


class ZshCompletion(ShellTestCase):
    def setUp(self):
        super().setUp()
        if not shutil.which("zsh"):
            self.skipTest("zsh is not installed (scripts/install-deps.sh installs it)")

    def test_sources_after_compinit(self):
        r = self.run_shell(["zsh", "-f", "-c", f"autoload -U compinit; compinit -u; "
                            f"source {COMPLETIONS / '_async'}; print -r -- $_comps[async]"])
        self.assertEqual((r.code, r.err, r.out), (0, "", "_async\n"))

    def complete(self, line, cwd=None):
        script = self.tmp / "capture.zsh"
        script.write_text(ZSH_CAPTURE)
        r = self.run_shell(["zsh", "-f", str(script), str(COMPLETIONS), line,
                            str(self.tmp / "zsh-init.zsh")], cwd=cwd)
        self.assertEqual(r.code, 0, r)
        return {l for l in r.out.splitlines() if l.strip()}

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

    def test_new_commands(self):
        self.assertEqual(self.complete("async list --so"), {"--sort"})
        self.assertEqual(self.complete("async list --sort "), {"created", "due", "title", "type"})
        self.assertEqual(self.complete("async list --type "), TYPES)
        self.assertEqual(self.complete("async actions "), {"done"})
        self.assertEqual(self.complete("async actions done --d"), {"--dry-run"})
        self.assertEqual(self.complete("async hook "), {"install", "uninstall"})

    def test_meeting(self):
        self.check_meeting_completion()

    def test_publish(self):
        self.check_publish_completion()

    def test_inbox(self):
        self.check_inbox_completion()
        self.assertEqual(self.complete("async checkin "), {"status", "digest"})
        self.assertEqual(self.complete("async checkin --no"), {"--no-edit"})
        self.assertEqual(self.complete("async checkin digest --fo"), {"--format"})
        self.assertEqual(self.complete("async checkin digest --format "), {"markdown", "html"})

    def test_agenda_calendar_remind(self):
        self.check_calendar_completion()

    def test_ids_and_handles(self):
        ids, handles = self.make_documents()
        self.assertEqual(self.complete("async show ", cwd=self.ws), set(ids))
        self.assertEqual(self.complete("async edit ", cwd=self.ws), set(ids))
        self.assertEqual(self.complete("async actions done ", cwd=self.ws), set(handles))
        first = sorted(handles)[0]
        self.assertEqual(self.complete(f"async actions done {first} ", cwd=self.ws), set(handles) - {first})


if __name__ == "__main__":
    harness.main()
