"""Every write of the action plan; each audited."""

from weerbaar.plan.services.acceptance import risk_acceptance_create, risk_acceptance_withdraw
from weerbaar.plan.services.measures import (
    KEEP,
    check_owner,
    evidence_add,
    evidence_withdraw,
    may_manage,
    may_update,
    measure_review_add,
    planned_measure_create,
    planned_measure_set_status,
    planned_measure_update,
    record_evidence_download,
)

__all__ = [
    "KEEP",
    "check_owner",
    "evidence_add",
    "evidence_withdraw",
    "may_manage",
    "may_update",
    "measure_review_add",
    "planned_measure_create",
    "planned_measure_set_status",
    "planned_measure_update",
    "record_evidence_download",
    "risk_acceptance_create",
    "risk_acceptance_withdraw",
]
