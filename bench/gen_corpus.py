#!/usr/bin/env python3
"""Deterministic corpus generator for the async benchmarks (python3 stdlib only).

Usage:
    gen_corpus.py --docs N OUT_DIR   an async workspace with N items (documents + meetings)
    gen_corpus.py --adr N DIR        an adr-tools directory with N records
    options: --seed S (default 20261126), --force (write into a non-empty OUT_DIR)

The same N and seed always give byte-identical files (no clock, no hash-order dependence).
100,000 items take well under a minute (they are assembled from a pre-built sentence pool).

--docs N OUT_DIR writes:
    OUT_DIR/.async/config.toml   [team], 5 x [people.HANDLE] (name, email), [checkin]
    OUT_DIR/.gitignore           .async/index.db*, .async/local/ (what `async init` writes)
    OUT_DIR/docs/<date>-<slug>/index.md                ~90% of the N items
    OUT_DIR/meetings/<date>-<slug>/index.md            ~10% of the N items (type "meeting")
    OUT_DIR/meetings/<date>-<slug>/responses/<h>.md    0..all participants responded
  Each index.md is 1-8 KB (1024..8192 bytes): TOML front matter between "+++" fences with
  id (8 chars [0-9a-z], unique across the corpus, responses included), type (doc, decision,
  sop, post in docs/; meeting in meetings/; response for responses), title, author,
  created (UTC, e.g. 2026-11-26T10:15:00Z, between 2024-01-01 and 2026-11-25), status
  (draft/open/closed), reviewers (array; meetings have `participants` instead; left out
  when empty, as async's writer does), due (on ~60%; always on meetings), tags (left out
  when empty); then a Markdown body: "## " headings, prose with @mentions, task-list
  actions "- [ ] @bob ship the draft due:2026-12-01" and some "- [x]", "Decision: ..."
  lines (and list items under a "## Decisions" heading), now and then a link and a fenced
  code block (whose lines look like actions/mentions/decisions but must NOT count: text in
  code is never an action, decision or mention). A few words carry Latin-1 accents (café,
  naïve, résumé). The handles are alice, bob, carol, dave, erin; @mallory (not a team
  member) is mentioned in exactly the items with i % 500 == 250 (an "unknown person").

Word frequencies (for search benchmarks). Item i is the i-th generated item, 0 <= i < N, in
generation order (docs and meetings interleaved); responses are not items and never carry
the marker words below. The marker words appear in no other place (not in titles, tags,
code blocks, responses or the vocabulary), always lower case, delimited by spaces/punctuation:
    "quixotically"  rare: exactly ONE item (i == N // 2), once, in its body.
    "xylophonist"   rare: items with i % 1000 == 500, once each in the body
                    -> count = N // 1000 + (1 if N % 1000 > 500 else 0)
                       (N=1,000: 1; N=10,000: 10; N=100,000: 100).
    "marzipan"      mid: items with i % 100 == 42, once each in the body
                    -> count = N // 100 + (1 if N % 100 > 42 else 0)
                       (N=1,000: 10; N=10,000: 100; N=100,000: 1,000).
Common words ("the", "team", "we", "release", ...) appear in nearly every item; the rest of
the vocabulary follows a Zipf-like curve (weight 1/rank), so mid-frequency words such as
"invoice" or "latency" are in a few percent of items.

--adr N DIR writes what `adr init doc/adr` followed by N-1 `adr new TITLE` would (with
VISUAL=true): DIR/.adr-dir containing "doc/adr", DIR/doc/adr/0001-record-architecture-
decisions.md from adr-tools' init.md, and 0002..NNNN-<slug>.md from its template.md (slug
made the way adr-new makes it), dated 2024-01-01 onwards.
"""

import argparse
import os
import random
import sys
from datetime import datetime, timedelta, timezone

HANDLES = ["alice", "bob", "carol", "dave", "erin"]
PEOPLE = {
    "alice": "Alice Anders",
    "bob": "Bob Brennan",
    "carol": "Carol Chen",
    "dave": "Dave Duarte",
    "erin": "Erin Eklund",
}
ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"

