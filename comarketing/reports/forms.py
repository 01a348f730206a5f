"""The query arguments of the report pages: period presets, custom dates, group-by, model,
segment, and the table's sort. Shape only; the figures are ``roi.roi_report``'s."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, Optional

from comarketing.core.time import period_problem
from comarketing.partners.segments import SEGMENT_LABELS
from comarketing.reports.dimensions import DIMENSIONS
from comarketing.reports.metrics import Scope
from comarketing.reports.periods import Period

PRESETS = {
    "this_month": _l("This month"),
    "last_month": _l("Last month"),
    "last_30_days": _l("Last 30 days"),
    "last_90_days": _l("Last 90 days"),
    "this_quarter": _l("This quarter"),
    "this_year": _l("This year"),
}
CUSTOM = "custom"
DEFAULT_PRESET = "last_90_days"
GROUP_LABELS = {name: dimension.title for name, dimension in DIMENSIONS.items()}
MODEL_LABELS = {
    "first_touch": _l("First touch"),
    "last_touch": _l("Last touch"),
    "linear": _l("Linear"),
    "time_decay": _l("Time decay"),
    "position_based": _l("Position-based"),
}
# The table's columns: RoiRow attribute, header, how a value is shown. Every one sorts.
COLUMNS = (
    ("label", _l("Name"), "text"),
    ("clicks", _l("Clicks"), "count"),
    ("registrations", _l("Registrations"), "count"),
    ("attendees", _l("Attendees"), "count"),
    ("leads", _l("Leads"), "credits"),
    ("customers", _l("Customers"), "credits"),
    ("revenue", _l("Revenue"), "money"),
    ("commissions", _l("Commissions"), "money"),
    ("spend_vendor", _l("Vendor spend"), "money"),
    ("spend_partner", _l("Partner spend"), "money"),
    ("cpl", _l("CPL"), "money"),
    ("roi", _l("ROI"), "ratio"),
    ("calls", _l("Calls"), "count"),  # answered calls (contract §10), after the first columns
)
# The lead funnel (issue 18): the period's leads by their status now, after ``leads``.
FUNNEL_COLUMNS = (
    ("working", _l("Working"), "credits"),
    ("won", _l("Won"), "credits"),
    ("lost", _l("Lost"), "credits"),
    ("win_rate", _l("Win rate"), "ratio"),
    ("median_days_to_customer", _l("Days to customer (median)"), "days"),
)
# The staff pages' table: every column, the funnel right after the leads.
STAFF_COLUMNS = COLUMNS[:5] + FUNNEL_COLUMNS + COLUMNS[5:]
SORTABLE = tuple(name for name, _label, _kind in STAFF_COLUMNS)


def preset_period(preset: str, today: date) -> Period:
    """The UTC days of a preset, ``today`` included where the preset runs up to now."""
    if preset == "this_month":
        return Period(today.replace(day=1), today)
    if preset == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return Period(end.replace(day=1), end)
    if preset == "last_30_days":
        return Period(today - timedelta(days=29), today)
    if preset == "this_quarter":
        return Period(date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today)
    if preset == "this_year":
        return Period(date(today.year, 1, 1), today)
    return Period(today - timedelta(days=89), today)  # last_90_days


def _select(
    label: Any, labels: dict[str, Any], unknown: Any, default: str | None = None
) -> SelectField:
    """A select of the codes of ``labels``; any other value is refused with ``unknown`` (by
    ``AnyOf``, not by WTForms' own choice check, so that the message is ours)."""
    return SelectField(
        label,
        choices=[SelectChoice(code, name) for code, name in labels.items()],
        default=default,
        validate_choice=False,
        validators=[AnyOf(list(labels), message=unknown)],
    )


class ReportForm(FlaskForm):
    """The filter of the report pages, read from the query string (a GET form)."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    period = _select(_l("Period"), {**PRESETS, CUSTOM: _l("Custom dates")}, _l("Unknown period."))
    start = DateField(_l("From"), name="from", validators=[Optional()])
    end = DateField(_l("To"), name="to", validators=[Optional()])
    group_by = _select(_l("Group by"), GROUP_LABELS, _l("Unknown grouping."), "partner")
    model = _select(
        _l("Attribution model"), MODEL_LABELS, _l("Unknown attribution model."), "linear"
    )
    segment = _select(
        _l("Segment"), {"": _l("All segments"), **SEGMENT_LABELS}, _l("Unknown segment."), ""
    )

    def __init__(self, formdata: Any, **kwargs: Any) -> None:
        super().__init__(formdata, **kwargs)
        if not self.period.data:  # dates alone mean a custom period
            has_dates = self.start.raw_data or self.end.raw_data
            self.period.data = CUSTOM if has_dates else DEFAULT_PRESET

    def scope(self, today: date, partner_id: int | None = None) -> Scope | None:
        """The report's scope, or None with the errors on the form; ``today`` is the UTC day."""
        if not self.validate():
            return None
        if self.period.data == CUSTOM:
            if self.start.data is None or self.end.data is None:
                self.form_errors.append(_("Enter both dates of a custom period."))
                return None
            problem = period_problem(
                self.start.data, self.end.data, today, current_app.config["MAX_PERIOD_DAYS"]
            )
            if problem is not None:
                self.form_errors.append(str(problem))
                return None
            period = Period(self.start.data, self.end.data)
        else:
            period = preset_period(self.period.data, today)
        self.start.data, self.end.data = period.start, period.end
        return Scope(
            group_by=self.group_by.data,
            model=self.model.data,
            period=period,
            partner_id=partner_id,
            segment=self.segment.data or None,
        )

    def link_args(self, *, exact: bool = False) -> dict[str, str]:
        """Query arguments that show this report again, once ``scope`` succeeded: the preset
        (so a bookmark of "this month" stays current), or with ``exact`` the dates it meant."""
        args = {"group_by": self.group_by.data, "model": self.model.data}
        if self.segment.data:
            args["segment"] = self.segment.data
        if exact or self.period.data == CUSTOM:
            args["from"], args["to"] = self.start.data.isoformat(), self.end.data.isoformat()
        else:
            args["period"] = self.period.data
        return args

    def preset_args(self, preset: str) -> dict[str, str]:
        """The same report over another preset period."""
        args = {k: v for k, v in self.link_args().items() if k not in ("from", "to")}
        return {**args, "period": preset}

    def messages(self) -> list[str]:
        """Every error, the field's label first, for one alert above the page."""
        found = [str(error) for error in self.form_errors]
        for field in self:
            found += [f"{field.label.text}: {error}" for error in field.errors]
        return found


@dataclass(frozen=True)
class Sort:
    column: str | None  # None: the report's own order
    descending: bool

    @classmethod
    def parse(cls, args: Any) -> Sort:
        """``?sort=<column>&order=asc|desc``; an unknown column keeps the report's order."""
        column = args.get("sort")
        if column not in SORTABLE:
            return cls(None, True)
        return cls(column, args.get("order", "desc" if column != "label" else "asc") != "asc")

    def args(self) -> dict[str, str]:
        """The query arguments of this order (none for the report's own)."""
        if self.column is None:
            return {}
        return {"sort": self.column, "order": "desc" if self.descending else "asc"}

    def order_for(self, column: str) -> str:
        """The order a click on ``column``'s header asks for: the other way round if the
        table is sorted on it already, else descending for figures, ascending for names."""
        if column == self.column:
            return "asc" if self.descending else "desc"
        return "asc" if column == "label" else "desc"

    def apply(self, rows: list[Any]) -> list[Any]:
        """Rows sorted on the column; empty figures (no CPL, no ROI) and the unattributed row
        stay at the bottom whatever the order."""
        if self.column is None:
            return list(rows)
        column = self.column

        def value(row: Any) -> Any:
            found = getattr(row, column)
            return found.casefold() if isinstance(found, str) else found

        present = [row for row in rows if row.key is not None and getattr(row, column) is not None]
        chosen = {id(row) for row in present}
        rest = [row for row in rows if id(row) not in chosen]
        return sorted(present, key=value, reverse=self.descending) + rest
