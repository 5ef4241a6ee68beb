"""Real parts for integration tests: a throwaway HOME, a private Secret Service,
the HTTPS git server, and helpers to run git and git-credential-patrol.

Every test builds its own Sandbox; nothing is shared between tests except the
git-credential-libsecret binary built once per process from git's contrib sources.
"""

import ast
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "servers"))

from git_https import GitHttpsServer, init_bare_repo, make_test_ca  # noqa: E402
from github import GitHubServer  # noqa: E402
from gitlab import GitLabServer  # noqa: E402

SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
LIBSECRET_SOURCE = Path("/usr/share/doc/git/contrib/credential/libsecret")
PASSTHROUGH_PREFIXES = ("ASAN_", "UBSAN_", "LSAN_", "MSAN_", "VALGRIND_")


def patrol_bin(test_hooks=False):
    """The binary under test: the one that gets installed, or with test_hooks the test
    build whose hooks (common/test_hooks.hpp) the environment can arm."""
    variable = "PATROL_TEST_HOOKS_BIN" if test_hooks else "PATROL_BIN"
    value = os.environ.get(variable)
    if not value:
        raise unittest.SkipTest(f"{variable} is not set (run through ctest)")
    path = Path(value).resolve()
    if not os.access(path, os.X_OK):
        raise AssertionError(f"{variable} {path} is not an executable")
    return path


def parse_credential(text):
    """key=value lines as git prints them, into a dict (last value wins)."""
    result = {}
    for line in text.splitlines():
        if "=" in line:
            key, _, value = line.partition("=")
            result[key] = value
    return result


def credential_input(**attrs):
    """A git-credential request; attribute order as given, blank line at the end."""
    return "".join(f"{key}={value}\n" for key, value in attrs.items()) + "\n"


@dataclass
class Item:
    path: str
    label: str
    attributes: dict
    secret: str = None

    @property
    def password(self):
        return None if self.secret is None else self.secret.split("\n", 1)[0]

    def key(self):
        """(protocol, server, port, user, object) as in git-credential-libsecret's schema; "" when absent."""
        a = self.attributes
        return tuple(a.get(k, "") for k in ("protocol", "server", "port", "user", "object"))


