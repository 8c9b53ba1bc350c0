"""Every write of the scans app: scan rounds, ratings, consensus; each audited."""

from weerbaar.scans.services.consensus import (
    consensus_accept_agreed,
    consensus_amend,
    consensus_set,
    proposal,
    submitted_ratings,
)
from weerbaar.scans.services.notices import schedule_invitations, send_reminders
from weerbaar.scans.services.ratings import (
    RatingChange,
    characteristic_keys,
    missing_for_submit,
    rating_save,
    rating_withdraw,
)
from weerbaar.scans.services.results import ScoringContext, apply_result, scoring_context
from weerbaar.scans.services.scans import (
    eligible_raters,
    scan_assign_raters,
    scan_close,
    scan_create,
    scan_open,
    scan_reopen,
    scan_set_processes,
    scan_start_review,
    scan_update,
)

__all__ = [
    "RatingChange",
    "ScoringContext",
    "apply_result",
    "characteristic_keys",
    "consensus_accept_agreed",
    "consensus_amend",
    "consensus_set",
    "eligible_raters",
    "missing_for_submit",
    "proposal",
    "rating_save",
    "rating_withdraw",
    "scan_assign_raters",
    "scan_close",
    "scan_create",
    "scan_open",
    "scan_reopen",
    "scan_set_processes",
    "scan_start_review",
    "scan_update",
    "schedule_invitations",
    "scoring_context",
    "send_reminders",
    "submitted_ratings",
]
