"""The forge test servers answer as reference/forge-apis.md documents, byte for byte, and
the C++ token API client understands them over real HTTPS (the [live] unit tests).
"""

import base64
import http.client
import json
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "servers"))

from git_https import init_bare_repo, make_test_ca  # noqa: E402
from github import GitHubServer  # noqa: E402
from gitlab import GitLabServer  # noqa: E402

SELF_KEYS = ["id", "name", "revoked", "created_at", "description", "scopes", "user_id",
             "last_used_at", "last_used_ips", "active", "expires_at"]
ROTATE_KEYS = ["id", "name", "revoked", "created_at", "description", "scopes", "user_id",
               "last_used_at", "active", "expires_at", "token"]
EXPIRED_BODY = (b'{"error":"invalid_token","error_description":"Token is expired. '
                b'You can either do re-authorization or token refresh."}')
REVOKED_BODY = (b'{"error":"invalid_token","error_description":"Token was revoked. '
                b'You have to re-authorize from the user."}')
UNKNOWN_BODY = b'{"message":"401 Unauthorized"}'


class Servers(unittest.TestCase):
    """A temp dir with a test CA and one bare repository per server."""

    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="patrol-forge-"))
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.ca, self.cert, self.key = make_test_ca(self.dir / "tls")
        self.tls = ssl.create_default_context(cafile=self.ca)

    def start(self, cls, **kwargs):
        root = self.dir / cls.__name__
        root.mkdir()
        init_bare_repo(root, "repo.git")
        server = cls(root, self.cert, self.key, **kwargs)
        server.start()
        self.addCleanup(server.stop)
        return server

    def request(self, server, method, path, headers=None, body=None):
        """(status, headers as a dict of lower-case names, body bytes)."""
        connection = http.client.HTTPSConnection("127.0.0.1", server.port, context=self.tls,
                                                 timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return (response.status, {k.lower(): v for k, v in response.getheaders()},
                    response.read())
        finally:
            connection.close()

    def git(self, *args, username, token, cwd=None):
        """Runs git with a one-shot credential helper answering username/token (not argv)."""
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.dir),
               "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0",
               "GIT_SSL_CAINFO": self.ca, "SSL_CERT_FILE": self.ca, "CURL_CA_BUNDLE": self.ca,
               "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com",
               "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com",
               "TEST_USER": username, "TEST_TOKEN": token}
        helper = '!f() { echo "username=$TEST_USER"; echo "password=$TEST_TOKEN"; }; f'
        return subprocess.run(["git", "-c", "credential.helper=", "-c",
                               f"credential.helper={helper}", *args],
                              cwd=cwd or self.dir, env=env, capture_output=True, text=True,
                              timeout=60)


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def basic(user, token):
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{token}".encode()).decode()}


