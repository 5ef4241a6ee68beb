"""The shell completions in real shells (Debian's bash with bash-completion, zsh, fish):
`git credential-patrol <TAB>` and `git-credential-patrol <TAB>` list the commands of the
command table, and a command's options complete after it.

Environment (set by ctest): PATROL_TABLES, the print_tables binary; PATROL_BIN, the
helper (put on PATH, as an installed one is); PATROL_SOURCE_DIR.
"""

import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from test_docs import tables

SOURCE = Path(os.environ.get("PATROL_SOURCE_DIR", Path(__file__).resolve().parents[2]))
COMPLETIONS = SOURCE / "packaging/completions"
HERE = Path(__file__).resolve().parent
# A few commands' options, as each shell must offer them.
OPTIONS = {
    "login": {"--username", "--stdin", "--oauth"},
    "check": {"--days", "--json", "--offline"},
    "configure": {"--global", "--system", "--url", "--oauth"},
    "import": {"--from", "--dry-run", "--remove-source"},
}


class Shells(unittest.TestCase):
    def setUp(self):
        self.home = Path(tempfile.mkdtemp(prefix="patrol-completions-"))
        self.addCleanup(shutil.rmtree, self.home, ignore_errors=True)
        binary = Path(os.environ["PATROL_BIN"]).resolve()
        self.env = {"HOME": str(self.home), "ZDOTDIR": str(self.home), "TERM": "dumb",
                    "XDG_CONFIG_HOME": str(self.home / "config"),
                    "XDG_DATA_HOME": str(self.home / "data"),
                    "PATH": f"{binary.parent}:/usr/bin:/bin", "COMPDIR": str(COMPLETIONS)}
        self.people = {name for name, audience in tables()[0] if audience != "git"}
        self.everything = {name for name, _ in tables()[0]}

    def shell(self, name):
        if shutil.which(name) is None:
            self.skipTest(f"{name} is not installed (scripts/install-deps installs it)")

    def run_shell(self, argv):
        proc = subprocess.run(argv, env=self.env, capture_output=True, text=True, timeout=60,
                              cwd=self.home, stdin=subprocess.DEVNULL)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc.stdout

    def zsh(self, line):
        out = self.run_shell(["zsh", "-f", str(HERE / "zsh_complete.zsh"), line])
        out = out.replace("\r", "")
        self.assertIn("HITS-BEGIN", out, f"zsh offered nothing for {line!r}: {out!r}")
        return set(out[out.index("HITS-BEGIN") + 10:out.index("HITS-END")].split())

    def fish(self, line):
        script = (f"set -p fish_complete_path {COMPLETIONS}; "
                  f"source {COMPLETIONS}/git-credential-patrol.conf.fish; "
                  f"complete -C '{line}'")
        out = self.run_shell(["fish", "-c", script])
        return {entry.split("\t")[0] for entry in out.splitlines()}

    def bash(self, line):
        # bash-completion loads a command's completion on demand, from XDG_DATA_HOME as
        # from /usr/share, under the installed name.
        folder = self.home / "data/bash-completion/completions"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(COMPLETIONS / "git-credential-patrol.bash", folder / "git-credential-patrol")
        words = line.split() + ([""] if line.endswith(" ") else [])
        script = ("source /usr/share/bash-completion/bash_completion\n"
                  f"COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}\n"
                  f"COMP_WORDS=({' '.join(repr(w) for w in words)}); COMP_CWORD={len(words) - 1}\n"
                  f"_completion_loader {words[0]}\n"
                  f"func=$(complete -p {words[0]} | sed -E 's/.*-F ([^ ]+).*/\\1/')\n"
                  f"$func {words[0]} '{words[-1]}' '{words[-2]}'\n"
                  "printf '%s\\n' \"${COMPREPLY[@]}\"\n")
        out = self.run_shell(["bash", "--norc", "--noprofile", "-c", script])
        return {entry.strip() for entry in out.splitlines()}

    def check_shell(self, complete):
        for prefix in ("git credential-patrol ", "git-credential-patrol "):
            with self.subTest(prefix):
                offered = complete(prefix)
                self.assertTrue(self.people <= offered, f"{prefix}: {offered}")
                self.assertTrue(offered <= self.everything | {"--help", "--version"},
                                f"{prefix}: {offered - self.everything}")
        for command, options in OPTIONS.items():
            with self.subTest(command):
                offered = complete(f"git credential-patrol {command} --")
                self.assertTrue(options <= offered, f"{command}: {offered}")

    def test_zsh(self):
        self.shell("zsh")
        self.check_shell(self.zsh)

    def test_fish(self):
        self.shell("fish")
        self.check_shell(self.fish)

    def test_bash(self):
        self.shell("bash")
        if not Path("/usr/share/bash-completion/bash_completion").exists():
            self.skipTest("bash-completion is not installed (scripts/install-deps installs it)")
        self.check_shell(self.bash)


if __name__ == "__main__":
    unittest.main()
