"""The gunicorn worker of `mockserver serve`: many threads for the connections, one at a time into the app.

A worker applies the shared writes to its world in place, and no reader may see one half-applied: so the app answers
one request at a time per process, as it always has (`OneAtATime`). Everything around the app is done outside that
lock, by the connection's own thread (THREADS of them): reading the request, its whole body included, and writing the
answer. Both are bounded by the read timeout (`ClientSocket`): a slowloris, a stalled upload or a client that reads
nothing holds one thread for at most that long, never the app. A new connection waits for its first byte in the
worker's poller, as a kept-alive one waits for its next request: an idle connection holds no thread at all.

The server's own refusals (a malformed request line, a URI or headers too long, a bad chunked body, a request not
read whole in time) answer in the shape of the wing that owns the path, when the path could be read, instead of
gunicorn's HTML page; else in plain text (`Worker.handle_error`).
"""

from __future__ import annotations

import errno
import io
import logging
import selectors
import threading
import time
from functools import partial
from http import HTTPStatus
from urllib.parse import unquote

from gunicorn.http import errors as http_errors
from gunicorn.workers.gthread import ThreadWorker, TConn
from werkzeug.test import EnvironBuilder

from .app import render_server_error
from .unhandled import printable

log = logging.getLogger("mockserver")

THREADS = 32  # connections one worker reads and writes at once (each stalled one holds one, for the read timeout)
HEAD_KEPT = 1024  # bytes of each request kept to tell, when it cannot be parsed, which path (so which wing) it asked


class ReadTimeout(Exception):
    """The request did not arrive whole within the read timeout. Not an OSError: gunicorn hands it to handle_error."""


class ClientSocket:
    """A connection's socket: each request must arrive whole (headers and body) within `timeout` seconds of its first
    byte, so that a client sending a byte a second is cut like one sending nothing; each answer must be taken within
    `timeout` seconds too. Everything else is the socket's own."""

    def __init__(self, sock, timeout: float):
        self._sock = sock
        self.timeout = timeout
        self.deadline: float | None = None  # set by the request's first byte
        self.head = b""  # the request's first bytes
        self.request = None  # gunicorn's Request being answered (Worker.handle_request)
        self.closing = False  # shut for writing: what the client sent since is drained, never waited for

    def next_request(self) -> None:
        self.deadline, self.head, self.request = None, b"", None

    def shutdown(self, how) -> None:
        self.closing = True
        self._sock.shutdown(how)

    def recv(self, size: int) -> bytes:
        if self.closing:  # gunicorn drains in the worker's main loop: waiting there (up to 2 s) would stall it
            self._sock.setblocking(False)
            try:
                return self._sock.recv(size)
            except BlockingIOError:
                return b""
        now = time.monotonic()
        if self.deadline is None:
            self.deadline = now + self.timeout
        if now >= self.deadline:
            raise ReadTimeout()
        self._sock.settimeout(self.deadline - now)
        try:
            data = self._sock.recv(size)
        except TimeoutError:
            raise ReadTimeout() from None
        if len(self.head) < HEAD_KEPT:
            self.head += data[:HEAD_KEPT - len(self.head)]
        return data

    def sendall(self, data) -> None:
        self._write(self._sock.sendall, data)

    def send(self, data) -> int:
        return self._write(self._sock.send, data)

    def _write(self, write, data):
        self._sock.settimeout(self.timeout)  # sendall: for the whole answer
        try:
            return write(data)
        except TimeoutError:  # gunicorn drops a connection on EPIPE quietly
            raise BrokenPipeError(errno.EPIPE, "the client took nothing within the read timeout") from None

    def close_after_answer(self) -> None:
        """`Connection: close` on this answer, and nothing more read: what is left of the request is not a request."""
        if self.request is not None:
            self.request.must_close = True

    def __getattr__(self, name):
        return getattr(self._sock, name)


class Worker(ThreadWorker):
    """gunicorn's gthread worker, with a read timeout and the server's refusals in the vendors' shapes."""

    def init_process(self) -> None:
        self.read_timeout = self.app.mock_config.read_timeout
        super().init_process()

    def accept(self, listener) -> None:
        """A new connection waits for its first byte in the poller (gthread would give it a thread for 5 s)."""
        try:
            client, address = listener.accept()
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        conn = TConn(self.cfg, ClientSocket(client, self.read_timeout), address, listener.getsockname())
        conn.timeout = time.monotonic() + self.read_timeout  # silent that long: closed (murder_pending)
        self.pending_conns.append(conn)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self.on_pending_socket_readable, conn))

    def enqueue_req(self, conn) -> None:
        conn.sock.next_request()
        super().enqueue_req(conn)

    def handle_request(self, req, conn):
        conn.sock.request = req
        return super().handle_request(req, conn)

    def handle_error(self, req, client, addr, exc) -> None:
        status, message = refusal(exc, self.read_timeout)
        if status >= 500:
            log.error("the server failed on a request: %s: %s", type(exc).__name__, printable(str(exc)))
        else:
            log.debug("refused a request it could not read: %s %s", status, printable(message))
        method, path, query, headers = (req.method, req.path, req.query, req.headers) if req is not None \
            else (*request_line(getattr(client, "head", b"")), [])
        try:
            client.sendall(refusal_bytes(self.app.application, status, message, method, path, query, headers))
        except OSError:
            pass  # the client is gone


