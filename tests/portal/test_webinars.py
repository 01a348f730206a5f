"""``/portal/webinars``: the webinars a partner co-hosts (upcoming first), its own links to
them, the registrations and attendance it brought (never another co-host's), the ``.ics``
files and its calendar feed."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from comarketing.core.auth import Role
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.links.models import TrackedLink
from comarketing.webinars.models import Registration
from tests.factories import login


def register(webinar, partner, email: str, *, attended: bool | None = None) -> None:
    """A registration as the registration service stores it: the partner whose link (or
    ``utm_source``) brought it, and its attendance once imported."""
    db.session.add(Registration(
        webinar_id=webinar.id, email=email, name=email.split("@")[0],
        partner_id=partner.id if partner else None, attended=attended,
    ))  # fmt: skip
    db.session.commit()


def link_of(partner, webinar) -> TrackedLink:
    return db.session.scalars(
        select(TrackedLink).where(
            TrackedLink.partner_id == partner.id, TrackedLink.webinar_id == webinar.id
        )
    ).one()


@pytest.fixture
def webinars_world(client, make):
    """A and B co-host an upcoming and a past webinar; B alone hosts another; A's user is
    logged in (English messages)."""
    a, b = make.partner("Альфа Интеграция"), make.partner("Бета Софт")
    soon = make.webinar([a, b], title="Звонки из amoCRM",
                        starts_at=datetime(2030, 3, 5, 8, 0, tzinfo=UTC),
                        timezone="Asia/Novosibirsk")  # fmt: skip
    later = make.webinar([a], title="Сквозная аналитика", starts_at=utcnow() + timedelta(days=60))
    past = make.webinar([a, b], title="Итоги года", starts_at=utcnow() - timedelta(days=20))
    theirs = make.webinar([b], title="Только для Беты")
    user = make.user(Role.PARTNER, partner=a)
    user.locale = "en"
    db.session.commit()
    login(client, user)
    return a, b, soon, later, past, theirs


def row_of(html: str, title: str) -> str:
    rows = re.findall(r'<tr data-testid="webinar-row">.*?</tr>', html, re.S)
    found = [row for row in rows if title in row]
    assert len(found) == 1
    return found[0]


def numbers(row: str) -> list[str]:
    return re.findall(r'<td class="num">([^<]*)</td>', row)


def test_only_cohosted_webinars_upcoming_first(client, webinars_world):
    *_, soon, later, past, theirs = webinars_world
    html = client.get("/portal/webinars").text
    assert theirs.title not in html
    positions = [html.index(w.title) for w in (later, soon, past)]
    assert positions == sorted(positions)  # upcoming soonest first, then past
    # 08:00 UTC is 15:00 in Novosibirsk, the webinar's own zone.
    assert "15:00" in row_of(html, soon.title)
    assert "Asia/Novosibirsk" in html


def test_own_registration_link_with_copy_button_and_ics(client, webinars_world):
    a, b, soon, *_ = webinars_world
    row = row_of(client.get("/portal/webinars").text, soon.title)
    mine, other = link_of(a, soon), link_of(b, soon)
    url = f"http://go.test/r/{mine.code}"
    assert f'data-testid="short-url">{url}</code>' in row
    assert f'data-testid="copy-short-url"\n            data-copy-text="{url}"' in row
    assert other.code not in row
    assert f'href="http://go.test/w/{soon.slug}.ics"' in row
    assert client.get(f"/w/{soon.slug}.ics").status_code == 200


def test_registrations_and_attendance_only_through_own_links(client, webinars_world):
    a, b, soon, _, past, _ = webinars_world
    register(soon, a, "anna@client.ru")
    register(soon, a, "alla@client.ru")
    for n in range(7):
        register(soon, b, f"boris{n}@client.ru")
    register(soon, None, "direct@client.ru")
    register(past, a, "petr@client.ru", attended=True)
    register(past, a, "pavel@client.ru", attended=False)
    for n in range(9):
        register(past, b, f"bella{n}@client.ru", attended=True)
    html = client.get("/portal/webinars").text
    assert numbers(row_of(html, soon.title)) == ["2", "—"]
    assert numbers(row_of(html, past.title)) == ["2", "1"]
    assert "@client.ru" not in html  # no one's e-mail, not even its own registrants'


def test_calendar_feed_of_the_partner_on_top(client, webinars_world):
    a, b, *_ = webinars_world
    html = client.get("/portal/webinars").text
    feed = f"http://go.test/calendar/partner/{a.feed_token}.ics"
    assert f'<code class="text-break" data-testid="feed-url">{feed}</code>' in html
    assert f'data-copy-text="{feed}"' in html
    assert f'href="webcal://go.test/calendar/partner/{a.feed_token}.ics"' in html
    assert b.feed_token not in html
    assert html.index("feed-url") < html.index('data-testid="webinar-row"')
    assert client.get(feed.removeprefix("http://go.test")).status_code == 200


def test_a_partner_without_webinars_sees_empty_lists(client, make):
    partner = make.partner()
    make.webinar([make.partner()])
    user = make.user(Role.PARTNER, partner=partner)
    login(client, user)
    page = client.get("/portal/webinars")
    assert page.status_code == 200
    assert 'data-testid="webinar-row"' not in page.text
    assert '<html lang="ru">' in page.text  # Russian unless the user chose otherwise


def test_staff_and_anonymous_users_stay_out(client, make):
    assert client.get("/portal/webinars").status_code == 302
    login(client, make.user(Role.MANAGER))
    assert client.get("/portal/webinars").status_code == 403
