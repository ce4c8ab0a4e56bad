"""REST API for contacts and companies: parse input, call a selector or service, shape output."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.params.functions import Header as HeaderParam

from hamkor.accounts.models import User
from hamkor.contacts.models import Company, Contact
from hamkor.contacts.schemas import (
    ETAG_HEADER,
    IF_MATCH_HELP,
    READ_ERRORS,
    WRITE_ERRORS,
    CompanyConflictOut,
    CompanyCreateIn,
    CompanyFilterIn,
    CompanyListOut,
    CompanyOut,
    CompanyUpdateIn,
    ContactConflictOut,
    ContactCreateIn,
    ContactFilterIn,
    ContactListOut,
    ContactOut,
    ContactUpdateIn,
    DuplicateListOut,
    MergeIn,
    PageIn,
    TimelineFilterIn,
    TimelineOut,
    clean_text,
)
from hamkor.contacts.selectors import (
    CompanyFilters,
    ContactFilters,
    get_assignable_owner,
    get_company,
    get_contact,
    get_source,
    list_companies,
    list_contact_parts,
    list_duplicate_groups,
    with_company_details,
    with_contact_details,
)
from hamkor.contacts.services import (
    ContactInput,
    DateInput,
    EmailInput,
    PhoneInput,
    archive_company,
    archive_contact,
    create_company,
    create_contact,
    merge_contacts,
    update_company,
    update_contact,
)
from hamkor.core.paging import cursor_page
from hamkor.core.references import resolve_reference
from hamkor.core.timeline import TimelineEntry, build_timeline, channel_choices
from hamkor.core.versioning import EditConflict, etag, expected_from

contacts_router = Router(tags=["contacts"])
companies_router = Router(tags=["companies"])


CUSTOM_FILTER_PREFIX = "cf_"
CUSTOM_FILTER_HELP = (
    " Filter by a custom field with `cf_<key>=<value>`, e.g. `cf_vip=yes`"
    " (text fields match a part, other types the exact value)."
)
# Plain fields the API passes to the services unchanged.
CONTACT_VALUES = (
    "first_name",
    "last_name",
    "middle_name",
    "job_title",
    "address",
    "city",
    "language",
    "time_zone",
    "currency",
    "birthday",
    "stage",
    "notes",
)
COMPANY_VALUES = (
    "name",
    "legal_name",
    "tax_id",
    "phone",
    "email",
    "website",
    "address",
    "city",
    "notes",
)


def viewer_of(request: HttpRequest) -> User:
    """The user the bearer token belongs to (set by the API's authentication)."""
    return cast(User, request.user)


def read_query(request: HttpRequest, params: Schema, *, custom: bool = False) -> dict[str, str]:
    """Refuse unknown query parameters (a typo would silently match everything).

    With ``custom``, ``cf_<key>`` parameters are allowed and returned as custom field filters.
    """
    known = set(type(params).model_fields)
    filters: dict[str, str] = {}
    unknown: list[str] = []
    for name in request.GET:
        key = name.removeprefix(CUSTOM_FILTER_PREFIX)
        if name in known:
            continue
        if custom and name.startswith(CUSTOM_FILTER_PREFIX) and key:
            try:
                filters[clean_text(key)] = clean_text(str(request.GET[name]))
            except ValueError as error:
                raise ValidationError({name: str(error)}) from None
        else:
            unknown.append(name)
    if unknown:
        raise ValidationError(
            _("Unknown query parameters: %(names)s. Known ones: %(known)s.")
            % {"names": ", ".join(sorted(unknown)), "known": ", ".join(sorted(known))}
        )
    return filters


def _references(viewer: User, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Model values for the *_id fields present in the payload."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if "company_id" in fields:
        values["company"] = resolve_reference(
            errors,
            "company_id",
            fields["company_id"],
            lambda pk: get_company(viewer=viewer, pk=pk),
            _("There is no company with id %(id)s that you can see."),
        )
    if "source_id" in fields:
        values["source"] = resolve_reference(
            errors,
            "source_id",
            fields["source_id"],
            lambda pk: get_source(pk=pk),
            _("There is no source with id %(id)s."),
        )
    if "owner_id" in fields:
        values["owner"] = resolve_reference(
            errors,
            "owner_id",
            fields["owner_id"],
            lambda pk: get_assignable_owner(viewer=viewer, pk=pk),
            _("There is no active user with id %(id)s that you can make the owner."),
        )
    if errors:
        raise ValidationError(errors)
    return values


def _contact_input(viewer: User, payload: ContactCreateIn | ContactUpdateIn) -> ContactInput:
    fields = payload.dict(exclude_unset=True)
    values = {name: fields[name] for name in CONTACT_VALUES if name in fields}
    values.update(_references(viewer, fields))
    phones = fields.get("phones")
    emails = fields.get("emails")
    dates = fields.get("important_dates")
    return ContactInput(
        values=values,
        phones=None if phones is None else [PhoneInput(**item) for item in phones],
        emails=None if emails is None else [EmailInput(**item) for item in emails],
        tags=fields.get("tags"),
        important_dates=None if dates is None else [DateInput(**item) for item in dates],
        custom_fields=fields.get("custom_fields"),
    )


# A successful GET or PATCH of one record carries its version as an ETag header.
WITH_ETAG: dict[str, Any] = {"responses": {200: {"headers": ETAG_HEADER}}}
CONCURRENCY_HELP = (
    " Send the `version` you read (in the body, or its `ETag` as `If-Match`) so a change"
    " made by someone else in the meantime is answered with 412 instead of overwritten."
)


def conflict_response(
    response: HttpResponse, conflict: EditConflict, current: Any
) -> Status[dict[str, Any]]:
    """412 with the stored record, its ETag and what others changed; nothing was saved."""
    response["ETag"] = etag(current)
    return Status(
        412, {"detail": conflict.messages[0], "current": current, "changes": conflict.changes}
    )


def _timeline(entries: list[TimelineEntry], limit: int) -> dict[str, Any]:
    return {"items": entries[:limit], "has_more": len(entries) > limit}


def _check_channel(channel: str) -> None:
    known = [value for value, _label in channel_choices()]
    if channel and channel not in known:
        raise ValidationError(
            {
                "channel": _("Unknown channel “%(value)s”. Use one of: %(choices)s.")
                % {"value": channel, "choices": ", ".join(known)}
            }
        )


# --- contacts ---------------------------------------------------------------------------


@contacts_router.get(
    "",
    response={200: ContactListOut, **READ_ERRORS},
    summary="List contacts",
    description="Contacts you may see, filtered, ordered and paged." + CUSTOM_FILTER_HELP,
)
def list_contacts_view(request: HttpRequest, filters: Query[ContactFilterIn]) -> dict[str, Any]:
    parts = list_contact_parts(
        viewer=viewer_of(request),
        filters=ContactFilters(
            q=filters.q,
            tag=filters.tag,
            owner_id=filters.owner_id,
            stage=filters.stage,
            source_id=filters.source_id,
            company_id=filters.company_id,
            city=filters.city,
            custom=read_query(request, filters, custom=True),
            include_archived=filters.include_archived,
        ),
        ordering=filters.ordering,
    )
    contacts = [with_contact_details(part) for part in parts]
    return cursor_page(contacts, limit=filters.limit, offset=filters.offset, after=filters.after)


@contacts_router.post(
    "",
    response={201: ContactOut, **WRITE_ERRORS},
    summary="Create a contact",
    description="Phones in any local format are stored as E.164; you are the owner by default.",
)
def create_contact_view(request: HttpRequest, payload: ContactCreateIn) -> Status[Contact]:
    viewer = viewer_of(request)
    contact = create_contact(data=_contact_input(viewer, payload), actor=viewer)
    return Status(201, get_contact(viewer=viewer, pk=contact.pk))


# Declared before /{contact_id} so "duplicates" is never read as an id.
@contacts_router.get(
    "/duplicates",
    response={200: DuplicateListOut, **READ_ERRORS},
    summary="List possible duplicates",
    description="Groups of active contacts sharing a phone, an email or a transliterated name.",
)
def list_duplicates_view(request: HttpRequest, page: Query[PageIn]) -> dict[str, Any]:
    read_query(request, page)
    groups, count = list_duplicate_groups(
        viewer=viewer_of(request), limit=page.limit, offset=page.offset
    )
    return {"items": groups, "count": count}


@contacts_router.get(
    "/{contact_id}",
    response={200: ContactOut, **READ_ERRORS},
    openapi_extra=WITH_ETAG,
)
def get_contact_view(request: HttpRequest, contact_id: int, response: HttpResponse) -> Contact:
    contact = get_contact(viewer=viewer_of(request), pk=contact_id)
    response["ETag"] = etag(contact)
    return contact


@contacts_router.patch(
    "/{contact_id}",
    response={200: ContactOut, 412: ContactConflictOut, **WRITE_ERRORS},
    summary="Update a contact",
    description="Only the fields sent change; lists sent (phones, emails, tags, dates) "
    "replace the stored ones; custom fields are merged." + CONCURRENCY_HELP,
    openapi_extra=WITH_ETAG,
)
def update_contact_view(
    request: HttpRequest,
    contact_id: int,
    payload: ContactUpdateIn,
    response: HttpResponse,
    if_match: str | None = HeaderParam(None, alias="If-Match", description=IF_MATCH_HELP),
) -> Contact | Status[dict[str, Any]]:
    viewer = viewer_of(request)
    contact = get_contact(viewer=viewer, pk=contact_id)
    expected = expected_from(
        if_match=if_match, body_version=payload.version, stored=contact.version
    )
    try:
        update_contact(
            contact=contact,
            data=_contact_input(viewer, payload),
            actor=viewer,
            expected_version=expected,
        )
    except EditConflict as conflict:
        return conflict_response(response, conflict, get_contact(viewer=viewer, pk=contact.pk))
    contact = get_contact(viewer=viewer, pk=contact.pk)
    response["ETag"] = etag(contact)
    return contact


@contacts_router.delete(
    "/{contact_id}",
    response={204: None, **READ_ERRORS},
    summary="Archive a contact",
    description="Hides the contact from lists; its history stays.",
)
def archive_contact_view(request: HttpRequest, contact_id: int) -> Status[None]:
    viewer = viewer_of(request)
    archive_contact(contact=get_contact(viewer=viewer, pk=contact_id), actor=viewer)
    return Status(204, None)


@contacts_router.get(
    "/{contact_id}/timeline",
    response={200: TimelineOut, **READ_ERRORS},
    summary="A contact's timeline",
    description="Everything that happened with the contact, newest first.",
)
def contact_timeline_view(
    request: HttpRequest, contact_id: int, filters: Query[TimelineFilterIn]
) -> dict[str, Any]:
    viewer = viewer_of(request)
    contact = get_contact(viewer=viewer, pk=contact_id)
    read_query(request, filters)
    _check_channel(filters.channel)
    entries = build_timeline(
        viewer=viewer,
        contact_ids=[contact.pk],
        channel=filters.channel,
        limit=filters.limit + 1,
        offset=filters.offset,
    )
    return _timeline(entries, filters.limit)


@contacts_router.post(
    "/{contact_id}/merge",
    response={200: ContactOut, **WRITE_ERRORS},
    summary="Merge another contact into this one",
    description="Keeps this contact, moves everything attached to the other onto it, "
    "fills its empty fields from the other, and archives the other.",
)
def merge_contacts_view(request: HttpRequest, contact_id: int, payload: MergeIn) -> Contact:
    viewer = viewer_of(request)
    keep = get_contact(viewer=viewer, pk=contact_id)
    drop = get_contact(viewer=viewer, pk=payload.other_id)
    merge_contacts(keep=keep, drop=drop, actor=viewer)
    return get_contact(viewer=viewer, pk=keep.pk)


# --- companies --------------------------------------------------------------------------


def _company_values(viewer: User, payload: CompanyCreateIn | CompanyUpdateIn) -> dict[str, Any]:
    fields = payload.dict(exclude_unset=True)
    values = {name: fields[name] for name in COMPANY_VALUES if name in fields}
    values.update(_references(viewer, fields))
    return values


@companies_router.get(
    "",
    response={200: CompanyListOut, **READ_ERRORS},
    summary="List companies",
    description="Companies you may see, filtered, ordered and paged." + CUSTOM_FILTER_HELP,
)
def list_companies_view(request: HttpRequest, filters: Query[CompanyFilterIn]) -> dict[str, Any]:
    companies = with_company_details(
        list_companies(
            viewer=viewer_of(request),
            filters=CompanyFilters(
                q=filters.q,
                tag=filters.tag,
                owner_id=filters.owner_id,
                city=filters.city,
                custom=read_query(request, filters, custom=True),
                include_archived=filters.include_archived,
            ),
            ordering=filters.ordering,
        )
    )
    return cursor_page(companies, limit=filters.limit, offset=filters.offset, after=filters.after)


@companies_router.post(
    "",
    response={201: CompanyOut, **WRITE_ERRORS},
    summary="Create a company",
)
def create_company_view(request: HttpRequest, payload: CompanyCreateIn) -> Status[Company]:
    viewer = viewer_of(request)
    company = create_company(
        values=_company_values(viewer, payload),
        actor=viewer,
        tags=payload.tags or (),
        custom_fields=payload.custom_fields,
    )
    return Status(201, get_company(viewer=viewer, pk=company.pk))


@companies_router.get(
    "/{company_id}",
    response={200: CompanyOut, **READ_ERRORS},
    openapi_extra=WITH_ETAG,
)
def get_company_view(request: HttpRequest, company_id: int, response: HttpResponse) -> Company:
    company = get_company(viewer=viewer_of(request), pk=company_id)
    response["ETag"] = etag(company)
    return company


@companies_router.patch(
    "/{company_id}",
    response={200: CompanyOut, 412: CompanyConflictOut, **WRITE_ERRORS},
    summary="Update a company",
    description="Only the fields sent change; tags sent replace the stored ones."
    + CONCURRENCY_HELP,
    openapi_extra=WITH_ETAG,
)
def update_company_view(
    request: HttpRequest,
    company_id: int,
    payload: CompanyUpdateIn,
    response: HttpResponse,
    if_match: str | None = HeaderParam(None, alias="If-Match", description=IF_MATCH_HELP),
) -> Company | Status[dict[str, Any]]:
    viewer = viewer_of(request)
    company = get_company(viewer=viewer, pk=company_id)
    sent = payload.dict(exclude_unset=True)
    expected = expected_from(
        if_match=if_match, body_version=payload.version, stored=company.version
    )
    try:
        update_company(
            company=company,
            values=_company_values(viewer, payload),
            actor=viewer,
            tags=sent.get("tags"),
            custom_fields=sent.get("custom_fields"),
            expected_version=expected,
        )
    except EditConflict as conflict:
        return conflict_response(response, conflict, get_company(viewer=viewer, pk=company.pk))
    company = get_company(viewer=viewer, pk=company.pk)
    response["ETag"] = etag(company)
    return company


@companies_router.delete(
    "/{company_id}",
    response={204: None, **READ_ERRORS},
    summary="Archive a company",
    description="Hides the company from lists; its contacts and history stay.",
)
def archive_company_view(request: HttpRequest, company_id: int) -> Status[None]:
    viewer = viewer_of(request)
    archive_company(company=get_company(viewer=viewer, pk=company_id), actor=viewer)
    return Status(204, None)


@companies_router.get(
    "/{company_id}/timeline",
    response={200: TimelineOut, **READ_ERRORS},
    summary="A company's timeline",
    description="Everything that happened with the company, newest first.",
)
def company_timeline_view(
    request: HttpRequest, company_id: int, filters: Query[TimelineFilterIn]
) -> dict[str, Any]:
    viewer = viewer_of(request)
    company = get_company(viewer=viewer, pk=company_id)
    read_query(request, filters)
    _check_channel(filters.channel)
    entries = build_timeline(
        viewer=viewer,
        company_ids=[company.pk],
        channel=filters.channel,
        limit=filters.limit + 1,
        offset=filters.offset,
    )
    return _timeline(entries, filters.limit)