def refusal(exc: BaseException, read_timeout: float) -> tuple[int, str]:
    """The status and message of a request the server refuses before the app sees it."""
    if isinstance(exc, ReadTimeout):
        return 408, f"the request did not arrive whole within the read timeout of {read_timeout:g} s"
    if isinstance(exc, http_errors.LimitRequestLine):
        return 414, f"request line too long: {exc}"
    if isinstance(exc, http_errors.LimitRequestHeaders):
        return 431, f"request header fields too large: {exc}"
    if isinstance(exc, (http_errors.InvalidChunkSize, http_errors.ChunkMissingTerminator,
                        http_errors.InvalidChunkExtension)):
        return 400, f"malformed chunked body: {exc}"
    if isinstance(exc, http_errors.UnsupportedTransferCoding):
        return 501, f"unsupported transfer coding: {exc}"
    if isinstance(exc, http_errors.ExpectationFailed):
        return 417, f"expectation failed: {exc}"
    if isinstance(exc, http_errors.ParseException) and not isinstance(
            exc, (http_errors.InvalidResponseHeader, http_errors.InvalidResponseHeaderName,
                  http_errors.ConfigurationProblem)):
        return 400, f"malformed request: {type(exc).__name__} {exc}"
    return 500, "internal error: the server failed on this request (its log says where)"


def request_line(head: bytes) -> tuple[str, str | None, str]:
    """(method, path, query) of a request's first bytes, as far as they go: a path cut short still names its wing;
    None when there is no path to read."""
    line = head.split(b"\r\n", 1)[0].split(b"\n", 1)[0].decode("latin-1")
    parts = line.split(" ")
    if len(parts) < 2 or not parts[1].startswith("/"):
        return "GET", None, ""
    path, _, query = parts[1].partition("?")
    return (parts[0] if parts[0].isalpha() else "GET"), unquote(path, errors="replace"), query


def refusal_bytes(app, status: int, message: str, method: str, path: str | None, query: str, headers) -> bytes:
    """A whole HTTP/1.1 answer, closing the connection: the wing's error for `path` when a request of it can be made,
    else plain text."""
    try:
        if path is None:
            raise ValueError("no path: no wing")
        environ = EnvironBuilder(path=path[:HEAD_KEPT] or "/", method=method, query_string=query[:HEAD_KEPT],
                                 headers=[(k, v) for k, v in headers if k.upper() in ("ACCEPT", "CONTENT-TYPE")]
                                 ).get_environ()
        response = render_server_error(app, environ, status, message)
        body, fields = response.get_data(), [(k, v) for k, v in response.headers.items()
                                             if k.lower() not in ("content-length", "connection")]
    except Exception:  # a path no request can be made of: plain text
        body, fields = f"{status} {printable(message)}\n".encode(), [("Content-Type", "text/plain; charset=utf-8")]
    head = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}", *(f"{k}: {v}" for k, v in fields),
            f"Content-Length: {len(body)}", "Connection: close"]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


class OneAtATime:
    """WSGI: the app answers one request at a time; the request's body is read whole before, outside the lock (a
    stalled upload waits alone), and the answer is written after."""

    def __init__(self, app, max_body_bytes: int):
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        try:
            read_body(environ, self.max_body_bytes)
        except (ReadTimeout, http_errors.ParseException) as error:
            return self.refuse(environ, start_response, error)
        held: list = []

        def hold(status, headers, exc_info=None):
            held[:] = [status, headers]
            return lambda data: None  # Flask never writes through it

        with self.lock:
            answer = self.app(environ, hold)
            data = b"".join(answer)
        start_response(*held)
        return Answered(data, answer)

    def refuse(self, environ, start_response, error):
        """The body could not be read: the wing's error, and the connection closed after it."""
        sock = environ.get("gunicorn.socket")
        status, message = refusal(error, getattr(sock, "timeout", 0))
        if hasattr(sock, "close_after_answer"):
            sock.close_after_answer()
        return render_server_error(self.app, environ, status, message)(environ, start_response)


def read_body(environ: dict, limit: int) -> None:
    """The request's body read whole into memory. One over `limit` bytes is the app's to refuse (413): unread when its
    length says so, else read `limit` + 1 bytes into; either way the connection is closed after that answer."""
    length = environ.get("CONTENT_LENGTH")
    if length and length.isdigit() and int(length) > limit:
        too_large = True
    else:
        body = environ["wsgi.input"].read(limit + 1)
        # The app gets it as a body of known length: chunked no more, and one too large is its 413 to answer.
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
        too_large = len(body) > limit
    sock = environ.get("gunicorn.socket")
    if too_large and hasattr(sock, "close_after_answer"):
        sock.close_after_answer()  # nobody waits for the rest of it


class Answered:
    """An answer made whole under the lock; closing it closes the app's (a fault may shut the socket then)."""

    def __init__(self, data: bytes, answer):
        self.data, self.answer = data, answer

    def __iter__(self):
        yield self.data

    def close(self) -> None:
        if hasattr(self.answer, "close"):
            self.answer.close()
