"""`login` and `logout` through the real binary against the GitLab test server, and forge
lookups that reach the server only through git's http.<url>.sslCAInfo."""

import select
import socket
import shutil
import subprocess
import threading
import unittest
from datetime import timedelta

from harness import GitHttpsServer, init_bare_repo, make_test_ca
from lifecycle_fixtures import ForgeTest

PREFIX = "git-credential-patrol: "
CA_VARIABLES = ("GIT_SSL_CAINFO", "GIT_SSL_CAPATH", "SSL_CERT_FILE", "SSL_CERT_DIR", "CURL_CA_BUNDLE")


class Login(ForgeTest):

    def login(self, token, *args, url=None, check=True):
        proc = self.sb.helper("login", url or self.server.url, "--stdin", *args,
                              input=token + "\n")
        if check:
            self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc

    def test_login_stores_the_token_with_what_gitlab_says_and_a_clone_needs_nothing(self):
        token = self.server.issue_token(name="laptop", expires_in_days=40,
                                        scopes=("read_repository", "write_repository"))
        proc = self.login(token)
        expiry = (self.server.today() + timedelta(days=40)).isoformat()
        user_id = self.server.token(token).user_id
        self.assertEqual(self.text(proc.stderr),
                         f"{PREFIX}signed in to {self.host} as GitLab user {user_id}: stored "
                         f"token 'laptop' for https://oauth2@{self.host} in "
                         f"secretservice; it expires on {expiry} (40 days); scopes "
                         f"read_repository,write_repository\n")
        self.assertEqual(self.text(proc.stdout), "")
        self.assertEqual(self.server.api_arrivals, 1, "one lookup at the forge")
        record = self.record(user="oauth2")
        self.assertEqual(record["token_name"], "laptop")
        self.assertEqual(record["expires_on"], expiry)
        self.assertEqual(record["scopes"], ["read_repository", "write_repository"])

        forbidden, called = self.sb.forbidden_askpass()
        self.sb.git("clone", "-q", self.repo_url, str(self.sb.root / "work"),
                    env={"GIT_ASKPASS": forbidden})
        self.assertEqual(self.sb.calls(called), [])
        self.assertTrue((self.sb.root / "work" / "README").exists())

    def test_a_read_only_token_is_warned_about_and_still_stored(self):
        token = self.server.issue_token(name="reader", expires_in_days=10,
                                        scopes=("read_repository",))
        proc = self.login(token, "--username", "alice")
        warnings = [l for l in self.text(proc.stderr).splitlines()
                    if l.startswith(PREFIX + "warning:")]
        self.assertEqual(len(warnings), 1, proc.stderr)
        self.assertIn("push", warnings[0])
        self.assertIn(f"for https://alice@{self.host} in secretservice", self.text(proc.stderr))
        self.assertEqual(self.record(user="alice")["scopes"], ["read_repository"])

    def test_logout_removes_the_credential_and_the_next_clone_asks(self):
        token = self.server.issue_token(scopes=("read_repository",))
        self.login(token)
        other = self.server.issue_token(user="bob", scopes=("read_repository",))
        self.login(other, "--username", "bob")

        proc = self.sb.helper("logout", self.server.url, "--username", "oauth2", input="")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.text(proc.stderr),
                         f"{PREFIX}removed https://oauth2@{self.host} from secretservice\n")
        self.assertEqual(self.text(proc.stdout), "")
        self.assertIsNone(self.record(user="oauth2"))
        self.assertIsNotNone(self.record(user="bob"), "only the named user is removed")

        proc = self.sb.helper("logout", self.server.url, input="")
        self.assertEqual(self.text(proc.stderr),
                         f"{PREFIX}removed https://bob@{self.host} from secretservice\n")
        self.assertEqual([r for r in self.status() if r["host"] == self.host], [])
        again = self.sb.helper("logout", self.server.url, input="")
        self.assertEqual(again.returncode, 0)
        self.assertIn(PREFIX + "nothing stored", self.text(again.stderr))

        askpass, asked = self.sb.askpass("alice", token)
        self.sb.git("clone", "-q", self.repo_url, str(self.sb.root / "work"),
                    env={"GIT_ASKPASS": askpass})
        self.assertEqual(len(self.sb.calls(asked)), 2, "git asked for username and token")

    def test_a_url_without_a_scheme_is_https_for_login_rotate_and_logout(self):
        token = self.server.issue_token(name="bare", expires_in_days=5, scopes=("api",))
        proc = self.login(token, url=self.host)
        self.assertIn(f": stored token 'bare' for https://oauth2@{self.host} in ",
                      self.text(proc.stderr))
        self.assertEqual(self.record(user="oauth2")["token_name"], "bare")
        proc = self.sb.helper("rotate", self.host, input="")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn(f"{PREFIX}rotated token 'bare' for https://oauth2@{self.host}: ",
                      self.text(proc.stderr))
        self.assertEqual(self.text(proc.stdout), "")
        self.assertEqual(self.api_status(token), 401, "the old token was rotated away")
        proc = self.sb.helper("logout", self.host, input="")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.text(proc.stderr),
                         f"{PREFIX}removed https://oauth2@{self.host} from secretservice\n")
        self.assertIsNone(self.record(user="oauth2"))

    def test_no_token_in_argv_and_no_terminal_means_stdin(self):
        proc = self.sb.helper("login", self.server.url, "--token", "glpat-x", input="")
        self.assertEqual(proc.returncode, 129)
        self.assertNotIn("glpat-x", self.text(proc.stderr))
        proc = self.sb.helper("login", "https://alice:glpat-y@" + self.host, input="")
        self.assertEqual(proc.returncode, 129)
        self.assertNotIn("glpat-y", self.text(proc.stderr))
        # A new session has no controlling terminal to ask on: fail fast, never hang.
        env = dict(self.sb.env)
        proc = subprocess.run([str(self.sb.patrol), "login", self.server.url], input="",
                              env=env, capture_output=True, text=True, timeout=30,
                              start_new_session=True)
        self.assertEqual(proc.returncode, 1)
        self.assertIn("--stdin", proc.stderr)
        self.assertEqual([r for r in self.status() if r["host"] == self.host], [])

    def test_an_unknown_host_needs_a_username(self):
        # Nothing says which user the token is for, and the host cannot be asked: a failure
        # at run time (1), not a mistyped command, and nothing is stored.
        proc = self.sb.helper("login", "https://elsewhere.example", "--stdin", input="tok\n")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn("nothing was stored: give --username", self.text(proc.stderr))
        # Once the host is known to be no forge, the username is asked for before any token.
        self.sb.git("config", "--global", "patrol.https://elsewhere.example.forge", "none")
        proc = self.sb.helper("login", "https://elsewhere.example", "--stdin", input="tok\n")
        self.assertEqual(proc.returncode, 129, proc.stderr)
        self.assertIn("give --username", self.text(proc.stderr))


