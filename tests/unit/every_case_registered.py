#!/usr/bin/env python3
"""Every case the unit-test binary lists is one ctest entry of its own. ctest splits a
discovered name at ';' (and catch_discover_tests mangles some characters), so a case can
silently vanish from the run; this compares the binary's own list with ctest's.

usage: every_case_registered.py UNIT_BINARY BUILD_DIR"""

import subprocess
import sys


def main():
    binary, build = sys.argv[1], sys.argv[2]
    # Catch2 exits with the number of cases it listed, so the status is no error here.
    cases = subprocess.run([binary, "--list-test-names-only"], text=True,
                           capture_output=True).stdout.splitlines()
    cases = {name for name in cases if name.strip()}
    listed = subprocess.run(["ctest", "--test-dir", build, "-N", "-L", "unit"], check=True,
                            text=True, capture_output=True).stdout.splitlines()
    entries = set()
    for line in listed:
        _, sep, name = line.partition(": unit:")
        if sep:
            entries.add(name.strip())
    if not cases:
        print("the unit-test binary listed no cases", file=sys.stderr)
        return 1
    missing = sorted(case for case in cases if case.strip() not in entries)
    for case in missing:
        print(f"not a ctest entry of its own: {case!r}", file=sys.stderr)
    print(f"{len(cases)} cases, {len(entries)} unit entries, {len(missing)} missing")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
