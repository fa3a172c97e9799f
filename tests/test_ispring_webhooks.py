"""iSpring webhooks: the /webhook/* rows as the docs and the spec have them (ispringhelpdocs 62863671-62863693), and
events delivered for real to a receiver on 127.0.0.1: the vendor's envelope `{"type", "payloads"}` (Pipedream's
iSpring sources and test events), `X-Hub-Signature` = SHA-256(body + secret) (the docs), a CONFIRMATION carrying
the code, retries of a failing receiver, and, on a real server with two workers, each event exactly once."""

from __future__ import annotations

import hashlib
import json
import time

import pytest
import requests
from lxml import etree

from mockserver.state import dropped_webhooks, enqueue_webhooks, webhook_deliveries
from mockserver.world import ispring

from .helpers.apps import make_app
from .helpers.ispring_wire import LEGACY_HEADERS
from .helpers.receiver import Receiver
from .helpers.servers import running_server

JSON = {**LEGACY_HEADERS, "Accept": "application/json"}
XML = {**LEGACY_HEADERS, "Content-Type": "application/xml"}
SECRET = "s3cret"


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.close()


def post(client, path, body, headers=JSON):
    return client.post(path, json=body, headers=headers)


def register_confirmed(client, receiver, name="crm", secret=SECRET, *subscriptions):
    """Register a subscriber at the receiver, confirm it with the code it was sent, subscribe it."""
    assert post(client, "/webhook/register", {"subscriberName": name, "callbackUrl": receiver.url,
                                              "secret": secret}).status_code == 200
    assert post(client, "/webhook/code/send", {"subscriberName": name}).status_code == 200
    sent = receiver.wait_for("CONFIRMATION")[-1]
    code = json.loads(sent["payloads"][0])["code"]  # Pipedream: JSON.parse(body.payloads[0])
    assert post(client, "/webhook/confirm", {"subscriberName": name, "code": code}).status_code == 200
    for subscription in subscriptions:
        assert post(client, "/webhook/subscribe", {"subscriberName": name, "subscription": subscription}) \
            .status_code == 200


def info(client, name="crm"):
    response = client.get(f"/webhook/subscriber/info?subscriberName={name}", headers=JSON)
    assert response.status_code == 200
    return response.get_json()


# --- the rows -------------------------------------------------------------------------------------------------------


def test_a_subscriber_from_registration_to_removal(client):
    url = "http://127.0.0.1:9/hook"  # never called: nothing is sent to an unconfirmed subscriber but its code
    assert post(client, "/webhook/register", {"subscriberName": "crm", "callbackUrl": url}).status_code == 200
    assert client.post("/webhook/register", json={"subscriberName": "crm", "callbackUrl": url},
                       headers=JSON).get_json()["code"] == 400  # "A subscriber name cannot be repeated"
    assert list(info(client)) == ["subscriberStatus", "confirmationStatus", "notificationProcessStatus"]
    assert info(client) == {"subscriberStatus": "ACTIVE", "confirmationStatus": "UNCONFIRMED",
                            "notificationProcessStatus": "INACTIVE"}

    assert post(client, "/webhook/confirm", {"subscriberName": "crm", "code": "000000"}).status_code == 400
    assert post(client, "/webhook/code/send", {"subscriberName": "crm"}).status_code == 200
    code = next(s["confirmationCode"] for s in client.get("/__admin/webhooks").get_json()["subscribers"]
                if s["subscriberName"] == "crm")
    assert post(client, "/webhook/confirm", {"subscriberName": "crm", "code": code}).status_code == 200
    assert info(client) == {"subscriberStatus": "ACTIVE", "confirmationStatus": "CONFIRMED",
                            "notificationProcessStatus": "ACTIVE"}

    assert post(client, "/webhook/disable", {"subscriberName": "crm"}).status_code == 200
    assert info(client)["subscriberStatus"] == info(client)["notificationProcessStatus"] == "INACTIVE"
    assert post(client, "/webhook/enable", {"subscriberName": "crm"}).status_code == 200
    # A new URL must be confirmed again (the docs).
    assert post(client, "/webhook/settings/change", {"subscriberName": "crm", "callbackUrl": url + "2"}) \
        .status_code == 200
    assert info(client)["confirmationStatus"] == "UNCONFIRMED"

    assert post(client, "/webhook/remove", {"subscriberName": "crm"}).status_code == 200
    gone = client.get("/webhook/subscriber/info?subscriberName=crm", headers=JSON)
    assert (gone.status_code, gone.get_json()) == (404, {"code": 404, "message": "Subscriber not found"})


