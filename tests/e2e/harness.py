"""Shared set-up for end-to-end tests: the built binary run in a private temporary world.

Each test gets its own temporary directory with a private HOME and XDG folders, TZ=UTC,
ASYNC_NOW pinned, every ASYNC_*/VISUAL/EDITOR variable cleared, and the fake editors of
editors/ on hand. The directory is removed on success and kept (its path printed) on failure.
"""
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import tomllib
import unittest
from pathlib import Path

BIN = os.environ.get("ASYNC_BIN", str(Path(__file__).resolve().parents[2] / "build" / "cmd" / "async"))
EDITORS = Path(__file__).resolve().parent / "editors"
NOW = "2026-11-26T10:15:00Z"  # a Thursday


class Result:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def __repr__(self):
        return f"<exit {self.code}\nstdout: {self.out!r}\nstderr: {self.err!r}>"


class AsyncTestCase(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix=f"async-e2e-{self._testMethodName}-"))
        self.home = self.tmp / "home"
        self.home.mkdir()
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "XDG_DATA_HOME": str(self.home / ".local" / "share"),
            "XDG_CACHE_HOME": str(self.home / ".cache"),
            "TZ": "UTC",
            "LANG": "C.UTF-8",
            "ASYNC_NOW": NOW,
            "ASYNC_USER": "alice",
            "USER": "tester",
            "GIT_CONFIG_NOSYSTEM": "1",
        }
        self.ws = self.tmp / "ws"

    def tearDown(self):
        outcome = getattr(self, "_outcome", None)
        failed = False
        if outcome is not None:
            result = getattr(outcome, "result", None)
            errors = list(getattr(result, "errors", [])) + list(getattr(result, "failures", []))
            failed = any(test is self for test, _ in errors)
        if failed:
            print(f"\nkept test directory: {self.tmp}", file=sys.stderr)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # -- running ---------------------------------------------------------------------------
    def run_async(self, *args, cwd=None, env=None, input=None, timeout=30, unprivileged=False):
        """The binary with args; with unprivileged, as nobody when the tests run as root."""
        full_env = dict(self.env)
        if env:
            for key, value in env.items():
                if value is None:
                    full_env.pop(key, None)
                else:
                    full_env[key] = value
        command = [BIN, *args]
        if unprivileged:
            command = self.unprivileged(command)
        proc = subprocess.run(
            command,
            cwd=cwd or self.tmp,
            env=full_env,
            input=input,
            stdin=None if input is not None else subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        return Result(proc)

    def unprivileged(self, command):
        """command as it must run for file permissions to apply: unchanged for a normal user; as
        root (who reads any file, as in CI), through setpriv as nobody, who is first given
        everything under the test directory (chmod bits stay as they are). Never a skip."""
        if os.geteuid() != 0:
            return command
        self.assertTrue(shutil.which("setpriv"), "running as root needs setpriv (util-linux)")
        nobody = pwd.getpwnam("nobody")
        for folder, dirs, files in os.walk(self.tmp):
            for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
                os.lchown(name, nobody.pw_uid, nobody.pw_gid)
        return ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups", *command]

    def khal(self):
        """The real khal with its own config and a vdir calendar "team" in the test directory,
        times in UTC: returns (run, the calendar's folder), where run(*args) gives khal's output
        and fails the test when khal fails (or is not installed)."""
        khal = shutil.which("khal")
        self.assertIsNotNone(khal, "khal is not installed (scripts/install-deps.sh)")
        vdir = self.tmp / "vdir" / "team"
        vdir.mkdir(parents=True)
        conf = self.tmp / "khal.conf"
        conf.write_text(f"[calendars]\n[[team]]\npath = {vdir}\ntype = calendar\n"
                        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
                        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
                        "local_timezone = UTC\ndefault_timezone = UTC\n"
                        f"[sqlite]\npath = {self.tmp / 'khal.db'}\n")

        def run(*args):
            proc = subprocess.run([khal, "-c", str(conf), *args], env=dict(self.env, TZ="UTC"),
                                  capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
            self.assertEqual(proc.returncode, 0, proc)
            return proc.stdout
        return run, vdir

    def ok(self, *args, **kwargs):
        r = self.run_async(*args, **kwargs)
        self.assertEqual(r.code, 0, r)
        return r

    def a(self, *args, user=None, env=None, **kwargs):
        """async -C <the workspace> ARGS, as user (ASYNC_USER) when given, with env added."""
        full = dict(env or {})
        if user:
            full["ASYNC_USER"] = user
        return self.run_async("-C", str(self.ws), *args, env=full, **kwargs)

    def init_ws(self):
        self.ok("init", str(self.ws))
        return self.ws

    def editor(self, name, **settings):
        """Environment that makes EDITOR the fake editor `name` (see editors/)."""
        env = {"EDITOR": str(EDITORS / name), "FAKE_EDITOR_LOG": str(self.tmp / "editor.log")}
        env.update({f"FAKE_EDITOR_{k.upper()}": v for k, v in settings.items()})
        return env

    # -- inspecting --------------------------------------------------------------------------
    def written(self, result, cwd=None):
        """The path a writing command printed after the id ("ID PATH"), made absolute."""
        path = Path(result.out.rstrip("\n").split(" ", 1)[1])
        return path if path.is_absolute() else Path(cwd or self.tmp) / path

    def files_under(self, root):
        root = Path(root)
        if not root.exists():
            return []
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())

    def docs(self):
        return [p for p in self.files_under(self.ws / "docs")]

    def drafts(self):
        return self.files_under(self.ws / ".async" / "local" / "drafts")

    def front_matter(self, path):
        """The front matter of path parsed by Python's own TOML parser, and the body."""
        text = Path(path).read_text(encoding="utf-8")
        lines = text.split("\n")
        self.assertEqual(lines[0].strip(), "+++", f"{path} does not start with +++")
        end = lines.index("+++", 1)
        return tomllib.loads("\n".join(lines[1:end])), "\n".join(lines[end + 1:])


def main():
    unittest.main(verbosity=2)
