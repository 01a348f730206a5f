"""The NUL character (U+0000), which PostgreSQL's text cannot hold, never reaches a statement:
pages answer 400 and write nothing, the API names the field (422), and uploaded CSV files are
refused with the lines that carry it (a tracked link: tests/links/test_redirect.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from comarketing.core.auth import Role
from comarketing.core.csv_import import CsvImportError, read_csv
from comarketing.extensions import db
from comarketing.leads.models import Lead
from comarketing.webinars.models import Registration
from tests.factories import bearer, login


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_public_registration_form_refuses_nul_and_writes_nothing(client, make):
    partner = make.partner()
    webinar = make.webinar([partner])
    form = {"name": "Ан\x00на", "email": "anna@example.com", "consent": "y"}
    answer = client.post(f"/w/{webinar.slug}", data=form)
    assert answer.status_code == 400
    assert "text/html" in answer.content_type
    assert client.get(f"/w/{webinar.slug}?utm_source=a%00b").status_code == 400
    assert count(Registration) == 0
    assert count(Lead) == 0
    # The same form without the NUL goes through.
    clean = client.post(f"/w/{webinar.slug}", data=form | {"name": "Анна"})
    assert clean.status_code == 302
    assert count(Registration) == 1


@pytest.mark.parametrize(
    "path",
    [
        "/partners?q=%00",
        "/leads?q=%00",
        "/links?q=%00",
        "/campaigns?q=a%00",
        "/webinars?%00=1",
        "/reports?segment=%00",
        "/reports/leads?key=%00",
    ],
)
def test_staff_pages_refuse_nul_in_the_query(client, make, path):
    login(client, make.user(Role.MANAGER))
    answer = client.get(path)
    assert answer.status_code == 400
    assert client.get(path.split("?")[0]).status_code in (200, 422)


def test_a_form_field_name_with_nul_is_refused(client, make):
    login(client, make.user(Role.MARKETER))
    before = count(Lead)
    answer = client.post("/partners/new", data={"name": "Партнёр", "segment\x00": "amocrm"})
    assert answer.status_code == 400
    assert count(Lead) == before


def test_the_api_names_the_field_instead(client, make):
    token = make.token(make.user(Role.MARKETER))
    answer = client.post(
        "/api/v1/leads", json={"email": "a@example.com", "name": "A\x00"}, headers=bearer(token)
    )
    assert answer.status_code == 422
    assert "name" in answer.json["error"]["fields"]
    assert count(Lead) == 0


def test_a_csv_file_with_nul_is_refused_with_its_lines():
    data = "email,name\na@example.com,Анна\nb@example.com,Бо\x00рис\nc@example.com,\x00\n"
    with pytest.raises(CsvImportError) as refused:
        read_csv(data.encode(), required=["email"], optional=["name"])
    assert set(refused.value.errors.by_line) == {3, 4}
    assert "UTF-8" in refused.value.message
