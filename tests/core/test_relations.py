import pytest

from hamkor.core.relations import reassign_relations
from tests.activities.factories import InteractionFactory
from tests.contacts.factories import ContactFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_reassign_relations_moves_every_reverse_foreign_key():
    old, new = ContactFactory(phone="+998901111111"), ContactFactory()
    InteractionFactory(contact=old)
    InteractionFactory(contact=old)

    report = reassign_relations(old=old, new=new)

    assert new.interactions.count() == 2
    assert new.phones.count() == 1
    assert report.moved["activities.interaction.contact"] == 2


def test_reassign_relations_unions_many_to_many():
    old, new = ContactFactory(), ContactFactory()
    old.tags.add(TagFactory(name="vip"))
    new.tags.add(TagFactory(name="cakes"))

    reassign_relations(old=old, new=new)

    assert sorted(new.tags.values_list("name", flat=True)) == ["cakes", "vip"]


def test_reassign_relations_honours_skip_list():
    keep = ContactFactory()
    old, new = ContactFactory(), ContactFactory()
    old.merged_into = keep
    old.save()
    other = ContactFactory(merged_into=old)

    reassign_relations(old=old, new=new, skip=frozenset({"contacts.contact.merged_into"}))

    other.refresh_from_db()
    assert other.merged_into == old
