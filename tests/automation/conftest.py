import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a block queues on commit (signals, Huey jobs), as a real commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
