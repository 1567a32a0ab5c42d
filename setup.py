"""The wheel carries the repository's config/, systemd/ and docs/ as daemon/data/ (read through
daemon/resources.py), so `ttsync demo` and the examples work from an installed wheel.
Everything else about the build is in pyproject.toml."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).parent
SHIPPED = ("config", "systemd", "docs")


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "daemon" / "data"
        for folder in SHIPPED:
            shutil.copytree(ROOT / folder, target / folder, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithData})
