"""Fake CRMs with a memory: a Bitrix24 portal that keeps the leads pushed to it, deals and
contacts, answers ``crm.*.get``/``crm.*.list`` and writes its outbound events; an amoCRM account
that answers ``GET /api/v4/leads…``/``contacts`` and writes its webhooks. Real servers on
127.0.0.1 (``crm_fakes.FakeServer``); the events are the form bodies the CRMs send."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.integrations.crm_fakes import AmoCrmAccount, Answer, Bitrix24Portal, Received

MSK = timezone(timedelta(hours=3))
NOT_FOUND = (400, {}, {"error": "", "error_description": "Not found"})
PAGE = 50


def bitrix_time(moment: datetime) -> str:
    """Bitrix24 writes times to the second, in the portal's zone with its offset (Moscow)."""
    return moment.astimezone(MSK).isoformat(timespec="seconds")


@dataclass
class Bitrix24Crm(Bitrix24Portal):
    app_token: str = "b24-app-token-1"
    read_down: bool = False  # reads answer 503 (the portal is overloaded)
    objects: dict[str, dict[str, dict[str, Any]]] = field(
        default_factory=lambda: {"lead": {}, "deal": {}, "contact": {}}
    )
    reads: list[str] = field(default_factory=list)  # methods called, in order

    def answer(self, request: Received) -> Answer:
        prefix = f"/rest/1/{self.secret}/"
        if not request.path.startswith(prefix):
            return 401, {}, {"error": "NO_AUTH_FOUND", "error_description": "Wrong webhook"}
        method = request.path[len(prefix) :].removesuffix(".json")
        if method == "crm.lead.add":
            status, headers, body = super().answer(request)
            if status == 200:
                fields = dict(self.created[-1])
                fields.update(ID=str(body["result"]), STATUS_SEMANTIC_ID="P")
                fields["DATE_MODIFY"] = bitrix_time(datetime.now(UTC))
                self.objects["lead"][fields["ID"]] = fields
            return status, headers, body
        self.reads.append(method)
        if self.read_down:
            return 503, {}, {"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many"}
        params = request.json()
        kind, action = method.removeprefix("crm.").split(".")
        if action == "get":
            found = self.objects.get(kind, {}).get(str(params.get("id")))
            return (200, {}, {"result": found}) if found else NOT_FOUND
        if action == "list":
            return 200, {}, self._page(kind, params)
        return 400, {}, {"error": "ERROR_METHOD_NOT_FOUND", "error_description": method}

    def _page(self, kind: str, params: dict[str, Any]) -> dict[str, Any]:
        since = datetime.fromisoformat(params["filter"][">DATE_MODIFY"])
        rows = sorted(
            (
                row
                for row in self.objects[kind].values()
                if datetime.fromisoformat(row["DATE_MODIFY"]) > since
            ),
            key=lambda row: (datetime.fromisoformat(row["DATE_MODIFY"]), int(row["ID"])),
        )
        start = int(params.get("start") or 0)
        answer: dict[str, Any] = {"result": rows[start : start + PAGE], "total": len(rows)}
        if start + PAGE < len(rows):
            answer["next"] = start + PAGE
        return answer

    def set_deal(
        self,
        deal_id: int,
        *,
        semantic: str,
        modified: datetime,
        lead_id: str | None = None,
        opportunity: str = "0.00",
        contact_id: str | None = None,
    ) -> None:
        self.objects["deal"][str(deal_id)] = {
            "ID": str(deal_id),
            "TITLE": f"Сделка {deal_id}",
            "STAGE_ID": {"S": "WON", "F": "LOSE"}.get(semantic, "PREPARATION"),
            "STAGE_SEMANTIC_ID": semantic,
            "OPPORTUNITY": opportunity,
            "CURRENCY_ID": "RUB",
            "LEAD_ID": lead_id,
            "CONTACT_ID": contact_id,
            "DATE_MODIFY": bitrix_time(modified),
        }

    def set_contact(self, contact_id: int, *, email: str) -> None:
        self.objects["contact"][str(contact_id)] = {
            "ID": str(contact_id),
            "EMAIL": [{"ID": "1", "VALUE": email, "VALUE_TYPE": "WORK"}],
        }

    def event(self, name: str, object_id: str, *, token: str | None = None) -> dict[str, str]:
        """The form body of an outbound event, as the portal posts it."""
        return {
            "event": name,
            "data[FIELDS][ID]": str(object_id),
            "ts": str(int(datetime.now(UTC).timestamp())),
            "auth[domain]": "vendor.bitrix24.ru",
            "auth[client_endpoint]": "https://vendor.bitrix24.ru/rest/",
            "auth[member_id]": "a223c6b3710f85df22e9377d6c4f7553",
            "auth[application_token]": self.app_token if token is None else token,
        }


