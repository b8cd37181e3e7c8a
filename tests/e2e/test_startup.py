"""Start-up (issue 22 item 4): the binary needs no shared library but the C library's, so every
run starts as cheaply as the loader allows; md4c is loaded by soname only when Markdown is
parsed, and a broken md4c is a clear error, never a crash, while commands that parse nothing
still work."""
import subprocess
import unittest

import harness


class Startup(harness.AsyncTestCase):
    def needed(self):
        out = subprocess.run(["readelf", "-d", harness.BIN], capture_output=True, text=True, check=True).stdout
        return {line.split("[", 1)[1].split("]", 1)[0] for line in out.splitlines() if "(NEEDED)" in line}

    def test_only_the_c_library_is_linked(self):
        needed = self.needed()
        self.assertTrue(needed, "readelf found no NEEDED entry: is the binary dynamically linked?")
        extra = {n for n in needed if not n.startswith(("libc.so", "libm.so", "ld-linux"))}
        self.assertEqual(extra, set(), needed)

    def broken_md4c(self):
        libs = self.tmp / "libs"
        libs.mkdir()
        # Files of the sonames the binary asks for, that are no libraries at all.
        (libs / "libmd4c.so.0").write_bytes(b"not an ELF file\n")
        (libs / "libmd4c-html.so.0").write_bytes(b"not an ELF file\n")
        return {"LD_LIBRARY_PATH": str(libs)}

    def test_a_broken_md4c_is_a_clear_error_only_where_markdown_is_read(self):
        self.init_ws()
        env = self.broken_md4c()
        r = self.run_async("--version", env=env)
        self.assertEqual(r.code, 0, r)
        self.assertTrue(r.out.startswith("async "), r)
        # The write itself does not parse Markdown and is kept; the index cannot take it in.
        r = self.a("doc", "new", "Pricing", "-m", "- [ ] @alice write it due:2026-12-10", "--no-edit", env=env)
        self.assertEqual(r.code, 0, r)
        self.assertTrue(self.written(r).is_file())
        r = self.a("actions", env=env)
        self.assertEqual(r.code, 4, r)
        self.assertIn("cannot load libmd4c.so.0", r.err)
        self.assertIn("install md4c", r.err)
        # With the real library the same workspace works: nothing was lost or half-indexed.
        r = self.a("actions")
        self.assertEqual(r.code, 0, r)
        self.assertIn("write it", r.out)

if __name__ == "__main__":
    harness.main()