class Sandbox:
    """A throwaway HOME with XDG dirs, a git config using patrol, and a clean env."""

    def __init__(self, helper="patrol", test_hooks=False):
        self.root = Path(tempfile.mkdtemp(prefix="patrol-it-"))
        self.home = self.root / "home"
        self.runtime = self.root / "run"
        self.bin = self.root / "bin"
        for d in (self.home, self.bin):
            d.mkdir()
        self.runtime.mkdir(mode=0o700)
        os.chmod(self.runtime, 0o700)
        self.patrol = patrol_bin(test_hooks)
        self.env = {
            "PATH": f"{self.patrol.parent}:{SYSTEM_PATH}",
            "HOME": str(self.home),
            "LC_ALL": "C.UTF-8",
            "XDG_RUNTIME_DIR": str(self.runtime),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "XDG_DATA_HOME": str(self.home / ".local/share"),
            "XDG_CACHE_HOME": str(self.home / ".cache"),
            "XDG_STATE_HOME": str(self.home / ".local/state"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
            "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
        }
        self.env.update({k: v for k, v in os.environ.items() if k.startswith(PASSTHROUGH_PREFIXES)})
        self.ca = None
        self.cert = None
        self.key = None
        self._cleanups = []
        self.git("config", "--global", "init.defaultBranch", "main")
        if helper:
            self.git("config", "--global", "credential.helper", helper)

    # processes ---------------------------------------------------------------

    def run(self, argv, input=None, cwd=None, env=None, check=False, timeout=60):
        """Runs argv with the sandbox env; input and output are bytes unless input is str."""
        full_env = dict(self.env)
        for key, value in (env or {}).items():
            if value is None:
                full_env.pop(key, None)
            else:
                full_env[key] = value
        text = isinstance(input, str)
        proc = subprocess.run([str(a) for a in argv], input=input, cwd=cwd or self.root,
                              env=full_env, capture_output=True, timeout=timeout, text=text)
        if check and proc.returncode != 0:
            raise AssertionError(f"{argv} exited {proc.returncode}\nstdout: {proc.stdout}\n"
                                 f"stderr: {proc.stderr}")
        return proc

    def git(self, *args, **kwargs):
        kwargs.setdefault("check", True)
        if "input" not in kwargs:
            kwargs["input"] = ""
        return self.run(["git", *args], **kwargs)

    def helper(self, *args, input=b"", **kwargs):
        """Runs git-credential-patrol directly (bytes in, bytes out unless input is str)."""
        return self.run([self.patrol, *args], input=input, **kwargs)

    def credential(self, op, attrs, git_args=(), **kwargs):
        """`git credential fill|approve|reject` with attrs (dict); returns the process."""
        kwargs.setdefault("check", False)
        return self.git(*git_args, "credential", op, input=credential_input(**attrs), **kwargs)

    def fill(self, attrs, git_args=(), **kwargs):
        proc = self.credential("fill", attrs, git_args, **kwargs)
        return parse_credential(proc.stdout), proc

    # askpass -----------------------------------------------------------------

    def askpass(self, username, password, name="askpass"):
        """A GIT_ASKPASS script answering username/password; returns (path, log)."""
        log = self.root / f"{name}.log"
        script = self.bin / name
        script.write_text("#!/bin/sh\n"
                          f"printf '%s\\n' \"$1\" >> '{log}'\n"
                          "case \"$1\" in\n"
                          f"  Username*) printf '%s\\n' '{username}' ;;\n"
                          f"  *) printf '%s\\n' '{password}' ;;\n"
                          "esac\n")
        script.chmod(0o755)
        return str(script), log

    def forbidden_askpass(self, name="forbidden-askpass"):
        """A GIT_ASKPASS script that records being called and fails; returns (path, log)."""
        log = self.root / f"{name}.log"
        script = self.bin / name
        script.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{log}'\nexit 1\n")
        script.chmod(0o755)
        return str(script), log

    @staticmethod
    def calls(log):
        return Path(log).read_text().splitlines() if Path(log).exists() else []

    # TLS and servers ---------------------------------------------------------

    def make_ca(self):
        if self.ca is None:
            self.ca, self.cert, self.key = make_test_ca(self.root / "tls")
            for var in ("GIT_SSL_CAINFO", "SSL_CERT_FILE", "CURL_CA_BUNDLE"):
                self.env[var] = self.ca
        return self.ca

    def git_server(self, users, repo="repo.git"):
        """Starts an HTTPS git server for a new bare repo; stops it at close()."""
        self.make_ca()
        root = self.root / "srv"
        root.mkdir(exist_ok=True)
        init_bare_repo(root, repo)
        server = GitHttpsServer(root, users, self.cert, self.key)
        server.start()
        self._cleanups.append(server.stop)
        return server

    def gitlab_server(self, repo="repo.git", **kwargs):
        """Starts a GitLab test server (tests/servers/gitlab.py) for a new bare repo."""
        return self._forge_server(GitLabServer, "gitlab", repo, kwargs)

    def github_server(self, repo="repo.git", **kwargs):
        """Starts a GitHub-like test server (tests/servers/github.py) for a new bare repo."""
        return self._forge_server(GitHubServer, "github", repo, kwargs)

    def _forge_server(self, cls, name, repo, kwargs):
        self.make_ca()
        root = self.root / f"srv-{name}"
        root.mkdir(exist_ok=True)
        init_bare_repo(root, repo)
        server = cls(root, self.cert, self.key, **kwargs)
        server.start()
        self._cleanups.append(server.stop)
        return server

    # Secret Service ----------------------------------------------------------

    def secret_service(self, keyring=True, activatable=True, password="test-login", listen=None,
                       auth="EXTERNAL"):
        """Starts a private session bus (and gnome-keyring on it unless keyring=False).
        listen/auth: the bus's own address and authentication (no activation then)."""
        service = SecretService(self, keyring=keyring, activatable=activatable, password=password,
                                listen=listen, auth=auth)
        service.start()
        self._cleanups.append(service.stop)
        return service

    # files -------------------------------------------------------------------

    def tree(self, *dirs):
        """Every path (relative) under the given dirs (default HOME and XDG_RUNTIME_DIR)."""
        found = set()
        for top in dirs or (self.home, self.runtime):
            for dirpath, dirnames, filenames in os.walk(top):
                for name in dirnames + filenames:
                    found.add(os.path.relpath(os.path.join(dirpath, name), self.root))
        return found

    def close(self):
        for cleanup in reversed(self._cleanups):
            try:
                cleanup()
            except Exception as exc:  # keep cleaning up
                sys.stderr.write(f"cleanup failed: {exc}\n")
        if os.environ.get("PATROL_KEEP_SANDBOX"):
            sys.stderr.write(f"sandbox kept at {self.root}\n")
        else:
            shutil.rmtree(self.root, ignore_errors=True)


NO_ACTIVATION_BUS = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>{listen}</listen>
  <auth>{auth}</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class SecretService:
    """A private D-Bus session bus with gnome-keyring-daemon's secrets component."""

    def __init__(self, sandbox, keyring=True, activatable=True, password="test-login", listen=None,
                 auth="EXTERNAL"):
        self.sandbox = sandbox
        self.listen = listen
        self.auth = auth
        self.keyring = keyring
        self.activatable = activatable
        self.password = password
        self.bus = None
        self.daemon = None
        self.address = None

    def start(self):
        env = dict(self.sandbox.env)
        for var in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"):
            env.pop(var, None)
        if self.activatable and self.listen is None:
            config = ["--session"]
        else:
            conf = self.sandbox.root / "bus.conf"
            sockdir = self.sandbox.root / "bus"
            sockdir.mkdir(exist_ok=True)
            conf.write_text(NO_ACTIVATION_BUS.format(listen=self.listen or f"unix:dir={sockdir}",
                                                     auth=self.auth))
            config = [f"--config-file={conf}"]
        self.bus = subprocess.Popen(["dbus-daemon", *config, "--print-address=1", "--nofork"],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        self.address = self.bus.stdout.readline().decode().strip()
        if not self.address:
            raise AssertionError("dbus-daemon printed no address")
        self.sandbox.env["DBUS_SESSION_BUS_ADDRESS"] = self.address
        env["DBUS_SESSION_BUS_ADDRESS"] = self.address
        if not self.keyring:
            return
        log = open(self.sandbox.root / "gnome-keyring.log", "wb")
        self.daemon = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE, stdout=log, stderr=log, env=env, start_new_session=True)
        log.close()
        self.daemon.stdin.write(self.password.encode())
        self.daemon.stdin.close()
        deadline = time.monotonic() + 15
        while not self.has_owner():
            if self.daemon.poll() is not None or time.monotonic() > deadline:
                log = (self.sandbox.root / "gnome-keyring.log").read_text(errors="replace")
                raise AssertionError("gnome-keyring-daemon did not take org.freedesktop.secrets; "
                                     f"its log:\n{log.rstrip() or '(empty)'}")
            time.sleep(0.02)

    def has_owner(self):
        proc = self.gdbus("org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus.NameHasOwner", "org.freedesktop.secrets")
        return proc.returncode == 0 and "true" in proc.stdout

    def gdbus(self, dest, path, method, *args):
        return self.sandbox.run(["gdbus", "call", "--session", "--dest", dest,
                                 "--object-path", path, "--method", method, *args], input="")

    def stop(self):
        for proc in (self.daemon, self.bus):
            if proc is None or proc.poll() is not None:
                continue
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
        if self.bus and self.bus.stdout:
            self.bus.stdout.close()

    def lock(self, collection="/org/freedesktop/secrets/collection/login"):
        """Locks a collection (secret-tool lock crashes on this version)."""
        proc = self.gdbus("org.freedesktop.secrets", "/org/freedesktop/secrets",
                          "org.freedesktop.Secret.Service.Lock", f"['{collection}']")
        if proc.returncode != 0:
            raise AssertionError(f"Lock failed: {proc.stderr}")
        locked = self._get_property(collection, "org.freedesktop.Secret.Collection", "Locked")
        if locked is not True:
            raise AssertionError(f"{collection} is still unlocked")

    # items -------------------------------------------------------------------

    def _get_property(self, path, interface, name):
        proc = self.gdbus("org.freedesktop.secrets", path, "org.freedesktop.DBus.Properties.Get",
                          interface, name)
        if proc.returncode != 0:
            raise AssertionError(f"Get {name} of {path} failed: {proc.stderr}")
        m = re.fullmatch(r"\(<(?:@\S+ )?(.*)>,\)", proc.stdout.strip(), re.S)
        if not m:
            raise AssertionError(f"cannot read gdbus output {proc.stdout!r}")
        value = m.group(1)
        return {"true": True, "false": False}.get(value) if value in ("true", "false") \
            else ast.literal_eval(value)

    def item_paths(self):
        proc = self.gdbus("org.freedesktop.secrets", "/org/freedesktop/secrets",
                          "org.freedesktop.Secret.Service.SearchItems", "{}")
        if proc.returncode != 0:
            raise AssertionError(f"SearchItems failed: {proc.stderr}")
        return re.findall(r"'(/org/freedesktop/secrets/collection/[^']+)'", proc.stdout)

    def items(self, secrets=True):
        """Every item in every collection, with attributes, label and (unless secrets=False) secret."""
        items = []
        for path in self.item_paths():
            attributes = self._get_property(path, "org.freedesktop.Secret.Item", "Attributes")
            label = self._get_property(path, "org.freedesktop.Secret.Item", "Label")
            items.append(Item(path, label, attributes))
        if secrets:
            for item in items:
                item.secret = self._secret_of(item)
        return items

    def _secret_of(self, item):
        if not item.attributes:
            return None
        args = [a for pair in item.attributes.items() for a in pair]
        proc = self.sandbox.run(["secret-tool", "search", "--all", "--unlock", *args], input="")
        for m in re.finditer(r"^\[(.*?)\]\nlabel = .*?\nsecret = (.*?)\ncreated = ",
                             proc.stdout, re.S | re.M):
            if item.path.endswith(m.group(1)):
                return m.group(2)
        raise AssertionError(f"secret-tool did not show {item.path}: {proc.stdout} {proc.stderr}")

    def store_raw(self, secret, label="test item", schema="org.git.Password", **attributes):
        """Stores an item with secret-tool, bypassing every helper; schema None: no
        xdg:schema attribute, as secret-tool and raw D-Bus clients store."""
        args = ["xdg:schema", schema] if schema else []
        for key, value in attributes.items():
            args += [key, str(value)]
        self.sandbox.run(["secret-tool", "store", f"--label={label}", *args], input=secret,
                         check=True)


_libsecret_dir = None


def contrib_libsecret():
    """git's contrib git-credential-libsecret, built once per process into a temp dir."""
    global _libsecret_dir
    if _libsecret_dir is None:
        build = Path(tempfile.mkdtemp(prefix="patrol-libsecret-"))
        shutil.copytree(LIBSECRET_SOURCE, build / "src")
        proc = subprocess.run(["make", "-s"], cwd=build / "src", capture_output=True, text=True)
        if proc.returncode != 0:
            raise AssertionError(f"building git-credential-libsecret failed:\n{proc.stderr}")
        _libsecret_dir = build
        import atexit
        atexit.register(shutil.rmtree, build, True)
    return _libsecret_dir / "src" / "git-credential-libsecret"


class IntegrationTest(unittest.TestCase):
    """Gives each test its own Sandbox (self.sb), closed after the test."""

    helper = "patrol"
    test_hooks = False  # True: git and the tests run the test build, hooks armable
    maxDiff = None

    def setUp(self):
        self.sb = Sandbox(helper=self.helper, test_hooks=self.test_hooks)
        self.addCleanup(self.sb.close)

    def assertOneErrorLine(self, stderr, context=""):
        text = stderr.decode(errors="replace") if isinstance(stderr, bytes) else stderr
        lines = text.splitlines()
        self.assertEqual(len(lines), 1, f"{context}: expected one stderr line, got {text!r}")
        self.assertTrue(lines[0].startswith("git-credential-patrol: "),
                        f"{context}: stderr line lacks the program prefix: {lines[0]!r}")
        return lines[0]

    def assertNoSecretInAttributes(self, items, *secrets):
        for item in items:
            for key, value in item.attributes.items():
                for secret in secrets:
                    self.assertNotIn(secret, value, f"secret in attribute {key} of {item.path}")
            for secret in secrets:
                self.assertNotIn(secret, item.label, f"secret in the label of {item.path}")
