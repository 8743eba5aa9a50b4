"""The Makefile's system packages step, run by make with a stand-in apt-get on the PATH that
records how it is called (and no chromium, chromedriver or Virtuoso, so the step installs)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_apt_waits_for_a_held_lock(tmp_path):
    """Another program holding the apt lock (unattended upgrades, another make) must not fail
    `make test` at once: every apt-get call waits for the lock (DPkg::Lock::Timeout)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls"
    fake = bin_dir / "apt-get"
    fake.write_text(f'#!/bin/sh\necho "$@" >> {calls}\n')
    fake.chmod(0o755)
    make = shutil.which("make")
    assert make, "make is not installed"
    result = subprocess.run([make, "-s", "-C", str(ROOT), "system-deps"], env={"PATH": str(bin_dir)},
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    lines = calls.read_text().splitlines()
    assert len(lines) == 2 and "update" in lines[0].split() and "install" in lines[1].split(), lines
    for line in lines:
        words = line.split()
        options = [words[i + 1] for i, word in enumerate(words[:-1]) if word == "-o"]
        timeouts = [option for option in options if option.startswith("DPkg::Lock::Timeout=")]
        assert len(timeouts) == 1, line
        assert int(timeouts[0].partition("=")[2]) >= 60, line