def test_subscriptions_listed_in_json_and_xml(client):
    learners = {"name": "userIds", "value": '["d15e8c54-c26f-11ed-b604-0a768b65ead7"]'}  # the docs' sample
    assert post(client, "/webhook/subscribe", {"subscriberName": "name", "subscription": {
        "subscriptionType": "LEARNERS_ENROLLED_IN_COURSE", "params": [learners]}}).status_code == 200
    listed = client.get("/webhook/subscription/list?subscriberName=name", headers=JSON)
    assert listed.get_json() == [{"subscriptionType": "USER_REGISTERED", "params": []},
                                 {"subscriptionType": "LEARNERS_ENROLLED_IN_COURSE", "params": [learners]}]
    root = etree.fromstring(client.get("/webhook/subscription/list?subscriberName=name",
                                       headers=LEGACY_HEADERS).get_data())
    assert [c.tag for c in root] == ["subscription", "subscription"]
    assert [c.tag for c in root[1]] == ["subscriptionType", "params"]
    assert [(c.tag, c.text) for c in root[1].find("params")] == [("name", "userIds"), ("value", learners["value"])]

    gone = post(client, "/webhook/unsubscribe", {"subscriberName": "name", "subscriptionType": "USER_REGISTERED"})
    assert gone.status_code == 200
    again = post(client, "/webhook/unsubscribe", {"subscriberName": "name", "subscriptionType": "USER_REGISTERED"})
    assert (again.status_code, again.get_json()["message"]) == (404, "Subscription not found")


def test_subscribe_in_xml_with_params(client):
    body = ("<request><subscriberName>name</subscriberName><subscription>"
            "<subscriptionType>COURSE_COMPLETED_SUCCESSFULLY</subscriptionType>"
            "<params><name>courseIds</name><value>[\"c1\"]</value></params>"
            "<params><name>userIds</name><value>[\"u1\",\"u2\"]</value></params></subscription></request>")
    assert client.post("/webhook/subscribe", data=body, headers=XML).status_code == 200
    listed = client.get("/webhook/subscription/list?subscriberName=name", headers=JSON).get_json()
    assert listed[-1] == {"subscriptionType": "COURSE_COMPLETED_SUCCESSFULLY", "params": [
        {"name": "courseIds", "value": '["c1"]'}, {"name": "userIds", "value": '["u1","u2"]'}]}


@pytest.mark.parametrize("subscription, wrong", [
    ({"subscriptionType": "SOMETHING"}, "subscription.subscriptionType must be one of USER_REGISTERED"),
    ({"subscriptionType": "USER_REGISTERED", "params": [{"name": "userIds", "value": "[]"}]},
     "USER_REGISTERED takes no parameters, not userIds"),
    ({"subscriptionType": "COURSE_COMPLETED_SUCCESSFULLY", "params": [{"name": "courseIds", "value": "c1"}]},
     "the value of courseIds must be a JSON array of IDs"),
])
def test_a_wrong_subscription_is_a_400_naming_it(client, subscription, wrong):
    response = post(client, "/webhook/subscribe", {"subscriberName": "name", "subscription": subscription})
    assert response.status_code == 400 and wrong in response.get_json()["message"]


