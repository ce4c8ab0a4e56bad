"""Forms for projects, tasks and workflow templates: they parse input; services validate."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hamkor.accounts.models import Role, User
from hamkor.accounts.selectors import list_assignable_users, list_users
from hamkor.contacts.forms.pickers import CompanyPickerField, ContactPickerField
from hamkor.contacts.selectors import list_companies, list_contacts
from hamkor.projects.models import Project, ProjectStatus, Task, TaskStatus
from hamkor.projects.selectors.workflows import list_templates
from hamkor.sales.forms_deals import CURRENCIES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _model_choice(form: forms.Form, name: str) -> forms.ModelChoiceField[Any]:
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


def _currency_choices(form: forms.Form) -> None:
    codes = list(CURRENCIES)
    current = str(form.initial.get("currency") or "")
    if current and current not in codes:
        codes.append(current)
    cast(forms.ChoiceField, form.fields["currency"]).choices = [(c, c) for c in codes]


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    contact = ContactPickerField(label=_("Contact"), required=False)
    company = CompanyPickerField(label=_("Company"), required=False)
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Manager"), queryset=None)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DATE)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE)
    budget_hours = forms.DecimalField(
        label=_("Budget (hours)"),
        required=False,
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
    )
    budget_amount = forms.DecimalField(
        label=_("Budget (amount)"),
        required=False,
        min_value=Decimal(0),
        max_digits=16,
        decimal_places=2,
    )
    currency = forms.ChoiceField(label=_("Currency"))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea({"rows": 3})
    )

    FIELDS = (
        "name",
        "contact",
        "company",
        "owner",
        "start_date",
        "due_date",
        "budget_hours",
        "budget_amount",
        "currency",
        "description",
    )

    def __init__(
        self, *args: Any, viewer: User, project: Project | None = None, **kwargs: Any
    ) -> None:
        if project is not None:
            kwargs.setdefault(
                "initial",
                {name: getattr(project, name) for name in self.FIELDS}
                | {
                    "contact": project.contact_id,
                    "company": project.company_id,
                    "owner": project.owner_id,
                },
            )
        super().__init__(*args, **kwargs)
        self.initial.setdefault("currency", settings.HAMKOR_DEFAULT_CURRENCY)
        self.initial.setdefault("owner", viewer.pk)
        _model_choice(self, "contact").queryset = list_contacts(viewer=viewer)
        _model_choice(self, "company").queryset = list_companies(viewer=viewer)
        _model_choice(self, "owner").queryset = list_assignable_users(viewer=viewer)
        _currency_choices(self)

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.FIELDS}


class FromTemplateForm(ProjectForm):
    template: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Workflow template"), queryset=None, empty_label=None
    )

    def __init__(self, *args: Any, viewer: User, **kwargs: Any) -> None:
        super().__init__(*args, viewer=viewer, **kwargs)
        _model_choice(self, "template").queryset = list_templates(active_only=True)
        self.fields["due_date"].help_text = _("Left empty: the last step's deadline.")


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    assignee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Assignee"), queryset=None, required=False
    )
    role = forms.ChoiceField(
        label=_("Or a role to pick it up"),
        required=False,
        choices=[("", "—"), *Role.choices],
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE)
    estimate_hours = forms.DecimalField(
        label=_("Estimate (hours)"),
        required=False,
        min_value=Decimal(0),
        max_digits=8,
        decimal_places=2,
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea({"rows": 3})
    )

    FIELDS = ("title", "assignee", "role", "due_date", "estimate_hours", "description")

    def __init__(self, *args: Any, task: Task | None = None, **kwargs: Any) -> None:
        if task is not None:
            kwargs.setdefault(
                "initial",
                {name: getattr(task, name) for name in self.FIELDS}
                | {"assignee": task.assignee_id},
            )
        super().__init__(*args, **kwargs)
        # Work is handed to anyone in the firm, not only one's own team.
        _model_choice(self, "assignee").queryset = list_users()

    def values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data.get(name) for name in self.FIELDS}
        values["role"] = values["role"] or ""
        values["description"] = values["description"] or ""
        return values


class TaskStatusForm(forms.Form):
    # Named "stage" so the deals board's drag-and-drop script (sales/board.js) drives it.
    stage = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)


class DependencyForm(forms.Form):
    depends_on: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Waits for"), queryset=None
    )

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "depends_on").queryset = (
            Task.objects.filter(project_id=task.project_id).exclude(pk=task.pk).order_by("position")
        )


class ChecklistItemForm(forms.Form):
    text = forms.CharField(label=_("New checklist item"), max_length=300)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea({"rows": 3}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea({"rows": 2})
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class StepForm(forms.Form):
    title = forms.CharField(label=_("Step"), max_length=200)
    role = forms.ChoiceField(label=_("Role responsible"), choices=Role.choices)
    offset_working_days = forms.IntegerField(
        label=_("Deadline (working days after the previous step)"),
        min_value=0,
        max_value=365,
        initial=1,
    )
    estimate_hours = forms.DecimalField(
        label=_("Estimate (hours)"),
        required=False,
        min_value=Decimal(0),
        max_digits=8,
        decimal_places=2,
    )
    waits_for_previous = forms.BooleanField(
        label=_("Waits for the previous step"), required=False, initial=True
    )
    handoff_note = forms.CharField(
        label=_("Hand-off note"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("Sent to whoever takes this step when it becomes ready."),
    )
    description = forms.CharField(label=_("Description"), required=False)

    FIELDS = (
        "title",
        "role",
        "offset_working_days",
        "estimate_hours",
        "waits_for_previous",
        "handoff_note",
        "description",
    )

    def values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data.get(name) for name in self.FIELDS}
        values["handoff_note"] = values["handoff_note"] or ""
        values["description"] = values["description"] or ""
        return values


# ORDER gives each row a position number to reorder by; DELETE removes a step.
# One blank row at the end adds a step.
StepFormSet = forms.formset_factory(StepForm, extra=1, can_order=True, can_delete=True)
