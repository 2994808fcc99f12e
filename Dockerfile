# syntax=docker/dockerfile:1
# clo: one image for web (gunicorn), worker and beat (Celery). See README, "Production".
FROM python:3.11-slim-bookworm

# PYTHONPATH: the code under /app (with its templates, static files and translations) is what runs, ahead of the
# copy that `pip install .` puts in site-packages.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media

# Pango, HarfBuzz and fonts for WeasyPrint (PDFs); gettext for compilemessages; OpenLDAP's client library for
# python-ldap (LDAP / Active Directory sign-in).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fonts-dejavu-core fonts-liberation gettext libldap-2.5-0 libsasl2-2 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 clo \
    && useradd --system --uid 10001 --gid clo --home-dir /app --no-create-home --shell /usr/sbin/nologin clo

WORKDIR /app

# The runtime dependencies of pyproject.toml at the versions of requirements.lock (no dev extras), in their own
# layer so that a code change does not reinstall them.
COPY pyproject.toml requirements.lock ./
# python-ldap is built from source: its compiler and headers are removed in the same layer.
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/dependencies.txt \
    && apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev libldap2-dev libsasl2-dev \
    && pip install -c requirements.lock -r /tmp/dependencies.txt \
    && apt-get purge -y --auto-remove gcc libc6-dev libldap2-dev libsasl2-dev && rm -rf /var/lib/apt/lists/* \
    && rm /tmp/dependencies.txt

COPY . .
RUN pip install -c requirements.lock . \
    && rm -rf build ./*.egg-info

# Static files and compiled translations belong to the image (read-only, owned by root). The secret below exists
# only for this build step: production settings refuse to load without one.
RUN mkdir -p locale var media \
    && DJANGO_ENV=production \
       DJANGO_SECRET_KEY=build-time-only-dummy-secret-key-not-used-at-runtime-0123456789 \
       python manage.py collectstatic --no-input \
    && python manage.py compilemessages \
    && chown clo:clo var media

USER clo

EXPOSE 8000

# Production settings redirect plain HTTP and accept only DJANGO_ALLOWED_HOSTS: speak as the TLS proxy would.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request as u; host = (os.environ.get('DJANGO_ALLOWED_HOSTS') or 'localhost').split(',')[0].strip().lstrip('.*') or 'localhost'; u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': host, 'X-Forwarded-Proto': 'https'}), timeout=4)"

CMD ["sh", "-c", "exec gunicorn clo.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
