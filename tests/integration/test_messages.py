"""Every message is one line with the program's prefix; colour only when stderr is a
terminal, and never with NO_COLOR."""

import os
import pty
import subprocess
import unittest

from harness import IntegrationTest

PREFIX = "git-credential-patrol: "
RED_ERROR = "\033[1;31merror: \033[0m"


class Messages(IntegrationTest):

    def on_a_terminal(self, args, env=None):
        """Runs the helper with stderr on a pseudo-terminal; returns what it wrote there."""
        master, slave = pty.openpty()
        full = dict(self.sb.env)
        full.update(env or {})
        try:
            proc = subprocess.run([str(self.sb.patrol), *args], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=slave, env=full,
                                  cwd=self.sb.root, timeout=30)
            os.close(slave)
            slave = None
            out = b""
            while True:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # EIO once the terminal's other end is closed
                    break
                if not chunk:
                    break
                out += chunk
        finally:
            if slave is not None:
                os.close(slave)
            os.close(master)
        return proc.returncode, out.decode().replace("\r\n", "\n")

    def test_colour_on_a_terminal(self):
        code, text = self.on_a_terminal(["configure", "--bogus"])
        self.assertEqual(code, 129)
        self.assertTrue(text.startswith(PREFIX + RED_ERROR + "unknown option '--bogus' for configure"),
                        repr(text))
        self.assertEqual(text.count("\n"), 1)

    def test_no_colour_with_no_color_even_on_a_terminal(self):
        code, text = self.on_a_terminal(["configure", "--bogus"], env={"NO_COLOR": "1"})
        self.assertEqual(code, 129)
        self.assertTrue(text.startswith(PREFIX + "error: unknown option"), repr(text))
        self.assertNotIn("\033", text)

    def test_no_colour_when_stderr_is_not_a_terminal(self):
        proc = self.sb.helper("configure", "--bogus", input="")
        self.assertEqual(proc.returncode, 129)
        self.assertNotIn("\033", proc.stderr)
        self.assertTrue(self.assertOneErrorLine(proc.stderr).startswith(PREFIX + "error: "))

    def test_each_message_is_one_prefixed_line_that_says_what_to_do(self):
        cases = [
            (["diagnose", "--bogus"], "usage: git credential-patrol diagnose"),
            (["diagnose", "https://exa mple.com/"], "must be a URL like https://"),
            (["unconfigure", "--url"], "usage: git credential-patrol unconfigure"),
            (["get"], "no '=' between key and value"),
        ]
        for args, hint in cases:
            stdin = "no equals sign here\n\n" if args == ["get"] else ""
            proc = self.sb.helper(*args, input=stdin)
            line = self.assertOneErrorLine(proc.stderr, " ".join(args))
            self.assertTrue(line.startswith(PREFIX + "error: "), line)
            self.assertIn(hint, line)

    def test_a_message_holding_a_newline_stays_one_line(self):
        # The bad argument is echoed in the error, its newline as a space.
        proc = self.sb.helper("configure", "--what\nnext", input="")
        self.assertEqual(proc.returncode, 129)
        self.assertOneErrorLine(proc.stderr)


if __name__ == "__main__":
    unittest.main()
