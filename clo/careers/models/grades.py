"""Careers: grades."""

__all__: list[str] = []
