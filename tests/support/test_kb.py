"""Knowledge base: versions per language, search (title first), suggestions, publishing."""

import pytest
from django.core.exceptions import ValidationError

from hamkor.support.models import ArticleStatus
from hamkor.support.selectors.kb import (
    get_published_article,
    list_published,
    search_articles,
    suggest_articles,
)
from hamkor.support.services.kb import create_article, delete_version, save_version
from tests.accounts.factories import UserFactory
from tests.support.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def titles(hits):
    return [hit.title for hit in hits]


def test_search_ranks_title_matches_first():
    ArticleFactory(versions={"en": ("Payment methods", "We also deliver to your door.")})
    ArticleFactory(versions={"en": ("Delivery areas", "Tashkent and Chirchiq.")})

    hits = search_articles(q="deliver", language="en", published_only=True)

    assert titles(hits) == ["Delivery areas", "Payment methods"]


def test_search_ignores_case_in_cyrillic():
    ArticleFactory(versions={"ru": ("Сроки ДОСТАВКИ", "Два дня.")})

    hits = search_articles(q="доставки", language="ru", published_only=True)

    assert titles(hits) == ["Сроки ДОСТАВКИ"]


def test_portal_search_leaves_drafts_out_and_staff_search_keeps_them():
    ArticleFactory(status=ArticleStatus.DRAFT, versions={"en": ("Refund rules", "Draft.")})

    assert search_articles(q="refund", language="en", published_only=True) == []
    assert titles(search_articles(q="refund", language="en", published_only=False)) == [
        "Refund rules"
    ]


def test_reader_gets_their_language_and_falls_back_to_another():
    both = ArticleFactory(
        versions={"en": ("Opening hours", "9 to 18."), "uz": ("Ish vaqti", "9 dan 18 gacha.")}
    )
    only_russian = ArticleFactory(versions={"ru": ("Адреса магазинов", "Чиланзар.")})

    assert get_published_article(article_uuid=both.uuid, language="uz").title == "Ish vaqti"
    assert get_published_article(article_uuid=both.uuid, language="ky").title == "Opening hours"
    hit = get_published_article(article_uuid=only_russian.uuid, language="uz")
    assert (hit.title, hit.language) == ("Адреса магазинов", "ru")


def test_a_draft_is_not_published():
    draft = ArticleFactory(status=ArticleStatus.DRAFT)

    with pytest.raises(draft.DoesNotExist):
        get_published_article(article_uuid=draft.uuid, language="en")
    assert list_published(language="en") == []


def test_suggest_articles_matches_words_of_a_subject():
    ArticleFactory(versions={"en": ("When will my order arrive?", "Orders arrive in two days.")})
    ArticleFactory(versions={"en": ("Cake sizes", "From 1 to 5 kg.")})

    hits = suggest_articles(subject="my order did not arrive", language="en")

    assert titles(hits) == ["When will my order arrive?"]


def test_suggest_articles_for_a_subject_with_nothing_in_common():
    ArticleFactory(versions={"en": ("Cake sizes", "From 1 to 5 kg.")})

    assert suggest_articles(subject="invoice copy", language="en") == []


def test_create_article_validates_and_saves_nothing_on_error():
    with pytest.raises(ValidationError):
        create_article(actor=UserFactory(), language="fr", title="", body="")

    assert not search_articles(q="a", language="en", published_only=False)


def test_save_version_rewrites_one_language():
    article = ArticleFactory(versions={"en": ("Old title", "Old text.")})

    save_version(article=article, language="en", title="New title", body="New.", actor=None)
    save_version(article=article, language="ky", title="Жаңы", body="Текст.", actor=None)

    assert sorted(article.versions.values_list("language", "title")) == [
        ("en", "New title"),
        ("ky", "Жаңы"),
    ]
    assert titles(search_articles(q="new title", language="en", published_only=True)) == [
        "New title"
    ]


def test_the_last_version_cannot_be_deleted():
    article = ArticleFactory()

    with pytest.raises(ValidationError):
        delete_version(version=article.versions.get(), actor=UserFactory())
