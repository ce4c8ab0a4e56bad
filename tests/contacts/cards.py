"""Opening a contact card in tests as a browser does: the page, then its late parts.

The card loads its secondary panels and the duplicate hint with htmx right after the page
(``hx-trigger="load"``); ``open_card`` fetches each one and puts it where its placeholder
stands, so tests read what a user ends up seeing.
"""

import re

LATE_PART = re.compile(r'<div[^>]*\bhx-get="(?P<url>[^"]+)"[^>]*\bhx-trigger="load"[^>]*></div>')


def open_card(client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    html = page.content.decode()

    def fetch(match: re.Match[str]) -> str:
        part = client.get(match.group("url").replace("&amp;", "&"), HTTP_HX_REQUEST="true")
        assert part.status_code == 200, (match.group("url"), part.status_code)
        return part.content.decode()

    return LATE_PART.sub(fetch, html)
