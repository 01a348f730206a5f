"""``flask crm add|list|enable|disable`` and ``flask outbox retry``: one line each, clear
errors with a non-zero exit, secrets never printed back."""

import pytest
from sqlalchemy import select

from comarketing.core.outbox import OutboxMessage, OutboxStatus
from comarketing.extensions import db
from comarketing.integrations.models import CrmDestination
from comarketing.leads.models import ConversionKind
from comarketing.leads.services import Submission, record_submission

B24 = "https://b24-x1y2.bitrix24.ru/rest/1/q1w2e3r4t5/"


def destinations():
    return db.session.scalars(select(CrmDestination).order_by(CrmDestination.id)).all()


@pytest.mark.parametrize(
    ("args", "kind", "url", "secret"),
    [
        (["bitrix24", "--url", B24 + "profile.json"], "bitrix24", B24, None),
        (
            ["amocrm", "--url", "https://vendor.amocrm.ru/leads/", "--token", "tok"],
            "amocrm",
            "https://vendor.amocrm.ru",
            "tok",
        ),
        (
            ["webhook", "--url", "https://hooks.vendor.example/in", "--secret", "k"],
            "webhook",
            "https://hooks.vendor.example/in",
            "k",
        ),
    ],
)
def test_add_prints_one_line(runner, args, kind, url, secret):
    result = runner.invoke(args=["crm", "add", *args])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"Added {kind} destination ")
    (destination,) = destinations()
    assert (destination.kind, destination.url, destination.secret) == (kind, url, secret)
    assert destination.active


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["bitrix24", "--url", "https://b24.bitrix24.ru/"], 1, "is not a bitrix24 address"),
        (["webhook", "--url", "ftp://x.example/in", "--secret", "k"], 1, "http:// or https://"),
        (["webhook", "--url", "https://x.example/in", "--secret", " "], 1, "needs a secret"),
        (["amocrm", "--url", "https://v.amocrm.ru"], 2, "Missing option '--token'"),
        (["webhook", "--secret", "k"], 2, "Missing option '--url'"),
        (["sugarcrm", "--url", "https://x.example"], 2, "No such command 'sugarcrm'"),
    ],
)
def test_bad_input_fails_clearly(runner, args, code, message):
    result = runner.invoke(args=["crm", "add", *args])
    assert result.exit_code == code
    assert message in result.output
    assert destinations() == []


def test_private_targets_are_refused_when_not_allowed(app, runner):
    app.config["OUTBOUND_ALLOW_PRIVATE"] = False
    try:
        result = runner.invoke(
            args=["crm", "add", "webhook", "--url", "http://127.0.0.1:8080/in", "--secret", "k"]
        )
        metadata = runner.invoke(
            args=["crm", "add", "amocrm", "--url", "http://169.254.169.254", "--token", "t"]
        )
    finally:
        app.config["OUTBOUND_ALLOW_PRIVATE"] = True
    assert result.exit_code == 1
    assert "This address cannot receive leads." in result.output
    assert "127.0.0.1 resolves to a private or local address" in result.output
    assert metadata.exit_code == 1
    assert "169.254.169.254" in metadata.output
    assert destinations() == []
    allowed = runner.invoke(
        args=["crm", "add", "webhook", "--url", "http://127.0.0.1:8080/in", "--secret", "k"]
    )
    assert allowed.exit_code == 0  # development and tests allow them


def test_list_hides_secrets_and_counts_messages(runner):
    runner.invoke(args=["crm", "add", "bitrix24", "--url", B24])
    runner.invoke(
        args=["crm", "add", "amocrm", "--url", "https://v.amocrm.ru", "--token", "tok-secret"]
    )
    record_submission(Submission(kind=ConversionKind.API, email="l@example.com"))
    db.session.commit()
    result = runner.invoke(args=["crm", "list"])
    assert result.exit_code == 0
    assert "q1w2e3r4t5" not in result.output
    assert "tok-secret" not in result.output
    lines = result.output.strip().splitlines()
    assert lines[0].split("\t")[:5] == [
        str(destinations()[0].id),
        "bitrix24",
        "active",
        "b24-x1y2.bitrix24.ru",
        "https://b24-x1y2.bitrix24.ru/rest/1/…/",
    ]
    assert lines[0].endswith("pending 1")
    assert lines[-1] == "2 destination(s)."


def test_disable_cancels_waiting_messages_and_enable_resumes(runner):
    runner.invoke(args=["crm", "add", "bitrix24", "--url", B24])
    destination_id = destinations()[0].id
    record_submission(Submission(kind=ConversionKind.API, email="a@example.com"))
    db.session.commit()

    result = runner.invoke(args=["crm", "disable", str(destination_id)])
    assert (
        result.output == f"Destination {destination_id} disabled; 1 pending message(s) cancelled.\n"
    )
    record_submission(Submission(kind=ConversionKind.API, email="b@example.com"))
    db.session.commit()
    assert db.session.scalars(select(OutboxMessage.status)).all() == [OutboxStatus.CANCELLED]

    result = runner.invoke(args=["crm", "enable", str(destination_id)])
    assert result.output == f"Destination {destination_id} enabled.\n"
    missing = runner.invoke(args=["crm", "disable", "999"])
    assert (missing.exit_code, "There is no destination 999." in missing.output) == (1, True)


def test_outbox_retry_revives_dead_messages(runner):
    runner.invoke(args=["crm", "add", "bitrix24", "--url", B24])
    record_submission(Submission(kind=ConversionKind.API, email="d@example.com"))
    message = db.session.scalar(select(OutboxMessage))
    message.status, message.attempts = OutboxStatus.DEAD, 8
    db.session.commit()
    result = runner.invoke(args=["outbox", "retry"])
    assert result.output == "1 dead message(s) will be retried.\n"
    db.session.refresh(message)
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 0)
