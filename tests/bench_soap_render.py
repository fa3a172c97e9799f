"""Not a test (pytest does not collect it): how long a getEnrollments result takes to render, Spyne's serializer
against the lxml renderer, and whole SOAP calls through the app. Timing is measured here, never asserted.

    .venv/bin/python -m tests.bench_soap_render
"""

from __future__ import annotations

import statistics
import time

from lxml import etree
from spyne.protocol.soap import Soap11

from mockserver.app import create_app
from mockserver.config import Config
from mockserver.ispring.soap import service as soap
from mockserver.ispring.soap.render import render_result

from .helpers.ispring_wire import SOAP_PATH, TNS, envelope
from .test_ispring_soap import _spyne_instance


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    app = create_app(Config(employees=1000, courses=150))
    rt = app.extensions["mockserver"]
    spyne_app = soap.soap_application(TNS, "words")
    message = spyne_app.services[0].public_methods["getEnrollments"].out_message
    kind = message._type_info["enrollment"]
    ctx = type("Ctx", (), {"udc": rt})()
    everything = soap.get_enrollments(ctx, type("Cred", (), {"token": Config().ispring_static_tokens[0]})(), None, None)
    stock = Soap11()
    stock.set_app(spyne_app)
    print(f"world: {len(rt.world.enrollments)} enrollments")
    for rows in (everything[:100], everything[:1000]):
        objects = message(enrollment=_spyne_instance(kind, rows))

        def by_spyne():
            parent = etree.Element("Body")
            stock.to_parent(None, message, objects, parent, TNS)
            etree.tostring(parent)

        def by_lxml():
            parent = etree.Element("Body")
            render_result(parent, message, [rows], ("false", "true"))
            etree.tostring(parent)

        spyne_ms, lxml_ms = median_ms(by_spyne, 30), median_ms(by_lxml, 30)
        print(f"{len(rows):5d} rows: Spyne serializer {spyne_ms:7.2f} ms, lxml renderer {lxml_ms:6.2f} ms "
              f"({spyne_ms / lxml_ms:.1f}x)")
    client = app.test_client()
    for size in (100, 1000):
        body = envelope("listEnrollments", pageSize=size)
        call_ms = median_ms(lambda: client.post(SOAP_PATH, data=body, headers={"Content-Type": "text/xml"}), 50)
        print(f"listEnrollments pageSize={size}: whole call {call_ms:.2f} ms (~{1000 / call_ms:.0f} calls/s per core)")


if __name__ == "__main__":
    main()
