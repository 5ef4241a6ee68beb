"""diagnose tells what git and patrol will do for a URL, hides every secret, and changes
nothing at all in HOME."""

import hashlib
import os
import unittest

from harness import IntegrationTest

TOKEN = "glpat-diagnose-secret-0123"
PROXY_PASSWORD = "proxy-pass-9876"


def snapshot(top):
    """Every path under top with its mode, size, mtime and content digest."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(top):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            digest = None
            if os.path.isfile(path) and not os.path.islink(path):
                with open(path, "rb") as f:
                    digest = hashlib.sha256(f.read()).hexdigest()
            found[os.path.relpath(path, top)] = (st.st_mode, st.st_size, st.st_mtime_ns, digest)
    return found


class Diagnose(IntegrationTest):

    def test_reports_helpers_settings_store_forge_and_network(self):
        self.sb.git("config", "--global", "patrol.https://gitlab.example.com.warnDays", "30")
        self.sb.git("config", "--global", "patrol.recheckInterval", "2h")
        self.sb.git("config", "--global", "http.https://gitlab.example.com.proxy",
                    f"http://bob:{PROXY_PASSWORD}@proxy.example.com:3128")
        env = {"GITLAB_TOKEN": TOKEN, "PATROL_AUTO_ROTATE": "true",
               "GIT_SSL_CAINFO": "/etc/ssl/certs/ca-certificates.crt"}
        before = snapshot(self.sb.root)
        proc = self.sb.helper("diagnose", "https://gitlab.example.com/g/p.git", input="", env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(snapshot(self.sb.root), before, "diagnose changed something")
        out = proc.stdout
        fields = {}
        for line in out.splitlines()[1:]:
            key, _, value = line.partition(":")
            fields.setdefault(key, value.strip())
        self.assertTrue(fields["git"].startswith("git version 2."))
        self.assertIn(f"patrol -> {self.sb.patrol}", fields["helper"])
        self.assertIn(".gitconfig", fields["helper"])
        self.assertEqual(fields["this program"], str(self.sb.patrol))
        self.assertTrue(fields["patrol.warnDays"].startswith("30  (file:"), out)
        self.assertIn("patrol.https://gitlab.example.com.warndays", fields["patrol.warnDays"])
        self.assertTrue(fields["patrol.recheckInterval"].startswith("2h  (file:"), out)
        self.assertEqual(fields["patrol.autoRotate"], "true  (environment PATROL_AUTO_ROTATE)")
        self.assertEqual(fields["patrol.store"], "auto  (default)")
        self.assertIn("not usable", fields["secret service"])
        self.assertTrue(fields["store"].startswith("file (patrol.store=auto"), out)
        self.assertIn("kernel keyring", fields)
        self.assertEqual(fields["forge"], "gitlab, API https://gitlab.example.com/api/v4")
        self.assertEqual(fields["CA"], "/etc/ssl/certs/ca-certificates.crt (GIT_SSL_CAINFO)")
        self.assertIn("proxy.example.com:3128 (http.proxy)", fields["proxy"])
        self.assertIn("environment", fields)
        self.assertNotIn(TOKEN, out + proc.stderr)
        self.assertNotIn(PROXY_PASSWORD, out + proc.stderr)
        self.assertNotIn("bob:", out)

    def test_secret_service_store_and_probe(self):
        self.sb.secret_service()
        server = self.sb.gitlab_server()
        url = f"{server.url}/repo.git"
        self.sb.git("config", "--global", f"patrol.{server.url}.forge", "gitlab")
        before = snapshot(self.sb.home)
        proc = self.sb.helper("diagnose", "--probe", url, input="")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(snapshot(self.sb.home), before)
        self.assertIn("secret service:  reachable", proc.stdout)
        self.assertIn("store:           secretservice (patrol.store=auto and a Secret Service",
                      proc.stdout)
        probe = [l for l in proc.stdout.splitlines() if l.startswith("probe:")]
        self.assertEqual(len(probe), 1, proc.stdout)
        self.assertRegex(probe[0], r"answered HTTP \d{3}$")

    def test_no_helper_configured_says_what_to_do(self):
        self.sb.git("config", "--global", "--unset", "credential.helper")
        proc = self.sb.helper("diagnose", input="")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("helpers:         none: git will prompt (run git credential-patrol configure)",
                      proc.stdout)

    def test_a_bad_url_is_one_line(self):
        proc = self.sb.helper("diagnose", "https://user:pw-secret@exa mple.com/", input="")
        self.assertEqual(proc.returncode, 129)
        line = self.assertOneErrorLine(proc.stderr)
        self.assertNotIn("pw-secret", line)


if __name__ == "__main__":
    unittest.main()