@pytest.mark.parametrize("url", ["http://example.com/hook", "http://10.0.0.1/hook", "ftp://127.0.0.1/hook",
                                 "http://127.0.0.1.example.com/hook"])
def test_a_callback_host_outside_webhook_hosts_is_refused_at_registration(client, url):
    response = client.post("/webhook/register", headers=XML, data=(
        f"<request><subscriberName>crm</subscriberName><callbackUrl>{url}</callbackUrl></request>").encode())
    root = etree.fromstring(response.get_data())
    assert response.status_code == 400 and root.findtext("code") == "400"
    assert "--webhook-hosts" in root.findtext("message") or "http(s) URL" in root.findtext("message")
    assert client.get("/webhook/subscriber/info?subscriberName=crm", headers=JSON).status_code == 404


def test_the_sample_subscriber_gets_its_code_refused_not_sent(client):
    """The world's sample subscriber points at the docs' host: its CONFIRMATION is refused, never sent."""
    assert post(client, "/webhook/code/send", {"subscriberName": "name"}).status_code == 200
    deadline = time.monotonic() + 10
    while (found := client.get("/__admin/webhooks").get_json()["deliveries"])[-1]["status"] != "refused":
        assert time.monotonic() < deadline, found
        time.sleep(0.05)
    assert found[-1]["statusCode"] is None and "client.service.com" in found[-1]["error"]


# --- delivery for real ----------------------------------------------------------------------------------------------


def test_events_arrive_signed_in_the_vendors_envelope(app, client, receiver):
    world = app.extensions["mockserver"].world
    course = world.content_items[0].content_item_id
    learners = [u.user_id for u in world.learners if not any(
        e.course_id == course and e.learner_id == u.user_id for e in world.enrollments.values())][:2]
    register_confirmed(client, receiver, "crm", SECRET, {"subscriptionType": "LEARNERS_ENROLLED_IN_COURSE"},
                       {"subscriptionType": "USER_REGISTERED"}, {"subscriptionType": "COURSE_COMPLETED_SUCCESSFULLY"})

    enrolled = post(client, "/enrollment", {"courseIds": [course], "learnerIds": learners, "dueDateType": "unlimited"})
    assert enrolled.status_code == 201
    receiver.wait_for("LEARNERS_ENROLLED_IN_COURSE")
    headers, body = next((h, b) for h, b in receiver.received if b"LEARNERS_ENROLLED_IN_COURSE" in b)
    assert json.loads(body) == {"type": "LEARNERS_ENROLLED_IN_COURSE",
                                "payloads": [{"courseId": course, "learnerIds": learners}]}
    assert headers["X-Hub-Signature"] == hashlib.sha256(body + SECRET.encode()).hexdigest()
    assert headers["Content-Type"] == "application/json"

    department = world.departments[0].department_id
    added = post(client, "/user", {"departmentId": department, "fields": {"login": "hooked", "email": "h@x.io"}})
    assert added.status_code == 201
    assert receiver.wait_for("USER_REGISTERED")[0] == {"type": "USER_REGISTERED", "payloads": [
        {"userId": added.get_json(), "departmentId": department, "login": "hooked", "email": "h@x.io"}]}

    enrollment = enrolled.get_json()["enrollmentIds"][0]
    with app.app_context():  # the progress write (POST /statistics/course and POST /__admin/activity make it too)
        ispring.set_progress(world, app.extensions["mockserver"].state, [enrollment], "complete")
        ispring.set_progress(world, app.extensions["mockserver"].state, [enrollment], "passed")  # already done
    completed = receiver.wait_for("COURSE_COMPLETED_SUCCESSFULLY")
    payload = completed[0]["payloads"][0]
    assert list(payload) == ["courseId", "learnerId", "enrollmentIds", "completionDate"]
    assert (payload["courseId"], payload["learnerId"], payload["enrollmentIds"]) == \
        (course, learners[0], [enrollment])
    assert isinstance(payload["completionDate"], int) and payload["completionDate"] % 10**9 == 0
    time.sleep(0.3)
    assert len(receiver.events("COURSE_COMPLETED_SUCCESSFULLY")) == 1  # complete -> passed is no new completion
    statuses = {d["eventType"]: d["status"] for d in client.get("/__admin/webhooks").get_json()["deliveries"]}
    assert statuses == {"CONFIRMATION": "delivered", "LEARNERS_ENROLLED_IN_COURSE": "delivered",
                        "USER_REGISTERED": "delivered", "COURSE_COMPLETED_SUCCESSFULLY": "delivered"}


