import pytest
from django.urls import reverse
from django.utils import translation

from hamkor.accounts.models import ApiToken, Role
from hamkor.accounts.selectors import list_assignable_users
from hamkor.accounts.services import authenticate_token, issue_token, set_user_time_zone
from tests.accounts.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(client):
    user = UserFactory(username="dilnoza", role=Role.SALES)
    client.force_login(user)
    return user


def test_login_page_signs_in_and_goes_home(client):
    UserFactory(username="rustam")

    response = client.post(
        reverse("login"), {"username": "rustam", "password": "correct horse battery"}
    )

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_login_page_with_wrong_password_says_so(client):
    UserFactory(username="rustam")

    response = client.post(reverse("login"), {"username": "rustam", "password": "nope"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_logout_signs_out(client, user):
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_profile_requires_login(client):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_profile_saves_language_and_time_zone(client, user):
    response = client.post(
        reverse("accounts:profile"), {"language": "ru", "time_zone": "Asia/Bishkek"}
    )

    user.refresh_from_db()
    assert response.status_code == 302
    assert (user.language, user.time_zone) == ("ru", "Asia/Bishkek")


def test_profile_rejects_unknown_time_zone_beside_the_field(client, user):
    response = client.post(reverse("accounts:profile"), {"language": "", "time_zone": "Mars/Base"})

    assert response.context["preferences"].errors["time_zone"]
    user.refresh_from_db()
    assert user.time_zone == ""


def test_create_token_shows_the_secret_once(client, user):
    response = client.post(reverse("accounts:token_create"), {"name": "web shop"})
    secret = response.context["new_secret"]
    again = client.get(reverse("accounts:profile"))

    assert secret in response.content.decode()
    assert authenticate_token(secret) == user
    assert "web shop" in again.content.decode()
    assert secret not in again.content.decode()


def test_create_token_without_name_shows_error(client, user):
    response = client.post(reverse("accounts:token_create"), {"name": ""})

    assert response.context["token_form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_revoke_token_stops_it_working(client, user):
    issued = issue_token(user=user, name="web shop")

    response = client.post(reverse("accounts:token_revoke", args=[issued.token.pk]), follow=True)

    assert "was revoked" in response.content.decode()
    assert authenticate_token(issued.secret) is None


def test_revoke_someone_elses_token_is_404(client, user):
    issued = issue_token(user=UserFactory(), name="theirs")

    response = client.post(reverse("accounts:token_revoke", args=[issued.token.pk]))

    assert response.status_code == 404
    assert authenticate_token(issued.secret) is not None


def test_language_switch_saves_the_users_language_and_translates(client, user):
    response = client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    home = client.get(reverse("home"))

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.language == "ru"
    assert home["Content-Language"] == "ru"


def test_language_switch_works_signed_out(client):
    response = client.post(reverse("set_language"), {"language": "uz", "next": "/login/"})

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "uz"


def test_pages_show_the_language_switcher(client, user):
    response = client.get(reverse("home"))

    assert f'action="{reverse("set_language")}"' in response.content.decode()
    assert 'value="ky"' in response.content.decode()


def test_htmx_is_served_from_our_static_files(client, user):
    page = client.get(reverse("home")).content.decode()

    assert "/static/django_htmx/htmx-2.min.js" in page
    assert "https://" not in page


def test_unknown_page_shows_our_404(client, user):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()


def test_set_user_time_zone_accepts_blank_for_the_default():
    user = UserFactory(time_zone="Asia/Bishkek")

    set_user_time_zone(user=user, time_zone="")

    user.refresh_from_db()
    assert user.time_zone == ""


def test_list_assignable_users_is_the_team_for_sales_and_everyone_for_managers():
    team = TeamFactory(name="Shop")
    sales = UserFactory(team=team, role=Role.SALES)
    colleague = UserFactory(team=team)
    outsider = UserFactory(team=TeamFactory(name="Agency"))
    manager = UserFactory(role=Role.MANAGER, team=team)

    assert set(list_assignable_users(viewer=sales)) == {sales, colleague, manager}
    assert outsider in set(list_assignable_users(viewer=manager))


@pytest.mark.django_db
def test_login_page_labels_follow_the_browser_language(client):
    with translation.override("uz"):
        username_uz = translation.gettext("Username")

    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="uz")

    assert username_uz != "Username"
    assert username_uz in response.content.decode()
