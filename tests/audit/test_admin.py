"""Edits in the Django admin reach the audit trail with who, where and before → after."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from hamkor.audit.admin import AuditedAdmin, audit_admin_site
from hamkor.contacts.models import Company, Contact, Source
from hamkor.core.models import AuditEvent
from tests.accounts.factories import UserFactory, make_authenticator
from tests.audit.admin_forms import admin_form
from tests.contacts.factories import CompanyFactory, ContactFactory, SourceFactory

pytestmark = pytest.mark.django_db

IP = "203.0.113.7"


@pytest.fixture
def superuser(client):
    user = UserFactory(username="root", role="admin", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _admin_events(**filters):
    return list(AuditEvent.objects.filter(verb__startswith="admin.", **filters).order_by("id"))


def test_admin_change_records_who_where_and_before_after(client, superuser):
    contact = ContactFactory(first_name="Aziza", city="Samarkand")
    url = f"/admin/contacts/contact/{contact.pk}/change/"
    data = admin_form(client, url) | {"first_name": ["Azizaxon"], "city": ["Bukhara"]}

    response = client.post(url, data, REMOTE_ADDR=IP, HTTP_USER_AGENT="Firefox/140")

    assert response.status_code == 302
    [event] = _admin_events()
    assert (event.verb, event.target_type, event.target_id) == (
        "admin.changed",
        "contacts.contact",
        str(contact.pk),
    )
    assert event.actor == superuser
    assert (event.ip, event.via, event.user_agent) == (IP, "web", "Firefox/140")
    assert event.request == f"POST {url}"
    assert event.data["changed"]["first_name"] == ["Aziza", "Azizaxon"]
    assert event.data["changed"]["city"] == ["Samarkand", "Bukhara"]
    assert "last_name" not in event.data["changed"]


def test_admin_change_shows_on_the_records_history_page(client, superuser):
    contact = ContactFactory(first_name="Aziza")
    url = f"/admin/contacts/contact/{contact.pk}/change/"
    client.post(url, admin_form(client, url) | {"first_name": ["Azizaxon"]})

    page = client.get(f"/audit/contacts.contact/{contact.pk}/").content.decode()

    assert "admin.changed" in page
    assert "Azizaxon" in page


def test_admin_save_without_changes_records_no_changed_fields(client, superuser):
    company = CompanyFactory(name="Oqtepa")
    url = f"/admin/contacts/company/{company.pk}/change/"

    client.post(url, admin_form(client, url))

    [event] = _admin_events()
    assert {name for name in event.data["changed"] if name != "updated_at"} == set()


def test_admin_add_records_the_new_values(client, superuser):
    url = "/admin/contacts/source/add/"

    client.post(
        url, admin_form(client, url) | {"name": ["Billboard by the bazaar"], "position": ["4"]}
    )

    source = Source.objects.get(name="Billboard by the bazaar")
    [event] = _admin_events()
    assert (event.verb, event.target_id, event.actor) == ("admin.added", str(source.pk), superuser)
    assert event.data["changed"]["name"] == ["", "Billboard by the bazaar"]
    assert event.data["changed"]["position"] == ["", "4"]


def test_admin_refused_form_records_nothing(client, superuser):
    url = "/admin/contacts/source/add/"

    response = client.post(url, admin_form(client, url) | {"name": [""]})

    assert response.status_code == 200
    assert _admin_events() == []


def test_admin_delete_records_the_values_the_record_had(client, superuser):
    company = CompanyFactory(name="Oqtepa", city="Tashkent")
    url = f"/admin/contacts/company/{company.pk}/delete/"

    client.post(url, {"post": "yes"}, REMOTE_ADDR=IP)

    assert not Company.objects.filter(pk=company.pk).exists()
    [event] = _admin_events()
    assert (event.verb, event.target_type, event.target_id) == (
        "admin.deleted",
        "contacts.company",
        str(company.pk),
    )
    assert (event.actor, event.ip) == (superuser, IP)
    assert event.data["changed"]["name"] == ["Oqtepa", ""]
    assert event.data["changed"]["city"] == ["Tashkent", ""]
    assert event.data["object"] == "Oqtepa"


def test_admin_delete_selected_records_one_event_per_object(client, superuser):
    doomed = [ContactFactory(first_name=name) for name in ("Aziza", "Bobur", "Dilnoza")]
    kept = ContactFactory(first_name="Kamola")

    response = client.post(
        "/admin/contacts/contact/",
        {
            "action": "delete_selected",
            "_selected_action": [str(contact.pk) for contact in doomed],
            "post": "yes",
        },
        REMOTE_ADDR=IP,
    )

    assert response.status_code == 302
    assert list(Contact.objects.values_list("pk", flat=True)) == [kept.pk]
    events = _admin_events(verb="admin.deleted")
    assert sorted(event.target_id for event in events) == sorted(str(c.pk) for c in doomed)
    assert {event.data["changed"]["first_name"][0] for event in events} == {
        "Aziza",
        "Bobur",
        "Dilnoza",
    }
    assert {(event.actor, event.ip, event.via) for event in events} == {(superuser, IP, "web")}


def test_admin_deleting_ones_own_user_keeps_the_event_without_the_actor(client, superuser):
    url = f"/admin/accounts/user/{superuser.pk}/delete/"

    client.post(url, {"post": "yes"}, REMOTE_ADDR=IP)

    [event] = _admin_events()
    assert (event.verb, event.target_id, event.actor, event.ip) == (
        "admin.deleted",
        str(superuser.pk),
        None,
        IP,
    )
    assert event.data["changed"]["username"] == ["root", ""]


def test_admin_inline_changes_join_the_parents_event(client, superuser):
    contact = ContactFactory(phone="+998901234567")
    phone = contact.phones.get()
    url = f"/admin/contacts/contact/{contact.pk}/change/"
    data = admin_form(client, url) | {"phones-0-number": ["+998935550000"]}

    client.post(url, data)

    [event] = _admin_events()
    assert event.data["changed"][f"phones[{phone.pk}].number"] == [
        "+998901234567",
        "+998935550000",
    ]


def test_admin_list_editable_change_is_recorded(client, superuser):
    source = SourceFactory(name="Radio", position=1)
    url = "/admin/contacts/source/"
    data = admin_form(client, url)
    # Migrations seed a few sources of their own: find the row of this one.
    [row] = [
        key.removesuffix("-id")
        for key, value in data.items()
        if key.endswith("-id") and value == [str(source.pk)]
    ]
    data |= {f"{row}-position": ["7"], "_save": ["Save"]}

    response = client.post(url, data)

    assert response.status_code == 302
    [event] = _admin_events()
    assert (event.verb, event.target_id) == ("admin.changed", str(source.pk))
    assert event.data["changed"]["position"] == ["1", "7"]


def test_admin_user_groups_are_recorded_as_ids(client, superuser):
    user = UserFactory(username="seller", is_staff=True)
    group = Group.objects.create(name="Cashiers")
    url = f"/admin/accounts/user/{user.pk}/change/"

    client.post(url, admin_form(client, url) | {"groups": [str(group.pk)]})

    [event] = _admin_events()
    assert event.target_type == "accounts.user"
    assert event.data["changed"]["groups"] == ["", str(group.pk)]


def test_admin_password_change_is_recorded_without_the_hash(client, superuser):
    user = UserFactory(username="seller")
    old_hash = user.password
    url = f"/admin/accounts/user/{user.pk}/password/"

    response = client.post(
        url, {"password1": "new horse battery 9", "password2": "new horse battery 9"}
    )

    assert response.status_code == 302
    [event] = _admin_events()
    assert (event.verb, event.target_id) == ("admin.changed", str(user.pk))
    assert event.data["changed"]["password"] == ["[hidden]", "[hidden]"]
    user.refresh_from_db()
    stored = str(event.data)
    assert old_hash not in stored
    assert user.password not in stored


def test_admin_two_factor_device_key_stays_out_of_the_log(client, superuser):
    device = make_authenticator(superuser)
    url = f"/admin/otp_totp/totpdevice/{device.pk}/delete/"

    client.post(url, {"post": "yes"})

    [event] = _admin_events()
    assert event.data["changed"]["key"] == ["[hidden]", ""]
    assert device.key not in str(event.data)


def test_every_model_on_the_admin_site_is_audited():
    unaudited = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedAdmin)
    ]

    assert unaudited == []


def test_audit_admin_site_keeps_each_admins_own_behaviour():
    site = admin.AdminSite(name="spare")

    class ReadOnlyAdmin(admin.ModelAdmin):
        def has_delete_permission(self, request, obj=None):
            return False

    site.register(ContentType, ReadOnlyAdmin)

    audit_admin_site(site)
    audit_admin_site(site)

    model_admin = site._registry[ContentType]
    assert isinstance(model_admin, AuditedAdmin)
    assert isinstance(model_admin, ReadOnlyAdmin)
    assert type(model_admin).__mro__.count(AuditedAdmin) == 1
    assert model_admin.has_delete_permission(None) is False
