"""Importing contacts, companies, products and orders from CSV, XLSX, vCard and Google files."""
