"""SQLite project files on network file systems get a warning."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from spanlab.core.project import Project
from spanlab.core.team import netfs
from spanlab.core.team.netfs import mount_of, network_filesystem_warning

MOUNTS = """\
sysfs /sys sysfs rw,nosuid 0 0
/dev/sda1 / ext4 rw,relatime 0 0
server:/export /mnt/team nfs4 rw,vers=4.2 0 0
//nas/share /mnt/nas\\040drive cifs rw 0 0
alice@host:/home /mnt/ssh fuse.sshfs rw 0 0
/dev/sdb1 /mnt/team/local ext4 rw 0 0
"""


@pytest.fixture
def mounts(tmp_path: Path) -> Path:
    path = tmp_path / "mounts"
    path.write_text(MOUNTS, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("project", "fstype"),
    [
        ("/mnt/team/news.spanlab", "nfs4"),
        ("/mnt/nas drive/x/news.spanlab", "cifs"),
        ("/mnt/ssh/news.spanlab", "fuse.sshfs"),
    ],
)
def test_network_mounts_are_detected(mounts: Path, project: str, fstype: str) -> None:
    warning = network_filesystem_warning(project, mounts_file=mounts)
    assert warning is not None
    assert fstype in warning and "PostgreSQL" in warning and project in warning


@pytest.mark.parametrize(
    "project", ["/home/me/news.spanlab", "/mnt/team/local/news.spanlab", "/mnt/teamwork/x"]
)
def test_local_files_get_no_warning(mounts: Path, project: str) -> None:
    assert network_filesystem_warning(project, mounts_file=mounts) is None


def test_the_innermost_mount_wins(mounts: Path) -> None:
    assert mount_of("/mnt/team/local/a", mounts_file=mounts) == ("/mnt/team/local", "ext4")
    assert mount_of("/mnt/team", mounts_file=mounts) == ("/mnt/team", "nfs4")


def test_no_mount_table_means_no_warning(tmp_path: Path) -> None:
    assert network_filesystem_warning("/x/y", mounts_file=tmp_path / "absent") is None


def test_opening_a_project_on_a_network_drive_warns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    fake = tmp_path / "mounts"
    fake.write_text(f"/dev/sda1 / ext4 rw 0 0\nsrv:/x {tmp_path} nfs rw 0 0\n", encoding="utf-8")
    path = tmp_path / "shared.spanlab"
    Project.create(path).close()
    monkeypatch.setattr(netfs, "MOUNTS_FILE", fake)
    with caplog.at_level(logging.WARNING, logger="spanlab.project"), Project.open(path) as project:
        assert len(project.warnings) == 1 and "network file system (nfs" in project.warnings[0]
    assert any("network file system" in r.getMessage() for r in caplog.records)
    monkeypatch.setattr(netfs, "MOUNTS_FILE", tmp_path / "absent")
    with Project.open(path) as quiet:
        assert quiet.warnings == []
