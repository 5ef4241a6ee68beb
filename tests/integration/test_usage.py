"""Help and usage errors through the real binary, the same for every command: --help, -h
and `help CMD` print the command's usage on stdout (exit 0); a bad flag is named, with
"did you mean" when it is close; too many arguments are called that (exit 129, as git).
A mistyped command is a usage error even without a terminal (cron); git's operations and
unknown operations with a request on stdin stay silent. What goes to stdout and stderr."""

import re
import unittest

from harness import IntegrationTest, credential_input

PREFIX = "git-credential-patrol: "

# Every command: a flag one typo away from one of its own (None: it has none, so the bad
# flag gets the usage line instead of a suggestion), and a command line with one argument
# too many.
COMMANDS = {
    "get": (None, ["extra"]),
    "store": (None, ["extra"]),
    "erase": (None, ["extra"]),
    "capability": (None, ["extra"]),
    "refresh": (("--holding-lok", "--holding-lock"), ["https://a.example", "b"]),
    "status": (("--jsn", "--json"), ["extra"]),
    "check": (("--ofline", "--offline"), ["extra"]),
    "rotate": (("--expire-at", "--expires-at"), ["https://a.example", "b"]),
    "login": (("--usrname", "--username"), ["https://a.example", "b"]),
    "logout": (("--usernme", "--username"), ["https://a.example", "b"]),
    "unlock": (None, ["extra"]),
    "lock": (None, ["extra"]),
    "import": (("--dry-rn", "--dry-run"), ["file1", "file2"]),
    "configure": (("--globl", "--global"), ["--oauth", "https://a.example", "id", "secret", "x"]),
    "unconfigure": (("--sytem", "--system"), ["extra"]),
    "diagnose": (("--prob", "--probe"), ["https://a.example", "b"]),
}


