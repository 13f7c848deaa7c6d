"""A PostgreSQL server that accepts the connection but never answers must not hang us."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
import sqlalchemy.exc

from spanlab.core.storage import engine as engine_module


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A listening socket nobody ever accepts or answers on: its port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


def test_connecting_to_a_silent_server_gives_up_with_a_timeout(
    silent_server: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "PG_CONNECT_TIMEOUT_S", 2)
    engine = engine_module.create_engine(
        f"postgresql+psycopg://someone@127.0.0.1:{silent_server}/team"
    )
    with pytest.raises(sqlalchemy.exc.OperationalError, match="timeout expired"):
        engine.connect()
    engine.dispose()
