"""Builds the world from (seed, sizes) plus the curated doc-example entities.

Each entity comes from its own generator keyed by (seed, kind, index) (see ids.py). Relations (who is in
which batch, who is enrolled where) come from generators keyed by the parent entity, so they depend on
the world's size but never on generation order. All dates are relative to WORLD_DATE, not to the clock,
so the same seed gives the same bytes on any day.
"""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from faker import Faker

from .ids import code, rng_for, time_uuid, user_serial, utc
from .model import (
    Assignment,
    Batch,
    Certificate,
    Company,
    ContentItem,
    Course,
    Enrollment,
    LearningPlan,
    OnlineAssignment,
    OrgUnit,
    Person,
    PlanCourse,
    Tag,
)

WORLD_DATE = date(2024, 6, 1)  # "today" inside the generated world
ID_TIME_RANGE = (utc(2019, 1, 1), utc(2024, 6, 1))

DIVISIONS = {
    "Keuangan": ["Akuntansi", "Pajak", "Treasury"],
    "Sumber Daya Manusia": ["Rekrutmen", "Pelatihan dan Pengembangan", "Hubungan Industrial"],
    "Teknologi": ["Engineering", "Data", "Infrastruktur"],
    "Pemasaran": ["Brand", "Digital Marketing"],
    "Penjualan": ["Penjualan Korporat", "Penjualan Ritel", "Customer Success"],
    "Operasional": ["Logistik", "Pengadaan"],
}
JOB_TITLES = [
    "Staf", "Senior Staf", "Analis", "Spesialis", "Supervisor", "Asisten Manajer", "Manajer", "Kepala Divisi",
]
TAG_NAMES = [
    "Karyawan Baru", "Karyawan Tetap", "Kontrak", "Magang", "Manajemen", "Talenta Kunci", "Jakarta", "Surabaya",
    "Bandung", "Remote", "Mentor", "Program Kepemimpinan", "Sertifikasi Wajib", "Tim Proyek",
]
TOPICS = [
    "Effisien Menggunakan Spreadsheet untuk Report", "Komunikasi Efektif di Tempat Kerja", "Dasar-Dasar Manajemen Proyek",
    "Kepemimpinan untuk Manajer Baru", "Negosiasi dan Persuasi", "Pelayanan Pelanggan Prima", "Keamanan Informasi",
    "Analisis Data dengan SQL", "Presentasi yang Memukau", "Manajemen Waktu dan Prioritas", "Etika Bisnis dan Kepatuhan",
    "Keselamatan dan Kesehatan Kerja", "Public Speaking", "Design Thinking", "Literasi Keuangan", "Coaching dan Mentoring",
    "Penulisan Email Profesional", "Agile dan Scrum", "Pengambilan Keputusan Berbasis Data", "Onboarding Karyawan Baru",
]
CATEGORIES = ("Online", "Webinar", "Offline")
ABSENT_REASONS = ["Sakit", "Cuti tahunan", "Dinas luar kota", "Bentrok jadwal rapat"]
FEEDBACK = ["", "", "Materi sangat bermanfaat", "Trainer menjelaskan dengan jelas", "Durasi terlalu singkat"]
PLAN_TOPICS = [
    "Menjadi Software Engineer Profesional", "Menjadi DevOps Profesional", "Menjadi Data Analyst Handal",
    "Pemimpin Tim yang Efektif", "Siap Melayani Pelanggan", "Fondasi Keuangan untuk Non-Keuangan",
    "Kepatuhan dan Etika Kerja", "Produktivitas Digital", "Komunikasi Profesional", "Manajer Proyek Pemula",
]
CONTENT_TYPES = ["Course", "Course", "Course", "Quiz", "Video", "LearningTrack", "PDFDocument", "Survey"]


@cache
def _faker() -> Faker:
    return Faker("id_ID")


def curated_path() -> Path:
    """The doc-example fixture: bundled in the wheel, or fixtures/ of a source checkout."""
    bundled = Path(__file__).resolve().parent.parent / "_fixtures" / "doc-examples.json"
    return bundled if bundled.exists() else Path(__file__).resolve().parents[2] / "fixtures" / "doc-examples.json"


@cache
def _curated_text() -> str:
    return curated_path().read_text(encoding="utf-8")


def load_curated() -> dict:
    return json.loads(_curated_text())


