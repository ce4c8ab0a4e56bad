"""Writes for the knowledge base: categories, articles and their language versions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.contacts.models import Language
from hamkor.core.audit import record_event
from hamkor.support.models import Article, ArticleCategory, ArticleStatus, ArticleVersion


def search_key(text: str) -> str:
    """Text as search compares it: case-folded, whitespace collapsed."""
    return " ".join(text.casefold().split())


@transaction.atomic
def save_category(
    *, name: str, actor: User, category: ArticleCategory | None = None, position: int = 0
) -> ArticleCategory:
    """Create or rename a category."""
    category = category or ArticleCategory()
    category.name, category.position = name.strip(), position
    category.full_clean()
    category.save()
    record_event(
        actor=actor, verb="kb.category_saved", target=category, data={"name": category.name}
    )
    return category


@transaction.atomic
def create_article(
    *,
    actor: User,
    language: str,
    title: str,
    body: str,
    category: ArticleCategory | None = None,
    status: str = ArticleStatus.DRAFT,
) -> Article:
    """A new article with its first language version."""
    article = Article(category=category, status=status, created_by=actor)
    article.full_clean(exclude=["uuid"])
    version = ArticleVersion(language=language, title=title.strip(), body=body.strip())
    version.full_clean(exclude=["article"])
    article.save()
    version.article = article
    _save_version(version)
    record_event(
        actor=actor, verb="kb.article_created", target=article, data={"language": language}
    )
    return article


@transaction.atomic
def update_article(
    *, article: Article, actor: User, category: ArticleCategory | None, status: str
) -> Article:
    """Change the article's category or publish / unpublish it."""
    article.category, article.status = category, status
    article.full_clean(exclude=["uuid"])
    article.save()
    record_event(actor=actor, verb="kb.article_updated", target=article, data={"status": status})
    return article


def _save_version(version: ArticleVersion) -> None:
    version.title_key = search_key(version.title)
    version.search_text = search_key(f"{version.title}\n{version.body}")
    version.save()


@transaction.atomic
def save_version(
    *, article: Article, language: str, title: str, body: str, actor: User
) -> ArticleVersion:
    """Write (or rewrite) the article's text in one language."""
    if language not in Language.values:
        raise ValidationError({"language": _("Choose a language.")})
    version = ArticleVersion.objects.filter(article=article, language=language).first()
    version = version or ArticleVersion(article=article, language=language)
    version.title, version.body = title.strip(), body.strip()
    version.full_clean(exclude=["article"], validate_unique=False)
    _save_version(version)
    Article.objects.filter(pk=article.pk).update(updated_at=version.updated_at)
    record_event(actor=actor, verb="kb.version_saved", target=article, data={"language": language})
    return version


@transaction.atomic
def delete_version(*, version: ArticleVersion, actor: User) -> None:
    """Remove one language version; the last one cannot go (delete the article instead)."""
    article = version.article
    if article.versions.count() <= 1:
        raise ValidationError(_("An article needs at least one language version."))
    language = version.language
    version.delete()
    record_event(
        actor=actor, verb="kb.version_deleted", target=article, data={"language": language}
    )


@transaction.atomic
def delete_article(*, article: Article, actor: User) -> None:
    """Remove an article and all of its versions."""
    record_event(actor=actor, verb="kb.article_deleted", target=article, data={})
    article.delete()
