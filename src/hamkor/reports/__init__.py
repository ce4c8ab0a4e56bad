"""Reports over each list: filter, group by, totals, and export as CSV, XLSX and PDF."""
