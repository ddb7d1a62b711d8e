"""One student's kernels, started by forking: ``python -m classroom.zygote SOCKET``.

Every graded kernel imports TensorFlow and Keras first (several CPU seconds; most of a cut
notebook's cost). The grader therefore starts, for each student, one process in that student's
sandbox (:mod:`classroom.sandbox`) that imports them once and then waits on a Unix socket; each of
the student's notebooks gets a kernel forked from it, a fresh process that finds TensorFlow
already imported but nothing of the notebooks before it. The zygote itself never runs a
student's code, so each fork starts from the same clean state; a new student gets a new zygote in
a new sandbox, so nothing of one student reaches the next.

The graded kernel's command (:mod:`classroom.kernel`) asks for a kernel with one line of JSON,
``{"argv": [ipykernel's arguments]}``, passing its standard input, output and error along; the
zygote forks, answers ``{"exit": code}`` when that kernel ends, sends a signal on to it for a line
``{"signal": number}``, and kills it if the asking command goes away.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
from pathlib import Path

READY = "ready"
POLL_SECONDS = 0.1
START_TIMEOUT = 300  # seconds to import TensorFlow on a busy machine
SOCKET_NAME = "zygote"


def prepare() -> None:
    """Import what every notebook imports first, and cut training as the graded kernel does."""
    from ipykernel import kernelapp  # noqa: F401 - imported here, once, for every kernel

    from classroom.cut import cut_training

    cut_training()  # imports keras and tensorflow
    threads = int(next(line for line in open("/proc/self/status") if line.startswith("Threads:")).split()[1])
    if threads != 1:  # fork copies only the calling thread: a second one would leave its locks held
        raise RuntimeError(f"the zygote must have one thread before it forks, it has {threads}")


def run_kernel(argv: list[str], descriptors: list[int]) -> None:
    """In the forked child: take the asking command's standard streams and become an ipykernel."""
    for number, descriptor in enumerate(descriptors):
        os.dup2(descriptor, number)
        os.close(descriptor)
    from ipykernel.kernelapp import IPKernelApp

    sys.argv = ["ipykernel_launcher", *argv]
    code = 0
    try:
        IPKernelApp.launch_instance(argv=argv)
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:  # noqa: BLE001 - the child must never return into the zygote's loop
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


def supervise(connection: socket.socket, child: int) -> None:
    """Pass signals on to ``child`` until it ends, then answer its exit code; kill it if the asker goes."""
    buffer = b""
    while True:
        ended, status = os.waitpid(child, os.WNOHANG)
        if ended:
            code = os.waitstatus_to_exitcode(status)
            try:
                connection.sendall((json.dumps({"exit": code}) + "\n").encode())
            except OSError:
                pass
            return
        if select.select([connection], [], [], POLL_SECONDS)[0]:
            try:
                chunk = connection.recv(4096)
            except OSError:
                chunk = b""
            if not chunk:  # the asking command is gone (killed): its kernel goes too
                os.kill(child, signal.SIGKILL)
                os.waitpid(child, 0)
                return
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                number = json.loads(line).get("signal")
                if isinstance(number, int):
                    os.kill(child, number)


def serve(path: str) -> None:
    """Fork a kernel for each request on the Unix socket ``path``, one at a time."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen()
    print(READY, flush=True)
    os.dup2(2, 1)  # nothing else goes to the starter's pipe, which no one reads any more
    while True:
        connection, _ = server.accept()
        with connection:
            message, descriptors, _, _ = socket.recv_fds(connection, 65536, 3)
            request = json.loads(message.decode().strip() or "{}")
            child = os.fork()
            if child == 0:
                server.close()
                connection.close()
                run_kernel(request.get("argv", []), descriptors)
            for descriptor in descriptors:
                os.close(descriptor)
            supervise(connection, child)


def ask(path: str, argv: list[str]) -> int:
    """In the graded kernel's command: have the zygote at ``path`` fork a kernel; its exit code when it ends."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.connect(path)
    socket.send_fds(connection, [(json.dumps({"argv": argv}) + "\n").encode()], [0, 1, 2])

    def pass_on(number: int, _frame) -> None:
        connection.sendall((json.dumps({"signal": number}) + "\n").encode())

    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(number, pass_on)
    buffer = b""
    while True:
        try:
            chunk = connection.recv(4096)
        except InterruptedError:
            continue
        if not chunk:
            return 1  # the zygote ended (killed with its sandbox)
        buffer += chunk
        if b"\n" in buffer:
            return int(json.loads(buffer.split(b"\n", 1)[0])["exit"])


def start(scratch: Path, runtime: Path, sandboxed: bool) -> tuple[subprocess.Popen, Path]:
    """Start a student's zygote (in its sandbox unless not ``sandboxed``); (process, socket) once it is ready.

    ``scratch`` is the student's writable folder, ``runtime`` the folder of its kernels' connection
    files and sockets (each kernel's in a folder of its own below it). Raises RuntimeError if the
    zygote does not get ready (its kernels are then started anew, as without one).
    """
    from classroom import sandbox
    from classroom.kernel import kernel_environment

    for folder in (scratch / "tmp", scratch / "models", runtime):
        folder.mkdir(parents=True, exist_ok=True)
    path = runtime / SOCKET_NAME
    path.unlink(missing_ok=True)
    environment = {**kernel_environment(scratch), "NBGRADER_EXECUTION": "autograde"}
    command = [sys.executable, "-m", "classroom.zygote", str(path)]
    if sandboxed:
        command, environment = sandbox.command(scratch, runtime, command, environment), None
    else:
        environment = {**os.environ, **environment}
    process = subprocess.Popen(command, env=environment, cwd=scratch, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE)
    assert process.stdout
    ready = select.select([process.stdout], [], [], START_TIMEOUT)[0]
    if ready and process.stdout.readline().strip() == READY.encode():
        return process, path
    stop(process)
    raise RuntimeError("the zygote did not start")


def stop(process: subprocess.Popen) -> None:
    """End a zygote and its kernel (its sandbox goes with it)."""
    if process.poll() is None:
        process.kill()
    process.wait()
    if process.stdout:
        process.stdout.close()


def main(arguments: list[str]) -> None:
    if len(arguments) != 1:
        raise SystemExit("usage: python -m classroom.zygote SOCKET")
    prepare()
    serve(arguments[0])


if __name__ == "__main__":
    main(sys.argv[1:])