def overlay(entity, changes: dict):
    """The entity with the curated fields set; `index` and other non-fields are ignored."""
    names = {f.name for f in fields(entity)}
    for key, value in changes.items():
        if key in names:
            setattr(entity, key, value)
    return entity


def iso_z(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


# --- entities ---------------------------------------------------------------------------------------


def org_units(seed: int) -> list[OrgUnit]:
    units = []
    for d_index, (division, departments) in enumerate(DIVISIONS.items()):
        rng = rng_for(seed, "division", d_index)
        parent = OrgUnit("COMP" + code(rng, 8, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), f"Divisi {division}", None, True,
                         time_uuid(rng, *ID_TIME_RANGE), f"DIV-{d_index + 1:02d}")
        units.append(parent)
        for k, name in enumerate(departments):
            rng = rng_for(seed, "department", f"{d_index}.{k}")
            units.append(OrgUnit("COMP" + code(rng, 8, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), name, parent.serial,
                                 rng.random() > 0.05, time_uuid(rng, *ID_TIME_RANGE), f"DEP-{d_index + 1:02d}{k + 1}"))
    renamed = {}
    for override in load_curated().get("org_units", []):  # the docs' serials (COMPFJLYTHWL ...) on generated units
        unit = units[override["index"]]
        renamed[unit.serial] = override.get("serial", unit.serial)
        overlay(unit, override)
    for unit in units:
        unit.parent_serial = renamed.get(unit.parent_serial, unit.parent_serial)
    return units


def tags(seed: int) -> list[Tag]:
    found = [Tag("RUKRTAG-" + code(rng_for(seed, "tag", i), 8), name) for i, name in enumerate(TAG_NAMES)]
    for override in load_curated().get("tags", []):  # the docs' tags (RUKRTAG-9WHL0JGP ...) in place of generated ones
        overlay(found[override["index"]], override)
    return found


def person(seed: int, index: int, departments: list[OrgUnit], tag_list: list[Tag]) -> Person:
    rng = rng_for(seed, "person", index)
    fake = _faker()
    fake.seed_instance(rng.getrandbits(64))
    first, last = fake.first_name(), fake.last_name()
    username = f"{first}.{last}{index + 1}".lower().replace(" ", "")
    seen = WORLD_DATE - timedelta(days=rng.randint(0, 400), seconds=rng.randint(0, 86399))
    return Person(
        employee_id=f"EMPLY{index + 1:03d}",
        serial=user_serial(rng, first),
        first_name=first,
        last_name=last,
        username=username,
        email=f"{username}@ruangkerja-mock.id",
        phone="08" + code(rng, 10, "0123456789"),
        is_active=rng.random() > 0.06,
        org_serial=rng.choice(departments).serial,
        tag_serials=[t.serial for t in rng.sample(tag_list, rng.randint(0, 3))],
        last_access_mission=f"{seen:%Y-%m-%d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
        user_id=time_uuid(rng, *ID_TIME_RANGE),
        job_title=f"{rng.choice(JOB_TITLES)}",
    )


def course(seed: int, index: int) -> Course:
    rng = rng_for(seed, "course", index)
    category = CATEGORIES[index % 3]
    topic = rng.choice(TOPICS)
    return Course(
        serial="COURSE-" + code(rng, 8),
        name=f"[{category.upper()}] {topic}",
        description=f"Pelatihan {category.lower()} tentang {topic.lower()} untuk seluruh karyawan.",
        category=category,
        passing_score=rng.choice([None, 70, 75, 80]),
    )


def batches_of(seed: int, c: Course) -> list[Batch]:
    if c.category == "Online":
        return []
    rng = rng_for(seed, "batches", c.serial)
    result = []
    for n in range(rng.randint(1, 3)):
        start = utc(WORLD_DATE.year, WORLD_DATE.month, WORLD_DATE.day, 2) + timedelta(days=rng.randint(-540, 20))
        end = start + timedelta(hours=7)
        post = c.passing_score is not None
        ongoing = (end + timedelta(days=14 if post else 0)).date() >= WORLD_DATE
        webinar = c.category == "Webinar"
        result.append(Batch(
            serial="BATCH-" + code(rng, 8),
            course_serial=c.serial,
            name=f"{c.category} Training Batch {n + 1}",
            main_activity_start_at=iso_z(start),
            main_activity_end_at=iso_z(end),
            post_activity_start_at=iso_z(end) if post else None,
            post_activity_end_at=iso_z(end + timedelta(days=14)) if post else None,
            platform=rng.choice(["Google Meet", "Zoom"]) if webinar else "",
            location=(f"https://meet.google.com/{code(rng, 3).lower()}-{code(rng, 4).lower()}-{code(rng, 3).lower()}"
                      if webinar else _faker().street_address() + ", Jakarta"),
            note=rng.choice(["", "Harap hadir 15 menit sebelum mulai", "Bawa laptop"]),
            status="Ongoing" if ongoing else "Completed",
        ))
    return result


def assignment(seed: int, c: Course, b: Batch, p: Person) -> Assignment:
    """An outcome that agrees with itself: a Cleared user attended and passed any post test."""
    rng = rng_for(seed, "assignment", f"{b.serial}/{p.employee_id}")
    post = c.passing_score is not None
    attended = rng.random() < 0.85
    a = Assignment("ASGC-" + code(rng, 8), p.employee_id, c.serial, b.serial, attended,
                   "" if attended else rng.choice(ABSENT_REASONS), rng.choice(FEEDBACK) if attended else "",
                   "Ongoing", "NOT STARTED" if post else "", 0, 0, c.passing_score)
    if b.status == "Ongoing":
        if post and attended and rng.random() < 0.5:
            a.post_activity_status, a.post_test_attempt = "IN PROGRESS", 1
            a.post_test_score = rng.randint(30, 100)
        return a
    if not attended:
        a.user_assigned_status = "Failed"
        a.post_activity_status = "EXPIRED" if post else ""
        return a
    if not post:
        a.user_assigned_status = "Cleared"
        return a
    a.post_test_attempt = rng.randint(1, 3)
    a.post_test_score = rng.randint(40, 100)
    a.post_activity_status = "COMPLETED"
    a.user_assigned_status = "Cleared" if a.post_test_score >= c.passing_score else "Failed"
    return a


ONLINE_STATUSES = ["not_started", "in_progress", "completed", "failed", "expired"]


def online_assignment(seed: int, c: Course, p: Person) -> OnlineAssignment:
    """Progress that agrees with itself: only a finished course has a post test, only a completed one a date."""
    rng = rng_for(seed, "online-assignment", f"{c.serial}/{p.employee_id}")
    status = rng.choices(ONLINE_STATUSES, weights=[20, 30, 35, 8, 7])[0]
    seen = utc(WORLD_DATE.year, WORLD_DATE.month, WORLD_DATE.day, 1) - timedelta(days=rng.randint(0, 400),
                                                                                   minutes=rng.randint(0, 600))
    passing = c.passing_score or 70
    a = OnlineAssignment(p.employee_id, c.serial, None, None, 0, iso_z(seen), "", status)
    if status == "not_started":
        return a
    a.pre_test = rng.randint(20, 100)
    a.time_spent = rng.randint(60, 7200)
    if status == "completed":
        a.post_test = rng.randint(passing, 100)
        a.completed_at = f"{seen:%Y-%m-%d}"
    elif status == "failed":
        a.post_test = rng.randint(0, passing - 1)
    return a


def learning_plan(seed: int, index: int, online_courses: list[Course], assignees: dict[str, list[str]]) -> LearningPlan:
    """A plan of one to three Online courses. Its participants' progress is their online assignment to each course,
    so they are people assigned to every course of it: a further course is taken only when two or more of the
    people assigned so far are assigned to it too. `assignees`: each online course's employee IDs, in world order."""
    rng = rng_for(seed, "learning-plan", index)
    topic = PLAN_TOPICS[index % len(PLAN_TOPICS)]
    serial = "LRPN-" + code(rng, 8)  # its own fields first: the same plan whatever the world's size
    description = rng.choice(["", f"Rangkaian kursus wajib: {topic.lower()}."])
    created = utc(WORLD_DATE.year, WORLD_DATE.month, WORLD_DATE.day, 1) - timedelta(days=rng.randint(30, 700),
                                                                                      minutes=rng.randint(0, 600))
    updated = created + timedelta(days=rng.randint(0, 29), minutes=rng.randint(0, 600))
    wanted = rng.randint(1, 3)
    chosen: list[Course] = []
    pool: list[str] = []
    for c in rng.sample(online_courses, len(online_courses)):
        there = set(assignees[c.serial])
        shared = [e for e in pool if e in there] if chosen else list(assignees[c.serial])
        if chosen and len(shared) < 2:
            continue
        chosen.append(c)
        pool = shared
        if len(chosen) == wanted:
            break
    members = set(rng.sample(pool, rng.randint(1, len(pool)))) if pool else set()
    return LearningPlan(
        serial=serial,
        name=f"[Learning Plan] {topic}",
        description=description,
        created_at=iso_z(created),
        updated_at=iso_z(updated),
        courses=[PlanCourse(c.serial, f"{created + timedelta(days=rng.randint(14, 120)):%Y-%m-%d}T06:00:00Z")
                 for c in chosen],
        employee_ids=[e for e in pool if e in members],
    )


def content_item(seed: int, index: int, authors: list[Person], account_url: str) -> ContentItem:
    rng = rng_for(seed, "content", index)
    kind = rng.choice(CONTENT_TYPES)
    topic = rng.choice(TOPICS)
    added = utc(2019, 1, 1) + timedelta(seconds=rng.randint(0, int((ID_TIME_RANGE[1] - ID_TIME_RANGE[0]).total_seconds())))
    return ContentItem(
        content_item_id=time_uuid(rng, *ID_TIME_RANGE),
        title=topic,
        subtitle=rng.choice(["", "Modul wajib", "Modul pilihan"]),
        description=f"Materi {kind} tentang {topic.lower()}.",
        author_id=rng.choice(authors).user_id,
        added_date=added.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        view_url=f"{account_url.replace('http://', 'https://')}/view/{rng.randint(200000, 299999)}-{code(rng, 5).lower()}",
        type=kind,
    )


def enrollment(seed: int, item: ContentItem, learner: Person) -> Enrollment:
    rng = rng_for(seed, "enrollment", f"{item.content_item_id}/{learner.user_id}")
    access = WORLD_DATE - timedelta(days=rng.randint(0, 700))
    due = access + timedelta(days=rng.choice([14, 30, 60])) if rng.random() < 0.6 else None
    certificate = None
    if rng.random() < 0.25:
        issued = access + timedelta(days=rng.randint(1, 30))
        certificate = Certificate(time_uuid(rng, *ID_TIME_RANGE), issued.isoformat(),
                                  (issued + timedelta(days=365)).isoformat() if rng.random() < 0.7 else None)
    return Enrollment(
        enrollment_id=time_uuid(rng, *ID_TIME_RANGE),
        course_id=item.content_item_id,
        learner_id=learner.user_id,
        access_date=access.isoformat(),
        due_date=due.isoformat() if due else None,
        should_lock_after_due_date=due is not None and rng.random() < 0.4,
        enrollment_type_group=0 if rng.random() < 0.8 else 1,
        certificate=certificate,
    )


# --- the whole world ----------------------------------------------------------------------------------


def generate(seed: int, employees: int, courses: int) -> dict:
    """Every entity list of the world, in the order the vendors list them."""
    curated = load_curated()
    company = Company(**curated["company"])
    units = org_units(seed)
    departments = [u for u in units if u.parent_serial]
    tag_list = tags(seed)

    people = [person(seed, i, departments, tag_list) for i in range(employees)]
    for override in curated["people"]:
        i = override["index"]
        if i >= len(people):
            people.extend(person(seed, k, departments, tag_list) for k in range(len(people), i + 1))
        p = overlay(people[i], override)
        if "first_name" in override or "last_name" in override:  # a doc person's own name: john.doe@...
            p.username = f"{p.first_name}.{p.last_name}".lower()
            p.email = f"{p.username}@ruangkerja-mock.id"

    course_list = [course(seed, i) for i in range(courses)]
    for override in curated["courses"]:
        i = override["index"]
        if i >= len(course_list):
            course_list.extend(course(seed, k) for k in range(len(course_list), i + 1))
        overlay(course_list[i], override)
    by_course = {c.serial: c for c in course_list}

    batch_list = [b for c in course_list for b in batches_of(seed, c)]
    for b in (Batch(**row) for row in curated["batches"]):  # a doc batch takes the place of its course's first batch
        first = next(i for i, x in enumerate(batch_list) if x.course_serial == b.course_serial)
        batch_list[first] = b

    by_employee = {p.employee_id: p for p in people}
    assignments = []
    for b in batch_list:
        c = by_course[b.course_serial]
        chosen = [a for a in curated["assignments"] if a["batch_serial"] == b.serial]
        for fixed in chosen:
            assignments.append(Assignment(**fixed, course_serial=c.serial))
        taken = {a["employee_id"] for a in chosen}
        rng = rng_for(seed, "members", b.serial)
        pool = [p for p in people if p.employee_id not in taken and p.is_active]
        for p in rng.sample(pool, min(len(pool), rng.randint(8, 40))):
            assignments.append(assignment(seed, c, b, p))
    assert all(a.employee_id in by_employee for a in assignments)

    online = []
    curated_online = [dict(o, course_serial=course_list[o["course_index"]].serial)
                      for o in curated["online_assignments"] if o["course_index"] < len(course_list)]
    for c in course_list:
        if c.category == "Online":
            chosen = [OnlineAssignment(**{f.name: o[f.name] for f in fields(OnlineAssignment) if f.name in o})
                      for o in curated_online if o["course_serial"] == c.serial]
            online.extend(chosen)  # a doc person's progress comes first, and stands for any generated one
            taken = {o.employee_id for o in chosen}
            rng = rng_for(seed, "online-members", c.serial)
            pool = [p for p in people if p.is_active]
            online.extend(online_assignment(seed, c, p) for p in rng.sample(pool, min(len(pool), rng.randint(8, 40)))
                          if p.employee_id not in taken)
    assert all(by_course[o.course_serial].category == "Online" for o in online)

    rank = {p.employee_id: i for i, p in enumerate(people)}
    assignees: dict[str, list[str]] = {c.serial: [] for c in course_list if c.category == "Online"}
    for o in sorted(online, key=lambda o: rank[o.employee_id]):
        assignees[o.course_serial].append(o.employee_id)
    online_courses = [c for c in course_list if c.category == "Online"]
    plans = [learning_plan(seed, i, online_courses, assignees) for i in range(max(2, courses // 4))]
    for override in curated["learning_plans"]:
        i = override["index"]
        if i >= len(plans):
            plans.extend(learning_plan(seed, k, online_courses, assignees) for k in range(len(plans), i + 1))
        plan = overlay(plans[i], {k: v for k, v in override.items() if k != "courses"})
        plan.courses = [PlanCourse(course_list[c["course_index"]].serial, c["deadline"])
                        for c in override["courses"] if c["course_index"] < len(course_list)]

    items = [content_item(seed, i, people, company.account_url) for i in range(max(courses, 2))]
    for override in curated["content_items"]:
        overlay(items[override["index"]], override)
    items += assignment_items(seed, people, company.account_url)
    enrollments = [Enrollment(**{**e, "certificate": Certificate(**e["certificate"]) if e["certificate"] else None})
                   for e in curated["enrollments"]]
    taken_pairs = {(e.course_id, e.learner_id) for e in enrollments}
    for item in items:
        rng = rng_for(seed, "enrolled", item.content_item_id)
        for learner in rng.sample(people, min(len(people), rng.randint(5, 25))):
            if (item.content_item_id, learner.user_id) not in taken_pairs:
                enrollments.append(enrollment(seed, item, learner))

    return {
        "company": company,
        "org_units": units,
        "tags": tag_list,
        "people": people,
        "courses": course_list,
        "batches": batch_list,
        "assignments": assignments,
        "online_assignments": online,
        "learning_plans": plans,
        "content_items": items,
        "enrollments": enrollments,
    }


# --- training ---

ASSIGNMENT_ITEMS = 3  # content items of type Assignment (iSpring's graded tasks): a few in every world


def assignment_items(seed: int, authors: list[Person], account_url: str) -> list[ContentItem]:
    """Content items of type Assignment, after the catalogue (each drawn from its own key, so the items before them
    stay what they were): what GET /assignments lists and learners submit attempts to."""
    found = []
    for k in range(ASSIGNMENT_ITEMS):
        rng = rng_for(seed, "content-assignment", k)
        topic = rng.choice(TOPICS)
        added = utc(2019, 1, 1) + timedelta(seconds=rng.randint(0, int((ID_TIME_RANGE[1] - ID_TIME_RANGE[0])
                                                                       .total_seconds())))
        found.append(ContentItem(
            content_item_id=time_uuid(rng, *ID_TIME_RANGE), title=f"Tugas: {topic}", subtitle="Tugas praktik",
            description=f"Tugas praktik tentang {topic.lower()}: unggah hasil kerja untuk dinilai instruktur.",
            author_id=rng.choice([p for p in authors if p.user_id] or authors).user_id,
            added_date=added.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            view_url=f"{account_url.replace('http://', 'https://')}/view/{rng.randint(200000, 299999)}-"
                     f"{code(rng, 5).lower()}",
            type="Assignment"))
    return found

