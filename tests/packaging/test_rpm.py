"""The rpm spec builds here, and the generated spec and Homebrew formula carry the
project's version. rpmbuild runs with --nodeps: the BuildRequires are Fedora's names
and Debian keeps no rpm database of them (install-deps installs the Debian packages).

Environment (set by ctest): PATROL_SOURCE_DIR, PATROL_BUILD_DIR, PATROL_VERSION.
"""

import os
import re
import subprocess
import tempfile
import unittest
from pathlib import Path

PACKAGE = "git-credential-patrol"


def run(argv, **kwargs):
    return subprocess.run(argv, capture_output=True, text=True, **kwargs)


class RpmAndHomebrew(unittest.TestCase):
    def setUp(self):
        self.source = Path(os.environ["PATROL_SOURCE_DIR"])
        self.build = Path(os.environ["PATROL_BUILD_DIR"]) / "packaging"
        self.version = os.environ["PATROL_VERSION"]

    def test_generated_recipes_carry_the_project_version(self):
        spec = (self.build / f"{PACKAGE}.spec").read_text()
        self.assertRegex(spec, rf"(?m)^Version:\s+{re.escape(self.version)}$")
        formula = (self.build / f"{PACKAGE}.rb").read_text()
        self.assertIn(f'version "{self.version}"', formula)
        self.assertIn(f"{PACKAGE}-{self.version}.tar.gz", formula)
        self.assertNotIn("@", formula)

    def test_rpmbuild_builds_the_spec(self):
        with tempfile.TemporaryDirectory(prefix="patrol-rpm-") as tmp:
            top = Path(tmp)
            (top / "SOURCES").mkdir()
            tarball = top / "SOURCES" / f"{PACKAGE}-{self.version}.tar.gz"
            proc = run(["git", "-C", str(self.source), "archive", "--format=tar.gz",
                        f"--prefix={PACKAGE}-{self.version}/", "-o", str(tarball), "HEAD"])
            self.assertEqual(proc.returncode, 0, proc.stderr)
            proc = run(["rpmbuild", "-bb", "--nodeps", "--define", f"_topdir {top}",
                        "--define", "_smp_mflags -j2", str(self.build / f"{PACKAGE}.spec")],
                       timeout=600)
            self.assertEqual(proc.returncode, 0, proc.stdout[-4000:] + proc.stderr[-4000:])
            rpms = list((top / "RPMS").rglob("*.rpm"))
            self.assertEqual(len(rpms), 1, rpms)
            files = run(["rpm", "-qlp", str(rpms[0])]).stdout.splitlines()
            for path in ("/usr/bin/git-credential-patrol",
                         "/usr/share/man/man1/git-credential-patrol.1.gz",
                         "/usr/share/bash-completion/completions/git-credential-patrol"):
                self.assertIn(path, files)
            self.assertFalse([f for f in files if "lintian" in f or "Debian" in f], files)
            info = run(["rpm", "-qip", str(rpms[0])]).stdout
            self.assertRegex(info, rf"Version\s*:\s*{re.escape(self.version)}")


if __name__ == "__main__":
    unittest.main()
