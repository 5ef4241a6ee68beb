"""PATROL_TRACE through every command, with known secrets in play (stored tokens, a
rotated token, an OAuth refresh token, the file store's passphrase, a token typed to
login, one imported from git-credential-store): no secret reaches the trace or stderr.
With PATROL_TRACE_SECRETS as well they do, so this test can fail. The trace file is
created 0600, and a file someone else planted (theirs, or open to their writes) is
refused untouched."""

import os
import stat
import unittest

from headless import PASSPHRASE, join_private_session_keyring
from lifecycle_fixtures import ForgeTest

REFRESH = "refresh-token-secret-4242"
LOGIN_TOKEN = "glpat-login-secret-7777"
FILE_TOKEN = "file-store-secret-5555"
IMPORTED = "imported-secret-3333"
DIRECT = "direct-store-secret-1111"


class Tracing(ForgeTest):

    def setUp(self):
        join_private_session_keyring()
        super().setUp()
        self.trace = self.sb.root / "trace.log"
        self.stderr = []
        self.secrets = {PASSPHRASE, REFRESH, LOGIN_TOKEN, FILE_TOKEN, IMPORTED, DIRECT}

    def traced(self, argv, env=None, input="", git=False, **kwargs):
        full = {"PATROL_TRACE": str(self.trace)}
        full.update(env or {})
        run = self.sb.git if git else self.sb.helper
        kwargs.setdefault("check", False)
        proc = run(*argv, input=input, env=full, **kwargs)
        self.stderr.append(proc.stderr if isinstance(proc.stderr, str) else proc.stderr.decode())
        return proc

    def every_command(self, extra_env=None):
        env = dict(extra_env or {})
        token = self.server.issue_token(name="traced", expires_in_days=5, scopes=("api",))
        self.secrets.add(token)
        alice = f"protocol=https\nhost={self.host}\nusername=alice\n"
        self.traced(["credential", "approve"], env, alice + f"password={token}\n\n", git=True,
                    check=True)
        got = self.traced(["credential", "fill"], env, alice + "\n", git=True, check=True)
        self.assertIn(f"password={token}", got.stdout)
        self.traced(["get"], env, alice + "\n")
        self.traced(["store"], env, f"protocol=https\nhost=other.example.com\nusername=dan\n"
                                    f"password={DIRECT}\noauth_refresh_token={REFRESH}\n\n")
        self.traced(["get"], env, "protocol=https\nhost=other.example.com\n\n")
        self.traced(["status"], env)
        self.traced(["status", "--json"], env)
        self.traced(["check", "--days", "30"], env)
        rotated = self.traced(["rotate", f"https://alice@{self.host}"], env)
        self.assertEqual(rotated.returncode, 0, rotated.stderr)
        self.secrets.update(t.value for t in self.server.active_tokens("alice"))
        self.traced(["login", f"https://{self.host}", "--username", "bob", "--stdin"], env,
                    LOGIN_TOKEN + "\n")
        self.traced(["logout", f"https://{self.host}", "--username", "bob"], env)
        self.traced(["erase"], env, "protocol=https\nhost=other.example.com\nusername=dan\n\n")
        self.traced(["configure"], env)
        self.traced(["unconfigure"], env)
        self.traced(["diagnose", "--probe", f"https://{self.host}/repo.git"], env)
        # The encrypted file store, unlocked with a passphrase file.
        passphrase = self.sb.root / "passphrase"
        passphrase.write_text(PASSPHRASE + "\n")
        passphrase.chmod(0o600)
        file_env = dict(env, PATROL_STORE="file", PATROL_FILE_PASSPHRASE_FILE=str(passphrase))
        self.traced(["unlock"], file_env)
        self.traced(["store"], file_env, f"protocol=https\nhost=files.example.com\n"
                                         f"username=eve\npassword={FILE_TOKEN}\n\n")
        got = self.traced(["get"], file_env, "protocol=https\nhost=files.example.com\n\n")
        self.assertIn(FILE_TOKEN, got.stdout)
        source = self.sb.root / "git-credentials"
        source.write_text(f"https://carol:{IMPORTED}@imported.example.com\n")
        self.traced(["import", "--from", "store-file", str(source)], file_env)
        self.traced(["lock"], file_env)
        self.traced(["--version"], env)
        self.traced(["--help"], env)
        # And to stderr instead of a file.
        self.traced(["get"], dict(env, PATROL_TRACE="1"), alice + "\n")

    def test_no_secret_in_the_trace(self):
        self.every_command()
        text = self.trace.read_text()
        self.assertEqual(stat.S_IMODE(os.stat(self.trace).st_mode), 0o600)
        for needle in ("command get", "command store", "command rotate", "command login",
                       "command configure", "command diagnose", "command import",
                       "command unlock", "request: protocol=https host=", "username=alice",
                       "password=<redacted>", "chosen: patrol.store=", "forge lookup",
                       " ms", "setting patrol.forge=gitlab"):
            self.assertIn(needle, text)
        self.assertNotIn("PATROL_TRACE_SECRETS", text)
        everything = text + "".join(self.stderr)
        self.assertIn("trace: request:", "".join(self.stderr), "PATROL_TRACE=1 writes to stderr")
        for secret in self.secrets:
            self.assertNotIn(secret, everything, f"a secret ({secret[:6]}...) was traced")

    def test_with_trace_secrets_the_secrets_appear(self):
        self.every_command({"PATROL_TRACE_SECRETS": "1"})
        text = self.trace.read_text()
        self.assertIn("PATROL_TRACE_SECRETS is set: this trace shows secrets in clear", text)
        for secret in (DIRECT, FILE_TOKEN, LOGIN_TOKEN):
            self.assertIn(secret, text)

    def test_secrets_are_never_traced_into_a_file_others_may_read(self):
        self.trace.write_text("")
        self.trace.chmod(0o644)
        proc = self.traced(["erase"], {"PATROL_TRACE_SECRETS": "1"},
                           f"protocol=https\nhost=other.example.com\nusername=alice\n"
                           f"password={DIRECT}\n\n")
        self.assertIn("PATROL_TRACE_SECRETS is ignored: others may read the trace file",
                      proc.stderr)
        text = self.trace.read_text()
        self.assertIn("password=<redacted>", text)
        self.assertNotIn(DIRECT, text)

    def test_a_symbolic_link_is_not_followed(self):
        target = self.sb.root / "elsewhere"
        target.write_text("")
        os.symlink(target, self.trace)
        proc = self.traced(["lock"])
        self.assertEqual(target.read_text(), "")
        first = proc.stderr.splitlines()[0]
        self.assertTrue(first.startswith("git-credential-patrol: warning: cannot write the "
                                         "trace to"), proc.stderr)

    def assertRefused(self, proc, why):
        first = proc.stderr.splitlines()[0]
        self.assertTrue(first.startswith("git-credential-patrol: warning: cannot write the "
                                         "trace to"), proc.stderr)
        self.assertIn(why, first)

    def test_a_new_trace_file_is_created_0600_whatever_the_umask(self):
        proc = self.sb.run(["sh", "-c", 'umask 000; exec "$0" lock', self.sb.patrol], input="",
                           env={"PATROL_TRACE": str(self.trace)})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(stat.S_IMODE(os.stat(self.trace).st_mode), 0o600)
        first = self.trace.read_text()
        self.assertIn("command lock", first)
        # The user's own file, closed to others' writes: appended to.
        self.traced(["lock"])
        self.assertEqual(self.trace.read_text().count("command lock"),
                         2 * first.count("command lock"))
        self.assertTrue(self.trace.read_text().startswith(first))

    def test_a_trace_file_others_may_write_is_refused(self):
        self.trace.write_text("planted\n")
        self.trace.chmod(0o666)
        proc = self.traced(["lock"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertRefused(proc, "others may write it")
        self.assertEqual(self.trace.read_text(), "planted\n")

    def test_a_trace_file_of_another_user_is_refused(self):
        if os.geteuid() != 0:
            self.skipTest("needs root to give the file to another user")
        self.trace.write_text("theirs\n")
        self.trace.chmod(0o600)
        os.chown(self.trace, 65534, 65534)
        proc = self.traced(["lock"])
        self.assertRefused(proc, "it is not yours")
        self.assertEqual(self.trace.read_text(), "theirs\n")


if __name__ == "__main__":
    unittest.main()
