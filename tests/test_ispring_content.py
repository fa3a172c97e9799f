"""iSpring's content catalogue over REST (XML and JSON): the content lists, a course's modules, course fields, the
courses tree, CreateContent, learning tracks' courses, quizzes and the answer breakdown, checked on the wire and
against the official spec, and consistent with the world: modules belong to courses, tracks list courses, quizzes
are Quiz items or Quiz modules, answers come from the enrollments of the quiz's learners.

Oracles are the world's records read another way (the catalogue's types counted, the enrollments of a course), the
spec's shapes, and the answers' own arithmetic (an attempt's score is the sum of its answers' scores).
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from lxml import etree

from mockserver.ispring.operations import EXAMPLE_QUIZ, EXAMPLE_TRACK

from .helpers.apps import make_app
from .helpers.ispring_spec import SPEC, load_spec, matches_spec
from .helpers.ispring_wire import COMMUNICATION, LEGACY_HEADERS, SPREADSHEETS, rest_error

JSON = {**LEGACY_HEADERS, "Accept": "application/json"}
XML = {**LEGACY_HEADERS, "Accept": "application/xml"}
UNKNOWN = "00000000-0000-1000-8000-000000000000"


def world_of(client):
    return client.application.extensions["mockserver"].world


def get_json(client, url: str, **query):
    response = client.get(url, headers=JSON, **({"query_string": query} if query else {}))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "application/json"
    return response.get_json()


def get_xml(client, url: str, **query) -> etree._Element:
    response = client.get(url, headers=XML, **({"query_string": query} if query else {}))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    return etree.fromstring(response.get_data())


def walk(client, url: str, items: str, token: str = "nextPageToken", **query) -> list:
    """Every item of a token-paged list, page by page."""
    found, page_token = [], None
    for _ in range(100):
        body = get_json(client, url, **query, **({"pageToken": page_token} if page_token else {}))
        found += body[items]
        page_token = body.get(token)
        if page_token is None:
            return found
    raise AssertionError("the page tokens never end")


def of_type(world, *kinds) -> list:
    return [c for c in world.content_items if c.type in kinds]


# --- the content lists ----------------------------------------------------------------------------------------------


def test_get_content_lists_the_catalogue_and_filters_by_type(client):
    world = world_of(client)
    everything = get_json(client, "/content")
    assert [c["contentItemId"] for c in everything] == [c.content_item_id for c in world.content_items]
    assert list(everything[0])[:10] == ["contentItemId", "title", "subtitle", "description", "userId", "addedDate",
                                        "viewUrl", "type", "contentItemType", "courseFields"]
    chosen = get_json(client, "/content?contentTypes=Quiz&contentTypes=LearningTrack")
    assert sorted(c["contentItemId"] for c in chosen) == sorted(
        c.content_item_id for c in of_type(world, "Quiz", "LearningTrack"))
    assert get_json(client, "/content?contentTypes[]=Quiz") == [c for c in chosen if c["type"] == "Quiz"]
    root = get_xml(client, "/content", contentTypes="Course")
    assert root.tag == "response" and {c.tag for c in root} == {"contentItem"}
    assert len(root) == len(of_type(world, "Course"))


def test_a_seeded_course_carries_the_account_course_fields(client):
    fields = get_json(client, "/course_fields")["courseFields"]
    assert [list(f) for f in fields] == [["fieldId", "fieldCustomId", "fieldLabel", "fieldType"]] * len(fields)
    assert {f["fieldType"] for f in fields} == {"TEXT"}
    course = get_json(client, f"/content/{SPREADSHEETS}")["contentItem"]
    assert [v["fieldId"] for v in course["courseFields"]] == [f["fieldId"] for f in fields]
    quiz = next(c for c in world_of(client).content_items if c.type == "Quiz")
    assert "courseFields" not in get_json(client, f"/content/{quiz.content_item_id}")["contentItem"]
    # XML: the spec's unwrapped array, <courseField> repeated inside <contentItem>
    item = get_xml(client, f"/content/{SPREADSHEETS}").find("contentItem")
    assert [c.findtext("fieldId") for c in item.findall("courseField")] == [f["fieldId"] for f in fields]
    root = get_xml(client, "/course_fields")
    assert [c.tag for c in root] == ["courseFields"] and len(root[0].findall("courseField")) == len(fields)


def test_list_content_pages_in_id_order_and_filters(client):
    world = world_of(client)
    walked = walk(client, "/contents", "contentItems", pageSize=4)
    assert [c["contentItemId"] for c in walked] == sorted(c.content_item_id for c in world.content_items)
    some = [SPREADSHEETS, COMMUNICATION, UNKNOWN]  # an unknown ID matches nothing
    body = get_json(client, "/contents", **{"contentItemIds[]": some})
    assert [c["contentItemId"] for c in body["contentItems"]] == sorted(some[:2]) and "nextPageToken" not in body
    root = get_xml(client, "/contents", pageSize=2)
    assert [c.tag for c in root] == ["contentItems", "nextPageToken"]
    assert [c.tag for c in root[0]] == ["contentItem", "contentItem"]


def test_list_content_by_post_reads_its_filters_from_an_xml_body(client):
    courses = sorted(c.content_item_id for c in of_type(world_of(client), "Course"))
    repeated = ("<request><contentTypes>Course</contentTypes><contentTypes>Quiz</contentTypes>"
                + "".join(f"<contentItemIds>{i}</contentItemIds>" for i in courses[:3]) + "<pageSize>2</pageSize>"
                "</request>")
    response = client.post("/contents", data=repeated, headers={**JSON, "Content-Type": "application/xml"})
    assert response.status_code == 200, response.get_data(as_text=True)
    first = response.get_json()
    assert [c["contentItemId"] for c in first["contentItems"]] == courses[:2] and first["nextPageToken"]
    wrapped = (f"<request><contentItemIds>{''.join(f'<id>{i}</id>' for i in courses[:3])}</contentItemIds>"
               f"<pageToken>{first['nextPageToken']}</pageToken></request>")
    second = client.post("/contents", data=wrapped, headers={**JSON, "Content-Type": "application/xml"}).get_json()
    assert [c["contentItemId"] for c in second["contentItems"]] == courses[2:3] and "nextPageToken" not in second


@pytest.mark.parametrize("url, field", [
    ("/content?contentTypes=Movie", "contentTypes"),
    ("/contents?contentItemIds[]=nope", "contentItemIds"),
    ("/courses/modules", "courseIds"),
    ("/learning_track/courses", "learningTrackIds"),
    ("/learning_track/courses?learningTrackIds=a,b", "learningTrackIds"),
    ("/report/answer-breakdown", "quizId"),
    (f"/report/answer-breakdown?quizId={UNKNOWN}", "quizId"),
    (f"/report/answer-breakdown?quizId={EXAMPLE_QUIZ}&attemptDate[startDate]=2020-01-01", "attemptDate[endDate]"),
    (f"/report/answer-breakdown?quizId={EXAMPLE_QUIZ}&attemptDate[from]=2020-01-01", "attemptDate"),
])
def test_bad_input_is_a_400_naming_the_field(client, url, field):
    assert field in rest_error(client.get(url, headers=XML), 400)
    assert field in rest_error(client.get(url, headers=JSON), 400, json=True)


def test_target_locale_is_checked(client):
    assert client.get("/content", headers={**JSON, "X-Target-Locale": "id-ID"}).status_code == 200
    assert "X-Target-Locale" in rest_error(client.get("/content", headers={**JSON, "X-Target-Locale": "xx"}), 400,
                                           json=True)


# --- modules --------------------------------------------------------------------------------------------------------


def test_a_course_has_its_modules_in_order(client):
    modules = get_json(client, f"/course/{SPREADSHEETS}/modules")["modules"]
    assert 2 <= len(modules) <= 5
    assert {m["courseId"] for m in modules} == {SPREADSHEETS}
    assert [int(m["title"].split(":")[0].split()[-1]) for m in modules] == list(range(1, len(modules) + 1))
    assert list(modules[0]) == ["moduleId", "contentItemId", "courseId", "title", "description", "authorId",
                                "addedDate", "viewUrl"]
    root = get_xml(client, f"/course/{SPREADSHEETS}/modules")  # unwrapped: <module> straight under <response>
    assert [c.tag for c in root] == ["module"] * len(modules)
    assert [c.findtext("moduleId") for c in root] == [m["moduleId"] for m in modules]


def test_course_modules_404_for_an_unknown_item_and_400_for_one_that_is_no_course(client):
    assert UNKNOWN in rest_error(client.get(f"/course/{UNKNOWN}/modules", headers=XML), 404)
    video = next(c for c in world_of(client).content_items if c.type != "Course")
    assert "not a Course" in rest_error(client.get(f"/course/{video.content_item_id}/modules", headers=JSON), 400,
                                        json=True)


def test_courses_modules_pages_the_modules_of_the_courses_named(client):
    courses = [SPREADSHEETS, COMMUNICATION]
    expected = sorted((m for c in courses for m in get_json(client, f"/course/{c}/modules")["modules"]),
                      key=lambda m: m["moduleId"])
    walked = walk(client, "/courses/modules", "modules", token="nextPageToekn", courseIds=[*courses, UNKNOWN],
                  pageSize=3)
    assert walked == expected
    root = get_xml(client, "/courses/modules", courseIds=courses, pageSize=1)
    assert [c.tag for c in root] == ["modules", "nextPageToekn"]  # the spec's spelling


# --- the courses tree and CreateContent ---------------------------------------------------------------------------


def test_the_courses_tree_files_every_item_in_a_folder(client):
    world = world_of(client)
    tree = get_json(client, "/courses_tree")
    folders = {e["contentItemId"]: e for e in tree if e["type"] == "Folder"}
    items = [e for e in tree if e["type"] != "Folder"]
    assert [e["contentItemId"] for e in items] == [c.content_item_id for c in world.content_items]
    roots = {f["parentId"] for f in folders.values() if f["parentId"] not in folders}
    assert len(roots) == 1  # one library root holds the top folders, and is not itself listed
    assert all(e["parentId"] in folders for e in items)
    assert all(isinstance(e["isShared"], bool) for e in tree)
    chosen = get_json(client, "/courses_tree", contentItemIds=[SPREADSHEETS, UNKNOWN])
    assert [e["contentItemId"] for e in chosen] == [SPREADSHEETS]


def test_create_content_adds_a_course_every_route_and_worker_sees(app, client, world_json, tmp_path):
    folder = next(e for e in get_json(client, "/courses_tree") if e["type"] == "Folder")["contentItemId"]
    before = len(get_json(client, "/content"))
    response = client.post("/content/create/Course", json={"folder_id": folder, "title": "Kursus Baru"},
                           headers=JSON)
    assert response.status_code == 201 and response.headers["Content-Type"] == "application/json"
    new_id = response.get_json()
    item = get_json(client, f"/content/{new_id}")["contentItem"]
    assert (item["title"], item["type"], item["contentItemType"]) == ("Kursus Baru", "Course", "Course")
    other = make_app(world_json, tmp_path).test_client()  # another worker on the same shared state
    assert len(get_json(other, "/content")) == before + 1
    assert [e["parentId"] for e in get_json(other, "/courses_tree", contentItemIds=[new_id])] == [folder]
    assert new_id in [c["contentItemId"] for c in walk(other, "/contents", "contentItems")]
    assert get_json(other, f"/course/{new_id}/modules")["modules"]  # a course has modules
    learner = world_of(client).learners[0].user_id
    enrolled = client.post("/enrollment", json={"courseIds": [new_id], "learnerIds": [learner],
                                                "dueDateType": "unlimited"}, headers=JSON)
    assert enrolled.status_code == 201, enrolled.get_data(as_text=True)
    assert [e["learnerId"] for e in get_json(other, "/enrollment", **{"courseIds[]": new_id})["enrollments"]] == \
        [learner]
    # XML, for who asks for it: the bare ID as <response>'s text
    again = client.post("/content/create/Course", json={"folder_id": folder, "title": "Lagi"}, headers=XML)
    assert again.status_code == 201 and etree.fromstring(again.get_data()).text in \
        [c["contentItemId"] for c in get_json(client, "/content?contentTypes=Course")]


@pytest.mark.parametrize("path, body, field", [
    ("/content/create/Course", {"folder_id": UNKNOWN, "title": "X"}, "folder_id"),
    ("/content/create/Course", {"title": "X"}, "folder_id"),
    ("/content/create/Course", {"folder_id": "not-a-uuid", "title": "X"}, "folder_id"),
    ("/content/create/Video", {"folder_id": "FOLDER", "title": "X"}, "contentType"),
    ("/content/create/Course", {"folder_id": "FOLDER", "title": " "}, "title"),
])
def test_create_content_refusals_store_nothing(client, path, body, field):
    folder = next(e for e in get_json(client, "/courses_tree") if e["type"] == "Folder")["contentItemId"]
    body = {k: folder if v == "FOLDER" else v for k, v in body.items()}
    before = get_json(client, "/content")
    assert field in rest_error(client.post(path, json=body, headers=JSON), 400, json=True)
    assert get_json(client, "/content") == before


# --- learning tracks and quizzes ------------------------------------------------------------------------------------


def test_learning_tracks_list_courses_of_the_catalogue(client):
    world = world_of(client)
    tracks = [c.content_item_id for c in of_type(world, "LearningTrack")]
    assert EXAMPLE_TRACK in tracks and len(tracks) >= 2
    pairs = get_json(client, "/learning_track/courses", learningTrackIds=",".join([*tracks[:2], UNKNOWN]))
    assert [p["learningTrackId"] for p in pairs] == sorted(
        [p["learningTrackId"] for p in pairs], key=tracks.index)  # the order the tracks were named
    assert {p["learningTrackId"] for p in pairs} == set(tracks[:2])
    courses = {c.content_item_id for c in of_type(world, "Course")}
    assert all(p["courseId"] in courses for p in pairs)
    root = get_xml(client, "/learning_track/courses", learningTrackIds=tracks[0])
    assert {c.tag for c in root} == {"learningTracksCourse"}
    assert get_json(client, "/learning_track/courses", learningTrackIds=SPREADSHEETS) == []  # a course is no track


def test_quizzes_are_the_quiz_items_and_the_quiz_modules_of_courses(client):
    world = world_of(client)
    quizzes = walk(client, "/quizzes", "results", pageSize=5)
    assert [q["quizId"] for q in quizzes] == sorted(q["quizId"] for q in quizzes)
    standalone = {q["contentItemId"] for q in quizzes if not q["parentCourseIds"]}
    assert standalone == {c.content_item_id for c in of_type(world, "Quiz")}
    for q in quizzes:
        if q["parentCourseIds"]:
            (course,) = q["parentCourseIds"]
            modules = get_json(client, f"/course/{course}/modules")["modules"]
            assert q["contentItemId"] in {m["contentItemId"] for m in modules}
    in_course = get_json(client, "/quizzes", parentCourseIds=[SPREADSHEETS])["results"]
    assert in_course == [q for q in quizzes if SPREADSHEETS in q["parentCourseIds"]]
    one = quizzes[0]
    assert get_json(client, "/quizzes", quizIds=[one["quizId"], UNKNOWN])["results"] == [one]
    assert get_json(client, "/quizzes", contentItemIds=[one["contentItemId"]])["results"] == [one]
    result = get_xml(client, "/quizzes", pageSize=1)[0][0]
    assert [c.tag for c in result] == ["quizId", "quizTitle", "contentItemId", "parentCourseIds"]


def attempts(rows: list) -> dict:
    found = defaultdict(list)
    for r in rows:
        found[r["enrollmentId"]].append(r)
    return found


def test_the_answer_breakdown_comes_from_the_quiz_learners_enrollments(client):
    world = world_of(client)
    quiz = next(q for q in walk(client, "/quizzes", "results") if q["quizId"] == EXAMPLE_QUIZ)
    course = quiz["parentCourseIds"][0] if quiz["parentCourseIds"] else quiz["contentItemId"]
    enrolled = {e.enrollment_id: e for e in world.enrollments.values() if e.course_id == course}
    rows = walk(client, "/report/answer-breakdown", "results", quizId=EXAMPLE_QUIZ, pageSize=7)
    by_attempt = attempts(rows)
    assert by_attempt and set(by_attempt) <= set(enrolled)
    for enrollment_id, answers in by_attempt.items():
        e = enrolled[enrollment_id]
        assert {a["userId"] for a in answers} == {e.learner_id}
        assert len({(a["attemptDate"], a["attemptScore"], a["passingScore"]) for a in answers}) == 1
        first = answers[0]
        assert first["attemptDate"][:10] >= e.access_date
        assert first["attemptScore"] == sum(a["answerScore"] for a in answers)
        assert first["isAttemptPassed"] == (first["attemptScore"] >= first["passingScore"])
        for a in answers:
            assert a["answerScore"] <= a["questionScore"] and (a["answerScore"] == 0 or a["isAnswerCorrect"])
    # filters: a learner, an enrollment, a span of attempt dates
    some = rows[0]
    assert {r["userId"] for r in get_json(client, "/report/answer-breakdown", quizId=EXAMPLE_QUIZ,
                                          userIds=[some["userId"]])["results"]} == {some["userId"]}
    assert get_json(client, "/report/answer-breakdown", quizId=EXAMPLE_QUIZ,
                    enrollmentIds=[some["enrollmentId"]])["results"] == by_attempt[some["enrollmentId"]]
    day = some["attemptDate"][:10]
    spanned = get_json(client, "/report/answer-breakdown", quizId=EXAMPLE_QUIZ,
                       **{"attemptDate[startDate]": day, "attemptDate[endDate]": day})["results"]
    assert spanned == [r for r in rows if r["attemptDate"][:10] == day]
    assert get_json(client, "/report/answer-breakdown", quizId=EXAMPLE_QUIZ, parentCourseId=UNKNOWN)["results"] == []
    # XML: the spec names the page's root <results>
    root = get_xml(client, "/report/answer-breakdown", quizId=EXAMPLE_QUIZ, pageSize=2)
    assert root.tag == "results" and [c.tag for c in root] == ["results", "nextPageToken"]
    assert [c.tag for c in root[0]] == ["result", "result"]


def test_unenrolling_takes_the_learners_answers_away(client):
    rows = get_json(client, "/report/answer-breakdown", quizId=EXAMPLE_QUIZ)["results"]
    gone = rows[0]["enrollmentId"]
    deleted = client.post("/enrollment/delete", json={"enrollmentIds": [gone]}, headers=JSON)
    assert deleted.status_code == 204
    after = get_json(client, "/report/answer-breakdown", quizId=EXAMPLE_QUIZ)["results"]
    assert after == [r for r in rows if r["enrollmentId"] != gone]


# --- the official spec ----------------------------------------------------------------------------------------------


@pytest.mark.skipif(not SPEC.exists(), reason="the vendor's spec is absent (../shared/specs/)")
@pytest.mark.parametrize("media", ["application/json", "application/xml"])
def test_every_content_answer_matches_the_official_spec(client, media):
    spec = load_spec()
    checked = [
        ("/content", "/content?contentTypes=Course"),
        ("/contents", "/contents?pageSize=3"),
        ("/content/{contentId}", f"/content/{SPREADSHEETS}"),
        ("/courses/modules", f"/courses/modules?courseIds={SPREADSHEETS}&pageSize=1"),
        ("/course/{courseId}/modules", f"/course/{SPREADSHEETS}/modules"),
        ("/course/{courseId}/modules", f"/course/{UNKNOWN}/modules"),
        ("/course_fields", "/course_fields"),
        ("/courses_tree", "/courses_tree"),
        ("/learning_track/courses", f"/learning_track/courses?learningTrackIds={EXAMPLE_TRACK}"),
        ("/quizzes", "/quizzes?pageSize=3"),
        ("/report/answer-breakdown", f"/report/answer-breakdown?quizId={EXAMPLE_QUIZ}&pageSize=3"),
        ("/report/answer-breakdown", "/report/answer-breakdown"),
    ]
    for path, url in checked:
        matches_spec(spec, "get", path, client.get(url, headers={**LEGACY_HEADERS, "Accept": media}), media)
    body = "<request><contentTypes>Quiz</contentTypes></request>"
    matches_spec(spec, "post", "/contents", client.post("/contents", data=body, headers={
        **LEGACY_HEADERS, "Accept": media, "Content-Type": "application/xml"}), media)
    if media == "application/json":  # the spec documents CreateContent's 201 in JSON only
        folder = get_json(client, "/courses_tree")[0]["contentItemId"]
        matches_spec(spec, "post", "/content/create/{contentType}", client.post(
            "/content/create/Course", json={"folder_id": folder, "title": "Spec"}, headers=JSON), media)
