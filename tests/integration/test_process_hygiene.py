"""A process that holds tokens leaves no core file and cannot be read by another process
of the same user: the helper git runs and the detached background refresh, through the
real binary, caught while they wait on the forge's API.

How it is seen while the tests run as root: a process that is not dumpable has its
/proc/PID/ files owned by root:root instead of its own uid and gid. The processes run with
gid nobody, so the owner's gid tells (git, their parent, is the control: it shows nobody).
"""

import os
import resource
import select
import subprocess
import unittest
from pathlib import Path

from harness import credential_input
from lifecycle_fixtures import ForgeTest

NOBODY = 65534
CORE_LIMIT = 1 << 20


def start_with_core_limit():
    """Runs in the child before exec: a non-zero core limit, so its removal shows."""
    resource.setrlimit(resource.RLIMIT_CORE, (CORE_LIMIT, CORE_LIMIT))


class CoreDumps(ForgeTest):

    def start_git(self, *args):
        """git as gid nobody (uid root: the sandbox stays readable), with a core limit."""
        return subprocess.Popen(["git", *args], env=self.sb.env, cwd=self.sb.root, text=True,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, group=NOBODY, extra_groups=[],
                                preexec_fn=start_with_core_limit)

    def patrol_processes(self):
        """Live processes of this binary started in this sandbox (its HOME), by argv."""
        found = {}
        home = f"HOME={self.sb.home}".encode()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if Path(os.readlink(entry / "exe")) != self.sb.patrol:
                    continue
                environ = (entry / "environ").read_bytes().split(b"\0")
                argv = (entry / "cmdline").read_bytes().decode().split("\0")[1:-1]
            except OSError:
                continue  # gone meanwhile
            if home in environ:
                found[int(entry.name)] = argv
        return found

    def assertCannotDumpCore(self, pid):
        status = Path(f"/proc/{pid}/status").read_text()
        gid_line = next(line for line in status.splitlines() if line.startswith("Gid:"))
        self.assertEqual(gid_line.split()[1], str(NOBODY), "the process is not running as nobody")
        self.assertEqual(os.stat(f"/proc/{pid}/status").st_gid, 0, "the process is dumpable")
        limits = Path(f"/proc/{pid}/limits").read_text()
        core = next(line for line in limits.splitlines() if line.startswith("Max core file size"))
        self.assertEqual(core.split()[4:6], ["0", "0"], core)

    def assertCanDumpCore(self, pid):
        """The control: a process started the same way without patrol's code."""
        self.assertEqual(os.stat(f"/proc/{pid}/status").st_gid, NOBODY)
        limits = Path(f"/proc/{pid}/limits").read_text()
        core = next(line for line in limits.splitlines() if line.startswith("Max core file size"))
        self.assertEqual(core.split()[4], str(CORE_LIMIT), core)

    def test_the_helper_git_runs_cannot_dump_core(self):
        token = self.server.issue_token(expires_in_days=30)
        arrivals = self.server.api_arrivals
        self.server.hold_api()  # `store` looks the new token up, and waits there
        git = self.start_git("credential", "approve")
        self.addCleanup(git.kill)
        git.stdin.write(credential_input(protocol="https", host=self.host, username="alice",
                                         password=token))
        git.stdin.close()
        self.assertTrue(self.server.wait_for_api(arrivals + 1), "the lookup never arrived")
        helpers = self.patrol_processes()
        self.assertEqual(list(helpers.values()), [["store"]], helpers)
        self.assertCannotDumpCore(next(iter(helpers)))
        self.assertCanDumpCore(git.pid)
        self.server.release_api()
        self.assertEqual(git.wait(60), 0, git.stderr.read())
        git.stdout.close()
        git.stderr.close()
        self.assertEqual(self.fill()[0]["password"], token)

    def test_the_background_refresh_cannot_dump_core(self):
        token = self.server.issue_token(expires_in_days=30)
        # Described by the forge long ago: the next get finds the record stale.
        self.keyring.store_raw(f"{token}\npatrol_kind=pat\npatrol_checked_at=1000000000",
                               user="alice", server="127.0.0.1", port=str(self.server.port),
                               protocol="https")
        arrivals = self.server.api_arrivals
        self.server.hold_api()
        git = self.start_git("credential", "fill")
        self.addCleanup(git.kill)
        out, err = git.communicate(credential_input(protocol="https", host=self.host,
                                                    username="alice"), timeout=60)
        self.assertEqual(git.returncode, 0, err)
        self.assertIn(f"password={token}\n", out)
        # git has finished; the refresh it left behind is held at the API.
        self.assertTrue(self.server.wait_for_api(arrivals + 1), "no background refresh arrived")
        refreshes = self.patrol_processes()
        self.assertEqual([argv[0] for argv in refreshes.values()], ["refresh"], refreshes)
        pid = next(iter(refreshes))
        self.assertCannotDumpCore(pid)
        ended = os.pidfd_open(pid)
        self.addCleanup(os.close, ended)
        self.server.release_api()
        # It ends before the sandbox goes: a pidfd is readable once the process is gone.
        self.assertEqual(select.select([ended], [], [], 60)[0], [ended], "the refresh never ended")


if __name__ == "__main__":
    unittest.main()
