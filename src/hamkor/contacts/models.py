"""Companies, contacts and what we know about them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hamkor.accounts.models import TeamOwned
from hamkor.core.models import TimeStampedModel


class Stage(models.TextChoices):
    LEAD = "lead", _("Lead")
    PROSPECT = "prospect", _("Prospect")
    CUSTOMER = "customer", _("Customer")
    LOYAL = "loyal", _("Loyal")
    CHURNED = "churned", _("Churned")


class Language(models.TextChoices):
    EN = "en", _("English")
    RU = "ru", _("Russian")
    UZ = "uz", _("Uzbek")
    KY = "ky", _("Kyrgyz")


class ConsentChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    TELEGRAM = "telegram", _("Telegram")


class ConsentMethod(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", pgettext_lazy("consent given by", "Phone call")
    WEB_FORM = "web_form", _("Web form")
    WRITTEN = "written", _("Written form")
    MESSAGE = "message", _("Reply to a message")
    IMPORT = "import", _("Imported")
    PORTAL = "portal", _("Customer portal")


class Entity(models.TextChoices):
    CONTACT = "contact", _("Contact")
    COMPANY = "company", _("Company")


class FieldType(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Choice")
    BOOLEAN = "boolean", _("Yes/no")


class Source(models.Model):
    """How a customer found us; admins edit the list."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CustomFieldDefinition(models.Model):
    """A field an admin added to contacts or companies."""

    entity = models.CharField(_("for"), max_length=16, choices=Entity.choices)
    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("label"), max_length=80)
    field_type = models.CharField(_("type"), max_length=16, choices=FieldType.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")
        ordering = ["entity", "position", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "key"], name="contacts_customfield_unique_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_entity_display()}: {self.label}"


class OwnedRecord(TimeStampedModel, TeamOwned):
    """Fields for records that belong to a user and a team (the unit of visibility)."""

    notes = models.TextField(_("notes"), blank=True)
    custom_fields = models.JSONField(_("custom fields"), default=dict, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    # Lower-cased, transliterated names, phone digits and emails: what search looks in.
    search_text = models.TextField(default="", blank=True, editable=False)
    # Bumped by every change made through the services; an edit that started from an older
    # version is refused instead of silently overwriting someone else's change
    # (docs/concurrency.md).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class Company(OwnedRecord):
    name = models.CharField(_("name"), max_length=200)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    tax_id = models.CharField(_("tax ID"), max_length=32, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.SET_NULL
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="companies")

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name", "id"], name="contacts_company_name")]

    def __str__(self) -> str:
        return self.name


class Contact(OwnedRecord):
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    middle_name = models.CharField(_("patronymic"), max_length=100, blank=True)
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.UZ
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Tashkent")
    currency = models.CharField(_("preferred currency"), max_length=3, default="UZS")
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.SET_NULL
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="contacts")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.LEAD)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Transliterated, lower-cased, sorted name tokens: equal for "Каримова Дилноза" and
    # "Dilnoza Karimova"; duplicate detection groups and blocks on it.
    name_key = models.CharField(max_length=255, default="", blank=True, editable=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["last_name", "first_name", "id"], name="contacts_contact_name"),
            # Lists show active contacts by name: this index answers page 1, a deep page and
            # the paginator's COUNT without reading table rows.
            models.Index(
                fields=["last_name", "first_name", "id"],
                condition=models.Q(archived_at__isnull=True),
                name="contacts_contact_active_name",
            ),
            models.Index(fields=["name_key"], name="contacts_contact_name_key"),
            models.Index(fields=["team", "owner"], name="contacts_contact_visibility"),
            models.Index(fields=["-created_at"], name="contacts_contact_created"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(
            part for part in (self.last_name, self.first_name, self.middle_name) if part
        )


class ContactPhone(models.Model):
    class Kind(models.TextChoices):
        MOBILE = "mobile", _("Mobile")
        WORK = "work", pgettext_lazy("phone kind", "Work")
        HOME = "home", pgettext_lazy("phone kind", "Home")
        OTHER = "other", pgettext_lazy("phone kind", "Other")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("phone"), max_length=20, help_text=_("Stored in E.164 form."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MOBILE)
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "number"], name="contacts_phone_unique")
        ]
        indexes = [models.Index(fields=["number"], name="contacts_phone_number")]

    def __str__(self) -> str:
        return self.number


class ContactEmail(models.Model):
    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Personal")
        WORK = "work", pgettext_lazy("email kind", "Work")
        OTHER = "other", pgettext_lazy("email kind", "Other")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="emails")
    email = models.EmailField(_("email"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PERSONAL)
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "email"], name="contacts_email_unique")
        ]
        indexes = [models.Index(fields=["email"], name="contacts_email_email")]

    def __str__(self) -> str:
        return self.email


class ImportantDate(models.Model):
    class Kind(models.TextChoices):
        ANNIVERSARY = "anniversary", _("Anniversary")
        NAME_DAY = "name_day", _("Name day")
        CUSTOM = "custom", _("Other date")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="important_dates")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=80, blank=True)
    date = models.DateField(_("date"))

    class Meta:
        verbose_name = _("important date")
        verbose_name_plural = _("important dates")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return self.label or str(self.get_kind_display())


class ChannelConsent(models.Model):
    """Whether a contact agreed to be messaged on a channel, and when and how they said so."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="consents")
    channel = models.CharField(_("channel"), max_length=16, choices=ConsentChannel.choices)
    granted = models.BooleanField(_("granted"))
    method = models.CharField(_("how"), max_length=16, choices=ConsentMethod.choices)
    recorded_at = models.DateTimeField(_("when"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["channel"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "channel"], name="contacts_consent_unique")
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.granted}"