# Ordered by rank: the weight of word k is 1/(k+1) (Zipf), so the first ones are common.
VOCAB = """
the we to and of a in for is that on this it with be our team as will are by
release customer draft review plan week data page pricing users support
should can need work time from new next first update feedback test issue
project design process meeting document change question problem cost risk
team's launch build deploy service server client api mobile web email
report numbers goal owner deadline budget estimate quarter month metric
onboarding handbook checklist policy workflow incident outage postmortem
invoice billing contract vendor security audit access password backup
latency throughput cache database index query schema migration storage
dashboard chart funnel signup retention churn conversion revenue
roadmap milestone sprint backlog ticket priority scope requirement spec
interview hiring candidate offer mentor pairing rotation oncall pager
translation locale accessibility contrast keyboard screenreader
café naïve résumé façade
newsletter blog announcement podcast recording transcript walkthrough
offsite watercooler trivia recipe garden hiking chess playlist
kubernetes terraform ansible nginx postgres sqlite redis kafka
throttle debounce idempotent backpressure sharding replication quorum
hypothesis experiment cohort baseline regression variance percentile
procurement compliance gdpr retention-policy subprocessor
lighthouse bundle treeshaking hydration prefetch
""".split()

# Filler that makes sentences read like prose.
OPENERS = ["We", "I think we", "The team", "Our customers", "Last week we", "This quarter we",
           "Support", "Finance", "Nobody", "Everyone", "It looks like we", "If we"]
VERBS = ["need to", "should", "could", "want to", "agreed to", "will", "tried to", "forgot to",
         "keep having to", "plan to"]
ENDINGS = [".", ".", ".", ".", "?", " for now.", " before the launch.", " by the end of the month."]

TITLE_HEADS = ["Pricing page", "Billing", "Onboarding", "Incident", "Release", "Hiring",
               "Roadmap", "Search", "Dashboard", "Mobile app", "Support rota", "Security audit",
               "Newsletter", "Offsite", "Database", "API", "Signup funnel", "Café menu",
               "Handbook", "Backup", "Accessibility", "Cache", "Recording", "Vendor"]
TITLE_TAILS = ["redesign", "plan", "review", "proposal", "retrospective", "checklist", "update",
               "migration", "policy", "experiment", "runbook", "options", "next steps",
               "postmortem", "draft", "budget", "questions", "for Q1", "for Q3", "cleanup"]
TAGS = ["pricing", "web", "billing", "ops", "hiring", "security", "mobile", "infra", "docs",
        "growth", "support", "fun", "finance", "legal", "data", "design"]
DOC_TYPES = ["doc"] * 5 + ["decision"] * 2 + ["sop"] * 2 + ["post"]
HEADINGS = {
    "doc": ["What is the problem?", "What do I need?", "What does success look like?",
            "Concerns", "First step"],
    "decision": ["Context", "Options", "Decision", "Consequences"],
    "sop": ["Purpose", "When to use this", "Steps", "Troubleshooting", "Recording"],
    "post": ["Background", "What we learned", "What's next"],
    "meeting": ["Goal", "Item 1: status", "Item 2: open questions", "Item 3: next steps"],
}
DECISION_VERBS = ["go with", "keep", "drop", "adopt", "postpone", "split", "pilot", "retire"]
ACTION_VERBS = ["ship the draft", "update the dashboard", "email the vendor", "review the spec",
                "book the room", "fix the flaky test", "write the runbook", "record a walkthrough",
                "check the numbers", "ask legal", "rotate the keys", "migrate the schema"]
CODE_BLOCKS = [
    "```sh\nasync doc new \"Example\" --no-edit\n# - [ ] @carol this is not an action\n```\n",
    "```toml\n[people.alice]\nname = \"Alice\"\n# Decision: not a decision, it is code\n```\n",
    "```python\ndef total(rows):\n    return sum(r.amount for r in rows)  # @bob is not a mention here\n```\n",
    "```\nSELECT id, title FROM documents WHERE status = 'open';\n```\n",
]