class GitLabTokenApi(Servers):

    def setUp(self):
        super().setUp()
        self.gl = self.start(GitLabServer)

    def self_info(self, headers):
        return self.request(self.gl, "GET", "/api/v4/personal_access_tokens/self", headers)

    def rotate(self, token, body=None, content_type="application/x-www-form-urlencoded"):
        headers = bearer(token)
        if body is not None:
            headers["Content-Type"] = content_type
        return self.request(self.gl, "POST", "/api/v4/personal_access_tokens/self/rotate",
                            headers, body)

    def test_self_describes_the_token_with_the_documented_fields(self):
        token = self.gl.issue_token(user="alice", name="laptop", scopes=["read_repository"],
                                    description="for work", expires_in_days=3)
        self.assertTrue(token.startswith("glpat-"))
        for headers in (bearer(token), {"PRIVATE-TOKEN": token}):
            status, response_headers, body = self.self_info(headers)
            self.assertEqual(status, 200)
            self.assertEqual(response_headers["content-type"], "application/json")
            document = json.loads(body)
            self.assertEqual(list(document), SELF_KEYS)
            self.assertEqual(document["name"], "laptop")
            self.assertEqual(document["description"], "for work")
            self.assertEqual(document["scopes"], ["read_repository"])
            self.assertIs(document["active"], True)
            self.assertIs(document["revoked"], False)
            self.assertEqual(document["expires_at"],
                             (datetime.now(timezone.utc).date() + timedelta(days=3)).isoformat())
            self.assertRegex(document["created_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
            self.assertNotIn(token.encode(), body)
        self.assertEqual([(e.auth, e.status) for e in self.gl.api_calls("/self")],
                         [("bearer", 200), ("private-token", 200)])
        never = self.gl.issue_token()
        self.assertIsNone(json.loads(self.self_info(bearer(never))[2])["expires_at"])

    def test_unknown_expired_and_revoked_tokens_get_the_documented_401s(self):
        expired = self.gl.issue_token(expires_in_days=0)
        revoked = self.gl.issue_token(expires_in_days=30)
        self.gl.revoke(revoked)
        for headers, body in (({}, UNKNOWN_BODY), (bearer("glpat-unknown"), UNKNOWN_BODY),
                              (bearer(expired), EXPIRED_BODY), (bearer(revoked), REVOKED_BODY)):
            status, response_headers, answer = self.self_info(headers)
            self.assertEqual((status, answer), (401, body), headers)
            self.assertEqual(response_headers["content-type"], "application/json")

    def test_a_token_dies_at_midnight_utc_on_its_expiry_date(self):
        self.gl.set_now(datetime(2025, 3, 9, 23, 59, 59, tzinfo=timezone.utc))
        token = self.gl.issue_token(expires_at="2025-03-10")
        self.assertEqual(self.self_info(bearer(token))[0], 200)
        self.assertEqual(self.request(self.gl, "GET", "/repo.git/info/refs?service=git-upload-pack",
                                      basic("alice", token))[0], 200)
        self.gl.advance(seconds=1)
        self.assertEqual(self.self_info(bearer(token))[2], EXPIRED_BODY)
        status, headers, body = self.request(self.gl, "GET",
                                             "/repo.git/info/refs?service=git-upload-pack",
                                             basic("alice", token))
        self.assertEqual(status, 401)
        self.assertEqual(headers["www-authenticate"], 'Basic realm="GitLab"')
        self.assertTrue(body.startswith(b"HTTP Basic: Access denied."))
        self.gl.set_expiry(token, expires_at=date(2025, 3, 20))
        self.assertEqual(self.self_info(bearer(token))[0], 200)

    def test_an_oauth_token_is_not_a_personal_access_token(self):
        token = self.gl.issue_token(oauth=True)
        self.assertEqual(self.self_info(bearer(token))[:3:2], (400,
                         b'{"message":"400 Bad request - This endpoint requires token type '
                         b'to be a personal access token"}'))
        self.assertEqual(self.rotate(token)[0], 405)

    def test_rotation_revokes_the_old_token_and_keeps_name_description_scopes(self):
        old = self.gl.issue_token(name="ci", description="runner", scopes=["api", "write_repository"],
                                  expires_in_days=2)
        status, headers, body = self.rotate(old)
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "application/json")
        document = json.loads(body)
        self.assertEqual(list(document), ROTATE_KEYS)
        new = document["token"]
        self.assertNotEqual(new, old)
        self.assertEqual((document["name"], document["description"], document["scopes"]),
                         ("ci", "runner", ["api", "write_repository"]))
        self.assertEqual(document["expires_at"],
                         (datetime.now(timezone.utc).date() + timedelta(weeks=1)).isoformat())
        self.assertIsNone(document["last_used_at"])
        self.assertEqual(self.self_info(bearer(old))[2], REVOKED_BODY)
        self.assertEqual(self.self_info(bearer(new))[0], 200)
        self.assertEqual(self.request(self.gl, "GET", "/repo.git/info/refs?service=git-upload-pack",
                                      basic("alice", old))[0], 401)
        self.assertEqual(self.request(self.gl, "GET", "/repo.git/info/refs?service=git-upload-pack",
                                      basic("alice", new))[0], 200)

    def test_rotation_takes_expires_at_as_form_or_json(self):
        token = self.gl.issue_token(expires_in_days=5)
        status, _, body = self.rotate(token, b"expires_at=2099-05-01")
        self.assertEqual((status, json.loads(body)["expires_at"]), (200, "2099-05-01"))
        token = json.loads(body)["token"]
        status, _, body = self.rotate(token, b'{"expires_at":"2099-06-01"}', "application/json")
        self.assertEqual((status, json.loads(body)["expires_at"]), (200, "2099-06-01"))
        self.assertEqual(self.rotate(json.loads(body)["token"], b"expires_at=1999-01-01")[0], 400)

    def test_rotating_a_revoked_token_revokes_the_whole_family(self):
        first = self.gl.issue_token(expires_in_days=5)
        second = json.loads(self.rotate(first)[2])["token"]
        third = json.loads(self.rotate(second)[2])["token"]
        unrelated = self.gl.issue_token(expires_in_days=5)
        self.assertEqual(self.rotate(first)[:3:2],
                         (400, b'{"message":"400 Bad request - Token already revoked"}'))
        self.assertEqual(self.self_info(bearer(third))[2], REVOKED_BODY)
        self.assertEqual(self.self_info(bearer(unrelated))[0], 200)

    def test_rotation_needs_api_or_self_rotate_and_a_live_token(self):
        reader = self.gl.issue_token(scopes=["read_repository", "write_repository"])
        self.assertEqual(self.rotate(reader)[0], 403)
        self.assertEqual(self.self_info(bearer(reader))[0], 200)
        self_rotate = self.gl.issue_token(scopes=["self_rotate"])
        self.assertEqual(self.rotate(self_rotate)[0], 200)
        expired = self.gl.issue_token(expires_in_days=-1)
        self.assertEqual(self.rotate(expired)[:3:2], (401, EXPIRED_BODY))
        self.assertEqual(self.rotate("glpat-unknown")[:3:2], (401, UNKNOWN_BODY))

    def test_git_clones_with_a_token_and_pushes_only_with_write_scope(self):
        writer = self.gl.issue_token(user="alice", scopes=["write_repository"])
        reader = self.gl.issue_token(user="alice", scopes=["read_repository"])
        clone = self.git("clone", f"{self.gl.url}/repo.git", "work", username="alice", token=writer)
        self.assertEqual(clone.returncode, 0, clone.stderr)
        work = self.dir / "work"
        (work / "new.txt").write_text("x\n")
        self.git("add", "new.txt", cwd=work, username="", token="")
        self.git("commit", "-qm", "new", cwd=work, username="", token="")
        denied = self.git("push", "origin", "main", cwd=work, username="alice", token=reader)
        self.assertNotEqual(denied.returncode, 0)
        self.assertEqual(self.gl.git_rejections(), 0)
        self.assertEqual([e.status for e in self.gl.git_calls() if e.token_id is not None][-1], 403)
        pushed = self.git("push", "origin", "main", cwd=work, username="anyone", token=writer)
        self.assertEqual(pushed.returncode, 0, pushed.stderr)
        self.gl.revoke(writer)
        refused = self.git("ls-remote", f"{self.gl.url}/repo.git", username="alice", token=writer)
        self.assertNotEqual(refused.returncode, 0)
        self.assertGreater(self.gl.git_rejections(), 0)
        self.assertNotIn(writer, "".join(e.path for e in self.gl.log))

    def test_a_failing_api_still_serves_git(self):
        token = self.gl.issue_token()
        self.gl.api_failure = 503
        self.assertEqual(self.self_info(bearer(token))[:3:2], (503, b'{"message":"503 Service Unavailable"}'))
        self.assertEqual(self.request(self.gl, "GET", "/repo.git/info/refs?service=git-upload-pack",
                                      basic("alice", token))[0], 200)
        self.gl.api_failure = None
        self.assertEqual(self.self_info(bearer(token))[0], 200)

    def test_held_api_answers_wait_until_released(self):
        token = self.gl.issue_token()
        self.gl.hold_api()
        results = []
        worker = threading.Thread(target=lambda: results.append(self.self_info(bearer(token))[0]))
        worker.start()
        self.assertTrue(self.gl.wait_for_api(1))
        time.sleep(0.2)
        self.assertEqual(results, [])
        self.assertEqual(self.gl.api_calls(), [])
        self.gl.release_api()
        worker.join(5)
        self.assertEqual(results, [200])
        self.gl.api_delay = 0.4
        started = time.monotonic()
        self.self_info(bearer(token))
        self.assertGreaterEqual(time.monotonic() - started, 0.4)


class GitHubTokenApi(Servers):

    def setUp(self):
        super().setUp()
        self.gh = self.start(GitHubServer)

    def user(self, token, scheme="token", prefix=""):
        return self.request(self.gh, "GET", prefix + "/user", {"Authorization": f"{scheme} {token}"})

    def test_user_carries_expiry_and_scopes_headers(self):
        when = datetime(2031, 1, 31, 23, 0, 0, tzinfo=timezone.utc)
        utc = self.gh.issue_token(user="octocat", scopes=["repo", "user"], expires_at=when)
        offset = self.gh.issue_token(user="octocat", expires_at=datetime(2031, 4, 26, 21, 23, 18),
                                     expiry_format="offset")
        for scheme in ("token", "Bearer"):
            for prefix in ("", "/api/v3"):
                status, headers, body = self.user(utc, scheme, prefix)
                self.assertEqual(status, 200)
                self.assertEqual(headers["github-authentication-token-expiration"],
                                 "2031-01-31 23:00:00 UTC")
                self.assertEqual(headers["x-oauth-scopes"], "repo, user")
                self.assertEqual(json.loads(body)["login"], "octocat")
        headers = self.user(offset)[1]
        self.assertEqual(headers["github-authentication-token-expiration"], "2031-04-26 23:23:18 +0200")

    def test_headers_absent_for_a_token_that_never_expires_or_is_fine_grained(self):
        never = self.gh.issue_token()
        status, headers, _ = self.user(never)
        self.assertEqual(status, 200)
        self.assertNotIn("github-authentication-token-expiration", headers)
        self.assertEqual(headers["x-oauth-scopes"], "repo, user")
        fine = self.gh.issue_token(fine_grained=True, expires_in_days=10)
        self.assertTrue(fine.startswith("github_pat_"))
        headers = self.user(fine)[1]
        self.assertNotIn("x-oauth-scopes", headers)
        self.assertRegex(headers["github-authentication-token-expiration"],
                         r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$")

    def test_bad_revoked_and_expired_tokens_are_bad_credentials(self):
        revoked = self.gh.issue_token()
        self.gh.revoke(revoked)
        expired = self.gh.issue_token(expires_in_days=-1)
        for token in ("ghp_unknown", revoked, expired):
            status, headers, body = self.user(token)
            self.assertEqual(status, 401)
            self.assertEqual(json.loads(body)["message"], "Bad credentials")
        self.assertEqual(self.request(self.gh, "GET", "/user")[0], 401)

    def test_git_takes_the_account_or_x_access_token_as_username(self):
        token = self.gh.issue_token(user="octocat")
        for username in ("octocat", "x-access-token"):
            proc = self.git("ls-remote", f"{self.gh.url}/repo.git", username=username, token=token)
            self.assertEqual(proc.returncode, 0, proc.stderr)
        status, headers, _ = self.request(self.gh, "GET", "/repo.git/info/refs?service=git-upload-pack",
                                          basic("someone-else", token))
        self.assertEqual((status, headers["www-authenticate"]), (401, 'Basic realm="GitHub"'))


class CppClientAgainstServers(Servers):
    """Runs the [live] unit tests (forge/token_api.cpp over libcurl) against both servers."""

    def test_the_cpp_client_reads_both_servers(self):
        unit = os.environ.get("PATROL_UNIT_TESTS")
        if not unit:
            self.skipTest("PATROL_UNIT_TESTS is not set (run through ctest)")
        gl = self.start(GitLabServer)
        gh = self.start(GitHubServer)
        expires = datetime.now(timezone.utc).date() + timedelta(days=3)
        active = gl.issue_token(name="live token", scopes=["api", "write_repository"],
                                expires_at=expires)
        revoked = gl.issue_token()
        gl.revoke(revoked)
        github_expiry = datetime(2031, 4, 26, 21, 23, 18, tzinfo=timezone.utc)
        github_token = gh.issue_token(expires_at=github_expiry, expiry_format="offset")
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.dir),
               "PATROL_LIVE_CA": self.ca,
               "PATROL_LIVE_GITLAB_API": gl.api_url,
               "PATROL_LIVE_GITLAB_TOKEN": active,
               "PATROL_LIVE_GITLAB_NAME": "live token",
               "PATROL_LIVE_GITLAB_EXPIRES": expires.isoformat(),
               "PATROL_LIVE_GITLAB_EXPIRED": gl.issue_token(expires_in_days=0),
               "PATROL_LIVE_GITLAB_REVOKED": revoked,
               "PATROL_LIVE_GITLAB_UNKNOWN": "glpat-never-issued",
               "PATROL_LIVE_GITLAB_READONLY": gl.issue_token(scopes=["read_repository"]),
               "PATROL_LIVE_GITHUB_API": gh.ghes_api_url,
               "PATROL_LIVE_GITHUB_TOKEN": github_token,
               "PATROL_LIVE_GITHUB_EXPIRES": gh.expiry_header_of(github_token)}
        env.update({k: v for k, v in os.environ.items() if k.startswith(("ASAN_", "UBSAN_", "LSAN_"))})
        proc = subprocess.run([unit, "[live]"], env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertRegex(proc.stdout, r"All tests passed \(\d+ assertions in 2 test cases\)")
        self.assertEqual([(e.auth, e.status) for e in gl.api_calls("/rotate")],
                         [("bearer", 403), ("bearer", 200), ("bearer", 400)])
        self.assertEqual({e.auth for e in gh.api_calls("/user")}, {"bearer"})


if __name__ == "__main__":
    unittest.main()
