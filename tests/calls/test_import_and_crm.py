"""``flask calls import`` (atomic, every bad row listed, repeats harmless), the CRM push of a
call lead (Bitrix24 SOURCE_ID CALL) and erasure of callers' numbers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from comarketing.calls.models import Call, CallNumber, NumberKind
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.integrations.crm import bitrix24
from comarketing.integrations.crm.lead_data import lead_data
from comarketing.leads.models import Lead
from comarketing.leads.services.erasure import erase_lead


@pytest.fixture
def number(make):
    partner = make.partner("Альфа")
    campaign = make.campaign([partner])
    row = CallNumber(
        number="+74951230001",
        kind=NumberKind.STATIC,
        partner_id=partner.id,
        campaign_id=campaign.id,
    )
    db.session.add(row)
    db.session.commit()
    return row


def calls() -> int:
    return db.session.scalar(select(func.count()).select_from(Call)) or 0


def log(tmp_path, *lines: str):
    path = tmp_path / "calls.csv"
    header = "call_id,tracking_number,caller,started_at,duration_s,answered"
    path.write_text("\n".join((header, *lines)) + "\n", encoding="utf-8")
    return path


def test_the_import_records_every_call_once(runner, number, tmp_path):
    at = (utcnow() - timedelta(hours=1)).isoformat()
    path = log(
        tmp_path,
        f"c-1,8 495 123-00-01,+79161234567,{at},45,true",
        f"c-2,+74951230001,8 916 123-45-67,{at},10,true",
        f"c-3,+74951230001,,{at},0,false",
    )
    result = runner.invoke(args=["calls", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 3 calls from calls.csv (2 with a lead, 0 already recorded)." in result.output
    assert db.session.scalar(select(func.count()).select_from(Lead)) == 1
    again = runner.invoke(args=["calls", "import", str(path)])
    assert "Imported 0 calls from calls.csv (0 with a lead, 3 already recorded)." in again.output
    assert calls() == 3


def test_a_bad_row_imports_nothing_and_every_bad_row_is_named(runner, number, tmp_path):
    at = (utcnow() - timedelta(hours=1)).isoformat()
    path = log(
        tmp_path,
        f"c-1,+74951230001,+79161234567,{at},45,true",
        f"c-2,not a number,+79161234567,{at},45,true",
        "c-3,+74951230001,+79161234567,yesterday,-4,maybe",
    )
    result = runner.invoke(args=["calls", "import", str(path)])
    assert result.exit_code != 0
    assert "line 3" in result.output
    assert "tracking_number" in result.output
    assert "line 4" in result.output
    assert "started_at" in result.output
    assert "duration_s" in result.output
    assert "answered" in result.output
    assert calls() == 0


def test_a_call_lead_reaches_bitrix24_as_a_call(client, make, number):
    from comarketing.calls.services import CallInput, record_call

    call, _ = record_call(
        CallInput("c-1", "+74951230001", "+79161234567", utcnow() - timedelta(minutes=3), 60, True)
    )
    data = lead_data(call.lead_id)
    assert data.conversion_kind == "call"
    fields = bitrix24.lead_fields(data)
    assert fields["SOURCE_ID"] == "CALL"
    assert fields["SOURCE_DESCRIPTION"].startswith("source: call; partner: Альфа")
    from comarketing.integrations.crm import amocrm

    (pushed,) = amocrm.lead_complex("https://vendor.amocrm.ru", "t", data).json()
    assert [tag["name"] for tag in pushed["_embedded"]["tags"]] == [data.partner, "call"]


def test_erasure_blanks_the_callers_number(make, number):
    from comarketing.calls.services import CallInput, record_call

    at = utcnow() - timedelta(minutes=30)
    short, _ = record_call(CallInput("c-0", "+74951230001", "+79161234567", at, 5, True))
    assert short.lead_id is None  # not known yet
    call, _ = record_call(
        CallInput("c-1", "+74951230001", "+79161234567", at + timedelta(minutes=1), 60, True)
    )
    erase_lead(db.session.get(Lead, call.lead_id))
    db.session.commit()
    assert list(db.session.scalars(select(Call.caller))) == [None, None]
    assert calls() == 2
