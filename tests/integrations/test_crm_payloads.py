"""The CRM payload builders and the outbound guard are pure: plain data in, requests out."""

import hashlib
import hmac
import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from comarketing.core import http
from comarketing.core.signatures import verify
from comarketing.integrations.crm import amocrm, bitrix24, webhook
from comarketing.integrations.crm.lead_data import LeadData
from comarketing.integrations.crm.request import AnswerError
from comarketing.integrations.crm.sender import retry_after
from comarketing.integrations.queries import masked_url

LEAD = LeadData(
    lead_id=42,
    created_at=datetime(2026, 11, 20, 8, 30, tzinfo=UTC),
    name="Иван Петров",
    email="ivan@example.com",
    phone="+79161234567",
    company="ООО «Ромашка»",
    conversion_kind="registration",
    partner="Интегратор Плюс",
    partner_slug="integrator-plyus",
    segment="amocrm",
    campaign="Осенний Директ",
    webinar="Коллтрекинг и amoCRM",
    utm={"source": "integrator-plyus", "medium": "partner", "campaign": "osen", "term": "crm"},
)
BARE = LeadData(lead_id=7, created_at=datetime(2026, 11, 20, tzinfo=UTC), phone="+79161234567")
WEBHOOK_URL = "https://b24-x1y2.bitrix24.ru/rest/1/q1w2e3r4t5/"


def test_bitrix24_lead_add_carries_contact_source_and_utm():
    request = bitrix24.lead_add(WEBHOOK_URL, LEAD)
    assert request.url == WEBHOOK_URL + "crm.lead.add.json"
    assert request.headers["Content-Type"].startswith("application/json")
    body = request.json()
    assert body["params"] == {"REGISTER_SONET_EVENT": "Y"}
    assert body["fields"] == {
        "TITLE": "Иван Петров — Интегратор Плюс",
        "NAME": "Иван",
        "LAST_NAME": "Петров",
        "COMPANY_TITLE": "ООО «Ромашка»",
        "EMAIL": [{"VALUE": "ivan@example.com", "VALUE_TYPE": "WORK"}],
        "PHONE": [{"VALUE": "+79161234567", "VALUE_TYPE": "WORK"}],
        "SOURCE_ID": "PARTNER",
        "SOURCE_DESCRIPTION": (
            "partner: Интегратор Плюс; campaign: Осенний Директ; webinar: Коллтрекинг и amoCRM"
        ),
        "UTM_SOURCE": "integrator-plyus",
        "UTM_MEDIUM": "partner",
        "UTM_CAMPAIGN": "osen",
        "UTM_TERM": "crm",
        "ORIGINATOR_ID": "comarketing",
        "ORIGIN_ID": "42",
    }
    assert "Иван".encode() in request.body  # UTF-8, not \\u escapes


def test_bitrix24_leaves_out_what_is_unknown():
    fields = bitrix24.lead_add(WEBHOOK_URL, BARE).json()["fields"]
    assert fields == {
        "TITLE": "+79161234567",
        "PHONE": [{"VALUE": "+79161234567", "VALUE_TYPE": "WORK"}],
        "SOURCE_ID": "WEB",
        "ORIGINATOR_ID": "comarketing",
        "ORIGIN_ID": "7",
    }


@pytest.mark.parametrize(
    ("pasted", "stored"),
    [
        (WEBHOOK_URL, WEBHOOK_URL),
        ("https://b24-x1y2.bitrix24.ru/rest/1/q1w2e3r4t5", WEBHOOK_URL),
        ("https://b24-x1y2.bitrix24.ru/rest/1/q1w2e3r4t5/profile.json", WEBHOOK_URL),
        (" https://b24-x1y2.bitrix24.ru/rest/1/q1w2e3r4t5/crm.lead.add?x=1 ", WEBHOOK_URL),
        ("https://crm.vendor.ru/rest/17/abc/", "https://crm.vendor.ru/rest/17/abc/"),
    ],
)
def test_bitrix24_webhook_urls_are_normalised(pasted, stored):
    assert bitrix24.normalize_webhook_url(pasted) == stored


