"""Data protection's pages: the audit trail and the read log (``audit``), a person's own data (``my_data``), their
views and forms. The URL names stay in the ``dashboards`` namespace."""
