"""A server's words never drive the terminal, and a server's answer never costs more than
1 MiB or the documented time: a GitLab token named with escape sequences, a device flow
whose page, code and error are full of controls (tests/servers/hostile.py), and answers of
2 GiB, without end, or trickled, at `store` (through git), OAuth discovery and the token
endpoint (through git's `get`)."""

import json
import os
import re
import subprocess
import tempfile
import threading

from harness import IntegrationTest, credential_input, parse_credential
from hostile import HOSTILE_CODE, HostileServer
from lifecycle_fixtures import ForgeTest

# The token name of the report: a window title, a screen clear, red.
HOSTILE_NAME = "ci\x1b]0;pwned-title\x07\x1b[2J\x1b[31mRED"
SHOWN_NAME = "ci\\e]0;pwned-title\\x07\\e[2J\\e[31mRED"
HOSTILE_SCOPE = "read_repository\u009b8m\u202e"
SHOWN_SCOPE = "read_repository\\u009b8m\\u202e"
# Bytes a terminal may act on: C0 but newline, DEL, C1 in UTF-8, bidi controls.
CONTROL = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")
# What an answer may add to the helper's peak memory: the 1 MiB cap, the string growing to
# it, TLS buffers. Far below what a 2 GiB answer held in memory would need.
ALLOWANCE_KIB = 32 * 1024


def as_bytes(data):
    return data.encode() if isinstance(data, str) else data


class EscapedTokenMetadata(ForgeTest):
    forge = "gitlab"

    def assertNoControl(self, data, where):
        found = CONTROL.search(as_bytes(data))
        self.assertIsNone(found, f"{where} holds a terminal control: {data!r}")

    def test_a_token_name_and_scope_from_the_api_are_shown_escaped_everywhere(self):
        token = self.server.issue_token(name=HOSTILE_NAME, scopes=["api", HOSTILE_SCOPE],
                                        expires_in_days=3)
        stored = self.sb.credential("approve", {"protocol": "https", "host": self.host,
                                                "username": "alice", "password": token},
                                    check=True, env={"PATROL_TRACE": "1"})
        self.assertNoControl(stored.stderr, "store's trace")

        # git's fill: the expiry warning names the token, escaped.
        got, proc = self.fill(env={"PATROL_TRACE": "1"})
        self.assertEqual(got.get("password"), token)
        # The escaped name is too long for the warning's line: the line names the account,
        # the link under it the token.
        self.assertIn(f"warning: the token for alice@{self.host} expires in 3 days", proc.stderr)
        self.assertIn(f"{self.server.creation_url()}?name=ci%", proc.stderr)
        self.assertNoControl(proc.stderr, "get's warning and trace")

        table = self.sb.helper("status", check=True)
        self.assertIn(SHOWN_NAME.encode(), table.stdout)
        self.assertIn(SHOWN_SCOPE.encode(), table.stdout)
        self.assertNoControl(table.stdout.replace(b"\n", b" "), "status")

        # JSON: the exact values for a reader, \u escapes for a terminal.
        document = self.sb.helper("status", "--json", check=True).stdout
        self.assertNoControl(document.replace(b"\n", b" "), "status --json")
        self.assertTrue(document.isascii())
        record = [r for r in json.loads(document) if r["host"] == self.host][0]
        self.assertEqual(record["token_name"], HOSTILE_NAME)
        self.assertIn(HOSTILE_SCOPE, record["scopes"])

        checked = self.sb.helper("check", "--offline", "--days", "30")
        self.assertEqual(checked.returncode, 1, checked.stderr)
        self.assertIn(f"token '{SHOWN_NAME}' expires on".encode(), checked.stdout)
        self.assertNoControl(checked.stdout.replace(b"\n", b" "), "check")
        checked_json = self.sb.helper("check", "--offline", "--json", "--days", "30").stdout
        self.assertTrue(checked_json.isascii())
        self.assertEqual(json.loads(checked_json)[0]["token_name"], HOSTILE_NAME)

        # Rejected: erase explains, naming the token escaped.
        self.server.revoke(token)
        rejected = self.sb.credential("reject", {"protocol": "https", "host": self.host,
                                                 "username": "alice", "password": token})
        self.assertIn(f"token '{SHOWN_NAME}'", rejected.stderr)
        self.assertNoControl(rejected.stderr, "erase's explanation")


