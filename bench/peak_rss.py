"""Run a module as ``python -m`` would, then write this process's peak RSS to a file.

    python bench/peak_rss.py OUT_FILE MODULE [ARGS...]

The peak is the kernel's ``VmHWM`` of this process's own address space (``/proc/self/status``),
in kB. ``getrusage``'s ``ru_maxrss`` is not used: on Linux it also counts the parent's resident
set at the moment it forked us, so a benchmark process holding a big catalog would inflate it.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path


def peak_rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status (not Linux?)")


def main() -> None:
    out, module, *args = sys.argv[1:]
    sys.argv = [module, *args]
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    finally:
        Path(out).write_text(str(peak_rss_kb()))


if __name__ == "__main__":
    main()
