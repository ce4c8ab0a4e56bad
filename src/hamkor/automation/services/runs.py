"""Running a rule for one occurrence: conditions, then actions in order, logged once.

A run is keyed by (rule, occurrence key). The run row and every action's writes commit in
one transaction, so a retry after a crash starts clean, and a second worker running the
same occurrence hits the unique key and does nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkor.automation.models import Rule, RuleRun, RunStatus
from hamkor.automation.services.actions import PERFORMERS, ActionSkipped, Occurrence
from hamkor.automation.services.conditions import first_failing

logger = logging.getLogger(__name__)

# Rules whose actions cause events that start rules again stop after this many links.
MAX_CHAIN = 3
_chain: ContextVar[int] = ContextVar("automation_chain", default=0)


def current_chain() -> int:
    """How many rule runs deep the current code runs (0 outside any rule)."""
    return _chain.get()


@contextmanager
def chain_depth(depth: int) -> Iterator[None]:
    """Mark work as done by a rule ``depth`` links down a chain of rules."""
    token = _chain.set(depth)
    try:
        yield
    finally:
        _chain.reset(token)


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or error.__class__.__name__


def _label(occurrence: Occurrence) -> str:
    try:
        return str(occurrence.target)[:255]
    except Exception:
        return ""


def execute_run(*, rule: Rule, occurrence: Occurrence) -> RuleRun | None:
    """Run the rule once for the occurrence; None when it already ran (or is running)."""
    if RuleRun.objects.filter(rule=rule, key=occurrence.key).exists():
        return None
    try:
        with transaction.atomic():
            run = RuleRun.objects.create(
                rule=rule,
                key=occurrence.key[:120],
                event_id=occurrence.event_id,
                target_type=occurrence.target._meta.label_lower,
                target_id=str(occurrence.target.pk),
                target_label=_label(occurrence),
                status=RunStatus.OK,
                started_at=timezone.now(),
            )
            _perform(run, rule, occurrence)
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "message", "steps", "finished_at"])
    except IntegrityError:
        # The same occurrence was run by another worker a moment ago.
        if RuleRun.objects.filter(rule=rule, key=occurrence.key).exists():
            return None
        raise
    logger.info(
        "automation rule ran",
        extra={"rule": rule.pk, "key": occurrence.key, "status": run.status},
    )
    return run


def _perform(run: RuleRun, rule: Rule, occurrence: Occurrence) -> None:
    failing = first_failing(occurrence.target, rule.conditions)
    if failing:
        run.status, run.message = RunStatus.SKIPPED, failing[:500]
        return
    steps: list[dict[str, str]] = []
    failed = False
    for position, action in enumerate(rule.actions, start=1):
        kind = str(action.get("type", ""))
        if failed:
            steps.append(
                {
                    "action": kind,
                    "status": RunStatus.SKIPPED,
                    "message": _("Not tried: an earlier action failed."),
                }
            )
            continue
        try:
            with transaction.atomic():
                message = PERFORMERS[kind](rule, action, occurrence, position)
            steps.append({"action": kind, "status": RunStatus.OK, "message": message})
        except ActionSkipped as skipped:
            steps.append({"action": kind, "status": RunStatus.SKIPPED, "message": str(skipped)})
        except (ValidationError, PermissionDenied, ObjectDoesNotExist) as error:
            failed = True
            steps.append({"action": kind, "status": RunStatus.FAILED, "message": _message(error)})
        except Exception as error:
            # The action's savepoint is rolled back; the run is still logged as failed
            # rather than lost, and the traceback goes to the log.
            logger.exception("automation action crashed", extra={"rule": rule.pk, "action": kind})
            failed = True
            steps.append({"action": kind, "status": RunStatus.FAILED, "message": _message(error)})
    run.steps = steps
    if failed:
        run.status = RunStatus.FAILED
        run.message = _("An action failed; the ones after it were not tried.")
    elif steps and all(step["status"] == RunStatus.SKIPPED for step in steps):
        run.status = RunStatus.SKIPPED
        run.message = _("Nothing to do for this record.")
    else:
        run.status = RunStatus.OK
