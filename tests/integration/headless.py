"""Shared parts for the headless-store scenarios: a private kernel session keyring per
test (so no unlocked key reaches the machine's user keyring), a passphrase file, and
direct calls of the helper's get/store/erase."""

import ctypes
import os
import subprocess

from harness import IntegrationTest, credential_input, parse_credential

PASSPHRASE = "correct horse battery staple"

_keyutils = ctypes.CDLL("libkeyutils.so.1", use_errno=True)
_keyutils.keyctl_join_session_keyring.argtypes = [ctypes.c_char_p]
_keyutils.keyctl_join_session_keyring.restype = ctypes.c_int32


def join_private_session_keyring():
    """A new anonymous session keyring for this process and every child it starts."""
    serial = _keyutils.keyctl_join_session_keyring(None)
    if serial < 0:
        raise OSError(ctypes.get_errno(), "keyctl_join_session_keyring failed")
    return serial


class HeadlessTest(IntegrationTest):
    """No D-Bus at all, a passphrase file, and the file store's paths."""

    def setUp(self):
        join_private_session_keyring()
        super().setUp()
        self.passphrase_file = self.sb.root / "passphrase"
        self.passphrase_file.write_text(PASSPHRASE + "\n")
        self.passphrase_file.chmod(0o600)
        self.store_dir = self.sb.home / ".local/share/git-credential-patrol"
        self.store_file = self.store_dir / "credentials.enc"
        self.assertNotIn("DBUS_SESSION_BUS_ADDRESS", self.sb.env)

    def with_passphrase(self, path=None):
        return {"PATROL_FILE_PASSPHRASE_FILE": str(path or self.passphrase_file)}

    def unlock(self, **kwargs):
        kwargs.setdefault("env", self.with_passphrase())
        proc = self.sb.helper("unlock", input="", **kwargs)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc

    def op(self, op, env=None, **attrs):
        return self.sb.helper(op, input=credential_input(**attrs), env=env)

    def store(self, host, user, password, env=None):
        return self.op("store", env=env, protocol="https", host=host, username=user,
                       password=password)

    def get(self, host, env=None):
        proc = self.op("get", env=env, protocol="https", host=host)
        return parse_credential(proc.stdout), proc

    def popen(self, args, env=None, input=None, binary=None, **kwargs):
        full = dict(self.sb.env)
        full.update(env or {})
        return subprocess.Popen([str(binary or self.sb.patrol), *args], env=full, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=self.sb.root, **kwargs)

    def no_tty_run(self, argv, input, env=None, timeout=30):
        """Runs argv in a new session: no controlling terminal to prompt on."""
        full = dict(self.sb.env)
        full.pop("GIT_TERMINAL_PROMPT", None)
        full.update(env or {})
        return subprocess.run([str(a) for a in argv], input=input, env=full, text=True,
                              capture_output=True, cwd=self.sb.root, timeout=timeout,
                              start_new_session=True)
