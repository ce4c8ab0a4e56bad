"""Forms for time entries, hourly rates and capacity: they parse input; services validate."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hamkor.accounts.models import User
from hamkor.accounts.selectors import list_users
from hamkor.projects.models import Project, Task
from hamkor.projects.selectors.time import list_loggable_projects
from hamkor.sales.forms_deals import CURRENCIES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
_HOURS_MINUTES = re.compile(r"^(?:(?P<h>\d+(?:[.,]\d+)?)\s*h)?\s*(?:(?P<m>\d+)\s*m(?:in)?)?$")


def parse_duration(text: str) -> int:
    """Minutes in "1:30", "1.5" or "1,5" (hours), "90m", "2h", "1h 30m"; ValueError if not."""
    value = text.strip().lower().replace(" ", "")
    if not value:
        raise ValueError(text)
    if ":" in value:
        hours, _sep, minutes = value.partition(":")
        if not (hours.isdigit() and minutes.isdigit() and len(minutes) <= 2):
            raise ValueError(text)
        if int(minutes) >= 60:
            raise ValueError(text)
        return int(hours) * 60 + int(minutes)
    match = _HOURS_MINUTES.match(value)
    if match and (match["h"] or match["m"]):
        whole = Decimal((match["h"] or "0").replace(",", "."))
        return round(whole * 60) + int(match["m"] or 0)
    try:
        return round(Decimal(value.replace(",", ".")) * 60)
    except InvalidOperation:
        raise ValueError(text) from None


def format_minutes(minutes: int | None) -> str:
    """120 -> "2:00", 95 -> "1:35": how the timesheet writes durations."""
    total = minutes or 0
    return f"{total // 60}:{total % 60:02d}"


class TimeEntryForm(forms.Form):
    """A manual entry: a day with a duration, or a day with start and end times."""

    project: forms.ModelChoiceField[Project] = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.none()
    )
    task: forms.ModelChoiceField[Task] = forms.ModelChoiceField(
        label=_("Task"), queryset=Task.objects.none(), required=False
    )
    day = forms.DateField(label=_("Day"), widget=DATE)
    duration = forms.CharField(
        label=_("Duration"),
        required=False,
        max_length=20,
        help_text=_("For example 1:30, 1.5 or 90m. Or give the start and end times."),
    )
    start_time = forms.TimeField(label=_("From"), required=False, widget=TIME)
    end_time = forms.TimeField(label=_("To"), required=False, widget=TIME)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    billable = forms.BooleanField(label=_("Billable"), required=False, initial=True)

    def __init__(self, *args: Any, viewer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        projects = list_loggable_projects(viewer=viewer)
        initial_project = self.initial.get("project")
        if isinstance(initial_project, Project):
            # An entry stays editable after its project is closed.
            projects = projects | Project.objects.filter(pk=initial_project.pk)
        self._model_choice("project").queryset = projects
        # Choosing a project reloads the task list with that project's tasks.
        self.fields["project"].widget.attrs.update(
            {
                "hx-get": reverse("projects:time_task_options"),
                "hx-target": f"#{self['task'].auto_id}",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
            }
        )
        # Tasks of the chosen project (the htmx picker narrows the list as you choose).
        project_id = self.data.get(self.add_prefix("project")) or (
            initial_project.pk if isinstance(initial_project, Project) else None
        )
        self._model_choice("task").queryset = self.task_choices(project_id)

    def _model_choice(self, name: str) -> forms.ModelChoiceField[Any]:
        return cast("forms.ModelChoiceField[Any]", self.fields[name])

    def task_choices(self, project_id: Any) -> QuerySet[Task]:
        try:
            pk = int(project_id)
        except (TypeError, ValueError):
            return Task.objects.none()
        return Task.objects.filter(project_id=pk).order_by("position", "id")

    def clean_duration(self) -> int | None:
        text = self.cleaned_data.get("duration") or ""
        if not text.strip():
            return None
        try:
            return parse_duration(text)
        except ValueError:
            raise forms.ValidationError(
                _("Write the duration like 1:30, 1.5 or 90m."), code="invalid"
            ) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        if data.get("duration") is None and not (start and end):
            self.add_error("duration", _("Give the duration, or the start and end times."))
        if (start is None) != (end is None):
            self.add_error("end_time" if start else "start_time", _("Give both times."))
        return data

    def service_values(self, *, zone: datetime.tzinfo) -> dict[str, Any]:
        """What log_time/update_time_entry take: a day and minutes, or a start and end."""
        data = self.cleaned_data
        values: dict[str, Any] = {
            "project": data["project"],
            "task": data.get("task"),
            "note": data.get("note", ""),
            "billable": bool(data.get("billable")),
        }
        start, end = data.get("start_time"), data.get("end_time")
        if start and end:
            started = datetime.datetime.combine(data["day"], start, tzinfo=zone)
            ended = datetime.datetime.combine(data["day"], end, tzinfo=zone)
            if ended <= started:
                # Work past midnight ends the next day.
                ended += datetime.timedelta(days=1)
            values.update(started_at=started, ended_at=ended)
        else:
            values.update(day=data["day"], minutes=data["duration"])
        return values


class HourlyRateForm(forms.Form):
    """A rate for one user, project or task (exactly one is chosen)."""

    user: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Person"), queryset=User.objects.none(), required=False
    )
    project: forms.ModelChoiceField[Project] = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.none(), required=False
    )
    task = forms.IntegerField(
        label=_("Task number"),
        required=False,
        min_value=1,
        help_text=_("The number in the task's address, e.g. 42 in /projects/tasks/42/."),
    )
    rate = forms.DecimalField(
        label=_("Rate per hour"), min_value=Decimal(0), max_digits=14, decimal_places=2
    )
    currency = forms.ChoiceField(label=_("Currency"))

    def __init__(self, *args: Any, viewer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["user"]).queryset = list_users()
        cast(
            "forms.ModelChoiceField[Any]", self.fields["project"]
        ).queryset = list_loggable_projects(viewer=viewer)
        cast(forms.ChoiceField, self.fields["currency"]).choices = [(c, c) for c in CURRENCIES]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [name for name in ("user", "project", "task") if data.get(name)]
        if len(chosen) != 1:
            raise forms.ValidationError(
                _("Choose exactly one: a person, a project or a task."), code="target"
            )
        return data


class CapacityForm(forms.Form):
    weekly_hours = forms.DecimalField(
        label=_("Hours per week"),
        min_value=Decimal(0),
        max_value=Decimal(168),
        max_digits=5,
        decimal_places=2,
    )
