"""Segment rules: validating them and turning them into one filter over contacts.

A rule set is ``{"match": "all" | "any", "rules": [rule or rule set, ...]}``; a rule is
``{"field": ..., "op": ..., "value": ...}``. Everything about another table (tags, consent,
orders, RFM scores) is a subquery, never a join: a join multiplies contact rows, and
counting then needs DISTINCT over the whole match set. A rule that needs a row there is
``pk IN (SELECT contact_id …)``, a semi-join the database may drive from either side (at a
million contacts 2-3x faster than probing each contact on SQLite; in an "any" group each
branch's id list is read once instead of probed per contact); a rule that needs no row
there is NOT EXISTS, which PostgreSQL runs as an anti-join (NOT IN cannot be one).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.analytics.models import RfmGroup, RfmScore
from hamkor.contacts.models import (
    ChannelConsent,
    ConsentChannel,
    Contact,
    CustomFieldDefinition,
    Entity,
    FieldType,
    Language,
    Stage,
)
from hamkor.sales.models import Order, OrderLine
from hamkor.sales.selectors.insight import COUNTED_STATUSES

MAX_DEPTH = 3
MAX_RULES = 50
NUMBER_OPS = ("eq", "gte", "lte")

# field -> the operators it takes (the first is the default).
FIELDS: dict[str, tuple[str, ...]] = {
    "city": ("in", "not_in"),
    "language": ("in", "not_in"),
    "stage": ("in", "not_in"),
    "source": ("in", "not_in"),
    "owner": ("in", "not_in"),
    "tag": ("in", "not_in"),
    "created": ("after", "before", "within_days"),
    "custom": ("eq", "gte", "lte", "contains"),
    "consent": ("granted", "not_granted"),
    "bought_product": ("within_days",),
    "order_count": ("gte", "lte"),
    "lifetime_value": ("gte", "lte"),
    "rfm_group": ("in", "not_in"),
    "rfm_recency": NUMBER_OPS,
    "rfm_frequency": NUMBER_OPS,
    "rfm_monetary": NUMBER_OPS,
}


def _fail(message: str) -> ValidationError:
    return ValidationError({"rules": [message]})


def _text_list(value: Any, field: str, allowed: Any = None) -> list[str]:
    items = value if isinstance(value, list) else [value]
    result = [str(item).strip() for item in items if str(item).strip()]
    if not result:
        raise _fail(_("Rule “%(field)s” needs at least one value.") % {"field": field})
    if allowed is not None:
        wrong = sorted(set(result) - set(allowed))
        if wrong:
            raise _fail(
                _("Rule “%(field)s” does not know the value(s) %(values)s.")
                % {"field": field, "values": ", ".join(wrong)}
            )
    return result


def _id_list(value: Any, field: str) -> list[int]:
    items = value if isinstance(value, list) else [value]
    try:
        result = [int(item) for item in items if str(item).strip()]
    except (TypeError, ValueError):
        raise _fail(_("Rule “%(field)s” takes ids (whole numbers).") % {"field": field}) from None
    if not result:
        raise _fail(_("Rule “%(field)s” needs at least one value.") % {"field": field})
    return result


def _number(value: Any, field: str, *, whole: bool = False) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or number < 0 or (whole and number != number.to_integral_value()):
        raise _fail(
            _("Rule “%(field)s” needs a number of zero or more.") % {"field": field}
        ) from None
    return number


def _date(value: Any, field: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise _fail(
            _("Rule “%(field)s” needs a date like 2026-03-21.") % {"field": field}
        ) from None


def _clean_rule(rule: Mapping[str, Any]) -> dict[str, Any]:
    field = str(rule.get("field", ""))
    if field not in FIELDS:
        raise _fail(_("Unknown rule field: “%(field)s”.") % {"field": field})
    op = str(rule.get("op") or FIELDS[field][0])
    if op not in FIELDS[field]:
        raise _fail(
            _("Rule “%(field)s” does not take the operator “%(op)s”.") % {"field": field, "op": op}
        )
    value = rule.get("value")
    cleaned: dict[str, Any] = {"field": field, "op": op}
    if field in ("city", "tag"):
        cleaned["value"] = _text_list(value, field)
    elif field == "language":
        cleaned["value"] = _text_list(value, field, Language.values)
    elif field == "stage":
        cleaned["value"] = _text_list(value, field, Stage.values)
    elif field == "rfm_group":
        cleaned["value"] = _text_list(value, field, RfmGroup.values)
    elif field in ("source", "owner"):
        cleaned["value"] = _id_list(value, field)
    elif field == "created":
        if op == "within_days":
            cleaned["value"] = int(_number(value, field, whole=True))
        else:
            cleaned["value"] = _date(value, field).isoformat()
    elif field == "consent":
        cleaned["value"] = _text_list(value, field, ConsentChannel.values)[0]
    elif field == "bought_product":
        cleaned["value"] = _id_list(value, field)
        cleaned["days"] = int(_number(rule.get("days", 90), field, whole=True))
    elif field == "order_count" or field.startswith("rfm_"):
        cleaned["value"] = int(_number(value, field, whole=True))
    elif field == "lifetime_value":
        cleaned["value"] = str(_number(value, field))
    else:
        cleaned.update(_clean_custom(rule, op, value))
    return cleaned


def _clean_custom(rule: Mapping[str, Any], op: str, value: Any) -> dict[str, Any]:
    from hamkor.contacts.custom_fields import clean_value

    key = str(rule.get("key", ""))
    definition = CustomFieldDefinition.objects.filter(entity=Entity.CONTACT, key=key).first()
    if definition is None:
        raise _fail(_("Unknown custom field: %(keys)s.") % {"keys": key or "—"})
    if op in ("gte", "lte") and definition.field_type not in (FieldType.NUMBER, FieldType.DATE):
        raise _fail(
            _("“%(label)s” is not a number or a date: use “equals”.") % {"label": definition.label}
        )
    if op == "contains" and definition.field_type != FieldType.TEXT:
        raise _fail(
            _("“%(label)s” is not a text field: use “equals”.") % {"label": definition.label}
        )
    try:
        cleaned = clean_value(definition, value)
    except ValidationError as error:
        raise _fail(" ".join(error.messages)) from None
    if cleaned is None:
        raise _fail(_("Rule “%(field)s” needs at least one value.") % {"field": definition.label})
    return {"key": key, "value": cleaned}


def clean_rules(rules: Any, *, depth: int = 1) -> dict[str, Any]:
    """The rule set in its stored form; raises ValidationError (key ``rules``) when invalid."""
    if rules in (None, "", {}):
        return {"match": "all", "rules": []}
    if not isinstance(rules, Mapping):
        raise _fail(_("Rules must be an object with “match” and “rules”."))
    match = str(rules.get("match", "all"))
    if match not in ("all", "any"):
        raise _fail(_("“match” is “all” or “any”."))
    items = rules.get("rules", [])
    if not isinstance(items, list):
        raise _fail(_("Rules must be an object with “match” and “rules”."))
    if len(items) > MAX_RULES:
        raise _fail(_("A segment has at most %(count)d rules.") % {"count": MAX_RULES})
    cleaned: list[dict[str, Any]] = []
    for item in items:
        if not isinstance(item, Mapping):
            raise _fail(_("Each rule must be an object."))
        if "rules" in item:
            if depth >= MAX_DEPTH:
                raise _fail(
                    _("Groups of rules nest at most %(depth)d deep.") % {"depth": MAX_DEPTH}
                )
            cleaned.append(clean_rules(item, depth=depth + 1))
        else:
            cleaned.append(_clean_rule(item))
    return {"match": match, "rules": cleaned}


# --- compiling ------------------------------------------------------------------------------


def _related(
    rows: QuerySet[Any], *, negate: bool, semi_join: bool, column: str = "contact_id"
) -> Q:
    """Contacts with one of ``rows`` (their ``column``), or with none of them when negate."""
    if semi_join and not negate:
        return Q(pk__in=rows.values(column))
    exists = Q(Exists(rows.filter(**{column: OuterRef("pk")})))
    return ~exists if negate else exists


def _rfm(*, negate: bool = False, semi_join: bool, **lookup: Any) -> Q:
    return _related(RfmScore.objects.filter(**lookup), negate=negate, semi_join=semi_join)


def _in(field: str, values: list[Any], *, negate: bool, semi_join: bool) -> Q:
    simple = {
        "city": "city__in",
        "language": "language__in",
        "stage": "stage__in",
        "source": "source_id__in",
        "owner": "owner_id__in",
    }
    if field == "tag":
        through = Contact.tags.through
        rows = through.objects.filter(tag__name__in=values)
        return _related(rows, negate=negate, semi_join=semi_join)
    if field == "rfm_group":
        return _rfm(group__in=values, negate=negate, semi_join=semi_join)
    if field == "city":
        # Cities are typed by people: compare without case.
        q = Q(*[Q(city__iexact=v) for v in values], _connector=Q.OR)
    else:
        q = Q(**{simple[field]: values})
    return ~q if negate else q


def _orders() -> Any:
    return Order.objects.filter(status__in=COUNTED_STATUSES, contact__isnull=False)


def _order_count(op: str, n: int, *, semi_join: bool) -> Q:
    def having(more_than: int) -> Q:
        ids = (
            _orders()
            .values("contact_id")
            .annotate(n=Count("id"))
            .filter(n__gt=more_than)
            .values("contact_id")
        )
        return Q(pk__in=ids)

    # "Bought at all" / "never bought" need no counting: a semi-join (anti-join) stops at the
    # first order, where GROUP BY … HAVING aggregates every order (2 s for 400,000 buyers on
    # PostgreSQL).
    if op == "gte":
        if n <= 0:
            return Q()
        return _related(_orders(), negate=False, semi_join=semi_join) if n == 1 else having(n - 1)
    return _related(_orders(), negate=True, semi_join=semi_join) if n == 0 else ~having(n)


def _custom(rule: Mapping[str, Any]) -> Q:
    key, op, value = rule["key"], rule["op"], rule["value"]
    lookup = {"eq": "", "gte": "__gte", "lte": "__lte", "contains": "__icontains"}[op]
    return Q(**{f"custom_fields__{key}{lookup}": value})


def _compile_rule(rule: Mapping[str, Any], today: datetime.date, semi_join: bool) -> Q:
    field, value = rule["field"], rule["value"]
    op = rule.get("op") or FIELDS[field][0]
    if op in ("in", "not_in"):
        return _in(field, value, negate=op == "not_in", semi_join=semi_join)
    if field == "created":
        zone = timezone.get_current_timezone()
        if op == "within_days":
            start = today - datetime.timedelta(days=value)
            return Q(created_at__gte=datetime.datetime.combine(start, datetime.time(), zone))
        day = datetime.date.fromisoformat(value)
        if op == "after":
            return Q(created_at__gte=datetime.datetime.combine(day, datetime.time(), zone))
        end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), zone)
        return Q(created_at__lt=end)
    if field == "consent":
        granted = ChannelConsent.objects.filter(channel=value, granted=True)
        return _related(granted, negate=op != "granted", semi_join=semi_join)
    if field == "bought_product":
        since = timezone.now() - datetime.timedelta(days=rule["days"])
        lines = OrderLine.objects.filter(
            order__status__in=COUNTED_STATUSES,
            order__ordered_at__gte=since,
            product_id__in=value,
        )
        return _related(lines, negate=False, semi_join=semi_join, column="order__contact_id")
    if field == "order_count":
        return _order_count(op, value, semi_join=semi_join)
    if field == "lifetime_value":
        amount = Decimal(value)
        if op == "gte":
            return _rfm(lifetime_value__gte=amount, semi_join=semi_join) if amount > 0 else Q()
        # No score yet means nothing bought: a lifetime value of zero.
        return _rfm(lifetime_value__gt=amount, negate=True, semi_join=semi_join)
    if field.startswith("rfm_"):
        name = field.removeprefix("rfm_")
        suffix = {"eq": "", "gte": "__gte", "lte": "__lte"}[op]
        return _rfm(**{f"{name}{suffix}": value}, semi_join=semi_join)
    return _custom(rule)


def compile_rules(
    rules: Mapping[str, Any], *, today: datetime.date | None = None, semi_joins: bool = True
) -> Q:
    """The filter of a cleaned rule set (see clean_rules); no rules match every contact.

    ``semi_joins=False`` tests each contact with EXISTS instead of ``pk IN (…)``: the same
    contacts, faster when the caller has already narrowed the contacts to a few by an index.
    """
    today = today or timezone.localdate()
    parts = [
        compile_rules(item, today=today, semi_joins=semi_joins)
        if "rules" in item
        else _compile_rule(item, today, semi_joins)
        for item in rules.get("rules", [])
    ]
    if rules.get("match", "all") == "any" and any(not part for part in parts):
        return Q()  # one alternative matches every contact, so the group does
    parts = [part for part in parts if part]
    if not parts:
        return Q()
    combine: Callable[[Q, Q], Q] = (
        (lambda a, b: a & b) if rules.get("match", "all") == "all" else (lambda a, b: a | b)
    )
    result = parts[0]
    for part in parts[1:]:
        result = combine(result, part)
    return result
