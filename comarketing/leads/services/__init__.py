"""Lead intake, touchpoints and ownership (lead registration). Services flush; callers commit."""

from comarketing.leads.services.intake import (
    IntakeResult,
    Submission,
    record_submission,
    take_utm,
)

__all__ = ["IntakeResult", "Submission", "record_submission", "take_utm"]