@dataclass
class AmoCrmBackend(AmoCrmAccount):
    read_down: bool = False
    leads: dict[str, dict[str, Any]] = field(default_factory=dict)
    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)

    def answer(self, request: Received) -> Answer:
        if request.method == "POST":
            status, headers, body = super().answer(request)
            if status == 200:
                for item in body:
                    self.set_lead(item["id"], status_id=0, updated=datetime.now(UTC))
            return status, headers, body
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return 401, {}, {"title": "Unauthorized", "status": 401}
        if self.read_down:
            return 503, {}, {"title": "Service Unavailable", "status": 503}
        url = urlsplit(request.path)
        parts = url.path.strip("/").split("/")
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        if parts[:3] == ["api", "v4", "leads"] and len(parts) == 4:
            found = self.leads.get(parts[3])
            return (200, {}, found) if found else (204, {}, None)
        if parts[:3] == ["api", "v4", "contacts"] and len(parts) == 4:
            found = self.contacts.get(parts[3])
            return (200, {}, found) if found else (204, {}, None)
        if parts == ["api", "v4", "leads"]:
            return self._page(query)
        return 404, {}, {"title": "Not Found", "status": 404}

    def _page(self, query: dict[str, str]) -> Answer:
        since = int(query["filter[updated_at][from]"])
        page, limit = int(query.get("page", "1")), int(query.get("limit", "50"))
        rows = sorted(
            (lead for lead in self.leads.values() if lead["updated_at"] >= since),
            key=lambda lead: (lead["updated_at"], lead["id"]),
        )
        chunk = rows[(page - 1) * limit : page * limit]
        if not chunk:
            return 204, {}, None
        links: dict[str, Any] = {"self": {"href": "…"}}
        if page * limit < len(rows):
            links["next"] = {"href": f"…page={page + 1}"}
        return 200, {}, {"_page": page, "_links": links, "_embedded": {"leads": chunk}}

    def set_lead(
        self,
        lead_id: int,
        *,
        status_id: int,
        updated: datetime,
        price: int = 0,
        contact_id: int | None = None,
    ) -> dict[str, Any]:
        lead = {
            "id": lead_id,
            "name": f"Сделка #{lead_id}",
            "price": price,
            "status_id": status_id,
            "pipeline_id": 3104455,
            "updated_at": int(updated.timestamp()),
            "_embedded": {"contacts": [{"id": contact_id, "is_main": True}] if contact_id else []},
        }
        self.leads[str(lead_id)] = lead
        return lead

    def set_contact(self, contact_id: int, *, email: str) -> None:
        self.contacts[str(contact_id)] = {
            "id": contact_id,
            "custom_fields_values": [
                {"field_code": "EMAIL", "values": [{"value": email, "enum_code": "WORK"}]}
            ],
        }

    def status_webhook(self, lead_id: int, *, index: int = 0) -> dict[str, str]:
        """The form body of a "lead status changed" webhook, as the account posts it."""
        lead = self.leads[str(lead_id)]
        key = f"leads[status][{index}]"
        return {
            f"{key}[id]": str(lead_id),
            f"{key}[name]": lead["name"],
            f"{key}[status_id]": str(lead["status_id"]),
            f"{key}[old_status_id]": "142",
            f"{key}[price]": str(lead["price"]),
            f"{key}[pipeline_id]": str(lead["pipeline_id"]),
            f"{key}[last_modified]": str(lead["updated_at"]),
            f"{key}[modified_user_id]": "6743383",
            "account[subdomain]": "vendor",
            "account[id]": "29085955",
        }
