"""Careers: badges."""

__all__: list[str] = []
