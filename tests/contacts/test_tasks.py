import uuid

import pytest
from huey import RedisHuey
from huey.contrib.djhuey import HUEY

from hamkor.config.settings import huey_config
from hamkor.contacts.tasks import refresh_company_contacts_search
from tests.contacts.factories import CompanyFactory, ContactFactory


def test_huey_config_uses_redis_when_url_is_set(tmp_path):
    config = huey_config(
        redis_url="redis://127.0.0.1:6379/3", var_dir=tmp_path, immediate=False, workers=4
    )

    assert config["huey_class"] == "huey.RedisHuey"
    assert config["url"] == "redis://127.0.0.1:6379/3"
    assert config["consumer"]["workers"] == 4


def test_huey_config_defaults_to_sqlite_file_in_var(tmp_path):
    config = huey_config(redis_url="", var_dir=tmp_path, immediate=False, workers=2)

    assert config["huey_class"] == "huey.SqliteHuey"
    assert config["filename"] == str(tmp_path / "huey.sqlite3")


@pytest.fixture
def redis_queue(redis_url):
    """Point the project's Huey at a real Redis queue for one test."""
    saved_storage = HUEY.storage
    HUEY.immediate = False
    queue = RedisHuey(name=f"hamkor-test-{uuid.uuid4().hex[:8]}", url=redis_url)
    HUEY.storage = queue.storage
    yield HUEY
    HUEY.storage.flush_all()
    HUEY.immediate = True
    HUEY.storage = saved_storage


@pytest.mark.django_db(transaction=True)
def test_company_rename_job_runs_through_redis_exactly_once(redis_queue):
    company = CompanyFactory(name="Old Name")
    contact = ContactFactory(company=company)
    company.name = "Shirin Tort"
    company.save()

    refresh_company_contacts_search(company.pk)

    assert redis_queue.pending_count() == 1
    task = redis_queue.dequeue()
    assert redis_queue.dequeue() is None  # a second worker finds nothing to run
    redis_queue.execute(task)
    contact.refresh_from_db()
    assert "shirin tort" in contact.search_text
