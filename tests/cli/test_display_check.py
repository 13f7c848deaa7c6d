"""Missing xcb libraries are named instead of letting Qt abort."""

from __future__ import annotations

import pytest

from spanlab.cli import main
from spanlab.cli.display_check import display_advice, missing_display_packages


def test_all_missing_libraries_are_named() -> None:
    missing = missing_display_packages(
        platform="linux", environ={"DISPLAY": ":0"}, find_library=lambda name: None
    )
    assert missing == ["libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0"]
    assert "sudo apt install libxcb-cursor0" in display_advice(missing)


def test_only_the_missing_ones_are_named() -> None:
    present = {"xcb-icccm", "xcb-keysyms", "xkbcommon-x11"}
    missing = missing_display_packages(
        platform="linux",
        environ={"DISPLAY": ":0"},
        find_library=lambda name: f"lib{name}.so" if name in present else None,
    )
    assert missing == ["libxcb-cursor0"]


@pytest.mark.parametrize(
    ("platform", "environ"),
    [
        ("linux", {"QT_QPA_PLATFORM": "offscreen"}),
        ("linux", {"WAYLAND_DISPLAY": "wayland-0"}),
        ("darwin", {}),
        ("win32", {}),
    ],
)
def test_no_check_where_xcb_is_not_used(platform: str, environ: dict[str, str]) -> None:
    assert (
        missing_display_packages(platform=platform, environ=environ, find_library=lambda n: None)
        == []
    )


def test_gui_command_reports_missing_packages(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from spanlab.cli import commands

    monkeypatch.setattr(commands, "missing_display_packages", lambda: ["libxcb-cursor0"])
    assert main(["gui"]) == 1
    err = capsys.readouterr().err
    assert "sudo apt install libxcb-cursor0" in err
    assert err.count("\n") == 1
