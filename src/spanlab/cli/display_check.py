"""Explain missing Linux system libraries before Qt aborts with a cryptic message.

Qt 6.5+ needs libxcb-cursor0 for its xcb platform, and minimal systems also lack
libxcb-icccm4 and libxcb-keysyms1. Without them Qt prints "Could not load the Qt
platform plugin xcb" and aborts; we check first and name the packages instead.
"""

from __future__ import annotations

import ctypes.util
import os
import sys
from collections.abc import Callable, Mapping

# shared library name (as find_library spells it) -> Debian/Ubuntu package
XCB_LIBRARIES: dict[str, str] = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
}


def missing_display_packages(
    *,
    platform: str = sys.platform,
    environ: Mapping[str, str] | None = None,
    find_library: Callable[[str], str | None] = ctypes.util.find_library,
) -> list[str]:
    """Debian package names whose libraries Qt's xcb platform needs but cannot find."""
    env = os.environ if environ is None else environ
    if not platform.startswith("linux"):
        return []
    qpa = env.get("QT_QPA_PLATFORM", "")
    if qpa and not qpa.startswith("xcb"):
        return []  # offscreen, wayland, vnc ... do not need xcb
    if not qpa and not env.get("DISPLAY") and env.get("WAYLAND_DISPLAY"):
        return []
    return [package for lib, package in XCB_LIBRARIES.items() if find_library(lib) is None]


def display_advice(packages: list[str]) -> str:
    """One readable instruction naming the packages to install."""
    return (
        "SpanLab cannot open a window: Qt needs system libraries that are not installed "
        f"({', '.join(packages)}). On Debian/Ubuntu run: sudo apt install {' '.join(packages)}"
    )
