"""Automation pages: rules (list, build, switch, run log) and webhooks (edit, delivery log)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseFormSet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamkor.automation.forms import (
    FIELD_SUGGESTIONS,
    ActionForm,
    ActionFormSet,
    ConditionForm,
    ConditionFormSet,
    RuleForm,
    WebhookForm,
)
from hamkor.automation.models import Rule, RunStatus, WebhookDelivery, WebhookEndpoint
from hamkor.automation.selectors import (
    get_delivery,
    get_endpoint,
    get_rule,
    list_deliveries,
    list_endpoints,
    list_rules,
    list_runs,
)
from hamkor.automation.services import (
    can_edit_rules,
    create_rule,
    delete_endpoint,
    delete_rule,
    redeliver,
    save_endpoint,
    set_rule_enabled,
    update_rule,
)
from hamkor.automation.services.spec import ACTIONS, OPERATORS
from hamkor.contacts.forms import apply_service_errors
from hamkor.contacts.views.common import PAGE_SIZE, AuthedRequest, wants_partial


def _rule(pk: int) -> Rule:
    try:
        return get_rule(pk=pk)
    except Rule.DoesNotExist:
        raise Http404 from None


def _endpoint(pk: int) -> WebhookEndpoint:
    try:
        return get_endpoint(pk=pk)
    except WebhookEndpoint.DoesNotExist:
        raise Http404 from None


def _require_editor(request: AuthedRequest) -> None:
    if not can_edit_rules(request.user):
        raise PermissionDenied


def describe_trigger(rule: Rule) -> str:
    """The trigger and its settings in one line, for lists."""
    params = ", ".join(f"{k}: {v}" for k, v in (rule.trigger_params or {}).items())
    label = str(rule.get_trigger_display())
    return f"{label} ({params})" if params else label


def describe_actions(rule: Rule) -> str:
    return " → ".join(str(ACTIONS.get(a.get("type", ""), a.get("type", ""))) for a in rule.actions)


@login_required
@require_GET
def rule_list(request: AuthedRequest) -> HttpResponse:
    """Every rule with its trigger, actions, on/off switch and last run."""
    rules = list(list_rules())
    rows = [
        {"rule": r, "trigger": describe_trigger(r), "actions": describe_actions(r)} for r in rules
    ]
    return render(
        request,
        "automation/rules.html",
        {"rows": rows, "can_edit": can_edit_rules(request.user)},
    )


@login_required
@require_GET
def rule_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A rule's settings and its run log, newest first."""
    rule = _rule(pk)
    page = Paginator(list_runs(rule=rule), PAGE_SIZE).get_page(request.GET.get("page"))
    statuses = dict(RunStatus.choices)
    runs = [
        {
            "run": run,
            "steps": [
                {
                    "label": ACTIONS.get(step.get("action", ""), step.get("action", "")),
                    "status": statuses.get(step.get("status", ""), step.get("status", "")),
                    "message": step.get("message", ""),
                }
                for step in run.steps
            ],
        }
        for run in page.object_list
    ]
    return render(
        request,
        "automation/rule_detail.html",
        {
            "rule": rule,
            "trigger": describe_trigger(rule),
            "conditions": [
                " ".join(
                    str(part)
                    for part in (c.get("field"), OPERATORS.get(c["op"], c["op"]), c.get("value"))
                    if part
                )
                for c in rule.conditions
            ],
            "actions": [
                {
                    "label": ACTIONS.get(a.get("type", ""), a.get("type", "")),
                    "details": ", ".join(
                        f"{k}: {v}" for k, v in a.items() if k not in ("type", "bodies")
                    ),
                }
                for a in rule.actions
            ],
            "runs": runs,
            "page_obj": page,
            "base_query": "",
            "can_edit": can_edit_rules(request.user),
        },
    )


