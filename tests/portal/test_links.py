"""``/portal/links``: a partner sees, creates and downloads the QR codes of its own links only;
another partner's link answers 404, figures count human clicks, and the short-URL markup the
end-to-end test relies on is there."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from comarketing.core.auth import Role
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.leads.models import Lead, TouchKind, Touchpoint
from comarketing.links.models import Click, TrackedLink
from comarketing.links.services import issue_link
from tests.factories import login

LANDING = "https://vendor.example/amo?from=partners"
VISITOR = "0" * 32


@pytest.fixture
def links_world(client, make):
    """Partners A and B in one campaign and one webinar (each issued its links by the
    services), a campaign of B alone, and A's user logged in (English messages)."""
    a, b = make.partner("Альфа Интеграция"), make.partner("Бета Софт")
    joint = make.campaign([a, b], landing_url=LANDING)
    only_b = make.campaign([b], landing_url="https://vendor.example/b-only")
    webinar = make.webinar([a, b])
    user = make.user(Role.PARTNER, partner=a)
    user.locale = "en"
    db.session.commit()
    login(client, user)
    return a, b, joint, only_b, webinar, user


def links_of(partner) -> list[TrackedLink]:
    stmt = select(TrackedLink).where(TrackedLink.partner_id == partner.id)
    return list(db.session.scalars(stmt.order_by(TrackedLink.id)))


def link_count() -> int:
    return db.session.scalar(select(func.count(TrackedLink.id))) or 0


def add_clicks(link: TrackedLink, *, recent: int, old: int = 0, bots: int = 0) -> None:
    now = utcnow()
    for n in range(recent + old + bots):
        when = now - timedelta(days=40 if recent <= n < recent + old else 1)
        db.session.add(
            Click(link_id=link.id, clicked_at=when, visitor_id=VISITOR, is_bot=n >= recent + old)
        )
    db.session.commit()


def row_of(html: str, code: str) -> str:
    rows = re.findall(r'<tr data-testid="link-row">.*?</tr>', html, re.S)
    found = [row for row in rows if f"/r/{code}<" in row]
    assert len(found) == 1
    return found[0]


def numbers(row: str) -> list[str]:
    return re.findall(r'<td class="num">([^<]*)</td>', row)


def test_the_list_shows_only_own_links_with_copy_buttons(client, links_world):
    a, b, *_ = links_world
    own, others = links_of(a), links_of(b)
    assert len(own) == 2
    assert len(others) == 3
    html = client.get("/portal/links").text
    for link in own:
        url = f"http://go.test/r/{link.code}"
        assert f'<code class="text-break" data-testid="short-url">{url}</code>' in html
        assert re.search(
            rf'<button type="button"[^>]* data-testid="copy-short-url"\s+'
            rf'data-copy-text="{re.escape(url)}" data-copied-text="Copied">',
            html,
        )
        assert f"/portal/links/{link.id}/qr.svg" in html
    for link in others:
        assert link.code not in html
        assert f"/portal/links/{link.id}" not in html
    assert LANDING.replace("&", "&amp;") in html
    assert "js/copy.js" in html
    assert "<script>" not in html
    assert "style=" not in html


def test_the_list_counts_human_clicks_and_leads_of_own_links_only(client, links_world):
    a, b, joint, *_ = links_world
    mine = next(link for link in links_of(a) if link.campaign_id == joint.id)
    theirs = next(link for link in links_of(b) if link.campaign_id == joint.id)
    add_clicks(mine, recent=2, old=3, bots=4)
    add_clicks(theirs, recent=70, bots=1)
    lead = Lead(email="lead@example.com")
    db.session.add(lead)
    db.session.flush()
    db.session.add(Touchpoint(lead_id=lead.id, kind=TouchKind.CLICK, occurred_at=utcnow(),
                              link_id=mine.id, partner_id=a.id))  # fmt: skip
    db.session.commit()
    html = client.get("/portal/links").text
    assert numbers(row_of(html, mine.code)) == ["5", "2", "1"]  # total, 30 days, leads
    assert ">70<" not in html
    assert ">71<" not in html


def test_the_figures_of_a_page_take_a_fixed_number_of_queries(client, links_world):
    a, _, joint, *_ = links_world

    def statements() -> int:
        seen: list[str] = []

        def count(*args) -> None:  # type: ignore[no-untyped-def]
            seen.append(args[2])

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get("/portal/links").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(seen)

    before = statements()
    for n in range(5):
        issue_link(partner=a, campaign=joint, destination_url=LANDING, content=f"banner-{n}")
    db.session.commit()
    assert statements() == before


def test_the_list_is_paged(client, links_world):
    a, _, joint, *_ = links_world
    for n in range(26):  # 28 links with the two issued by the services: 25 + 3
        issue_link(partner=a, campaign=joint, destination_url=LANDING, label=f"n{n}")
    db.session.commit()
    first, second = client.get("/portal/links"), client.get("/portal/links?page=2")
    assert first.text.count('data-testid="short-url"') == 25
    assert second.text.count('data-testid="short-url"') == 3
    assert client.get("/portal/links?page=999").status_code == 200