def test_a_subscriptions_filters_choose_the_learners(app, client, receiver):
    world = app.extensions["mockserver"].world
    course = world.content_items[1].content_item_id
    learners = [u.user_id for u in world.learners if not any(
        e.course_id == course and e.learner_id == u.user_id for e in world.enrollments.values())][:3]
    register_confirmed(client, receiver, "crm", "", {"subscriptionType": "LEARNERS_ENROLLED_IN_COURSE", "params": [
        {"name": "userIds", "value": json.dumps(learners[1:])}]})
    post(client, "/enrollment", {"courseIds": [course], "learnerIds": learners[:2], "dueDateType": "unlimited"})
    receiver.wait_for("LEARNERS_ENROLLED_IN_COURSE")
    headers, body = receiver.received[-1]
    assert json.loads(body)["payloads"] == [{"courseId": course, "learnerIds": [learners[1]]}]
    assert "X-Hub-Signature" not in headers  # no secret: unsigned


def test_a_failing_receiver_is_retried_then_recorded_failed(world_json, tmp_path):
    app = make_app(world_json, tmp_path, webhook_retry_seconds=0, webhook_attempts=3)
    client, failing = app.test_client(), Receiver(status=500)
    try:
        post(client, "/webhook/register", {"subscriberName": "down", "callbackUrl": failing.url})
        post(client, "/webhook/code/send", {"subscriberName": "down"})
        failing.wait_for("CONFIRMATION", count=3)
        deadline = time.monotonic() + 10
        while (found := client.get("/__admin/webhooks").get_json()["deliveries"][0])["status"] != "failed":
            assert time.monotonic() < deadline, found
            time.sleep(0.05)
        assert (found["attempts"], found["statusCode"], found["error"]) == (3, 500,
                                                                            "the receiver answered 500, not 200")
        time.sleep(0.2)
        assert len(failing.received) == 3
    finally:
        failing.close()


def test_reset_cancels_pending_deliveries_and_keeps_the_history(app, client):
    state = app.extensions["mockserver"].state
    with state.locked():  # as a write queues them: pending, due in an hour
        enqueue_webhooks(state, 1, [{"subscriber": "x", "event_type": "USER_REGISTERED", "url": "http://127.0.0.1:9",
                                     "secret": None, "body": "{}"}], 10)
        state._connection().execute("UPDATE webhook_deliveries SET next_try = next_try + 3600")
    assert client.post("/__admin/reset").status_code == 200
    found = client.get("/__admin/webhooks").get_json()
    assert [(d["status"], d["error"]) for d in found["deliveries"]] == [
        ("cancelled", "the world was reset (POST /__admin/reset)")]
    assert [s["subscriberName"] for s in found["subscribers"]] == ["name"]


def test_a_full_queue_drops_the_oldest_pending(app):
    state = app.extensions["mockserver"].state
    rows = [{"subscriber": "x", "event_type": f"E{n}", "url": "http://127.0.0.1:9", "secret": None, "body": "{}"}
            for n in range(3)]
    with state.locked():
        enqueue_webhooks(state, 1, rows, queue_limit=2)
    assert [(d["event_type"], d["status"]) for d in webhook_deliveries(state)] == [
        ("E0", "dropped"), ("E1", "pending"), ("E2", "pending")]
    assert dropped_webhooks(state) == 1


