"""Signed, customer-facing links to an invoice's PDF (by UUID, never by id).

The token is the invoice's UUID signed with the secret key: a link cannot be made up for
another invoice, and it works without signing in, for as long as the secret key stays.
"""

from __future__ import annotations

import uuid

from django.core import signing
from django.urls import reverse

SALT = "hamkor.billing.invoice-pdf"


def invoice_token(invoice_uuid: uuid.UUID) -> str:
    return signing.Signer(salt=SALT).sign(str(invoice_uuid))


def uuid_from_token(token: str) -> uuid.UUID | None:
    """The UUID the token was made for, or None for a forged or damaged token."""
    try:
        return uuid.UUID(signing.Signer(salt=SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def public_pdf_path(invoice_uuid: uuid.UUID) -> str:
    return reverse("billing:public_pdf", args=[invoice_token(invoice_uuid)])
