"""Stale records refreshed in the background while git goes on, `check` exit codes for
cron and CI, and the GitHub token headers."""

import json
import unittest
from datetime import timedelta

from lifecycle_fixtures import ForgeTest


class BackgroundRefresh(ForgeTest):

    def test_fill_returns_at_once_while_the_refresh_waits_on_a_slow_server(self):
        token = self.server.issue_token(expires_in_days=30)
        # Described by the forge long ago: the next get finds the record stale.
        checked = 1000000000
        self.keyring.store_raw(f"{token}\npatrol_kind=pat\npatrol_checked_at={checked}",
                               user="alice", server="127.0.0.1", port=str(self.server.port),
                               protocol="https")
        self.server.set_expiry(token, expires_in_days=200)  # extended elsewhere
        lookups = len(self.server.api_calls("/self"))
        arrivals = self.server.api_arrivals
        # The server holds every API answer until release_api(), which comes only after
        # fill returns: had git waited for the refresh, fill would hit its timeout instead.
        # No stopwatch, so a loaded machine cannot make this fail.
        self.server.hold_api()
        reply, proc = self.fill(timeout=60)
        self.assertEqual(reply["password"], token)
        # The refresh reached the server and is held there, while git has long finished.
        self.assertTrue(self.server.wait_for_api(arrivals + 1), "no background lookup arrived")
        self.assertEqual(self.record()["checked_at"], checked, "nothing kept before the answer")
        self.server.release_api()
        wanted = (self.server.today() + timedelta(days=200)).isoformat()
        self.wait_for(lambda: self.record()["expires_on"] == wanted, what="the refreshed expiry")
        self.assertGreater(self.record()["checked_at"], checked)
        self.assertEqual(len(self.server.api_calls("/self")), lookups + 1)

    def test_a_fresh_record_is_not_looked_up_again(self):
        token = self.server.issue_token(expires_in_days=30)
        self.approve(token)
        lookups = len(self.server.api_calls("/self"))
        arrivals = self.server.api_arrivals
        # A background lookup is started by get itself, before it answers git, and get
        # traces it: with none traced, none runs.
        for _ in range(3):
            _, proc = self.fill(env={"PATROL_TRACE": "1"})
            trace = self.text(proc.stderr)
            self.assertIn("trace: ", trace, "no trace to read")
            self.assertNotIn("background refresh", trace)
        self.assertEqual(self.server.api_arrivals, arrivals)
        self.assertEqual(len(self.server.api_calls("/self")), lookups)


