"""Warn about SQLite project files on network file systems (NFS, SMB/CIFS, SSHFS).

SQLite's locking is unreliable over network file systems and WAL mode needs shared
memory on one machine, so a project file shared that way gets corrupted now and then
(sqlite.org/useovernet.html). Teams should use a PostgreSQL project instead.
"""

from __future__ import annotations

from pathlib import Path

MOUNTS_FILE = Path("/proc/mounts")
"""Where Linux lists mounted file systems (module attribute so tests can point elsewhere)."""

NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smbfs",
        "smb3",
        "fuse.sshfs",
        "sshfs",
        "afs",
        "fuse.rclone",
        "davfs",
        "fuse.davfs2",
        "ncpfs",
    }
)


def _unescape(field: str) -> str:
    r"""/proc/mounts writes space, tab, newline and backslash as \040, \011, \012, \134."""
    out: list[str] = []
    index = 0
    while index < len(field):
        chunk = field[index : index + 4]
        if len(chunk) == 4 and chunk[0] == "\\" and chunk[1:].isdigit():
            out.append(chr(int(chunk[1:], 8)))
            index += 4
        else:
            out.append(field[index])
            index += 1
    return "".join(out)


def mount_of(path: str | Path, *, mounts_file: str | Path | None = None) -> tuple[str, str] | None:
    """(mount point, file system type) of the mount holding ``path``, or None if unknown."""
    source = Path(mounts_file) if mounts_file is not None else MOUNTS_FILE
    try:
        lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None  # not Linux, or /proc not mounted
    target = str(Path(path).expanduser().resolve())
    best: tuple[str, str] | None = None
    for line in lines:
        fields = line.split()
        if len(fields) < 3:
            continue
        point, fstype = _unescape(fields[1]), fields[2]
        inside = target == point or target.startswith(point.rstrip("/") + "/") or point == "/"
        # Later lines win on equal mount points (the topmost of stacked mounts).
        if inside and (best is None or len(point) >= len(best[0])):
            best = (point, fstype)
    return best


def network_filesystem_warning(
    path: str | Path, *, mounts_file: str | Path | None = None
) -> str | None:
    """A warning when the SQLite file ``path`` lies on a network file system, else None."""
    found = mount_of(path, mounts_file=mounts_file)
    if found is None:
        return None
    point, fstype = found
    if fstype.lower() not in NETWORK_FILESYSTEMS:
        return None
    return (
        f"{path} is on a network file system ({fstype} mounted at {point}). A SQLite project "
        "shared over the network can be corrupted when two computers use it; keep it on a "
        "local disk, or use a PostgreSQL project for team work."
    )


__all__ = ["MOUNTS_FILE", "NETWORK_FILESYSTEMS", "mount_of", "network_filesystem_warning"]