def _formsets(
    request: AuthedRequest, rule: Rule | None
) -> tuple[RuleForm, BaseFormSet[ConditionForm], BaseFormSet[ActionForm]]:
    if request.method == "POST":
        return (
            RuleForm(request.POST),
            ConditionFormSet(request.POST, prefix="conditions"),
            ActionFormSet(request.POST, prefix="actions"),
        )
    if rule is None:
        return (
            RuleForm(initial={"trigger": "record_created", "tp_record": "contact"}),
            ConditionFormSet(prefix="conditions"),
            ActionFormSet(prefix="actions", initial=[{"type": "add_tag"}]),
        )
    return (
        RuleForm(initial=RuleForm.initial_for(rule)),
        ConditionFormSet(prefix="conditions", initial=rule.conditions),
        ActionFormSet(prefix="actions", initial=[ActionForm.initial_for(a) for a in rule.actions]),
    )


def _kept(formset: BaseFormSet[Any]) -> list[Any]:
    # Removed rows, and added rows left untouched, are not part of the rule.
    return [f for f in formset.forms if f.cleaned_data and f not in formset.deleted_forms]


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    """Build or change a rule: trigger, then conditions, then actions (rows added by htmx)."""
    _require_editor(request)
    rule = _rule(pk) if pk is not None else None
    form, conditions, actions = _formsets(request, rule)
    section_errors: dict[str, list[str]] = {}
    if request.method == "POST" and form.is_valid() & conditions.is_valid() & actions.is_valid():
        values: dict[str, Any] = {
            "actor": request.user,
            "name": form.cleaned_data["name"],
            "description": form.cleaned_data.get("description", ""),
            "trigger": form.cleaned_data["trigger"],
            "trigger_params": form.trigger_params(),
            "conditions": [f.to_condition() for f in _kept(conditions)],
            "actions": [f.to_action() for f in _kept(actions)],
        }
        try:
            rule = create_rule(**values) if rule is None else update_rule(rule=rule, **values)
        except ValidationError as error:
            section_errors = apply_service_errors(form, error, keep=("conditions", "actions"))
        else:
            messages.success(request, _("The rule “%(name)s” is saved.") % {"name": rule.name})
            return redirect("automation:rule_detail", pk=rule.pk)
    return render(
        request,
        "automation/rule_form.html",
        {
            "rule": rule,
            "form": form,
            "conditions": conditions,
            "actions": actions,
            "section_errors": section_errors,
            "field_suggestions": FIELD_SUGGESTIONS,
        },
    )


@login_required
@require_GET
def trigger_fields(request: AuthedRequest) -> HttpResponse:
    """The settings of the trigger just chosen (htmx swaps them in)."""
    form = RuleForm(initial={"tp_hour": 9, **request.GET.dict()})
    return render(request, "automation/_trigger_fields.html", {"form": form})


def _next_index(request: AuthedRequest, prefix: str) -> int:
    try:
        return max(int(request.GET.get(f"{prefix}-TOTAL_FORMS", "0")), 0)
    except ValueError:
        return 0


@login_required
@require_GET
def condition_row(request: AuthedRequest) -> HttpResponse:
    """One more empty condition row, and the form count raised to match."""
    index = _next_index(request, "conditions")
    form = ConditionForm(prefix=f"conditions-{index}", initial={"op": "equals"})
    return render(
        request,
        "automation/_condition_row.html",
        {"row": form, "total": index + 1, "prefix": "conditions", "add": True},
    )


@login_required
@require_GET
def action_row(request: AuthedRequest) -> HttpResponse:
    """A new action row, or (``index`` given) a row redrawn for the type just chosen."""
    if "index" in request.GET:
        try:
            index = max(int(request.GET["index"]), 0)
        except ValueError:
            index = 0
        prefix = f"actions-{index}"
        initial = {
            key.removeprefix(f"{prefix}-"): value
            for key, value in request.GET.items()
            if key.startswith(f"{prefix}-")
        }
        form = ActionForm(prefix=prefix, initial=initial)
        return render(request, "automation/_action_row.html", {"row": form, "add": False})
    index = _next_index(request, "actions")
    form = ActionForm(prefix=f"actions-{index}", initial={"type": "add_tag"})
    return render(
        request,
        "automation/_action_row.html",
        {"row": form, "total": index + 1, "prefix": "actions", "add": True},
    )


