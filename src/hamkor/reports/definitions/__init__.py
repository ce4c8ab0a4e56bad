"""The reports: one short declaration per list, each reading through its app's selector.

Every source is that app's visibility rule for its list pages, so a report shows exactly
the records the viewer could open there. Importing this package registers them all.
"""

# The order of the imports is the order of the report list.
# isort: off
from hamkor.reports.definitions import people
from hamkor.reports.definitions import selling
from hamkor.reports.definitions import work
from hamkor.reports.definitions import money

# isort: on
__all__ = ["money", "people", "selling", "work"]
