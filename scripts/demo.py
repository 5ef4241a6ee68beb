#!/usr/bin/python3
"""Shows what git-credential-patrol adds to a keyring helper, in a throwaway home: a
private Secret Service (gnome-keyring on its own D-Bus bus) and the GitLab test server
(tests/servers/gitlab.py: GitLab's token API and git over HTTPS with the tokens it issues).

A token that expires in a few days is typed once; the next clone warns with GitLab's
prefilled renewal page; status and check say what is kept and what is wrong; rotate
replaces the token and the next push uses the new one; a token revoked at GitLab is
explained at the next push. Each step prints its real output.
Usage: scripts/demo.py [/path/to/git-credential-patrol]
"""

import os
import shutil
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "integration"))
sys.path.insert(0, str(ROOT / "tests" / "servers"))

binary = sys.argv[1] if len(sys.argv) > 1 else shutil.which("git-credential-patrol")
if not binary:
    sys.exit("demo: git-credential-patrol is not on PATH; install it first (scripts/demo)")
os.environ["PATROL_BIN"] = binary

from harness import Sandbox  # noqa: E402


def step(text):
    print(f"\n\033[1m== {text}\033[0m" if sys.stdout.isatty() else f"\n== {text}", flush=True)


def show(proc, status=False):
    for stream in (proc.stdout, proc.stderr):
        text = stream.decode(errors="replace") if isinstance(stream, bytes) else stream
        for line in text.rstrip().splitlines():
            print(f"   {line}")
    if status:
        print(f"   (exit status {proc.returncode})")


def main():
    sb = Sandbox()
    try:
        step("a throwaway home, a private Secret Service and a GitLab test server")
        sb.secret_service()
        server = sb.gitlab_server()
        # 127.0.0.1 is not known as GitLab by its name, as gitlab.com or gitlab.* would be.
        sb.git("config", "--global", f"patrol.{server.url}.forge", "gitlab")
        token = server.issue_token(name="laptop", scopes=("api",), expires_in_days=5)
        host = f"127.0.0.1:{server.port}"
        url = f"{server.url}/repo.git"
        print(f"   HOME={sb.home}")
        print(f"   git config credential.helper = "
              f"{sb.git('config', '--global', 'credential.helper').stdout.strip()}")
        print(f"   GitLab at {server.url}; alice's token 'laptop' ({token[:6]}…) expires in 5 days")

        step("first clone: git asks for the token once (GIT_ASKPASS stands in for you)")
        askpass, asked = sb.askpass("alice", token)
        show(sb.git("clone", "-q", url, "first", env={"GIT_ASKPASS": askpass}))
        print(f"   cloned; the prompt answered {len(sb.calls(asked))} question(s): "
              f"{', '.join(q.split(' for ')[0] for q in sb.calls(asked))}")

        never, prompted = sb.forbidden_askpass()
        quiet = {"GIT_ASKPASS": never}
        step("the next clone: no prompt, and a warning with GitLab's page filled in")
        show(sb.git("clone", "-q", url, "second", env=quiet))

        step("git credential-patrol status")
        show(sb.helper("status", input=""))

        step("git credential-patrol check (for cron and CI)")
        show(sb.helper("check", input=""), status=True)

        step("git credential-patrol rotate: GitLab gives a new token for two months, the old "
             "one dies; the next push uses the new one")
        until = (server.today() + timedelta(days=60)).isoformat()
        show(sb.helper("rotate", f"https://alice@{host}", "--expires-at", until, input=""))
        server.clear_log()
        work = sb.root / "second"
        (work / "hello.txt").write_text("hello from patrol\n")
        sb.git("add", "hello.txt", cwd=work)
        sb.git("commit", "-qm", "hello", cwd=work)
        show(sb.git("push", "-q", "origin", "HEAD", cwd=work, env=quiet))
        [new] = server.active_tokens("alice")
        used = {call.token_id for call in server.git_calls() if call.token_id is not None}
        print(f"   pushed with the new token (id {new.id}, GitLab saw {sorted(used)}); "
              f"prompts shown: {len(sb.calls(prompted))}")

        step("the token is revoked at GitLab: the next push says so")
        server.revoke(new.value)
        (work / "hello.txt").write_text("hello again\n")
        sb.git("commit", "-qam", "again", cwd=work)
        show(sb.git("push", "-q", "origin", "HEAD", cwd=work, env=quiet, check=False),
             status=True)
        print("\nDone. Everything lived under a temporary directory, now removed.")
    finally:
        sb.close()


if __name__ == "__main__":
    main()
