"""Reports on customers and work with them: contacts, companies, activities, bookings."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from hamkor.activities.models import Activity, Interaction
from hamkor.activities.selectors import list_interactions
from hamkor.activities.selectors.activities import visible_activities
from hamkor.booking.models import Booking
from hamkor.booking.selectors import visible_bookings
from hamkor.contacts.models import Company, Contact
from hamkor.contacts.selectors import list_companies, list_contacts
from hamkor.reports.definitions.common import (
    CUSTOMER_TEXT,
    DT,
    C,
    N,
    _choice,
    _choice_group,
    _dates,
    _owner,
    _team,
    _text,
)
from hamkor.reports.registry import (
    Column,
    Grouping,
    Report,
    contact_name,
    owner_grouping,
    person,
    register,
    team_grouping,
)

register(
    Report(
        key="contacts",
        title=_("Contacts"),
        model=Contact,
        source=lambda viewer: list_contacts(viewer=viewer),
        columns=(
            Column("name", _("Name"), contact_name("")),
            Column("company", _("Company"), "company__name"),
            Column("city", _("City"), "city"),
            Column("stage", _("Stage"), "stage", C),
            Column("source", _("Source"), "source__name"),
            Column("owner", _("Owner"), person("owner__")),
            Column("created", _("Created"), "created_at", DT),
        ),
        filters=(
            _dates("created_at", _("Created")),
            _choice("stage", _("Stage")),
            _owner(),
            _team(),
            _text("first_name", "last_name", "company__name", "city"),
        ),
        groupings=(
            _choice_group("stage", _("Stage")),
            Grouping("source", _("Source"), "source_id", F("source__name")),
            Grouping("city", _("City"), "city"),
            owner_grouping(),
            team_grouping(),
        ),
    )
)

register(
    Report(
        key="companies",
        title=_("Companies"),
        model=Company,
        source=lambda viewer: list_companies(viewer=viewer),
        columns=(
            Column("name", _("Name"), "name"),
            Column("tax_id", _("Tax ID"), "tax_id"),
            Column("city", _("City"), "city"),
            Column("phone", _("Phone"), "phone"),
            Column("email", _("Email"), "email"),
            Column("owner", _("Owner"), person("owner__")),
            Column("created", _("Created"), "created_at", DT),
        ),
        filters=(_dates("created_at", _("Created")), _owner(), _team(), _text("name", "city")),
        groupings=(Grouping("city", _("City"), "city"), owner_grouping(), team_grouping()),
    )
)

register(
    Report(
        key="activities",
        title=_("Activities"),
        model=Activity,
        source=lambda viewer: visible_activities(viewer).order_by("-due_at", "-id"),
        columns=(
            Column("due", _("Due"), "due_at", DT),
            Column("kind", _("Kind"), "kind", C),
            Column("subject", _("Subject"), "subject"),
            Column("contact", _("Contact"), contact_name("contact__")),
            Column("owner", _("Owner"), person("owner__")),
            Column("outcome", _("Outcome"), "outcome", C),
            Column("done", _("Done"), "done_at", DT),
            Column("minutes", _("Minutes"), "duration_minutes", N, total=True),
        ),
        filters=(
            _dates("due_at", _("Due")),
            _choice("kind", _("Kind")),
            _choice("outcome", _("Outcome")),
            _owner(),
            _team(),
            _text("subject", "contact__first_name", "contact__last_name"),
        ),
        groupings=(
            _choice_group("kind", _("Kind")),
            _choice_group("outcome", _("Outcome")),
            owner_grouping(),
            team_grouping(),
        ),
    )
)

register(
    Report(
        key="interactions",
        title=_("Interactions"),
        model=Interaction,
        source=lambda viewer: list_interactions(viewer=viewer),
        columns=(
            Column("occurred", _("When"), "occurred_at", DT),
            Column("channel", _("Channel"), "channel", C),
            Column("direction", _("Direction"), "direction", C),
            Column("subject", _("Subject"), "subject"),
            Column("contact", _("Contact"), contact_name("contact__")),
            Column("company", _("Company"), "company__name"),
            Column("by", _("Logged by"), person("created_by__")),
            Column("outcome", _("Outcome"), "outcome", C),
        ),
        filters=(
            _dates("occurred_at", _("When")),
            _choice("channel", _("Channel")),
            _choice("direction", _("Direction")),
            _owner("created_by_id", _("Logged by")),
            _text("subject", *CUSTOMER_TEXT),
        ),
        groupings=(
            _choice_group("channel", _("Channel")),
            _choice_group("direction", _("Direction")),
            _choice_group("outcome", _("Outcome")),
            owner_grouping("created_by", _("Logged by")),
        ),
    )
)

register(
    Report(
        key="bookings",
        title=_("Bookings"),
        model=Booking,
        source=lambda viewer: visible_bookings(viewer).order_by("-starts_at", "-id"),
        columns=(
            Column("starts", _("Starts"), "starts_at", DT),
            Column("name", _("Name"), "name"),
            Column("page", _("Booking page"), "page__title"),
            Column("status", _("Status"), "status", C),
            Column("channel", _("Channel"), "channel", C),
            Column("owner", _("Staff"), person("owner__")),
            Column("email", _("Email"), "email"),
            Column("phone", _("Phone"), "phone"),
        ),
        filters=(
            _dates("starts_at", _("Starts")),
            _choice("status", _("Status")),
            _owner(label=_("Staff")),
            _team(),
            _text("name", "email", "phone"),
        ),
        groupings=(
            _choice_group("status", _("Status")),
            Grouping("page", _("Booking page"), "page_id", F("page__title")),
            owner_grouping(label=_("Staff")),
        ),
    )
)
