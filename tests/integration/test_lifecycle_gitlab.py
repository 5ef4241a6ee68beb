"""Token lifecycle against the GitLab test server, through real git: expiry warnings,
expired tokens kept from git, revoked tokens explained, read-only tokens warned about."""

import json
import re
import subprocess
import time
import unittest
from datetime import date, datetime, timedelta, timezone

from lifecycle_fixtures import ForgeTest

PREFIX = "git-credential-patrol: "


def midnight_utc(day):
    return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())


class ExpiryWarnings(ForgeTest):

    def test_a_token_expiring_in_three_days_clones_and_warns_once_with_the_link(self):
        token = self.server.issue_token(name="laptop push", expires_in_days=3,
                                        scopes=("read_repository", "write_repository"))
        self.approve(token)
        expiry = self.server.today() + timedelta(days=3)
        record = self.record()
        self.assertEqual(record["token_name"], "laptop push")
        self.assertEqual(record["expires_on"], expiry.isoformat())
        self.assertEqual(record["scopes"], ["read_repository", "write_repository"])

        proc = self.clone()
        self.assertEqual(self.warning(proc), [
            f"{PREFIX}warning: token 'laptop push' for alice@{self.host} expires in 3 days",
            f"  create a new one at {self.server.creation_url()}"
            "?name=laptop+push&scopes=read_repository,write_repository"])
        self.assertTrue((self.sb.root / "work" / "README").exists())

    def warning(self, proc):
        """The expiry warning's lines in git's stderr: patrol's line and the one under it."""
        lines = self.text(proc.stderr).splitlines()
        for i, line in enumerate(lines):
            if line.startswith(f"{PREFIX}warning: "):
                self.assertLessEqual(len(line), 100, line)
                following = lines[i + 1:i + 2]
                return [line] + [l for l in following if l.startswith("  ")]
        return []

    def fetch(self):
        return self.sb.git("fetch", "-q", "origin", cwd=self.sb.root / "work")

    def stored_text(self):
        [item] = self.keyring.items()
        return item.secret

    def test_the_warning_is_shown_once_a_day_and_kept_beside_the_token(self):
        token = self.server.issue_token(name="laptop", expires_in_days=3, scopes=("api",))
        self.approve(token)
        today = date.today()
        first = self.warning(self.clone())
        self.assertEqual(first, [
            f"{PREFIX}warning: token 'laptop' for alice@{self.host} expires in 3 days",
            f"  run `git credential-patrol rotate https://alice@{self.host}`, or create a new one "
            f"at {self.server.creation_url()}?name=laptop&scopes=api"])
        # The date lives in the record beside the token, which is untouched.
        text = self.stored_text()
        self.assertEqual(text.splitlines()[0], token)
        warned = int(re.search(r"^patrol_warned_at=(\d+)$", text, re.M).group(1))
        self.assertEqual(datetime.fromtimestamp(warned, timezone.utc).date(),
                         datetime.now(timezone.utc).date())
        lookups = len(self.server.api_calls())
        self.assertEqual(self.warning(self.fetch()), [], "said again the same day")
        self.assertEqual(self.warning(self.fetch()), [])
        self.assertEqual(len(self.server.api_calls()), lookups, "no network call for it")
        if date.today() != today:
            self.skipTest("the day changed during the test")

    def test_a_warning_dated_yesterday_is_due_again(self):
        token = self.server.issue_token(name="laptop", expires_in_days=3, scopes=("api",))
        expiry = self.server.today() + timedelta(days=3)
        yesterday = int(time.time()) - 86400
        self.keyring.store_raw(
            f"{token}\npassword_expiry_utc={midnight_utc(expiry)}\npatrol_kind=pat\n"
            f"patrol_scopes=api\npatrol_token_name=laptop\npatrol_checked_at={int(time.time())}\n"
            f"patrol_warned_at={yesterday}",
            user="alice", server="127.0.0.1", port=str(self.server.port), protocol="https")
        self.assertEqual(len(self.warning(self.clone())), 2)
        self.assertEqual(self.warning(self.fetch()), [], "today's warning was kept")
        self.assertNotIn(f"patrol_warned_at={yesterday}", self.stored_text())

    def test_parallel_operations_say_the_warning_once_between_them(self):
        token = self.server.issue_token(name="laptop", expires_in_days=3)
        self.approve(token)
        request = f"protocol=https\nhost={self.host}\nusername=alice\n\n".encode()
        # Twelve gits at once (fetch --all, an IDE): all started before any is fed.
        procs = [subprocess.Popen(["git", "credential", "fill"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  env=self.sb.env, cwd=self.sb.root) for _ in range(12)]
        for proc in procs:
            proc.stdin.write(request)
            proc.stdin.flush()  # the blank line ends the request; communicate() closes
        warned = 0
        for proc in procs:
            out, err = proc.communicate(timeout=60)
            self.assertEqual(proc.returncode, 0, err)
            self.assertIn(f"password={token}\n", self.text(out))
            warned += self.text(err).count(f"{PREFIX}warning: token 'laptop'")
        self.assertEqual(warned, 1, "said once between the parallel gets")
        self.assertEqual(self.stored_text().splitlines()[0], token, "the token is untouched")

    def test_warn_every_always_warns_at_every_operation(self):
        token = self.server.issue_token(name="laptop", expires_in_days=3)
        self.approve(token)
        self.sb.git("config", "--global", f"patrol.{self.server.url}.warnEvery", "always")
        self.assertEqual(len(self.warning(self.clone())), 2)
        self.assertEqual(len(self.warning(self.fetch())), 2)
        self.assertEqual(len(self.warning(self.fetch())), 2)
        self.sb.git("config", "--global", f"patrol.{self.server.url}.warnEvery", "weekly")
        proc = self.fetch()
        self.assertIn(f"{PREFIX}warning: patrol.warnEvery must be daily, always, or a duration "
                      "like 12h or 7d, not 'weekly'; using the default", self.text(proc.stderr))

    def test_get_hands_git_the_expiry(self):
        token = self.server.issue_token(expires_in_days=30)
        self.approve(token)
        reply, proc = self.fill()
        self.assertEqual(reply["password"], token)
        expected = midnight_utc(self.server.today() + timedelta(days=30))
        # git 2.39 does not know password_expiry_utc; the helper's own reply carries it.
        raw = self.sb.helper("get", input=f"protocol=https\nhost={self.host}\nusername=alice\n\n")
        self.assertIn(f"password_expiry_utc={expected}\n", self.text(raw.stdout))
        self.assertEqual(self.text(proc.stderr), "", "no warning outside the window")

    def test_warn_days_widens_the_window(self):
        token = self.server.issue_token(expires_in_days=20)
        self.approve(token)
        _, quiet = self.fill()
        self.assertEqual(self.text(quiet.stderr), "")
        _, warned = self.fill(git_args=("-c", f"patrol.{self.server.url}.warnDays=30"))
        self.assertIn("expires in 20 days", self.text(warned.stderr))


class ExpiredToken(ForgeTest):

    def test_an_expired_token_is_not_handed_to_git_and_costs_no_401(self):
        token = self.server.issue_token(name="old", expires_in_days=30)
        expired_on = date.today() - timedelta(days=2)
        # What patrol learnt when the token was stored; its date has since passed.
        self.keyring.store_raw(
            f"{token}\npassword_expiry_utc={midnight_utc(expired_on)}\npatrol_kind=pat\n"
            f"patrol_scopes=api\npatrol_token_name=old\npatrol_checked_at={int(time.time())}",
            user="alice", server="127.0.0.1", port=str(self.server.port), protocol="https")
        self.server.clear_log()
        askpass, log = self.sb.forbidden_askpass()
        proc = self.sb.git("clone", self.repo_url, str(self.sb.root / "work"), check=False,
                           env={"GIT_ASKPASS": askpass})
        self.assertNotEqual(proc.returncode, 0)
        stderr = self.text(proc.stderr)
        self.assertIn(f"{PREFIX}error: token 'old' for alice@{self.host} expired on "
                      f"{expired_on.isoformat()} and was not given to git: create a new one at "
                      f"{self.server.creation_url()}?name=old&scopes=api", stderr)
        self.assertEqual(self.server.git_rejections(), 0, "the expired token was sent anyway")
        self.assertEqual(len(self.sb.calls(log)), 1, "git fell through to its prompt")
        self.assertEqual(len(self.keyring.items()), 1, "the record stays, for status")

    def test_fill_gives_nothing_for_an_expired_token(self):
        token = self.server.issue_token(expires_in_days=30)
        self.keyring.store_raw(f"{token}\npassword_expiry_utc={int(time.time()) - 60}",
                               user="alice", server="127.0.0.1", port=str(self.server.port),
                               protocol="https")
        proc = self.sb.helper("get", input=f"protocol=https\nhost={self.host}\nusername=alice\n\n")
        self.assertEqual(proc.returncode, 0)
        self.assertEqual(proc.stdout, "")
        self.assertIn("was not given to git", self.text(proc.stderr))


class SeveralAccounts(ForgeTest):

    def test_a_fresh_token_of_another_account_is_chosen_over_an_expired_one(self):
        # alice sorts first, and her token expired: git would be refused with it every time.
        old = self.server.issue_token(user="alice", name="old", expires_in_days=30)
        self.keyring.store_raw(
            f"{old}\npassword_expiry_utc={int(time.time()) - 86400}\npatrol_kind=pat\n"
            f"patrol_checked_at={int(time.time())}",
            user="alice", server="127.0.0.1", port=str(self.server.port), protocol="https")
        fresh = self.server.issue_token(user="bob", name="new", expires_in_days=100)
        self.approve(fresh, user="bob")
        self.server.clear_log()
        askpass, log = self.sb.forbidden_askpass()
        self.sb.git("clone", self.repo_url, str(self.sb.root / "work"),
                    env={"GIT_ASKPASS": askpass})
        self.sb.git("fetch", "-q", "origin", cwd=self.sb.root / "work",
                    env={"GIT_ASKPASS": askpass})
        self.assertEqual(self.sb.calls(log), [], "git had to ask")
        used = {e.token_id for e in self.server.git_calls() if e.token_id is not None}
        self.assertEqual(used, {self.server.token(fresh).id})
        self.assertEqual(self.server.git_rejections(), 0)
        self.assertEqual(len(self.keyring.items()), 2, "the expired record stays, for status")

    def test_a_revoked_token_is_passed_over_and_with_nothing_usable_it_is_explained(self):
        dead = self.server.issue_token(user="alice", name="dead", expires_in_days=30)
        self.keyring.store_raw(f"{dead}\npatrol_kind=pat\npatrol_state=revoked\n"
                               f"patrol_checked_at={int(time.time())}",
                               user="alice", server="127.0.0.1", port=str(self.server.port),
                               protocol="https")
        fresh = self.server.issue_token(user="bob", expires_in_days=100)
        self.approve(fresh, user="bob")
        reply, _ = self.sb.fill({"protocol": "https", "host": self.host})
        self.assertEqual(reply["password"], fresh)
        self.assertEqual(reply["username"], "bob")
        # Only alice's: nothing usable, so the one there is refused with the reason.
        reply, proc = self.fill(user="alice")
        self.assertNotIn("password", reply)
        self.assertIn("was revoked and was not given to git", self.text(proc.stderr))


class WhatTheForgeSaid(ForgeTest):
    """A token the forge calls expired or revoked is recorded as such: status and check
    show it, and get keeps it from git with one line."""

    def clone_refused(self):
        """A clone that must fail without the token reaching the server or a prompt."""
        self.server.clear_log()
        askpass, log = self.sb.forbidden_askpass()
        proc = self.sb.git("clone", self.repo_url, str(self.sb.root / "work"), check=False,
                           env={"GIT_ASKPASS": askpass})
        self.assertNotEqual(proc.returncode, 0)
        self.assertEqual(self.server.git_rejections(), 0, "the dead token was sent anyway")
        self.assertEqual(len(self.sb.calls(log)), 1, "git fell through to its prompt")
        return [l for l in self.text(proc.stderr).splitlines() if l.startswith(PREFIX)]

    def test_a_token_expired_when_stored_is_kept_as_expired_and_withheld(self):
        token = self.server.issue_token(name="old", expires_in_days=-1)
        proc = self.approve(token)
        link = self.server.creation_url()
        self.assertEqual(
            [l for l in self.text(proc.stderr).splitlines() if l.startswith(PREFIX)],
            [f"{PREFIX}warning: the token for alice@{self.host} has expired (its forge says so): "
             f"it is stored as such and will not be given to git; create a new one at {link}"])
        record = self.record()
        self.assertEqual(record["state"], "expired")
        self.assertTrue(record["expired"])
        status = self.text(self.sb.helper("status", check=True).stdout).splitlines()
        self.assertEqual(status[1].split()[5], "expired", status)

        self.assertEqual(self.clone_refused(), [
            f"{PREFIX}error: the token for alice@{self.host} has expired and was not given to "
            f"git: create a new one at {link}, then give it to git when it asks"])
        check = self.sb.helper("check", "--offline", "--json", input="")
        self.assertEqual(check.returncode, 2)
        self.assertEqual([e["state"] for e in json.loads(check.stdout)], ["expired"])
        self.assertNotIn(token, self.text(check.stdout + check.stderr))

        # A new token given to git replaces the dead one, and is handed out.
        fresh = self.server.issue_token(name="new", expires_in_days=100)
        self.approve(fresh)
        self.assertEqual(self.record()["state"], "active")
        reply, _ = self.fill()
        self.assertEqual(reply["password"], fresh)

    def test_a_token_the_background_check_finds_revoked_is_recorded_and_withheld(self):
        token = self.server.issue_token(name="laptop", expires_in_days=100,
                                        scopes=("read_repository",))
        # Stored and described long ago: the next get starts a background lookup.
        self.keyring.store_raw(
            f"{token}\npatrol_kind=pat\npatrol_scopes=read_repository\n"
            f"patrol_token_name=laptop\npatrol_checked_at=1000000000",
            user="alice", server="127.0.0.1", port=str(self.server.port), protocol="https")
        self.server.revoke(token)
        reply, _ = self.fill()
        self.assertEqual(reply["password"], token, "nothing is known yet: git gets it")
        self.wait_for(lambda: self.record()["state"] == "revoked", what="the recorded revocation")
        check = self.sb.helper("check", "--offline", input="")
        self.assertEqual(check.returncode, 2)
        self.assertEqual(self.text(check.stdout),
                         f"https://alice@{self.host}  token 'laptop' revoked\n")

        link = f"{self.server.creation_url()}?name=laptop&scopes=read_repository"
        self.assertEqual(self.clone_refused(), [
            f"{PREFIX}error: token 'laptop' for alice@{self.host} was revoked and was not given "
            f"to git: create a new one at {link}, then give it to git when it asks"])
        self.assertEqual(len(self.keyring.items()), 1, "the record stays, for status")


class Rejections(ForgeTest):

    def test_a_revoked_token_fails_the_push_and_erase_says_revoked(self):
        token = self.server.issue_token(name="ci push", expires_in_days=90,
                                        scopes=("write_repository",))
        self.approve(token)
        self.clone()
        self.server.revoke(token)
        proc = self.push(check=False)
        self.assertNotEqual(proc.returncode, 0)
        stderr = self.text(proc.stderr)
        self.assertIn(f"{PREFIX}error: token 'ci push' for alice@{self.host} was refused: it was "
                      f"revoked; forgetting it: create a new one at {self.server.creation_url()}"
                      "?name=ci+push&scopes=write_repository", stderr)
        self.assertEqual(self.keyring.items(), [], "the rejected record is gone")

    def test_erase_of_an_unknown_token_says_so_and_keeps_other_credentials(self):
        kept = self.server.issue_token(user="bob", expires_in_days=90)
        self.approve(kept, user="bob")
        token = self.server.issue_token(expires_in_days=90)
        self.approve(token)
        self.server.forget(token)
        proc = self.sb.credential("reject", {"protocol": "https", "host": self.host,
                                             "username": "alice", "password": token})
        self.assertIn("does not know it", self.text(proc.stderr))
        self.assertEqual([i.attributes["user"] for i in self.keyring.items()], ["bob"])

    def test_a_read_only_token_is_warned_about_when_stored(self):
        token = self.server.issue_token(name="reader", expires_in_days=90,
                                        scopes=("read_repository",))
        proc = self.approve(token)
        self.assertEqual(
            self.text(proc.stderr).strip(),
            f"{PREFIX}warning: token 'reader' for alice@{self.host} has the scopes "
            "read_repository: pushes will fail (they need write_repository or api)")
        self.assertEqual(self.record()["scopes"], ["read_repository"])

    def test_a_failed_lookup_stores_the_token_without_an_expiry(self):
        self.sb.git("config", "--global", f"patrol.{self.server.url}.apiUrl",
                    "https://127.0.0.1:1/api/v4")
        token = self.server.issue_token(expires_in_days=5)
        proc = self.approve(token)
        self.assertEqual(self.text(proc.stderr), "", "a failed lookup is only traced")
        record = self.record()
        self.assertIsNone(record["expires_at"])
        self.assertIsNone(record["checked_at"])
        traced = self.sb.credential("approve", {"protocol": "https", "host": self.host,
                                                "username": "carol", "password": token},
                                    env={"PATROL_TRACE": "1"})
        self.assertIn(f"{PREFIX}trace: stored without an expiry", self.text(traced.stderr))

    def test_a_stalled_lookup_gives_up_after_a_few_seconds_and_stores_the_token(self):
        token = self.server.issue_token(expires_in_days=5)
        self.server.hold_api()
        arrivals = self.server.api_arrivals
        # The server never answers while held: store can only have returned by giving up.
        self.approve(token)
        self.assertTrue(self.server.wait_for_api(arrivals + 1), "no lookup was asked")
        self.assertEqual(self.server.api_calls("/self"), [], "the held lookup was answered")
        self.server.release_api()
        self.assertIsNone(self.record()["expires_at"])
        reply, _ = self.fill()
        self.assertEqual(reply["password"], token)


if __name__ == "__main__":
    unittest.main()
