"""A real headless Chromium from the distribution's packages, driven through chromedriver.

The set-up installs both (``apt-get install chromium chromium-driver``) when they are missing
and the tests run as root, as in CI; otherwise the tests that need them are skipped, saying
why. Selenium calls block, so the async tests run them in a thread while the daemon's loop
keeps serving the page.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.wait import WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
)

INSTALL_LOCK = Path(tempfile.gettempdir()) / "ttsync-tests-chromium.lock"


def ensure_chromium() -> None:
    """Install Chromium and its driver from the distribution when missing (root only)."""
    if CHROMIUM.exists() and CHROMEDRIVER.exists():
        return
    if os.geteuid() != 0:
        pytest.skip(
            f"{CHROMIUM} or {CHROMEDRIVER} is missing and the tests do not run as root to "
            "install them: apt-get install chromium chromium-driver"
        )
    # Test workers running side by side (pytest-xdist) install once: the others wait here.
    with INSTALL_LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if CHROMIUM.exists() and CHROMEDRIVER.exists():
            return
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, timeout=600)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "chromium", "chromium-driver"],
            check=True,
            env=env,
            timeout=840,
        )


class Browser:
    """One Chromium, its calls made off the event loop."""

    def __init__(self, driver: webdriver.Chrome) -> None:
        self.driver = driver

    async def get(self, url: str) -> None:
        await asyncio.to_thread(self.driver.get, url)

    async def find(self, css: str) -> list[WebElement]:
        return await asyncio.to_thread(self.driver.find_elements, By.CSS_SELECTOR, css)

    async def text(self, css: str = "body") -> str:
        (element,) = await self.find(css)
        return str(await asyncio.to_thread(lambda: element.text))

    async def source(self) -> str:
        return str(await asyncio.to_thread(lambda: self.driver.page_source))

    async def submit(self, button: WebElement) -> None:
        """Click a form's button and wait for the page it leads to."""
        await self._leaving(button.click)

    async def submit_script(self, code: str, *args: Any) -> None:
        """Run a script that submits a form; wait for the page it leads to."""
        await self._leaving(lambda: self.driver.execute_script(code, *args))

    async def _leaving(self, action: Callable[[], object]) -> None:
        def act() -> None:
            page = self.driver.find_element(By.TAG_NAME, "html")

            def left(_: object) -> bool:
                try:
                    page.is_enabled()
                except WebDriverException:  # stale; or, mid-navigation, "not in the document"
                    return True
                return False

            action()
            WebDriverWait(self.driver, 10).until(left)
            WebDriverWait(self.driver, 10).until(
                lambda driver: driver.execute_script("return document.readyState") == "complete"
            )

        await asyncio.to_thread(act)

    async def type(self, element: WebElement, text: str) -> None:
        await asyncio.to_thread(element.send_keys, text)

    async def screenshot(self, path: Path) -> None:
        assert await asyncio.to_thread(self.driver.save_screenshot, str(path))

    async def forget_cookies(self) -> None:
        await asyncio.to_thread(self.driver.delete_all_cookies)


def chromium() -> Iterator[Browser]:
    """A headless Chromium for a whole test module (a fixture's body)."""
    ensure_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(20)
    try:
        yield Browser(driver)
    finally:
        driver.quit()
