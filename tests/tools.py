"""System tools that some tests need: poppler's pdftotext/pdfinfo/pdffonts, Chromium, redis-server.

One rule, in one place: a missing tool skips the test on a developer's machine and fails it in CI (`CI` or
`REQUIRE_BROWSER` set), where every tool must be there. Tests never call such a tool directly: they go through
`run_tool` (or `pdf_text`), which applies the rule at the moment of the call, so a test cannot forget the guard.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

PACKAGES = {
    "pdftotext": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "pdffonts": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "chromium": "chromium",
    "redis-server": "redis-server",
}


def tools_required() -> bool:
    return bool(os.environ.get("CI") or os.environ.get("REQUIRE_BROWSER"))


def missing(name: str, reason: str) -> None:
    """Skip the running test, or fail it where tools are required."""
    if tools_required():
        pytest.fail(f"{reason}: required in CI")
    pytest.skip(reason)


def require_tool(name: str) -> str:
    """The tool's path; skips (locally) or fails (CI) the running test when it is not installed."""
    path = name if os.path.isabs(name) and Path(name).exists() else shutil.which(name)
    if not path:
        package = PACKAGES.get(Path(name).name, Path(name).name)
        missing(name, f"{name} is not installed (apt-get install {package})")
    return path


def run_tool(name: str, *args: str, input: bytes | None = None) -> str:
    """Run a system tool through the rule above and return what it printed, as text."""
    path = require_tool(name)
    return subprocess.run([path, *args], input=input, capture_output=True, check=True).stdout.decode()


def pdf_text(pdf: bytes | Path, *options: str) -> str:
    """The text of a PDF (bytes or a file) as pdftotext lays it out."""
    if isinstance(pdf, bytes):
        return run_tool("pdftotext", "-layout", *options, "-", "-", input=pdf)
    return run_tool("pdftotext", "-layout", *options, str(pdf), "-")
