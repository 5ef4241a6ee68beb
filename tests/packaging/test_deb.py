"""The .deb as a user gets it: lintian-clean, installed by dpkg, working from /usr/bin,
and removed without a trace. Needs root (dpkg -i); CI runs as root.

Environment (set by ctest): PATROL_BUILD_DIR, the configured and built tree whose
CPackConfig.cmake makes the package; PATROL_VERSION, the project's version.
"""

import fcntl
import gzip
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))

PACKAGE = "git-credential-patrol"
INSTALLED = Path("/usr/bin/git-credential-patrol")
LOCK = "/tmp/git-credential-patrol-deb-test.lock"
EXPECTED_FILES = {
    "/usr/bin/git-credential-patrol",
    "/usr/share/man/man1/git-credential-patrol.1.gz",
    "/usr/share/bash-completion/completions/git-credential-patrol",
    "/usr/share/zsh/vendor-completions/_git-credential-patrol",
    "/usr/share/fish/vendor_completions.d/git-credential-patrol.fish",
    "/usr/share/fish/vendor_conf.d/git-credential-patrol.fish",
    "/usr/share/doc/git-credential-patrol/copyright",
    "/usr/share/doc/git-credential-patrol/changelog.Debian.gz",
    "/usr/share/lintian/overrides/git-credential-patrol",
}


def run(argv, **kwargs):
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    return subprocess.run(argv, **kwargs)


def installed_version():
    proc = run(["dpkg-query", "-W", "-f=${db:Status-Status} ${Version}", PACKAGE])
    if proc.returncode != 0:
        return None
    status, _, version = proc.stdout.partition(" ")
    return version if status in ("installed", "half-installed", "unpacked",
                                 "half-configured", "triggers-awaited",
                                 "triggers-pending", "config-files") else None


class DebPackage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if os.geteuid() != 0:
            raise unittest.SkipTest("installing a .deb needs root")
        cls.build = Path(os.environ["PATROL_BUILD_DIR"])
        cls.version = os.environ["PATROL_VERSION"] + "-1"
        # One run at a time on this machine, whichever build tree it comes from.
        cls.lock = open(LOCK, "w")
        fcntl.flock(cls.lock, fcntl.LOCK_EX)
        # Refuse rather than clobber what someone installed by hand.
        present = installed_version()
        if present is not None and present != cls.version:
            raise AssertionError(f"{PACKAGE} {present} is installed; this test would replace "
                                 f"it with {cls.version}: remove it first (dpkg --purge {PACKAGE})")
        if present is None and INSTALLED.exists():
            raise AssertionError(f"{INSTALLED} exists and no package owns it; this test would "
                                 "overwrite it: move it away first")
        cls.tmp = tempfile.TemporaryDirectory(prefix="patrol-deb-")
        out = Path(cls.tmp.name)
        proc = run(["cpack", "-G", "DEB", "--config", str(cls.build / "CPackConfig.cmake"),
                    "-B", str(out)], cwd=cls.build)
        if proc.returncode != 0:
            raise AssertionError(f"cpack failed:\n{proc.stdout}\n{proc.stderr}")
        debs = list(out.glob("*.deb"))
        if len(debs) != 1:
            raise AssertionError(f"cpack made {debs}")
        cls.deb = debs[0]

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()
        cls.lock.close()

    def test_package(self):
        self.check_contents()
        self.check_lintian()
        self.install_use_and_purge()

    def check_contents(self):
        listing = run(["dpkg-deb", "-c", str(self.deb)], check=True).stdout.splitlines()
        files = {}
        for line in listing:
            mode, owner, _size, _date, _time, path = line.split(None, 5)
            self.assertEqual(owner, "root/root", line)
            files[path.lstrip(".")] = mode
        for path in EXPECTED_FILES:
            self.assertIn(path, files)
        self.assertEqual(files["/usr/bin/git-credential-patrol"], "-rwxr-xr-x")
        for path, mode in files.items():
            if path != "/usr/bin/git-credential-patrol":
                self.assertIn(mode, ("-rw-r--r--", "drwxr-xr-x"), path)
        fields = run(["dpkg-deb", "-f", str(self.deb), "Version", "Depends"],
                     check=True).stdout
        self.assertIn(f"Version: {self.version}", fields)
        # shlibdeps' libraries and the hand-kept list of those loaded with dlopen.
        for library in ("libgit2", "libsecret-1-0", "libgcrypt20", "libcurl", "libc6"):
            self.assertIn(library, fields)

    def check_lintian(self):
        proc = run(["lintian", "--fail-on", "error,warning", str(self.deb)])
        self.assertEqual(proc.returncode, 0, f"lintian:\n{proc.stdout}{proc.stderr}")

    def install_use_and_purge(self):
        proc = run(["dpkg", "-i", str(self.deb)])
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        try:
            listed = run(["dpkg", "-L", PACKAGE], check=True).stdout.splitlines()
            for path in EXPECTED_FILES:
                self.assertIn(path, listed)
            # Every file, and every directory that is the package's alone.
            owned = [path for path in listed
                     if not os.path.isdir(path) or PACKAGE in Path(path).name]
            self.check_installed()
        finally:
            proc = run(["dpkg", "--purge", PACKAGE])
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIsNone(installed_version())
        self.assertGreaterEqual(len(owned), len(EXPECTED_FILES))
        for path in owned:
            self.assertFalse(os.path.lexists(path), f"{path} left behind")

    def check_installed(self):
        stripped = run(["readelf", "-S", str(INSTALLED)], check=True).stdout
        self.assertNotIn(".symtab", stripped)
        self.assertNotIn(".debug_info", stripped)
        # Test hooks are only in the test build (common/test_hooks.hpp).
        self.assertNotIn(b"PATROL_TEST_", INSTALLED.read_bytes())
        with gzip.open("/usr/share/man/man1/git-credential-patrol.1.gz", "rt") as man:
            self.assertIn(".TH", man.read(4096).upper())
        # git finds the installed helper on PATH as `git credential-patrol`.
        env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "LC_ALL": "C.UTF-8"}
        proc = run(["git", "credential-patrol", "--version"], env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertTrue(proc.stdout.startswith(
            f"git-credential-patrol {os.environ['PATROL_VERSION']}\n"), proc.stdout)
        # Both bash entry points complete from the installed script.
        script = ("source /usr/share/bash-completion/completions/git-credential-patrol; "
                  "COMP_WORDS=(git credential-patrol con); COMP_CWORD=2; "
                  "_git_credential_patrol; echo \"${COMPREPLY[*]}\"")
        self.assertEqual(run(["bash", "-c", script], check=True).stdout.strip(), "configure")
        self.round_trip()

    def round_trip(self):
        os.environ["PATROL_BIN"] = str(INSTALLED)
        from harness import Sandbox  # noqa: E402 (reads PATROL_BIN)
        sandbox = Sandbox()
        try:
            self.assertEqual(sandbox.patrol, INSTALLED)
            sandbox.secret_service()
            attrs = {"protocol": "https", "host": "deb.example.com", "username": "ana",
                     "password": "deb-round-trip-secret"}
            sandbox.credential("approve", attrs, check=True)
            found, _ = sandbox.fill({"protocol": "https", "host": "deb.example.com"},
                                    check=True)
            self.assertEqual(found.get("password"), "deb-round-trip-secret")
            sandbox.credential("reject", attrs, check=True)
            proc = sandbox.helper("get", input="protocol=https\nhost=deb.example.com\n\n")
            self.assertEqual(proc.stdout, "")
        finally:
            sandbox.close()


if __name__ == "__main__":
    unittest.main()
