"""ttsync: keeps an e-commerce store and a TikTok Shop in step."""

from __future__ import annotations

__version__ = "0.1.0"