def test_a_link_page_with_figures_and_qr_codes(client, links_world):
    a, *_ = links_world
    link = links_of(a)[0]
    add_clicks(link, recent=3, bots=2)
    page = client.get(f"/portal/links/{link.id}")
    assert page.status_code == 200
    assert f'data-testid="short-url">http://go.test/r/{link.code}</code>' in page.text
    assert 'data-testid="copy-short-url"' in page.text
    assert "<svg" in page.text  # the clicks chart, inline
    svg = client.get(f"/portal/links/{link.id}/qr.svg")
    assert svg.status_code == 200
    assert svg.mimetype == "image/svg+xml"
    assert f"qr-{link.code}.svg" in svg.headers["Content-Disposition"]
    png = client.get(f"/portal/links/{link.id}/qr.png?inline=1")
    assert png.data.startswith(b"\x89PNG")
    assert "Content-Disposition" not in png.headers


def test_another_partners_link_is_not_found(client, links_world):
    _, b, *_ = links_world
    theirs = links_of(b)[0]
    for path in ("", "/qr.svg", "/qr.png", "/qr.svg?inline=1"):
        assert client.get(f"/portal/links/{theirs.id}{path}").status_code == 404
    assert client.get("/portal/links/2147483647").status_code == 404


def test_a_partner_creates_a_link_to_its_campaign_landing(client, links_world):
    a, _, joint, _, _, user = links_world
    answer = client.post("/portal/links", data={
        "target": f"campaign-{joint.id}", "destination_url": LANDING,
        "utm_content": "Баннер №1", "utm_term": "", "label": "Рассылка",
    })  # fmt: skip
    assert answer.status_code == 302
    link = links_of(a)[-1]
    assert answer.headers["Location"] == f"/portal/links/{link.id}"
    assert (link.campaign_id, link.destination_url, link.label) == (joint.id, LANDING, "Рассылка")
    assert (link.utm_source, link.utm_content, link.created_by_id) == (
        a.slug, "banner-no1", user.id)  # fmt: skip
    assert "Link issued." in client.get(answer.headers["Location"]).text


def test_a_partner_creates_a_link_to_its_webinar_registration_page(client, links_world):
    a, _, _, _, webinar, _ = links_world
    answer = client.post("/portal/links", data={"target": f"webinar-{webinar.id}"})
    assert answer.status_code == 302
    link = links_of(a)[-1]
    assert link.webinar_id == webinar.id
    assert link.destination_url == f"http://go.test/w/{webinar.slug}"
    assert link.utm_medium == "webinar"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"destination_url": "https://evil.example/"}, "can only lead to its landing page"),
        ({"destination_url": "https://vendor.example/b-only"}, "can only lead to its landing"),
        ({"target": "only_b"}, "Choose one of your campaigns or webinars."),
        ({"target": "campaign-abc"}, "Choose one of your campaigns or webinars."),
        ({"target": ""}, "Choose one of your campaigns or webinars."),
        ({"target": "lonely_webinar"}, "Choose one of your campaigns or webinars."),
        ({"utm_content": "x" * 101}, "Field cannot be longer than 100 characters."),
    ],
)
def test_anything_else_is_refused_and_nothing_written(client, make, links_world, data, message):
    _, b, joint, only_b, _, _ = links_world
    targets = {"only_b": f"campaign-{only_b.id}",
               "lonely_webinar": f"webinar-{make.webinar([b]).id}"}  # fmt: skip
    before = link_count()
    form = {"target": f"campaign-{joint.id}", "destination_url": ""} | data
    form["target"] = targets.get(form["target"], form["target"])
    answer = client.post("/portal/links", data=form)
    assert answer.status_code == 422
    assert message in answer.text
    assert link_count() == before


def test_staff_and_anonymous_users_stay_out(client, make, links_world):
    _, b, joint, *_ = links_world
    link = links_of(b)[0]
    paths = ("/portal/links", f"/portal/links/{link.id}", f"/portal/links/{link.id}/qr.svg")
    client.post("/logout")
    for path in paths:
        assert client.get(path).status_code == 302
    login(client, make.user(Role.MARKETER))
    for path in paths:
        assert client.get(path).status_code == 403
    answer = client.post("/portal/links", data={"target": f"campaign-{joint.id}"})
    assert answer.status_code == 403


def test_russian_is_the_default_language(client, make):
    partner = make.partner()
    make.campaign([partner], landing_url=LANDING)
    login(client, make.user(Role.PARTNER, partner=partner))
    html = client.get("/portal/links").text
    assert '<html lang="ru">' in html
    assert 'data-copied-text="Скопировано">Копировать</button>' in html


def test_asking_twice_for_the_same_link_gives_the_first_one(client, links_world):
    a, _, joint, *_ = links_world
    data = {"target": f"campaign-{joint.id}", "utm_content": "Баннер №1", "label": "Рассылка"}
    first = client.post("/portal/links", data=data)
    count = len(links_of(a))
    again = client.post("/portal/links", data={**data, "utm_content": "баннер  №1"})
    assert again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert len(links_of(a)) == count
