"""`hamkor privacy export|erase|retention`: data-subject requests and retention from a shell
(see docs/privacy.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hamkor.contacts.models import Contact
from hamkor.privacy.selectors import get_subject
from hamkor.privacy.services import (
    dry_run_policy,
    erase_contact,
    export_contact,
    get_policy,
    run_policy,
)


class Command(BaseCommand):
    help = "Export or erase one person's data; dry-run or run the retention policy."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser(
            "export", help="Write a zip of everything held about one contact."
        )
        export.add_argument("contact_id", type=int)
        export.add_argument("--output", default="", help="The zip to write (default: here).")
        erase = actions.add_parser("erase", help="Anonymize one contact everywhere (irreversible).")
        erase.add_argument("contact_id", type=int)
        erase.add_argument("--yes", action="store_true", help="Confirm: this cannot be undone.")
        retention = actions.add_parser("retention", help="Dry-run or run the retention policy.")
        retention.add_argument(
            "--dry-run", action="store_true", help="List what would be erased; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "retention":
            self._retention(dry_run=options["dry_run"])
            return
        try:
            contact = get_subject(pk=options["contact_id"])
        except Contact.DoesNotExist:
            raise CommandError(
                _("There is no contact with id %(id)s.") % {"id": options["contact_id"]}
            ) from None
        if action == "export":
            self._export(contact, options["output"])
        else:
            self._erase(contact, confirmed=options["yes"])

    def _export(self, contact: Contact, output: str) -> None:
        path = Path(output or f"contact-{contact.pk}-export.zip")
        if path.is_dir():
            raise CommandError(_("%(path)s is a folder; give a file name.") % {"path": path})
        if not path.parent.is_dir():
            raise CommandError(_("The folder %(path)s does not exist.") % {"path": path.parent})
        request = export_contact(contact=contact, actor=None, output=path.resolve())
        records = sum(v for k, v in request.summary.items() if k != "files")
        self.stdout.write(
            ngettext(
                "Exported %(records)s record and %(files)s files of contact %(id)s to %(path)s.",
                "Exported %(records)s records and %(files)s files of contact %(id)s to %(path)s.",
                records,
            )
            % {
                "records": records,
                "files": request.summary["files"],
                "id": contact.pk,
                "path": path,
            }
        )

    def _erase(self, contact: Contact, *, confirmed: bool) -> None:
        if not confirmed:
            raise CommandError(
                _("Erasing contact %(id)s cannot be undone; add --yes to go ahead.")
                % {"id": contact.pk}
            )
        request = erase_contact(contact=contact, actor=None)
        self.stdout.write(
            _("Erased contact %(id)s (request %(request)s); orders and invoices were kept.")
            % {"id": contact.pk, "request": request.pk}
        )

    def _retention(self, *, dry_run: bool) -> None:
        policy = get_policy()
        if dry_run:
            result = dry_run_policy(policy=policy, actor=None)
            self.stdout.write(
                ngettext(
                    "%(count)s lead without interaction for %(months)s months would be erased.",
                    "%(count)s leads without interaction for %(months)s months would be erased.",
                    result.run.matched,
                )
                % {"count": result.run.matched, "months": policy.months}
            )
            for contact in result.sample:
                self.stdout.write(f"  #{contact.pk} {contact.full_name}")
            return
        try:
            run = run_policy(policy=policy)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if run.error:
            raise CommandError(
                _("The run stopped after %(deleted)s leads: %(error)s")
                % {"deleted": run.deleted, "error": run.error}
            )
        self.stdout.write(
            ngettext(
                "Erased and deleted %(count)s lead.",
                "Erased and deleted %(count)s leads.",
                run.deleted,
            )
            % {"count": run.deleted}
        )
