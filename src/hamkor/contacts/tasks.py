"""Background jobs for contacts."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from hamkor.contacts import selectors, services


@db_task(retries=2, retry_delay=10)
def refresh_company_contacts_search(company_id: int) -> int:
    """A company was renamed: its contacts must be findable by the new name."""
    ids = selectors.list_company_contact_ids(company_id=company_id)
    return services.refresh_contacts_search(contact_ids=ids)
