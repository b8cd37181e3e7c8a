"""Recordings everywhere, feed enclosures and publish settings (issue 20 items 7, 8, 9)."""
import json
import os
import sys
from pathlib import Path

import harness

try:
    import feedparser
except ImportError:
    # Debian's python3-feedparser installs for the system interpreter.
    sys.path.append("/usr/lib/python3/dist-packages")
    import feedparser


class AttachCase(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()
        self.src = self.tmp / "src"
        self.src.mkdir()

    def media(self, name, transcript=None, data=None):
        path = self.src / name
        path.write_bytes(data if data is not None else b"OggS" + os.urandom(512))
        if transcript is not None:
            path.with_suffix(".vtt").write_text("WEBVTT\n\n00:00.000 --> 00:02.000\n" + transcript + "\n")
        return path

    def search_paths(self, word):
        r = self.a("search", word, "--json")
        self.assertEqual(r.code, 0, r)
        return [h["path"] for h in json.loads(r.out)["results"]]

    def rel(self, path):
        return str(Path(path).relative_to(self.ws))

    def consistent(self):
        self.assertEqual(self.a("check").code, 0, self.a("check"))
        r = self.a("index", "--check")
        self.assertEqual(r.code, 0, r)


class Recordings(AttachCase):
    def test_doc_new_attaches_with_every_template(self):
        shot = self.src / "screen shot.png"
        shot.write_bytes(b"\x89PNG fake")
        for template in ["doc", "decision", "sop", "onboarding", "post", "watercooler"]:
            r = self.a("doc", "new", f"A {template}", "--template", template, "-m", "See the screenshot.",
                       "--attach", str(shot))
            self.assertEqual(r.code, 0, r)
            doc = self.written(r)
            copy = doc.parent / "attachments" / "screen shot.png"
            self.assertEqual(copy.read_bytes(), shot.read_bytes(), template)
            self.assertIn("attached", r.err)
            fm, body = self.front_matter(doc)
            self.assertEqual(fm["type"], template)
            self.assertIn("(attachments/screen%20shot.png)", body)
        self.consistent()

    def test_transcript_of_a_walkthrough_is_searchable(self):
        demo = self.media("demo.ogg", transcript="the okapi deployment checklist")
        r = self.a("doc", "new", "Deploy walkthrough", "--template", "sop", "--no-edit", "-a", str(demo))
        self.assertEqual(r.code, 0, r)
        doc = self.written(r)
        self.assertEqual(sorted(p.name for p in (doc.parent / "attachments").iterdir()), ["demo.ogg", "demo.vtt"])
        self.assertEqual(self.search_paths("okapi"), [self.rel(doc)])

    def test_reply_with_a_voice_note_and_no_text(self):
        doc_id = self.a("doc", "new", "Pricing page", "-m", "Thoughts?", "--reviewers", "bob").out.split()[0]
        note = self.media("note.ogg", transcript="the narwhal tier is too cheap")
        r = self.a("doc", "reply", doc_id, "-m", "", "--attach", str(note), user="bob")
        self.assertEqual(r.code, 0, r)
        reply = self.written(r)
        stem = reply.stem
        folder = reply.parent / "attachments" / stem
        self.assertEqual(sorted(p.name for p in folder.iterdir()), ["note.ogg", "note.vtt"])
        fm, body = self.front_matter(reply)
        self.assertEqual(fm["type"], "reply")
        self.assertIn(f"(attachments/{stem}/note.ogg)", body)
        # The transcript is searched as part of the reply, which search names.
        self.assertEqual(self.search_paths("narwhal"), [self.rel(reply)])
        # The document has its answer.
        status = json.loads(self.a("doc", "status", doc_id, "--json").out)
        self.assertIn("answered", json.dumps(status))
        self.consistent()

    def test_reply_without_text_or_attachment_is_still_aborted(self):
        doc_id = self.a("doc", "new", "Pricing page", "-m", "Thoughts?").out.split()[0]
        r = self.a("doc", "reply", doc_id, "-m", "", user="bob")
        self.assertEqual(r.code, 1, r)
        self.assertIn("empty body", r.err)
        self.assertFalse((self.docs_dir() / "replies").exists())

    def docs_dir(self):
        return next((self.ws / "docs").iterdir())

    def test_response_can_be_a_voice_note(self):
        meeting = self.a("meeting", "open", "Weekly sync", "--with", "bob", "--no-edit").out.split()[0]
        voice = self.media("voice.ogg", transcript="the capybara launch slips a week")
        r = self.a("meeting", "respond", meeting, "--no-edit", "-a", str(voice), user="bob")
        self.assertEqual(r.code, 0, r)
        response = self.written(r)
        self.assertEqual(self.rel(response).split("/")[-2:], ["responses", "bob.md"])
        folder = response.parent / "attachments" / "bob"
        self.assertEqual(sorted(p.name for p in folder.iterdir()), ["voice.ogg", "voice.vtt"])
        _, body = self.front_matter(response)
        self.assertIn("(attachments/bob/voice.ogg)", body)
        self.assertEqual(self.search_paths("capybara"), [self.rel(response)])
        # An empty text body with the recording is a response too.
        voice2 = self.media("other.ogg")
        r = self.a("meeting", "respond", meeting, "-m", "", "-a", str(voice2), user="carol")
        self.assertEqual(r.code, 0, r)
        _, body = self.front_matter(self.written(r))
        self.assertIn("(attachments/carol/other.ogg)", body)
        # Responding again with a recording adds it to the same response.
        voice3 = self.media("later.ogg")
        r = self.a("meeting", "respond", meeting, "--no-edit", "-a", str(voice3), user="bob")
        self.assertEqual(r.code, 0, r)
        _, body = self.front_matter(response)
        self.assertIn("(attachments/bob/later.ogg)", body)
        self.assertIn("(attachments/bob/voice.ogg)", body)
        self.consistent()

    def test_meeting_open_still_attaches_to_the_bundle(self):
        talk = self.media("talk.ogg", transcript="the walrus roadmap")
        r = self.a("meeting", "open", "Demo", "--with", "bob", "--no-edit", "-a", str(talk))
        self.assertEqual(r.code, 0, r)
        agenda = self.written(r)
        self.assertEqual(sorted(p.name for p in (agenda.parent / "attachments").iterdir()), ["talk.ogg", "talk.vtt"])
        self.assertEqual(self.search_paths("walrus"), [self.rel(agenda)])


class AttachCommand(AttachCase):
    def new_doc(self, user=None):
        r = self.a("doc", "new", "Onboarding", "--template", "onboarding", "-m", "Welcome.", user=user)
        self.assertEqual(r.code, 0, r)
        return r.out.split()[0], self.written(r)

    def test_attach_to_my_document(self):
        doc_id, doc = self.new_doc()
        clip = self.media("setup.webm", transcript="install the pangolin toolchain")
        r = self.a("attach", doc_id, str(clip))
        self.assertEqual(r.code, 0, r)
        folder = doc.parent / "attachments"
        self.assertEqual(sorted(p.name for p in folder.iterdir()), ["setup.vtt", "setup.webm"])
        # Each copy, as a path from where the command ran.
        self.assertEqual(r.out.splitlines(), [str((folder / n).relative_to(self.tmp)) for n in ["setup.webm", "setup.vtt"]])
        _, body = self.front_matter(doc)
        self.assertIn("Welcome.", body)
        self.assertIn("(attachments/setup.webm)", body)
        self.assertEqual(self.search_paths("pangolin"), [self.rel(doc)])
        # Attaching the same file again copies nothing and changes nothing.
        before = doc.read_bytes()
        r = self.a("attach", doc_id, str(clip))
        self.assertEqual(r.code, 0, r)
        self.assertIn("already attached", r.err)
        self.assertEqual(doc.read_bytes(), before)
        self.assertEqual(sorted(p.name for p in folder.iterdir()), ["setup.vtt", "setup.webm"])
        # Another file of the same name gets its own name.
        (self.src / "again").mkdir()
        other = self.src / "again" / "setup.webm"
        other.write_bytes(b"different bytes")
        r = self.a("attach", doc_id, str(other), "--json")
        self.assertEqual(r.code, 0, r)
        out = json.loads(r.out)
        self.assertEqual([a["path"] for a in out["attachments"]], [self.rel(folder / "setup-2.webm")])
        self.assertIn("(attachments/setup-2.webm)", self.front_matter(doc)[1])
        self.consistent()

    def test_attach_to_my_reply(self):
        doc_id, _ = self.new_doc(user="bob")
        r = self.a("doc", "reply", doc_id, "-m", "Looks good.")
        reply = self.written(r)
        reply_id = r.out.split()[0]
        shot = self.src / "diagram.png"
        shot.write_bytes(b"\x89PNG")
        r = self.a("attach", reply_id, str(shot))
        self.assertEqual(r.code, 0, r)
        self.assertTrue((reply.parent / "attachments" / reply.stem / "diagram.png").is_file())
        self.assertIn(f"(attachments/{reply.stem}/diagram.png)", self.front_matter(reply)[1])
        self.consistent()

    def test_someone_elses_document_is_refused(self):
        doc_id, doc = self.new_doc(user="bob")
        before = doc.read_bytes()
        clip = self.media("mine.ogg")
        r = self.a("attach", doc_id, str(clip))
        self.assertEqual(r.code, 2, r)
        self.assertIn("only its author", r.err)
        self.assertIn(f"async doc reply {doc_id} --attach", r.err)
        self.assertEqual(doc.read_bytes(), before)
        self.assertFalse((doc.parent / "attachments").exists())
        meeting = self.a("meeting", "open", "Sync", "--with", "alice", "--no-edit", user="bob").out.split()[0]
        r = self.a("attach", meeting, str(clip))
        self.assertEqual(r.code, 2, r)
        self.assertIn(f"async meeting respond {meeting} --attach", r.err)

    def test_a_summary_has_no_attachments_of_its_own(self):
        meeting = self.a("meeting", "open", "Sync", "--with", "bob", "--no-edit").out.split()[0]
        r = self.a("meeting", "close", meeting, "--no-edit")
        self.assertEqual(r.code, 0, r)
        summary_id = r.out.split()[0]
        r = self.a("attach", summary_id, str(self.media("x.ogg")))
        self.assertEqual(r.code, 2, r)
        self.assertIn("cannot have attachments", r.err)

    def test_usage(self):
        doc_id, _ = self.new_doc()
        self.assertEqual(self.a("attach", doc_id).code, 2)
        self.assertEqual(self.a("attach").code, 2)
        r = self.a("attach", "zzzz9999", str(self.media("a.ogg")))
        self.assertEqual(r.code, 1, r)
        r = self.ok("help", "attach")
        self.assertIn("attach", r.out)


class Hostile(AttachCase):
    def refused(self, path, says, code=2):
        """doc new --attach path is refused before anything is written, and so is async attach."""
        r = self.a("doc", "new", "Refused", "-m", "x", "--attach", str(path))
        self.assertEqual(r.code, code, r)
        self.assertIn(says, r.err)
        self.assertEqual(self.docs(), [])
        self.assertEqual(self.drafts(), [])
        return r

    def test_bad_files(self):
        self.refused(self.src / "missing.ogg", "no such file")
        self.refused(self.src, "not a regular file")
        self.refused(str(self.src) + "/..", "not a regular file")
        dangling = self.src / "dangling.ogg"
        dangling.symlink_to(self.src / "gone.ogg")
        self.refused(dangling, "no such file")
        newline = self.src / "line\nbreak.ogg"
        newline.write_bytes(b"x")
        self.refused(newline, "control characters")
        escape = self.src / "bell\x1b[31m.ogg"
        escape.write_bytes(b"x")
        r = self.refused(escape, "control characters")
        self.assertNotIn("\x1b", r.err)
        hidden = self.src / ".secret.ogg"
        hidden.write_bytes(b"x")
        self.refused(hidden, "hidden")
        lock = self.src / "notes.md.lock"
        lock.write_bytes(b"x")
        self.refused(lock, "lock file")
        bad_utf8 = Path(os.fsdecode(bytes(self.src) + b"/bad\xff.ogg"))
        bad_utf8.write_bytes(b"x")
        self.refused(bad_utf8, "not UTF-8")

    def test_huge_file_is_refused(self):
        huge = self.src / "huge.mp4"
        with open(huge, "wb") as f:
            f.truncate(100 * 1024 * 1024 + 1)  # sparse: no disk used
        r = self.refused(huge, "too large")
        self.assertIn("100 MiB", r.err)
        doc_id = self.a("doc", "new", "Small", "-m", "x").out.split()[0]
        r = self.a("attach", doc_id, str(huge))
        self.assertEqual(r.code, 2, r)
        self.assertFalse(any("attachments" in p for p in self.docs()))

    def test_a_symlink_is_copied_as_the_file_it_names(self):
        real = self.media("real.ogg")
        link = self.src / "link.ogg"
        link.symlink_to(real)
        r = self.a("doc", "new", "Linked", "-m", "x", "--attach", str(link))
        self.assertEqual(r.code, 0, r)
        copy = self.written(r).parent / "attachments" / "link.ogg"
        self.assertFalse(copy.is_symlink())
        self.assertEqual(copy.read_bytes(), real.read_bytes())

    def test_the_same_file_twice_is_copied_once(self):
        clip = self.media("twice.ogg", transcript="one transcript")
        r = self.a("doc", "new", "Twice", "-m", "x", "-a", str(clip), "-a", str(clip),
                   "-a", str(clip.with_suffix(".vtt")))
        self.assertEqual(r.code, 0, r)
        folder = self.written(r).parent / "attachments"
        self.assertEqual(sorted(p.name for p in folder.iterdir()), ["twice.ogg", "twice.vtt"])
        _, body = self.front_matter(self.written(r))
        self.assertEqual(body.count("(attachments/twice.ogg)"), 1)

    def test_one_bad_file_among_good_ones_writes_nothing(self):
        good = self.media("good.ogg")
        r = self.a("doc", "new", "Mixed", "-m", "x", "-a", str(good), "-a", str(self.src / "nope.ogg"))
        self.assertEqual(r.code, 2, r)
        self.assertEqual(self.docs(), [])
        doc_id = self.a("doc", "new", "Later", "-m", "x").out.split()[0]
        r = self.a("attach", doc_id, str(good), str(self.src / "nope.ogg"))
        self.assertEqual(r.code, 2, r)
        self.assertFalse(any("attachments" in p for p in self.docs()))


class Publishing(AttachCase):
    def post(self, title, *attach, user=None):
        args = ["doc", "new", title, "--template", "post", "-m", "Listen to this."]
        for a in attach:
            args += ["-a", str(a)]
        r = self.a(*args, user=user)
        self.assertEqual(r.code, 0, r)
        return r.out.split()[0]

    def test_feed_enclosures(self):
        episode = self.media("episode.mp3", data=b"ID3" + b"\x00" * 1000)
        video = self.media("demo.mp4", data=b"\x00" * 77)
        chart = self.src / "chart.png"
        chart.write_bytes(b"\x89PNG")
        post_id = self.post("Episode 1", episode, video, chart)
        r = self.a("publish", "-o", str(self.tmp / "site"), "--base-url", "https://intra.example/blog")
        self.assertEqual(r.code, 0, r)
        feed = feedparser.parse((self.tmp / "site" / "feed.xml").read_bytes())
        self.assertFalse(feed.bozo, feed.get("bozo_exception"))
        enclosures = sorted(feed.entries[0].enclosures, key=lambda e: e.href)
        base = f"https://intra.example/blog/docs/{post_id}/attachments/"
        self.assertEqual([(e.href, e.length, e.type) for e in enclosures],
                         [(base + "demo.mp4", "77", "video/mp4"), (base + "episode.mp3", "1003", "audio/mpeg")])
        self.assertTrue((self.tmp / "site" / "docs" / post_id / "attachments" / "episode.mp3").is_file())

    def test_settings_from_config_and_a_rerun_writes_nothing(self):
        self.post("Hello")
        self.ok("-C", str(self.ws), "config", "set", "team.name", "Platform team")
        self.ok("-C", str(self.ws), "config", "set", "publish.dir", "site")
        self.ok("-C", str(self.ws), "config", "set", "publish.base_url", "https://intra.example/blog/")
        r = self.a("publish", "--json")
        self.assertEqual(r.code, 0, r)
        first = json.loads(r.out)
        self.assertEqual(first["dir"], str(self.ws / "site"))
        self.assertGreater(first["written"], 0)
        feed = feedparser.parse((self.ws / "site" / "feed.xml").read_bytes())
        self.assertEqual(feed.feed.title, "Platform team")
        self.assertEqual(feed.feed.links[-1].href, "https://intra.example/blog/feed.xml")
        again = json.loads(self.a("publish", "--json").out)
        self.assertEqual(again["written"], 0)
        self.assertEqual(again["removed"], 0)
        # publish.title wins over team.name; a flag over both.
        self.ok("-C", str(self.ws), "config", "set", "publish.title", "Platform blog")
        self.assertEqual(self.a("publish").code, 0)
        self.assertEqual(feedparser.parse((self.ws / "site" / "feed.xml").read_bytes()).feed.title, "Platform blog")
        r = self.a("publish", "--title", "Flag title", "-o", str(self.tmp / "other"))
        self.assertEqual(r.code, 0, r)
        self.assertEqual(feedparser.parse((self.tmp / "other" / "feed.xml").read_bytes()).feed.title, "Flag title")
        self.assertFalse((self.ws / "site" / "index.html").read_text().count("Flag title"))

    def test_no_folder_anywhere_is_a_usage_error(self):
        r = self.a("publish")
        self.assertEqual(r.code, 2, r)
        self.assertIn("publish.dir", r.err)

    def test_settings_are_validated(self):
        for key, value in [("publish.base_url", "ftp://x.example/"), ("publish.base_url", "https://x.example/?q=1"),
                           ("publish.dir", "docs/site"), ("publish.dir", ".async/site"), ("publish.dir", "."),
                           ("publish.dir", "../elsewhere"), ("publish.dir", "")]:
            r = self.a("config", "set", key, value)
            self.assertEqual(r.code, 2, (key, value, r))
        self.assertNotIn("publish", (self.ws / ".async" / "config.toml").read_text())
        # A value written by hand is refused when publish reads it.
        with open(self.ws / ".async" / "config.toml", "a") as f:
            f.write('\n[publish]\ndir = "docs"\n')
        r = self.a("publish")
        self.assertEqual(r.code, 2, r)
        self.assertFalse((self.ws / "docs" / "index.html").exists())

    def test_names_instead_of_handles(self):
        self.ok("-C", str(self.ws), "config", "set", "people.alice.name", "Alice <Liddell> & Co")
        post_id = self.post("Named")
        self.post("By bob", user="bob")
        r = self.a("publish", "-o", str(self.tmp / "site"))
        self.assertEqual(r.code, 0, r)
        feed = feedparser.parse((self.tmp / "site" / "feed.xml").read_bytes())
        authors = {e.title: e.author_detail.name for e in feed.entries}
        self.assertEqual(authors, {"Named": "Alice <Liddell> & Co", "By bob": "bob"})
        page = (self.tmp / "site" / "docs" / post_id / "index.html").read_text()
        self.assertIn("Alice &lt;Liddell&gt; &amp; Co", page)
        self.assertNotIn(">alice<", page)
        index = (self.tmp / "site" / "index.html").read_text()
        self.assertIn("by Alice &lt;Liddell&gt; &amp; Co", index)


if __name__ == "__main__":
    harness.main()
