"""No Secret Service reachable: one line with the cause and the fix, git falls through."""

import unittest

from harness import IntegrationTest

HOST = "git.example.com"


class NoSecretService(IntegrationTest):

    def written(self):
        """Every path under HOME and the runtime dir but the lock files, which hold nothing."""
        return {p for p in self.sb.tree() if not p.startswith("run/git-credential-patrol")}

    def check_falls_through(self, context):
        askpass, asked = self.sb.askpass("alice", "from-askpass")
        before = self.written()
        cred, proc = self.sb.fill({"protocol": "https", "host": HOST},
                                  env={"GIT_ASKPASS": askpass})
        self.assertEqual(proc.returncode, 0, f"{context}: fill failed: {proc.stderr}")
        self.assertEqual((cred.get("username"), cred.get("password")), ("alice", "from-askpass"),
                         f"{context}: git did not fall through to askpass")
        self.assertEqual(len(self.sb.calls(asked)), 2)
        line = self.assertOneErrorLine(proc.stderr, context)
        self.assertRegex(line.lower(), r"secret service|d-bus|dbus",
                         f"{context}: the line does not name the cause: {line}")
        self.assertRegex(line, r"patrol\.store|PATROL_STORE|gnome-keyring|keyring",
                         f"{context}: the line does not name a fix: {line}")

        direct = self.sb.helper("get", input=f"protocol=https\nhost={HOST}\n\n")
        self.assertEqual(direct.returncode, 0, f"{context}: get must exit 0 so git falls through")
        self.assertEqual(direct.stdout, "")
        self.assertOneErrorLine(direct.stderr, f"{context} (get)")

        proc = self.sb.credential("approve", {"protocol": "https", "host": HOST,
                                              "username": "alice", "password": "tok-nowhere"})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertLessEqual(len(proc.stderr.splitlines()), 1, f"{context}: {proc.stderr}")
        self.assertNotIn("tok-nowhere", proc.stderr)
        self.assertEqual(self.written(), before, f"{context}: files were written")
        return line

    def test_no_session_bus(self):
        self.assertNotIn("DBUS_SESSION_BUS_ADDRESS", self.sb.env)
        self.check_falls_through("no session bus")

    def test_bus_address_pointing_nowhere(self):
        self.sb.env["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path={self.sb.root}/no-such-socket"
        self.check_falls_through("bus address pointing nowhere")

    def test_bus_without_a_secret_service(self):
        bus = self.sb.secret_service(keyring=False, activatable=False)
        self.check_falls_through("bus without a Secret Service")
        self.assertFalse(bus.has_owner(), "something took org.freedesktop.secrets")


class LockedKeyring(IntegrationTest):

    def test_locked_collection_is_named_and_git_falls_through(self):
        keyring = self.sb.secret_service()
        proc = self.sb.credential("approve", {"url": f"https://alice@{HOST}", "password": "tok-1"})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        keyring.lock()
        askpass, asked = self.sb.askpass("alice", "from-askpass")
        cred, proc = self.sb.fill({"url": f"https://alice@{HOST}"}, env={"GIT_ASKPASS": askpass})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(cred["password"], "from-askpass")
        line = self.assertOneErrorLine(proc.stderr, "locked keyring")
        self.assertIn("locked", line)
        self.assertNotIn("tok-1", line)

        proc = self.sb.credential("approve", {"url": f"https://bob@{HOST}", "password": "tok-2"})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertLessEqual(len(proc.stderr.splitlines()), 1, proc.stderr)
        self.assertEqual([i.attributes["user"] for i in keyring.items(secrets=False)], ["alice"])

    def test_credential_interactive_false_shows_no_unlock_prompt(self):
        keyring = self.sb.secret_service()
        proc = self.sb.credential("approve", {"url": f"https://alice@{HOST}", "password": "tok-1"})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        keyring.lock()
        self.sb.git("config", "--global", "credential.interactive", "false")
        direct = self.sb.helper("get", input=f"protocol=https\nhost={HOST}\n\n")
        self.assertEqual((direct.returncode, direct.stdout), (0, ""), direct.stderr)
        line = self.assertOneErrorLine(direct.stderr, "locked keyring, no prompt")
        self.assertIn("credential.interactive=false", line)
        proc = self.sb.credential("approve", {"url": f"https://bob@{HOST}", "password": "tok-2"})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("credential.interactive=false", proc.stderr)
        self.assertNotIn("tok-2", proc.stderr)
        self.assertEqual([i.attributes["user"] for i in keyring.items(secrets=False)], ["alice"])


if __name__ == "__main__":
    unittest.main()
