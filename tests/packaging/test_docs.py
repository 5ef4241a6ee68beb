"""The man page and the shell completions cover what the code has: every command of the
command table, every patrol.<key> of the settings table with its environment variable,
and every PATROL_* variable the sources read. A command or key added without its
documentation fails here.

Environment (set by ctest): PATROL_TABLES, the print_tables binary; PATROL_SOURCE_DIR.
"""

import os
import re
import subprocess
import unittest
from pathlib import Path

SOURCE = Path(os.environ.get("PATROL_SOURCE_DIR", Path(__file__).resolve().parents[2]))
MAN = SOURCE / "packaging/man/git-credential-patrol.1.scd"
COMPLETIONS = [SOURCE / "packaging/completions" / name for name in
               ("git-credential-patrol.bash", "_git-credential-patrol",
                "git-credential-patrol.fish")]
# Read by code but only for tests; not for users.
TEST_ONLY = {"PATROL_TEST_PAUSE_BEFORE_RENAME", "PATROL_TEST_PAUSE_REFRESH_SAVE"}


def tables():
    out = subprocess.run([os.environ["PATROL_TABLES"]], capture_output=True, text=True,
                         check=True).stdout
    commands, keys = [], []
    for line in out.splitlines():
        kind, *rest = line.split()
        if kind == "command":
            commands.append(tuple(rest))
        else:
            keys.append(tuple(rest))
    return commands, keys


class Documentation(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.commands, cls.keys = tables()
        cls.man = MAN.read_text()

    def test_tables_are_not_empty(self):
        self.assertIn(("get", "git"), self.commands)
        self.assertIn(("store", "PATROL_STORE"), self.keys)

    def test_every_command_has_a_man_entry(self):
        for name, _ in self.commands:
            self.assertRegex(self.man, rf"(?m)^\*{re.escape(name)}\*",
                             f"command {name} is not documented in {MAN.name}")

    def test_every_setting_and_its_variable_are_in_the_man_page(self):
        for name, env in self.keys:
            self.assertRegex(self.man, rf"(?m)^\*patrol\.{re.escape(name)}\* \(\*{env}\*",
                             f"patrol.{name} ({env}) is not documented in {MAN.name}")

    def test_every_variable_the_sources_read_is_in_the_man_page(self):
        names = set()
        for folder in ("helper", "store", "oauth", "common"):
            for path in (SOURCE / folder).glob("*.[ch]pp"):
                names.update(re.findall(r'"(PATROL_[A-Z0-9_]+)"', path.read_text()))
        self.assertIn("PATROL_TRACE", names)
        for name in sorted(names - TEST_ONLY):
            self.assertIn(f"*{name}*", self.man, f"{name} is not documented in {MAN.name}")

    def test_completions_offer_every_command_for_people(self):
        for path in COMPLETIONS:
            text = path.read_text()
            for name, audience in self.commands:
                if audience == "people":
                    self.assertRegex(text, rf"\b{re.escape(name)}\b",
                                     f"{path.name} does not complete {name}")

    def test_help_lists_every_command_and_setting(self):
        help_text = subprocess.run([os.environ["PATROL_BIN"], "--help"], capture_output=True,
                                   text=True, check=True).stdout
        for name, _ in self.commands:
            self.assertRegex(help_text, rf"(?m)^  {re.escape(name)}\b")
        for name, env in self.keys:
            self.assertIn(f"patrol.{name} (env {env}", help_text)


if __name__ == "__main__":
    unittest.main()
