"""`unlock` lasts in both shapes a login's keyring takes, through `unlock` and then
`git clone` with no passphrase source:

- a login with a session keyring of its own (pam_keyinit, `keyctl session`): the key is
  kept there, for that session only;
- a login without one (an SSH login on Debian, whose PAM stack has no pam_keyinit; WSL;
  cron; docker exec): each process starts with no session keyring, and one that asks for
  it is given the user-session keyring. The key is kept in the user keyring.

The second shape is made with a throwaway uid: `setpriv` runs each command as that uid,
from this test process, which has never had a session keyring of its own (the module
does not join one), so each command starts with none, and the key lands in the throwaway
uid's user keyring, never in the keyring of the user running the tests. A small wrapper
gives a command the user-session keyring as its session keyring before it starts
(keyctl_get_keyring_ID without create installs it), the other way such a login looks.
"""

import os
import subprocess
import sys
import unittest

from harness import IntegrationTest

PASSPHRASE = "correct horse battery staple"
TOKEN = "glpat-keyring-shapes-0123456789"

# Runs argv with the user-session keyring installed as its session keyring.
WITH_USER_SESSION = ("import ctypes, os, sys\n"
                     "keyutils = ctypes.CDLL('libkeyutils.so.1')\n"
                     "keyutils.keyctl_get_keyring_ID(-3, 0)  # KEY_SPEC_SESSION_KEYRING\n"
                     "os.execvp(sys.argv[1], sys.argv[1:])\n")


