"""Background jobs for imports: run a queued check or import."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from hamkor.imports.services import run_job


@db_task(retries=2, retry_delay=10)
def run_import_task(job_id: int) -> None:
    """Run the job; a job already imported (or finished) is left alone, so retries are safe."""
    run_job(job_id=job_id)
