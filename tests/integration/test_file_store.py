"""The encrypted file store through the real binary: parallel writers, a writer killed
mid-write, a wrong passphrase, a damaged file, a full disk, a file open to others; values
that are not UTF-8 kept byte for byte; a changed header; version 1 and 2 files upgraded; an
unlock timeout of 0; a passphrase file open to others."""

import fcntl
import json
import os
import re
import random
import signal
import subprocess
import time
from pathlib import Path
import unittest

from harness import parse_credential, patrol_bin
from headless import HeadlessTest, PASSPHRASE

HOST = "git.example.com"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


class FileStoreDurability(HeadlessTest):

    def test_fifty_parallel_writers_lose_nothing(self):
        self.unlock()
        for i in range(25):
            self.assertEqual(self.store(f"erase{i}.example", "u", f"old-{i}").returncode, 0)
        procs = []
        for i in range(50):
            p = self.popen(["store"])
            procs.append((p, f"protocol=https\nhost=keep{i}.example\nusername=u{i}\n"
                             f"password=tok-{i}\n\n"))
        for i in range(25):
            p = self.popen(["erase"])
            procs.append((p, f"protocol=https\nhost=erase{i}.example\n\n"))
        for p, text in procs:
            p.stdin.write(text)
            p.stdin.close()
        for p, _ in procs:
            self.assertEqual(p.wait(120), 0, p.stderr.read())
            p.stdout.close()
            p.stderr.close()
        status = self.sb.helper("status", input="")
        self.assertEqual(status.returncode, 0, status.stderr)
        for i in range(50):
            cred, proc = self.get(f"keep{i}.example")
            self.assertEqual(cred.get("password"), f"tok-{i}", proc.stderr)
            self.assertIn(f"keep{i}.example", status.stdout)
        self.assertNotIn("erase", status.stdout)
        self.assertEqual(len(status.stdout.splitlines()), 51, status.stdout)
        leftovers = [p for p in os.listdir(self.store_dir) if ".tmp-" in p]
        self.assertEqual(leftovers, [])

    def test_writer_killed_before_rename_leaves_the_old_content(self):
        self.unlock()
        self.assertEqual(self.store(HOST, "alice", "tok-old").returncode, 0)
        before = self.store_file.read_bytes()
        marker = self.sb.root / "paused"
        p = self.popen(["store"], env={"PATROL_TEST_PAUSE_BEFORE_RENAME": str(marker)},
                       binary=patrol_bin(test_hooks=True))
        p.stdin.write(f"protocol=https\nhost=new.example\nusername=bob\npassword=tok-new\n\n")
        p.stdin.close()
        self.assertTrue(self.wait_until_paused(p, marker), "the writer never reached the rename")
        p.send_signal(signal.SIGKILL)
        p.wait(10)
        p.stdout.close()
        p.stderr.close()
        self.assertEqual(self.store_file.read_bytes(), before)
        self.assertEqual(self.get(HOST)[0].get("password"), "tok-old")
        self.assertEqual(self.get("new.example")[0], {})
        # The lock died with the writer: the next write goes through.
        self.assertEqual(self.store("new.example", "bob", "tok-new").returncode, 0)
        self.assertEqual(self.get("new.example")[0].get("password"), "tok-new")
        self.assertEqual(self.get(HOST)[0].get("password"), "tok-old")

    def wait_until_paused(self, p, marker):
        """Waits for the writer to stand at its hook (marker appears) or to end without
        reaching it; says which."""
        while not marker.exists() and p.poll() is None:
            time.sleep(0.01)
        return marker.exists()

    def test_one_store_syncs_the_file_renames_it_then_syncs_the_directory(self):
        # A kill cannot show a missing fsync (the page cache survives SIGKILL), so the
        # write's system calls are read instead: the data must be on disk before the rename
        # makes it the file, and the rename on disk before the store says done.
        if self.sb.run(["strace", "-qq", "-o", "/dev/null", "true"]).returncode != 0:
            self.skipTest("strace cannot trace here (ptrace is not permitted)")
        self.unlock()
        log = self.sb.root / "strace.log"
        proc = self.sb.run(
            ["strace", "-f", "-y", "-qq", "-o", str(log),
             "-e", "trace=fsync,fdatasync,rename,renameat,renameat2",
             "git", "credential", "approve"],
            input=f"protocol=https\nhost={HOST}\nusername=alice\npassword=tok-1\n\n")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.get(HOST)[0].get("password"), "tok-1")
        target = os.path.realpath(self.store_file)
        directory = os.path.dirname(target)
        calls = []
        for line in log.read_text().splitlines():
            match = re.match(r"^\d+ +(\w+)\((.*)\) += (-?\d+)", line)
            if match:
                calls.append((match[1], match[2], int(match[3])))
        syncs = [(i, args) for i, (name, args, rc) in enumerate(calls)
                 if name in ("fsync", "fdatasync") and rc == 0]
        renames = [i for i, (name, args, rc) in enumerate(calls)
                   if name.startswith("rename") and rc == 0
                   and re.search(re.escape(target) + r'\.tmp-\d+", .*"' + re.escape(target) + '"',
                                 args)]
        self.assertEqual(len(renames), 1, calls)
        renamed = renames[0]
        temporary_synced = [i for i, args in syncs if re.search(
            "<" + re.escape(target) + r"\.tmp-\d+>", args)]
        directory_synced = [i for i, args in syncs if args.endswith("<" + directory + ">")]
        self.assertTrue(temporary_synced and temporary_synced[0] < renamed,
                        f"the temporary file is not synced before the rename: {calls}")
        self.assertTrue(directory_synced and directory_synced[-1] > renamed,
                        f"the directory is not synced after the rename: {calls}")

    def hold_store_lock(self):
        """Takes the file store's lock as another writer would; returns its descriptor."""
        fd = os.open(f"{self.store_file}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        self.addCleanup(os.close, fd)
        fcntl.flock(fd, fcntl.LOCK_EX)
        return fd

    def test_a_writer_waits_for_the_held_lock_then_gives_up_with_one_line(self):
        self.unlock()
        self.assertEqual(self.store(HOST, "alice", "tok-old").returncode, 0)
        before = self.store_file.read_bytes()
        self.hold_store_lock()
        marker = self.sb.root / "waiting"
        p = self.popen(["store"], binary=patrol_bin(test_hooks=True),
                       env={"PATROL_TEST_PAUSE_ON_HELD_LOCK": str(marker),
                            "PATROL_TEST_LOCK_PATIENCE_MS": "100"})
        p.stdin.write("protocol=https\nhost=new.example\nusername=bob\npassword=tok-new\n\n")
        p.stdin.close()
        self.assertTrue(self.wait_until_paused(p, marker), "the writer did not meet the lock")
        # Let it go on: its wait runs out while the lock is still held here.
        marker.unlink()
        p.wait(60)
        stderr = p.stderr.read()
        p.stdout.close()
        p.stderr.close()
        self.assertEqual(p.returncode, 1)
        self.assertEqual(self.assertOneErrorLine(stderr),
                         f"git-credential-patrol: error: another git-credential-patrol process "
                         f"has held {self.store_file}.lock for too long; try again")
        self.assertEqual(self.store_file.read_bytes(), before)

    def test_a_writer_that_meets_the_held_lock_goes_on_once_it_is_released(self):
        self.unlock()
        self.assertEqual(self.store(HOST, "alice", "tok-old").returncode, 0)
        fd = self.hold_store_lock()
        marker = self.sb.root / "waiting"
        p = self.popen(["store"], binary=patrol_bin(test_hooks=True),
                       env={"PATROL_TEST_PAUSE_ON_HELD_LOCK": str(marker)})
        p.stdin.write("protocol=https\nhost=new.example\nusername=bob\npassword=tok-new\n\n")
        p.stdin.close()
        self.assertTrue(self.wait_until_paused(p, marker), "the writer did not meet the lock")
        self.assertEqual(self.get("new.example")[0], {}, "written while the lock was held")
        fcntl.flock(fd, fcntl.LOCK_UN)
        marker.unlink()
        p.wait(60)
        stderr = p.stderr.read()
        p.stdout.close()
        p.stderr.close()
        self.assertEqual(p.returncode, 0, stderr)
        self.assertEqual(self.get("new.example")[0].get("password"), "tok-new")
        self.assertEqual(self.get(HOST)[0].get("password"), "tok-old")

    def test_writers_killed_at_random_points_leave_old_or_new(self):
        self.unlock()
        self.assertEqual(self.store(HOST, "alice", "tok-keep").returncode, 0)
        rng = random.Random(4)
        for i in range(15):
            p = self.popen(["store"])
            p.stdin.write(f"protocol=https\nhost=k{i}.example\nusername=u\npassword=t{i}\n\n")
            p.stdin.close()
            time.sleep(rng.uniform(0, 0.03))
            p.send_signal(signal.SIGKILL)
            p.wait(10)
            p.stdout.close()
            p.stderr.close()
            cred, proc = self.get(HOST)
            self.assertEqual(cred.get("password"), "tok-keep", f"round {i}: {proc.stderr}")
            got = self.get(f"k{i}.example")[0].get("password")
            self.assertIn(got, (None, f"t{i}"))

    def test_wrong_passphrase_is_a_clear_error_and_changes_nothing(self):
        self.assertEqual(self.store(HOST, "alice", "tok-1", env=self.with_passphrase()).returncode, 0)
        self.assertEqual(self.sb.helper("lock", input="").returncode, 0)
        before = self.store_file.read_bytes()
        wrong = self.sb.root / "wrong"
        wrong.write_text("not it\n")
        wrong.chmod(0o600)
        cred, proc = self.get(HOST, env=self.with_passphrase(wrong))
        self.assertEqual(proc.returncode, 0)
        self.assertEqual(cred, {})
        line = self.assertOneErrorLine(proc.stderr)
        self.assertIn("wrong passphrase", line)
        proc = self.store("other.example", "bob", "tok-2", env=self.with_passphrase(wrong))
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("wrong passphrase", proc.stderr)
        proc = self.op("erase", env=self.with_passphrase(wrong), protocol="https", host=HOST)
        self.assertIn("wrong passphrase", proc.stderr)
        self.assertEqual(self.store_file.read_bytes(), before)
        self.assertEqual(self.get(HOST, env=self.with_passphrase())[0]["password"], "tok-1")

    def check_damaged(self, damage):
        self.unlock()
        self.assertEqual(self.store(HOST, "alice", "tok-1").returncode, 0)
        damage(self.store_file)
        damaged = self.store_file.read_bytes()
        askpass, asked = self.sb.askpass("alice", "from-askpass")
        cred, proc = self.sb.fill({"protocol": "https", "host": HOST}, env={"GIT_ASKPASS": askpass})
        self.assertEqual(cred.get("password"), "from-askpass")
        line = self.assertOneErrorLine(proc.stderr)
        self.assertIn("damaged", line)
        self.assertEqual(self.store_file.read_bytes(), damaged)

        proc = self.store("b.example", "bob", "tok-b")
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("moved to", proc.stderr)
        backups = [p for p in os.listdir(self.store_dir) if p.startswith("credentials.enc.corrupt-")]
        self.assertEqual(len(backups), 1, os.listdir(self.store_dir))
        self.assertEqual((self.store_dir / backups[0]).read_bytes(), damaged)
        # Starting afresh needs the passphrase again: the old key belonged to the old file.
        proc = self.store("b.example", "bob", "tok-b", env=self.with_passphrase())
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.get("b.example")[0]["password"], "tok-b")

    def test_truncated_file(self):
        self.check_damaged(lambda f: f.write_bytes(f.read_bytes()[:100]))

    def test_corrupted_ciphertext(self):
        def flip(f):
            data = bytearray(f.read_bytes())
            # Inside the sealed credential on the line after the header, past its tag.
            at = data.index(b"\n") + 1 + 45 + 20
            data[at] = ord("A") if data[at] != ord("A") else ord("B")
            f.write_bytes(bytes(data))
        self.check_damaged(flip)

    def test_file_open_to_others_is_refused(self):
        self.unlock()
        self.assertEqual(self.store(HOST, "alice", "tok-1").returncode, 0)
        self.store_file.chmod(0o644)
        before = self.store_file.read_bytes()
        cred, proc = self.get(HOST)
        self.assertEqual(cred, {})
        self.assertIn("chmod 600", self.assertOneErrorLine(proc.stderr))
        self.assertNotEqual(self.store("b.example", "bob", "t").returncode, 0)
        self.assertEqual(self.store_file.read_bytes(), before)
        self.assertEqual(self.store_file.stat().st_mode & 0o777, 0o644)

    def test_full_disk_is_a_clear_error_and_keeps_the_old_content(self):
        mount = self.sb.root / "small"
        mount.mkdir(mode=0o700)
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs",
                               str(mount)], capture_output=True, text=True)
        if proc.returncode != 0:
            self.skipTest(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
        self.addCleanup(subprocess.run, ["umount", "-l", str(mount)], capture_output=True)
        path = mount / "credentials.enc"
        env = {"PATROL_FILE_PATH": str(path), **self.with_passphrase()}
        self.assertEqual(self.store(HOST, "alice", "tok-1", env=env).returncode, 0)
        before = path.read_bytes()
        fd = os.open(mount / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while os.write(fd, b"\0" * 1024) > 0:
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        proc = self.store("big.example", "bob", "x" * 30000, env=env)
        self.assertNotEqual(proc.returncode, 0)
        line = self.assertOneErrorLine(proc.stderr)
        self.assertIn("no space left", line)
        self.assertIn("previous content is kept", line)
        self.assertNotIn("x" * 100, line)
        self.assertEqual(path.read_bytes(), before)
        self.assertEqual([p for p in os.listdir(mount) if ".tmp-" in p], [])
        self.assertEqual(self.get(HOST, env=env)[0]["password"], "tok-1")


class FileStoreUnlock(HeadlessTest):

    def test_locked_without_a_terminal_says_how_and_git_falls_through(self):
        self.assertEqual(self.store(HOST, "alice", "tok-1", env=self.with_passphrase()).returncode, 0)
        self.assertEqual(self.sb.helper("lock", input="").returncode, 0)
        askpass, asked = self.sb.askpass("alice", "from-askpass")
        # No terminal to ask on: patrol says so at once and git goes on to its askpass.
        proc = self.no_tty_run(["git", "credential", "fill"],
                               f"protocol=https\nhost={HOST}\n\n", env={"GIT_ASKPASS": askpass})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(parse_credential(proc.stdout)["password"], "from-askpass")
        line = self.assertOneErrorLine(proc.stderr)
        self.assertIn("locked", line)
        self.assertIn("git credential-patrol unlock", line)
        self.assertIn("patrol.filePassphraseFile", line)

        proc = self.no_tty_run([self.sb.patrol, "unlock"], "")
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("locked", self.assertOneErrorLine(proc.stderr))

    def test_unlocked_once_for_the_session_then_no_passphrase_needed(self):
        proc = self.unlock()
        self.assertIn("created", proc.stderr)
        self.assertIn("8h", proc.stderr)
        self.assertEqual(self.store_file.stat().st_mode & 0o777, 0o600)
        self.assertEqual(self.store_dir.stat().st_mode & 0o777, 0o700)
        self.assertEqual(self.store(HOST, "alice", "tok-1").returncode, 0)
        self.assertEqual(self.get(HOST)[0]["password"], "tok-1")
        # The key lives in this test's session keyring, with a timeout, under patrol's name.
        keys = subprocess.run(["keyctl", "show", "@s"], capture_output=True, text=True).stdout
        self.assertIn(f"git-credential-patrol:file:{self.store_file}", keys)
        self.assertNotIn(PASSPHRASE, keys)
        self.assertEqual(self.sb.helper("lock", input="").returncode, 0)
        cred, proc = self.get(HOST)
        self.assertEqual(cred, {})
        self.assertIn("locked", proc.stderr)

    def unlocked_key_timeout(self):
        """The time left on this test's key as /proc/keys shows it ("perm", "59m", "1h"...).
        Only this file's key: /proc/keys also lists keys of earlier tests' sessions that the
        kernel has not collected yet."""
        for line in Path("/proc/keys").read_text().splitlines():
            if f"git-credential-patrol:file:{self.store_file}:" in line:
                return line.split()[3]
        return None

    def test_unlock_timeout_from_configuration(self):
        # The setting reaches the kernel key (not the 8h default, not "perm").
        self.sb.git("config", "--global", "patrol.fileUnlockTimeout", "2h")
        self.unlock()
        self.assertIn(self.unlocked_key_timeout(), ("1h", "2h"))
        self.assertEqual(self.store(HOST, "alice", "tok-1").returncode, 0)
        # And the key goes away when it runs out: the test waits for the kernel to expire
        # it (or collect it), then checks that a get finds the file locked.
        self.assertEqual(self.sb.helper("lock", input="").returncode, 0)
        self.sb.git("config", "--global", "patrol.fileUnlockTimeout", "1s")
        self.unlock()
        while self.unlocked_key_timeout() not in (None, "expd"):
            time.sleep(0.05)
        cred, proc = self.get(HOST)
        self.assertEqual(cred, {})
        self.assertIn("locked", proc.stderr)

    def test_systemd_credential_unlocks(self):
        creds = self.sb.root / "creds"
        creds.mkdir(mode=0o700)
        (creds / "patrol-passphrase").write_text(PASSPHRASE)
        (creds / "patrol-passphrase").chmod(0o400)  # as systemd leaves it
        self.sb.git("config", "--global", "patrol.fileCredential", "patrol-passphrase")
        env = {"CREDENTIALS_DIRECTORY": str(creds)}
        self.assertEqual(self.store(HOST, "alice", "tok-1", env=env).returncode, 0)
        self.assertEqual(self.sb.helper("lock", input="").returncode, 0)
        self.assertEqual(self.get(HOST, env=env)[0]["password"], "tok-1")
        # Same passphrase as the passphrase file: the two ways open the same file.
        self.sb.helper("lock", input="")
        self.assertEqual(self.get(HOST, env=self.with_passphrase())[0]["password"], "tok-1")

    def test_no_passphrase_anywhere_writes_nothing_and_says_how(self):
        proc = self.store(HOST, "alice", "tok-1")
        self.assertEqual(len(proc.stderr.splitlines()), 1, proc.stderr)
        self.assertIn("git credential-patrol unlock", proc.stderr)
        self.assertNotIn("tok-1", proc.stderr)
        self.assertFalse(self.store_dir.exists())


def fill_bytes(sb, request, env=None):
    """`git credential fill` with a bytes request; the answer's key=value lines as bytes."""
    proc = sb.git("credential", "fill", input=request, env=env, check=False)
    answer = dict(line.split(b"=", 1) for line in proc.stdout.splitlines() if b"=" in line)
    return answer, proc


class FileStoreBytes(HeadlessTest):

    def test_values_that_are_not_utf8_come_back_byte_for_byte_through_git(self):
        self.unlock()
        for user, password in ((b"u\xfe", b"p\xe9ss\xff"), (b"u\xff", b"other\xfe")):
            proc = self.sb.git("credential", "approve", check=False,
                               input=b"protocol=https\nhost=" + HOST.encode() + b"\nusername=" +
                               user + b"\npassword=" + password + b"\n\n")
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertEqual(proc.stderr, b"")
        for user, password in ((b"u\xfe", b"p\xe9ss\xff"), (b"u\xff", b"other\xfe")):
            answer, proc = fill_bytes(self.sb, b"protocol=https\nhost=" + HOST.encode() +
                                      b"\nusername=" + user + b"\n\n")
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertEqual(answer[b"username"], user)
            self.assertEqual(answer[b"password"], password)  # no U+FFFD, the same bytes
        # Two users, not one collapsed into the other; JSON (Unicode only) shows U+FFFD.
        self.assertEqual(self.sb.helper("status").stdout.count(HOST.encode()), 2)
        for command in (["status", "--json"], ["check", "--json"]):
            proc = self.sb.helper(*command)
            # git.example.com is no known forge: check calls its tokens unchecked (3).
            self.assertEqual(proc.returncode, 3 if command[0] == "check" else 0, proc.stderr)
            users = sorted(r.get("username") for r in json.loads(proc.stdout))
            self.assertEqual(users, ["u\ufffd", "u\ufffd"], command)


def file_version(text):
    """The format version of a credential file's text: a JSON envelope (1 and 2) or
    version 3's header line."""
    if text.startswith("{"):
        return json.loads(text)["version"]
    return int(re.match(r"git-credential-patrol-file version=(\d+) ", text).group(1))


class FileStoreHeader(HeadlessTest):

    def set_number(self, text, field, value):
        header, rest = text.split("\n", 1)
        changed = re.sub(rf" {field}=\d+", f" {field}={value}", header, count=1)
        self.assertNotEqual(changed, header)
        return changed + "\n" + rest

    def test_a_changed_scrypt_parameter_is_damage_even_with_the_key_cached(self):
        self.unlock()  # the data key is in the session keyring from here on
        self.assertEqual(self.store(HOST, "alice", "tok-1").returncode, 0)
        good = self.store_file.read_text()
        self.assertEqual(file_version(good), 3)
        for n in (65536, 2):
            changed = self.set_number(good, "n", n)
            self.store_file.write_text(changed)
            cred, proc = self.get(HOST)
            self.assertEqual(cred, {}, f"n={n}")
            line = self.assertOneErrorLine(proc.stderr, f"n={n}")
            self.assertIn("damaged", line)
            if n == 2:
                self.assertIn("weaker than n=32768", line)
            self.assertEqual(self.store_file.read_text(), changed, "never written back")
        # A store moves the changed file aside instead of writing it back with n=2.
        proc = self.store("b.example", "bob", "tok-b")
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("moved to", proc.stderr)
        backup, = [p for p in self.store_dir.iterdir() if ".corrupt-" in p.name]
        self.assertEqual(backup.read_text(), self.set_number(good, "n", 2))
        # Put back as it was, the file opens with its own passphrase.
        self.store_file.write_text(good)
        self.store_file.chmod(0o600)
        self.assertEqual(self.sb.helper("lock", input="").returncode, 0)
        self.assertEqual(self.get(HOST, env=self.with_passphrase())[0]["password"], "tok-1")

    def test_a_libgcrypt_that_does_not_load_leaves_the_file_alone(self):
        # The file's key is kept from the unlock, so nothing asks for scrypt first: the
        # library fails only when the payload is opened. That is no damage: the file stays
        # where it is, and the line names the package to install.
        self.unlock()
        self.assertEqual(self.store(HOST, "alice", "tok-1").returncode, 0)
        before = self.store_file.read_bytes()
        broken = self.sb.root / "broken-libs"
        broken.mkdir()
        (broken / "libgcrypt.so.20").write_text("not a library\n")
        without = {"LD_LIBRARY_PATH": str(broken)}
        for proc in (self.get(HOST, env=without)[1], self.store("b.example", "bob", "tok-b", env=without),
                     self.sb.helper("status", input="", env=without)):
            with self.subTest(argv=proc.args):
                line = self.assertOneErrorLine(proc.stderr)
                self.assertIn("libgcrypt.so.20", line)
                self.assertIn("libgcrypt20", line)
                self.assertNotIn("damaged", line)
        self.assertEqual([p.name for p in self.store_dir.iterdir() if ".corrupt-" in p.name], [])
        self.assertEqual(self.store_file.read_bytes(), before)
        self.assertEqual(self.get(HOST)[0].get("password"), "tok-1")

    def test_version_1_and_2_files_are_read_then_rewritten_as_version_3(self):
        for version in (1, 2):
            with self.subTest(version=version):
                self.store_dir.mkdir(parents=True, mode=0o700, exist_ok=True)
                self.store_file.write_bytes((FIXTURES / f"file_store_v{version}.enc").read_bytes())
                self.store_file.chmod(0o600)
                cred, proc = self.sb.fill({"protocol": "https", "host": HOST},
                                          env=self.with_passphrase())
                self.assertEqual(cred.get("password"), f"tok-v{version}", proc.stderr)
                self.assertEqual(file_version(self.store_file.read_text()), version,
                                 "get never writes")
                proc = self.sb.credential("approve", {"protocol": "https", "host": "new.example",
                                                      "username": "bob", "password": "tok-new"},
                                          env=self.with_passphrase())
                self.assertEqual(proc.returncode, 0, proc.stderr)
                text = self.store_file.read_text()
                self.assertEqual(file_version(text), 3)
                self.assertIn(" n=32768 r=8 p=1 ", text.split("\n")[0])
                self.assertEqual(len(text.splitlines()), 1 + 3, "a header and three records")
                self.assertNotIn("example", text)
                self.assertEqual(self.sb.helper("lock", input="").returncode, 0)
                for host, user, password in ((HOST, "alice", f"tok-v{version}"),
                                             ("new.example", "bob", "tok-new"),
                                             ("oauth.example.com", "oauth2", f"access-v{version}")):
                    cred, proc = self.sb.fill({"protocol": "https", "host": host},
                                              env=self.with_passphrase())
                    self.assertEqual((cred.get("username"), cred.get("password")),
                                     (user, password), proc.stderr)

    def test_unlock_upgrades_version_1_and_2_files_and_keeps_the_key(self):
        for version in (1, 2):
            with self.subTest(version=version):
                self.store_dir.mkdir(parents=True, mode=0o700, exist_ok=True)
                self.store_file.write_bytes((FIXTURES / f"file_store_v{version}.enc").read_bytes())
                self.store_file.chmod(0o600)
                self.unlock()  # a key cached for the other fixture is not this file's
                self.assertEqual(file_version(self.store_file.read_text()), 3)
                # The key cached by unlock opens the upgraded file: no passphrase given.
                self.assertEqual(self.get(HOST)[0]["password"], f"tok-v{version}")


class FileStoreKeyAndPassphrase(HeadlessTest):

    def test_unlock_timeout_0_keeps_no_key(self):
        self.sb.git("config", "--global", "patrol.fileUnlockTimeout", "0")
        proc = self.unlock()
        self.assertIn("not kept", proc.stderr)
        # This file's key only: earlier tests' keys may linger until the kernel collects them.
        mine = f"git-credential-patrol:file:{self.store_file}:"
        self.assertNotIn(mine, Path("/proc/keys").read_text())
        self.assertEqual(self.store(HOST, "alice", "tok-1", env=self.with_passphrase()).returncode, 0)
        self.assertEqual(self.get(HOST, env=self.with_passphrase())[0]["password"], "tok-1")
        self.assertNotIn(mine, Path("/proc/keys").read_text())
        cred, proc = self.get(HOST)
        self.assertEqual(cred, {})
        self.assertIn("locked", self.assertOneErrorLine(proc.stderr))

    def test_a_passphrase_file_others_may_read_is_refused(self):
        self.passphrase_file.chmod(0o644)
        proc = self.store(HOST, "alice", "tok-0", env=self.with_passphrase())
        self.assertNotEqual(proc.returncode, 0)
        line = self.assertOneErrorLine(proc.stderr)
        self.assertIn("refusing the passphrase file", line)
        self.assertIn("0644", line)
        self.assertIn("chmod 600", line)
        self.assertNotIn(PASSPHRASE, line)
        self.assertFalse(self.store_file.exists())
        # An existing, locked file: through git, one line, and git goes on to ask.
        self.passphrase_file.chmod(0o600)
        self.assertEqual(self.store(HOST, "alice", "tok-1", env=self.with_passphrase()).returncode, 0)
        self.assertEqual(self.sb.helper("lock", input="").returncode, 0)
        self.passphrase_file.chmod(0o640)
        askpass, _ = self.sb.askpass("alice", "from-askpass")
        cred, proc = self.sb.fill({"protocol": "https", "host": HOST},
                                  env={"GIT_ASKPASS": askpass, **self.with_passphrase()})
        self.assertEqual(cred.get("password"), "from-askpass")
        self.assertIn("refusing the passphrase file", self.assertOneErrorLine(proc.stderr))
        self.passphrase_file.chmod(0o400)
        self.assertEqual(self.get(HOST, env=self.with_passphrase())[0]["password"], "tok-1")


if __name__ == "__main__":
    unittest.main()
