"""Segment names are brands shown in the reader's language (issue 24): Мегаплан reads
Megaplan on an English page; brands written in Latin letters stay as they are."""

from __future__ import annotations

from comarketing.core.auth import Role
from tests.factories import login


def test_a_segment_reads_in_the_pages_language(client, make):
    make.partner("Мега-партнёр", segment="megaplan")
    login(client, make.user(Role.MARKETER))
    english = client.get("/partners", headers={"Accept-Language": "en"}).text
    russian = client.get("/partners", headers={"Accept-Language": "ru"}).text
    assert "Megaplan" in english
    assert "Мегаплан" not in english
    assert "Мегаплан" in russian


def test_a_partner_without_webinars_is_told_what_to_do(client, make):
    partner = make.partner()
    login(client, make.user(Role.PARTNER, partner=partner))
    page = client.get("/portal/webinars", headers={"Accept-Language": "en"}).text
    assert "ask your partner manager for a date" in page
