"""A headless Chromium for tests: the session-scoped ``browser`` fixture (a selenium WebDriver),
loaded as a plugin by conftest.py, and helpers for screenshots, the console log and phones (a
390 px screen emulated, the elements that reach past its right edge).

Debian's ``chromium`` and ``chromium-driver`` (``make system-deps``); no network beyond 127.0.0.1:
background networking, component updates and sync are off, and each session gets a fresh profile.
Screenshots go to ``tests/artifacts/`` (gitignored) through ``screenshot(driver, name)``.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
OPTIONS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
           "--window-size=1280,1000")


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium driven by selenium, shared by the session's browser tests."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium") or CHROMIUM
    driver_path = shutil.which("chromedriver") or CHROMEDRIVER
    if not Path(chromium).exists() or not Path(driver_path).exists():
        pytest.fail("Debian's chromium and chromium-driver are needed (make system-deps)")
    profile = tempfile.mkdtemp(prefix="kamergraph-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for option in OPTIONS:
        options.add_argument(option)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def screenshot(driver, name: str) -> Path:
    """Save a full-page screenshot of what the browser shows as tests/artifacts/NAME.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 6000)")
    driver.set_window_size(1280, max(800, int(height)))
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 1000)
    return path


def console_errors(driver) -> list[dict]:
    """Severe messages in the browser console since the last call (CSP violations, script errors)."""
    return [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]


# -- phones ----------------------------------------------------------------------------------------

PHONE = 390  # CSS pixels: the width of an iPhone 12 to 15


# Elements past the right edge of the viewport, or whose content (a long word of text) is, other
# than those inside a box that scrolls or clips on its own and itself fits: "tag#id.class right=N"
# for each, the first 10.
OVERFLOW_SCRIPT = """
var width = document.documentElement.clientWidth, found = [];
function fits(box) { return box.getBoundingClientRect().right <= width + 0.5; }
function describe(el) {
  return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\\s+/).join(".") : "");
}
document.querySelectorAll("body *").forEach(function (el) {
  var r = el.getBoundingClientRect(), right = r.right;
  if (getComputedStyle(el).overflowX === "visible" && el.scrollWidth > el.clientWidth) {
    right = Math.max(right, r.left + el.clientLeft + el.scrollWidth);  // its content sticks out
  }
  if ((r.width === 0 && r.height === 0) || right <= width + 0.5) { return; }
  for (var a = el.parentElement; a && a !== document.body; a = a.parentElement) {
    if (getComputedStyle(a).overflowX !== "visible" && fits(a)) { return; }
  }
  found.push(describe(el) + " right=" + Math.round(right));
});
return found.slice(0, 10);
"""


def emulate(browser, width: int, height: int = 844, mobile: bool = True) -> None:
    """Lay pages out for a screen of this size (a phone: mobile, PHONE wide); undone by
    ``browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})``."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})


def past_the_right_edge(driver) -> list[str]:
    """The elements of the page that reach past the right edge of the viewport."""
    return driver.execute_script(OVERFLOW_SCRIPT)
