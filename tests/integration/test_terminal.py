"""A person at a real terminal (tmux): the file store unlocked by typing its passphrase,
and a token typed into `login`, neither ever shown on the screen."""

import socket
import subprocess
import unittest
from datetime import timedelta

from harness import credential_input, parse_credential
from headless import HeadlessTest
from lifecycle_fixtures import ForgeTest
from terminal import Terminal

PASSPHRASE = "tmux typed passphrase 42"
HOST = "git.example.com"
TOKEN = "glpat-terminal-0123456789"


class InteractiveUnlock(HeadlessTest):
    """No D-Bus, no passphrase file: `unlock` asks on the terminal. The test process joined
    a private session keyring in setUp, and tmux and every git below inherit it."""

    def setUp(self):
        super().setUp()
        self.sb.env.pop("GIT_TERMINAL_PROMPT", None)
        self.term = Terminal(self.sb)

    def no_terminal(self, op, attrs):
        """git credential OP in a new session: there is no terminal it could ask on."""
        return subprocess.run(["git", "credential", op], input=credential_input(**attrs),
                              env=self.sb.env, capture_output=True, text=True, timeout=30,
                              cwd=self.sb.root, start_new_session=True)

    def test_unlock_asks_twice_with_echo_off_then_git_needs_nothing(self):
        self.assertFalse(self.store_file.exists())
        self.term.start([self.sb.patrol, "unlock"])
        self.term.wait_for("New passphrase for the credential file")
        self.term.type(PASSPHRASE)
        self.term.wait_for("The same passphrase again: ")
        self.term.type(PASSPHRASE)
        self.assertEqual(self.term.exit_code(), 0, self.term.screen())
        screen = self.term.screen()
        self.assertNotIn(PASSPHRASE, screen)
        self.assertIn("unlocked for this login session", screen)
        self.assertTrue(self.store_file.exists())

        stored = self.no_terminal("approve", {"protocol": "https", "host": HOST,
                                              "username": "alice", "password": TOKEN})
        self.assertEqual(stored.returncode, 0, stored.stderr)
        filled = self.no_terminal("fill", {"protocol": "https", "host": HOST})
        self.assertEqual(filled.returncode, 0, filled.stderr)
        self.assertEqual(parse_credential(filled.stdout)["password"], TOKEN)
        self.assertNotIn(TOKEN.encode(), self.store_file.read_bytes())

    def test_two_different_passphrases_create_nothing(self):
        self.term.start([self.sb.patrol, "unlock"])
        self.term.wait_for("New passphrase for the credential file")
        self.term.type(PASSPHRASE)
        self.term.wait_for("The same passphrase again: ")
        self.term.type(PASSPHRASE + " not")
        self.assertNotEqual(self.term.exit_code(), 0)
        self.assertNotIn(PASSPHRASE, self.term.screen())
        self.assertFalse(self.store_file.exists())
        filled = self.no_terminal("fill", {"protocol": "https", "host": HOST})
        self.assertNotIn("password=", filled.stdout)

    def test_a_locked_store_unlocked_again_by_typing(self):
        self.term.start([self.sb.patrol, "unlock"])
        self.term.wait_for("New passphrase for the credential file")
        self.term.type(PASSPHRASE)
        self.term.wait_for("The same passphrase again: ")
        self.term.type(PASSPHRASE)
        self.assertEqual(self.term.exit_code(), 0, self.term.screen())
        self.no_terminal("approve", {"protocol": "https", "host": HOST, "username": "alice",
                                     "password": TOKEN})
        self.assertEqual(self.sb.helper("lock", input="").returncode, 0)
        locked = self.no_terminal("fill", {"protocol": "https", "host": HOST})
        self.assertNotIn("password=", locked.stdout, "a locked store hands nothing out")

        again = Terminal(self.sb, "again")
        again.start([self.sb.patrol, "unlock"])
        again.wait_for("Passphrase for the credential file")
        again.type(PASSPHRASE)
        self.assertEqual(again.exit_code(), 0, again.screen())
        self.assertNotIn(PASSPHRASE, again.screen())
        filled = self.no_terminal("fill", {"protocol": "https", "host": HOST})
        self.assertEqual(parse_credential(filled.stdout)["password"], TOKEN)


class TypedLogin(ForgeTest):
    """`login` reads the token from the terminal with echo off, then does what --stdin does."""

    def test_the_token_is_typed_unseen_and_stored_with_its_expiry(self):
        token = self.server.issue_token(name="typed", expires_in_days=25,
                                        scopes=("read_repository", "write_repository"))
        term = Terminal(self.sb)
        term.start([self.sb.patrol, "login", self.server.url])
        term.wait_for(f"Token for https://oauth2@{self.host}: ")
        term.type(token)
        self.assertEqual(term.exit_code(), 0, term.screen())
        screen = term.screen()
        self.assertNotIn(token, screen)
        expiry = (self.server.today() + timedelta(days=25)).isoformat()
        self.assertIn(f"stored token 'typed' for https://oauth2@{self.host} in secretservice; "
                      f"it expires on {expiry}", screen)
        record = self.record(user="oauth2")
        self.assertEqual(record["expires_on"], expiry)

        forbidden, called = self.sb.forbidden_askpass()
        self.sb.git("clone", "-q", self.repo_url, str(self.sb.root / "work"),
                    env={"GIT_ASKPASS": forbidden})
        self.assertEqual(self.sb.calls(called), [])

        # check is quiet when all is fine (cron mails any output), but a person at a
        # terminal is told so.
        quiet = self.sb.helper("check")
        self.assertEqual((quiet.returncode, quiet.stdout, quiet.stderr), (0, b"", b""))
        checking = Terminal(self.sb, "check")
        checking.start([self.sb.patrol, "check"])
        self.assertEqual(checking.exit_code(), 0, checking.screen())
        self.assertIn("git-credential-patrol: 1 credential(s) checked: all fine",
                      checking.screen())

    def test_while_the_forge_is_asked_the_terminal_says_so_then_takes_it_back(self):
        held = socket.create_server(("127.0.0.1", 0))  # connections wait, never accepted
        self.addCleanup(held.close)
        host = f"127.0.0.1:{held.getsockname()[1]}"
        self.sb.git("config", "--global", f"patrol.https://{host}.forge", "gitlab")
        term = Terminal(self.sb)
        term.start([self.sb.patrol, "login", f"https://{host}"])
        term.wait_for(f"Token for https://oauth2@{host}: ")
        term.type("glpat-held-by-the-forge")
        term.wait_for(f"git-credential-patrol: checking the token at {host}")
        held.close()  # the waiting connection is reset: the wait ends now
        self.assertEqual(term.exit_code(), 0, term.screen())
        screen = term.screen()
        self.assertNotIn("checking the token", screen)
        self.assertIn(f"{host} did not answer", screen)
        self.assertIn("nothing was lost", screen)
        self.assertNotIn("glpat-held-by-the-forge", screen)

    def test_an_empty_line_stores_nothing(self):
        term = Terminal(self.sb)
        term.start([self.sb.patrol, "login", self.server.url, "--username", "alice"])
        term.wait_for("Token for https://alice@")
        term.type("")
        self.assertEqual(term.exit_code(), 1, term.screen())
        self.assertIn("no token was given", term.screen())
        self.assertIsNone(self.record(user="alice"))


if __name__ == "__main__":
    unittest.main()
