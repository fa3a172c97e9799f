"""What is measured: the routes of issue 13's table and the rest of its list, found on a running server of ours.

Each route is a `Load` for wrk and our server's own answers to it (status, content type, body), captured once on the
pristine world: WireMock and Prism serve exactly those bytes as their static stubs. The inputs come from the world
itself: the learners whose enrollments add up to 100 rows (SOAP getEnrollments filtered by `learnerIds`), and the
(course, learner) pairs nobody is enrolled in (each write creates one enrollment, no two the same).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product

import requests

from ..config import Config
from .load import WRITE, Load, Request

ISPRING_TOKEN = Config.ispring_static_tokens[0]  # the docs' sample token: never expires
ISPRING_AUTH = ("Authorization", f"Bearer {ISPRING_TOKEN}")
RUANGKERJA_AUTH = ("Authorization", "access_token")
SOAP_PATH = "/api/v2/soap/2.0"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP_TNS = Config.ispring_soap_namespace
SOAP_ROWS = 100


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes


@dataclass
class Route:
    name: str  # the key of --routes and of the JSON
    title: str
    kind: str  # read, write or mixed
    load: Load
    answers: dict[int, Answer] = field(default_factory=dict)  # ours, by the load's kind (a fixed index, or WRITE)

    @property
    def writes(self) -> bool:
        return self.kind != "read"


ROUTE_NAMES = ("ruangkerja-batch-users", "rest-xml", "rest-json", "soap-all", "soap-100", "write", "mixed")


def soap_envelope(learners: list[str] = ()) -> bytes:
    ids = "".join(f"<ns1:id>{learner}</ns1:id>" for learner in learners)
    filters = f"<ns1:learnerIds>{ids}</ns1:learnerIds>" if learners else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="{SOAP_ENV}" '
            f'xmlns:ns1="{SOAP_TNS}"><SOAP-ENV:Body><ns1:GetEnrollmentsRequest><ns1:credentials>'
            f"<ns1:token>{ISPRING_TOKEN}</ns1:token></ns1:credentials>{filters}</ns1:GetEnrollmentsRequest>"
            "</SOAP-ENV:Body></SOAP-ENV:Envelope>").encode()


def enrollment_body(course: str, learner: str) -> bytes:
    return (f"<request><courseIds><id>{course}</id></courseIds><learnerIds><id>{learner}</id></learnerIds>"
            "<dueDateType>unlimited</dueDateType></request>").encode()


RUANGKERJA_BATCH = Request("GET", "/ruangkerja/dashboard/courses/COURSE-EXAMPLE2/offline/BATCH-EXP-01/users"
                                  "?page=1&pageSize=10", (RUANGKERJA_AUTH,))
REST_XML = Request("GET", "/enrollments?pageSize=100", (ISPRING_AUTH, ("Accept", "application/xml")))
REST_JSON = Request("GET", "/enrollments?pageSize=100", (ISPRING_AUTH, ("Accept", "application/json")))
SOAP_HEADERS = (("Content-Type", "text/xml; charset=utf-8"), ("SOAPAction", '"GetEnrollments"'))
WRITE_HEADERS = (ISPRING_AUTH, ("Content-Type", "application/xml"), ("Accept", "application/xml"))


def enrollments(base: str, session: requests.Session) -> list[dict]:
    """Every enrollment of the world, page by page (JSON)."""
    rows, token = [], None
    while True:
        query = {"pageSize": 1000, **({"pageToken": token} if token else {})}
        answer = session.get(f"{base}/enrollments", params=query, headers=dict([ISPRING_AUTH]) | {
            "Accept": "application/json"}, timeout=60)
        answer.raise_for_status()
        page = answer.json()
        rows += page["enrollments"]
        token = page.get("nextPageToken")
        if not token:
            return rows


def learners_for(rows: list[dict], wanted: int) -> list[str]:
    """Learners whose enrollments add up to `wanted` rows (or as close below as their counts allow)."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["learnerId"]] = counts.get(row["learnerId"], 0) + 1
    chosen, total = [], 0
    for learner, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        if total + count <= wanted:
            chosen.append(learner)
            total += count
        if total == wanted:
            break
    return chosen


