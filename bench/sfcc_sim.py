"""The SFCC feeds simulator over a given disk, in its own process (the "remote" instance).

    python bench/sfcc_sim.py ROOT

Prints one JSON line (its base URL) when ready and runs until its standard input closes. A
separate process keeps the server's own work (and its buffering of a 100 MB answer) off the
measured process.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from daemon import log
from simulators.sfcc import SfccSimulator, SfccSimulatorConfig

ACCESS_KEY = "bench-sfcc-access-key"


async def main(root: Path) -> None:
    log.configure("warning")
    simulator = SfccSimulator(SfccSimulatorConfig(access_key=ACCESS_KEY, root=root))
    base_url = await simulator.start("127.0.0.1", 0)
    sys.stdout.write(json.dumps({"base_url": base_url}) + "\n")
    sys.stdout.flush()
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await simulator.stop()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
