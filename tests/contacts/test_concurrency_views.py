"""Two people editing the same contact or company in the browser: the second save is told."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from hamkor.accounts.models import Role
from hamkor.contacts.models import Company, Contact, FieldType
from hamkor.contacts.services import define_custom_field
from tests.accounts.factories import UserFactory
from tests.contacts.factories import CompanyFactory, ContactFactory
from tests.contacts.test_views import contact_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(user):
    """A second seller of the same team, signed in on a browser of their own."""
    other = UserFactory(role=Role.SALES, team=user.team, first_name="Rustam", last_name="Asanov")
    browser = Client()
    browser.force_login(other)
    return browser


def hidden_version(response):
    match = re.search(
        r'<input type="hidden" name="version" value="(\d+)"', response.content.decode()
    )
    assert match, "the edit form carries no version"
    return match.group(1)


def typed_value(response, name):
    match = re.search(rf'name="{name}" value="([^"]*)"', response.content.decode())
    return html.unescape(match.group(1)) if match else None


def test_contact_edit_second_save_is_told_about_the_first(client, user, colleague):
    contact = ContactFactory(first_name="Dilnoza", last_name="Karimova", owner=user)
    url = reverse("contacts:edit", args=[contact.pk])
    version_a = hidden_version(colleague.get(url))
    version_b = hidden_version(client.get(url))

    colleague.post(url, contact_form(city="Samarkand", version=version_a))
    response = client.post(url, contact_form(job_title="Baker", version=version_b))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this contact while you were editing:" in page
    assert "Samarkand" in page
    assert "Rustam Asanov" in page
    assert typed_value(response, "job_title") == "Baker"
    contact.refresh_from_db()
    assert contact.city == "Samarkand"
    assert contact.job_title == ""


def test_contact_edit_saving_again_after_a_conflict_applies(client, user, colleague):
    contact = ContactFactory(first_name="Dilnoza", last_name="Karimova", owner=user)
    url = reverse("contacts:edit", args=[contact.pk])
    colleague.post(url, contact_form(city="Samarkand", version="1"))
    refused = client.post(url, contact_form(job_title="Baker", version="1"))

    response = client.post(url, contact_form(job_title="Baker", version=hidden_version(refused)))

    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.job_title == "Baker"
    # The deliberate second save sent the city as its form showed it: theirs is replaced.
    assert contact.city == ""
    assert contact.version == 3


def test_contact_edit_conflict_lists_phones_and_custom_fields_by_label(client, user, colleague):
    define_custom_field(entity="contact", key="vip", label="VIP level", field_type=FieldType.TEXT)
    contact = ContactFactory(first_name="Dilnoza", owner=user, phone="+998901234567")
    url = reverse("contacts:edit", args=[contact.pk])
    colleague.post(url, contact_form(phone_number=["+998935550000"], cf_vip="gold", version="1"))

    response = client.post(url, contact_form(version="1"))

    page = response.content.decode()
    assert "VIP level" in page
    assert "gold" in page
    assert "+998935550000" in page
    assert Contact.objects.get(pk=contact.pk).phones.get().number == "+998935550000"


def test_contact_edit_without_a_version_keeps_last_write_wins(client, user):
    contact = ContactFactory(first_name="Dilnoza", owner=user, city="Bukhara")
    url = reverse("contacts:edit", args=[contact.pk])

    response = client.post(url, contact_form(city="Khiva"))

    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.city == "Khiva"
    assert contact.version == 2


def company_form(**overrides):
    data = {"name": "Baraka Savdo", "phone": "", "email": "", "website": ""}
    data.update(overrides)
    return data


def test_company_edit_second_save_is_told_about_the_first(client, user, colleague):
    company = CompanyFactory(name="Baraka Savdo", owner=user)
    url = reverse("contacts:company_edit", args=[company.pk])
    colleague.post(url, company_form(city="Tashkent", version="1"))

    response = client.post(url, company_form(legal_name="Baraka LLC", version="1"))

    page = response.content.decode()
    assert "Someone else changed this company while you were editing:" in page
    assert "Tashkent" in page
    assert typed_value(response, "legal_name") == "Baraka LLC"
    assert hidden_version(response) == "2"
    company = Company.objects.get(pk=company.pk)
    assert (company.city, company.legal_name) == ("Tashkent", "")
