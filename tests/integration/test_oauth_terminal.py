"""OAuth through real git with a person at a real terminal (tmux): a clone with nothing
stored shows the code and page on the terminal, is approved, and succeeds; the next clone
asks nothing; once the access token expires a clone refreshes it without a word; with no
terminal git fails fast with its own message."""

import os
import re
import subprocess
import time

from terminal import Terminal
from test_oauth_forges import ForgeOAuthTest


class CloneAtTheTerminal(ForgeOAuthTest):
    forge = "gitlab"

    def setUp(self):
        super().setUp()
        self.sb.env.pop("GIT_TERMINAL_PROMPT", None)

    def clone_in_terminal(self, name):
        term = Terminal(self.sb, name=name)
        term.start(["git", "clone", "-q", self.repo_url, str(self.sb.root / name)])
        return term

    def expire_stored_token(self):
        """Sets the stored access token's expiry to now, as its lifetime running out would."""
        [item] = self.keyring.items()
        lines = [line for line in item.secret.split("\n")
                 if not line.startswith("password_expiry_utc=")]
        lines.insert(1, f"password_expiry_utc={int(time.time())}")
        attributes = dict(item.attributes)
        schema = attributes.pop("xdg:schema")
        self.keyring.store_raw("\n".join(lines), label=item.label, schema=schema, **attributes)
        self.assertEqual(len(self.keyring.items(secrets=False)), 1, "the item was not replaced")

    def test_sign_in_on_the_terminal_then_stored_then_refreshed_silently(self):
        self.server.device.access_token_lifetime = 70
        term = self.clone_in_terminal("first")
        screen = term.wait_for("Waiting for approval")
        code = re.search(r"enter  ([0-9A-Z]{8})", screen).group(1)
        self.assertIn(f"open   {self.server.url}/oauth/device", screen)
        self.assertIn(f"?user_code={code}", screen, "the QR code's page is named")
        self.assertIn("\u2588", screen, "a QR code is drawn")
        self.assertTrue(self.server.device.approve(code))
        self.assertEqual(term.exit_code(), 0, term.screen())
        self.assertIn("signed in to 127.0.0.1", term.screen())
        self.assertTrue((self.sb.root / "first" / ".git").is_dir())
        token = self.stored()["password"]
        self.assertEqual(len(self.server.device.refreshes), 0)

        # The next clone uses the stored token: no prompt, no grant, no refresh.
        second = self.clone_in_terminal("second")
        self.assertEqual(second.exit_code(), 0, second.screen())
        self.assertNotIn("sign in", second.screen())
        self.assertEqual(self.server.device.grants(), [])
        self.assertEqual(len(self.server.device.refreshes), 0)

        # Past the token's life (minus get's one-minute margin): refreshed, nothing asked.
        # Its end is brought forward, in the store and at the server, rather than waited for.
        self.expire_stored_token()
        self.server.advance(seconds=71)
        self.assertIsNone(self.server._valid(token), "the old access token should be dead")
        third = self.clone_in_terminal("third")
        self.assertEqual(third.exit_code(), 0, third.screen())
        self.assertNotIn("sign in", third.screen())
        self.assertEqual([a for _, a in self.server.device.refreshes], ["tokens"])
        self.assertEqual(self.server.device.grants(), [])
        self.assertNotEqual(self.stored()["password"], token)

    def test_no_terminal_git_fails_fast_with_its_own_message(self):
        env = dict(self.sb.env)
        proc = subprocess.run(["git", "clone", self.repo_url, str(self.sb.root / "work")],
                              env=env, cwd=self.sb.root, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, timeout=30, start_new_session=True)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("could not read Username", proc.stderr)
        self.assertNotIn("sign in", proc.stderr)
        self.assertEqual(self.server.device.grants(), [])
        self.assertEqual(self.server.device.polls, [])


class NoClientIdAtTheTerminal(ForgeOAuthTest):
    """A forge with the device flow, a person at the terminal, and no client id yet: get says
    in one line where to register one and how to store it, then git asks as it always did."""

    forge = "gitlab"

    def setUp(self):
        super().setUp()
        self.sb.env.pop("GIT_TERMINAL_PROMPT", None)
        self.sb.git("config", "--global", "--unset", f"patrol.{self.server.url}.oauthClientId")

    def test_get_says_where_to_register_in_one_line_then_git_prompts(self):
        term = Terminal(self.sb, name="hint")
        term.start(["git", "clone", "-q", self.repo_url, str(self.sb.root / "work")])
        screen = term.wait_for("Username for")
        lines = [l for l in screen.splitlines() if "no OAuth client id" in l]
        self.assertEqual(len(lines), 1, screen)
        self.assertIn(f"register an application at {self.server.url}/-/user_settings/applications",
                      lines[0])
        self.assertIn(f"git credential-patrol configure --oauth {self.server.url} CLIENT_ID",
                      lines[0])
        self.assertEqual(self.server.device.grants(), [])

    def test_oauth_never_silences_it(self):
        self.sb.git("config", "--global", f"patrol.{self.server.url}.oauth", "never")
        term = Terminal(self.sb, name="quiet")
        term.start(["git", "clone", "-q", self.repo_url, str(self.sb.root / "work")])
        screen = term.wait_for("Username for")
        self.assertNotIn("client id", screen)
