"""Hostile files: TOML nested past the bound, inputs toml++ 3.3.0 fails on, and check at the
4 MiB file limit (linear in mentions and links). Nothing here may crash or hang async."""
import os
import resource

import harness

HEAD = """+++
id = "{id}"
type = "doc"
title = "Deep"
author = "alice"
created = 2026-11-26T10:15:00Z
"""

# Under ASan and UBSan (scripts/sanitize.sh) every command is several times slower.
TIME_SCALE = float(os.environ.get("ASYNC_TEST_TIME_SCALE", "1"))


class HostileCase(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()
        self.ok("-C", str(self.ws), "doc", "new", "Fine", "-m", "A good document.")

    def write(self, rel, text):
        path = self.ws / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def deep_doc(self, rel, id, front):
        return self.write(rel, HEAD.format(id=id) + front + "+++\n\nBody.\n")

    def assert_no_crash(self, r):
        self.assertGreaterEqual(r.code, 0, f"killed by signal {-r.code}: {r}")
        self.assertNotIn("runtime error", r.err, r)
        self.assertNotIn("AddressSanitizer", r.err, r)


class DeepToml(HostileCase):
    DEEP_KEY = ".".join(["a"] * 300000) + " = 1\n"
    DEEP_HEADER = "[" + ".".join(["a"] * 300000) + "]\nx = 1\n"
    DEEP_ARRAY = "x = " + "[" * 300000 + "]" * 300000 + "\n"

    def test_deep_front_matter_is_skipped_with_its_line_and_reported_by_check(self):
        self.deep_doc("docs/key/index.md", "deep0001", self.DEEP_KEY)
        self.deep_doc("docs/header/index.md", "deep0002", self.DEEP_HEADER)
        self.deep_doc("docs/array/index.md", "deep0003", self.DEEP_ARRAY)
        r = self.a("list")
        self.assert_no_crash(r)
        self.assertEqual(r.code, 0, r)
        self.assertEqual([line.split()[-1] for line in r.out.splitlines()], ["Fine"])
        for rel, col in (("key", 128), ("header", 129), ("array", 68)):
            self.assertIn(f"skipped docs/{rel}/index.md:7:{col}: TOML nested more than 64 levels deep", r.err)
        r = self.a("check")
        self.assert_no_crash(r)
        self.assertEqual(r.code, 1, r)
        for rel, col in (("key", 128), ("header", 129), ("array", 68)):
            self.assertIn(f"docs/{rel}/index.md:7:{col}: error: TOML nested more than 64 levels deep", r.out)

    def test_nesting_at_the_bound_is_read(self):
        # 64 levels: a 62-part header, a 1-part key and one array.
        header = "[" + ".".join(["t"] * 62) + "]\nk = [1]\n"
        self.deep_doc("docs/edge/index.md", "edge0001", 'tags = ["x.y", 1.5]\n' + header)
        r = self.a("list")
        self.assertEqual((r.code, r.err), (0, ""), r)
        self.assertIn("Deep", r.out)
        self.deep_doc("docs/edge/index.md", "edge0001", header.replace("k = [1]", "k = [[1]]"))
        r = self.a("list")
        self.assertEqual(r.code, 0, r)
        self.assertIn("skipped docs/edge/index.md:8:6: TOML nested more than 64 levels deep", r.err)

    def test_deep_config_is_a_clear_error(self):
        self.write(".async/config.toml", self.DEEP_KEY)
        r = self.a("config", "list")
        self.assert_no_crash(r)
        self.assertEqual(r.code, 3, r)
        self.assertEqual(r.out, "")
        self.assertIn("config.toml:1:128: TOML nested more than 64 levels deep", r.err)
        r = self.a("check")
        self.assert_no_crash(r)
        self.assertIn(".async/config.toml:1:128: error: TOML nested more than 64 levels deep", r.out)

    def test_deep_user_config_is_a_clear_error(self):
        user = self.home / ".config" / "async" / "config.toml"
        user.parent.mkdir(parents=True)
        user.write_text(self.DEEP_HEADER, encoding="utf-8")
        r = self.a("config", "list")
        self.assert_no_crash(r)
        self.assertEqual(r.code, 3, r)
        self.assertIn("config.toml:1:129: TOML nested more than 64 levels deep", r.err)


class TomlLibraryFailures(HostileCase):
    # toml++ 3.3.0 reaches __builtin_unreachable() on the first (a Greek letter where it looks
    # for whitespace) and fails assertions on the others in builds without NDEBUG.
    FRONTS = [
        "created = 2026-11-06T10id0:0\u03a5\n",
        "[[[x]]]\n",
        "T::1:\n",
        "x = 1 \u0100\n",
        "x = 1\uff10\n",
    ]

    def test_every_read_command_survives(self):
        for n, front in enumerate(self.FRONTS):
            self.write(f"docs/bad{n}/index.md", "+++\n" + front + "+++\n\nBody.\n")
            self.write(f"people/alice/inbox/bad{n}.md", "+++\n" + front + "+++\n\nBody.\n")
        for args in (["list"], ["search", "good"], ["inbox"], ["actions"], ["decisions"],
                     ["agenda"], ["check"], ["index", "--full"], ["index", "--check"]):
            r = self.a(*args)
            self.assert_no_crash(r)
            self.assertIn(r.code, (0, 1), r)
        r = self.a("check")
        self.assertEqual(r.out.count("docs/bad"), len(self.FRONTS), r)

    def test_config_with_them_is_a_clear_error(self):
        for front in self.FRONTS:
            self.write(".async/config.toml", front)
            r = self.a("config", "list")
            self.assert_no_crash(r)
            self.assertEqual(r.code, 3, r)
            self.assertTrue(r.err.startswith("async: error: "), r)


class LinearCheck(HostileCase):
    LIMIT = 4 * 1024 * 1024
    BOUND = 10.0  # CPU seconds; linear takes about 4, the quadratic check took minutes

    def at_limit(self, rel, id, word):
        head = HEAD.format(id=id) + "+++\n\n"
        count = (self.LIMIT - len(head) - 1) // len(word(0))
        body = "".join(word(i) for i in range(count))
        path = self.write(rel, head + body + "\n")
        self.assertLessEqual(path.stat().st_size, self.LIMIT)
        return count

    def timed_check(self):
        # CPU time, not wall time: the machine's other work must not fail the test.
        def cpu():
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
            return usage.ru_utime + usage.ru_stime
        start = cpu()
        r = self.a("check", timeout=600)
        spent = cpu() - start
        self.assert_no_crash(r)
        self.assertLess(spent, self.BOUND * TIME_SCALE, f"check took {spent:.1f} s of CPU")
        return r

    def test_unknown_mentions_on_one_line(self):
        self.write(".async/config.toml", '[people.alice]\nname = "Alice"\n')
        count = self.at_limit("docs/mentions/index.md", "ment0001", lambda i: f"@u{i:07d} ")
        r = self.timed_check()
        self.assertEqual(r.code, 0, r.err[-300:])
        warnings = r.out.splitlines()
        self.assertEqual(len(warnings), count)
        self.assertEqual(warnings[0], "docs/mentions/index.md:9:1: warning: unknown person '@u0000000' "
                                      "(no [people.u0000000] in .async/config.toml)")
        self.assertEqual(warnings[-1].split(": ")[0], f"docs/mentions/index.md:9:{(count - 1) * 10 + 1}")

    def test_links_on_one_line(self):
        count = self.at_limit("docs/links/index.md", "link0001", lambda i: f"#{i:07x}z ")
        r = self.timed_check()
        self.assertEqual(r.code, 1, r.err[-300:])
        errors = r.out.splitlines()
        self.assertEqual(len(errors), count)
        self.assertEqual(errors[1], "docs/links/index.md:9:11: error: broken link '#0000001z': no document has this id")


if __name__ == "__main__":
    harness.main()