def free_pairs(rows: list[dict], learners: list[str]) -> list[tuple[str, str]]:
    """(course, learner) pairs of the world's courses and learners with no enrollment yet, courses taking turns."""
    taken = {(row["courseId"], row["learnerId"]) for row in rows}
    courses = sorted({row["courseId"] for row in rows})
    return [(course, learner) for learner, course in product(learners, courses) if (course, learner) not in taken]


def kilobytes(body: bytes) -> str:
    return f"{len(body) / 1024:.1f} KB" if len(body) < 10240 else f"{len(body) // 1024} KB"


def discover(base: str, names: tuple[str, ...] = ROUTE_NAMES) -> list[Route]:
    """The routes named, on our server at `base` (its world pristine): loads built, our answers captured."""
    with requests.Session() as session:
        rows = enrollments(base, session)
        users = session.get(f"{base}/user", headers=dict([ISPRING_AUTH]) | {"Accept": "application/json"},
                            timeout=60)
        users.raise_for_status()
        learners = [user["userId"] for user in users.json()]
        pairs = free_pairs(rows, learners)
        probe_pair, pairs = pairs[-1], pairs[:-1]  # the capture's own write, never sent by wrk
        hundred = learners_for(rows, SOAP_ROWS)
        soap_all = Request("POST", SOAP_PATH, SOAP_HEADERS, soap_envelope())
        soap_100 = Request("POST", SOAP_PATH, SOAP_HEADERS, soap_envelope(hundred))
        writes = tuple(Request("POST", "/enrollment", WRITE_HEADERS, enrollment_body(*pair)) for pair in pairs)
        probe = Request("POST", "/enrollment", WRITE_HEADERS, enrollment_body(*probe_pair))

        def capture(request: Request) -> Answer:
            answer = session.request(request.method, base + request.path, headers=dict(request.headers),
                                     data=request.body, timeout=60)
            if not 200 <= answer.status_code < 300:
                raise RuntimeError(f"our server answered {answer.status_code} to {request.method} {request.path}: "
                                   f"{answer.text[:300]}")
            return Answer(answer.status_code, answer.headers.get("Content-Type", ""), answer.content)

        answers = {"batch": capture(RUANGKERJA_BATCH), "xml": capture(REST_XML), "json": capture(REST_JSON),
                   "soap-all": capture(soap_all), "soap-100": capture(soap_100), "write": capture(probe)}
        session.post(f"{base}/__admin/reset", timeout=60).raise_for_status()

    def rows_in(answer: Answer) -> int:
        return answer.body.count(b"<enrollmentId>")

    def one(name: str, title: str, request: Request, answer: Answer) -> Route:
        return Route(name, f"{title} ({kilobytes(answer.body)})", "read", Load((request,)), {0: answer})

    batch_items = answers["batch"].body.count(b'"assignedCourseSerial"')
    routes = {
        "ruangkerja-batch-users": one("ruangkerja-batch-users", f"Ruangkerja offline batch users, {batch_items} "
                                      "items", RUANGKERJA_BATCH, answers["batch"]),
        "rest-xml": one("rest-xml", "iSpring REST `GET /enrollments?pageSize=100`, XML", REST_XML, answers["xml"]),
        "rest-json": one("rest-json", "iSpring REST `GET /enrollments?pageSize=100`, JSON", REST_JSON,
                         answers["json"]),
        "soap-all": one("soap-all", f"iSpring SOAP `getEnrollments`, unfiltered ({rows_in(answers['soap-all'])} "
                        "rows)", soap_all, answers["soap-all"]),
        "soap-100": one("soap-100", f"iSpring SOAP `getEnrollments`, {rows_in(answers['soap-100'])} rows "
                        f"(`learnerIds` of {len(hundred)} learners)", soap_100, answers["soap-100"]),
        "write": Route("write", f"iSpring REST `POST /enrollment`, one new enrollment each ({len(writes)} distinct)",
                       "write", Load((), (WRITE,), writes), {WRITE: answers["write"]}),
        "mixed": Route("mixed", "Mixed: the Ruangkerja, REST XML, REST JSON and SOAP 100-row reads, then a write",
                       "mixed", Load((RUANGKERJA_BATCH, REST_XML, REST_JSON, soap_100), (0, 1, 2, 3, WRITE), writes),
                       {0: answers["batch"], 1: answers["xml"], 2: answers["json"], 3: answers["soap-100"],
                        WRITE: answers["write"]}),
    }
    return [routes[name] for name in names]
