"""Staff pages: the list of forms, the designer, and a form's page with embed code and posts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.webforms.forms import WebFormForm
from hamkor.webforms.models import SubmissionStatus, WebForm
from hamkor.webforms.selectors import can_manage_forms, get_form, list_forms, list_submissions
from hamkor.webforms.services import HONEYPOT_FIELD, UTM_KEYS, create_form, update_form
from hamkor.webforms.views.rendering import public_fields

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required ran first
    if not can_manage_forms(user):
        raise PermissionDenied(_("Only managers and administrators see web forms."))
    return user


def _load(user: User, uuid: str) -> WebForm:
    try:
        return get_form(viewer=user, uuid=uuid)
    except (WebForm.DoesNotExist, ValidationError):
        raise Http404 from None


@login_required
def form_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(request, "webforms/form_list.html", {"forms": list_forms(viewer=user)})


def _save(request: HttpRequest, user: User, instance: WebForm | None) -> HttpResponse:
    form = WebFormForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            if instance is None:
                saved = create_form(actor=user, values=form.to_input())
            else:
                saved = update_form(form=instance, actor=user, values=form.to_input())
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Form saved."))
            return redirect("webforms:form_detail", uuid=saved.uuid)
    return render(request, "webforms/form_edit.html", {"form": form, "webform": instance})


@login_required
def form_create(request: HttpRequest) -> HttpResponse:
    return _save(request, _user(request), None)


@login_required
def form_edit(request: HttpRequest, uuid: str) -> HttpResponse:
    user = _user(request)
    return _save(request, user, _load(user, uuid))


def embed_code(request: HttpRequest, webform: WebForm, *, script: bool) -> str:
    """The HTML a website pastes in: a plain form, or the same form with our small script."""
    html = render_to_string(
        "webforms/_snippet.html",
        {
            "form": webform,
            "rows": public_fields(webform, {}, {}),
            "values": {},
            "honeypot": HONEYPOT_FIELD,
            "utm_keys": UTM_KEYS,
            "action": request.build_absolute_uri(
                reverse("webforms_public:submit", args=[webform.uuid])
            ),
            "script": script,
            "script_url": request.build_absolute_uri(static("webforms/embed.js")),
            "send_label": _("Send"),
        },
    )
    # A plain str (not marked safe), so the page shows the code instead of rendering it.
    return "\n".join(line.rstrip() for line in html.splitlines() if line.strip())


@login_required
def form_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    user = _user(request)
    webform = _load(user, uuid)
    status = request.GET.get("status", "")
    if status not in SubmissionStatus.values:
        status = ""
    page = Paginator(list_submissions(viewer=user, form=webform, status=status), PAGE_SIZE)
    context = {
        "webform": webform,
        "plain_code": embed_code(request, webform, script=False),
        "script_code": embed_code(request, webform, script=True),
        "public_url": request.build_absolute_uri(
            reverse("webforms_public:submit", args=[webform.uuid])
        ),
        "page": page.get_page(request.GET.get("page")),
        "status": status,
        "base_query": f"status={status}" if status else "",
        "statuses": SubmissionStatus.choices,
    }
    template = (
        "webforms/_submissions.html" if request.htmx else "webforms/form_detail.html"  # type: ignore[attr-defined]
    )
    return render(request, template, context)
