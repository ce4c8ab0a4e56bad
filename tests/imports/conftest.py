from pathlib import Path

import pytest

from hamkor.accounts.models import Role
from hamkor.imports.services import guess_mapping, run_file
from hamkor.imports.services.readers import open_table
from tests.accounts.factories import UserFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def manager(db):
    return UserFactory(role=Role.MANAGER)


@pytest.fixture
def run_bytes(tmp_path, manager):
    """Write the bytes to a file and run the import on it (mapping guessed unless given)."""

    def run(content, *, name="file.csv", entity="contact", mapping=None, write=True, **options):
        path = Path(tmp_path) / name
        path.write_bytes(content)
        if mapping is None:
            with open_table(path, name=name) as table:
                mapping = guess_mapping(table.headers, entity)
        return run_file(
            path=path,
            name=name,
            entity=entity,
            mapping=mapping,
            duplicates=options.get("duplicates", "skip"),
            skip_bad_rows=options.get("skip_bad_rows", False),
            actor=options.get("actor", manager),
            write=write,
            chunk_size=options.get("chunk_size", 5000),
        )

    return run