class LoginTellsTheTruth(ForgeTest):
    """What the forge says of a typed token decides whether it is stored, and login says it."""

    def login(self, token, *args, url=None):
        return self.sb.helper("login", url or self.server.url, "--stdin", *args,
                              input=token + "\n")

    def assert_refused(self, proc, why):
        self.assertEqual(proc.returncode, 1, proc.stderr)
        lines = self.text(proc.stderr).splitlines()
        self.assertEqual(len(lines), 1, proc.stderr)
        self.assertTrue(lines[0].startswith(PREFIX + "error: " + self.host + " refused the token: "
                                            + why), lines[0])
        self.assertIn("nothing was stored", lines[0])
        self.assertEqual([r for r in self.status() if r["host"] == self.host], [])

    def test_a_garbage_token_is_not_stored(self):
        self.assert_refused(self.login("garbage"), "it does not know it")
        self.assertEqual(self.server.api_arrivals, 1)

    def test_a_revoked_token_is_not_stored(self):
        token = self.server.issue_token(name="old", expires_in_days=30)
        self.server.revoke(token)
        proc = self.login(token)
        self.assert_refused(proc, "it was revoked")
        self.assertNotIn(token, self.text(proc.stderr))

    def test_an_expired_token_is_not_stored(self):
        token = self.server.issue_token(name="old", expires_in_days=-2)
        self.assert_refused(self.login(token), "it has expired")

    def test_an_unreachable_forge_stores_the_token_with_a_warning(self):
        dead = socket.socket()
        dead.bind(("127.0.0.1", 0))  # bound, never listening: connecting there fails
        self.addCleanup(dead.close)
        url = f"https://127.0.0.1:{dead.getsockname()[1]}"
        self.sb.git("config", "--global", f"patrol.{url}.forge", "gitlab")
        proc = self.login("glpat-unchecked", url=url)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        lines = self.text(proc.stderr).splitlines()
        self.assertEqual(len(lines), 2, proc.stderr)
        self.assertTrue(lines[0].startswith(f"{PREFIX}warning: 127.0.0.1:{dead.getsockname()[1]} "
                                            "did not answer (cannot connect"), lines[0])
        self.assertIn("nothing was lost: the token is stored, unchecked", lines[0])
        self.assertIn("its expiry is unknown", lines[1])
        self.assertNotIn("glpat-unchecked", self.text(proc.stderr))
        stored = [r for r in self.status() if r["url"] == f"https://oauth2@127.0.0.1:{dead.getsockname()[1]}"]
        self.assertEqual(len(stored), 1, self.status())
        self.assertEqual(stored[0]["expiry_reason"], "forge did not answer")

    def test_a_time_out_names_the_host_and_the_token_is_kept(self):
        silent = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
        self.addCleanup(silent.close)
        port = silent.getsockname()[1]
        url = f"https://127.0.0.1:{port}"
        self.sb.git("config", "--global", f"patrol.{url}.forge", "gitlab")
        self.sb.git("config", "--global", "patrol.forgeTimeout", "1s")
        proc = self.login("glpat-slow", url=url)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        warning = self.text(proc.stderr).splitlines()[0]
        self.assertTrue(warning.startswith(f"{PREFIX}warning: 127.0.0.1:{port} did not answer "
                                           "(no complete answer within 1 s"), warning)
        self.assertIn("nothing was lost", warning)
        self.assertEqual(len([r for r in self.status() if r["host"] == f"127.0.0.1:{port}"]), 1)

    def test_success_names_the_user_and_what_was_replaced(self):
        first = self.server.issue_token(name="first", expires_in_days=3)
        self.assertEqual(self.login(first).returncode, 0)
        bob = self.server.issue_token(user="bob", name="bob's", expires_in_days=50)
        self.assertEqual(self.login(bob, "--username", "bob").returncode, 0)
        second = self.server.issue_token(name="second", expires_in_days=60)
        proc = self.login(second)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        line = self.text(proc.stderr)
        user_id = self.server.token(second).user_id
        self.assertTrue(line.startswith(f"{PREFIX}signed in to {self.host} as GitLab user "
                                        f"{user_id}: stored token 'second'"), line)
        self.assertIn(f"; it replaced the token stored for https://oauth2@{self.host} before", line)
        self.assertIn(f"; also stored for {self.host}: https://bob@{self.host}\n", line)
        self.assertEqual(self.record(user="oauth2")["token_name"], "second")
        self.assertEqual(self.record(user="bob")["token_name"], "bob's")


