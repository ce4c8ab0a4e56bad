"""Which writer handles which kind of import."""

from __future__ import annotations

from hamkor.imports.models import ImportEntity
from hamkor.imports.services.engine import Writer


def writer_for(entity: str) -> Writer:
    """A fresh writer (writers remember what they saw in the file)."""
    from hamkor.imports.services.companies import CompanyWriter
    from hamkor.imports.services.contacts import ContactWriter
    from hamkor.imports.services.orders import OrderWriter
    from hamkor.imports.services.products import ProductWriter

    writers: dict[str, type[Writer]] = {
        ImportEntity.CONTACT: ContactWriter,
        ImportEntity.COMPANY: CompanyWriter,
        ImportEntity.PRODUCT: ProductWriter,
        ImportEntity.ORDER: OrderWriter,
    }
    return writers[entity]()
