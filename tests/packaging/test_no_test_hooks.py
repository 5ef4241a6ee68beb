"""Test hooks (common/test_hooks.hpp) are only in the test build: the binary that is
installed and packaged holds none of their variable names, so no environment variable
can stop or steer it. The test build holds them, which shows the check can see them.

Environment (set by ctest): PATROL_BIN, the binary `cmake --install` and cpack take;
PATROL_TEST_HOOKS_BIN, the test build; PATROL_SOURCE_DIR.
"""

import os
import re
import unittest
from pathlib import Path

SOURCE = Path(os.environ.get("PATROL_SOURCE_DIR", Path(__file__).resolve().parents[2]))
HOOKS = SOURCE / "tests/hooks/test_hooks.cpp"


def hook_variables():
    """Every variable the hook table names."""
    return re.findall(r'"(PATROL_TEST_[A-Z0-9_]+)"', HOOKS.read_text())


class NoTestHooks(unittest.TestCase):

    def test_the_installed_binary_holds_no_hook_variable(self):
        variables = hook_variables()
        self.assertIn("PATROL_TEST_PAUSE_BEFORE_RENAME", variables)
        installed = Path(os.environ["PATROL_BIN"]).read_bytes()
        hooked = Path(os.environ["PATROL_TEST_HOOKS_BIN"]).read_bytes()
        for name in variables:
            # assertTrue, not assertIn: a failure must not print a whole binary.
            self.assertTrue(name.encode() in hooked, f"the test build lacks {name}")
            self.assertFalse(name.encode() in installed, f"the installed binary reads {name}")
        self.assertFalse(b"PATROL_TEST_" in installed, "the installed binary holds PATROL_TEST_")

    def test_only_the_hook_table_names_hook_variables(self):
        for folder in ("helper", "store", "oauth", "common"):
            for path in (SOURCE / folder).glob("*.[ch]pp"):
                self.assertNotRegex(path.read_text(), r'"PATROL_TEST_',
                                    f"{path} reads a test variable outside tests/hooks")


if __name__ == "__main__":
    unittest.main()
