"""The registry of report dimensions: every dimension has a key on every source of figures,
and reads a URL's row key the same way the report's rows are keyed."""

import pytest
from flask_babel import gettext
from sqlalchemy import literal_column, select

from comarketing.extensions import db
from comarketing.reports.dimensions import DIMENSIONS, GROUPS, BadKey, On, Source

CONTRACT_GROUPS = ("partner", "segment", "campaign", "webinar", "channel", "month")


def test_the_contracts_group_bys_in_its_order():
    assert GROUPS == CONTRACT_GROUPS


@pytest.mark.parametrize("source", list(Source))
@pytest.mark.parametrize("group_by", CONTRACT_GROUPS)
def test_every_dimension_has_a_key_on_every_source(dialect, group_by, source):
    on = On(source, literal_column("CURRENT_TIMESTAMP"), dialect)
    key = DIMENSIONS[group_by].key(on)
    assert str(select(key).compile(dialect=db.engine.dialect))


@pytest.mark.parametrize(
    ("group_by", "text", "key"),
    [
        ("partner", "7", 7),
        ("campaign", "2147483647", 2**31 - 1),
        ("segment", "amocrm", "amocrm"),
        ("channel", "webinar", "webinar"),
        ("month", "2026-10", "2026-10"),
    ],
)
def test_a_url_key_reads_as_the_rows_key(group_by, text, key):
    assert DIMENSIONS[group_by].parse(text) == key


@pytest.mark.parametrize(
    ("group_by", "text"),
    [("partner", "abc"), ("webinar", "2147483648"), ("campaign", "-1"), ("month", "2026-13")],
)
def test_a_key_no_row_can_have_is_refused(app, group_by, text):
    with pytest.raises(BadKey):
        DIMENSIONS[group_by].parse(text)
    assert DIMENSIONS[group_by].row_label(text) is None


def test_rows_are_labelled_in_the_dimensions_way(app, make):
    partner = make.partner("Партнёр В")
    assert DIMENSIONS["partner"].labels([partner.id, None, 2**31 - 1]) == {
        partner.id: "Партнёр В",
        None: gettext("Unattributed"),
        2**31 - 1: str(2**31 - 1),  # a vanished partner shows its id
    }
    assert DIMENSIONS["segment"].labels(["amocrm"]) == {"amocrm": "amoCRM"}
    assert DIMENSIONS["month"].labels(["2026-10"]) == {"2026-10": "2026-10"}
    assert DIMENSIONS["month"].row_label("none") == gettext("Unattributed")
    assert DIMENSIONS["month"].chronological
    assert not any(DIMENSIONS[name].chronological for name in CONTRACT_GROUPS[:-1])