class FindsSelfManagedForges(ForgeTest):
    """A GitLab or a GitHub Enterprise under a name that says neither (localhost, git 2.39:
    no wwwauth[]), found by asking the host itself, once, and remembered."""

    def setUp(self):
        super().setUp()
        self.sb.git("config", "--global", "--unset", f"patrol.{self.server.url}.forge")
        self.sb.git("config", "--global", "--unset-all", f"patrol.{self.server.url}.apiUrl",
                    check=False)
        self.url = self.server.url_at("localhost")
        self.host = f"localhost:{self.server.port}"
        # Every request patrol makes goes through this proxy, which notes where it went.
        self.proxy = ConnectProxy()
        self.addCleanup(self.proxy.stop)
        self.sb.env.update({"https_proxy": self.proxy.url, "HTTPS_PROXY": self.proxy.url,
                            "no_proxy": "", "NO_PROXY": ""})

    def login(self, token, *args):
        return self.sb.helper("login", self.url, "--stdin", *args, input=token + "\n")

    def found_lines(self, proc):
        return [l for l in self.text(proc.stderr).splitlines() if " answers as a " in l
                or " is neither a GitLab" in l]


class FindsSelfManagedGitLab(FindsSelfManagedForges):
    forge = "gitlab"

    def test_a_gitlab_on_a_neutral_name_is_found_once_and_remembered(self):
        token = self.server.issue_token(name="laptop", expires_in_days=20)
        proc = self.login(token)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.found_lines(proc),
                         [f"{PREFIX}{self.host} answers as a GitLab: its tokens' expiry and "
                          "scopes are asked there from now on"])
        self.assertIn("signed in to " + self.host, self.text(proc.stderr))
        self.assertEqual(self.record(user="oauth2")["token_name"], "laptop")
        # The probe's answer was the lookup: one request.
        self.assertEqual(len(self.server.api_calls()), 1)

        other = self.server.issue_token(user="bob", name="desk", expires_in_days=30)
        proc = self.login(other, "--username", "bob")
        self.assertEqual(self.found_lines(proc), [], "said once")
        self.assertEqual(len(self.server.api_calls("/api/v4/personal_access_tokens/self")), 2)
        self.assertEqual(len(self.server.api_calls("/api/v3/user")), 0)
        # git's own store (git 2.39: no wwwauth[]) uses what was found.
        third = self.server.issue_token(user="carol", name="git", expires_in_days=40)
        self.sb.credential("approve", {"protocol": "https", "host": self.host,
                                       "username": "carol", "password": third}, check=True)
        self.assertEqual(self.record(user="carol")["token_name"], "git")
        self.assertEqual(len(self.server.api_calls()), 3)
        self.assertEqual(set(self.proxy.tunnels), {self.host}, "no other origin was asked")

    def test_a_garbage_token_on_a_neutral_name_is_refused(self):
        proc = self.login("garbage")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn(f"{self.host} refused the token", self.text(proc.stderr))
        self.assertEqual([r for r in self.status() if r["host"] == self.host], [])


