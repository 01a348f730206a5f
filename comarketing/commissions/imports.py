"""Importing payments from billing (CSV): ``email,phone,amount,paid_at,external_id,note,
product`` (``product`` empty: software).

The person is found by e-mail, else phone; the whole file is checked first, and repeats of
an ``external_id`` are harmless (the line is skipped as already recorded)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _

from comarketing.commissions.models import DEFAULT_PRODUCT, PaymentSource
from comarketing.commissions.plans import PRODUCT
from comarketing.commissions.services import record_payment
from comarketing.core.csv_import import AMOUNT_PROBLEMS, CsvImportError, RowErrors, read_csv
from comarketing.core.errors import ValidationFailed
from comarketing.core.money import InvalidAmount, parse_amount
from comarketing.core.time import utcnow
from comarketing.core.timeparse import parse_moment
from comarketing.leads.services.persons import find_person, normalized_contacts

PAYMENT_COLUMNS = ("email", "phone", "amount", "paid_at", "external_id", "note", "product")


@dataclass
class PaymentImportReport:
    rows: int
    recorded: int
    repeated: int  # external_id already known: nothing added


def import_payments(
    data: bytes | str, *, progress: Callable[[int], None] = lambda rows: None
) -> PaymentImportReport:
    rows = read_csv(
        data, required=("amount", "paid_at"), optional=PAYMENT_COLUMNS, any_of=("email", "phone")
    )
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    errors = RowErrors()
    planned = []
    for row in rows:
        lead = None
        try:
            email, phone = normalized_contacts(row.get("email"), row.get("phone"))
            lead = find_person(email, phone)
            if lead is None:
                errors.add(row.line, _("no lead with this e-mail or phone"))
        except ValidationFailed as error:
            for field, problems in (error.fields or {}).items():
                errors.add(row.line, f"{field}: {'; '.join(problems)}")
        try:
            amount = parse_amount(row.get("amount"))
        except InvalidAmount as error:
            errors.add(row.line, str(AMOUNT_PROBLEMS[error.problem]))
            amount = Decimal(1)
        if amount == 0:
            errors.add(row.line, _("amount: must not be zero"))
        try:
            paid_at = parse_moment(row.get("paid_at"), zone)
            if paid_at > utcnow():
                errors.add(row.line, _("paid_at: in the future"))
        except ValueError:
            errors.add(row.line, _("paid_at: use 2026-12-03T11:00:00+03:00 or 2026-12-03"))
            paid_at = utcnow()
        product = (row.get("product") or DEFAULT_PRODUCT).strip().lower()
        if not PRODUCT.match(product):
            errors.add(row.line, _("product: use 2–40 of a-z, 0-9 and _"))
        if lead is not None:
            planned.append(
                (lead.id, amount, paid_at, row.get("external_id") or None, row.get("note"), product)
            )
    if errors:
        raise CsvImportError(
            _("%(count)s rows have errors; nothing was imported.", count=len(errors.by_line)),
            errors,
        )
    recorded = repeated = 0
    for lead_id, amount, paid_at, external_id, note, product in planned:
        result = record_payment(
            lead_id=lead_id,
            amount=amount,
            paid_at=paid_at,
            external_id=external_id,
            source=PaymentSource.IMPORT,
            note=note,
            product=product,
        )
        recorded += result.created
        repeated += not result.created
        progress(1)
    return PaymentImportReport(rows=len(planned), recorded=recorded, repeated=repeated)
