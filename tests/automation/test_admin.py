import pytest

from tests.accounts.factories import UserFactory
from tests.automation.factories import WebhookEndpointFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/automation/rule/",
        "/admin/automation/rulerun/",
        "/admin/automation/webhookendpoint/",
        "/admin/automation/webhookdelivery/",
    ],
)
def test_automation_admin_pages_open_for_administrators(client, url):
    WebhookEndpointFactory()
    client.force_login(UserFactory(role="admin", is_staff=True, is_superuser=True))

    assert client.get(url).status_code == 200
