"""The demo sets the program's two targets — ×2.5 partner leads in 18 months for Bitrix24 and
for amoCRM — with three months of progress to show on ``/goals`` and the dashboard."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select

from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.goals.models import KpiTarget
from comarketing.goals.progress import target_progress
from tests.factories import login


def test_the_demo_follows_both_ecosystems(runner, client, make, time_machine):
    time_machine.move_to(datetime(2026, 12, 4, 12, tzinfo=UTC), tick=False)
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    targets = db.session.scalars(select(KpiTarget).order_by(KpiTarget.id)).all()
    assert [(t.segment, t.metric, t.multiple, t.horizon_months) for t in targets] == [
        ("bitrix24", "leads", Decimal("2.5"), 18),
        ("amocrm", "leads", Decimal("2.5"), 18),
    ]
    for target in targets:
        assert (target.baseline_from, target.baseline_to, target.starts_on) == (
            date(2026, 6, 1), date(2026, 8, 31), date(2026, 9, 1),
        )  # fmt: skip
        progress = target_progress(target)
        assert progress.baseline > 0
        assert [m.month.month for m in progress.months] == [9, 10, 11]
        assert progress.month_now == 4
    manager = make.user(Role.MANAGER)
    manager.locale = "en"
    db.session.commit()
    login(client, manager)
    page = client.get("/").text
    assert page.count("month 4 of 18") == 2
    assert client.get("/goals").status_code == 200
