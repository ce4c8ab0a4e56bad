"""Customer pages under /portal/community/: news with comments and reactions, the ideas
board, and the survey answer page (reached by a signed link, no sign-in)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamkor.contacts.forms import apply_service_errors
from hamkor.contacts.models import Contact
from hamkor.feedback import selectors
from hamkor.feedback.forms import CommentForm, SuggestionForm, SurveyAnswerForm
from hamkor.feedback.models import (
    Announcement,
    Comment,
    Suggestion,
    SuggestionStatus,
    SurveyRecipient,
)
from hamkor.feedback.services import (
    BadSurveyLink,
    ExpiredSurveyLink,
    add_comment,
    answer_survey,
    delete_own_comment,
    read_survey_token,
    submit_suggestion,
    toggle_reaction,
    toggle_vote,
    update_own_suggestion,
)
from hamkor.portal.session import portal_login_required


class PortalRequest(HttpRequest):
    portal_contact: Contact


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _post(request: PortalRequest, pk: uuid.UUID) -> Announcement:
    try:
        return selectors.get_published_announcement(contact=request.portal_contact, uuid=pk)
    except Announcement.DoesNotExist:
        raise Http404 from None


def _idea(request: PortalRequest, pk: uuid.UUID) -> Suggestion:
    try:
        return selectors.get_portal_suggestion(contact=request.portal_contact, uuid=pk)
    except Suggestion.DoesNotExist:
        raise Http404 from None


# --- News --------------------------------------------------------------------------------


@portal_login_required
@require_GET
def news(request: PortalRequest) -> HttpResponse:
    """Published posts for this customer, newest first."""
    posts = selectors.list_published_announcements(contact=request.portal_contact)[:50]
    return render(request, "feedback/portal/news.html", {"posts": posts, "portal_section": "news"})


def _thread_context(request: PortalRequest, post: Announcement, form: CommentForm) -> dict:  # type: ignore[type-arg]
    return {
        "post": post,
        "comments": selectors.list_portal_comments(announcement=post),
        "reactions": selectors.list_reaction_counts(
            announcement=post, contact=request.portal_contact
        ),
        "form": form,
        "contact": request.portal_contact,
        "portal_section": "news",
    }


@portal_login_required
@require_GET
def news_detail(request: PortalRequest, pk: uuid.UUID) -> HttpResponse:
    """A post, its reactions and the comments with staff answers."""
    post = _post(request, pk)
    return render(
        request, "feedback/portal/news_detail.html", _thread_context(request, post, CommentForm())
    )


@portal_login_required
@require_POST
def news_react(request: PortalRequest, pk: uuid.UUID) -> HttpResponse:
    """Give or take back one reaction; htmx redraws the reaction bar."""
    post = _post(request, pk)
    try:
        toggle_reaction(
            announcement=post, contact=request.portal_contact, kind=request.POST.get("kind", "")
        )
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400)
    if _is_htmx(request):
        reactions = selectors.list_reaction_counts(
            announcement=post, contact=request.portal_contact
        )
        return render(
            request, "feedback/portal/_reactions.html", {"post": post, "reactions": reactions}
        )
    return redirect("feedback_portal:news_detail", pk=post.uuid)


@portal_login_required
@require_POST
def news_comment(request: PortalRequest, pk: uuid.UUID) -> HttpResponse:
    """Comment on a post; on error the page comes back with the text kept."""
    post = _post(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = add_comment(
                announcement=post, contact=request.portal_contact, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            url = redirect("feedback_portal:news_detail", pk=post.uuid).url
            return redirect(f"{url}#comment-{comment.uuid}")
    return render(
        request,
        "feedback/portal/news_detail.html",
        _thread_context(request, post, form),
        status=400,
    )


@portal_login_required
@require_POST
def comment_delete(request: PortalRequest, pk: uuid.UUID) -> HttpResponse:
    """Delete one of the customer's own comments; anyone else's is a 404."""
    try:
        comment = selectors.get_own_comment(contact=request.portal_contact, uuid=pk)
    except Comment.DoesNotExist:
        raise Http404 from None
    post_uuid = comment.announcement.uuid
    delete_own_comment(comment=comment, contact=request.portal_contact)
    if _is_htmx(request):
        return HttpResponse("")
    messages.success(request, _("Your comment is deleted."))
    return redirect("feedback_portal:news_detail", pk=post_uuid)


# --- Ideas -------------------------------------------------------------------------------


@portal_login_required
@require_http_methods(["GET", "POST"])
def ideas(request: PortalRequest) -> HttpResponse:
    """Every public idea with votes and status, the customer's own, and a form for a new one."""
    contact = request.portal_contact
    form = SuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            idea = submit_suggestion(contact=contact, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Thank you! Your idea is on the board."))
            return redirect("feedback_portal:idea_detail", pk=idea.uuid)
    mine = request.GET.get("mine") == "1"
    status = request.GET.get("status", "")
    if status not in SuggestionStatus.values:
        status = ""
    ordering = "new" if request.GET.get("order") == "new" else "votes"
    rows = selectors.list_portal_suggestions(
        contact=contact, mine=mine, status=status, ordering=ordering
    )[:100]
    return render(
        request,
        "feedback/portal/ideas.html",
        {
            "ideas": rows,
            "form": form,
            "mine": mine,
            "status": status,
            "ordering": ordering,
            "statuses": SuggestionStatus.choices,
            "contact": contact,
            "portal_section": "ideas",
        },
        status=400 if form.errors else 200,
    )


@portal_login_required
@require_GET
def idea_detail(request: PortalRequest, pk: uuid.UUID) -> HttpResponse:
    """One idea with its votes, status and the public answer."""
    idea = _idea(request, pk)
    return render(
        request,
        "feedback/portal/idea_detail.html",
        {"idea": idea, "contact": request.portal_contact, "portal_section": "ideas"},
    )


@portal_login_required
@require_POST
def idea_vote(request: PortalRequest, pk: uuid.UUID) -> HttpResponse:
    """Vote for an idea or take the vote back; htmx redraws the vote button."""
    idea = _idea(request, pk)
    try:
        toggle_vote(suggestion=idea, contact=request.portal_contact)
    except Suggestion.DoesNotExist:
        raise Http404 from None
    if _is_htmx(request):
        return render(request, "feedback/portal/_vote.html", {"idea": _idea(request, pk)})
    if _safe_next(request):
        return redirect(request.POST["next"])
    return redirect("feedback_portal:idea_detail", pk=idea.uuid)


def _safe_next(request: HttpRequest) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


@portal_login_required
@require_http_methods(["GET", "POST"])
def idea_edit(request: PortalRequest, pk: uuid.UUID) -> HttpResponse:
    """The author rewords their idea (until staff give it a status); others get a 404."""
    try:
        idea = selectors.get_own_suggestion(contact=request.portal_contact, uuid=pk)
    except Suggestion.DoesNotExist:
        raise Http404 from None
    initial = {"title": idea.title, "description": idea.description}
    form = SuggestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_own_suggestion(
                suggestion=idea, contact=request.portal_contact, **form.cleaned_data
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your idea is updated."))
            return redirect("feedback_portal:idea_detail", pk=idea.uuid)
    return render(
        request,
        "feedback/portal/idea_form.html",
        {"idea": idea, "form": form, "portal_section": "ideas"},
        status=400 if form.errors else 200,
    )


# --- Survey answer (no sign-in: the signed link is the key) ------------------------------


def _link_problem(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(
        request, "feedback/portal/survey_problem.html", {"message": message}, status=status
    )


@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """Answer an NPS survey from the link in the message: 0–10 and an optional comment."""
    try:
        recipient_uuid = read_survey_token(token)
        recipient = selectors.get_recipient(uuid_hex=recipient_uuid)
    except BadSurveyLink:
        return _link_problem(
            request,
            _("This survey link is not valid. Please open the link from your message again."),
            400,
        )
    except ExpiredSurveyLink:
        return _link_problem(request, _("This survey has closed. Thank you all the same!"), 410)
    except SurveyRecipient.DoesNotExist:
        return _link_problem(request, _("This survey no longer exists."), 404)
    from django.utils import translation

    with translation.override(recipient.contact.language):
        if selectors.has_answered(recipient=recipient):
            return render(
                request, "feedback/portal/survey_thanks.html", {"already": True}, status=200
            )
        form = SurveyAnswerForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                answer_survey(
                    recipient=recipient,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return render(request, "feedback/portal/survey_thanks.html", {"already": False})
        return render(
            request,
            "feedback/portal/survey_answer.html",
            {"form": form, "survey": recipient.survey, "contact": recipient.contact},
            status=400 if form.errors else 200,
        )
