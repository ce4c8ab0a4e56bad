"""Staff pages of the knowledge base: list and search, new article, edit, language versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamkor.contacts.models import Language
from hamkor.contacts.views.common import AuthedRequest, wants_partial
from hamkor.support.forms import ArticleForm, ArticleSettingsForm, CategoryForm, VersionForm
from hamkor.support.models import Article, ArticleStatus, ArticleVersion
from hamkor.support.permissions import manages_support
from hamkor.support.selectors.kb import (
    get_article,
    list_articles,
    list_categories,
    pick_version,
    search_articles,
)
from hamkor.support.services.kb import (
    create_article,
    delete_article,
    save_category,
    save_version,
    update_article,
)
from hamkor.support.views.common import apply_errors, require_manager


def _article(pk: int) -> Article:
    try:
        return get_article(pk=pk)
    except Article.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def article_list(request: AuthedRequest) -> HttpResponse:
    """All articles (drafts too) for staff; ``q`` searches titles and texts."""
    q = request.GET.get("q", "")[:100].strip()
    status = request.GET.get("status", "")
    language = translation.get_language() or "en"
    if q:
        hits = search_articles(q=q, language=language, published_only=False, limit=50)
        rows: list[tuple[Article, ArticleVersion | None]] = [
            (hit.article, hit.version) for hit in hits
        ]
        if status in ArticleStatus.values:
            rows = [row for row in rows if row[0].status == status]
    else:
        articles = list_articles(status=status if status in ArticleStatus.values else "")[:200]
        rows = [(a, pick_version(list(a.versions.all()), language)) for a in articles]
    context = {
        "rows": rows,
        "q": q,
        "status": status,
        "statuses": ArticleStatus.choices,
        "can_edit": manages_support(request.user),
        "categories": list_categories(),
        "category_form": CategoryForm(),
    }
    template = (
        "support/_article_results.html" if wants_partial(request) else "support/article_list.html"
    )
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def article_new(request: AuthedRequest) -> HttpResponse:
    require_manager(request)
    form = ArticleForm(
        request.POST or None, initial={"language": translation.get_language() or "en"}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            article = create_article(
                actor=request.user,
                language=data["language"],
                title=data["title"],
                body=data["body"],
                category=data["category"],
                status=data["status"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The article was saved."))
            return redirect("support:article_detail", pk=article.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "support/article_new.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def article_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One article: its settings (category, status) and each language version."""
    article = _article(pk)
    form = ArticleSettingsForm(
        request.POST or None,
        initial={"category": article.category_id, "status": article.status},
    )
    if request.method == "POST":
        require_manager(request)
        if form.is_valid():
            try:
                update_article(
                    article=article,
                    actor=request.user,
                    category=form.cleaned_data["category"],
                    status=form.cleaned_data["status"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The article was saved."))
                return redirect("support:article_detail", pk=article.pk)
    versions = {version.language: version for version in article.versions.all()}
    shown = pick_version(list(versions.values()), translation.get_language() or "en")
    context = {
        "article": article,
        "title": shown.title if shown else str(article),
        "form": form,
        "languages": [(code, label, versions.get(code)) for code, label in Language.choices],
        "can_edit": manages_support(request.user),
    }
    return render(
        request,
        "support/article_detail.html",
        context,
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def version_edit(request: AuthedRequest, pk: int, language: str) -> HttpResponse:
    """Write the article's text in one language."""
    require_manager(request)
    article = _article(pk)
    if language not in Language.values:
        raise Http404
    existing = next((v for v in article.versions.all() if v.language == language), None)
    initial = {"title": existing.title, "body": existing.body} if existing else {}
    form = VersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save_version(
                article=article,
                language=language,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                actor=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The article was saved."))
            return redirect("support:article_detail", pk=article.pk)
    context = {
        "article": article,
        "form": form,
        "language_label": Language(language).label,
        "existing": existing,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "support/version_edit.html", context, status=status)


@login_required
@require_POST
def article_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    require_manager(request)
    delete_article(article=_article(pk), actor=request.user)
    messages.success(request, _("The article was deleted."))
    return redirect("support:article_list")


@login_required
@require_POST
def category_new(request: AuthedRequest) -> HttpResponse:
    require_manager(request)
    form = CategoryForm(request.POST)
    if form.is_valid():
        try:
            save_category(name=form.cleaned_data["name"], actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The category was added."))
    else:
        messages.error(request, _("Give the category a name."))
    return redirect("support:article_list")


urlpatterns: list[URLPattern] = [
    path("articles/", article_list, name="article_list"),
    path("articles/new/", article_new, name="article_new"),
    path("articles/<int:pk>/", article_detail, name="article_detail"),
    path("articles/<int:pk>/delete/", article_delete, name="article_delete"),
    path("articles/<int:pk>/<str:language>/", version_edit, name="version_edit"),
    path("categories/new/", category_new, name="category_new"),
]
