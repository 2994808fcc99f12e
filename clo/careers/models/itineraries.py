"""Careers: itineraries."""

__all__: list[str] = []
