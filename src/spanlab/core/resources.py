"""The one access point to files under ``resources/`` (schemas, samples, icons).

In a wheel they live in the package as ``spanlab/resources``; in a source checkout
(editable install) they are read from the repository's top-level ``resources/``.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path

_CHECKOUT_RESOURCES = Path(__file__).resolve().parents[3] / "resources"


def resource_root() -> Traversable:
    """Root folder of the shipped resources."""
    packaged = files("spanlab").joinpath("resources")
    if packaged.is_dir():
        return packaged
    if _CHECKOUT_RESOURCES.is_dir():
        return _CHECKOUT_RESOURCES
    raise FileNotFoundError("SpanLab's resources are missing from this installation")


def resource(*parts: str) -> Traversable:
    """A resource file or folder by its path parts, e.g. ``resource("schemas", "news.toml")``."""
    node = resource_root()
    for part in parts:
        node = node.joinpath(part)
    return node


def resource_text(*parts: str) -> str:
    """A text resource decoded as UTF-8."""
    return resource(*parts).read_text(encoding="utf-8")


def default_schema_text() -> str:
    """The bundled news schema as TOML."""
    return resource_text("schemas", "news.toml")


def sample_article_names() -> list[str]:
    """File names of the bundled sample articles, sorted."""
    return sorted(node.name for node in resource("samples").iterdir() if node.name.endswith(".txt"))


def real_path(node: Traversable) -> Path:
    """A file-system path for a resource (resources are installed unzipped)."""
    with as_file(node) as path:
        return Path(path)
