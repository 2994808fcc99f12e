"""Settings of clo, read from the environment (see README, "Environment").

Nothing set gives the embedded default: a SQLite file, Celery tasks run eagerly in-process, an in-memory cache,
DEBUG on. ``DATABASE_URL`` switches to PostgreSQL (pooled psycopg 3), ``REDIS_URL`` to the Redis broker and cache,
``DJANGO_ENV=production`` to the hardened settings that pass ``manage.py check --deploy``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from clo.core.env import database_from_url, env_bool, env_choice, env_int, env_list, env_str, redis_url

BASE_DIR = Path(__file__).resolve().parent.parent

DJANGO_ENV = env_choice("DJANGO_ENV", ("development", "production", "test"), "development")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY: required when DJANGO_ENV=production")
    SECRET_KEY = "dev-only-insecure-key-not-for-production-use-0123456789abcdefghij"
if PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY: must be at least 50 characters long in production")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "modeltranslation",  # must come before django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # Django's form templates found by the project's engine (FORM_RENDERER below)
    "django_htmx",
    "template_partials",
    "ninja",  # django-ninja's vendored Swagger UI (its static files): without it the docs page would use a CDN
    "axes",
    "auditlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "clo.core",
    "clo.core.imports",
    "clo.people",
    "clo.accounts",
    "competencies",
    "evaluations",
    "programs",
    "clo.talent",
    "clo.careers",
    "clo.dashboards",
    "clo.api",
    "clo.demo",  # the demo council and the benchmarks (seed_demo, demo_accounts, bench_*): on top of every layer
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): a TOTP or recovery code was given
    "clo.accounts.mfa.MfaRequiredMiddleware",  # the roles of MFA_ROLES enrol / verify before any other page
    "auditlog.middleware.AuditlogMiddleware",  # the actor of the audit entries written during a request
    "clo.core.security.RequestGuardMiddleware",  # 413 over UPLOAD_MAX_BYTES; logs 403/404 to "clo.security"
    "clo.core.security.NoStoreMiddleware",  # Cache-Control: no-store for signed-in users and every download
    "clo.accounts.middleware.InactiveSignOutMiddleware",  # a deactivated employee's session ends at its next request
    "clo.core.replica.ReplicaReadsMiddleware",  # boards and exports read the replica, if any (read-your-writes kept)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the lockout page
]

ROOT_URLCONF = "clo.urls"
WSGI_APPLICATION = "clo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clo.people.context_processors.navigation",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]
# Every field shown with ``{{ field.as_field_group }}`` uses the project's field template (required fields marked).
FORM_RENDERER = "clo.core.forms.FormRenderer"

# --- Database -------------------------------------------------------------------------------------------------
_pg = database_from_url("DATABASE_URL", pool=env_bool("DATABASE_POOL", default=True))
if _pg:
    DATABASES = {"default": _pg}
    # A streaming replica (hot standby) for the pages that only read: clo/core/replica.py. In the tests it mirrors
    # the primary; tests/core/test_replica.py starts a real standby.
    _replica = database_from_url("DATABASE_REPLICA_URL", pool=env_bool("DATABASE_POOL", default=True))
    if _replica:
        _replica["OPTIONS"].setdefault("connect_timeout", "2")
        _replica["TEST"] = {"MIRROR": "default"}
        DATABASES["replica"] = _replica
elif env_str("DATABASE_REPLICA_URL"):
    raise ImproperlyConfigured("DATABASE_REPLICA_URL: a replica needs DATABASE_URL (PostgreSQL) for the primary")
else:
    SQLITE_PATH = Path(env_str("SQLITE_PATH", str(BASE_DIR / "var" / "clo.sqlite3")))
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)  # the embedded default works from a fresh clone
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "timeout": 20,
            },
        }
    }
    # Covering indexes (INCLUDE columns) are PostgreSQL's: SQLite builds the index or the unique constraint on the
    # key columns alone (evaluations.CurrentLevel keeps its plain unique constraint: migration 0008), same rules.
    SILENCED_SYSTEM_CHECKS = ["models.W039", "models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASE_ROUTERS = ["clo.core.replica.ReplicaRouter"]
# The views whose reads go to the replica (patterns of view names): boards, the people behind them, exports and
# reports. Everything else, every write and every read inside a write reads the primary.
DATABASE_REPLICA_VIEWS = env_list("DATABASE_REPLICA_VIEWS", [
    "home", "dashboard_clo", "dashboard_director", "dashboard_critical", "dashboard_people", "dashboard_employee",
    "dashboard_training_results", "dashboard_export", "dashboard_people_export", "*:*_export", "*_export",
])
DATABASE_REPLICA_MAX_LAG_SECONDS = env_int("DATABASE_REPLICA_MAX_LAG_SECONDS", 10, minimum=0)
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 5, minimum=0)
DATABASE_REPLICA_CHECK_SECONDS = env_int("DATABASE_REPLICA_CHECK_SECONDS", 2, minimum=0)

# --- Cache, broker, Celery ------------------------------------------------------------------------------------
REDIS_URL = redis_url("REDIS_URL")
if REDIS_URL:
    # Pages never depend on Redis being up: an unreachable cache is a miss (clo.core.cache), reached within 0.5 s.
    CACHES = {"default": {"BACKEND": "clo.core.cache.TolerantRedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "clo"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 1500, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 1800, minimum=1)
# The visibility timeout must exceed the longest task, or Redis re-delivers a task that is still running.
# A job whose worker was lost does not wait for it: a restarted worker (and a beat job every 5 minutes) queues the
# interrupted jobs again (clo/celery.py); the broker's own redelivery after the visibility timeout finds them done.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 1800, "socket_connect_timeout": 2}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queueing from a request must not hang while Redis is down: a short connect timeout and two quick retries, then
# the page says the job could not be queued (clo.core.tasks.QueueUnavailable).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
# A benchmark's workers (bench_pdf --workers) use a queue of their own, so nothing else's messages mix with theirs.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "clo") or "clo"
# Items per chunk of a bulk PDF job (clo.core.bulk_pdf): the unit of work one Celery worker takes at a time.
BULK_PDF_CHUNK = env_int("BULK_PDF_CHUNK", 25, minimum=1)
CELERY_TIMEZONE = "Europe/Madrid"
# The periodic jobs, all of them here (times in CELERY_TIMEZONE); each names a task registered by an app's tasks.py.
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE: dict = {
    # Gap analysis. Shortly after midnight the expiry sweep re-consolidates the levels whose evidence expired that
    # day; every night a full run recomputes and repairs every roll-up and adds a trend point; on Sunday morning a
    # second run re-consolidates every level from all the evidence (a safety net for evidence written around the
    # services, e.g. an import).
    "gaps-expiry-sweep": {"task": "evaluations.gaps_sweep_expired", "schedule": crontab(hour=0, minute=20)},
    "gaps-nightly": {"task": "evaluations.gaps_full_run", "schedule": crontab(hour=1, minute=30),
                     "kwargs": {"trigger": "nightly"}},
    "gaps-weekly-full-consolidation": {"task": "evaluations.gaps_full_run",
                                       "schedule": crontab(hour=3, minute=30, day_of_week="sunday"),
                                       "kwargs": {"trigger": "nightly", "full_consolidation": True}},
    # Every morning, the raters of campaigns closing in 7 days or tomorrow who have not answered yet get an email (at
    # most one a day per assessment).
    "assessment-deadline-reminders": {"task": "evaluations.assessment_reminders_send",
                                      "schedule": crontab(hour=8, minute=0)},
    # Every morning, the reminder to directors who submitted no need, sent once per campaign a week before its
    # deadline (the service claims it, so a second run sends nothing).
    "needs-campaign-reminders": {"task": "programs.needs_send_reminders", "schedule": crontab(hour=8, minute=0)},
    # Every morning, the satisfaction questionnaires of the sessions that ended and the 90-day transfer follow-ups
    # (each sent once, whatever the runs).
    "feedback-reaction-invitations": {"task": "programs.feedback_send_reaction_invitations",
                                      "schedule": crontab(hour=7, minute=30)},
    "feedback-transfer-follow-ups": {"task": "programs.feedback_send_transfer_follow_ups",
                                     "schedule": crontab(hour=7, minute=40)},
    # Every night, the training roll-up recomputed whole (the safety net for writes made around the services, such as
    # the admin or a program's cost edited).
    "training-rollup-rebuild": {"task": "programs.training_rollup_rebuild", "schedule": crontab(hour=1, minute=10)},
    # On the first of each month at 06:00 (after the night's gap analysis), the previous month's report.
    "dashboards-monthly-report": {"task": "dashboards.monthly_report",
                                  "schedule": crontab(day_of_month=1, hour=6, minute=0)},
    # The 2nd of every month at 04:15, away from the nightly gap run and the monthly report of the 1st.
    "data-retention": {"task": "core.retention_run", "schedule": crontab(minute=15, hour=4, day_of_month=2)},
    # Every 5 minutes, the long jobs whose worker (or message) was lost are queued again (a restarted worker does it
    # at once: clo/celery.py RESUME_TASKS).
    "gaps-resume-lost": {"task": "evaluations.gaps_resume_lost", "schedule": crontab(minute="*/5")},
    "plan-pdf-jobs-resume-lost": {"task": "programs.plan_pdf_jobs_resume_lost", "schedule": crontab(minute="*/5")},
    "invitation-jobs-resume-lost": {"task": "accounts.invitation_jobs_resume_lost", "schedule": crontab(minute="*/5")},
    "record-pdf-jobs-resume-lost": {"task": "careers.record_pdf_jobs_resume_lost", "schedule": crontab(minute="*/5")},
    # Every morning, the mentor and the director of each knowledge-transfer plan with handover items overdue or due
    # within a week (at most one reminder a week per plan; the service claims the plan).
    "transfer-plan-reminders": {"task": "talent.transfer_reminders_send", "schedule": crontab(hour=8, minute=10)},
    # Every night, the verifiable badges: those a completion missed are issued, the itineraries whose programs are
    # all completed get theirs, and the badges whose completion was annulled are revoked.
    "badges-sweep": {"task": "careers.badges_sweep", "schedule": crontab(hour=2, minute=40)},
    # Every morning, the challenge-project applications no director answered in time go to the learning office.
    "project-applications-escalate": {"task": "talent.project_applications_escalate",
                                      "schedule": crontab(hour=7, minute=50)},
    # Every 10 minutes, the LMS's new completions from the Learning Record Store (nothing when none is configured).
    "xapi-pull": {"task": "api.xapi_pull", "schedule": crontab(minute="*/10")},
}

# --- Auth -----------------------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Invitations (clo.accounts): the link to set a password is valid for this many days.
INVITATION_DAYS = env_int("INVITATION_DAYS", 14, minimum=1)
# Two-factor authentication (TOTP, django-otp): the groups whose members, when they sign in with a local password,
# enrol or give a code before any other page. Empty: nobody.
# Two-step sign-in for local passwords of these groups. On by default in production; off in the embedded default, so
# that the demo council's accounts printed by `make run` open at once (set MFA_ROLES to try it there).
MFA_ROLES = env_list("MFA_ROLES", ["learning_office", "hr", "data_protection"] if PRODUCTION else [])
OTP_TOTP_ISSUER = env_str("MFA_ISSUER", "clo")

# --- Internationalisation -------------------------------------------------------------------------------------
LANGUAGE_CODE = "ca"
LANGUAGES = [("ca", _("Catalan")), ("es", _("Spanish")), ("en", _("English"))]
MODELTRANSLATION_DEFAULT_LANGUAGE = "ca"
MODELTRANSLATION_LANGUAGES = ("ca", "es", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("ca", "en", "es")
LOCALE_PATHS = [BASE_DIR / "locale"]
# Long dates as the council writes them in English ("6 December 2026"); Catalan and Spanish keep Django's formats
# (the Catalan months carry their preposition in locale/ca: "6 de desembre", "6 d'octubre").
FORMAT_MODULE_PATH = ["clo.formats"]
TIME_ZONE = "Europe/Madrid"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "media/"
# Every file under MEDIA_ROOT is private (workbooks, reports, zips of learning plans, uploads): no URL serves it, a
# view that checks who asks does (clo.core.downloads). Inside, or holding, a static folder, whitenoise or
# collectstatic would publish it.
for _public in (STATIC_ROOT, *STATICFILES_DIRS):
    if MEDIA_ROOT.resolve().is_relative_to(_public.resolve()) or _public.resolve().is_relative_to(MEDIA_ROOT.resolve()):
        raise ImproperlyConfigured(
            f"MEDIA_ROOT: {MEDIA_ROOT} must not be inside, or hold, the static files folder {_public} (private files "
            "would be published)"
        )
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Email ----------------------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# Where the file-based backend (django.core.mail.backends.filebased.EmailBackend) writes the messages.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "formacio@ajuntament.example")

# --- Product --------------------------------------------------------------------------------------------------
CLO_ORGANISATION_NAME = env_str("CLO_ORGANISATION_NAME", "Ajuntament de Vilamar")
# The site's address as people reach it (e.g. https://formacio.ajuntament.example), for links in emails.
CLO_BASE_URL = env_str("CLO_BASE_URL", "").rstrip("/")
# Learning plans: how many months ahead an action is due when no session of its program is scheduled sooner (and how
# far ahead the catalogue's sessions are looked for).
CLO_PLAN_HORIZON_MONTHS = env_int("CLO_PLAN_HORIZON_MONTHS", 6, minimum=1)
# Funding follow-up and justification (programs.selectors.funding): a completed participant counts as justified when
# they attended at least this percentage of the program's hours (the funding body's attendance rule).
CLO_FUNDING_ATTENDANCE_PERCENT = env_int("CLO_FUNDING_ATTENDANCE_PERCENT", 75, minimum=0)
if CLO_FUNDING_ATTENDANCE_PERCENT > 100:
    raise ImproperlyConfigured("CLO_FUNDING_ATTENDANCE_PERCENT must be between 0 and 100.")
# Succession (issue 17): the holders of a critical position retiring within this many years need a knowledge-transfer
# plan (clo.talent.selectors.transfer.holders_without_transfer_plan; the bench-strength board counts them).
CLO_SUCCESSION_HORIZON_YEARS = env_int("CLO_SUCCESSION_HORIZON_YEARS", 2, minimum=1)
# Verifiable badges (clo.careers.services.badges): the issuer's private key that signs the Open Badges 3.0
# credentials (VC-JWT, RS256), a JWK (JSON) or a PEM, from CLO_BADGE_SIGNING_KEY or the file CLO_BADGE_SIGNING_KEY_FILE
# (a secret, never in the repository). Unset: a key is generated at first use into CLO_BADGE_DEV_KEY_PATH (var/, for
# development and tests; refused in production).
CLO_BADGE_SIGNING_KEY = env_str("CLO_BADGE_SIGNING_KEY", "")
CLO_BADGE_DEV_KEY_PATH = Path(env_str("CLO_BADGE_DEV_KEY_PATH", str(BASE_DIR / "var" / "badge-signing-key.pem")))
# Rotation: the keys that signed earlier badges, from CLO_BADGE_PREVIOUS_KEYS or CLO_BADGE_PREVIOUS_KEYS_FILE (PEM
# blocks one after another, a JWK or a JWKS; public halves are enough). They sign nothing more; the JWKS keeps
# publishing them so that the badges they signed still verify.
CLO_BADGE_PREVIOUS_KEYS = env_str("CLO_BADGE_PREVIOUS_KEYS", "")
# Challenge projects (issue 19): the days an applicant's director has to answer an application before it goes to the
# learning office (clo.talent.services.projects.project_applications_escalate, beat daily).
CLO_PROJECT_APPROVAL_DAYS = env_int("CLO_PROJECT_APPROVAL_DAYS", 10, minimum=1)
# Safety limits of an imported file (clo.core.imports.parsing); a file over one is refused with a message saying
# which. XLSX workbooks are read only by a Celery job, never in the request. The defaults fit a 250 000-row
# register with 20 columns.
CLO_IMPORTS_MAX_CELLS = env_int("CLO_IMPORTS_MAX_CELLS", 5_000_000, minimum=1)  # also the shared texts of a workbook
CLO_IMPORTS_MAX_CELL_CHARS = env_int("CLO_IMPORTS_MAX_CELL_CHARS", 32_767, minimum=1)  # Excel's own limit
CLO_IMPORTS_READ_SECONDS = env_int("CLO_IMPORTS_READ_SECONDS", 300, minimum=1)
CLO_IMPORTS_XLSX_MAX_MB = env_int("CLO_IMPORTS_XLSX_MAX_MB", 256, minimum=1)  # the workbook's parts, uncompressed
CLO_IMPORTS_XLSX_MAX_RATIO = env_int("CLO_IMPORTS_XLSX_MAX_RATIO", 100, minimum=1)  # uncompressed/compressed
# Imports (clo.core.imports): files up to this many rows are previewed and imported in the request; larger ones by
# a Celery job with a progress bar.
CLO_IMPORTS_INLINE_ROWS = env_int("CLO_IMPORTS_INLINE_ROWS", 2000, minimum=0)
# An employees file imported as the whole staff register that would deactivate more than this share (in %) of the
# active employees is confirmed only by typing the number of people it deactivates.
CLO_IMPORTS_CONFIRM_DEACTIVATIONS_PERCENT = env_int("CLO_IMPORTS_CONFIRM_DEACTIVATIONS_PERCENT", 10, minimum=0)
# For how many days after it finished an import can be undone from its page.
CLO_IMPORTS_UNDO_DAYS = env_int("CLO_IMPORTS_UNDO_DAYS", 7, minimum=0)
# The REST API (clo.api): requests a minute per token (then 429), and a new token's default validity.
CLO_API_REQUESTS_PER_MINUTE = env_int("CLO_API_REQUESTS_PER_MINUTE", 600, minimum=1)
CLO_API_TOKEN_DAYS = env_int("CLO_API_TOKEN_DAYS", 365, minimum=1)
# Learning records (clo.api.xapi): the council's Learning Record Store (its xAPI base, e.g.
# https://lrs.example/xAPI/; empty: no pull, nothing sent), its basic-auth credentials, and statements per batch.
CLO_XAPI_ENDPOINT = env_str("CLO_XAPI_ENDPOINT", "")
CLO_XAPI_USERNAME = env_str("CLO_XAPI_USERNAME", "")
CLO_XAPI_PASSWORD = env_str("CLO_XAPI_PASSWORD", "")  # or CLO_XAPI_PASSWORD_FILE
CLO_XAPI_BATCH = env_int("CLO_XAPI_BATCH", 200, minimum=1)

# --- Audit trail and data protection (README, "Audit and data protection") --------------------------------------
from clo.core.audit import TRACKED_MODELS as AUDITLOG_INCLUDE_TRACKING_MODELS  # noqa: E402, F401

AUDITLOG_LOGENTRY_MODEL = "core.AuditEntry"
AUDITLOG_STORE_JSON_CHANGES = True  # before/after kept as JSON values (numbers, null), not their text
# Retention periods, per kind of record, in days (0: kept for ever). Past its period a record is blocked (hidden
# from everyone but the data-protection role); RETENTION_GRACE_DAYS later it is deleted or anonymised.
RETENTION_DAYS = {
    "assessments": env_int("RETENTION_ASSESSMENTS_DAYS", 5 * 365, minimum=0),
    "feedback": env_int("RETENTION_FEEDBACK_DAYS", 2 * 365, minimum=0),
    "audit": env_int("RETENTION_AUDIT_DAYS", 5 * 365, minimum=0),
    "read_logs": env_int("RETENTION_READ_LOGS_DAYS", 2 * 365, minimum=0),
    "inactive_employees": env_int("RETENTION_INACTIVE_EMPLOYEES_DAYS", 4 * 365, minimum=0),
}
RETENTION_GRACE_DAYS = env_int("RETENTION_GRACE_DAYS", 90, minimum=0)

# --- Security -------------------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True  # the age above is an idle timeout
SESSION_ENGINE = "django.contrib.sessions.backends.db"  # in the database: sessions survive Redis being down
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_FAILURE_VIEW = "clo.core.security.csrf_failure"  # logs to "clo.security", then a translated page

# Login throttling (django-axes): LOGIN_FAILURE_LIMIT failed logins for one username from one address lock that
# pair out for LOGIN_LOCKOUT_MINUTES, counted from the last failure; other users and addresses are not affected.
# LOGIN_ADDRESS_FAILURE_LIMIT failed logins from one address, over any usernames, lock that address out for as long
# (one password sprayed over many accounts): axes has one limit for all its parameters, so this second limit is
# clo.core.login_throttle's handler. Unknown and known usernames get the same answers, locked or not.
# Sign-in (clo.accounts, README "Sign-in"): OpenID Connect, LDAP / Active Directory, and local passwords. Every
# backend is listed whether configured or not (an unconfigured one answers nobody), so that open sessions keep
# their backend when the configuration changes.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "clo.accounts.backends.OIDCBackend",
    "clo.accounts.backends.DirectoryBackend",
    "clo.accounts.backends.LocalPasswordBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "clo.core.login_throttle.LoginThrottleHandler"
AXES_WHITELIST_CALLABLE = "clo.accounts.oidc.is_provider_callback"  # sign-in refusals there are no password guesses
CLO_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30, minimum=1)
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "clo.core.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "clo.core.security.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # successful logins are not kept; failures go to the "clo.security" log
AXES_VERBOSE = False
# Proxies in front of clo that append to X-Forwarded-For (0: use the connection's address).
CLO_TRUSTED_PROXIES = env_int("DJANGO_TRUSTED_PROXIES", 0, minimum=0)

# --- Sign-in (README, "Sign-in") --------------------------------------------------------------------------------
# Local passwords (the demo, and a break-glass superuser). AUTH_LOCAL_LOGIN=false hides the login form and lets
# only superusers sign in with a password, at accounts/local-login/.
AUTH_LOCAL_LOGIN = env_bool("AUTH_LOCAL_LOGIN", default=True)
# Who signs in is matched to the staff register by employee number (default) or by email; no match, no account.
SIGNIN_MATCH_BY = env_choice("SIGNIN_MATCH_BY", ("employee_number", "email"), "employee_number")
# The identity provider's groups that give each role, re-applied at every sign-in (comma-separated names; for
# LDAP a group's cn or its DN). A role with no groups listed is left to HR.
SIGNIN_ROLE_GROUPS = {
    "learning_office": env_list("SIGNIN_GROUPS_LEARNING_OFFICE", []),
    "hr": env_list("SIGNIN_GROUPS_HR", []),
    "data_protection": env_list("SIGNIN_GROUPS_DATA_PROTECTION", []),
}
# OpenID Connect (mozilla-django-oidc): authorization code flow with PKCE, state and nonce; endpoints read from the
# provider's discovery document (OIDC_ISSUER + /.well-known/openid-configuration, or OIDC_DISCOVERY_URL).
OIDC_ISSUER = env_str("OIDC_ISSUER", "").rstrip("/")
OIDC_DISCOVERY_URL = env_str(
    "OIDC_DISCOVERY_URL", f"{OIDC_ISSUER}/.well-known/openid-configuration" if OIDC_ISSUER else "")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "")  # or OIDC_CLIENT_SECRET_FILE
if OIDC_DISCOVERY_URL and not OIDC_RP_CLIENT_ID:
    raise ImproperlyConfigured("OIDC_CLIENT_ID: required when OIDC_ISSUER or OIDC_DISCOVERY_URL is set")
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", CLO_ORGANISATION_NAME)  # "Sign in with <this>"
OIDC_RP_SIGN_ALGO = env_choice("OIDC_SIGN_ALGO", ("rs256", "rs384", "rs512", "es256", "es384", "ps256"), "rs256").upper()
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid email profile")
OIDC_CLAIM_EMPLOYEE_NUMBER = env_str("OIDC_CLAIM_EMPLOYEE_NUMBER", "employee_number")
OIDC_CLAIM_EMAIL = env_str("OIDC_CLAIM_EMAIL", "email")
OIDC_CLAIM_GROUPS = env_str("OIDC_CLAIM_GROUPS", "groups")
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of RP-initiated logout
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 5, minimum=1)
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
OIDC_VERIFY_SSL = env_bool("OIDC_VERIFY_SSL", default=True)
# LDAP / Active Directory (django-auth-ldap): a service account searches the user, the user's password is checked
# by binding as them, and a group search gives their groups (for SIGNIN_GROUPS_*).
AUTH_LDAP_SERVER_URI = env_str("LDAP_SERVER_URI", "")  # ldaps://dc1.example:636 or ldap://... with LDAP_START_TLS
AUTH_LDAP_START_TLS = env_bool("LDAP_START_TLS", default=False)
AUTH_LDAP_BIND_DN = env_str("LDAP_BIND_DN", "")
AUTH_LDAP_BIND_PASSWORD = env_str("LDAP_BIND_PASSWORD", "")  # or LDAP_BIND_PASSWORD_FILE
LDAP_TIMEOUT_SECONDS = env_int("LDAP_TIMEOUT_SECONDS", 4, minimum=1)  # a silent directory fails the login in < 5 s
LDAP_ATTR_EMPLOYEE_NUMBER = env_str("LDAP_ATTR_EMPLOYEE_NUMBER", "employeeID")
LDAP_ATTR_EMAIL = env_str("LDAP_ATTR_EMAIL", "mail")
if AUTH_LDAP_SERVER_URI:
    import ldap  # noqa: E402
    from django_auth_ldap.config import (  # noqa: E402
        GroupOfNamesType, LDAPSearch, NestedActiveDirectoryGroupType, PosixGroupType,
    )

    AUTH_LDAP_USER_SEARCH = LDAPSearch(
        env_str("LDAP_USER_BASE", ""), ldap.SCOPE_SUBTREE, env_str("LDAP_USER_FILTER", "(sAMAccountName=%(user)s)"))
    AUTH_LDAP_GROUP_SEARCH = LDAPSearch(
        env_str("LDAP_GROUP_BASE", ""), ldap.SCOPE_SUBTREE, env_str("LDAP_GROUP_FILTER", "(objectClass=group)"))
    AUTH_LDAP_GROUP_TYPE = {
        "active_directory": NestedActiveDirectoryGroupType, "group_of_names": GroupOfNamesType,
        "posix": PosixGroupType,
    }[env_choice("LDAP_GROUP_TYPE", ("active_directory", "group_of_names", "posix"), "active_directory")]()
    AUTH_LDAP_CONNECTION_OPTIONS = {ldap.OPT_REFERRALS: 0, ldap.OPT_NETWORK_TIMEOUT: LDAP_TIMEOUT_SECONDS,
                                    ldap.OPT_TIMEOUT: LDAP_TIMEOUT_SECONDS}
    if env_str("LDAP_CA_CERT_PATH", ""):  # the connection's own TLS context (OPT_X_TLS_NEWCTX last) trusts this CA
        AUTH_LDAP_CONNECTION_OPTIONS.update({ldap.OPT_X_TLS_CACERTFILE: env_str("LDAP_CA_CERT_PATH", ""),
                                             ldap.OPT_X_TLS_REQUIRE_CERT: ldap.OPT_X_TLS_DEMAND,
                                             ldap.OPT_X_TLS_NEWCTX: 0})
AUTH_LDAP_ALWAYS_UPDATE_USER = False  # names and emails come from the staff register, not the directory
AUTH_LDAP_FIND_GROUP_PERMS = False

# Uploads: no request body above UPLOAD_MAX_MB (413, before anything reads it); each file field checks its own
# size and type (clo.core.uploads). Form fields without files stay within Django's 2.5 MB.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 20, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files are spooled to a temporary file

# Strict Content-Security-Policy (django-csp): no inline script or style, no eval; htmx is configured through
# <meta name="htmx-config"> so that it needs neither.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    # WeasyPrint reports every rendering step at INFO.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "clo.security": {"level": "WARNING"}, "axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
