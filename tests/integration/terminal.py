"""A real terminal for scenarios where a person types: a private tmux server (its own
socket, no user configuration) running one command in one pane, with its environment,
kernel session keyring and all, inherited from the test process."""

import shlex
import subprocess
import time


class Terminal:
    """One tmux pane running argv; type into it and read what it shows."""

    def __init__(self, sandbox, name="term"):
        self.sb = sandbox
        self.socket = str(sandbox.root / f"{name}.tmux")
        self.target = name

    def tmux(self, *args, check=True):
        return subprocess.run(["tmux", "-S", self.socket, "-f", "/dev/null", *args],
                              env=self.sb.env, capture_output=True, text=True, check=check,
                              timeout=30, cwd=self.sb.root)

    def start(self, argv):
        """Runs argv in a new pane; "[exit N]" shows when it ends, and the pane stays."""
        command = " ".join(shlex.quote(str(a)) for a in argv)
        script = f"{command}; echo \"[exit $?]\"; exec sleep 600"
        self.tmux("new-session", "-d", "-s", self.target, "-x", "160", "-y", "50",
                  "/bin/sh", "-c", script)
        self.sb._cleanups.append(self.stop)

    def type(self, text, enter=True):
        self.tmux("send-keys", "-t", self.target, "-l", text)
        if enter:
            self.tmux("send-keys", "-t", self.target, "Enter")

    def screen(self):
        """Everything the pane has shown, scrollback included."""
        return self.tmux("capture-pane", "-p", "-J", "-t", self.target, "-S", "-").stdout

    def wait_for(self, text, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.05)
        raise AssertionError(f"the terminal never showed {text!r}; it shows:\n{self.screen()}")

    def exit_code(self, timeout=30):
        shown = self.wait_for("[exit ", timeout)
        tail = shown[shown.rindex("[exit ") + 6:]
        return int(tail[:tail.index("]")])

    def stop(self):
        self.tmux("kill-server", check=False)
