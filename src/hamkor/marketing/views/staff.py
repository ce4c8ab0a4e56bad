"""Staff pages: segments with live counts and members, campaigns, the report, bulk sends."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hamkor.accounts.models import User
from hamkor.core.currency import MissingRateError
from hamkor.core.paging import keyset_page
from hamkor.marketing.forms import (
    CampaignForm,
    SegmentForm,
    SendForm,
    WindowForm,
    initial_from_rules,
)
from hamkor.marketing.models import BulkSend, Campaign, Segment
from hamkor.marketing.rules import clean_rules
from hamkor.marketing.selectors import (
    can_manage_marketing,
    count_matching_up_to,
    count_segment_members,
    count_segment_members_up_to,
    count_send_messages,
    get_campaign,
    get_effectiveness,
    get_segment,
    get_send,
    list_campaigns,
    list_segment_members,
    list_segments,
    list_sends,
)
from hamkor.marketing.services import (
    CampaignInput,
    SegmentInput,
    create_campaign,
    create_segment,
    create_send,
    delete_segment,
    freeze_segment,
    preview_send,
    unfreeze_segment,
    update_campaign,
    update_segment,
)

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required ran first
    return user


def _manager(request: HttpRequest) -> User:
    user = _user(request)
    if not can_manage_marketing(user):
        raise PermissionDenied(_("Only managers and administrators can do this."))
    return user


def _errors(form: BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, items in error.message_dict.items():
            target = name if name in form.fields else ("extra" if name == "rules" else None)
            form.add_error(target if target in form.fields else None, items)
    else:
        form.add_error(None, error.messages)


def _segment(pk: int) -> Segment:
    try:
        return get_segment(pk=pk)
    except Segment.DoesNotExist:
        raise Http404 from None


def public_base(request: HttpRequest) -> str:
    """Base address for links in messages: HAMKOR_PUBLIC_URL, else the one asked for."""
    configured = str(getattr(settings, "HAMKOR_PUBLIC_URL", "") or "")
    return (configured or request.build_absolute_uri("/")).rstrip("/")


# --- segments -------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The segments, with links to campaigns, the report and bulk messages."""
    user = _user(request)
    # Capped: the list page stays quick however many contacts a segment holds.
    segments = [
        (segment, *count_segment_members_up_to(viewer=user, segment=segment))
        for segment in list_segments()
    ]
    return render(
        request,
        "marketing/index.html",
        {"segments": segments, "manages": can_manage_marketing(user)},
    )


def _segment_form(request: HttpRequest, segment: Segment | None) -> HttpResponse:
    user = _manager(request)
    initial: dict[str, Any] = {}
    if segment is not None:
        initial = {"name": segment.name, "description": segment.description}
        initial.update(initial_from_rules(segment.rules))
    form = SegmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = SegmentInput(
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            rules=form.to_rules(),
        )
        try:
            if segment is None:
                saved = create_segment(actor=user, values=values)
            else:
                saved = update_segment(segment=segment, actor=user, values=values)
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Segment saved."))
            return redirect("marketing:segment_detail", pk=saved.pk)
    count, capped = None, False
    if form.is_bound and form.is_valid():
        count, capped = _count_or_none(user, form.to_rules())
    elif segment is not None:
        count, capped = _count_or_none(user, segment.rules)
    return render(
        request,
        "marketing/segment_form.html",
        {"form": form, "segment": segment, "count": count, "capped": capped},
        status=422 if form.is_bound and form.errors else 200,
    )


def _count_or_none(user: User, rules: dict[str, Any]) -> tuple[int | None, bool]:
    try:
        return count_matching_up_to(viewer=user, rules=clean_rules(rules))
    except ValidationError:
        return None, False


@login_required
def segment_create(request: HttpRequest) -> HttpResponse:
    return _segment_form(request, None)


@login_required
def segment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _segment_form(request, _segment(pk))


@login_required
@require_POST
def segment_count(request: HttpRequest) -> HttpResponse:
    """htmx: the count of the rules being edited (nothing saved)."""
    user = _user(request)
    form = SegmentForm(request.POST)
    form.is_valid()
    count, capped = None, False
    error = ""
    # A missing name does not stop counting: the rules are what is being edited.
    if set(form.errors) <= {"name"}:
        try:
            count, capped = count_matching_up_to(viewer=user, rules=clean_rules(form.to_rules()))
        except ValidationError as problem:
            error = " ".join(problem.messages)
    else:
        error = _("Fix the highlighted rules to see the count.")
    return render(
        request, "marketing/_count.html", {"count": count, "capped": capped, "error": error}
    )


