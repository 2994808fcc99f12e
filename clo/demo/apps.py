from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo council and the benchmarks: on top of every layer, imported by nothing but the tests."""

    name = "clo.demo"
    label = "demo"