class HostileTest(IntegrationTest):
    def setUp(self):
        super().setUp()
        self.keyring = self.sb.secret_service()
        self.sb.make_ca()
        self.server = HostileServer(self.sb.cert, self.sb.key, mode="huge")
        self.server.start()
        self.addCleanup(self.server.stop)
        self.host = f"127.0.0.1:{self.server.port}"
        self.url = f"{self.server.url}/repo.git"

    def measured(self, argv, input=b"", env=None):
        """Runs argv: (exit code, stdout, stderr, peak RSS in KiB of it and every process it
        waited for, the helper under git among them)."""
        full_env = dict(self.sb.env)
        full_env.update(env or {})
        with tempfile.TemporaryFile() as stdin, tempfile.TemporaryFile() as stdout, \
                tempfile.TemporaryFile() as stderr:
            stdin.write(as_bytes(input))
            stdin.seek(0)
            proc = subprocess.Popen([str(a) for a in argv], stdin=stdin, stdout=stdout,
                                    stderr=stderr, env=full_env, cwd=self.sb.root,
                                    start_new_session=True)
            watchdog = threading.Timer(120, proc.kill)  # a hang fails the test, not the run
            watchdog.start()
            try:
                _, status, usage = os.wait4(proc.pid, 0)
            finally:
                watchdog.cancel()
            proc.returncode = os.waitstatus_to_exitcode(status)
            stdout.seek(0)
            stderr.seek(0)
            return proc.returncode, stdout.read().decode(errors="replace"), \
                stderr.read().decode(errors="replace"), usage.ru_maxrss

    def approve(self, password):
        return self.measured(["git", "credential", "approve"],
                             credential_input(protocol="https", host=self.host,
                                              username="alice", password=password),
                             env={"PATROL_TRACE": "1"})

    def assertSmall(self, rss_kib, baseline_kib, what):
        self.assertLess(rss_kib, baseline_kib + ALLOWANCE_KIB,
                        f"{what}: peak RSS {rss_kib} KiB against {baseline_kib} KiB for a "
                        "small answer")


class BoundedStore(HostileTest):
    """`git credential approve` with the token lookup at a hostile forge."""

    def setUp(self):
        super().setUp()
        self.sb.git("config", "--global", f"patrol.{self.server.url}.forge", "gitlab")
        # The same lookup answered at once with a 404: the memory patrol needs anyway.
        self.server.set_mode("/api/", "oauth")
        code, _, stderr, self.baseline = self.approve("baseline-token")
        self.assertEqual(code, 0, stderr)
        self.assertIn("answered HTTP 404", stderr)

    def stored(self):
        got, proc = self.sb.fill({"protocol": "https", "host": self.host, "username": "alice"})
        return got.get("password")

    def check_bounded(self, mode, line):
        self.server.set_mode("/api/", mode)
        code, _, stderr, rss = self.approve(f"{mode}-token")
        self.assertEqual(code, 0, stderr)
        self.assertIn(line, stderr)
        self.assertIn("/api/v4/personal_access_tokens/self", self.server.paths()[-1])
        self.assertSmall(rss, self.baseline, mode)
        self.assertEqual(self.stored(), f"{mode}-token", "the credential is kept all the same")

    def test_two_gib_without_length_is_cut_at_one_mib(self):
        self.check_bounded("huge", f"the answer from {self.host} is larger than 1 MiB")

    def test_two_gib_declared_is_refused(self):
        self.check_bounded("declared", f"the answer from {self.host} is larger than 1 MiB")

    def test_endless_headers_are_cut(self):
        self.check_bounded("headers", f"the headers of the answer from {self.host} are larger "
                                      "than 64 KiB")

    def test_a_trickled_answer_ends_at_the_total_timeout(self):
        self.check_bounded("trickle", "no complete answer within 5 s")


