"""Every REST operation × every role, generated from the API's own OpenAPI schema.

Anonymous callers get 401 everywhere, before any input is read. Each role's token gets what
RULES below allow; a write with an empty body ("{}") never succeeds for a role that may not
make it. Team B's records answer 404 to team A's users who do not see every team.
An operation no rule classifies fails test_every_operation_is_classified.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Any

import pytest

from hamkor.accounts.models import Role
from hamkor.config.api import api
from tests.security.conftest import KWARG_KINDS, MISSING, TEAM_KINDS, VOCABULARY, Outcome, call
from tests.security.test_authz_matrix_web import (
    ALL,
    BILLING,
    BILLING_READ,
    MANAGERS,
    SEES_ALL_OF,
    SUPPORT_MANAGERS,
)

PREFIX = "/api/v1"
WRITES = ("POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # "/api/v1/contacts/{contact_id}"
    operation_id: str
    params: tuple[tuple[str, str], ...]  # (name, "int" | "uuid" | "str")

    @property
    def key(self) -> str:
        return f"{self.method} {self.path.removeprefix(PREFIX)}"

    def fill(self, records: dict[str, Any]) -> tuple[str, set[str]]:
        kinds: set[str] = set()
        types = dict(self.params)

        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            if ("api", name) in VOCABULARY:
                return VOCABULARY[("api", name)]
            kind = KWARG_KINDS.get(name)
            record = records.get("owner" if kind == "user" else kind or "")
            if record is None:
                return MISSING[types.get(name, "str")]
            kinds.add(kind or "")
            if types.get(name) == "uuid":
                return str(record.uuid)
            if name == "slug":
                return str(record.slug)
            return str(record.pk)

        return re.sub(r"\{(\w+)\}", value, self.path), kinds


def operations() -> list[Operation]:
    schema = api.get_openapi_schema(path_prefix=PREFIX + "/")
    found = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            params = []
            for param in operation.get("parameters", []):
                if param.get("in") != "path":
                    continue
                spec = param.get("schema", {})
                kind = {"integer": "int"}.get(spec.get("type", ""), "str")
                if spec.get("format") == "uuid":
                    kind = "uuid"
                params.append((param["name"], kind))
            found.append(
                Operation(method.upper(), path, operation.get("operationId", ""), tuple(params))
            )
    return found


@dataclass(frozen=True)
class Access:
    roles: frozenset[str] = ALL
    public: bool = False  # no token needed (none today: booking and forms post to web pages)
    loose: bool = False  # issue 8's apps, still being written: only 401 and "no 500" checked


STAFF = Access()
# "METHOD /path" fnmatch patterns, first match wins; from the handlers' role checks.
RULES: list[tuple[str, Access]] = [
    ("GET /products*", STAFF),
    ("* /products*", Access(MANAGERS)),
    ("GET /automation/*", STAFF),
    ("* /automation/*", Access(MANAGERS)),
    ("GET /workflow-templates*", STAFF),
    ("* /workflow-templates*", Access(MANAGERS)),
    ("GET /rates*", STAFF),
    ("* /rates*", Access(MANAGERS)),
    ("PUT /workload/capacity/*", Access(MANAGERS)),
    ("* /risks*", Access(MANAGERS)),
    # Lists answer everyone, filtered to what the viewer sees: nothing for operations and
    # support (test_invoice_lists_are_empty_for_roles_without_invoices).
    ("GET /invoices", STAFF),
    ("GET /receivables/ageing", STAFF),
    ("GET /invoices*", Access(BILLING_READ)),
    ("* /invoices*", Access(BILLING)),
    ("* /receivables/*", Access(BILLING_READ)),
    ("* /tax-rates*", STAFF),
    ("* /webforms/*", Access(MANAGERS)),
    ("GET /marketing/segments*", STAFF),
    ("GET /marketing/campaigns*", STAFF),
    ("POST /marketing/segments/count", STAFF),
    ("* /marketing/*", Access(MANAGERS)),
    ("* /analytics/*", Access(MANAGERS)),
    ("* /imports/*", Access(MANAGERS)),
    ("PUT /feedback/suggestions/*/status", Access(SUPPORT_MANAGERS)),
    ("POST /feedback/suggestions/*/status", Access(SUPPORT_MANAGERS)),
    ("GET /openapi.json", Access(public=True)),
    ("GET /docs", Access(public=True)),
]
# A path's first segment names its app; one not here and in no rule fails.
APP_DEFAULTS: dict[str, Access] = {
    name: STAFF
    for name in (
        "contacts",
        "companies",
        "interactions",
        "activities",
        "orders",
        "deals",
        "insight",
        "messaging",
        "projects",
        "tasks",
        "time-entries",
        "timer",
        "workload",
        "support",
        "feedback",
        "booking",
        "reports",
        "",
    )
} | {name: Access(loose=True) for name in ("audit", "consent", "privacy", "backups", "account")}

# GETs that answer 404 to an allowed role for want of data, not of rights.
NOT_YET = {"GET /analytics/rfm/{contact_id}"}  # no RFM score computed for the contact yet

OPERATIONS = operations()


def access_for(operation: Operation) -> Access | None:
    for pattern, access in RULES:
        if fnmatch.fnmatchcase(operation.key, pattern):
            return access
    app = operation.key.split(" ", 1)[1].strip("/").split("/", 1)[0]
    return APP_DEFAULTS.get(app)


def test_every_operation_is_classified() -> None:
    unknown = [o.key for o in OPERATIONS if access_for(o) is None]
    assert not unknown, (
        "These API operations are in no rule of tests/security/test_authz_matrix_api.py: add "
        "them to RULES (or their first path segment to APP_DEFAULTS): " + ", ".join(unknown)
    )


def test_the_matrix_covers_every_operation_of_the_schema() -> None:
    schema = api.get_openapi_schema(path_prefix=PREFIX + "/")
    count = sum(len(item) for item in schema["paths"].values())
    assert len(OPERATIONS) == count > 100


def _ok(outcome: Outcome) -> bool:
    return outcome.status < 300


@pytest.mark.parametrize("operation", OPERATIONS, ids=[o.key for o in OPERATIONS])
def test_operation_answers_each_role_as_its_rules_say(operation: Operation, world, db) -> None:
    access = access_for(operation)
    if access is None:
        pytest.skip("unclassified: test_every_operation_is_classified fails for it")
    path, kinds = operation.fill(world.a)
    placeholder = any(v in path for v in MISSING.values())
    method, problems = operation.method, []

    anonymous = call(method, path, api=True)
    bad_token = call(method, path, token="hmk_not-a-token", api=True)
    for who, outcome in (("anonymous", anonymous), ("a wrong token", bad_token)):
        if access.public:
            if outcome.status >= 500:
                problems.append(f"{who}: {outcome}")
        elif outcome.status != 401:
            problems.append(f"{who}: {outcome}, not 401")

    for role, token in world.tokens.items():
        outcome = call(method, path, token=token, api=True)
        if outcome.status >= 500:
            problems.append(f"{role}: {outcome}")
        elif access.public or access.loose:
            continue
        elif role in access.roles:
            refused = outcome.status in (401, 403) or (
                method == "GET"
                and outcome.status == 404
                and not placeholder
                and operation.key not in NOT_YET
            )
            if refused:
                problems.append(f"{role}: {outcome}, but the role is allowed")
        elif _ok(outcome) or outcome.status not in (403, 404, 405, 422):
            # 422: the body is validated (against the schema) before the handler's role check.
            problems.append(f"{role}: {outcome}, but only {sorted(access.roles)} may")

    team_kinds = kinds & TEAM_KINDS
    if team_kinds and not access.public:
        path_b, _ = operation.fill(world.b)
        seers = frozenset.intersection(*(SEES_ALL_OF.get(kind, MANAGERS) for kind in team_kinds))
        for role, token in world.tokens.items():
            if role in seers:
                continue
            outcome = call(method, path_b, token=token, api=True)
            expected = (403, 404) if method == "GET" else (403, 404, 405, 422)
            if outcome.status not in expected:
                problems.append(f"{role} on team B's {sorted(team_kinds)}: {outcome}")

    assert not problems, f"{operation.key} ({path}):\n  " + "\n  ".join(problems)


def test_invoice_lists_are_empty_for_roles_without_invoices(world, db) -> None:
    import json

    from django.test import Client

    for role in (Role.OPERATIONS, Role.SUPPORT):
        headers = {"Authorization": f"Bearer {world.tokens[role]}"}
        invoices = Client().get(f"{PREFIX}/invoices", headers=headers)
        ageing = Client().get(f"{PREFIX}/receivables/ageing", headers=headers)

        assert invoices.status_code == 200
        assert json.loads(invoices.content)["items"] == []
        assert json.loads(ageing.content)["rows"] == []
