"""configure and unconfigure in a throwaway HOME: git's way of setting a helper (an empty
value first), idempotent, one line per change, nothing else touched, and unconfigure
removing exactly what configure added."""

import unittest

from harness import IntegrationTest


class Configure(IntegrationTest):
    helper = None  # the sandbox starts without any credential.helper

    def values(self, key, scope="--global"):
        proc = self.sb.git("config", scope, "--get-all", key, check=False)
        return proc.stdout.splitlines() if proc.returncode == 0 else []

    def gitconfig(self):
        return (self.sb.home / ".gitconfig").read_text()

    def test_global_sets_a_reset_then_patrol_once(self):
        self.sb.git("config", "--global", "credential.helper", "cache")
        self.sb.git("config", "--global", "user.name", "Ana")
        proc = self.sb.helper("configure", input="")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr.splitlines(), [
            "git-credential-patrol: set credential.helper= (forget helpers from files read "
            "before it) in ~/.gitconfig",
            "git-credential-patrol: set credential.helper=patrol in ~/.gitconfig"])
        self.assertEqual(self.values("credential.helper"), ["cache", "", "patrol"])
        # git now runs patrol alone: the empty value dropped "cache".
        before = self.gitconfig()
        again = self.sb.helper("configure", input="")
        self.assertEqual(again.returncode, 0)
        self.assertIn("nothing changed", again.stderr)
        self.assertEqual(len(again.stderr.splitlines()), 1)
        self.assertEqual(self.gitconfig(), before)
        self.assertEqual(self.values("user.name"), ["Ana"])

    def test_unconfigure_removes_exactly_what_configure_added(self):
        self.sb.git("config", "--global", "credential.helper", "cache")
        untouched = self.gitconfig()
        self.sb.helper("configure", input="", check=True)
        # A helper the user adds later stays.
        self.sb.git("config", "--global", "--add", "credential.helper", "store")
        proc = self.sb.helper("unconfigure", input="")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(len(proc.stderr.splitlines()), 2, proc.stderr)
        self.assertTrue(all(l.startswith("git-credential-patrol: removed credential.helper")
                            for l in proc.stderr.splitlines()), proc.stderr)
        self.assertEqual(self.values("credential.helper"), ["cache", "store"])
        again = self.sb.helper("unconfigure", input="")
        self.assertIn("nothing changed", again.stderr)
        self.assertEqual(self.values("credential.helper"), ["cache", "store"])
        self.sb.git("config", "--global", "--unset", "credential.helper", "^store$")
        self.assertEqual(self.gitconfig(), untouched)

    def test_unconfigure_with_repeated_values_keeps_the_others_in_order(self):
        for value in ("a", "", "b"):
            self.sb.git("config", "--global", "--add", "credential.helper", value)
        self.sb.helper("configure", input="", check=True)
        self.sb.git("config", "--global", "--add", "credential.helper", "patrol")
        self.sb.helper("unconfigure", input="", check=True)
        self.assertEqual(self.values("credential.helper"), ["a", "", "b", "patrol"])

    def test_url_scope(self):
        url = "https://gitlab.example.com"
        proc = self.sb.helper("configure", "--url", url, input="")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn(f"set credential.{url}.helper=patrol in ~/.gitconfig", proc.stderr)
        self.assertEqual(self.values(f"credential.{url}.helper"), ["", "patrol"])
        self.assertEqual(self.values("credential.helper"), [])
        got = self.sb.git("config", "--get-urlmatch", "credential.helper", f"{url}/group/p.git")
        self.assertEqual(got.stdout.strip(), "patrol")
        self.sb.helper("unconfigure", "--url", url, input="", check=True)
        self.assertEqual(self.values(f"credential.{url}.helper"), [])

    def test_system_scope_writes_the_system_file_only(self):
        system = self.sb.root / "gitconfig-system"
        env = {"GIT_CONFIG_SYSTEM": str(system), "GIT_CONFIG_NOSYSTEM": None}
        proc = self.sb.helper("configure", "--system", input="", env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn(f"in {system}", proc.stderr)
        self.assertEqual(self.sb.run(["git", "config", "--system", "--get-all",
                                      "credential.helper"], env=env, input="").stdout.splitlines(),
                         ["", "patrol"])
        self.assertFalse((self.sb.home / ".gitconfig").read_text().count("credential"))
        self.sb.helper("unconfigure", "--system", input="", env=env, check=True)
        self.assertNotIn("patrol", system.read_text())

    def test_bad_arguments_are_one_line_and_change_nothing(self):
        before = self.gitconfig()
        proc = self.sb.helper("configure", "--local", input="")
        self.assertEqual(proc.returncode, 129)
        line = self.assertOneErrorLine(proc.stderr)
        self.assertIn("unknown option '--local' for configure; did you mean --global?", line)
        self.assertEqual(self.gitconfig(), before)

    def test_git_finds_patrol_after_configure(self):
        self.sb.helper("configure", input="", check=True)
        proc = self.sb.helper("diagnose", "https://h.example.com/", input="")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        helpers = [l for l in proc.stdout.splitlines() if l.startswith("helper:")]
        self.assertEqual(len(helpers), 1, proc.stdout)
        self.assertIn(f"patrol -> {self.sb.patrol}", helpers[0])

    def test_configure_says_when_git_will_not_find_patrol(self):
        # A build tree's binary run by its path, its folder not on PATH: git would then
        # fail every call with "'credential-patrol' is not a git command".
        env = {"PATH": "/usr/bin:/bin"}
        proc = self.sb.helper("configure", input="", env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        lines = proc.stderr.splitlines()
        self.assertEqual(len(lines), 3, proc.stderr)
        self.assertEqual(lines[2], "git-credential-patrol: warning: git will not find "
                         "git-credential-patrol: it is neither on PATH nor in `git --exec-path`; "
                         f"add {self.sb.patrol.resolve().parent} to PATH or install it "
                         "(cmake --install BUILD_DIR)")
        self.assertEqual(self.values("credential.helper"), ["", "patrol"])
        fill = self.sb.git("credential", "fill", input="url=https://h.example.com\n\n",
                           env={**env, "GIT_TERMINAL_PROMPT": "0"}, check=False)
        self.assertIn("'credential-patrol' is not a git command", fill.stderr)
        # Run again with the folder on PATH: nothing to say.
        again = self.sb.helper("configure", input="")
        self.assertEqual(len(again.stderr.splitlines()), 1, again.stderr)


if __name__ == "__main__":
    unittest.main()
