"""Driving the world on a real server of two gunicorn workers: an activity and a clock change made through one worker
are in force on the other at its next request, and an edit of the --fixtures file reloads both."""

from __future__ import annotations

import json
import os
import time
from contextlib import closing

import pytest

from mockserver.world import World

from .helpers.apps import TOKEN
from .helpers.servers import ConsoleOutput, running_server
from .test_serve import sessions_on_two_workers

pytestmark = pytest.mark.slow
SUMMARY = "/ruangkerja/dashboard/users/{}/activity-summary"


def test_activity_clock_and_fixtures_edit_reach_both_workers(tmp_path):
    world = World.build(11, 40, 12)
    path = tmp_path / "world.json"
    path.write_text(json.dumps(world.to_json()), encoding="utf-8")
    o = next(o for o in world.online_assignments if o.status == "not_started")
    summary, john = SUMMARY.format(o.employee_id), SUMMARY.format("EMPLY001")
    env = {"MOCKSERVER_WORKERS": "2", "MOCKSERVER_FIXTURES": str(path)}
    with running_server(env=env) as (url, process):
        output = ConsoleOutput(process.stdout)
        one, two = sessions_on_two_workers(url)
        try:
            with closing(one), closing(two):
                def completed(session):
                    return session.get(url + summary, headers=TOKEN).json()["data"]["numberOfCoursesCompleted"]

                before = completed(two)
                done = one.post(url + "/__admin/activity", json={
                    "vendor": "ruangkerja", "action": "complete", "employeeId": o.employee_id,
                    "courseId": o.course_serial, "score": 100})
                assert done.status_code == 200, done.text
                assert completed(two) == completed(one) == before + 1

                assert two.post(url + "/__admin/clock", json={"set": "2030-01-01T00:00:00Z", "freeze": True}) \
                    .status_code == 200
                assert one.get(url + "/__admin/clock").json()["now"] == "2030-01-01T00:00:00Z"

                edited = world.to_json()
                edited["people"][0]["first_name"] = "Johnny"
                path.write_text(json.dumps(edited), encoding="utf-8")
                os.utime(path, ns=(1, 1))
                for session in (two, one):
                    assert session.get(url + john, headers=TOKEN).json()["data"]["user"]["name"] == "Johnny Doe"
                assert completed(one) == completed(two) == before  # a new pristine world: the activity is gone
                assert one.get(url + "/__admin/clock").json()["now"] == "2030-01-01T00:00:00Z"  # the clock stays

                path.write_text("{broken", encoding="utf-8")
                os.utime(path, ns=(2, 2))
                for session in (one, two):
                    assert session.get(url + john, headers=TOKEN).json()["data"]["user"]["name"] == "Johnny Doe"
                time.sleep(0.3)  # the console reader catches up
                assert len([line for line in output.lines if "the edit is not loaded" in line]) == 2  # a worker each
        finally:
            process.terminate()
            process.wait(10)
            output.close()
