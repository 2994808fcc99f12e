"""The versioned REST API (``/api/v1/``) for the HR system's sync and for BI: it reads through selectors and writes
through services and the import engine, like the pages (DESIGN.md)."""