@pytest.mark.parametrize(
    "url", ["https://b24.bitrix24.ru/", "https://b24.bitrix24.ru/rest/", "https://x/rest/a/b/"]
)
def test_bitrix24_rejects_other_urls(url):
    with pytest.raises(ValueError, match="Bitrix24"):
        bitrix24.normalize_webhook_url(url)


def test_bitrix24_answers():
    assert bitrix24.external_id({"result": 77, "time": {"start": 1.0}}) == "77"
    with pytest.raises(AnswerError, match="no lead id") as nothing:
        bitrix24.external_id({"time": {}})
    assert nothing.value.retry is False
    with pytest.raises(AnswerError) as limit:
        bitrix24.external_id({"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many"})
    assert limit.value.retry is True
    assert str(limit.value) == "QUERY_LIMIT_EXCEEDED: Too many"
    with pytest.raises(AnswerError) as missing:
        bitrix24.external_id({"error": "ERROR_CORE", "error_description": "Fields missing"})
    assert missing.value.retry is False


def test_amocrm_leads_complex_embeds_contact_company_and_partner_tag():
    request = amocrm.lead_complex("https://vendor.amocrm.ru/leads/pipeline/1", "tok-123", LEAD)
    assert request.url == "https://vendor.amocrm.ru/api/v4/leads/complex"
    assert request.headers["Authorization"] == "Bearer tok-123"
    assert request.json() == [
        {
            "name": "Иван Петров — Интегратор Плюс",
            "request_id": "42",
            "_embedded": {
                "contacts": [
                    {
                        "name": "Иван Петров",
                        "first_name": "Иван",
                        "last_name": "Петров",
                        "custom_fields_values": [
                            {
                                "field_code": "EMAIL",
                                "values": [{"value": "ivan@example.com", "enum_code": "WORK"}],
                            },
                            {
                                "field_code": "PHONE",
                                "values": [{"value": "+79161234567", "enum_code": "WORK"}],
                            },
                        ],
                    }
                ],
                "companies": [{"name": "ООО «Ромашка»"}],
                "tags": [{"name": "Интегратор Плюс"}],
            },
            "custom_fields_values": [  # amoCRM's tracking fields (issue 18)
                {"field_code": "UTM_SOURCE", "values": [{"value": "integrator-plyus"}]},
                {"field_code": "UTM_MEDIUM", "values": [{"value": "partner"}]},
                {"field_code": "UTM_CAMPAIGN", "values": [{"value": "osen"}]},
                {"field_code": "UTM_TERM", "values": [{"value": "crm"}]},
            ],
        }
    ]


def test_amocrm_without_name_or_partner():
    (lead,) = amocrm.lead_complex("https://v.amocrm.ru", "t", BARE).json()
    assert lead["name"] == "+79161234567"
    assert lead["_embedded"] == {
        "contacts": [
            {
                "name": "+79161234567",
                "custom_fields_values": [
                    {
                        "field_code": "PHONE",
                        "values": [{"value": "+79161234567", "enum_code": "WORK"}],
                    }
                ],
            }
        ]
    }


def test_amocrm_answers():
    answer = [{"id": 9774766, "contact_id": 1, "company_id": 2, "request_id": ["42"]}]
    assert amocrm.external_id(answer) == "9774766"
    with pytest.raises(AnswerError, match="no lead id"):
        amocrm.external_id({"title": "x"})
    problem = {
        "title": "Bad Request",
        "detail": "Request validation failed",
        "validation-errors": [{"request_id": "0", "errors": [{"path": "name", "detail": "long"}]}],
    }
    assert amocrm.describe_error(problem) == "Bad Request: Request validation failed (name: long)"