class FindsGitHubEnterprise(FindsSelfManagedForges):
    forge = "github"

    def test_a_github_enterprise_on_a_neutral_name_is_found_by_its_headers(self):
        token = self.server.issue_token(user="octocat", scopes=("repo",))
        proc = self.login(token)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.found_lines(proc),
                         [f"{PREFIX}{self.host} answers as a GitHub Enterprise: its tokens' "
                          "expiry and scopes are asked there from now on"])
        self.assertIn(f"signed in to {self.host} as octocat: stored the token for "
                      f"https://x-access-token@{self.host}", self.text(proc.stderr))
        self.assertEqual(len(self.server.api_calls("/api/v4/personal_access_tokens/self")), 1)
        self.assertEqual(len(self.server.api_calls("/api/v3/user")), 1)
        record = self.record(user="x-access-token")
        self.assertEqual(record["expires_on"], None)
        self.assertEqual(record["expiry_reason"], "GitHub classic token has no expiry")

        again = self.server.issue_token(user="octocat", scopes=("repo",))
        proc = self.login(again)
        self.assertEqual(self.found_lines(proc), [])
        self.assertEqual(len(self.server.api_calls("/api/v4/personal_access_tokens/self")), 1,
                         "detected once per host")
        self.assertEqual(len(self.server.api_calls("/api/v3/user")), 2)
        self.assertEqual(set(self.proxy.tunnels), {self.host}, "no other origin was asked")

    def test_parallel_stores_ask_what_the_host_is_once(self):
        # Ten gits approve ten new tokens at once (submodule update --jobs 10): one asks
        # the host what it is, the others wait for that answer and use it.
        tokens = [self.server.issue_token(user=f"user{i}", scopes=("repo",)) for i in range(10)]
        procs = [subprocess.Popen(["git", "credential", "approve"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  env=self.sb.env, cwd=self.sb.root) for _ in tokens]
        for i, (proc, token) in enumerate(zip(procs, tokens)):
            proc.stdin.write(f"protocol=https\nhost={self.host}\nusername=user{i}\n"
                             f"password={token}\n\n".encode())
            proc.stdin.flush()  # the blank line ends the request; communicate() closes
        found = []
        for proc in procs:
            _, err = proc.communicate(timeout=60)
            self.assertEqual(proc.returncode, 0, err)
            found += self.found_lines(subprocess.CompletedProcess([], 0, b"", err))
        self.assertEqual(len(found), 1, found)
        self.assertEqual(len(self.server.api_calls("/api/v4/personal_access_tokens/self")), 1,
                         "the host was asked what it is once")
        self.assertEqual(len(self.server.api_calls("/api/v3/user")), 10, "each token looked up")
        self.assertEqual(set(self.proxy.tunnels), {self.host}, "no other origin was asked")


class UnknownForge(ForgeTest):
    """A host that answers as neither: stored, said once, and status says why."""

    def test_neither_is_said_once_and_status_gives_the_reason(self):
        plain = self.sb.root / "plain"
        plain.mkdir()
        init_bare_repo(plain, "repo.git")
        server = GitHttpsServer(plain, {"alice": "pw"}, self.sb.cert, self.sb.key)
        server.start()
        self.addCleanup(server.stop)
        host = f"localhost:{server.port}"
        proc = self.sb.helper("login", server.url_at("localhost"), "--stdin", "--username",
                              "alice", input="pw\n")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        stderr = self.text(proc.stderr)
        self.assertIn(f"{PREFIX}{host} is neither a GitLab nor a GitHub Enterprise", stderr)
        self.assertIn(f"{PREFIX}warning: the token could not be checked: {host} is neither", stderr)
        again = self.sb.helper("login", server.url_at("localhost"), "--stdin", "--username",
                               "alice", input="pw\n")
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertNotIn(" is neither a GitLab nor a GitHub Enterprise (asked", self.text(again.stderr))
        stored = [r for r in self.status() if r["host"] == host]
        self.assertEqual(stored[0]["expiry_reason"], "not a known forge")
        table = self.sb.helper("status", check=True).stdout
        self.assertIn("unknown (not a known forge)", self.text(table))


class HttpSettingsForForgeCalls(ForgeTest):
    """The test CA reaches patrol only through http.<url>.sslCAInfo, as it reaches git."""

    def setUp(self):
        super().setUp()
        for variable in CA_VARIABLES:
            self.sb.env.pop(variable, None)
        self.sb.env["PATROL_TRACE"] = "1"

    def test_the_lookup_uses_http_url_sslcainfo(self):
        self.sb.git("config", "--global", f"http.{self.server.url}.sslCAInfo", self.sb.ca)
        token = self.server.issue_token(name="via config", expires_in_days=20)
        proc = self.sb.helper("login", self.server.url, "--stdin", input=token + "\n")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("token 'via config'", self.text(proc.stderr))
        self.assertEqual(self.record(user="oauth2")["token_name"], "via config")

    def test_git_ssl_cainfo_wins_over_the_setting(self):
        self.sb.git("config", "--global", f"http.{self.server.url}.sslCAInfo", "/nonexistent.pem")
        token = self.server.issue_token(name="via env", expires_in_days=20)
        proc = self.sb.helper("login", self.server.url, "--stdin", input=token + "\n",
                              env={"GIT_SSL_CAINFO": self.sb.ca})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("token 'via env'", self.text(proc.stderr))

    def test_the_wrong_ca_is_a_traced_reason_and_the_token_is_still_stored(self):
        other, _, _ = make_test_ca(self.sb.root / "other-tls")
        self.sb.git("config", "--global", f"http.{self.server.url}.sslCAInfo", str(other))
        self.sb.git("config", "--global", "http.sslVerify", "false")
        token = self.server.issue_token(name="unseen", expires_in_days=20)
        proc = self.sb.helper("login", self.server.url, "--stdin", input=token + "\n")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        stderr = self.text(proc.stderr)
        warning = [l for l in stderr.splitlines() if l.startswith(PREFIX + "warning:")]
        self.assertEqual(len(warning), 1, stderr)
        self.assertIn(f"{self.host} did not answer", warning[0])
        self.assertIn("certificate", warning[0])
        self.assertIn("http.sslCAInfo", warning[0])
        self.assertIn("nothing was lost", warning[0])
        self.assertNotIn(token, stderr)
        self.assertIn("its expiry is unknown", stderr)
        self.assertEqual(self.server.api_arrivals, 0, "no request got past the TLS handshake")
        record = self.record(user="oauth2")
        self.assertIsNotNone(record)
        self.assertIsNone(record["expires_on"])

    def test_git_store_through_credential_approve_uses_the_setting_too(self):
        self.sb.git("config", "--global", f"http.{self.server.url}.sslCAInfo", self.sb.ca)
        token = self.server.issue_token(name="approved", expires_in_days=20)
        self.approve(token)
        self.assertEqual(self.record()["token_name"], "approved")

    def test_http_proxy_wins_over_the_environment(self):
        proxy = ConnectProxy()
        self.addCleanup(proxy.stop)
        self.sb.git("config", "--global", f"http.{self.server.url}.sslCAInfo", self.sb.ca)
        self.sb.git("config", "--global", f"http.{self.server.url}.proxy", proxy.url)
        dead = socket.socket()
        dead.bind(("127.0.0.1", 0))  # bound, never listening: connecting there fails
        self.addCleanup(dead.close)
        token = self.server.issue_token(name="proxied", expires_in_days=20)
        proc = self.sb.helper("login", self.server.url, "--stdin", input=token + "\n",
                              env={"https_proxy": f"http://127.0.0.1:{dead.getsockname()[1]}",
                                   "HTTPS_PROXY": None, "all_proxy": None, "no_proxy": None})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("token 'proxied'", self.text(proc.stderr))
        self.assertEqual(proxy.tunnels, [self.host])

    def test_an_empty_http_proxy_means_no_proxy_as_git_reads_it(self):
        # git's http.c: an empty http.proxy turns proxying off, the environment's included.
        self.sb.git("config", "--global", f"http.{self.server.url}.sslCAInfo", self.sb.ca)
        self.sb.git("config", "--global", f"http.{self.server.url}.proxy", "")
        dead = socket.socket()
        dead.bind(("127.0.0.1", 0))  # bound, never listening: a proxy there fails
        self.addCleanup(dead.close)
        token = self.server.issue_token(name="direct", expires_in_days=20)
        proc = self.sb.helper("login", self.server.url, "--stdin", input=token + "\n",
                              env={"https_proxy": f"http://127.0.0.1:{dead.getsockname()[1]}",
                                   "HTTPS_PROXY": None, "all_proxy": None, "no_proxy": None})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("token 'direct'", self.text(proc.stderr))
        diagnose = self.sb.helper("diagnose", self.server.url, input="",
                                  env={"https_proxy": "http://elsewhere.example:3128"})
        self.assertIn("none (http.proxy is empty)", self.text(diagnose.stdout))

    def test_http_ssl_ca_path_is_honoured(self):
        folder = self.sb.root / "ca-folder"
        folder.mkdir()
        subject_hash = subprocess.run(["openssl", "x509", "-noout", "-subject_hash", "-in",
                                       str(self.sb.ca)], capture_output=True, text=True,
                                      check=True).stdout.strip()
        shutil.copy(self.sb.ca, folder / f"{subject_hash}.0")
        token = self.server.issue_token(name="by folder", expires_in_days=20)
        # The test CA only in a hashed folder (c_rehash's layout), no CA file anywhere.
        self.sb.git("config", "--global", f"http.{self.server.url}.sslCAPath", str(folder))
        proc = self.sb.helper("login", self.server.url, "--stdin", input=token + "\n")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("token 'by folder'", self.text(proc.stderr))
        self.assertEqual(self.record(user="oauth2")["token_name"], "by folder")


class ConnectProxy:
    """An HTTP CONNECT proxy on loopback that records where each tunnel went."""

    def __init__(self):
        self.tunnels = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._tunnel, args=(client,), daemon=True).start()

    def _tunnel(self, client):
        with client:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = client.recv(4096)
                if not chunk:
                    return
                head += chunk
            method, target = head.split(b" ")[:2]
            if method != b"CONNECT":
                client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
                return
            self.tunnels.append(target.decode())
            host, port = target.decode().rsplit(":", 1)
            with socket.create_connection((host, int(port)), timeout=10) as upstream:
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                peers = {client: upstream, upstream: client}
                while True:
                    ready, _, _ = select.select(list(peers), [], [], 10)
                    if not ready:
                        return
                    for sock in ready:
                        data = sock.recv(65536)
                        if not data:
                            return
                        peers[sock].sendall(data)

    def stop(self):
        self.listener.close()


if __name__ == "__main__":
    unittest.main()