@login_required
def segment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A segment's rules, count and members the viewer may see (paged)."""
    user = _user(request)
    segment = _segment(pk)
    members = list_segment_members(viewer=user, segment=segment)
    try:
        page = keyset_page(
            members,
            limit=PAGE_SIZE,
            after=request.GET.get("after", ""),
            before=request.GET.get("before", ""),
        )
    except ValidationError:
        page = keyset_page(members, limit=PAGE_SIZE)
    return render(
        request,
        "marketing/segment_detail.html",
        {
            "segment": segment,
            "page": page,
            "count": count_segment_members(viewer=user, segment=segment),
            "manages": can_manage_marketing(user),
            "rules_json": segment.rules,
        },
    )


@login_required
@require_POST
def segment_freeze(request: HttpRequest, pk: int) -> HttpResponse:
    user = _manager(request)
    segment = _segment(pk)
    if request.POST.get("action") == "unfreeze":
        unfreeze_segment(segment=segment, actor=user)
        messages.success(request, _("The segment is dynamic again."))
    else:
        freeze_segment(segment=segment, actor=user)
        messages.success(request, _("The segment's members are saved as a fixed list."))
    return redirect("marketing:segment_detail", pk=pk)


@login_required
@require_POST
def segment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _manager(request)
    try:
        delete_segment(segment=_segment(pk), actor=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("marketing:segment_detail", pk=pk)
    messages.success(request, _("Segment deleted."))
    return redirect("marketing:index")


# --- campaigns ------------------------------------------------------------------------------


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "marketing/campaign_list.html",
        {"campaigns": list_campaigns(), "manages": can_manage_marketing(user)},
    )


def _campaign_form(request: HttpRequest, campaign: Campaign | None) -> HttpResponse:
    user = _manager(request)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = CampaignInput(
            name=data["name"],
            channel=data["channel"],
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on"),
            cost=data["cost"],
            currency=data["currency"],
            source=data.get("source"),
            utm_campaign=data.get("utm_campaign") or "",
            notes=data.get("notes", ""),
        )
        try:
            if campaign is None:
                create_campaign(actor=user, values=values)
            else:
                update_campaign(campaign=campaign, actor=user, values=values)
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("marketing:campaign_list")
    return render(
        request,
        "marketing/campaign_form.html",
        {"form": form, "campaign": campaign},
        status=422 if form.is_bound and form.errors else 200,
    )


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    return _campaign_form(request, None)


@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        campaign = get_campaign(pk=pk)
    except Campaign.DoesNotExist:
        raise Http404 from None
    return _campaign_form(request, campaign)


# --- report ---------------------------------------------------------------------------------


@login_required
def effectiveness(request: HttpRequest) -> HttpResponse:
    """Which campaigns and sources brought customers who pay, in a date window."""
    _manager(request)
    form = WindowForm(request.GET or WindowForm.default_window())
    report = None
    problem = ""
    if form.is_valid():
        try:
            report = get_effectiveness(
                start=form.cleaned_data["start"], end=form.cleaned_data["end"]
            )
        except MissingRateError as error:
            problem = " ".join(error.messages)
    return render(
        request,
        "marketing/effectiveness.html",
        {"form": form, "report": report, "problem": problem},
    )


# --- bulk sends -----------------------------------------------------------------------------


@login_required
def send_compose(request: HttpRequest, pk: int) -> HttpResponse:
    """Write a message to a segment, see who gets it and who is left out, send."""
    user = _manager(request)
    segment = _segment(pk)
    form = SendForm(request.POST or None, initial={"channel": request.GET.get("channel", "email")})
    if request.method == "POST" and form.is_valid():
        try:
            send = create_send(
                segment=segment,
                channel=form.cleaned_data["channel"],
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                actor=user,
                base_url=public_base(request),
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("The message is being queued for the segment."))
            return redirect("marketing:send_detail", pk=send.pk)
    channel = form["channel"].value() or "email"
    preview = preview_send(segment=segment, channel=str(channel)) if channel else None
    template = "marketing/_preview.html" if request.headers.get("HX-Request") else None
    return render(
        request,
        template or "marketing/send_form.html",
        {"form": form, "segment": segment, "preview": preview},
        status=422 if form.is_bound and form.errors else 200,
    )


@login_required
def send_list(request: HttpRequest) -> HttpResponse:
    _manager(request)
    return render(request, "marketing/send_list.html", {"sends": list_sends()[:100]})


@login_required
def send_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    try:
        send = get_send(pk=pk)
    except BulkSend.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "marketing/send_detail.html",
        {"send": send, "statuses": count_send_messages(send=send)},
    )
