"""The attendance upload takes Zoom's and MTS Link's own export files as they are, recognised
by their header; our own ``email,attended,minutes`` file keeps working."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from sqlalchemy import select

from comarketing.core.auth import Role
from comarketing.core.csv_import import CsvImportError
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.leads.services.registrations import register
from comarketing.webinars.models import Registration, Webinar
from comarketing.webinars.services.attendance_csv import AttendanceEntry, parse_attendance
from tests.factories import login

# "Export with meeting data": the meeting block, a blank line, then one row per visit (Анна
# dropped and came back; a guest without an e-mail; the host).
ZOOM_MEETING_EXPORT = (
    "\ufeffTopic,Meeting ID,User Name,User Email,Department,Group,Has Zoom Rooms,"
    "Creation Time,Start Time,End Time,Duration (Minutes),Participants\n"
    "Звонки в Bitrix24,857 4635 2910,Vendor Host,host@vendor.example,,,No,"
    "12/01/2026 07:40:11 AM,12/01/2026 08:00:02 AM,12/01/2026 09:02:40 AM,63,5\n"
    "\n"
    "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,"
    "Recording Consent,In Waiting Room\n"
    "Vendor Host,host@vendor.example,12/01/2026 08:00:02 AM,12/01/2026 09:02:40 AM,63,No,,No\n"
    "Анна Петрова (Anna),Anna@Example.com,12/01/2026 08:01:10 AM,12/01/2026 08:21:40 AM,"
    "21,Yes,,No\n"
    "Анна Петрова (Anna),anna@example.com,12/01/2026 08:30:00 AM,12/01/2026 09:00:05 AM,"
    "31,Yes,,No\n"
    '"Иванов, Борис",boris@example.com,12/01/2026 08:02:00 AM,12/01/2026 08:47:00 AM,'
    "45,Yes,,No\n"
    "iPhone,,12/01/2026 08:05:00 AM,12/01/2026 08:06:00 AM,2,Yes,,No\n"
)

# "Show unique users": one row per person with the total.
ZOOM_UNIQUE_EXPORT = """Name (Original Name),User Email,Total Duration (Minutes),Guest
Анна Петрова,anna@example.com,52,Yes
Иванов Борис,boris@example.com,45,Yes
"""

# Zoom's webinar attendee report: a preamble, then sections under title lines; the panelists'
# table (other columns) is skipped; "--" for a registrant who never joined.
ZOOM_WEBINAR_REPORT = (
    "Attendee Report\n"
    'Report Generated:,"12/01/2026 10:00 AM"\n'
    "Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered,Unique Viewers\n"
    "Звонки в Bitrix24,857 4635 2910,12/01/2026 08:00:02 AM,63,3,2\n"
    "Host Details\n"
    "Attended,User Name (Original Name),Email,Join Time,Leave Time,"
    "Time in Session (minutes),Is Guest,Country/Region Name\n"
    "Yes,Vendor Host,host@vendor.example,12/01/2026 08:00 AM,12/01/2026 09:02 AM,63,No,Russia\n"
    "Panelist Details\n"
    "User Name (Original Name),Email Address,Join Time,Leave Time,Time in Session (minutes)\n"
    "Партнёр,partner@integrator.example,12/01/2026 08:00 AM,12/01/2026 09:00 AM,60\n"
    "Attendee Details\n"
    "Attended,User Name (Original Name),First Name,Last Name,Email,Registration Time,"
    "Approval Status,Join Time,Leave Time,Time in Session (minutes),Is Guest,Country/Region Name\n"
    "Yes,Анна,Анна,Петрова,anna@example.com,11/20/2026 09:00 AM,approved,"
    "12/01/2026 08:01 AM,12/01/2026 08:22 AM,21,Yes,Russia\n"
    "Yes,Анна,Анна,Петрова,anna@example.com,11/20/2026 09:00 AM,approved,"
    "12/01/2026 08:30 AM,12/01/2026 09:01 AM,31,Yes,Russia\n"
    "No,Вера,Вера,Смирнова,vera@example.com,11/21/2026 10:00 AM,approved,--,--,--,Yes,Russia\n"
)

# MTS Link's statistics saved from Excel as CSV: Russian headers, ";", cp1251.
MTS_LINK_EXPORT = (
    "Имя;Фамилия;Email;Имя в чате;Роль;Посетил;Время на мероприятии;Город\r\n"
    "Анна;Петрова;anna@example.com;Анна П.;Участник;Да;00:52:10;Москва\r\n"
    "Борис;Иванов;BORIS@example.com;Борис;Участник;Да;00:45:40;Казань\r\n"
    "Вера;Смирнова;vera@example.com;;Участник;Нет;;Тверь\r\n"
    "Гость;;гость;Гость 17;Участник;Да;00:10:00;\r\n"
)


@pytest.fixture
def webinar(make) -> Webinar:
    webinar = make.webinar(title="Звонки в Bitrix24", starts_at=utcnow() - timedelta(hours=4))
    for email in ("anna@example.com", "boris@example.com", "vera@example.com"):
        register(webinar, email=email, name=email.split("@")[0])
    db.session.commit()
    return webinar


def attendance(webinar: Webinar) -> dict[str, tuple[bool | None, int | None]]:
    rows = db.session.execute(
        select(Registration.email, Registration.attended, Registration.attended_minutes).where(
            Registration.webinar_id == webinar.id
        )
    ).all()
    return {email: (attended, minutes) for email, attended, minutes in rows}


def upload(client, webinar: Webinar, data: bytes, name: str = "attendance.csv"):
    return client.post(
        f"/webinars/{webinar.id}/attendance",
        data={"file": (BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_zoom_participants_export_with_its_meeting_block(client, make, webinar):
    login(client, make.user(Role.MARKETER))
    response = upload(client, webinar, ZOOM_MEETING_EXPORT.encode("utf-8"))
    assert response.status_code == 302, response.text
    db.session.expire_all()
    assert attendance(webinar) == {
        "anna@example.com": (True, 52),  # two visits: 21 + 31
        "boris@example.com": (True, 45),
        "vera@example.com": (None, None),  # not in the file: left as it was
    }


def test_zoom_unique_users_export():
    assert parse_attendance(ZOOM_UNIQUE_EXPORT) == [
        AttendanceEntry("anna@example.com", True, 52),
        AttendanceEntry("boris@example.com", True, 45),
    ]


def test_zoom_webinar_attendee_report():
    assert parse_attendance(ZOOM_WEBINAR_REPORT) == [
        AttendanceEntry("host@vendor.example", True, 63),
        AttendanceEntry("anna@example.com", True, 52),
        AttendanceEntry("vera@example.com", False, None),
    ]


@pytest.mark.parametrize("encoding", ["cp1251", "utf-8-sig"])
def test_mts_link_export_in_cp1251_or_utf8_with_bom(client, make, webinar, encoding):
    login(client, make.user(Role.MARKETER))
    response = upload(client, webinar, MTS_LINK_EXPORT.encode(encoding), "statistics.csv")
    assert response.status_code == 302, response.text
    db.session.expire_all()
    assert attendance(webinar) == {
        "anna@example.com": (True, 52),
        "boris@example.com": (True, 46),  # 45 min 40 s
        "vera@example.com": (False, None),
    }


def test_the_original_format_keeps_working(client, make, webinar):
    login(client, make.user(Role.MARKETER))
    data = b"email,attended,minutes\nanna@example.com,yes,50\nvera@example.com,no,\n"
    assert upload(client, webinar, data).status_code == 302
    db.session.expire_all()
    assert attendance(webinar)["anna@example.com"] == (True, 50)
    assert attendance(webinar)["vera@example.com"] == (False, None)


def test_a_bad_row_in_an_export_refuses_the_file_with_its_line():
    broken = ZOOM_UNIQUE_EXPORT.replace(",45,", ",сорок,")
    with pytest.raises(CsvImportError) as refused:
        parse_attendance(broken)
    assert list(refused.value.errors.by_line) == [3]
    unknown = "Имя;Фамилия;Телефон\nАнна;Петрова;+7 900\n".encode("cp1251")
    with pytest.raises(CsvImportError, match="not UTF-8"):
        parse_attendance(unknown)
