#!/usr/bin/python3
"""Shows git-credential-patrol at work in a throwaway home: a private Secret Service
(gnome-keyring on its own D-Bus bus) and a local HTTPS git server with basic auth.

The token is typed once; the clone and push that follow use nothing but the helper.
Usage: scripts/demo.py [/path/to/git-credential-patrol]
"""

import os
import secrets
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "integration"))

binary = sys.argv[1] if len(sys.argv) > 1 else shutil.which("git-credential-patrol")
if not binary:
    sys.exit("demo: git-credential-patrol is not on PATH; install it first (scripts/demo)")
os.environ["PATROL_BIN"] = binary

from harness import Sandbox  # noqa: E402


def step(text):
    print(f"\n\033[1m== {text}\033[0m" if sys.stdout.isatty() else f"\n== {text}", flush=True)


def show(proc):
    for stream in (proc.stdout, proc.stderr):
        text = stream.decode(errors="replace") if isinstance(stream, bytes) else stream
        for line in text.rstrip().splitlines():
            print(f"   {line}")


def main():
    sb = Sandbox()
    try:
        step("a throwaway home, a private Secret Service and an HTTPS git server")
        keyring = sb.secret_service()
        token = "glpat-" + secrets.token_urlsafe(15)
        server = sb.git_server({"alice": token})
        url = f"{server.url}/repo.git"
        print(f"   HOME={sb.home}")
        print(f"   git config credential.helper = {sb.git('config', '--global', 'credential.helper').stdout.strip()}")
        print(f"   server {url} (TLS, basic auth; alice's token is {token[:6]}…)")

        step("first clone: git asks for the token once (GIT_ASKPASS stands in for you)")
        askpass, asked = sb.askpass("alice", token)
        sb.git("clone", url, "first", env={"GIT_ASKPASS": askpass})
        print(f"   cloned; the prompt answered {len(sb.calls(asked))} question(s): "
              f"{', '.join(q.split(' for ')[0] for q in sb.calls(asked))}")

        step("second clone and a push: nothing but the helper (any prompt would fail)")
        never, prompted = sb.forbidden_askpass()
        quiet = {"GIT_ASKPASS": never}
        sb.git("clone", url, "second", env=quiet)
        work = sb.root / "second"
        (work / "hello.txt").write_text("hello from patrol\n")
        sb.git("add", "hello.txt", cwd=work)
        sb.git("commit", "-qm", "hello", cwd=work)
        show(sb.git("push", "-q", "origin", "HEAD", cwd=work, env=quiet))
        print(f"   clone and push done; prompts shown: {len(sb.calls(prompted))}")

        step("where the token is kept: git credential-patrol status")
        show(sb.helper("status"))

        step("the keyring item: git-credential-libsecret's attributes, the token only in the secret (hidden)")
        for item in keyring.items():
            print(f"   label:      {item.label}")
            for key in sorted(item.attributes):
                print(f"   {key + ':':<11} {item.attributes[key]}")
            hidden = "*" * 8 if item.password == token else "(not the token!)"
            print(f"   secret:     {hidden}")
        print("\nDone. Everything lived under a temporary directory, now removed.")
    finally:
        sb.close()


if __name__ == "__main__":
    main()
