"""scripts/demo.py, as a newcomer runs it (scripts/demo runs it after installing): every
step of a token's life shows its real output, and nothing is left behind."""

import os
import re
import subprocess
import sys
import unittest
from pathlib import Path

from harness import patrol_bin

DEMO = Path(__file__).resolve().parents[2] / "scripts" / "demo.py"


class Demo(unittest.TestCase):
    def test_the_demo_shows_the_lifecycle_and_leaves_nothing_behind(self):
        env = {k: v for k, v in os.environ.items() if k != "PATROL_BIN"}
        proc = subprocess.run([sys.executable, str(DEMO), str(patrol_bin())], env=env,
                              capture_output=True, text=True, timeout=240,
                              stdin=subprocess.DEVNULL)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        out = proc.stdout
        steps = re.split(r"\n== ", out)
        self.assertEqual(len(steps), 8, out)
        first, warned, status, check, rotated, revoked = steps[2:]
        self.assertIn("the prompt answered 2 question(s): Username, Password", first)
        self.assertRegex(warned, r"warning: token 'laptop' for alice@127\.0\.0\.1:\d+ expires in "
                         r"5 days.*\n  .*personal_access_tokens\?name=laptop&scopes=api")
        self.assertRegex(status, r"laptop\s+\d{4}-\d\d-\d\d\s+5\s+api")
        self.assertNotIn("unknown", status)
        self.assertIn("(exit status 1)", check)
        self.assertIn("token 'laptop' expires on", check)
        self.assertIn("rotated token 'laptop'", rotated)
        self.assertIn("prompts shown: 0", rotated)
        self.assertRegex(rotated, r"pushed with the new token \(id (\d+), GitLab saw \[\1\]\)")
        self.assertIn("was refused: it was revoked", revoked)
        home = Path(re.search(r"HOME=(\S+)", out).group(1))
        self.assertFalse(home.parent.exists(), f"the demo left {home.parent} behind")


if __name__ == "__main__":
    unittest.main()
