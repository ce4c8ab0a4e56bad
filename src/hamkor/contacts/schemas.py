"""Request and response shapes of the contacts and companies API."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, ModelWrapValidatorHandler, model_validator

from hamkor.accounts.models import User
from hamkor.contacts.models import Company, Contact
from hamkor.core.phones import normalize_phone

# Literal copies of the model choices, so OpenAPI lists the allowed values;
# tests/contacts/test_api.py checks they stay equal to the models' choices.
StageValue = Literal["lead", "prospect", "customer", "loyal", "churned"]
LanguageValue = Literal["en", "ru", "uz", "ky"]
PhoneKindValue = Literal["mobile", "work", "home", "other"]
EmailKindValue = Literal["personal", "work", "other"]
DateKindValue = Literal["anniversary", "name_day", "custom"]
ConsentChannelValue = Literal["email", "sms", "telegram"]
ConsentMethodValue = Literal[
    "in_person", "phone", "web_form", "written", "message", "import", "portal"
]
DuplicateReasonValue = Literal["phone", "email", "name"]
# Keys of selectors.CONTACT_ORDERINGS and selectors.COMPANY_ORDERINGS.
ContactOrderingValue = Literal["name", "-name", "created", "-created", "updated", "-updated"]
CompanyOrderingValue = Literal["name", "-name", "created", "-created"]

MAX_LIMIT = 200
# Far beyond any real table, and small enough for every database's OFFSET.
MAX_OFFSET = 2_000_000_000
# Largest id a database column can hold; bigger numbers are answered as "not found" anyway.
MAX_ID = 2**63 - 1


def clean_text(value: str) -> str:
    # Databases refuse NUL bytes and lone surrogates; say so instead of failing on save.
    if "\x00" in value:
        raise ValueError(_("Text cannot contain NUL characters."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_("Text must be valid Unicode.")) from None
    return value


def _clean_phone(value: str) -> str:
    value = clean_text(value)
    if not value.strip():
        return ""
    try:
        return normalize_phone(value)
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None


Text = Annotated[str, AfterValidator(clean_text)]
PhoneText = Annotated[str, AfterValidator(_clean_phone)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
CustomValue = str | int | float | bool | None


def _drop_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def optional(**kwargs: Any) -> Any:
    """A field callers may leave out, which then stays as it is; null is not accepted."""
    return Field(None, json_schema_extra=_drop_default, **kwargs)


class BodyIn(Schema):
    """Base of request bodies: a JSON object, never a list or a bare value."""

    @model_validator(mode="wrap")
    @classmethod
    def _require_object(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        # Without this, a list or a string would pass as "no fields sent" on PATCH.
        if not isinstance(data, dict):
            raise ValueError(_("Send a JSON object."))
        return handler(data)


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, in the caller's language.")
    errors: dict[str, list[str]] | list[Any] | None = Field(
        default=None, description="Per-field messages, when the input was invalid."
    )


# Error answers every route may give; routes add their own success status.
READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


# --- optimistic concurrency (docs/concurrency.md) -----------------------------------------

VERSION_HELP = (
    "Goes up by one with every change. Send it back (or the `ETag` as `If-Match`) when you"
    " update, so a change someone made after you read the record is not overwritten."
)
UPDATE_VERSION_HELP = (
    "The `version` you read. If the record changed since, nothing is saved and the answer is"
    " 412 with the current record. Leave it out (and `If-Match`) to save over whatever is"
    " stored."
)
IF_MATCH_HELP = (
    'The `ETag` of the record as you read it, e.g. `"3"` (`W/"3"` and `*` are accepted). If'
    " the record changed since, nothing is saved and the answer is 412 with the current record."
    " Without it (and without `version` in the body) the change is saved over whatever is"
    " stored."
)
ETAG_HEADER = {
    "ETag": {
        "description": 'The record\'s version as a strong entity tag, e.g. `"3"`; send it back'
        " as `If-Match` when you update.",
        "schema": {"type": "string"},
    }
}


class ChangeOut(Schema):
    field: str = Field(description="The field's key, e.g. `city` or `custom_fields.vip`.")
    label: str = Field(description="The field's name, in the caller's language.")
    value: str = Field(description="Its current value, as text.")
    actor: str = Field(description="Who changed it.")
    at: datetime.datetime


class PageIn(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="Page size, 1 to 200.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")


# --- shared references ------------------------------------------------------------------


class UserRefOut(Schema):
    id: int
    username: str
    name: str

    @staticmethod
    def resolve_name(obj: User) -> str:
        return str(obj)


class RefOut(Schema):
    id: int
    name: str


class ContactRefOut(Schema):
    id: int
    full_name: str


# --- contacts ---------------------------------------------------------------------------


class PhoneIn(BodyIn):
    number: Text = Field(
        max_length=40, description="Any local or international format; stored as E.164."
    )
    kind: PhoneKindValue = "mobile"


class EmailIn(BodyIn):
    email: Text = Field(max_length=254)
    kind: EmailKindValue = "personal"


class ImportantDateIn(BodyIn):
    kind: DateKindValue
    date: datetime.date
    label: Text = Field("", max_length=80)


class PhoneOut(Schema):
    number: str = Field(description="E.164, e.g. +998901234567.")
    kind: PhoneKindValue
    is_primary: bool


class EmailOut(Schema):
    email: str
    kind: EmailKindValue
    is_primary: bool


class ImportantDateOut(Schema):
    kind: DateKindValue
    label: str
    date: datetime.date


class ConsentOut(Schema):
    channel: ConsentChannelValue
    granted: bool
    method: ConsentMethodValue
    recorded_at: datetime.datetime
    note: str


class ContactOut(Schema):
    id: int
    first_name: str
    last_name: str
    middle_name: str
    full_name: str
    company: RefOut | None
    job_title: str
    address: str
    city: str
    language: LanguageValue
    time_zone: str
    currency: str
    birthday: datetime.date | None
    stage: StageValue
    source: RefOut | None
    owner: UserRefOut | None
    team_id: int | None
    notes: str
    tags: list[str]
    phones: list[PhoneOut]
    emails: list[EmailOut]
    important_dates: list[ImportantDateOut]
    consents: list[ConsentOut]
    custom_fields: dict[str, Any]
    merged_into_id: int | None = Field(description="Set when merged into another contact.")
    archived_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int = Field(description=VERSION_HELP)

    @staticmethod
    def resolve_tags(obj: Contact) -> list[str]:
        return [tag.name for tag in obj.tags.all()]


COUNT_HELP = (
    "All matching {things}, not only this page, counted up to 10,000: when more match, 10,000"
    " and `count_capped` is true."
)
NEXT_HELP = "Pass as `after` to get the next page (cheap however deep); null on the last page."
AFTER_HELP = (
    "The `next` of the previous page: the page after it. Faster than `offset` for deep pages;"
    " do not combine the two."
)


class ContactListOut(Schema):
    items: list[ContactOut]
    count: int = Field(description=COUNT_HELP.format(things="contacts"))
    count_capped: bool = Field(description="True when more than `count` contacts match.")
    next: str | None = Field(description=NEXT_HELP)


class _ContactFieldsIn(BodyIn):
    """Fields shared by create and update; None on update means "leave as it is"."""

    middle_name: Text = optional(max_length=100)
    job_title: Text = optional(max_length=120)
    address: Text = optional(max_length=255)
    city: Text = optional(max_length=100)
    language: LanguageValue = optional()
    time_zone: Text = optional(max_length=64, description="IANA name, e.g. Asia/Tashkent.")
    currency: Text = optional(max_length=3, description="ISO 4217 code, e.g. UZS.")
    birthday: datetime.date | None = None
    stage: StageValue = optional()
    notes: Text = optional()
    source_id: Id | None = None
    company_id: Id | None = None
    owner_id: Id | None = optional(description="Defaults to you on create.")
    phones: list[PhoneIn] = optional(description="Replaces all phones; first is primary.")
    emails: list[EmailIn] = optional(description="Replaces all emails; first is primary.")
    tags: list[Annotated[Text, Field(max_length=50)]] = optional(
        description="Tag names; new ones are created."
    )
    important_dates: list[ImportantDateIn] = optional(description="Replaces all dates.")
    custom_fields: dict[Text, CustomValue] = optional(
        description="Values by field key; merged over the stored ones."
    )


class ContactCreateIn(_ContactFieldsIn):
    first_name: Text = Field(min_length=1, max_length=100)
    last_name: Text = Field("", max_length=100)


class ContactUpdateIn(_ContactFieldsIn):
    first_name: Text = optional(min_length=1, max_length=100)
    last_name: Text = optional(max_length=100)
    version: Id = optional(description=UPDATE_VERSION_HELP)


class ContactConflictOut(Schema):
    detail: str = Field(description="What happened, in the caller's language.")
    current: ContactOut = Field(description="The contact as it is stored now.")
    changes: list[ChangeOut] = Field(description="What others changed after your version.")


class ContactFilterIn(PageIn):
    q: Text = Field("", description="Name, phone in any format, email or company.")
    tag: Text = Field("", description="Tag name.")
    owner_id: Id | None = None
    stage: StageValue | Literal[""] = ""
    source_id: Id | None = None
    company_id: Id | None = None
    city: Text = ""
    include_archived: bool = False
    ordering: ContactOrderingValue = "name"
    after: Text = Field("", max_length=2000, description=AFTER_HELP)


class MergeIn(BodyIn):
    other_id: Id = Field(description="The contact merged into this one and then archived.")


class ContactSummaryOut(Schema):
    id: int
    full_name: str
    company: RefOut | None
    phones: list[str]
    emails: list[str]

    @staticmethod
    def resolve_phones(obj: Contact) -> list[str]:
        return [phone.number for phone in obj.phones.all()]

    @staticmethod
    def resolve_emails(obj: Contact) -> list[str]:
        return [email.email for email in obj.emails.all()]


class DuplicateGroupOut(Schema):
    reason: DuplicateReasonValue
    value: str = Field(description="The shared phone, email or transliterated name.")
    contacts: list[ContactSummaryOut]


class DuplicateListOut(Schema):
    items: list[DuplicateGroupOut]
    count: int


class TimelineFilterIn(PageIn):
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description="Page size, 1 to 200.")
    channel: Text = Field("", max_length=32, description="Only entries of this channel.")


class TimelineEntryOut(Schema):
    occurred_at: datetime.datetime
    kind: str = Field(description="Which app the entry comes from, e.g. interaction.")
    object_id: int
    title: str
    channel: str
    channel_label: str
    direction: str
    body: str
    outcome: str
    actor: str
    url: str
    extra: dict[str, Any]


class TimelineOut(Schema):
    items: list[TimelineEntryOut]
    has_more: bool


# --- companies --------------------------------------------------------------------------


class _CompanyFieldsIn(BodyIn):
    legal_name: Text = optional(max_length=200)
    tax_id: Text = optional(max_length=32)
    phone: PhoneText = optional(max_length=40, description="Any format; stored as E.164.")
    email: Text = optional(max_length=254)
    website: Text = optional(max_length=200)
    address: Text = optional(max_length=255)
    city: Text = optional(max_length=100)
    notes: Text = optional()
    source_id: Id | None = None
    owner_id: Id | None = optional(description="Defaults to you on create.")
    tags: list[Annotated[Text, Field(max_length=50)]] = optional()
    custom_fields: dict[Text, CustomValue] = optional()


class CompanyCreateIn(_CompanyFieldsIn):
    name: Text = Field(min_length=1, max_length=200)


class CompanyUpdateIn(_CompanyFieldsIn):
    name: Text = optional(min_length=1, max_length=200)
    version: Id = optional(description=UPDATE_VERSION_HELP)


class CompanyOut(Schema):
    id: int
    name: str
    legal_name: str
    tax_id: str
    phone: str
    email: str
    website: str
    address: str
    city: str
    source: RefOut | None
    owner: UserRefOut | None
    team_id: int | None
    notes: str
    tags: list[str]
    custom_fields: dict[str, Any]
    archived_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int = Field(description=VERSION_HELP)

    @staticmethod
    def resolve_tags(obj: Company) -> list[str]:
        return [tag.name for tag in obj.tags.all()]


class CompanyConflictOut(Schema):
    detail: str = Field(description="What happened, in the caller's language.")
    current: CompanyOut = Field(description="The company as it is stored now.")
    changes: list[ChangeOut] = Field(description="What others changed after your version.")


class CompanyListOut(Schema):
    items: list[CompanyOut]
    count: int = Field(description=COUNT_HELP.format(things="companies"))
    count_capped: bool = Field(description="True when more than `count` companies match.")
    next: str | None = Field(description=NEXT_HELP)


class CompanyFilterIn(PageIn):
    q: Text = Field("", description="Name, legal name, phone, email or tax ID.")
    tag: Text = ""
    owner_id: Id | None = None
    city: Text = ""
    include_archived: bool = False
    ordering: CompanyOrderingValue = "name"
    after: Text = Field("", max_length=2000, description=AFTER_HELP)
