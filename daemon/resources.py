"""Files ttsync ships beside its code: the example and demo configs, the carrier map, the
systemd units and the operations guide.

In a wheel they are package data under ``daemon/data/`` (copied there when the wheel is built,
see setup.py); in a checkout (or an editable install) they are the repository's own `config/`,
`systemd/` and `docs/`.
"""

from __future__ import annotations

from pathlib import Path

#: The repository folders a wheel carries, as ``daemon/data/<folder>``.
SHIPPED = ("config", "systemd", "docs")

_PACKAGED = Path(__file__).parent / "data"
_CHECKOUT = Path(__file__).parents[1]


def data_path(folder: str, name: str) -> Path:
    """The shipped file `folder`/`name` (`folder` is one of `SHIPPED`)."""
    if folder not in SHIPPED:
        raise ValueError(f"{folder!r} is not shipped; expected one of {SHIPPED}")
    packaged = _PACKAGED / folder / name
    return packaged if packaged.exists() else _CHECKOUT / folder / name
