"""A password gate in front of the test PostgreSQL server (which trusts local logins).

The test server accepts everyone without a password, so nothing could prove the
password prompt. This TCP proxy speaks the first steps of PostgreSQL's wire protocol
itself: it refuses SSL/GSS encryption, asks the client for a clear-text password and
answers a wrong one with the server's own "password authentication failed" error; a
right one gets the client's startup message forwarded to the real server and the
bytes piped both ways from then on.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from types import TracebackType

from sqlalchemy.engine import make_url

SSL_REQUEST = 80877103
GSS_REQUEST = 80877104
CANCEL_REQUEST = 80877102


def _read_exact(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("client went away")
        data += chunk
    return data


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def _error(user: str) -> bytes:
    fields = (
        b"SFATAL\0VFATAL\0C28P01\0M"
        + f'password authentication failed for user "{user}"'.encode()
        + b"\0\0"
    )
    return b"E" + struct.pack("!i", len(fields) + 4) + fields


class PasswordProxy:
    """Listens on 127.0.0.1:<port>; lets a client through to ``upstream`` with ``password``."""

    def __init__(self, upstream_url: str, password: str) -> None:
        parsed = make_url(upstream_url)
        self.upstream = (parsed.host or "127.0.0.1", parsed.port or 5432)
        self.password = password
        self.attempts: list[str] = []
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.1)  # so the accept loop notices the close
        self.port: int = self._server.getsockname()[1]
        self._closed = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def url_for(self, url: str) -> str:
        """``url`` pointed at the proxy instead of the server."""
        return make_url(url).set(host="127.0.0.1", port=self.port).render_as_string(False)

    def __enter__(self) -> PasswordProxy:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._closed = True
        self._server.close()
        with self._lock:
            for sock in self._sockets:
                _close(sock)
        self._thread.join(timeout=5)

    def _track(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.append(sock)
        return sock

    def _serve(self) -> None:
        while not self._closed:
            try:
                client, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            self._track(client)
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _handle(self, client: socket.socket) -> None:
        try:
            while True:
                (length,) = struct.unpack("!i", _read_exact(client, 4))
                body = _read_exact(client, length - 4)
                (code,) = struct.unpack("!i", body[:4])
                if code in (SSL_REQUEST, GSS_REQUEST):
                    client.sendall(b"N")
                    continue
                break
            startup = struct.pack("!i", length) + body
            if code == CANCEL_REQUEST:
                self._pipe(client, startup)
                return
            parts = body[4:].split(b"\0")
            params = dict(zip(parts[0::2], parts[1::2], strict=False))
            user = params.get(b"user", b"").decode()
            client.sendall(b"R" + struct.pack("!ii", 8, 3))  # AuthenticationCleartextPassword
            kind = _read_exact(client, 1)
            (size,) = struct.unpack("!i", _read_exact(client, 4))
            typed = _read_exact(client, size - 4).rstrip(b"\0").decode()
            if kind != b"p" or typed != self.password:
                self.attempts.append("refused")
                client.sendall(_error(user))
                client.close()
                return
            self.attempts.append("accepted")
            self._pipe(client, startup)
        except (ConnectionError, OSError):
            client.close()

    def _pipe(self, client: socket.socket, startup: bytes) -> None:
        server = self._track(socket.create_connection(self.upstream))
        server.sendall(startup)

        def copy(source: socket.socket, target: socket.socket) -> None:
            try:
                while chunk := source.recv(65536):
                    target.sendall(chunk)
            except OSError:
                pass  # the other side closed
            finally:
                _close(source)
                _close(target)

        threading.Thread(target=copy, args=(server, client), daemon=True).start()
        copy(client, server)
