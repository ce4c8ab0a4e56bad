"""Staff pages under /feedback/: the ideas board, news with moderation, NPS surveys."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamkor.contacts.forms import apply_service_errors
from hamkor.contacts.views.common import PAGE_SIZE, AuthedRequest, wants_partial
from hamkor.feedback import selectors
from hamkor.feedback.forms import AnnouncementForm, ReplyForm, StatusForm, SurveyForm
from hamkor.feedback.models import (
    Announcement,
    AnnouncementStatus,
    SuggestionStatus,
    Survey,
    SurveyTrigger,
)
from hamkor.feedback.services import (
    can_manage_feedback,
    reply_to_comment,
    save_announcement,
    save_survey,
    send_survey,
    set_comment_hidden,
    set_suggestion_public,
    set_suggestion_status,
)


def _found(load: Any, **kwargs: Any) -> Any:
    try:
        return load(**kwargs)
    except ObjectDoesNotExist:
        raise Http404 from None


def _shows_people(request: AuthedRequest) -> bool:
    # Sales staff see their team's customers only: names on the board are for those who
    # run the loop or see everyone; the rest see counts.
    return can_manage_feedback(request.user) or request.user.sees_everything


def _require_manager(request: AuthedRequest) -> None:
    if not can_manage_feedback(request.user):
        raise PermissionDenied


# --- Ideas board -------------------------------------------------------------------------


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    """What customers ask for most: ideas by votes, filtered by status."""
    status = request.GET.get("status", "")
    if status not in SuggestionStatus.values:
        status = ""
    query = request.GET.get("q", "")
    ideas = selectors.list_board(status=status, q=query)
    page = Paginator(ideas, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.count_board_by_status()
    filters = [
        {"value": value, "label": label, "count": counts[value]}
        for value, label in SuggestionStatus.choices
    ]
    base_query = urlencode({k: v for k, v in (("status", status), ("q", query)) if v})
    return render(
        request,
        "feedback/index.html",
        {
            "page_obj": page,
            "status": status,
            "query": query,
            "filters": filters,
            "total": sum(counts.values()),
            "show_people": _shows_people(request),
            "base_query": base_query,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One idea, its voters' count and history; managers set the status and answer."""
    suggestion = _found(selectors.get_suggestion, pk=pk)
    initial = {"status": suggestion.status, "answer": suggestion.public_answer}
    form = StatusForm(request.POST or None, initial=initial)
    if request.method == "POST":
        _require_manager(request)
        if form.is_valid():
            try:
                change = set_suggestion_status(
                    suggestion=suggestion,
                    status=form.cleaned_data["status"],
                    answer=form.cleaned_data["answer"],
                    actor=request.user,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if change is None:
                    messages.info(request, _("Nothing changed."))
                elif change.old_status != change.new_status:
                    messages.success(request, _("Status saved; everyone who voted will be told."))
                else:
                    messages.success(request, _("The answer is saved."))
                return redirect("feedback:suggestion_detail", pk=pk)
    return render(
        request,
        "feedback/suggestion_detail.html",
        {
            "suggestion": suggestion,
            "form": form,
            "changes": suggestion.status_changes.select_related("changed_by").order_by(
                "-created_at", "-id"
            ),
            "can_manage": can_manage_feedback(request.user),
            "show_people": _shows_people(request),
            "voters": selectors.list_voters(suggestion=suggestion)
            if _shows_people(request)
            else [],
        },
    )


@login_required
@require_POST
def suggestion_visibility(request: AuthedRequest, pk: int) -> HttpResponse:
    """Moderation: show or hide an idea on the portal."""
    _require_manager(request)
    suggestion = _found(selectors.get_suggestion, pk=pk)
    public = request.POST.get("public") == "1"
    set_suggestion_public(suggestion=suggestion, public=public, actor=request.user)
    messages.success(
        request,
        _("The idea is shown on the portal.")
        if public
        else _("The idea is hidden from the portal."),
    )
    return redirect("feedback:suggestion_detail", pk=pk)


# --- Announcements -----------------------------------------------------------------------


@login_required
@require_GET
def announcement_list(request: AuthedRequest) -> HttpResponse:
    """Every post, drafts included, newest first."""
    page = Paginator(selectors.list_announcements(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/announcements.html",
        {"page_obj": page, "base_query": "", "can_manage": can_manage_feedback(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def announcement_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    """Write or change a post; save as draft or publish."""
    _require_manager(request)
    post: Announcement | None = (
        _found(selectors.get_announcement, pk=pk) if pk is not None else None
    )
    initial = (
        {"title": post.title, "body": post.body, "language": post.language, "status": post.status}
        if post
        else {"status": AnnouncementStatus.DRAFT}
    )
    form = AnnouncementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            post = save_announcement(actor=request.user, announcement=post, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The post is saved."))
            return redirect("feedback:announcement_detail", pk=post.pk)
    return render(request, "feedback/announcement_form.html", {"form": form, "post": post})


@login_required
@require_GET
def announcement_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A post with its reactions and the whole thread, hidden comments included."""
    post = _found(selectors.get_announcement, pk=pk)
    return render(
        request,
        "feedback/announcement_detail.html",
        {
            "post": post,
            "comments": selectors.list_staff_comments(announcement=post),
            "reactions": selectors.list_reaction_counts(announcement=post, contact=None),
            "reply_form": ReplyForm(),
            "can_manage": can_manage_feedback(request.user),
        },
    )


def _comment_row(request: AuthedRequest, comment_pk: int, **extra: Any) -> HttpResponse:
    comment = selectors.list_staff_comments(
        announcement=_found(selectors.get_comment, pk=comment_pk).announcement
    ).get(pk=comment_pk)
    return render(
        request,
        "feedback/_staff_comment.html",
        {
            "comment": comment,
            "reply_form": extra.get("reply_form") or ReplyForm(),
            "can_manage": can_manage_feedback(request.user),
        },
    )


@login_required
@require_POST
def comment_reply(request: AuthedRequest, pk: int) -> HttpResponse:
    """Answer a customer's comment in the thread; they are told on their channel."""
    _require_manager(request)
    comment = _found(selectors.get_comment, pk=pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            reply_to_comment(comment=comment, body=form.cleaned_data["body"], actor=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            form = ReplyForm()
            if not wants_partial(request):
                messages.success(request, _("Answer posted; the customer will be told."))
    if wants_partial(request):
        return _comment_row(request, pk, reply_form=form)
    if form.errors:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("feedback:announcement_detail", pk=comment.announcement_id)


@login_required
@require_POST
def comment_visibility(request: AuthedRequest, pk: int) -> HttpResponse:
    """Moderation: hide a comment from the portal, or show it again."""
    _require_manager(request)
    comment = _found(selectors.get_comment, pk=pk)
    set_comment_hidden(
        comment=comment, hidden=request.POST.get("hidden") == "1", actor=request.user
    )
    if wants_partial(request):
        return _comment_row(request, pk)
    return redirect("feedback:announcement_detail", pk=comment.announcement_id)


# --- Surveys -----------------------------------------------------------------------------


@login_required
@require_GET
def survey_list(request: AuthedRequest) -> HttpResponse:
    """Every survey with its score, and the score over time by month."""
    surveys = list(selectors.list_surveys())
    rows = [{"survey": s, "nps": selectors.nps_of_survey(s)} for s in surveys]
    return render(
        request,
        "feedback/surveys.html",
        {
            "rows": rows,
            "months": selectors.list_nps_by_month(),
            "overall": selectors.get_overall_nps(),
            "can_manage": can_manage_feedback(request.user),
        },
    )


def _survey_initial(survey: Survey | None) -> dict[str, Any]:
    if survey is None:
        return {
            "trigger": SurveyTrigger.GROUP,
            "delay_days": 3,
            "cooldown_days": 90,
            "is_active": True,
        }
    from django.http import QueryDict

    segment = QueryDict(survey.segment)
    return {
        "title": survey.title,
        "trigger": survey.trigger,
        "tag": segment.get("tag", ""),
        "stage": segment.get("stage", ""),
        "source": segment.get("source", ""),
        "delay_days": survey.delay_days,
        "cooldown_days": survey.cooldown_days,
        "is_active": survey.is_active,
    }


@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    """Set up a survey: to a group (tag, stage, source) or after each paid order."""
    _require_manager(request)
    survey: Survey | None = _found(selectors.get_survey, pk=pk) if pk is not None else None
    form = SurveyForm(request.POST or None, initial=_survey_initial(survey))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = save_survey(
                actor=request.user,
                survey=survey,
                title=data["title"],
                trigger=data["trigger"],
                segment=form.segment(),
                delay_days=data["delay_days"],
                cooldown_days=data["cooldown_days"],
                is_active=data["is_active"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "segment" in error.error_dict:
                form.add_error("tag", error.error_dict.pop("segment"))
            if not hasattr(error, "error_dict") or error.error_dict:
                apply_service_errors(form, error)
        else:
            messages.success(request, _("The survey is saved."))
            return redirect("feedback:survey_detail", pk=survey.pk)
    return render(request, "feedback/survey_form.html", {"form": form, "survey": survey})


@login_required
@require_GET
def survey_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A survey's score, the split of answers, its score by month and the comments."""
    survey = _found(selectors.get_survey, pk=pk)
    comments = Paginator(
        selectors.list_survey_responses(survey=survey, with_comment=True), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    audience = None
    if survey.trigger == SurveyTrigger.GROUP:
        audience = selectors.count_survey_audience(segment=survey.segment, viewer=request.user)
    return render(
        request,
        "feedback/survey_detail.html",
        {
            "survey": survey,
            "nps": selectors.nps_of_survey(survey),
            "months": selectors.list_nps_by_month(survey=survey),
            "page_obj": comments,
            "base_query": "",
            "audience": audience,
            "can_manage": can_manage_feedback(request.user),
        },
    )


@login_required
@require_POST
def survey_send(request: AuthedRequest, pk: int) -> HttpResponse:
    """Send a group survey to everyone in the group not yet asked."""
    _require_manager(request)
    survey = _found(selectors.get_survey, pk=pk)
    try:
        send_survey(survey=survey, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The survey is on its way."))
    return redirect("feedback:survey_detail", pk=pk)
