"""The request examples of the Ruangkerja user, tag, company-structure and assignment doc pages, as their curl sends
them (https://api.ruangkerja.id/docs/user/..., /docs/tag/..., /docs/company/..., /docs/course/assignment/...):
method, path with query, and the `--data-raw` body byte for byte. Replayed against the mock, only the host changes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DocRequest:
    page: str  # the doc page's slug, which is the operation's name in snake case
    operation: str
    method: str
    path: str
    body: str | None = None

    def send(self, client, headers: dict):
        extra = {"data": self.body, "content_type": "application/json"} if self.body is not None else {}
        return client.open(self.path, method=self.method, headers=headers, **extra)


USER = '''{
    "employeeID": "EMPLY001",
    "name": "John Doe",
    "username": null,
    "email": "john.doe@example.com",
    "phone": "6281122334455",
    "password": null,
    "isActive": true,
    "tagSerials": ["RUKRTAG-9WHL0JGP"],
    "organizationSerial": "COMPFJLYTHWL"
}'''
USER_UPDATE = '''{
    "employeeID": "EMPLY001",
    "name": "John Doe",
    "newEmployeeID": null,
    "username": null,
    "phone": "6281122334455",
    "isActive": true,
    "tagSerials": ["RUKRTAG-9WHL0JGP"],
    "organizationSerial": "COMPFJLYTHWL"
}'''
# The pages exist in two versions; the older one has no organizationSerial in the examples.
USER_UPDATE_OLD = '''{
    "employeeID": "EMPLY001",
    "name": "John Doe",
    "newEmployeeID": null,
    "username": null,
    "phone": "6281122334455",
    "isActive": true,
    "tagSerials": ["RUKRTAG-9WHL0JGP"]
}'''


def _items(item: str) -> str:
    return '{\n    "items": [\n        ' + item.replace("\n", "\n        ") + "\n    ]\n}"


USERS = [
    DocRequest("find-users", "find_users", "GET", "/ruangkerja/users?page=1&pageSize=10"),
    DocRequest("find-user", "find_user", "GET", "/ruangkerja/users/EMPLY001"),
    DocRequest("create-user", "create_user", "POST", "/ruangkerja/users", USER),
    DocRequest("update-user", "update_user", "PUT", "/ruangkerja/users/EMPLY001", USER_UPDATE),
    DocRequest("update-user (older)", "update_user", "PUT", "/ruangkerja/users/EMPLY001", USER_UPDATE_OLD),
    DocRequest("create-users", "create_users", "POST", "/ruangkerja/users/create-bulk", _items(USER)),
    DocRequest("update-users", "update_users", "POST", "/ruangkerja/users/update-bulk", _items(USER_UPDATE)),
    DocRequest("update-users (older)", "update_users", "POST", "/ruangkerja/users/update-bulk", _items(USER_UPDATE_OLD)),
    DocRequest("update-users-email", "update_users_email", "POST", "/ruangkerja/users/update-bulk-email", '''{
    "items": [
        {
            "employeeID": "EMPLY001",
            "email": "John Doe",
            "password": null
        }
    ]
}'''),
]

TAGS = [
    DocRequest("find-tags", "find_tags", "GET", "/ruangkerja/tags?page=1&pageSize=10"),
    DocRequest("find-tag", "find_tag", "GET", "/ruangkerja/tags/RUKRTAG-9WHL0JGP"),
    DocRequest("create-tag", "create_tag", "POST", "/ruangkerja/tags", '''{
    "name": "Training Batch New"
}'''),
    DocRequest("update-tag", "update_tag", "PUT", "/ruangkerja/tags/RUKRTAG-9WHL0JGP", '''{
    "name": "Training User Batch 1"
}'''),
    DocRequest("create-tags", "create_tags", "POST", "/ruangkerja/tags/create-bulk", '''{
    "items": [
        {
            "name": "Intern"
        },
        {
            "name": "Fulltime"
        }
    ]
}'''),
    DocRequest("update-tags", "update_tags", "POST", "/ruangkerja/tags/update-bulk", '''{
    "items": [
        {
            "serial": "RUKRTAG-Q7KXEPJO",
            "name": "Intern"
        }
    ]
}'''),
    DocRequest("delete-tags", "delete_tags", "POST", "/ruangkerja/tags/delete-bulk", '''{
    "serials": [
        "RUKRTAG-AAM0239Q",
        "RUKRTAG-HJQD5G4J"
    ]
}'''),
]

COMPANY = DocRequest("get-company-structure", "get_company_structure", "GET", "/ruangkerja/company-structure")

# Assign Online Course, "Example cURL Request Course With Feedback Form": the copy read is cut off inside the second
# formSetting item, so this is the body up to the cut with that item left out.
ASSIGNMENT = DocRequest("assign-online-course", "assign_online_course", "POST",
                        "/ruangkerja/courses/COURSE-EXAMPLE1/assignment", '''{
    "userSerials": ["JOHNILXV3QAJJEL3"],
    "employeeIDs": [],
    "isMandatory": true,
    "dueDate": null,
    "assignedDate": null,
    "maxPostTestAttempts": 99,
    "formSetting": [
        {
            "formSerial": "FOM-QKNLFNL1",
            "lockBy": "open"
        }
    ]
}''')
