"""Deals board per pipeline, moving cards, deal detail and form, and the forecast."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from hamkor.accounts.models import User
from hamkor.contacts.forms import apply_service_errors, with_current_version
from hamkor.core.currency import base_currency
from hamkor.core.versioning import EditConflict, OtherChange
from hamkor.sales.forms_deals import DealForm, MoveForm
from hamkor.sales.models import Deal, Pipeline
from hamkor.sales.selectors.deals import (
    get_board,
    get_deal,
    get_default_pipeline,
    get_pipeline,
    list_forecast,
    list_pipelines,
)
from hamkor.sales.services.deals import create_deal, move_deal, update_deal


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


def _visible_deal(request: AuthedRequest, pk: int) -> Deal:
    """The deal if the user may see it, else 404 (it does not exist for them)."""
    try:
        return get_deal(viewer=request.user, pk=pk)
    except Deal.DoesNotExist:
        raise Http404 from None


def _chosen_pipeline(request: AuthedRequest) -> Pipeline:
    """The pipeline named by ?pipeline=, else the first one; 404 if there is none."""
    raw = request.GET.get("pipeline", "")
    try:
        pipeline = get_pipeline(pk=int(raw)) if raw else get_default_pipeline()
    except (ValueError, Pipeline.DoesNotExist):
        raise Http404 from None
    if pipeline is None:
        raise Http404
    return pipeline


def _board_url(pipeline: Pipeline) -> str:
    return f"{reverse('sales:board')}?{urlencode({'pipeline': pipeline.pk})}"


def _board_context(request: AuthedRequest, pipeline: Pipeline, **extra: Any) -> dict[str, Any]:
    return {
        "board": get_board(pipeline=pipeline, viewer=request.user),
        "board_url": _board_url(pipeline),
        **extra,
    }


@login_required
@require_GET
@vary_on_headers("HX-Request")
def board(request: AuthedRequest) -> HttpResponse:
    """A pipeline's stages as columns of cards; drag a card or pick a stage to move it."""
    pipeline = _chosen_pipeline(request)
    context = _board_context(
        request, pipeline, pipelines=list_pipelines(), base_currency=base_currency()
    )
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "sales/_board.html", context)
    return render(request, "sales/board.html", context)


def _next_url(request: AuthedRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_http_methods(["GET", "POST"])
def deal_move(request: AuthedRequest, pk: int) -> HttpResponse:
    """Move a deal; a lost stage asks for the reason first. htmx gets the board back."""
    deal = _visible_deal(request, pk)
    back = _next_url(request, _board_url(deal.pipeline))
    if request.method == "POST":
        form = MoveForm(request.POST, pipeline=deal.pipeline)
        if form.is_valid():
            try:
                moved = move_deal(
                    deal=deal,
                    stage=form.cleaned_data["stage"],
                    actor=request.user,
                    lost_reason=form.cleaned_data["lost_reason"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if request.htmx:
                    return render(
                        request, "sales/_board.html", _board_context(request, moved.pipeline)
                    )
                messages.success(
                    request,
                    _("“%(deal)s” moved to %(stage)s.") % {"deal": moved, "stage": moved.stage},
                )
                return redirect(back)
        if request.htmx:
            # The board has no room for the reason: open the small form for it.
            stage = form.data.get("stage", "")
            query = urlencode({"stage": stage, "next": back})
            return HttpResponseClientRedirect(
                f"{reverse('sales:deal_move', args=[deal.pk])}?{query}"
            )
    else:
        form = MoveForm(
            initial={"stage": request.GET.get("stage") or deal.stage_id}, pipeline=deal.pipeline
        )
    return render(request, "sales/deal_move.html", {"deal": deal, "form": form, "next": back})


@login_required
@require_GET
def deal_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One deal, a form to move it and every stage change with who and when."""
    deal = _visible_deal(request, pk)
    form = MoveForm(initial={"stage": deal.stage_id}, pipeline=deal.pipeline)
    return render(
        request,
        "sales/deal_detail.html",
        {"deal": deal, "form": form, "history": list(deal.stage_changes.all())},
    )


@login_required
@require_http_methods(["GET", "POST"])
def deal_create(request: AuthedRequest) -> HttpResponse:
    """A new deal; ?pipeline= and ?contact= fill the form in advance."""
    if request.method == "POST":
        form = DealForm(request.POST, viewer=request.user)
        if form.is_valid():
            try:
                deal = create_deal(values=form.values(), actor=request.user)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Deal “%(deal)s” created.") % {"deal": deal})
                return redirect("sales:deal_detail", pk=deal.pk)
    else:
        initial = {
            name: request.GET[name]
            for name in ("pipeline", "contact", "company")
            if request.GET.get(name, "").isdigit()
        }
        form = DealForm(initial=initial, viewer=request.user)
    return render(request, "sales/deal_form.html", {"form": form, "deal": None})


@login_required
@require_http_methods(["GET", "POST"])
def deal_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    deal = _visible_deal(request, pk)
    conflict: list[OtherChange] | None = None
    if request.method == "POST":
        form = DealForm(request.POST, viewer=request.user, deal=deal)
        if form.is_valid():
            try:
                update_deal(
                    deal=deal,
                    values=form.values(),
                    actor=request.user,
                    expected_version=form.expected_version(),
                )
            except EditConflict as error:
                # Nothing was saved; the typed values stay and the stored version makes a
                # second save a deliberate overwrite.
                form = DealForm(
                    with_current_version(request.POST, error), viewer=request.user, deal=deal
                )
                form.is_valid()
                conflict = error.changes
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("sales:deal_detail", pk=deal.pk)
    else:
        form = DealForm(viewer=request.user, deal=deal)
    return render(
        request, "sales/deal_form.html", {"form": form, "deal": deal, "conflict": conflict}
    )


@login_required
@require_GET
def forecast(request: AuthedRequest) -> HttpResponse:
    """Open deals by expected close month, weighted by stage probability, in base currency."""
    pipeline = _chosen_pipeline(request)
    months = list_forecast(viewer=request.user, pipeline=pipeline)
    return render(
        request,
        "sales/deal_forecast.html",
        {
            "pipeline": pipeline,
            "pipelines": list_pipelines(),
            "months": months,
            "base_currency": base_currency(),
            "board_url": _board_url(pipeline),
        },
    )


urlpatterns: list[URLPattern | URLResolver] = [
    path("board/", board, name="board"),
    path("forecast/", forecast, name="forecast"),
    path("deals/new/", deal_create, name="deal_create"),
    path("deals/<int:pk>/", deal_detail, name="deal_detail"),
    path("deals/<int:pk>/edit/", deal_edit, name="deal_edit"),
    path("deals/<int:pk>/move/", deal_move, name="deal_move"),
]
