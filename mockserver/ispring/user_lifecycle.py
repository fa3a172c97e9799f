"""OpenAPI request-body pieces of the user lifecycle rows (operations.py), from the official spec's schemas:
Subordination, ScheduledUserDeactivation/Termination's date, WorkLeaveStatusData."""

from __future__ import annotations

from ..world.ispring import SUBORDINATION_TYPES, WORK_LEAVE_REASONS

UUID = {"type": "string", "format": "uuid"}
DATE = {"type": "string", "format": "date"}
SUBORDINATION = {"type": "object", "required": ["subordinationType"],
                 "properties": {"subordinationType": {"type": "string", "enum": list(SUBORDINATION_TYPES)},
                                "supervisorId": UUID}}
WORK_LEAVE = {"type": "object", "required": ["userId", "workLeaveReason"],
              "properties": {"userId": UUID, "workLeaveReason": {"type": "string", "enum": list(WORK_LEAVE_REASONS)},
                             "startDate": DATE, "endDate": DATE}}
