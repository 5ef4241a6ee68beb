"""git runs helpers in parallel (`git fetch --all`, `git submodule update --jobs`, an IDE
fetching while you push). Many real git processes at once against the GitLab test server:
one rotation per token, one use of a refresh token that rotates, one lookup per stale
record, and a background refresh that never writes an old token over a new one. Every
count is taken at the server; every git command must succeed, and a later one too.

Deterministic: nothing waits on a clock. Parallel processes are all started before any is
waited for; the forced interleaving uses the helper's test pause (PATROL_TEST_PAUSE_*:
the helper creates <path>.reached and waits for <path>.go)."""

import fcntl
import hashlib
import os
import subprocess
import threading
import unittest
from pathlib import Path

from harness import credential_input, parse_credential
from lifecycle_fixtures import ForgeTest
from oauth_fixtures import Login

CLIENT_ID = "patrol-concurrency-test"


class ParallelTest(ForgeTest):

    def parallel(self, count, argv, input="", env=None):
        """Starts `count` copies of argv at once, then waits for all: [(status, out, err)]."""
        full_env = dict(self.sb.env)
        full_env.update(env or {})
        procs = [subprocess.Popen([str(a) for a in argv], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env=full_env, cwd=self.sb.root) for _ in range(count)]
        results = [None] * count

        def finish(i):
            out, err = procs[i].communicate(input, timeout=120)
            results[i] = (procs[i].returncode, out, err)

        threads = [threading.Thread(target=finish, args=(i,)) for i in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    def assertAllSucceeded(self, results):
        for status, out, err in results:
            self.assertEqual(status, 0, f"a git command failed: {err}")

    def ls_remote(self, **kwargs):
        return self.sb.git("ls-remote", self.repo_url, **kwargs)

    def flight_lock(self, user):
        """The helper's lock file of https://user@host (runtime dir, hash of the keys)."""
        keys = f"https\n{self.host}\n{user}".encode()
        return (self.sb.runtime / "git-credential-patrol" /
                f"credential-{hashlib.sha256(keys).hexdigest()}.lock")

    def store_unchecked(self, token):
        """Stores a token whose lookup failed: never checked, so stale at once."""
        self.server.api_failure = 503
        self.approve(token)
        self.server.api_failure = None
        self.assertIsNone(self.record()["checked_at"])
        self.server.clear_log()

    def wait_until_unlocked(self, path):
        """Blocks until no process holds the lock file (a detached refresh has ended)."""
        with open(path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            fcntl.flock(lock, fcntl.LOCK_UN)


class Rotation(ParallelTest):

    def test_eight_parallel_ls_remote_rotate_once(self):
        old = self.server.issue_token(name="laptop", expires_in_days=3, scopes=("api",))
        self.approve(old)
        self.sb.git("config", "--global", f"patrol.{self.server.url}.autoRotate", "true")
        self.server.clear_log()

        results = self.parallel(8, ["git", "ls-remote", self.repo_url])

        self.assertAllSucceeded(results)
        self.assertEqual(self.server.counts()["rotations"], 1)
        [new] = self.server.active_tokens("alice")
        self.assertTrue(self.server.token(old).revoked)
        self.assertEqual(self.record()["token_id"], str(new.id))
        self.assertEqual(self.server.git_rejections(), 0, "a git request carried a dead token")
        self.ls_remote()
        self.assertEqual(self.server.counts()["rotations"], 1)
        self.assertEqual([t.value for t in self.server.active_tokens("alice")], [new.value])

    def test_rotate_by_hand_always_asks_for_an_expiry(self):
        old = self.server.issue_token(name="laptop", expires_in_days=3, scopes=("api",))
        self.approve(old)
        self.sb.helper("rotate", f"https://alice@{self.host}", check=True)
        [new] = self.server.active_tokens("alice")
        # Twice the 14-day window, at least 30 days: not GitLab's one-week default.
        self.assertEqual((new.expires_at - self.server.today()).days, 30)
        [call] = self.server.api_calls("/self/rotate")
        self.assertEqual(call.status, 200)


class OAuthRefresh(ParallelTest):

    def setUp(self):
        super().setUp()
        self.server.device.register_client(CLIENT_ID)
        self.server.device.interval = 1
        self.sb.git("config", "--global", f"patrol.{self.server.url}.oauthClientId", CLIENT_ID)

    def test_six_parallel_ls_remote_spend_the_refresh_token_once(self):
        self.server.device.access_token_lifetime = 30  # inside get's one-minute margin
        login = Login(self.sb, self.repo_url)
        self.assertTrue(self.server.device.approve(login.code()))
        status, _, stderr = login.finish()
        self.assertEqual(status, 0, stderr)
        self.server.device.access_token_lifetime = 7200  # the refreshed token is fresh
        self.assertEqual(self.server.counts()["refresh_uses"], 0)

        results = self.parallel(6, ["git", "ls-remote", self.repo_url])

        self.assertAllSucceeded(results)
        # The server spends a refresh token on first use: a second use is invalid_grant.
        self.assertEqual([answer for _, answer in self.server.device.refreshes], ["tokens"])
        self.assertEqual(self.server.counts()["refresh_uses"], 1)
        self.assertEqual(self.server.git_rejections(), 0)
        self.ls_remote()
        self.assertEqual(self.server.counts()["refresh_uses"], 1)
        self.assertEqual(len(self.server.device.grants()), 0, "a device flow ran")


class Lookups(ParallelTest):

    def test_twenty_parallel_fills_of_a_stale_record_look_it_up_once(self):
        token = self.server.issue_token(expires_in_days=100)
        self.store_unchecked(token)
        arrived = self.server.api_arrivals
        # A slow forge: every lookup is held until all 20 fills have returned.
        self.server.hold_api()
        request = credential_input(protocol="https", host=self.host, username="alice")
        results = self.parallel(20, ["git", "credential", "fill"], input=request)
        self.assertAllSucceeded(results)
        for _, out, _ in results:
            self.assertEqual(parse_credential(out)["password"], token)
        self.assertTrue(self.server.wait_for_api(arrived + 1), "no background lookup arrived")
        self.server.release_api()
        self.wait_until_unlocked(self.flight_lock("alice"))
        self.assertIsNotNone(self.record()["checked_at"])
        # Every fill has ended and the one refresh with them: nothing else can arrive.
        self.assertEqual(self.server.api_arrivals, arrived + 1)
        self.assertEqual(self.server.counts()["lookups"], 1)
        reply, _ = self.fill()
        self.assertEqual(reply["password"], token)

    def test_an_environment_token_is_looked_up_once_for_five_gets(self):
        token = self.server.issue_token(name="ci", expires_in_days=5, scopes=("api",))
        env = {"GITLAB_TOKEN": token, "GITLAB_HOST": self.server.url, "PATROL_TRACE": "1"}
        request = {"protocol": "https", "host": self.host}
        reply, proc = self.sb.fill(request, env=env)
        self.assertEqual(reply["password"], token)
        self.assertIn("started the background refresh", proc.stderr)
        self.assertNotIn("expires in", proc.stderr, "nothing is known of the token yet")
        self.wait_until_unlocked(self.flight_lock("oauth2"))
        self.assertEqual(self.server.counts()["lookups"], 1)

        for turn in range(4):
            reply, proc = self.sb.fill(request, env=env)
            self.assertEqual(reply["password"], token)
            self.assertNotIn("background refresh", proc.stderr)
            self.assertNotIn(token, proc.stderr)
            # What the one lookup learnt is used: the expiry warning of a 5-day token, once
            # a day, its date remembered beside what was learnt.
            warning = f"token 'ci' for oauth2@{self.host} expires in 5 days"
            if turn == 0:
                self.assertIn(warning, proc.stderr)
            else:
                self.assertNotIn(warning, proc.stderr)
        self.assertEqual(self.server.counts()["lookups"], 1)

        # What was learnt is kept outside the token: one 0600 file named by a hash.
        memory = self.sb.home / ".cache" / "git-credential-patrol" / "tokens"
        [kept] = list(memory.iterdir())
        self.assertEqual(kept.stat().st_mode & 0o777, 0o600)
        self.assertEqual(memory.stat().st_mode & 0o777, 0o700)
        self.assertNotIn(token, kept.read_text())
        self.assertNotIn(token, kept.name)


class LostWrite(ParallelTest):
    test_hooks = True  # the refresh's pause before its save

    def test_a_background_refresh_never_writes_the_old_token_over_a_new_one(self):
        old = self.server.issue_token(expires_in_days=100)
        self.store_unchecked(old)
        pause = self.sb.root / "refresh-save"
        env = {"PATROL_TEST_PAUSE_REFRESH_SAVE": str(pause)}
        # get starts the background refresh; it looks the old token up, then stops just
        # before its write.
        reply, _ = self.fill(env=env)
        self.assertEqual(reply["password"], old)
        self.wait_for(pause.exists, what="the refresh to pause")

        new = self.server.issue_token(expires_in_days=200)
        self.approve(new)  # git stores a new token meanwhile
        pause.unlink()  # the refresh goes on
        self.wait_until_unlocked(self.flight_lock("alice"))

        reply, _ = self.fill()
        self.assertEqual(reply["password"], new, "the refresh wrote the old token back")
        self.assertEqual(self.record()["token_id"], str(self.server.token(new).id))
        self.assertEqual(self.server.counts()["lookups"], 2)  # the refresh's and the store's


if __name__ == "__main__":
    unittest.main()