@login_required
@require_POST
def rule_toggle(request: AuthedRequest, pk: int) -> HttpResponse:
    """Switch a rule on or off; htmx gets the redrawn row."""
    _require_editor(request)
    rule = set_rule_enabled(rule=_rule(pk), enabled=not _rule(pk).enabled, actor=request.user)
    if wants_partial(request):
        row = {
            "rule": _rule(rule.pk),
            "trigger": describe_trigger(rule),
            "actions": describe_actions(rule),
        }
        return render(request, "automation/_rule_row.html", {"row": row, "can_edit": True})
    if rule.enabled:
        messages.success(request, _("“%(name)s” is switched on.") % {"name": rule.name})
    else:
        messages.success(request, _("“%(name)s” is switched off.") % {"name": rule.name})
    return redirect(request.POST.get("next") or "automation:rule_list")


@login_required
@require_POST
def rule_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    rule = _rule(pk)
    delete_rule(rule=rule, actor=request.user)
    messages.success(request, _("The rule “%(name)s” is deleted.") % {"name": rule.name})
    return redirect("automation:rule_list")


# --- webhooks ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def webhook_list(request: AuthedRequest) -> HttpResponse:
    """Webhooks, a form to add one, and the latest deliveries to all of them."""
    form = WebhookForm(request.POST or None)
    if request.method == "POST":
        _require_editor(request)
        if form.is_valid():
            try:
                endpoint = save_endpoint(
                    actor=request.user,
                    values={k: v for k, v in form.cleaned_data.items() if k != "events"},
                    events=form.event_list(),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The webhook “%(name)s” is saved. Its secret: %(secret)s")
                    % {"name": endpoint.name, "secret": endpoint.secret},
                )
                return redirect("automation:webhook_detail", pk=endpoint.pk)
    page = Paginator(list_deliveries(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "automation/webhooks.html",
        {
            "endpoints": list_endpoints(),
            "form": form,
            "page_obj": page,
            "base_query": "",
            "can_edit": can_edit_rules(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def webhook_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One webhook's settings and its delivery log (status code, response, next retry)."""
    endpoint = _endpoint(pk)
    initial = {
        "name": endpoint.name,
        "url": endpoint.url,
        "secret": endpoint.secret,
        "events": ", ".join(endpoint.events),
        "is_active": endpoint.is_active,
    }
    form = WebhookForm(request.POST or None, initial=initial)
    if request.method == "POST":
        _require_editor(request)
        if form.is_valid():
            try:
                save_endpoint(
                    actor=request.user,
                    endpoint=endpoint,
                    values={k: v for k, v in form.cleaned_data.items() if k != "events"},
                    events=form.event_list(),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The webhook is saved."))
                return redirect("automation:webhook_detail", pk=endpoint.pk)
    page = Paginator(list_deliveries(endpoint=endpoint), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "automation/webhook_detail.html",
        {
            "endpoint": endpoint,
            "form": form,
            "page_obj": page,
            "base_query": "",
            "can_edit": can_edit_rules(request.user),
        },
    )


@login_required
@require_POST
def webhook_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    endpoint = _endpoint(pk)
    delete_endpoint(endpoint=endpoint, actor=request.user)
    messages.success(request, _("The webhook “%(name)s” is deleted.") % {"name": endpoint.name})
    return redirect("automation:webhook_list")


@login_required
@require_POST
def delivery_redeliver(request: AuthedRequest, pk: int) -> HttpResponse:
    """Send a failed delivery again."""
    _require_editor(request)
    try:
        delivery = get_delivery(pk=pk)
    except WebhookDelivery.DoesNotExist:
        raise Http404 from None
    try:
        redeliver(delivery=delivery, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The delivery is being sent again."))
    return redirect("automation:webhook_detail", pk=delivery.endpoint_id)
