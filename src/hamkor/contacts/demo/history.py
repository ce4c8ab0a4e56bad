"""Demo consents and a few months of interactions."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Sequence

from hamkor.accounts.models import Role
from hamkor.activities.models import Channel, Direction, Outcome
from hamkor.activities.services import log_interaction
from hamkor.contacts.demo.common import _Context
from hamkor.contacts.demo_data import AGENCY_EVENTS, BODIES, SHOP_EVENTS, TASHKENT
from hamkor.contacts.models import ConsentChannel, ConsentMethod, Contact
from hamkor.contacts.services import record_consent

HISTORY_DAYS = 120
# Interactions per contact by stage; others get 2 to 6.
HISTORY_LENGTH: dict[str, int] = {"lead": 1, "prospect": 2, "churned": 2}


def _record_consents(context: _Context, contacts: Sequence[Contact]) -> None:
    rng = context.rng
    methods = (ConsentMethod.IN_PERSON, ConsentMethod.WEB_FORM, ConsentMethod.MESSAGE)
    for contact in contacts:
        if rng.random() < 0.5:
            continue
        channel = rng.choice((ConsentChannel.SMS, ConsentChannel.TELEGRAM, ConsentChannel.EMAIL))
        granted = rng.random() < 0.85
        record_consent(
            contact=contact,
            channel=channel,
            granted=granted,
            method=rng.choice(methods),
            actor=contact.owner,
            note="" if granted else "Asked not to receive offers.",
        )


def _moment(context: _Context, days_ago: int, time_zone: str) -> datetime.datetime:
    """A working-hours moment some days ago in the contact's time zone, never in the future."""
    rng = context.rng
    local_day = context.today - datetime.timedelta(days=days_ago)
    local = datetime.datetime.combine(
        local_day,
        datetime.time(rng.randrange(9, 19), rng.randrange(60)),
        tzinfo=zoneinfo.ZoneInfo(time_zone),
    )
    return min(local, context.now - datetime.timedelta(minutes=rng.randrange(5, 600)))


def _log_history(context: _Context, contacts: Sequence[Contact]) -> int:
    rng = context.rng
    logged = 0
    for contact in contacts:
        agency = contact.team_id == context.teams["Bishkek agency"].pk
        events = AGENCY_EVENTS if agency else SHOP_EVENTS
        weights = [event[4] for event in events]
        count = HISTORY_LENGTH.get(contact.stage, rng.randrange(2, 7))
        team_users = [
            u
            for u in context.users.values()
            if u.team_id == contact.team_id and u.role != Role.FINANCE
        ]
        for _index in range(count):
            channel, direction, subject, outcome, _weight = rng.choices(events, weights)[0]
            log_interaction(
                actor=rng.choice(team_users),
                contact=contact,
                values={
                    "channel": channel,
                    "direction": direction,
                    "subject": subject,
                    "body": rng.choice(BODIES),
                    "outcome": outcome,
                    "occurred_at": _moment(context, rng.randrange(HISTORY_DAYS), contact.time_zone),
                },
            )
            logged += 1
    for companies in context.companies.values():
        for company in companies[:5]:
            log_interaction(
                actor=company.owner or context.users["rustam"],
                company=company,
                values={
                    "channel": Channel.VISIT,
                    "direction": Direction.OUT,
                    "subject": "Quarterly meeting with the management",
                    "outcome": Outcome.SUCCESSFUL,
                    "occurred_at": _moment(context, rng.randrange(HISTORY_DAYS), TASHKENT),
                },
            )
            logged += 1
    return logged
