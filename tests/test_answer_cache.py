"""Read answers are kept per worker (api/cache.py) and served again only while they are still right: until the next
write on any worker, the clock's next second, a reset. Every call still reaches the journal, the faults and the auth
gate."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import Response

from mockserver.api.cache import Answer, AnswerCache
from mockserver.world import clock

from .helpers.ispring_wire import CLIENT_FORM, LEGACY_HEADERS, SPREADSHEETS, call, fresh_learner, post_xml, soap_fault

ENROLLMENTS = "/enrollments?pageSize=5"
START = datetime(2030, 1, 1, 9, 0, 0, 250_000, tzinfo=timezone.utc)


def answers(app):
    return app.extensions["mockserver"].answers


def test_the_same_read_is_the_same_bytes_and_every_call_is_journaled(app, client, monkeypatch):
    monkeypatch.setattr(clock, "real_now", lambda: START)  # both calls in one second of the clock
    first = client.get(ENROLLMENTS, headers=LEGACY_HEADERS)
    second = client.get(ENROLLMENTS, headers=LEGACY_HEADERS)
    assert first.status_code == second.status_code == 200
    assert (second.get_data(), second.headers["Content-Type"]) == (first.get_data(), first.headers["Content-Type"])
    assert answers(app).hits == 1
    count = client.get("/__admin/requests/count?operation=ispring.ListEnrollments").get_json()
    assert count == {"count": 2}


def test_a_write_on_another_worker_shows_at_the_next_read(app, client, other):
    learner = fresh_learner(app.extensions["mockserver"].world, SPREADSHEETS)
    query = f"/enrollment?learnerIds[]={learner}&courseIds[]={SPREADSHEETS}"
    assert b"<enrollmentId>" not in client.get(query, headers=LEGACY_HEADERS).get_data()
    written = post_xml(other, "/enrollment", LEGACY_HEADERS, courseIds=[SPREADSHEETS], learnerIds=[learner],
                       dueDateType="unlimited")
    assert written.status_code == 201
    assert b"<enrollmentId>" in client.get(query, headers=LEGACY_HEADERS).get_data()


def test_a_refused_token_is_refused_though_its_answer_was_kept(client):
    """REST checks who asks before the cache: a kept answer is no way round an expired token."""
    token = client.post("/api/v3/token", data=CLIENT_FORM).get_json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(ENROLLMENTS, headers=headers).status_code == 200
    client.post("/__admin/clock", json={"advance": "31m"})
    assert client.get(ENROLLMENTS, headers=headers).status_code == 401


def test_a_soap_read_sees_its_token_expire_at_the_clocks_next_second(app, client, monkeypatch):
    """A SOAP call's credentials are in its body, so in its key; the clock's second is in the key too: the token
    that expires between two identical calls, with no write in between, is refused at the second."""
    now = [START]
    monkeypatch.setattr(clock, "real_now", lambda: now[0])
    token = client.post("/api/v3/token", data=CLIENT_FORM).get_json()["access_token"]  # 1800 s, from START
    credentials = {"token": token}
    assert call(client, "getEnrollments", credentials=credentials).status_code == 200
    now[0] = START + timedelta(milliseconds=700)
    assert call(client, "getEnrollments", credentials=credentials).status_code == 200
    assert answers(app).hits == 1  # the same second
    now[0] = START + timedelta(seconds=1800, milliseconds=100)
    soap_fault(call(client, "getEnrollments", credentials=credentials), "Authorization failed")


def answer(size: int) -> Answer:
    return Answer(200, (("Content-Type", "text/plain"),), b"x" * size, "op")


def test_the_cache_holds_at_most_its_bytes_and_drops_the_least_recently_used():
    cache = AnswerCache(max_bytes=400)
    now = (1, 7, 1_900_000_000)  # world load, log position, second
    for name in "abcd":
        cache.put((*now, name), answer(100))
    assert cache.get((*now, "a")) is not None  # now the most recently used
    cache.put((*now, "e"), answer(100))
    assert [k for k in "abcde" if cache.get((*now, k)) is not None] == ["a", "c", "d", "e"]
    cache.put((*now, "huge"), answer(101))  # over a quarter of the whole: never kept
    assert cache.get((*now, "huge")) is None
    assert isinstance(cache.get((*now, "a")).response(), Response)


def test_the_first_answer_of_a_new_moment_lets_the_earlier_ones_go():
    """A write (the log position) or the next second: the answers before can never be asked for again."""
    cache = AnswerCache(max_bytes=400)
    cache.put((1, 7, 100, "a"), answer(100))
    cache.put((1, 7, 101, "b"), answer(100))  # the next second
    assert (cache.get((1, 7, 100, "a")), cache.get((1, 7, 101, "b")) is not None) == (None, True)
    cache.put((1, 8, 101, "c"), answer(100))  # a write
    assert cache.get((1, 7, 101, "b")) is None and cache.get((1, 8, 101, "c")) is not None