class HelpAndUsageErrors(IntegrationTest):

    def run_helper(self, *args, input=""):
        return self.sb.helper(*args, input=input)

    def test_the_table_covers_every_command_help_lists(self):
        proc = self.run_helper("--help")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        commands = proc.stdout[proc.stdout.index("Commands for people:"):
                               proc.stdout.index("Settings")]
        listed = set(re.findall(r"^  ([a-z]+)(?=[ \n])", commands, re.MULTILINE))
        self.assertEqual(listed, set(COMMANDS))

    def test_help_shows_no_empty_default(self):
        proc = self.run_helper("--help")
        self.assertNotIn("default )", proc.stdout)
        self.assertIn("(env PATROL_FORGE)", proc.stdout)

    def test_every_command_help_and_usage_errors(self):
        for name, (typo, too_many) in COMMANDS.items():
            usage = f"usage: git credential-patrol {name}"
            for flag in ("--help", "-h"):
                with self.subTest(name=name, flag=flag):
                    proc = self.run_helper(name, flag)
                    self.assertEqual(proc.returncode, 0, proc.stderr)
                    self.assertTrue(proc.stdout.startswith(usage), proc.stdout)
                    self.assertIn("-h, --help", proc.stdout)
                    self.assertEqual(proc.stderr, "")
            with self.subTest(name=name, via="help CMD"):
                proc = self.run_helper("help", name)
                self.assertEqual(proc.returncode, 0, proc.stderr)
                self.assertEqual(proc.stdout, self.run_helper(name, "--help").stdout)

            with self.subTest(name=name, mistake="bad flag"):
                bad = typo[0] if typo else "--bogus"
                proc = self.run_helper(name, bad, *too_many[:-1])
                self.assertEqual(proc.returncode, 129, proc.stderr)
                self.assertEqual(proc.stdout, "")
                line = self.assertOneErrorLine(proc.stderr, f"{name} {bad}")
                self.assertTrue(
                    line.startswith(f"{PREFIX}error: unknown option '{bad}' for {name}; "), line)
                if typo:
                    self.assertTrue(line.endswith(f"; did you mean {typo[1]}?"), line)
                else:
                    self.assertTrue(line.endswith(usage), line)

            with self.subTest(name=name, mistake="too many arguments"):
                proc = self.run_helper(name, *too_many)
                self.assertEqual(proc.returncode, 129, proc.stderr)
                self.assertEqual(proc.stdout, "")
                line = self.assertOneErrorLine(proc.stderr, f"{name} {too_many}")
                self.assertIn(f"error: too many arguments for {name}: '{too_many[-1]}'; {usage}",
                              line)

    def test_a_missing_argument_is_called_that(self):
        for name in ("login", "logout", "rotate", "refresh"):
            with self.subTest(name):
                proc = self.run_helper(name)
                self.assertEqual(proc.returncode, 129)
                line = self.assertOneErrorLine(proc.stderr, name)
                self.assertIn(f"error: missing argument URL for {name}; usage: ", line)

    def test_a_mistyped_command_from_cron_gets_the_suggestion(self):
        # stdin is /dev/null here, as under cron: no terminal, and still told.
        proc = self.sb.run([self.sb.patrol, "chek", "--days", "7"], input=None)
        self.assertEqual(proc.returncode, 129)
        self.assertEqual(proc.stdout, b"")
        self.assertEqual(self.assertOneErrorLine(proc.stderr),
                         PREFIX + "error: unknown command 'chek'; did you mean check?")
        proc = self.run_helper("stauts")
        self.assertEqual(proc.returncode, 129)
        self.assertIn("did you mean status?", proc.stderr)
        # Far from every command but with an argument after it: a person's, not git's.
        proc = self.run_helper("frobnicate", "--now")
        self.assertEqual(proc.returncode, 129)
        self.assertIn("unknown command 'frobnicate'; see git credential-patrol --help",
                      self.assertOneErrorLine(proc.stderr))
        proc = self.run_helper("help", "chek")
        self.assertEqual(proc.returncode, 129)
        self.assertIn("did you mean check?", proc.stderr)

    def test_a_password_in_a_misplaced_url_is_never_echoed(self):
        # The URL is right but in the wrong place: every usage error names the argument
        # without its user and password, so the token is not copied into a terminal's
        # scrollback or a cron mail.
        for argv in (["status", "https://alice:tok-echo-1@h.example/g"],
                     ["configure", "u:tok-echo-2@h.example"],
                     ["login", "https://h.example", "https://alice:tok-echo-3@h.example"],
                     ["check", "--days", "https://alice:tok-echo-4@h.example"],
                     ["https://alice:tok-echo-5@h.example", "--now"]):
            with self.subTest(argv=argv):
                proc = self.run_helper(*argv)
                self.assertEqual(proc.returncode, 129, proc.stderr)
                line = self.assertOneErrorLine(proc.stderr)
                self.assertNotIn("tok-echo", line)
                self.assertIn("h.example", line, "the argument is still named")

    def test_gits_operations_and_unknown_ones_with_a_request_stay_silent(self):
        self.sb.secret_service()
        request = credential_input(protocol="https", host="nothing.example")
        proc = self.run_helper("get", input=request)
        self.assertEqual((proc.returncode, proc.stdout, proc.stderr), (0, "", ""))
        # An operation of a newer git: nothing after its name, the request on stdin.
        proc = self.run_helper("frobnicate", input=request)
        self.assertEqual((proc.returncode, proc.stdout, proc.stderr), (0, "", ""))
        # The same name with nothing on stdin (cron's </dev/null) is no git request.
        proc = self.run_helper("frobnicate", input="")
        self.assertEqual(proc.returncode, 129, proc.stderr)
        self.assertIn("unknown command 'frobnicate'; see git credential-patrol --help",
                      proc.stderr)

    def test_status_writes_its_table_on_stdout_without_the_prefix(self):
        self.sb.secret_service()
        self.sb.credential("approve", {"url": "https://alice@git.example.com",
                                       "password": "tok-status"}, check=True)
        proc = self.run_helper("status")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr, "")
        lines = proc.stdout.splitlines()
        self.assertTrue(lines[0].startswith("URL"), proc.stdout)
        self.assertTrue(lines[1].startswith("https://alice@git.example.com "), proc.stdout)
        self.assertNotIn(PREFIX, proc.stdout)
        self.assertNotIn("tok-status", proc.stdout)

    def test_diagnose_takes_a_url_without_a_scheme_as_https(self):
        proc = self.run_helper("diagnose", "gitlab.example.com/group")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertRegex(proc.stdout, r"(?m)^url: +https://gitlab\.example\.com/group$")
        self.assertNotIn(PREFIX, proc.stdout)


if __name__ == "__main__":
    unittest.main()
