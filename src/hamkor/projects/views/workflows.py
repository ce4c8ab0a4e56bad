"""Workflow template list and editor: add, reorder and remove steps, no JavaScript needed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamkor.contacts.forms import apply_service_errors
from hamkor.contacts.views.common import AuthedRequest
from hamkor.projects.forms import StepFormSet, TemplateForm
from hamkor.projects.models import WorkflowTemplate
from hamkor.projects.selectors.workflows import get_template, list_templates
from hamkor.projects.services.workflows import (
    create_template,
    delete_template,
    step_values,
    update_template,
)


def can_edit_templates(request: AuthedRequest) -> bool:
    """Templates shape everyone's work: managers and admins edit them."""
    return request.user.sees_everything


def _require_editor(request: AuthedRequest) -> None:
    if not can_edit_templates(request):
        raise PermissionDenied(_("Only managers and administrators edit workflow templates."))


def _template(pk: int) -> WorkflowTemplate:
    try:
        return get_template(pk=pk)
    except WorkflowTemplate.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def template_list(request: AuthedRequest) -> HttpResponse:
    """Every workflow template with its steps."""
    return render(
        request,
        "projects/templates.html",
        {"templates": list(list_templates()), "can_edit": can_edit_templates(request)},
    )


def _ordered_steps(formset: Any) -> list[dict[str, Any]]:
    """Kept rows sorted by the order numbers typed in (rows without one keep their place)."""
    rows = []
    for index, form in enumerate(formset.forms):
        if not form.cleaned_data.get("title") or form.cleaned_data.get("DELETE"):
            # Blank added rows and rows marked for removal are left out.
            continue
        order = form.cleaned_data.get("ORDER")
        rows.append(((order if order is not None else index + 1), index, form.values()))
    return [values for _order, _index, values in sorted(rows, key=lambda r: (r[0], r[1]))]


def _editor(request: AuthedRequest, template: WorkflowTemplate | None) -> HttpResponse:
    _require_editor(request)
    if request.method == "POST":
        form = TemplateForm(request.POST)
        data = request.POST.copy()
        if "add_step" in request.POST:
            # One more empty row; nothing is saved until "Save".
            total = int(data.get("steps-TOTAL_FORMS", "0") or 0)
            data["steps-TOTAL_FORMS"] = str(total + 1)
            formset = StepFormSet(data, prefix="steps")
            return render(
                request,
                "projects/template_form.html",
                {"form": form, "formset": formset, "template": template, "adding": True},
            )
        formset = StepFormSet(data, prefix="steps")
        if form.is_valid() and formset.is_valid():
            steps = _ordered_steps(formset)
            values = {
                "name": form.cleaned_data["name"],
                "description": form.cleaned_data["description"] or "",
                "is_active": form.cleaned_data["is_active"],
            }
            try:
                if template is None:
                    template = create_template(values=values, steps=steps, actor=request.user)
                else:
                    update_template(
                        template=template, values=values, steps=steps, actor=request.user
                    )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Template “%(name)s” saved.") % {"name": template})
                return redirect("projects:template_list")
    else:
        initial_steps: list[dict[str, Any]] = []
        if template is not None:
            form = TemplateForm(
                initial={
                    "name": template.name,
                    "description": template.description,
                    "is_active": template.is_active,
                }
            )
            initial_steps = [
                step_values(step) | {"ORDER": step.position} for step in template.steps.all()
            ]
        else:
            form = TemplateForm()
        formset = StepFormSet(prefix="steps", initial=initial_steps)
    return render(
        request,
        "projects/template_form.html",
        {"form": form, "formset": formset, "template": template},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_create(request: AuthedRequest) -> HttpResponse:
    """Build a new workflow template."""
    return _editor(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Edit a template and its steps; projects already started keep their tasks."""
    return _editor(request, _template(pk))


@login_required
@require_POST
def template_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Delete a template; projects started from it keep their tasks."""
    _require_editor(request)
    template = _template(pk)
    delete_template(template=template, actor=request.user)
    messages.success(request, _("Template “%(name)s” deleted.") % {"name": template})
    return redirect("projects:template_list")


urlpatterns: list[URLPattern | URLResolver] = [
    path("templates/", template_list, name="template_list"),
    path("templates/new/", template_create, name="template_create"),
    path("templates/<int:pk>/", template_edit, name="template_edit"),
    path("templates/<int:pk>/delete/", template_delete, name="template_delete"),
]