START = datetime(2024, 1, 1, tzinfo=timezone.utc)
SPAN_MINUTES = int((datetime(2026, 11, 25, 23, 59, tzinfo=timezone.utc) - START).total_seconds() // 60)


def toml_time(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def toml_array(items):
    return "[" + ", ".join(toml_str(x) for x in items) + "]"


def slugify(title):
    """An ASCII slug like async's: lower case, runs of other characters become one '-'."""
    fold = {"é": "e", "è": "e", "ï": "i", "ç": "c", "à": "a", "ö": "o", "ü": "u"}
    out, dash = [], False
    for ch in title.lower():
        ch = fold.get(ch, ch)
        if ch.isascii() and ch.isalnum():
            if dash and out:
                out.append("-")
            dash = False
            out.append(ch)
        elif ch != "'":
            dash = True
    return "".join(out)[:50].rstrip("-")


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.ids = set()
        weights = [1.0 / (k + 1) for k in range(len(VOCAB))]
        cum, total = [], 0.0
        for w in weights:
            total += w
            cum.append(total)
        self.cum = cum
        # A pool of sentences and paragraphs, built once: items are assembled from it.
        self.sentences = [self._sentence() for _ in range(6000)]
        self.paragraphs = [self._paragraph() for _ in range(3000)]

    def _sentence(self):
        rng = self.rng
        words = rng.choices(VOCAB, cum_weights=self.cum, k=rng.randint(6, 16))
        if rng.random() < 0.12:
            words.insert(rng.randrange(len(words)), "@" + rng.choice(HANDLES))
        text = " ".join(words)
        return f"{rng.choice(OPENERS)} {rng.choice(VERBS)} {text}{rng.choice(ENDINGS)}"

    def _paragraph(self):
        return " ".join(self.rng.choices(self.sentences, k=self.rng.randint(2, 6)))

    def new_id(self):
        while True:
            i = "".join(self.rng.choices(ALPHABET, k=8))
            if i not in self.ids:
                self.ids.add(i)
                return i

    def date(self, after):
        return after + timedelta(days=self.rng.randint(1, 40))

    def action(self, created, done):
        rng = self.rng
        who = "@" + rng.choice(HANDLES) + " " if rng.random() < 0.85 else ""
        due = ""
        if rng.random() < 0.6:
            due = " due:" + self.date(created).strftime("%Y-%m-%d")
        return f"- [{'x' if done else ' '}] {who}{rng.choice(ACTION_VERBS)}{due}\n"

    def decision(self):
        rng = self.rng
        return (f"Decision: we {rng.choice(DECISION_VERBS)} the {rng.choice(VOCAB[40:200])} "
                f"{' '.join(rng.choices(VOCAB[:60], k=rng.randint(3, 8)))}.\n")

    def body(self, kind, created, target, markers):
        """Markdown body of about `target` bytes; markers are placed in the first paragraph."""
        rng = self.rng
        parts = []
        first = rng.choice(self.paragraphs)
        if markers:
            first = first + " " + " ".join(markers) + "."
        parts.append(first + "\n\n")
        size = len(parts[0])
        headings = HEADINGS[kind]
        h = 0
        while size < target:
            r = rng.random()
            if r < 0.22 and h < len(headings) * 2:
                text = f"## {headings[h % len(headings)]}\n\n"
                h += 1
            elif r < 0.34:
                text = "".join(self.action(created, rng.random() < 0.3)
                               for _ in range(rng.randint(1, 4))) + "\n"
            elif r < 0.40:
                text = self.decision() + "\n"
            elif r < 0.43:
                text = "## Decisions\n\n" + "".join("- " + self.decision()[len("Decision: "):]
                                                    for _ in range(rng.randint(1, 3))) + "\n"
            elif r < 0.437:
                text = rng.choice(CODE_BLOCKS) + "\n"
            elif r < 0.47:
                text = (f"See the [{rng.choice(TITLE_HEADS).lower()} notes]"
                        f"(https://example.com/{rng.choice(TAGS)}/{rng.randint(1, 999)}) "
                        f"and ask @{rng.choice(HANDLES)} if anything is unclear.\n\n")
            else:
                text = rng.choice(self.paragraphs) + "\n\n"
            parts.append(text)
            size += len(text.encode("utf-8")) if not text.isascii() else len(text)
        return "".join(parts)


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def config_toml():
    lines = ["# Team settings for this async workspace: committed and shared. See async-config(5).",
             "", "[team]", 'name = "Bench Team"', ""]
    for h in HANDLES:
        lines += [f"[people.{h}]", f"name = {toml_str(PEOPLE[h])}", f'email = "{h}@example.com"', ""]
    lines += ["[checkin]", "# The weekly check-in day (mon..sun).", 'day = "fri"', ""]
    return "\n".join(lines)


def prepare_dir(out, force):
    if os.path.isdir(out) and os.listdir(out) and not force:
        sys.exit(f"gen_corpus.py: '{out}' is not empty (use --force to write into it)")
    os.makedirs(out, exist_ok=True)


def gen_docs(n, out, seed, force):
    prepare_dir(out, force)
    g = Generator(seed)
    rng = g.rng
    os.makedirs(os.path.join(out, ".async", "templates"), exist_ok=True)
    write(os.path.join(out, ".async", "config.toml"), config_toml())
    write(os.path.join(out, ".gitignore"), ".async/index.db*\n.async/local/\n")
    for section in ("docs", "meetings"):
        os.makedirs(os.path.join(out, section), exist_ok=True)
    used = set()
    stats = {"docs": 0, "meetings": 0, "responses": 0, "bytes": 0, "min": 1 << 30, "max": 0}
    for i in range(n):
        is_meeting = rng.random() < 0.10
        kind = "meeting" if is_meeting else rng.choice(DOC_TYPES)
        created = START + timedelta(minutes=rng.randrange(SPAN_MINUTES))
        created = created.replace(minute=created.minute - created.minute % 5)
        title = f"{rng.choice(TITLE_HEADS)} {rng.choice(TITLE_TAILS)}"
        if rng.random() < 0.5:
            title += f" {rng.choice(VOCAB[20:120])}"
        author = rng.choice(HANDLES)
        others = [h for h in HANDLES if h != author]
        age_days = (datetime(2026, 11, 26, tzinfo=timezone.utc) - created).days
        status = rng.choice(["draft", "open", "open"]) if age_days < 30 else \
            rng.choice(["open", "closed", "closed", "closed"])
        people = rng.sample(others, rng.randint(0 if not is_meeting else 2, 3))
        due = None
        if is_meeting or rng.random() < 0.6:
            due = (created + timedelta(days=rng.randint(2, 10))).replace(
                hour=17, minute=0, second=0)
        tags = rng.sample(TAGS, rng.randint(0, 3))

        markers = []
        if i == n // 2:
            markers.append("quixotically")
        if i % 1000 == 500:
            markers.append("xylophonist")
        if i % 100 == 42:
            markers.append("marzipan")
        if i % 500 == 250:
            markers.append("with @mallory")

        fm = ["+++", f'id = "{g.new_id()}"', f'type = "{kind}"', f"title = {toml_str(title)}",
              f'author = "{author}"', f"created = {toml_time(created)}", f'status = "{status}"']
        if people:  # like async's writer: an empty list is left out
            fm.append(f"{'participants' if is_meeting else 'reviewers'} = {toml_array(people)}")
        if due:
            fm.append(f"due = {toml_time(due)}")
        if tags:
            fm.append(f"tags = {toml_array(tags)}")
        fm.append("+++\n\n")
        head = "\n".join(fm)
        target = rng.randint(1024, 7200) - len(head)
        text = head + g.body(kind, created, max(target, 200), markers)
        data = text.encode("utf-8")
        if len(data) > 8192:
            # Cut whole blocks off the end; never into the first paragraph (it holds the markers).
            keep = data.find(b"\n\n", len(head.encode("utf-8"))) + 2
            cut = data.rfind(b"\n\n", keep, 8190)
            data = data[:cut + 1] if cut > 0 else data[:data.rfind(b" ", keep, 8190)] + b".\n"
        while len(data) < 1024:
            data += (rng.choice(g.paragraphs) + "\n").encode("utf-8")
            if len(data) > 8192:
                data = data[:data.rfind(b" ", 0, 8190)] + b".\n"

        section = "meetings" if is_meeting else "docs"
        base = f"{created:%Y-%m-%d}-{slugify(title)}"
        name, k = base, 1
        while (section, name) in used:
            k += 1
            name = f"{base}-{k}"
        used.add((section, name))
        folder = os.path.join(out, section, name)
        os.mkdir(folder)
        with open(os.path.join(folder, "index.md"), "wb") as f:
            f.write(data)
        stats[section] += 1
        stats["bytes"] += len(data)
        stats["min"] = min(stats["min"], len(data))
        stats["max"] = max(stats["max"], len(data))

        if is_meeting:
            responders = [p for p in people if rng.random() < 0.7]
            if responders:
                os.mkdir(os.path.join(folder, "responses"))
            for who in responders:
                at = created + timedelta(hours=rng.randint(1, 72))
                rbody = [f"## {h}\n\n{rng.choice(g.paragraphs)}\n\n" for h in HEADINGS["meeting"][1:]]
                if rng.random() < 0.5:
                    rbody.append(g.decision() + "\n")
                if rng.random() < 0.5:
                    rbody.append(g.action(at, False) + "\n")
                rfm = ["+++", f'id = "{g.new_id()}"', 'type = "response"',
                       f"title = {toml_str('Re: ' + title)}", f'author = "{who}"',
                       f"created = {toml_time(at)}", "+++\n\n"]
                write(os.path.join(folder, "responses", who + ".md"), "\n".join(rfm) + "".join(rbody))
                stats["responses"] += 1
    print(f"gen_corpus.py: {out}: {stats['docs']} docs, {stats['meetings']} meetings, "
          f"{stats['responses']} responses; index.md sizes {stats['min']}..{stats['max']} bytes, "
          f"{stats['bytes'] // 1024} KiB in all", file=sys.stderr)


def adr_slug(title):
    # adr-new: tr -Ccs '[:alnum:]' - | tr '[:upper:]' '[:lower:]' | strip leading/trailing non-alnum
    out, dash = [], False
    for ch in title:
        if ch.isascii() and ch.isalnum():
            out.append(ch.lower())
            dash = False
        elif not dash:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


def gen_adr(n, out, seed, force, share="/usr/share/adr-tools"):
    prepare_dir(out, force)
    rng = random.Random(seed)
    try:
        with open(os.path.join(share, "init.md"), encoding="utf-8") as f:
            init_md = f.read()
        with open(os.path.join(share, "template.md"), encoding="utf-8") as f:
            template_md = f.read()
    except OSError as e:
        sys.exit(f"gen_corpus.py: cannot read adr-tools templates in '{share}': {e.strerror}")
    write(os.path.join(out, ".adr-dir"), "doc/adr\n")
    adr_dir = os.path.join(out, "doc", "adr")
    os.makedirs(adr_dir, exist_ok=True)
    day = datetime(2024, 1, 1)

    def fill(tmpl, num, title, date):
        # adr-new's sed: first occurrence on each line of NUMBER, TITLE, DATE, STATUS.
        lines = []
        for line in tmpl.split("\n"):
            for key, val in (("NUMBER", str(num)), ("TITLE", title), ("DATE", date),
                             ("STATUS", "Accepted")):
                line = line.replace(key, val, 1)
            lines.append(line)
        return "\n".join(lines)

    for num in range(1, n + 1):
        if num == 1:
            title = "record-architecture-decisions"
            text = fill(init_md, num, title, f"{day:%Y-%m-%d}")
        else:
            title = f"Use {rng.choice(VOCAB[150:200])} for {rng.choice(TITLE_HEADS).lower()} {rng.choice(TITLE_TAILS)}"
            text = fill(template_md, num, title, f"{day:%Y-%m-%d}")
        write(os.path.join(adr_dir, f"{num:04d}-{adr_slug(title)}.md"), text)
        if rng.random() < 0.5:
            day += timedelta(days=1)
    print(f"gen_corpus.py: {out}: {n} adr-tools records in doc/adr", file=sys.stderr)


def main():
    p = argparse.ArgumentParser(description="Deterministic corpus for the async benchmarks.")
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--docs", type=int, metavar="N", help="an async workspace with N items")
    mode.add_argument("--adr", type=int, metavar="N", help="an adr-tools directory with N records")
    p.add_argument("--seed", type=int, default=20261126)
    p.add_argument("--force", action="store_true", help="write into a non-empty directory")
    p.add_argument("out", metavar="OUT_DIR")
    a = p.parse_args()
    n = a.docs if a.docs is not None else a.adr
    if n < 1:
        p.error("N must be at least 1")
    if a.docs is not None:
        gen_docs(n, a.out, a.seed, a.force)
    else:
        if n > 9999:
            p.error("adr-tools numbers records with 4 digits: N must be at most 9999")
        gen_adr(n, a.out, a.seed, a.force)


if __name__ == "__main__":
    main()
