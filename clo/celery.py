"""The Celery application of clo (standard Django layout). Configuration lives in settings, prefix CELERY_."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clo.settings")

app = Celery("clo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
