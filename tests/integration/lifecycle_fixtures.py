"""Shared set-up of the token lifecycle scenarios: a keyring, a GitLab or GitHub test
server with a repository, patrol told which forge serves it, and small readers of what
patrol stored (through `status --json`)."""

import json
import ssl
import time
import urllib.error
import urllib.request

from harness import IntegrationTest, init_bare_repo
from github import GitHubServer
from gitlab import GitLabServer


class ForgeTest(IntegrationTest):
    forge = "gitlab"
    server_class = None

    def setUp(self):
        super().setUp()
        self.keyring = self.sb.secret_service()
        self.sb.make_ca()
        root = self.sb.root / "srv"
        root.mkdir()
        init_bare_repo(root, "repo.git")
        cls = self.server_class or (GitLabServer if self.forge == "gitlab" else GitHubServer)
        self.server = cls(root, self.sb.cert, self.sb.key)
        self.server.start()
        self.addCleanup(self.server.stop)
        self.host = f"127.0.0.1:{self.server.port}"
        self.sb.git("config", "--global", f"patrol.{self.server.url}.forge", self.forge)
        if self.forge == "github":
            self.sb.git("config", "--global", f"patrol.{self.server.url}.apiUrl",
                        self.server.ghes_api_url)
        self.repo_url = f"{self.server.url}/repo.git"

    # acting as git -------------------------------------------------------------

    def approve(self, token, user="alice"):
        """`git credential approve`: patrol's store, with its lookup."""
        return self.sb.credential("approve", {"protocol": "https", "host": self.host,
                                              "username": user, "password": token}, check=True)

    def fill(self, user="alice", **kwargs):
        return self.sb.fill({"protocol": "https", "host": self.host, "username": user}, **kwargs)

    def clone(self, name="work", check=True):
        return self.sb.git("clone", self.repo_url, str(self.sb.root / name), check=check)

    def push(self, name="work", check=True):
        work = self.sb.root / name
        (work / f"file-{time.monotonic_ns()}").write_text("change\n")
        self.sb.git("add", "-A", cwd=work)
        self.sb.git("commit", "-q", "-m", "change", cwd=work)
        return self.sb.git("push", "-q", "origin", "HEAD", cwd=work, check=check)

    # what patrol keeps ---------------------------------------------------------

    def status(self):
        proc = self.sb.helper("status", "--json", check=True)
        return json.loads(proc.stdout)

    def record(self, user="alice"):
        found = [r for r in self.status() if r["host"] == self.host and r["username"] == user]
        return found[0] if found else None

    def wait_for(self, predicate, timeout=15, what="the condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.1)
        self.fail(f"timed out waiting for {what}")

    def api_status(self, token, path="/personal_access_tokens/self"):
        """The HTTP status the server's API gives this token (as a client other than patrol)."""
        context = ssl.create_default_context(cafile=self.sb.ca)
        request = urllib.request.Request(self.server.api_url + path,
                                         headers={"Authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(request, context=context, timeout=10) as answer:
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code

    @staticmethod
    def text(data):
        return data.decode(errors="replace") if isinstance(data, bytes) else data
