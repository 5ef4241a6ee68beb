"""The C++ sources follow the checked-in .clang-format (one style: `T& x`, 100 columns), so
a change's diff shows its logic, not a reformatting."""

import os
import pathlib
import shutil
import subprocess
import unittest

SOURCE = pathlib.Path(os.environ["PATROL_SOURCE_DIR"])
FOLDERS = ["common", "store", "oauth", "helper", "tests", "bench", "fuzz"]


def sources():
    for folder in FOLDERS:
        root = SOURCE / folder
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.suffix in (".cpp", ".hpp") and "build" not in path.relative_to(SOURCE).parts:
                    yield path


class Format(unittest.TestCase):

    def test_every_source_follows_clang_format(self):
        clang_format = shutil.which("clang-format")
        self.assertIsNotNone(clang_format, "clang-format is not installed: scripts/install-deps")
        files = [str(path) for path in sources()]
        self.assertGreater(len(files), 100, "the source folders were not found")
        proc = subprocess.run([clang_format, "--dry-run", "--Werror", "--style=file", *files],
                              cwd=SOURCE, capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0,
                         "not formatted (run clang-format -i on these files):\n" +
                         "\n".join(sorted({line.split(":")[0] for line in
                                           proc.stderr.splitlines() if ": error:" in line})))


if __name__ == "__main__":
    unittest.main()