def test_webhook_is_signed_over_timestamp_and_exact_body():
    request = webhook.signed_post(
        "https://hooks.vendor.example/leads",
        "s3cr3t",
        LEAD,
        delivery_id="901",
        timestamp=1764000000,
    )
    header = request.headers["X-Comarketing-Signature"]
    match = re.fullmatch(r"t=(\d+),v1=([0-9a-f]{64})", header)
    assert match is not None
    assert match.group(1) == "1764000000"
    expected = hmac.new(b"s3cr3t", b"1764000000." + request.body, hashlib.sha256).hexdigest()
    assert match.group(2) == expected
    assert verify("s3cr3t", request.body, header, now=1764000100)
    assert not verify("s3cr3t", request.body + b" ", header, now=1764000100)
    assert not verify("other", request.body, header, now=1764000100)
    assert request.headers["X-Comarketing-Delivery"] == "901"
    document = json.loads(request.body)
    assert document["event"] == "lead.created"
    assert document["lead"] == {
        "id": 42,
        "created_at": "2026-11-20T08:30:00Z",
        "name": "Иван Петров",
        "email": "ivan@example.com",
        "phone": "+79161234567",
        "company": "ООО «Ромашка»",
        "conversion_kind": "registration",
        "partner": {"name": "Интегратор Плюс", "slug": "integrator-plyus", "segment": "amocrm"},
        "campaign": "Осенний Директ",
        "webinar": "Коллтрекинг и amoCRM",
        "utm": {
            "source": "integrator-plyus",
            "medium": "partner",
            "campaign": "osen",
            "term": "crm",
        },
    }


def test_retry_after_seconds_dates_and_nonsense():
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    assert retry_after("120") == timedelta(seconds=120)
    assert retry_after("Fri, 20 Nov 2026 12:05:00 GMT", now=now) == timedelta(minutes=5)
    assert retry_after("Fri, 20 Nov 2026 11:00:00 GMT", now=now) is None  # in the past
    assert retry_after("soon") is None
    assert retry_after(None) is None
    assert retry_after("99999999") == timedelta(days=1)  # capped


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://10.1.2.3/",
        "http://192.168.0.10/",
        "http://172.16.5.4/",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://0.0.0.0/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fe80::1]/",
        "http://100.64.0.1/",  # carrier-grade NAT (shared address space)
        "http://240.0.0.1/",  # reserved
        "http://224.0.0.1/",  # multicast
        "http://[64:ff9b::7f00:1]/",  # NAT64 of 127.0.0.1
        "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of the cloud metadata address
        "http://[64:ff9b:1::a00:1]/",  # a local-use NAT64 translator (RFC 8215)
        "http://[::7f00:1]/",  # IPv4-compatible 127.0.0.1
        "http://[::a00:1]/",  # IPv4-compatible 10.0.0.1
        "http://[2002:c0a8:1::1]/",  # 6to4 of 192.168.0.1
    ],
)
def test_private_and_local_targets_are_refused(url):
    with pytest.raises(http.TargetRefused, match="private or local"):
        http.check_target(url, allow_private=False)
    http.check_target(url, allow_private=True)  # development and tests may call them


@pytest.mark.parametrize("url", ["ftp://example.com/x", "file:///etc/passwd", "https:///path"])
def test_only_http_urls_with_a_host(url):
    with pytest.raises(http.TargetRefused, match="http"):
        http.check_target(url, allow_private=True)


def test_public_addresses_pass():
    http.check_target("https://93.184.215.14/api", allow_private=False)
    http.check_target("http://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/", allow_private=False)
    http.check_target("http://[64:ff9b::5db8:d70e]/", allow_private=False)  # NAT64, public


def test_secrets_are_masked_for_display():
    assert masked_url("bitrix24", WEBHOOK_URL) == "https://b24-x1y2.bitrix24.ru/rest/1/…/"
    assert masked_url("webhook", "https://h.example/in?token=x") == "https://h.example/in?…"
    assert masked_url("amocrm", "https://v.amocrm.ru") == "https://v.amocrm.ru"


@pytest.mark.parametrize(
    ("value", "allowed"),
    [(True, True), (False, False), ("False", False), ("no", False), ("TRUE", True), ("1", True)],
)
def test_the_private_switch_reads_environment_strings_strictly(app, value, allowed):
    app.config["OUTBOUND_ALLOW_PRIVATE"] = value
    try:
        assert http.private_targets_allowed() is allowed
    finally:
        app.config["OUTBOUND_ALLOW_PRIVATE"] = True


def test_production_refuses_private_targets_by_default():
    from config.production import ProductionConfig

    assert ProductionConfig.OUTBOUND_ALLOW_PRIVATE is False
