"""`make bench`: run every bench/bench_*.py, print a table, update bench/results.json."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import platform
import sys
from pathlib import Path

from daemon import log

HERE = Path(__file__).parent


def load(path: Path):  # noqa: ANN201 a module object
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def main() -> int:
    log.configure("warning")
    only = set(sys.argv[1:])
    results: dict[str, dict[str, float]] = {}
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if only and name not in only:
            continue
        print(f"running {name} ...", flush=True)
        results[name] = asyncio.run(load(path).main())
    width = max((len(key) for figures in results.values() for key in figures), default=10)
    print()
    for name, figures in results.items():
        print(f"[{name}]")
        for key, value in figures.items():
            print(f"  {key:<{width}}  {value}")
    machine = {"python": platform.python_version(), "machine": platform.machine()}
    # A partial run (`run.py NAME`) updates its own figures and keeps the others, those of
    # benchmarks that still exist.
    path = HERE / "results.json"
    kept = json.loads(path.read_text()) if path.exists() else {}
    kept = {name: figures for name, figures in kept.items() if (HERE / f"bench_{name}.py").exists()}
    path.write_text(json.dumps({**kept, "machine": machine, **results}, indent=2))
    print(f"\nwrote {HERE / 'results.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
