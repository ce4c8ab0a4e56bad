"""Writes and use cases for marketing; one module per area, public names re-exported here."""

from __future__ import annotations

from hamkor.marketing.services.campaigns import (
    CampaignInput,
    attribute_contact,
    attribute_from_utm,
    create_campaign,
    delete_campaign,
    update_campaign,
)
from hamkor.marketing.services.segments import (
    SegmentInput,
    create_segment,
    delete_segment,
    freeze_segment,
    unfreeze_segment,
    update_segment,
)
from hamkor.marketing.services.sends import (
    SendPreview,
    create_send,
    handle_inbound_sms,
    is_stop_request,
    list_unsubscribe_headers,
    preview_send,
    read_unsubscribe_token,
    run_send,
    run_send_batch,
    unsubscribe,
    unsubscribe_token,
    unsubscribe_url,
)

__all__ = [
    "CampaignInput",
    "SegmentInput",
    "SendPreview",
    "attribute_contact",
    "attribute_from_utm",
    "create_campaign",
    "create_segment",
    "create_send",
    "delete_campaign",
    "delete_segment",
    "freeze_segment",
    "handle_inbound_sms",
    "is_stop_request",
    "list_unsubscribe_headers",
    "preview_send",
    "read_unsubscribe_token",
    "run_send",
    "run_send_batch",
    "unfreeze_segment",
    "unsubscribe",
    "unsubscribe_token",
    "unsubscribe_url",
    "update_campaign",
    "update_segment",
]
