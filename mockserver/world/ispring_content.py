"""iSpring's content catalogue beyond the content items: the folders of the courses tree, a course's modules, the
course fields, learning tracks' courses, quizzes with their questions, and who answered what.

All of it is DERIVED from the seed and the content items whenever it is asked (never stored in the world file), so
every worker derives the same: a module belongs to a content item of type Course, a learning track is a content item
of type LearningTrack and lists seeded courses, a quiz is a content item of type Quiz or a Quiz module of a course,
and the answer breakdown comes from the enrollments of the quiz's learners, one attempt or none per enrollment,
decided by (seed, quiz, enrollment). The one write, CreateContent, adds a content item (one log event) that records
the folder it was created in; a seeded item's folder follows from its type.
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable

from ..errors import BadRequestError
from .ids import code, rng_for, time_uuid
from .ispring_seed import timestamp
from .model import ContentItem, Enrollment
from .store import World, applies

_EPOCH = (datetime(2019, 1, 1, tzinfo=timezone.utc), datetime(2019, 6, 1, tzinfo=timezone.utc))
FOLDER = "Folder"  # a CourseTreeItem's `type` for a folder (its items carry their ContentType)
CREATABLE = ("Course",)  # the spec's CreateContent body is CreateCourseRequest, its only oneOf
CONTENT_CREATED = "ispring.content_created"

# name, parent (an index into this tuple, or None: the library's root), and the ContentTypes filed there.
FOLDERS = (
    ("Kursus Wajib", None, ("Course",)),
    ("Kursus Pilihan", 0, ("Course",)),
    ("Jalur Belajar", None, ("LearningTrack",)),
    ("Kuis dan Survei", None, ("Quiz", "Survey", "OnlineQuiz", "RolePlay", "Assignment")),
    ("Materi Pendukung", None, ()),  # everything else
)
# fieldCustomId, fieldLabel, the values a seeded course takes
COURSE_FIELDS = (
    ("category", "Kategori", ("Wajib", "Pengembangan Diri", "Teknis", "Kepemimpinan")),
    ("provider", "Penyelenggara", ("Tim HR", "Akademi Internal", "Mitra Eksternal")),
    ("level", "Tingkat", ("Dasar", "Menengah", "Lanjutan")),
)
MODULE_KINDS = ("iSpringSuiteModule", "Video", "Quiz", "PDFDocument", "Quiz", "Survey")
MODULE_LABELS = {"iSpringSuiteModule": "Presentasi", "Video": "Video", "Quiz": "Kuis", "PDFDocument": "Bacaan",
                 "Survey": "Survei"}
# question stem, type, answers (text, correct)
QUESTION_BANK = (
    ("Apa langkah pertama sebelum memulai pekerjaan baru?", "MultipleChoice",
     (("Memahami tujuan dan hasil yang diharapkan", True), ("Langsung mengerjakan", False),
      ("Menunggu instruksi tertulis", False), ("Menunda sampai tenggat", False))),
    ("Umpan balik yang baik bersifat spesifik dan tepat waktu.", "TrueFalse", (("Benar", True), ("Salah", False))),
    ("Pilih dua ciri komunikasi efektif.", "MultipleResponse",
     (("Jelas", True), ("Ringkas", True), ("Berbelit-belit", False), ("Tanpa konteks", False))),
    ("Apa yang dilakukan saat tenggat tidak dapat dipenuhi?", "MultipleChoice",
     (("Memberi tahu atasan sejak awal", True), ("Diam saja", False), ("Menyalahkan rekan", False))),
    ("Data pribadi pelanggan boleh dibagikan di grup obrolan.", "TrueFalse", (("Benar", False), ("Salah", True))),
    ("Pilih dua prinsip manajemen waktu.", "MultipleResponse",
     (("Menetapkan prioritas", True), ("Membagi tugas besar", True), ("Multitasking terus-menerus", False))),
    ("Siapa yang bertanggung jawab atas keselamatan kerja?", "MultipleChoice",
     (("Semua karyawan", True), ("Hanya petugas K3", False), ("Hanya manajer", False))),
)


# --- the records ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContentTreeItem:
    """A CourseTreeItem: a folder (type Folder) or a content item (its ContentType), in the folder `parent_id`."""

    content_item_id: str
    title: str
    content_type: str
    description: str
    added_date: str
    view_url: str
    parent_id: str
    is_shared: bool

    @property
    def folder_id(self) -> str:
        """The folder it is in (CreateContent's `folder_id` names one)."""
        return self.parent_id


@dataclass(frozen=True, slots=True)
class CourseModule:
    """A module of a course: a material (its own content item ID) at its place in the course."""

    module_id: str
    content_item_id: str
    course_id: str
    title: str
    description: str
    author_id: str
    added_date: str
    view_url: str
    kind: str  # the material's ContentType: a Quiz module is a quiz
    number: int  # 1-based place in the course


@dataclass(frozen=True, slots=True)
class CourseField:
    field_id: str
    custom_id: str
    label: str
    field_type: str = "TEXT"  # CourseFieldType's one value


@dataclass(frozen=True, slots=True)
class Quiz:
    quiz_id: str
    title: str
    content_item_id: str
    parent_course_ids: tuple[str, ...]
    course_id: str  # whose enrollments take it: the quiz item itself, or the course a Quiz module is in


@dataclass(frozen=True, slots=True)
class Question:
    number: int
    title: str
    kind: str
    score: int
    answers: tuple[tuple[str, bool], ...]


@dataclass(frozen=True, slots=True)
class AnswerRow:
    """One answer a learner chose to one question in one attempt (AnswerBreakdownResult)."""

    user_id: str
    enrollment_id: str
    quiz_version: str
    attempt_date: str
    is_attempt_passed: bool
    attempt_score: int
    passing_score: int
    question_number: int
    question_title: str
    question_type: str
    question_score: int
    answer_text: str
    is_answer_correct: bool
    answer_score: int
    answer_index: int

    @property
    def key(self) -> str:
        """The cursor of the report's pages: enrollment, then question, then answer."""
        return f"{self.enrollment_id}/{self.question_number:04d}/{self.answer_index:02d}"


# --- folders and the tree -------------------------------------------------------------------------------------------


def _https(world: World) -> str:
    return world.company.account_url.replace("http://", "https://")


@functools.lru_cache(maxsize=64)
def _folder_ids(seed: int) -> tuple[str, tuple[str, ...]]:
    """(the library root's ID, each FOLDERS entry's ID)."""
    root = time_uuid(rng_for(seed, "content-folder", "root"), *_EPOCH)
    return root, tuple(time_uuid(rng_for(seed, "content-folder", name), *_EPOCH) for name, _, _ in FOLDERS)


def root_folder_id(world: World) -> str:
    return _folder_ids(world.seed)[0]


def folders(world: World) -> list[ContentTreeItem]:
    """The folders of the content library, parents before children; the root holds them and is not listed."""
    root, ids = _folder_ids(world.seed)
    found = []
    for n, (name, parent, _) in enumerate(FOLDERS):
        added = datetime.fromtimestamp(rng_for(world.seed, "content-folder-date", name).uniform(
            *(m.timestamp() for m in _EPOCH)), timezone.utc)
        found.append(ContentTreeItem(ids[n], name, FOLDER, "", timestamp(added),
                                     f"{_https(world)}/app/content/folder/{ids[n]}",
                                     root if parent is None else ids[parent], False))
    return found


def folder_of(world: World, c: ContentItem) -> str:
    """The folder a content item is in: the one it was created in, else the one its type is filed in."""
    if c.folder_id is not None:
        return c.folder_id
    ids = _folder_ids(world.seed)[1]
    homes = [n for n, (_, _, kinds) in enumerate(FOLDERS) if c.type in kinds]
    if not homes:
        return ids[-1]
    return ids[rng_for(world.seed, "content-folder-of", c.content_item_id).choice(homes)]


def tree_item(world: World, c: ContentItem) -> ContentTreeItem:
    shared = rng_for(world.seed, "content-shared", c.content_item_id).random() < 0.2
    return ContentTreeItem(c.content_item_id, c.title, c.type, c.description, c.added_date, c.view_url,
                           folder_of(world, c), shared)


def courses_tree(world: World, content_item_ids: Iterable[str] | None = None) -> list[ContentTreeItem]:
    """The folders, then the content items in catalogue order; only the entries named, when IDs are given."""
    entries = folders(world) + [tree_item(world, c) for c in list(world.content_items)]
    if content_item_ids is None:
        return entries
    wanted = set(content_item_ids)
    return [e for e in entries if e.content_item_id in wanted]


def known_folder(world: World, folder_id: str) -> str:
    if folder_id != root_folder_id(world) and folder_id not in {f.content_item_id for f in folders(world)}:
        raise BadRequestError(f"folder_id {folder_id} is no folder of the content library")
    return folder_id


# --- course fields --------------------------------------------------------------------------------------------------


def course_fields(world: World) -> list[CourseField]:
    return [CourseField(time_uuid(rng_for(world.seed, "course-field", custom), *_EPOCH), custom, label)
            for custom, label, _ in COURSE_FIELDS]


def course_field_values(world: World, c: ContentItem) -> list[tuple[str, str]] | None:
    """(fieldId, value) of a seeded course's fields; None for any other item (a course created through the API has
    none set)."""
    if c.type != "Course" or c.folder_id is not None:
        return None
    rng = rng_for(world.seed, "course-field-value", c.content_item_id)
    return [(f.field_id, rng.choice(values)) for f, (_, _, values) in zip(course_fields(world), COURSE_FIELDS)]


# --- modules --------------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _module_plan(seed: int, course_id: str) -> tuple[tuple[str, str, str, int], ...]:
    """(moduleId, the material's contentItemId, kind, days after the course was added) of each module."""
    rng = rng_for(seed, "course-modules", course_id)
    return tuple((time_uuid(rng, *_EPOCH), time_uuid(rng, *_EPOCH), rng.choice(MODULE_KINDS), rng.randint(0, 30))
                 for _ in range(rng.randint(2, 5)))


def modules(world: World, c: ContentItem) -> list[CourseModule]:
    """A course's modules in course order; a content item of another type has none."""
    if c.type != "Course":
        return []
    added = datetime.fromisoformat(c.added_date)
    return [CourseModule(module_id, item_id, c.content_item_id, f"{MODULE_LABELS[kind]} {n}: {c.title}",
                         f"{MODULE_LABELS[kind]} dalam kursus {c.title}.", c.author_id,
                         timestamp(added + timedelta(days=days)), f"{c.view_url}/{module_id}", kind, n)
            for n, (module_id, item_id, kind, days) in enumerate(_module_plan(world.seed, c.content_item_id), 1)]


def find_modules(world: World, course_ids: Iterable[str]) -> list[CourseModule]:
    """The modules of the courses named (an ID that is no course matches nothing), in moduleId order."""
    found = [m for cid in dict.fromkeys(course_ids) if (c := world.content_item_by_id.get(cid)) is not None
             for m in modules(world, c)]
    return sorted(found, key=lambda m: m.module_id)


# --- learning tracks ------------------------------------------------------------------------------------------------


def track_courses(world: World, track: ContentItem) -> list[str]:
    """The seeded courses a learning track holds, in the track's order (a course created later is in none)."""
    if track.type != "LearningTrack":
        return []
    pool = sorted(c.content_item_id for c in list(world.content_items) if c.type == "Course" and c.folder_id is None)
    rng = rng_for(world.seed, "learning-track", track.content_item_id)
    return rng.sample(pool, min(len(pool), rng.randint(2, 4)))


def learning_tracks_courses(world: World, track_ids: Iterable[str]) -> list[tuple[str, str]]:
    """(learningTrackId, courseId) of each track named, in the order named; an ID that is no track matches nothing."""
    return [(tid, cid) for tid in dict.fromkeys(track_ids) if (t := world.content_item_by_id.get(tid)) is not None
            for cid in track_courses(world, t)]


# --- quizzes --------------------------------------------------------------------------------------------------------


def quiz_id(seed: int, content_item_id: str) -> str:
    """A quiz's own ID, apart from its content item's."""
    return time_uuid(rng_for(seed, "quiz", content_item_id), *_EPOCH)


def quizzes(world: World) -> list[Quiz]:
    """Every quiz: the Quiz content items (in no course), and the Quiz modules of courses; in quizId order."""
    found = []
    for c in list(world.content_items):
        if c.type == "Quiz":
            found.append(Quiz(quiz_id(world.seed, c.content_item_id), c.title, c.content_item_id, (),
                              c.content_item_id))
        for m in modules(world, c):
            if m.kind == "Quiz":
                found.append(Quiz(quiz_id(world.seed, m.content_item_id), m.title, m.content_item_id,
                                  (c.content_item_id,), c.content_item_id))
    return sorted(found, key=lambda q: q.quiz_id)


def find_quizzes(world: World, quiz_ids=None, content_item_ids=None, parent_course_ids=None) -> list[Quiz]:
    """The quizzes matching every filter given (None: no filter; any value of each)."""
    ids = None if quiz_ids is None else set(quiz_ids)
    items = None if content_item_ids is None else set(content_item_ids)
    parents = None if parent_course_ids is None else set(parent_course_ids)
    return [q for q in quizzes(world) if (ids is None or q.quiz_id in ids)
            and (items is None or q.content_item_id in items)
            and (parents is None or parents.intersection(q.parent_course_ids))]


def quiz(world: World, wanted: str) -> Quiz:
    found = next((q for q in quizzes(world) if q.quiz_id == wanted), None)
    if found is None:
        raise BadRequestError(f"quizId {wanted} is no quiz of the account")
    return found


@functools.lru_cache(maxsize=4096)
def questions(seed: int, quiz_id_: str) -> tuple[tuple[Question, ...], int, str]:
    """(the quiz's questions, its passing score in points, its version)."""
    rng = rng_for(seed, "quiz-questions", quiz_id_)
    chosen = rng.sample(QUESTION_BANK, rng.randint(3, 5))
    found = tuple(Question(n, stem, kind, rng.choice((10, 20)), answers)
                  for n, (stem, kind, answers) in enumerate(chosen, 1))
    total = sum(q.score for q in found)
    return found, total * rng.choice((6, 7, 8)) // 10, str(rng.randint(1, 4))


def _answers(rng, q: Question, right: bool) -> list[int]:
    """The indexes of the answers chosen: all the correct ones when `right`, else a wrong choice."""
    correct = [i for i, (_, ok) in enumerate(q.answers) if ok]
    wrong = [i for i, (_, ok) in enumerate(q.answers) if not ok]
    if right:
        return correct
    if q.kind == "MultipleResponse" and len(correct) > 1 and rng.random() < 0.5:
        return sorted([rng.choice(correct), rng.choice(wrong)])  # one right, one wrong: no points
    return [rng.choice(wrong)]


def attempt(world: World, q: Quiz, e: Enrollment) -> list[AnswerRow]:
    """The learner's attempt at the quiz within this enrollment, as answer rows: none when they have not taken it
    (yet: an attempt dated after the world's now has not happened)."""
    rng = rng_for(world.seed, "quiz-attempt", f"{q.quiz_id}/{e.enrollment_id}")
    if rng.random() >= 0.7:
        return []
    when = datetime.combine(date.fromisoformat(e.access_date), time(), timezone.utc) + timedelta(
        days=rng.randint(0, 45), seconds=rng.randint(8 * 3600, 18 * 3600))
    if when > world.now():
        return []
    asked, passing, version = questions(world.seed, q.quiz_id)
    skill = rng.uniform(0.3, 0.95)
    picks = []
    for question in asked:
        right = rng.random() < skill
        picks.append((question, right, _answers(rng, question, right)))
    score = sum(question.score for question, right, _ in picks if right)
    return [AnswerRow(e.learner_id, e.enrollment_id, version, timestamp(when), score >= passing, score, passing,
                      question.number, question.title, question.kind, question.score, question.answers[i][0],
                      question.answers[i][1], question.score // len(chosen) if right else 0, i)
            for question, right, chosen in picks for i in chosen]


@dataclass(frozen=True)
class AnswerFilter:
    """The answer-breakdown report's filters (None: no filter)."""

    parent_course_id: str | None = None
    user_ids: list[str] | None = None
    enrollment_ids: list[str] | None = None
    department_ids: list[str] | None = None
    group_ids: list[str] | None = None
    start: datetime | None = None
    end: datetime | None = None


def answer_breakdown(world: World, q: Quiz, f: AnswerFilter = AnswerFilter()) -> list[AnswerRow]:
    """Every answer of every attempt at the quiz by the learners enrolled where it is taken, filtered, in cursor
    order. A parentCourseId other than the course a quiz module is in matches nothing."""
    from .ispring import find_enrollments, group_members

    if f.parent_course_id is not None and f.parent_course_id not in q.parent_course_ids:
        return []
    users = None if f.user_ids is None else set(f.user_ids)
    if f.department_ids is not None:
        departments = set(f.department_ids)
        in_departments = {u.user_id for u in list(world.learners) if u.department_id in departments}
        users = in_departments if users is None else users & in_departments
    if f.group_ids is not None:
        members = {uid for gid in f.group_ids if (g := world.group_by_id.get(gid)) for uid in group_members(world, g)}
        users = members if users is None else users & members
    rows = []
    for e in find_enrollments(world, [q.course_id], None if users is None else sorted(users), f.enrollment_ids):
        for row in attempt(world, q, e):
            moment = datetime.fromisoformat(row.attempt_date)
            if (f.start is None or moment >= f.start) and (f.end is None or moment <= f.end):
                rows.append(row)
    return sorted(rows, key=lambda r: r.key)


# --- CreateContent --------------------------------------------------------------------------------------------------


def account_owner(world: World) -> str:
    """Who the API client acts for when it adds content: the author of the account's first content item."""
    return min(world.content_items, key=lambda c: (c.added_date, c.content_item_id)).author_id


def create_content(world: World, state, content_type: str, folder_id: str, title: str) -> str:
    """Add a content item of `content_type` (a Course: the spec's only request body) titled `title` to a folder."""

    def decide(w: World) -> dict:
        if content_type not in CREATABLE:
            raise BadRequestError(f"contentType {content_type} cannot be created through the API: only "
                                  f"{', '.join(CREATABLE)} (the spec's CreateCourseRequest)")
        known_folder(w, folder_id)
        now = w.now()
        for attempt_ in range(100):
            rng = rng_for(w.seed, "content-write", f"{w.seq + 1}/{folder_id}/{title}/{attempt_}")
            new_id = time_uuid(rng, now, now + timedelta(seconds=1))
            if new_id not in w.content_item_by_id:
                break
        else:
            raise RuntimeError("no free content item ID")
        item = ContentItem(new_id, title, "", "", account_owner(w), timestamp(now),
                           f"{_https(w)}/view/{rng.randint(300000, 399999)}-{code(rng, 5).lower()}", content_type,
                           folder_id)
        return {"content_item": asdict(item)}

    return world.commit(state, CONTENT_CREATED, decide)["content_item"]["content_item_id"]


@applies(CONTENT_CREATED)
def _apply_content_created(world: World, payload: dict) -> None:
    world.content_items = [*world.content_items, ContentItem(**payload["content_item"])]
    world._index()
