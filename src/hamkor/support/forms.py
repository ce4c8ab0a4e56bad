"""Forms of the support pages (staff and portal)."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hamkor.accounts.models import User
from hamkor.contacts.models import Language
from hamkor.support.models import (
    ArticleCategory,
    ArticleStatus,
    Priority,
    TicketChannel,
    TicketStatus,
    TicketType,
)

WEEKDAYS = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]
TEXTAREA = forms.Textarea(attrs={"rows": 5})


class _AssigneeMixin(forms.Form):
    def set_assignees(self, users: QuerySet[User]) -> None:
        field = cast(forms.ModelChoiceField[User], self.fields["assignee"])
        field.queryset = users


class StaffTicketForm(_AssigneeMixin):
    """A ticket typed by staff for a customer (a phone call, a walk-in)."""

    subject = forms.CharField(label=_("Subject"), max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=TicketType.choices)
    channel = forms.ChoiceField(
        label=_("Came by"), choices=TicketChannel.choices, initial=TicketChannel.PHONE
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL
    )
    body = forms.CharField(label=_("What the customer said"), widget=TEXTAREA, max_length=20_000)
    assignee = forms.ModelChoiceField(
        label=_("Assignee"), queryset=User.objects.none(), required=False
    )
    file = forms.FileField(label=_("Attachment"), required=False)


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=TEXTAREA, max_length=20_000)
    internal = forms.BooleanField(
        label=_("Internal note (the customer never sees it)"), required=False
    )
    file = forms.FileField(label=_("Attachment"), required=False)
    then = forms.ChoiceField(
        label=_("Then set the status to"),
        required=False,
        choices=[
            ("", _("Leave as it is")),
            (TicketStatus.WAITING, TicketStatus.WAITING.label),
            (TicketStatus.RESOLVED, TicketStatus.RESOLVED.label),
        ],
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TicketStatus.choices)


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)


class AssignForm(_AssigneeMixin):
    assignee = forms.ModelChoiceField(
        label=_("Assignee"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )


class PortalTicketForm(forms.Form):
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    type = forms.ChoiceField(label=_("What is it?"), choices=TicketType.choices)
    body = forms.CharField(label=_("Tell us more"), widget=TEXTAREA, max_length=20_000)
    file = forms.FileField(label=_("Attachment"), required=False)


class PortalReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=TEXTAREA, max_length=20_000)
    file = forms.FileField(label=_("Attachment"), required=False)


class CsatForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything to add?"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ArticleForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=ArticleCategory.objects.order_by("position", "name"),
        required=False,
    )
    status = forms.ChoiceField(label=_("Status"), choices=ArticleStatus.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))


class ArticleSettingsForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=ArticleCategory.objects.order_by("position", "name"),
        required=False,
    )
    status = forms.ChoiceField(label=_("Status"), choices=ArticleStatus.choices)


class VersionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("New category"), max_length=120)


class PolicyForm(forms.Form):
    """First-response and resolution targets per priority, in working hours."""

    def __init__(self, *args: Any, initial_targets: dict[str, tuple[int, int]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for value, label in Priority.choices:
            first, resolution = initial_targets[value]
            self.fields[f"{value}_first"] = forms.DecimalField(
                label=_("%(priority)s: first response (working hours)") % {"priority": label},
                min_value=0.1,
                max_value=10_000,
                decimal_places=2,
                initial=round(first / 60, 2),
            )
            self.fields[f"{value}_resolution"] = forms.DecimalField(
                label=_("%(priority)s: resolution (working hours)") % {"priority": label},
                min_value=0.1,
                max_value=10_000,
                decimal_places=2,
                initial=round(resolution / 60, 2),
            )

    def targets(self) -> dict[str, tuple[int, int]]:
        data = self.cleaned_data
        return {
            value: (
                round(float(data[f"{value}_first"]) * 60),
                round(float(data[f"{value}_resolution"]) * 60),
            )
            for value in Priority.values
        }


class CalendarForm(forms.Form):
    time_zone = forms.CharField(label=_("Time zone"), max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day, label in enumerate(WEEKDAYS):
            self.fields[f"open_{day}"] = forms.TimeField(
                label=_("%(day)s opens") % {"day": label},
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )
            self.fields[f"close_{day}"] = forms.TimeField(
                label=_("%(day)s closes") % {"day": label},
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )

    def days(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [(label, self[f"open_{d}"], self[f"close_{d}"]) for d, label in enumerate(WEEKDAYS)]

    def hours(self) -> dict[int, tuple[datetime.time, datetime.time] | None]:
        hours: dict[int, tuple[datetime.time, datetime.time] | None] = {}
        for day in range(7):
            opens, closes = (
                self.cleaned_data.get(f"open_{day}"),
                self.cleaned_data.get(f"close_{day}"),
            )
            hours[day] = (opens, closes) if opens and closes else None
        return hours