class Check(ForgeTest):

    def check(self, *args):
        return self.sb.helper("check", *args, input="")

    def test_exit_codes(self):
        fine = self.server.issue_token(user="alice", name="fine", expires_in_days=100)
        self.approve(fine, user="alice")
        self.assertEqual(self.check().returncode, 0)

        soon = self.server.issue_token(user="bob", name="soon", expires_in_days=5)
        self.approve(soon, user="bob")
        proc = self.check()
        self.assertEqual(proc.returncode, 1)
        self.assertIn("token 'soon' expires on", proc.stdout)
        self.assertNotIn("fine", proc.stdout)
        self.assertEqual(self.check("--days", "3").returncode, 0)
        self.assertEqual(self.check("--days", "120").returncode, 1)

        dead = self.server.issue_token(user="carol", name="dead", expires_in_days=100)
        self.approve(dead, user="carol")
        self.server.revoke(dead)
        self.assertEqual(self.check("--offline").returncode, 1, "offline knows only dates")
        proc = self.check("--json")
        self.assertEqual(proc.returncode, 2)
        states = {entry["username"]: entry["state"] for entry in json.loads(proc.stdout)}
        self.assertEqual(states, {"alice": "ok", "bob": "expiring", "carol": "revoked"})
        for secret in (fine, soon, dead):
            self.assertNotIn(secret, proc.stdout + proc.stderr)
        self.assertEqual(self.check("--days", "x").returncode, 129)

    def test_each_state_has_its_code_and_the_worst_wins(self):
        # A token at a GitLab that does not answer: nothing known, so "unchecked", never "ok".
        down = "https://127.0.0.1:1"
        self.sb.git("config", "--global", f"patrol.{down}.forge", "gitlab")
        self.sb.credential("approve", {"protocol": "https", "host": "127.0.0.1:1",
                                       "username": "dan", "password": "glpat-unreachable"},
                           check=True)
        fine = self.server.issue_token(user="alice", name="fine", expires_in_days=100)
        self.approve(fine, user="alice")
        proc = self.check()
        self.assertEqual(proc.returncode, 3, proc.stderr)
        [line] = self.text(proc.stdout).splitlines()
        self.assertTrue(line.startswith(f"https://dan@127.0.0.1:1  could not be checked: no "
                                        "answer from 127.0.0.1:1: "), line)
        states = {e["username"]: e["state"] for e in json.loads(self.check("--json").stdout)}
        self.assertEqual(states, {"alice": "ok", "dan": "unchecked"})
        # A host not known as a forge is unchecked too, and says how to make it known.
        self.sb.git("config", "--global", "--unset", f"patrol.{down}.forge")
        proc = self.check()
        self.assertEqual(proc.returncode, 3)
        self.assertIn("127.0.0.1:1 is not known as GitLab or GitHub (set "
                      "patrol.https://127.0.0.1:1.forge if it is one)", self.text(proc.stdout))
        # Offline, a token its forge never described is unchecked; one it did is judged.
        proc = self.check("--offline", "--json")
        self.assertEqual(proc.returncode, 3)
        self.assertEqual({e["username"]: e["state"] for e in json.loads(proc.stdout)},
                         {"alice": "ok", "dan": "unchecked"})

        soon = self.server.issue_token(user="bob", name="soon", expires_in_days=5)
        self.approve(soon, user="bob")
        self.assertEqual(self.check().returncode, 1, "expiring outranks unchecked")
        dead = self.server.issue_token(user="carol", name="dead", expires_in_days=100)
        self.approve(dead, user="carol")
        self.server.revoke(dead)
        proc = self.check("--json")
        self.assertEqual(proc.returncode, 2, "revoked outranks everything")
        self.assertEqual({e["username"]: e["state"] for e in json.loads(proc.stdout)},
                         {"alice": "ok", "bob": "expiring", "carol": "revoked", "dan": "unchecked"})

    def test_status_table(self):
        token = self.server.issue_token(name="laptop", expires_in_days=10,
                                        scopes=("read_repository", "write_repository"))
        self.approve(token)
        proc = self.sb.helper("status", check=True)
        lines = proc.stdout.decode().splitlines()
        self.assertEqual(lines[0].split(), ["URL", "USER", "STORE", "TOKEN", "EXPIRES", "DAYS",
                                            "LEFT", "SCOPES", "CHECKED"])
        row = lines[1].split()
        expiry = (self.server.today() + timedelta(days=10)).isoformat()
        self.assertEqual(row[:7], [f"https://alice@{self.host}", "alice", "secretservice", "laptop",
                                   expiry, "10", "read_repository,write_repository"])
        self.assertNotIn(token, proc.stdout.decode())


class GitHub(ForgeTest):
    forge = "github"

    def test_expiry_and_scopes_from_the_headers_and_a_warning_in_the_window(self):
        token = self.server.issue_token(user="octocat", scopes=("repo", "user"),
                                        expires_in_days=4, expiry_format="offset")
        self.approve(token, user="octocat")
        record = self.record(user="octocat")
        self.assertEqual(record["scopes"], ["repo", "user"])
        self.assertEqual(record["expires_at"], int(self.server.token(token).expires_at.timestamp()))
        _, proc = self.fill(user="octocat")
        self.assertIn(f"for octocat@{self.host} expires in ", proc.stderr)
        self.assertIn(f"create a new one at {self.server.url}/settings/tokens", proc.stderr)

    def test_a_token_without_repo_is_warned_about(self):
        token = self.server.issue_token(user="octocat", scopes=("read:user",))
        proc = self.approve(token, user="octocat")
        self.assertIn("pushes will fail (they need repo)", proc.stderr)
        self.assertIsNone(self.record(user="octocat")["expires_at"])


if __name__ == "__main__":
    unittest.main()
