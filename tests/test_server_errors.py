"""The server's own refusals: a request it cannot read (a malformed request line, a URI or headers too large, a bad
chunked body) answers in the shape of the wing that owns its path, in plain text when no path could be read; never
gunicorn's HTML page, and the connection is closed after it (http_worker.py).

Over raw sockets to the session's real server (slow: it may start one); the answers' bytes on the app in-process."""

from __future__ import annotations

import json
import socket

import pytest
import requests

from mockserver.http_worker import refusal, refusal_bytes, request_line

needs_server = pytest.mark.slow  # the session's real server: seconds to start in a process of the fast suite


def exchange(base: str, data: bytes) -> tuple[bytes, dict[str, str], bytes]:
    """(status line, headers, body) of the server's answer to the bytes `data`, read until it closes."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):  # EOF: the server closed the connection after answering
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *fields = head.split(b"\r\n")
    headers = {k.decode().lower(): v.decode().strip() for k, _, v in (f.partition(b":") for f in fields)}
    assert int(headers["content-length"]) == len(body)
    assert headers["connection"] == "close"
    assert b"<html" not in body.lower()
    return status, headers, body


def ruangkerja_error(body: bytes, code: int) -> str:
    found = json.loads(body)
    assert list(found) == ["errorCode", "message", "detail"] and found["errorCode"] == code
    return found["detail"]


LONG = b"a" * 9000


@needs_server
def test_a_uri_too_long_is_414_in_the_owners_shape(real_server):
    status, headers, body = exchange(real_server.url, b"GET /enrollments?x=" + LONG + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status == b"HTTP/1.1 414 Request-URI Too Long"
    assert headers["content-type"] == "application/xml; charset=utf-8"
    assert body.startswith(b"<?xml") and b"<response><code>414</code><message>request line too long" in body
    status, headers, body = exchange(real_server.url, b"GET /ruangkerja/dashboard/courses?x=" + LONG
                                     + b" HTTP/1.1\r\n\r\n")
    assert status.startswith(b"HTTP/1.1 414 ") and headers["content-type"] == "application/json"
    assert ruangkerja_error(body, 414).startswith("request line too long")


@needs_server
def test_headers_too_large_are_431_in_the_owners_shape(real_server):
    status, headers, body = exchange(real_server.url, b"GET /ruangkerja/dashboard/courses HTTP/1.1\r\nHost: x\r\n"
                                     b"X-Big: " + LONG + b"\r\n\r\n")
    assert status == b"HTTP/1.1 431 Request Header Fields Too Large"
    assert ruangkerja_error(body, 431).startswith("request header fields too large")
    many = b"".join(b"X-%d: y\r\n" % n for n in range(200))  # more fields than gunicorn's limit of 100
    status, _, body = exchange(real_server.url, b"GET /user HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
    assert status.startswith(b"HTTP/1.1 431 ") and b"<response><code>431</code>" in body


@needs_server
def test_a_malformed_request_is_400_in_the_owners_shape_or_plain_text(real_server):
    status, _, body = exchange(real_server.url, b"GET /ruangkerja/users HTTP/9.9\r\nHost: x\r\n\r\n")
    assert status == b"HTTP/1.1 400 Bad Request"
    assert ruangkerja_error(body, 400).startswith("malformed request: InvalidHTTPVersion")
    status, _, body = exchange(real_server.url, b"GET /enrollments HTTP/1.1\r\nBad Header: y\r\n\r\n")
    assert status == b"HTTP/1.1 400 Bad Request" and b"<response><code>400</code>" in body
    # No path to tell the wing: plain text, the client's bytes made printable.
    status, headers, body = exchange(real_server.url, b"GARBAGE\x1b[2J\r\n\r\n")
    assert status == b"HTTP/1.1 400 Bad Request"
    assert headers["content-type"] == "text/plain; charset=utf-8"
    assert body.startswith(b"400 malformed request: InvalidRequestLine") and b"\x1b" not in body


@needs_server
def test_a_bad_chunked_body_is_400_in_the_owners_shape(real_server):
    chunked = b"Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"
    status, headers, body = exchange(real_server.url, b"POST /ruangkerja/tags HTTP/1.1\r\nHost: x\r\n"
                                     b"Authorization: access_token\r\n" + chunked)
    assert status.startswith(b"HTTP/1.1 400 ")
    assert ruangkerja_error(body, 400).startswith("malformed chunked body")
    status, headers, body = exchange(real_server.url, b"POST /api/v2/soap/2.0 HTTP/1.1\r\nHost: x\r\n" + chunked)
    assert headers["content-type"].startswith("text/xml") and b"<faultcode>client</faultcode>" in body


@needs_server
def test_a_good_chunked_body_reaches_the_app_whole(fresh_server):
    body = b'{"name": "chunked tag"}'
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:5], body[5:])) + b"0\r\n\r\n"
    status, _, answer = exchange(fresh_server.url, b"POST /ruangkerja/tags HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                 b"Connection: close\r\nAuthorization: access_token\r\nContent-Type: application/json\r\n"
                                 b"Transfer-Encoding: chunked\r\n\r\n" + chunks)
    assert status.startswith(b"HTTP/1.1 20"), answer
    serial = json.loads(answer)["data"]["serial"]
    tag = requests.get(f"{fresh_server.url}/ruangkerja/tags/{serial}", headers={"Authorization": "access_token"})
    assert tag.json()["data"]["name"] == "chunked tag"


@pytest.mark.parametrize("head, found", [
    (b"GET /ruangkerja/x?a=1 HTTP/1.1\r\nHost", ("GET", "/ruangkerja/x", "a=1")),
    (b"POST /enrollm", ("POST", "/enrollm", "")),  # cut short: still iSpring's
    (b"GET /%7Euser HTTP/1.1", ("GET", "/~user", "")),
    (b"GARBAGE\r\n", ("GET", None, "")),
    (b"", ("GET", None, "")),
])
def test_the_path_of_a_request_cut_short(head, found):
    assert request_line(head) == found


def test_an_error_of_the_server_itself_is_a_500():
    assert refusal(ValueError("boom"), 5) == (500, "internal error: the server failed on this request (its log says "
                                                   "where)")


@pytest.mark.parametrize("status, path, headers, shape", [
    (414, "/enrollments", [], (b"application/xml; charset=utf-8", b"<response><code>414</code><message>too long")),
    (414, "/enrollments", [("Accept", "application/json")], (b"application/json", b'{"code":414,"message":"too long')),
    (431, "/ruangkerja/users", [], (b"application/json", b'{"errorCode":431,"message":"REQUEST_HEADER_FIELDS_TOO')),
    (400, "/api/v2/soap/2.0", [], (b"text/xml; charset=utf-8", b"<faultcode>client</faultcode>")),
    (400, None, [], (b"text/plain; charset=utf-8", b"400 too long\n")),
])
def test_a_refusal_is_a_whole_answer_in_the_owners_shape(session_app, status, path, headers, shape):
    answer = refusal_bytes(session_app, status, "too long", "GET", path, "", headers)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 %d " % status)
    assert b"\r\nConnection: close" in head and b"\r\nContent-Length: %d" % len(body) in head
    content_type, start = shape
    assert b"\r\nContent-Type: " + content_type in head
    assert start in body and b"<html" not in body


@needs_server
def test_a_body_over_the_limit_is_413_and_the_connection_closed(real_server):
    """Unread when its length says so; chunked, read up to one byte past the limit (10 MB by default)."""
    head = b"POST /ruangkerja/tags HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: access_token\r\n" \
           b"Content-Type: application/json\r\n"
    status, _, body = exchange(real_server.url, head + b"Content-Length: 20000000\r\n\r\n{")
    assert status.startswith(b"HTTP/1.1 413 ") and ruangkerja_error(body, 413).startswith("request body of 20000000")
    chunks = [b"x" * (1 << 20)] * 10 + [b"x"]  # 10 MB and a byte: one past the limit
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks) + b"0\r\n\r\n"
    status, _, body = exchange(real_server.url, head + b"Transfer-Encoding: chunked\r\n\r\n" + chunked)
    assert status.startswith(b"HTTP/1.1 413 ") and ruangkerja_error(body, 413).startswith("request body of 10485761")
