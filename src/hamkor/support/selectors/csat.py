"""Reading satisfaction answers: the average per agent for the staff report."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count

from hamkor.accounts.models import User
from hamkor.support.models import SatisfactionAnswer
from hamkor.support.selectors.tickets import visible_tickets


@dataclass(frozen=True)
class AgentScore:
    agent_id: int | None
    agent_name: str
    answers: int
    average: float


def list_agent_scores(*, viewer: User) -> list[AgentScore]:
    """Average CSAT and number of answers per agent, over tickets the viewer sees; best first."""
    rows = (
        SatisfactionAnswer.objects.filter(ticket__in=visible_tickets(viewer))
        .values("agent_id")
        .annotate(answers=Count("id"), average=Avg("score"))
        .order_by("agent_id")
    )
    names = {
        user.pk: str(user)
        for user in User.objects.filter(pk__in=[r["agent_id"] for r in rows if r["agent_id"]])
    }
    scores = [
        AgentScore(
            agent_id=row["agent_id"],
            agent_name=names.get(row["agent_id"], ""),
            answers=row["answers"],
            average=round(float(row["average"]), 2),
        )
        for row in rows
    ]
    scores.sort(key=lambda s: (-s.average, -s.answers, s.agent_name))
    return scores