# --- a real server, two workers ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_each_event_arrives_once_across_two_workers():
    good, failing = Receiver(), Receiver(status=503)
    env = {"MOCKSERVER_WORKERS": "2", "MOCKSERVER_SEED": "7", "MOCKSERVER_EMPLOYEES": "50",
           "MOCKSERVER_WEBHOOK_RETRY_SECONDS": "0", "MOCKSERVER_WEBHOOK_ATTEMPTS": "2"}
    try:
        with running_server(env=env) as (url, _):
            def call(path, body):
                response = requests.post(url + path, json=body, headers=JSON, timeout=10)
                assert response.status_code in (200, 201), response.text
                return response

            def code_of(name):
                subscribers = requests.get(url + "/__admin/webhooks", timeout=10).json()["subscribers"]
                return next(s["confirmationCode"] for s in subscribers if s["subscriberName"] == name)

            for name, at in (("good", good), ("failing", failing)):
                call("/webhook/register", {"subscriberName": name, "callbackUrl": at.url, "secret": SECRET})
                call("/webhook/code/send", {"subscriberName": name})
                call("/webhook/confirm", {"subscriberName": name, "code": code_of(name)})
                for kind in ("USER_REGISTERED", "LEARNERS_ENROLLED_IN_COURSE"):
                    call("/webhook/subscribe", {"subscriberName": name, "subscription": {"subscriptionType": kind}})
            users = requests.get(url + "/user", headers=JSON, timeout=10).json()
            courses = requests.get(url + "/enrollment", headers=JSON, timeout=10).json()["enrollments"]
            course = courses[0]["courseId"]
            taken = {e["learnerId"] for e in courses if e["courseId"] == course}
            learner = next(u["userId"] for u in users if u["userId"] not in taken)
            call("/enrollment", {"courseIds": [course], "learnerIds": [learner], "dueDateType": "unlimited"})
            call("/user", {"departmentId": users[0]["departmentId"], "fields": {"login": "w2", "email": "w2@x.io"}})
            for _ in range(20):  # both workers answer requests meanwhile, each with its delivery thread
                requests.get(url + "/webhook/subscriber/info?subscriberName=good", headers=JSON, timeout=10)
            good.wait_for("USER_REGISTERED")
            good.wait_for("LEARNERS_ENROLLED_IN_COURSE")
            deadline = time.monotonic() + 15
            while True:
                deliveries = requests.get(url + "/__admin/webhooks", timeout=10).json()["deliveries"]
                ours = [d for d in deliveries if d["subscriberName"] == "failing"]
                if len(ours) == 3 and all(d["status"] == "failed" for d in ours):
                    break
                assert time.monotonic() < deadline, ours
                time.sleep(0.1)
            time.sleep(0.5)  # time for a duplicate, were there one
        assert len(good.events("CONFIRMATION")) == 1
        assert good.events("USER_REGISTERED")[0]["payloads"][0]["login"] == "w2"
        assert len(good.events("USER_REGISTERED")) == len(good.events("LEARNERS_ENROLLED_IN_COURSE")) == 1
        assert good.events("LEARNERS_ENROLLED_IN_COURSE")[0]["payloads"] == [{"courseId": course,
                                                                              "learnerIds": [learner]}]
        # The failing receiver: each of its deliveries tried twice (--webhook-attempts 2), in order, then failed.
        assert [json.loads(b)["type"] for _, b in failing.received] == \
            ["CONFIRMATION", "CONFIRMATION", "LEARNERS_ENROLLED_IN_COURSE", "LEARNERS_ENROLLED_IN_COURSE",
             "USER_REGISTERED", "USER_REGISTERED"]
        assert [(d["attempts"], d["statusCode"]) for d in ours] == [(2, 503)] * 3
    finally:
        good.close()
        failing.close()
