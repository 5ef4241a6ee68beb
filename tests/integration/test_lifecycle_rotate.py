"""`git credential-patrol rotate` against the GitLab test server: the next push uses the
new token, the old one is dead, and a new token that cannot be stored is shown once."""

import unittest
from datetime import timedelta

from lifecycle_fixtures import ForgeTest, GitLabServer

PREFIX = "git-credential-patrol: "


class Rotate(ForgeTest):

    def test_rotate_then_the_next_push_uses_the_new_token(self):
        old = self.server.issue_token(name="laptop", expires_in_days=5, scopes=("api",))
        self.approve(old)
        self.clone()
        wanted = self.server.today() + timedelta(days=60)
        proc = self.sb.helper("rotate", f"https://alice@{self.host}", "--expires-at",
                              wanted.isoformat(), check=True)
        self.assertIn(f"rotated token 'laptop' for https://alice@{self.host}: the new token "
                      f"expires on {wanted.isoformat()}", self.text(proc.stderr))
        self.assertNotIn(old, self.text(proc.stderr) + self.text(proc.stdout))
        [new] = self.server.active_tokens("alice")
        self.assertEqual(self.api_status(old), 401)
        self.assertEqual(self.record()["expires_on"], wanted.isoformat())
        self.assertEqual(self.record()["token_id"], str(new.id))

        self.server.clear_log()
        self.push()
        used = {e.token_id for e in self.server.git_calls() if e.token_id is not None}
        self.assertEqual(used, {new.id})
        self.assertEqual(self.server.git_rejections(), 0)

    def test_rotate_asks_for_autorotates_lifetime_and_says_both_expiries(self):
        old = self.server.issue_token(name="laptop", expires_in_days=40, scopes=("api",))
        self.approve(old)
        proc = self.sb.helper("rotate", f"https://alice@{self.host}", check=True)
        [new] = self.server.active_tokens("alice")
        # Twice the 14-day window, at least 30 days, as patrol.autoRotate asks: not GitLab's
        # week, which would be inside the window, nor shorter than the token it replaces.
        wanted = self.server.today() + timedelta(days=30)
        self.assertEqual(new.expires_at, wanted)
        [rotate] = self.server.api_calls("/self/rotate")
        was = (self.server.today() + timedelta(days=40)).isoformat()
        self.assertEqual(self.text(proc.stderr),
                         f"{PREFIX}rotated token 'laptop' for https://alice@{self.host}: the new "
                         f"token expires on {wanted.isoformat()}, the old one was to expire on "
                         f"{was} and no longer works\n")
        self.assertEqual(self.record()["expires_on"], wanted.isoformat())
        _, warned = self.fill()
        self.assertNotIn("warning", self.text(warned.stderr), "the rotation ended the warning")

    def test_a_date_in_the_past_or_beyond_gitlabs_limit_is_refused_before_any_call(self):
        token = self.server.issue_token(name="laptop", expires_in_days=5, scopes=("api",))
        self.approve(token)
        self.server.clear_log()
        today = self.server.today()
        cases = {
            (today - timedelta(days=1)).isoformat(): "is not after today",
            today.isoformat(): "is not after today",
            (today + timedelta(days=366)).isoformat():
                "is more than 365 days away, GitLab's maximum token lifetime: give a date up "
                f"to {(today + timedelta(days=365)).isoformat()}",
        }
        for date, why in cases.items():
            proc = self.sb.helper("rotate", f"https://alice@{self.host}", "--expires-at", date)
            self.assertEqual(proc.returncode, 129, proc.stderr)
            [line] = self.text(proc.stderr).splitlines()
            self.assertTrue(line.startswith(f"{PREFIX}error: --expires-at {date} {why}"), line)
        self.assertEqual(self.server.log, [], "the server was called")
        self.assertEqual(self.server.active_tokens("alice")[0].value, token, "nothing rotated")
        limit = (today + timedelta(days=365)).isoformat()
        self.sb.helper("rotate", f"https://alice@{self.host}", "--expires-at", limit, check=True)
        self.assertEqual(self.server.active_tokens("alice")[0].expires_at.isoformat(), limit)

    def test_rotate_errors_are_clear(self):
        reader = self.server.issue_token(expires_in_days=5, scopes=("read_repository",))
        self.approve(reader)
        proc = self.sb.helper("rotate", f"https://alice@{self.host}")
        self.assertEqual(proc.returncode, 1)
        self.assertIn("403 Forbidden): the token lacks the api or self_rotate scope",
                      self.text(proc.stderr))
        self.assertEqual(self.api_status(reader), 200, "nothing was rotated")

        revoked = self.server.issue_token(user="bob", expires_in_days=5, scopes=("api",))
        self.approve(revoked, user="bob")
        self.server.revoke(revoked)
        proc = self.sb.helper("rotate", f"https://bob@{self.host}")
        self.assertEqual(proc.returncode, 1)
        self.assertIn("the token was already revoked", self.text(proc.stderr))

        proc = self.sb.helper("rotate", f"https://nobody@{self.host}")
        self.assertEqual(proc.returncode, 1)
        self.assertIn(f"no token is stored for https://nobody@{self.host}", self.text(proc.stderr))
        proc = self.sb.helper("rotate", f"https://alice@{self.host}", "--expires-at", "soon")
        self.assertEqual(proc.returncode, 129)

    def test_auto_rotate_hands_git_the_new_token_inside_the_window(self):
        old = self.server.issue_token(name="auto", expires_in_days=3, scopes=("api",))
        self.approve(old)
        self.sb.git("config", "--global", f"patrol.{self.server.url}.autoRotate", "true")
        reply, proc = self.fill()
        [new] = self.server.active_tokens("alice")
        self.assertEqual(reply["password"], new.value)
        self.assertIn(f"{PREFIX}rotated token 'auto'", self.text(proc.stderr))
        self.assertNotIn("warning", self.text(proc.stderr))
        self.assertEqual(new.expires_at, self.server.today() + timedelta(days=30))
        reply, _ = self.fill()
        self.assertEqual(reply["password"], new.value, "the new token was stored")


class LockingGitLab(GitLabServer):
    """Runs before_rotate() just before it rotates: the store can fail after rotation."""

    before_rotate = None

    def api(self, handler, method, path, body):
        if path.endswith("/self/rotate") and self.before_rotate:
            self.before_rotate()
        return super().api(handler, method, path, body)


class RotateStoreFails(ForgeTest):
    server_class = LockingGitLab

    def test_a_new_token_that_cannot_be_stored_is_shown_once(self):
        old = self.server.issue_token(name="laptop", expires_in_days=5, scopes=("api",))
        self.approve(old)
        self.server.before_rotate = self.keyring.lock
        # setsid: no controlling terminal, so the token goes to stderr rather than /dev/tty.
        proc = self.sb.run(["setsid", "-w", self.sb.patrol, "rotate", f"https://alice@{self.host}"],
                           input="")
        [new] = self.server.active_tokens("alice")
        self.assertEqual(proc.returncode, 1)
        stderr = proc.stderr
        self.assertIn("was rotated, but the new one could not be stored", stderr)
        self.assertIn("The old token no longer works", stderr)
        self.assertEqual(stderr.count(new.value), 1, "shown exactly once")
        self.assertNotIn(new.value, proc.stdout)
        self.assertEqual(self.api_status(new.value), 200)


if __name__ == "__main__":
    unittest.main()