class BoundedOAuth(HostileTest):
    """OAuth discovery at login, and the token endpoint at git's get."""

    def setUp(self):
        super().setUp()
        self.sb.git("config", "--global", f"patrol.{self.server.url}.oauthClientId", "patrol-test")

    def login(self):
        return self.measured([self.sb.patrol, "login", "--oauth", self.url])

    def test_discovery_answering_two_gib_fails_in_one_line(self):
        self.server.set_mode("/", "oauth")
        _, _, _, baseline = self.measured([self.sb.patrol, "login", "--oauth", self.url])
        self.sb.helper("logout", self.url)
        self.server.set_mode("/.well-known/", "huge")
        code, stdout, stderr, rss = self.login()
        self.assertNotEqual(code, 0)
        line = self.assertOneErrorLine(stderr, "login against a 2 GiB discovery document")
        self.assertIn(f"the answer from {self.host} is larger than 1 MiB", line)
        self.assertSmall(rss, baseline, "discovery")

    def test_token_endpoint_answering_two_gib_at_refresh_keeps_git_going(self):
        self.server.set_mode("/", "oauth")
        code, _, stderr, _ = self.login()
        self.assertEqual(code, 0, stderr)
        request = {"protocol": "https", "host": self.host}
        # The access token lives 30 s, within get's refresh margin: every get refreshes.
        code, stdout, stderr, baseline = self.measured(["git", "credential", "fill"],
                                                       credential_input(**request))
        self.assertEqual(code, 0, stderr)
        self.assertTrue(parse_credential(stdout)["password"].startswith("oauth-"))
        self.server.set_mode("/token", "huge")
        code, stdout, stderr, rss = self.measured(["git", "credential", "fill"],
                                                  credential_input(**request))
        self.assertEqual(code, 0, stderr)
        self.assertTrue(parse_credential(stdout)["password"].startswith("oauth-"),
                        "the access token still lives and is given")
        self.assertIn(f"could not refresh the OAuth token for {self.host}: the answer from "
                      f"{self.host} is larger than 1 MiB", stderr)
        self.assertEqual(self.server.paths()[-1], "/token")
        self.assertSmall(rss, baseline, "token endpoint")


class EscapedDeviceFlow(HostileTest):

    def test_a_page_with_controls_is_refused_before_it_is_shown(self):
        self.server.set_mode("/", "escapes_page")
        self.sb.git("config", "--global", f"patrol.{self.server.url}.oauthClientId", "patrol-test")
        proc = self.sb.helper("login", "--oauth", self.url, timeout=60)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIsNone(CONTROL.search(proc.stderr), f"a control reached stderr: {proc.stderr!r}")
        self.assertIn("refusing the sign-in", proc.stderr.decode())
        self.assertNotIn("/token", self.server.paths(), "the device code was polled")

    """A device flow whose page, code and error carry escapes, C1 controls and bidi."""

    def test_page_code_and_error_are_shown_escaped(self):
        self.server.set_mode("/", "escapes")
        self.sb.git("config", "--global", f"patrol.{self.server.url}.oauthClientId", "patrol-test")
        proc = self.sb.helper("login", "--oauth", self.url, timeout=60)
        self.assertNotEqual(proc.returncode, 0)
        stderr = proc.stderr
        self.assertIsNone(CONTROL.search(stderr), f"a terminal control reached stderr: {stderr!r}")
        text = stderr.decode()
        self.assertIn(f"open   {self.server.url}/dev\\u009b2J\\u202eice\n", text)
        shown_code = HOSTILE_CODE.replace("\x1b", "\\e").replace("\u009b", "\\u009b") \
            .replace("\u202e", "\\u202e")
        self.assertIn(f"enter  {shown_code}", text)
        self.assertIn("evil\\e]0;pwned-title\\x07: denied\\e[2J\\e[31mRED\\u009b1m\\u202egnp.exe"
                      "\\nsecond line", text)
        self.assertEqual(self.server.paths()[-1], "/token")