class KeyringShapes(IntegrationTest):

    def setUp(self):
        super().setUp()
        self.server = self.sb.git_server({"alice": TOKEN})
        self.url = f"{self.server.url}/repo.git"
        self.store_file = self.sb.home / ".local/share/git-credential-patrol/credentials.enc"
        self.sb.git("config", "--global", "patrol.store", "file")
        self.passphrase_file = self.sb.root / "passphrase"
        self.passphrase_file.write_text(PASSPHRASE + "\n")
        self.passphrase_file.chmod(0o600)
        self.forbidden, self.asked = self.sb.forbidden_askpass()
        self.description = f"git-credential-patrol:file:{self.store_file}"

    def run_as(self, prefix, argv, env=None, input=""):
        full = {"GIT_ASKPASS": self.forbidden, "PATROL_FILE_PASSPHRASE_FILE": None}
        full.update(env or {})
        return self.sb.run([*prefix, *map(str, argv)], input=input, env=full)

    def unlock_clone_and_see(self, prefix, holder, prefix_for_get=None):
        """unlock with the passphrase file, then store and clone with no passphrase source."""
        proc = self.run_as(prefix, [self.sb.patrol, "unlock"],
                           env={"PATROL_FILE_PASSPHRASE_FILE": str(self.passphrase_file)})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        approve = self.run_as(prefix_for_get or prefix, ["git", "credential", "approve"],
                              input=f"url={self.server.url}\nusername=alice\npassword={TOKEN}\n\n")
        self.assertEqual(approve.returncode, 0, approve.stderr)
        clone = self.run_as(prefix, ["git", "clone", "-q", self.url, self.sb.root / "work"])
        self.assertEqual(clone.returncode, 0, clone.stderr)
        self.assertEqual(self.sb.calls(self.asked), [], "git asked: the key did not last")
        self.assertTrue((self.sb.root / "work" / "README").exists())
        diagnose = self.run_as(prefix, [self.sb.patrol, "diagnose", self.server.url])
        key_lines = [l for l in diagnose.stdout.splitlines() if "file store key" in l]
        self.assertEqual(len(key_lines), 1, diagnose.stdout)
        self.assertRegex(key_lines[0], rf"unlocked, in the {holder} .*, (8h|7h) left$")
        return proc

    def in_keyring(self, prefix, keyring):
        proc = self.run_as(prefix, ["keyctl", "search", keyring, "user", self.description])
        return proc.returncode == 0

    def session_of_its_own(self, name):
        """A named session keyring that lasts for the test: a kernel keyring lives while
        something refers to it, so a process that joined it waits on its stdin until the
        test ends. Each command then joins it by name, as each command of a login's shell
        has the login's session keyring."""
        # Joining by name needs search permission, which a new keyring gives only its
        # possessors; its owner's other processes get it here.
        holder = subprocess.Popen(
            ["keyctl", "session", name, "sh", "-c",
             "keyctl setperm @s 0x3f3f0000 && echo ready && exec cat"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.addCleanup(holder.wait, 10)
        self.addCleanup(holder.stdin.close)
        self.addCleanup(holder.stdout.close)
        self.assertEqual(holder.stdout.readline(), "ready\n")  # the keyring exists, joined
        return ["keyctl", "session", name]

    def test_a_login_with_its_own_session_keyring_keeps_the_key_there(self):
        session = f"patrol-test-{os.getpid()}-{id(self)}"
        prefix = self.session_of_its_own(session)
        self.addCleanup(self.run_as, prefix, [self.sb.patrol, "lock"])
        proc = self.unlock_clone_and_see(prefix, "session keyring")
        self.assertIn("unlocked for this login session for 8h", self.text(proc.stderr))
        self.assertTrue(self.in_keyring(prefix, "@s"))
        self.assertFalse(self.in_keyring(prefix, "@u"), "the key reached the user keyring")
        # Another session does not get it.
        other = self.session_of_its_own(session + "-other")
        clone = self.run_as(other, ["git", "clone", "-q", self.url, self.sb.root / "elsewhere"])
        self.assertNotEqual(clone.returncode, 0)

    def throwaway_uid(self):
        """A uid no account uses, whose keyrings nobody else has; the sandbox becomes its."""
        uid = 3_900_000_000 + os.getpid() % 1_000_000
        shape = self.sb.run(["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                             "keyctl", "rdescribe", "@s"], input="")
        if not self.text(shape.stdout).strip().endswith(f";_uid_ses.{uid}"):
            self.skipTest("this test process has a session keyring of its own, so no process "
                          "it starts can be without one: " + self.text(shape.stdout).strip())
        # Everything but the server's repositories, which git-http-backend (run as this
        # process's user) would refuse as another user's.
        for root, dirs, files in os.walk(self.sb.root):
            dirs[:] = [d for d in dirs if not (root == str(self.sb.root) and d.startswith("srv"))]
            for name in dirs + files:
                os.lchown(os.path.join(root, name), uid, uid)
        os.chown(self.sb.root, uid, uid)
        return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--"]

    def test_a_login_without_a_session_keyring_keeps_the_key_in_the_user_keyring(self):
        prefix = self.throwaway_uid()
        self.addCleanup(self.run_as, prefix, [self.sb.patrol, "lock"])
        with_user_session = [*prefix, sys.executable, "-c", WITH_USER_SESSION]
        proc = self.unlock_clone_and_see(prefix, "user keyring", prefix_for_get=with_user_session)
        self.assertIn("is unlocked for this user's processes for 8h", self.text(proc.stderr))
        self.assertTrue(self.in_keyring(prefix, "@u"))
        lock = self.run_as(prefix, [self.sb.patrol, "lock"])
        self.assertIn("is locked", self.text(lock.stderr))
        self.assertFalse(self.in_keyring(prefix, "@u"), "lock left the key behind")

    def test_a_passphrase_file_is_read_once_then_the_key_is_kept(self):
        # Configured, not in the environment: every git call has the passphrase file, and
        # only the first may derive the key from it (scrypt).
        prefix = self.throwaway_uid()
        self.addCleanup(self.run_as, prefix, [self.sb.patrol, "lock"])
        self.sb.git("config", "--global", "patrol.filePassphraseFile", str(self.passphrase_file))
        approve = self.run_as(prefix, ["git", "credential", "approve"],
                              input=f"url={self.server.url}\nusername=alice\npassword={TOKEN}\n\n")
        self.assertEqual(approve.returncode, 0, approve.stderr)
        self.assertTrue(self.in_keyring(prefix, "@u"), "the derived key was not kept")
        # The file gone, the kept key still opens the store.
        self.passphrase_file.unlink()
        clone = self.run_as(prefix, ["git", "clone", "-q", self.url, self.sb.root / "work"])
        self.assertEqual(clone.returncode, 0, clone.stderr)
        self.assertEqual(self.sb.calls(self.asked), [])

    @staticmethod
    def text(data):
        return data.decode(errors="replace") if isinstance(data, bytes) else data


if __name__ == "__main__":
    unittest.main()
