"""The entities of the one organisation both platforms serve. Plain data: no HTTP, no vendor shapes.

Field names are ours (snake_case); the vendor wings map them to wire names. Dates are ISO strings so
that a world exports to JSON and back unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Company:
    serial: str  # CMP-RUANGGURU
    name: str  # PT Ruang Raya Indonesia
    display_name: str  # Ruangkerja
    account_url: str  # the iSpring account, http://myaccount.ispringlearn.ru


@dataclass(slots=True)
class OrgUnit:
    """A node of the company structure (Ruangkerja) and a department (iSpring)."""

    serial: str  # COMPFJLYTHWL
    name: str
    parent_serial: str | None
    is_active: bool
    department_id: str  # time-based UUID
    code: str


@dataclass(slots=True)
class Tag:
    serial: str  # RUKRTAG-9WHL0JGP
    name: str


@dataclass(slots=True)
class Person:
    """A Ruangkerja employee and the same person as an iSpring learner."""

    employee_id: str  # EMPLY001
    serial: str  # JOHNILXV3QAJJEL3
    first_name: str
    last_name: str
    username: str
    email: str
    phone: str
    is_active: bool
    org_serial: str
    tag_serials: list[str]
    last_access_mission: str  # "2021-08-10 07:40:53"
    user_id: str  # iSpring userId, time-based UUID
    job_title: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(slots=True)
class Course:
    """A Ruangkerja course: Online, Webinar or Offline."""

    serial: str  # COURSE-EXAMPLE1
    name: str
    description: str
    category: str  # Online | Webinar | Offline
    passing_score: int | None  # None: the course has no post activity (post test)


@dataclass(slots=True)
class Batch:
    """A scheduled run of a Webinar or Offline course."""

    serial: str  # BATCH-EXP-01
    course_serial: str
    name: str
    main_activity_start_at: str  # 2022-07-30T02:00:00.000Z
    main_activity_end_at: str
    post_activity_start_at: str | None
    post_activity_end_at: str | None
    platform: str  # "" offline, "Google Meet" / "Zoom" for webinars
    location: str  # an address, or the meeting URL
    note: str
    status: str  # Completed | Ongoing


@dataclass(slots=True)
class Assignment:
    """A person assigned to a batch of a Webinar or Offline course, with the outcome so far."""

    serial: str  # ASGC-T0MHUDPV
    employee_id: str
    course_serial: str
    batch_serial: str
    is_attend: bool
    absent_reason: str
    feedback: str
    user_assigned_status: str  # Ongoing | Cleared | Failed
    post_activity_status: str  # NOT STARTED | IN PROGRESS | COMPLETED | EXPIRED | ""
    post_test_attempt: int
    post_test_score: int
    post_test_passing_score: int | None


@dataclass(slots=True)
class OnlineAssignment:
    """A person assigned to an Online course (no batches), with their progress so far."""

    employee_id: str
    course_serial: str
    pre_test: int | None  # None: not submitted
    post_test: int | None
    time_spent: int  # seconds
    last_access_mission: str  # 2022-07-22T01:00:00.000Z
    completed_at: str  # "" until completed, then 2022-07-22
    status: str  # not_started | in_progress | completed | expired | failed
    due_date: str | None = None  # ISO time, set by a write (Assign Online Course's dueDate); past it, open reads expired


@dataclass(slots=True)
class PlanCourse:
    """A course of a learning plan, with the date its participants should finish it by."""

    course_serial: str  # an Online course
    deadline: str  # 2022-07-19T06:00:00Z


@dataclass(slots=True)
class LearningPlan:
    """Courses to take in order, and the people assigned to them. A participant's progress on each course is their
    online assignment to it (OnlineAssignment): the plan stores no progress of its own, so nothing can disagree."""

    serial: str  # LRPN-YFXP3P98
    name: str
    description: str
    created_at: str  # 2022-07-22T01:00:00.000Z
    updated_at: str
    courses: list[PlanCourse]  # in the plan's order
    employee_ids: list[str]  # its participants, in the order the plan lists them


@dataclass(slots=True)
class ContentItem:
    """An iSpring Learn content item (course, quiz, video ...)."""

    content_item_id: str
    title: str
    subtitle: str
    description: str
    author_id: str  # userId of the person who added it
    added_date: str  # 2019-03-26T06:34:57+00:00
    view_url: str
    type: str  # iSpring ContentType
    folder_id: str | None = None  # the folder it was created in (CreateContent); None: a seeded item, filed by type


@dataclass(slots=True)
class Certificate:
    issued_certificate_id: str
    issue_date: str
    expiry_date: str | None


@dataclass(slots=True)
class Enrollment:
    """An iSpring enrollment of a learner in a content item."""

    enrollment_id: str
    course_id: str
    learner_id: str
    access_date: str  # YYYY-MM-DD
    due_date: str | None
    should_lock_after_due_date: bool
    enrollment_type_group: int  # 0 admin, 1 catalog
    certificate: Certificate | None
    # The learner's progress: seeded at load when the world file does not hold it (ispring_seed.with_progress), then
    # moved only by writes (POST /statistics/course, POST /__admin/activity, a re-enrollment).
    status: str | None = None  # PROGRESS_STATUSES; None: not yet seeded
    progress: int = 0  # percent
    awarded_score: float | None = None
    completion_date: str | None = None  # 2024-03-02T10:00:00+00:00, when completed, passed or failed
    time_spent: int = 0  # seconds
    views_count: int = 0
    last_view_date: str | None = None

    @property
    def expiration_date(self) -> str | None:
        # The docs: expirationDate appears only with a due date and shouldLockAfterDueDate = 1.
        return self.due_date if self.should_lock_after_due_date else None

    @property
    def issued_certificate_id(self) -> str | None:
        """The ID of the certificate the enrollment holds (GET /certificate/{issuedCertificateId})."""
        return self.certificate.issued_certificate_id if self.certificate is not None else None


# --- iSpring's own records (world/ispring_seed.py derives them from the seeded organisation) ------------------------


@dataclass(slots=True)
class Learner:
    """An iSpring user: a seeded person as iSpring holds them, or a user created through iSpring."""

    user_id: str
    login: str
    email: str
    first_name: str
    last_name: str
    phone: str
    job_title: str
    department_id: str
    role: str  # UserRoleEnum: learner | administrator | department_administrator | publisher | custom
    role_id: str
    status: int  # UserStatus: 1 active, 3 inactive, 5 terminated
    added_date: str  # 2019-03-26T06:34:57+00:00
    last_login_date: str
    subordination: dict  # {"subordinationType": "inherit"} or {"subordinationType": "manual", "supervisorId": ...}
    co_subordination: dict
    manageable_department_ids: list[str]
    work_leave: dict | None = None  # {"workLeaveReason", "startDate", "endDate"?}
    scheduled_deactivation: str | None = None  # a date
    scheduled_termination: str | None = None
    extra_fields: dict | None = None  # custom profile fields by name
    password_sha256: str | None = None  # set by POST /user/{userId}/password: validated and kept, never shown


@dataclass(slots=True)
class Department:
    """An iSpring department: the company's root, and the seeded org units under it."""

    department_id: str
    name: str
    parent_id: str | None  # None: the root
    code: str
    subordination: dict
    co_subordination: dict

    @property
    def parent_department_id(self) -> str | None:
        """The wire's name for parent_id (parentDepartmentId), which the table suite reads entities by."""
        return self.parent_id


@dataclass(slots=True)
class Group:
    """An iSpring group: one per seeded tag (its members the people with the tag), or one created through iSpring.
    A smart group's members follow from its rules, so it stores none."""

    group_id: str
    name: str
    is_smart: bool
    user_ids: list[str]
    rules: list | None = None  # SmartGroupRuleNodes, as the request gave them


@dataclass(slots=True)
class Role:
    role_id: str
    type: str  # UserRoleEnum
    title: str
    description: str


@dataclass(slots=True)
class Task:
    """An iSpring async request (GET /task/{taskId}/status): its status follows from when it started and how long
    it takes (world/ispring.py task_status), so every worker reports the same one at the same moment."""

    task_id: int
    kind: str  # what started it, e.g. course_status
    started_at: str  # 2020-07-22T10:30:00+00:00
    seconds: int  # how long it runs: waiting for the first half, in_progress for the second, then complete


@dataclass(frozen=True, slots=True)
class GroupMembership:
    """A user in a group (a read view of Group.user_ids, World.memberships): one request naming both."""

    group_id: str
    user_id: str
