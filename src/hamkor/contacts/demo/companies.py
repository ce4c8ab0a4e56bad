"""Demo companies for each team."""

from __future__ import annotations

import datetime
import re

from hamkor.contacts.demo.common import _Context, _phone, _sellers, _weighted
from hamkor.contacts.demo_data import COMPANIES, INDUSTRIES, REGIONS, SOURCE_WEIGHTS, STREETS
from hamkor.contacts.services import create_company
from hamkor.contacts.text import latin


def _create_companies(context: _Context, count: int) -> int:
    rng = context.rng
    created = 0
    per_team = {
        team: names[: max(1, count * len(names) // 40)] for team, names in COMPANIES.items()
    }
    for region in REGIONS:
        context.companies[region.team] = []
        for name in per_team[region.team]:
            owner = rng.choice(_sellers(context, region.team))
            slug = "-".join(re.findall(r"[a-z0-9]+", latin(name).replace("'", "")))
            tax_digits = 9 if region.country_code == "998" else 14
            company = create_company(
                values={
                    "name": name,
                    "phone": _phone(rng, region),
                    "email": f"info@{slug}.example",
                    "website": f"https://{slug}.example/",
                    "city": region.cities[0],
                    "address": rng.choice(STREETS[region.team]).format(
                        n=rng.randrange(1, 120), m=rng.randrange(1, 60)
                    ),
                    "tax_id": f"{rng.randrange(10 ** (tax_digits - 1), 10**tax_digits)}",
                    "source": context.sources[_weighted(rng, SOURCE_WEIGHTS)],
                    "owner": owner,
                },
                actor=owner,
                tags=["corporate"] if rng.random() < 0.5 else [],
                custom_fields={
                    "industry": rng.choice(INDUSTRIES),
                    "contract_date": (
                        context.today - datetime.timedelta(days=rng.randrange(30, 900))
                    ).isoformat(),
                },
            )
            context.companies[region.team].append(company)
            created += 1
    return created
