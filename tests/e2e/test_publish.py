"""async publish: the internal blog as a static site with an Atom feed (issue 10)."""
import json
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import harness

try:
    import feedparser
except ImportError:
    # Debian's python3-feedparser installs for the system interpreter; another python3 (a
    # virtualenv, pyenv) still finds it there.
    sys.path.append("/usr/lib/python3/dist-packages")
    import feedparser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
RESOURCE_TAGS = {"link", "script", "img", "audio", "video", "source", "iframe", "embed", "object"}


class PageChecker(HTMLParser):
    """Tag balance for non-void elements, no scripts, no remote resources, no javascript: URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.hrefs, self.text = [], [], [], []

    def check_attrs(self, tag, attrs):
        if tag == "script":
            self.errors.append("a <script> element")
        for key, value in attrs:
            if key.startswith("on"):
                self.errors.append(f"event handler {key} on <{tag}>")
            if key in ("src", "href") and value is not None:
                if tag in RESOURCE_TAGS and re.match(r"\s*(https?:)?//", value, re.I):
                    self.errors.append(f"remote resource <{tag} {key}={value}>")
                if re.match(r"\s*(javascript|data|vbscript):", value, re.I):
                    self.errors.append(f"hostile URL <{tag} {key}={value}>")
                if key == "href":
                    self.hrefs.append(value)

    def handle_starttag(self, tag, attrs):
        self.check_attrs(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.check_attrs(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VOID:
            self.errors.append(f"end tag of void element </{tag}>")
        elif not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)

    def finish(self):
        self.close()
        if self.stack:
            self.errors.append(f"unclosed: {self.stack}")
        return self.errors


def check_page(test, path):
    checker = PageChecker()
    text = Path(path).read_text(encoding="utf-8")
    checker.feed(text)
    test.assertEqual(checker.finish(), [], path)
    test.assertTrue(text.startswith("<!DOCTYPE html>"), path)
    return checker


def toml_str(text):
    return json.dumps(text, ensure_ascii=False)


class Publish(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()
        self.site = self.tmp / "site"

    def write_doc(self, folder, doc_id, doc_type, title, created, body, tags=(), status="open",
                  author="alice", extra=""):
        path = self.ws / "docs" / folder / "index.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        tag_list = ", ".join(toml_str(t) for t in tags)
        path.write_text(
            f"+++\nid = {toml_str(doc_id)}\ntype = {toml_str(doc_type)}\ntitle = {toml_str(title)}\n"
            f"author = {toml_str(author)}\ncreated = {created}\nstatus = {toml_str(status)}\n"
            f"tags = [{tag_list}]\n{extra}+++\n{body}", encoding="utf-8")
        return path

    def sample(self):
        """Posts, an sop, a decision, a closed doc with its outcome, an open doc, a draft post."""
        self.write_doc("2026-11-20-launch", "post0001", "post", "We launched", "2026-11-20T09:00:00Z",
                       "## In short\n\nIt shipped. See #post0002 and [the recording](#post0003).\n\n"
                       "![chart](https://cdn.example.com/chart.png)\n\n[bad](javascript:alert(1)) "
                       "[Bad2](JAVASCRIPT:alert(2)) [ok](https://example.com/a?b=1&c=2)\n\n"
                       "<div onclick=\"steal()\">raw</div>\n\n<script>alert('body')</script>\n\n"
                       "```\n#post0002 in code stays text\n```\n",
                       tags=["launch", "web"])
        self.write_doc("2026-11-22-pricing", "post0002", "post", "<script>alert(1)</script>",
                       "2026-11-22T09:00:00Z", "Pricing *thoughts* & more.\n", tags=["web"], author="bob",
                       extra="updated = 2026-11-23T08:00:00Z\n")
        podcast = self.write_doc("2026-11-24-podcast", "post0003", "post", "Podcast #1", "2026-11-24T09:00:00Z",
                                 "Listen: [standup](attachments/standup.ogg)\n", tags=["podcast"])
        attachments = podcast.parent / "attachments"
        attachments.mkdir()
        (attachments / "standup.ogg").write_bytes(b"OggS" + bytes(range(256)) * 8)
        (attachments / "standup.vtt").write_text(
            "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nWe <b>shipped</b> the pricing page & more.\n")
        secret = self.tmp / "secret.txt"
        secret.write_text("not for the site")
        (attachments / "linked.txt").symlink_to(secret)  # a symlink is never followed out
        self.write_doc("2026-11-10-deploy", "sop00001", "sop", "How to deploy", "2026-11-10T09:00:00Z",
                       "## Steps\n\n1. Run `make deploy`.\n", tags=["ops"])
        self.write_doc("2026-11-11-db", "dec00001", "decision", "Use SQLite", "2026-11-11T09:00:00Z",
                       "We chose SQLite.\n")
        self.write_doc("2026-11-12-trial", "doc00001", "doc", "Free trial length", "2026-11-12T09:00:00Z",
                       "How long?\n\n## Outcome\n\nDecision: 14 days\n", status="closed",
                       extra="closed = 2026-11-15T10:00:00Z\n")
        self.write_doc("2026-11-13-open", "doc00002", "doc", "Still open", "2026-11-13T09:00:00Z",
                       "Secret draft thinking.\n")
        self.write_doc("2026-11-14-draft", "post0009", "post", "Draft post", "2026-11-14T09:00:00Z",
                       "Not yet.\n", status="draft")

    def publish(self, *extra, expect=0):
        r = self.a("publish", "-o", str(self.site), *extra)
        self.assertEqual(r.code, expect, r)
        return r

    def state(self):
        """(inode, mtime_ns) of every file in the site."""
        return {str(p.relative_to(self.site)): (p.stat().st_ino, p.stat().st_mtime_ns)
                for p in self.site.rglob("*") if p.is_file()}

    def feed(self):
        parsed = feedparser.parse(str(self.site / "feed.xml"))
        self.assertFalse(parsed.bozo, getattr(parsed, "bozo_exception", None))
        return parsed

    def test_site(self):
        self.sample()
        r = self.publish("--title", "Team & Co blog")
        self.assertEqual(r.out, "")
        self.assertIn("published 6 document(s)", r.err)
        pages = {f for f in self.files_under(self.site) if f.endswith(".html")}
        self.assertEqual(pages, {"index.html", "tags/index.html", "tags/launch.html", "tags/web.html",
                                 "tags/podcast.html", "tags/ops.html"} |
                         {f"docs/{i}/index.html" for i in
                          ["post0001", "post0002", "post0003", "sop00001", "dec00001", "doc00001"]})
        for page in pages:
            check_page(self, self.site / page)

        # The index: newest first, each with its page; the open doc and the draft are not there.
        index = (self.site / "index.html").read_text()
        order = [m for m in re.findall(r'href="docs/([^/]+)/index.html"', index)]
        self.assertEqual(order, ["post0003", "post0002", "post0001", "doc00001", "dec00001", "sop00001"])
        self.assertNotIn("Still open", index)
        self.assertNotIn("Draft post", index)
        self.assertIn("<title>Team &amp; Co blog</title>", index)
        self.assertNotIn("Secret draft", "".join((self.site / p).read_text() for p in pages))

        # The hostile title stays text everywhere.
        hostile = (self.site / "docs/post0002/index.html").read_text()
        self.assertIn("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>", hostile)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", index)
        self.assertIn('By <span class="author">bob</span>', hostile)
        self.assertIn('datetime="2026-11-22T09:00:00Z">2026-11-22</time>', hostile)
        self.assertIn('<a href="../../tags/web.html">web</a>', hostile)

        # Body: raw HTML is text, hostile schemes are neutralised, remote images become links,
        # #id references lead to the pages (not inside code).
        launch = check_page(self, self.site / "docs/post0001/index.html")
        page = (self.site / "docs/post0001/index.html").read_text()
        self.assertIn("&lt;div onclick=", page)
        self.assertIn("&lt;script&gt;alert(", page)
        self.assertIn('<a href="../post0002/index.html">#post0002</a>', page)
        self.assertIn('<a href="../post0003/index.html">the recording</a>', page)
        self.assertIn("<code>#post0002 in code stays text", page)
        self.assertIn('<a href="https://example.com/a?b=1&amp;c=2">ok</a>', page)
        self.assertIn('<a href="https://cdn.example.com/chart.png">chart</a>', page)
        self.assertEqual([h for h in launch.hrefs if "alert" in h], [])
        self.assertEqual(page.count('<a href="#">'), 2)

        # The podcast: the audio copied, a player, the transcript below it (escaped).
        podcast_dir = self.site / "docs/post0003"
        self.assertEqual((podcast_dir / "attachments/standup.ogg").read_bytes(),
                         (self.ws / "docs/2026-11-24-podcast/attachments/standup.ogg").read_bytes())
        self.assertTrue((podcast_dir / "attachments/standup.vtt").is_file())
        self.assertFalse((podcast_dir / "attachments/linked.txt").exists())
        page = (podcast_dir / "index.html").read_text()
        player = page.index('<audio controls preload="none" src="attachments/standup.ogg">')
        self.assertGreater(page.index("We &lt;b&gt;shipped&lt;/b&gt; the pricing page &amp; more."), player)

        # Lasting documents: the closed doc with its outcome, the sop and the decision.
        closed = (self.site / "docs/doc00001/index.html").read_text()
        self.assertIn("<h2>Outcome</h2>", closed)
        self.assertIn("Decision: 14 days", closed)
        self.assertIn("make deploy", (self.site / "docs/sop00001/index.html").read_text())
        tags = (self.site / "tags/web.html").read_text()
        self.assertEqual(re.findall(r'href="\.\./docs/([^/]+)/index.html"', tags), ["post0002", "post0001"])

        # The feed: posts only, newest first, with dates, authors, links and tags.
        feed = self.feed()
        self.assertEqual(feed.feed.title, "Team & Co blog")
        self.assertEqual([e.id for e in feed.entries], ["urn:async:post0003", "urn:async:post0002",
                                                        "urn:async:post0001"])
        self.assertEqual([e.title for e in feed.entries],
                         ["Podcast #1", "<script>alert(1)</script>", "We launched"])
        pricing = feed.entries[1]
        self.assertEqual(pricing.published, "2026-11-22T09:00:00Z")
        self.assertEqual(pricing.updated, "2026-11-23T08:00:00Z")
        self.assertEqual(pricing.author, "bob")
        self.assertEqual(pricing.link, "docs/post0002/index.html")
        self.assertEqual([t.term for t in feed.entries[2].tags], ["launch", "web"])
        self.assertIn("Pricing <em>thoughts</em>", pricing.content[0].value)
        self.assertEqual(feed.feed.updated, "2026-11-24T09:00:00Z")

    def test_base_url(self):
        self.sample()
        self.publish("--base-url", "https://intranet.example/blog")
        feed = self.feed()
        self.assertEqual(feed.entries[0].link, "https://intranet.example/blog/docs/post0003/index.html")
        self.assertEqual(feed.feed.id, "https://intranet.example/blog/")
        self.assertIn({"rel": "self", "type": "application/atom+xml",
                       "href": "https://intranet.example/blog/feed.xml"},
                      [dict(l) for l in feed.feed.links])
        for bad in ["javascript:alert(1)", "ftp://x/", "https://x/\"><script>", "intranet/blog"]:
            r = self.a("publish", "-o", str(self.tmp / "other"), "--base-url", bad)
            self.assertEqual(r.code, 2, r)
            self.assertIn("is not an http(s) URL", r.err)
            self.assertFalse((self.tmp / "other").exists())

    def test_incremental(self):
        self.sample()
        self.publish()
        (self.site / "notes.txt").write_text("mine")
        (self.site / "docs/extra").mkdir()
        (self.site / "docs/extra/keep.html").write_text("mine too")
        before = self.state()

        # Nothing changed: nothing is rewritten.
        r = self.publish()
        self.assertIn("0 file(s) written", r.err)
        self.assertEqual(self.state(), before)

        # A post deleted: its page and feed entry go, files publish did not write stay.
        for f in sorted((self.ws / "docs/2026-11-24-podcast").rglob("*"), reverse=True):
            f.unlink() if f.is_file() else f.rmdir()
        (self.ws / "docs/2026-11-24-podcast").rmdir()
        r = self.publish()
        self.assertIn(", 4 removed", r.err)  # the page, the audio, its transcript, the tag page
        self.assertFalse((self.site / "docs/post0003").exists())
        self.assertFalse((self.site / "tags/podcast.html").exists())
        self.assertEqual([e.id for e in self.feed().entries], ["urn:async:post0002", "urn:async:post0001"])
        self.assertEqual((self.site / "notes.txt").read_text(), "mine")
        self.assertEqual((self.site / "docs/extra/keep.html").read_text(), "mine too")
        after = self.state()
        # Pages that do not mention the post are left alone.
        for unchanged in ["docs/post0002/index.html", "docs/sop00001/index.html", "tags/web.html"]:
            self.assertEqual(after[unchanged], before[unchanged], unchanged)
        self.assertNotEqual(after["index.html"], before["index.html"])
        self.assertNotIn("post0003", (self.site / "index.html").read_text())

    def test_refuses_foreign_folders(self):
        self.sample()
        # -o names a file.
        (self.tmp / "file").write_text("x")
        r = self.a("publish", "-o", str(self.tmp / "file"))
        self.assertEqual(r.code, 2, r)
        self.assertIn("is not a folder", r.err)
        self.assertEqual((self.tmp / "file").read_text(), "x")
        # A non-empty folder publish did not write.
        other = self.tmp / "other"
        other.mkdir()
        (other / "index.html").write_text("someone's page")
        r = self.a("publish", "-o", str(other))
        self.assertEqual(r.code, 2, r)
        self.assertIn("is not empty and was not written by async publish", r.err)
        self.assertIn("hint:", r.err)
        self.assertEqual(self.files_under(other), ["index.html"])
        # An empty folder is fine.
        (self.tmp / "empty").mkdir()
        self.ok("-C", str(self.ws), "publish", "-o", str(self.tmp / "empty"))
        # Inside the documents, or the workspace itself, or around it: refused.
        for bad in [self.ws / "docs" / "site", self.ws, self.ws / ".async" / "site", self.tmp]:
            r = self.a("publish", "-o", str(bad))
            self.assertEqual(r.code, 2, (bad, r))
        self.assertFalse((self.ws / "docs" / "site").exists())
        # A file a new page would replace, not written by publish: refused, left alone.
        self.publish()
        (self.site / "docs/post0010").mkdir()
        (self.site / "docs/post0010/index.html").write_text("hand-made")
        self.write_doc("2026-11-25-new", "post0010", "post", "New", "2026-11-25T09:00:00Z", "New.\n")
        r = self.publish(expect=2)
        self.assertIn("exists and was not written by async publish", r.err)
        self.assertEqual((self.site / "docs/post0010/index.html").read_text(), "hand-made")
        # Missing -o is a usage error.
        self.assertEqual(self.a("publish").code, 2)

    def test_inside_workspace_outside_documents(self):
        """A site folder in the workspace root (e.g. committed with it) is not indexed."""
        self.sample()
        listed = self.a("--json", "list").out
        r = self.a("publish", "-o", "site", cwd=self.ws)
        self.assertEqual(r.code, 0, r)
        self.assertTrue((self.ws / "site" / "index.html").is_file())
        self.assertEqual(self.a("--json", "list").out, listed)
        self.assertEqual(self.a("index", "--check").code, 0)

    def test_hostile_and_huge_input(self):
        big = "Lorem *ipsum* dolor sit amet & <b>more</b>.\n\n" * 70000  # about 3 MB
        self.assertGreater(len(big), 3_000_000)
        self.write_doc("2026-11-20-big", "big00001", "post", "Big", "2026-11-20T09:00:00Z", big)
        self.write_doc("2026-11-21-odd", "odd00001", "post", 'He said "hi" & <left>\nthen \'went\'',
                       "2026-11-21T09:00:00Z", "Text.\n", tags=["a/b", "../../escape", "..", "a-b", "web"])
        self.publish()
        tag_files = self.files_under(self.site / "tags")
        self.assertEqual(len(tag_files), 6, tag_files)  # five tags + the tags index
        for name in tag_files:
            self.assertRegex(name, r"^[a-z0-9_-]+\.html$")
        self.assertEqual([p for p in self.tmp.iterdir() if p.name not in ("home", "ws", "site")], [])
        for page in self.files_under(self.site):
            if page.endswith(".html"):
                check_page(self, self.site / page)
        odd = (self.site / "docs/odd00001/index.html").read_text()
        self.assertIn("He said &quot;hi&quot; &amp; &lt;left&gt;\nthen &#39;went&#39;", odd)
        self.assertIn(">../../escape</a>", odd)
        big_page = (self.site / "docs/big00001/index.html").read_text()
        self.assertEqual(big_page.count("&lt;b&gt;more&lt;/b&gt;"), 70000)
        self.assertEqual(self.feed().entries[0].title, 'He said "hi" & <left>\nthen \'went\'')


if __name__ == "__main__":
    harness.main()
