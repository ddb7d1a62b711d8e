"""Where a submission's code runs: a bubblewrap sandbox around its kernel, on Linux.

The kernel (the student's code), not nbgrader, is what runs inside: nbgrader stays outside and alone
writes the gradebook. One sandbox holds one student's kernels (forked one notebook at a time from
that student's zygote, :mod:`classroom.zygote`), never two students'. Inside, the kernel sees a
read-only system (``/usr``, a few files of ``/etc``), Python and the project (read-only), an empty
``/tmp`` of its own, and one writable folder, its scratch folder, which is also its home, its
temporary folder and its models folder. It has no network (a network namespace of its own: no
interface but an unconfigured loopback), no process but its own student's (a PID namespace) and runs
as an unprivileged user. The course folder (gradebook, source notebooks), the grader's home and
every other file are not there at all.

The kernel talks to nbgrader over Unix sockets (jupyter_client's ``ipc`` transport) in a folder
bound into the sandbox, since the two have no network in common.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from classroom.course import ROOT

SANDBOX_UID = 1000  # the user the kernel runs as, inside its own user namespace
# The few files of /etc that Python, fonts and TensorFlow read; not the rest of /etc.
ETC_FILES = ["passwd", "group", "nsswitch.conf", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime",
             "fonts", "mime.types", "matplotlibrc"]
# What a kernel needs of the project: the packages and the dataset (not models/, not .git, nor a
# folder of submissions a teacher may keep in the project).
PROJECT_PARTS = ["helpers", "classroom", "data"]
PROBE_TIMEOUT = 60  # seconds; the probe starts Python in the sandbox once


def bwrap() -> str | None:
    """The ``bwrap`` program (Debian package ``bubblewrap``), or None on a system without it."""
    return shutil.which("bwrap") if sys.platform.startswith("linux") else None


def readonly_paths() -> list[Path]:
    """What the kernel may read: the system's programs and libraries, Python, the project's packages and data."""
    paths = [Path("/usr"), Path(sys.base_prefix), Path(sys.prefix)]
    paths += [ROOT / name for name in PROJECT_PARTS] + [Path("/etc") / name for name in ETC_FILES]
    found: list[Path] = []
    for path in sorted({path.resolve() for path in paths if path.exists()}):
        if not any(path.is_relative_to(parent) for parent in found):
            found.append(path)
    return found


def _root_links() -> list[str]:
    """Arguments that recreate /bin, /lib, ... as the links to /usr they are on merged-/usr systems."""
    arguments = []
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        top = Path("/") / name
        if top.is_symlink():
            arguments += ["--symlink", os.readlink(top), str(top)]
        elif top.is_dir():
            arguments += ["--ro-bind", str(top), str(top)]
    return arguments


def command(scratch: Path, runtime: Path, argv: list[str], environment: dict[str, str]) -> list[str]:
    """The bwrap command that runs ``argv`` in the sandbox of one submission.

    ``scratch`` is its one writable folder (and working directory); ``runtime`` holds the
    connection file and the kernel's sockets (writable too: the kernel creates its sockets there).
    ``environment`` is all the kernel's environment (nothing else is passed in).
    """
    tool = bwrap()
    if tool is None:
        raise RuntimeError("bubblewrap (bwrap) is not installed: see notebooks/TEACHING.md")
    arguments = [tool, "--unshare-all", "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID),
                 "--die-with-parent", "--new-session", "--clearenv", "--proc", "/proc", "--dev", "/dev",
                 "--tmpfs", "/tmp", *_root_links()]
    for path in readonly_paths():
        arguments += ["--ro-bind", str(path), str(path)]
    for path in (scratch, runtime):
        arguments += ["--bind", str(path), str(path)]
    arguments += ["--remount-ro", "/", "--chdir", str(scratch)]
    for name, value in environment.items():
        arguments += ["--setenv", name, value]
    return [*arguments, *argv]


def unavailable() -> str | None:
    """None where the sandbox works here; else a sentence saying why not (checked by running Python in it)."""
    if not sys.platform.startswith("linux"):
        return f"the sandbox needs Linux (this is {sys.platform})"
    if bwrap() is None:
        return "bubblewrap is not installed (Debian and Ubuntu: sudo apt-get install bubblewrap)"
    scratch = Path(os.environ.get("TMPDIR") or "/tmp").resolve()
    probe = command(scratch, scratch, [sys.executable, "-c", "import helpers, classroom"], {"PATH": "/usr/bin"})
    try:
        result = subprocess.run(probe, capture_output=True, text=True, timeout=PROBE_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap could not start a sandbox ({error})"
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["no message"])[-1]
        return f"bubblewrap could not start a sandbox here ({reason})"
    return None
