"""Start `ttsync` processes fast, for tests that start the daemon many times.

Run as ``python -m tests.support.forkserver``: it imports the daemon once, then for each line
``LOG_PATH ARG...`` on stdin forks a child that runs ``daemon.cli.main(ARGS)`` (the same code
path as the ``ttsync`` console script) with stdout and stderr appended to LOG_PATH, and
answers the child's pid on stdout. Children are reaped automatically; a test kills them by pid
and sees them gone when ``os.kill(pid, 0)`` fails.

Only the interpreter start and the imports are shared (about 1.5 s per start otherwise): no
thread, event loop, socket or file of the daemon exists before the fork.
"""

from __future__ import annotations

import os
import signal
import sys

from daemon.cli import main


def serve() -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # no zombies: children reap themselves
    for line in sys.stdin:
        log_path, *args = line.split()
        pid = os.fork()
        if pid == 0:
            sys.stdin.close()
            sink = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            os.dup2(sink, 1)
            os.dup2(sink, 2)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            code = main(args)
            sys.stdout.flush()
            os._exit(code)
        sys.stdout.write(f"{pid}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
