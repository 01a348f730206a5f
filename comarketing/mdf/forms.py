"""Staff MDF forms: shape only. Whether a decision, a reimbursement or a budget is allowed
(comment required, amount within the request and the budget, lead return) is the services'
rule; their refusals come back on these forms."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from comarketing.core.forms import money_field
from comarketing.mdf.models import MdfDecisionKind
from comarketing.partners.queries import partner_choices

COMMENT_LENGTH = 5000


class DecisionForm(FlaskForm):
    """``POST /mdf/requests/<id>/decision``: approve (amount), reject or return (comment)."""

    decision = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice(MdfDecisionKind.APPROVE.value, _l("Approve")),
            SelectChoice(MdfDecisionKind.RETURN.value, _l("Return for changes")),
            SelectChoice(MdfDecisionKind.REJECT.value, _l("Reject")),
        ],
        default=MdfDecisionKind.APPROVE.value,
        validators=[InputRequired()],
    )
    approved_amount = money_field(
        _l("Approved amount, RUB"), Optional(), description=_l("Empty: the requested amount.")
    )
    comment = TextAreaField(
        _l("Comment"),
        validators=[Length(max=COMMENT_LENGTH)],
        description=_l("Required to reject or return; the partner sees it."),
    )
    submit = SubmitField(_l("Record the decision"))

    def values(self) -> dict[str, Any]:
        approve = self.decision.data == MdfDecisionKind.APPROVE
        return {
            "decision": self.decision.data,
            "comment": self.comment.data or "",
            "approved_amount": self.approved_amount.data if approve else None,
        }


class ReimburseForm(FlaskForm):
    """``POST /mdf/claims/<id>/reimburse``; the override reason pays despite too few leads."""

    override = TextAreaField(
        _l("Override reason"),
        validators=[Length(max=COMMENT_LENGTH)],
        description=_l("Only if too few leads came back: why the vendor pays anyway."),
    )
    submit = SubmitField(_l("Reimburse"))


class BudgetForm(FlaskForm):
    """``POST /mdf/budgets/new``: money set aside for a period, for a partner, a tier or all."""

    name = StringField(_l("Name"), validators=[Length(max=200)])
    period_start = DateField(_l("Period starts"), validators=[InputRequired()])
    period_end = DateField(_l("Period ends"), validators=[InputRequired()])
    amount = money_field(_l("Amount, RUB"), InputRequired())
    partner_id = SelectField(_l("Partner"), coerce=int, choices=[])
    tier = StringField(
        _l("Tier"),
        validators=[Optional(), Length(max=20)],
        description=_l("Neither a partner nor a tier: the budget is for every partner."),
    )
    submit = SubmitField(_l("Create the budget"))

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.partner_id.choices = partner_choices(blank=_("— any partner —"))

    def values(self) -> dict[str, Any]:
        """The fields as ``create_budget`` takes them."""
        return {
            "name": self.name.data or "",
            "period_start": self.period_start.data,
            "period_end": self.period_end.data,
            "amount": self.amount.data,
            "partner_id": self.partner_id.data or None,
            "tier": (self.tier.data or "").strip() or None,
        }
