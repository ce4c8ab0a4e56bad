"""Reading the knowledge base: staff lists, search, and the portal's published articles.

Search is a case-folded substring match over title and text (``ArticleVersion.search_text``),
the same on SQLite and PostgreSQL; articles whose title matches come first. Readers get the
version in their language, else the organisation's language, else English, else any.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet

from hamkor.support.models import Article, ArticleCategory, ArticleStatus, ArticleVersion
from hamkor.support.services.kb import search_key

MAX_RESULTS = 50
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class ArticleHit:
    """An article as a reader sees it: in the chosen language version."""

    article: Article
    version: ArticleVersion

    @property
    def title(self) -> str:
        return self.version.title

    @property
    def language(self) -> str:
        return self.version.language


def language_order(language: str) -> list[str]:
    """The languages to try, best first."""
    order = [language, str(settings.LANGUAGE_CODE), "en"]
    return list(dict.fromkeys(code for code in order if code))


def pick_version(versions: Sequence[ArticleVersion], language: str) -> ArticleVersion | None:
    """The version for a reader of ``language`` (with the fallbacks above)."""
    by_language = {version.language: version for version in versions}
    for code in language_order(language):
        if code in by_language:
            return by_language[code]
    return min(versions, key=lambda v: v.language) if versions else None


def list_categories() -> QuerySet[ArticleCategory]:
    return ArticleCategory.objects.order_by("position", "name", "id")


def list_articles(*, status: str = "", category_id: int | None = None) -> QuerySet[Article]:
    """Articles for the staff list, most recently changed first, with their versions."""
    articles = Article.objects.select_related("category").prefetch_related("versions")
    if status:
        articles = articles.filter(status=status)
    if category_id:
        articles = articles.filter(category_id=category_id)
    return articles.order_by("-updated_at", "-id")


def get_article(*, pk: int) -> Article:
    """One article (any status) for staff; Article.DoesNotExist otherwise."""
    return Article.objects.select_related("category").prefetch_related("versions").get(pk=pk)


def _rank(articles: Sequence[Article], terms: Sequence[str], language: str) -> list[ArticleHit]:
    scored = []
    for article in articles:
        versions = list(article.versions.all())
        version = pick_version(versions, language)
        if version is None:
            continue
        title_hits = sum(1 for term in terms if any(term in v.title_key for v in versions))
        text_hits = sum(1 for term in terms if any(term in v.search_text for v in versions))
        # Title matches first, then how many words matched, then the newest.
        scored.append(
            ((-title_hits, -text_hits, -article.updated_at.timestamp()), article, version)
        )
    scored.sort(key=lambda item: item[0])
    return [ArticleHit(article=article, version=version) for _key, article, version in scored]


def search_articles(
    *, q: str, language: str, published_only: bool, limit: int = 20, any_word: bool = False
) -> list[ArticleHit]:
    """Articles whose title or text holds ``q`` (or, with ``any_word``, any of its words)."""
    phrase = search_key(q)
    if not phrase:
        return []
    terms = [w for w in _WORD.findall(phrase) if len(w) >= 3] if any_word else [phrase]
    if not terms:
        return []
    match = Q()
    for term in terms:
        match |= Q(search_text__contains=term)
    ids = ArticleVersion.objects.filter(match).values("article_id")
    articles = Article.objects.filter(pk__in=ids)
    if published_only:
        articles = articles.filter(status=ArticleStatus.PUBLISHED)
    candidates = list(
        articles.select_related("category")
        .prefetch_related("versions")
        .order_by("-updated_at")[: MAX_RESULTS * 4]
    )
    return _rank(candidates, terms, language)[:limit]


def suggest_articles(*, subject: str, language: str, limit: int = 5) -> list[ArticleHit]:
    """Published articles that may answer a ticket subject as the customer types it."""
    hits = search_articles(q=subject, language=language, published_only=True, limit=limit)
    if hits:
        return hits
    return search_articles(
        q=subject, language=language, published_only=True, limit=limit, any_word=True
    )


def list_published(*, language: str, category_id: int | None = None) -> list[ArticleHit]:
    """Published articles for the help centre, by category then title, in the reader's language."""
    articles = list_articles(status=ArticleStatus.PUBLISHED, category_id=category_id)
    hits = []
    for article in articles[:500]:
        version = pick_version(list(article.versions.all()), language)
        if version is not None:
            hits.append(ArticleHit(article=article, version=version))
    hits.sort(
        key=lambda hit: (
            hit.article.category.position if hit.article.category else 10**6,
            hit.article.category.name if hit.article.category else "",
            hit.title.casefold(),
        )
    )
    return hits


def get_published_article(*, article_uuid: uuid.UUID, language: str) -> ArticleHit:
    """A published article in the reader's language; Article.DoesNotExist otherwise."""
    article = (
        Article.objects.filter(status=ArticleStatus.PUBLISHED)
        .select_related("category")
        .prefetch_related("versions")
        .get(uuid=article_uuid)
    )
    version = pick_version(list(article.versions.all()), language)
    if version is None:
        raise Article.DoesNotExist
    return ArticleHit(article=article, version=version)
