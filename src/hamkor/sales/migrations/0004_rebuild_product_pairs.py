"""Rebuild product pairs together with the orders they came from (``PairedOrder``).

Pair counts are now kept up to date by deltas per order, which needs to know what each order
added; counts built before that cannot be taken apart, so both tables are rebuilt from the
orders, in one streaming pass (the same as ``recompute_product_pairs``).
"""

from collections import Counter
from itertools import combinations, groupby
from operator import itemgetter

from django.db import migrations

COUNTED_STATUSES = ("confirmed", "paid")
BATCH_SIZE = 5000


def rebuild(apps, schema_editor):
    OrderLine = apps.get_model("sales", "OrderLine")
    ProductPair = apps.get_model("sales", "ProductPair")
    PairedOrder = apps.get_model("sales", "PairedOrder")
    rows = (
        OrderLine.objects.filter(order__status__in=COUNTED_STATUSES, product__isnull=False)
        .values_list("order_id", "product_id")
        .distinct()
        .order_by("order_id", "product_id")
        .iterator(chunk_size=20000)
    )
    counts = Counter()
    batch = []
    PairedOrder.objects.all().delete()
    for order_id, group in groupby(rows, key=itemgetter(0)):
        products = [product_id for _order, product_id in group]
        if len(products) < 2:
            continue
        counts.update(combinations(products, 2))
        batch.append(PairedOrder(order_id=order_id, products=",".join(map(str, products))))
        if len(batch) >= BATCH_SIZE:
            PairedOrder.objects.bulk_create(batch)
            batch = []
    PairedOrder.objects.bulk_create(batch)
    ProductPair.objects.all().delete()
    pairs = []
    for (first, second), orders in counts.items():
        pairs.append(ProductPair(product_id=first, other_id=second, orders=orders))
        pairs.append(ProductPair(product_id=second, other_id=first, orders=orders))
    ProductPair.objects.bulk_create(pairs, batch_size=BATCH_SIZE)


class Migration(migrations.Migration):
    dependencies = [("sales", "0003_paired_orders")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
