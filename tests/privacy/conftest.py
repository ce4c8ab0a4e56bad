import pytest


@pytest.fixture(autouse=True)
def _private_folders(settings, tmp_path):
    """Uploads and export zips in this test's own folders, so a scan sees only its files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
