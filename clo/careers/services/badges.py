"""Verifiable badges: Open Badges 3.0 credentials (W3C Verifiable Credentials of type OpenBadgeCredential) issued
when a person completes a program or an itinerary, signed as a VC-JWT (RS256) with jwcrypto, and revoked when the
completion behind them no longer stands.

The key: ``CLO_BADGE_SIGNING_KEY`` (or its ``_FILE``), a private RSA key as a JWK or PEM, a secret kept out of the
repository. Without it, outside production, a key is generated at first use into ``CLO_BADGE_DEV_KEY_PATH`` (var/),
so that ``make run`` and the tests issue badges that verify. Its public half is served as a JWKS
(``careers:issuer_jwks``); ``kid`` is the key's RFC 7638 thumbprint.

Issuing follows a completion: programs queues ``careers.badges_issue_for_enrolment`` by name when an enrolment is
completed (it cannot import careers; ``careers.badges_issue_for_enrolments`` for a batch of learning records), and the nightly sweep (``badges_sweep``) issues what was missed, finishes the
itineraries whose programs are all completed, and revokes the badges whose completion was annulled.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import secrets
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from jwcrypto import jwk, jws, jwt
from jwcrypto.common import json_decode, json_encode

from clo.careers.models import Badge, ItineraryEnrolment
from programs.models import Enrolment

ALGORITHM = "RS256"
CONTEXT = ["https://www.w3.org/2018/credentials/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
PNG_KEYWORD = "openbadgecredential"
SVG_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
SWEEP_BATCH = 200

# --- The key ----------------------------------------------------------------------------------------------------

_keys: dict[str, jwk.JWK] = {}


def _load_key(text: str, *, origin: str) -> jwk.JWK:
    try:
        key = jwk.JWK.from_json(text) if text.lstrip().startswith("{") else jwk.JWK.from_pem(text.encode())
    except Exception as exc:  # noqa: BLE001 - any parse error is a bad setting
        raise ImproperlyConfigured(f"{origin}: not a private RSA key as a JWK or PEM ({type(exc).__name__})") from exc
    if key.get("kty") != "RSA" or not key.has_private:
        raise ImproperlyConfigured(f"{origin}: the badge signing key must be a private RSA key")
    return key


def _dev_key(path: Path) -> str:
    """The development key, generated once (mode 0600) where no key is configured."""
    if getattr(settings, "PRODUCTION", False):
        raise ImproperlyConfigured("CLO_BADGE_SIGNING_KEY: required in production to sign badges (or its _FILE)")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = jwk.JWK.generate(kty="RSA", size=2048).export_to_pem(private_key=True, password=None)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first: use theirs
            pass
        else:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(pem)
    return path.read_text(encoding="utf-8")


def signing_key() -> jwk.JWK:
    """The issuer's private key, with ``kid`` (read once per process and setting)."""
    configured = settings.CLO_BADGE_SIGNING_KEY
    cache_key = configured or str(settings.CLO_BADGE_DEV_KEY_PATH)
    key = _keys.get(cache_key)
    if key is None:
        if configured:
            key = _load_key(configured, origin="CLO_BADGE_SIGNING_KEY")
        else:
            path = Path(settings.CLO_BADGE_DEV_KEY_PATH)
            key = _load_key(_dev_key(path), origin=str(path))
        key = jwk.JWK(**{**key.export(as_dict=True), "kid": key.thumbprint(), "alg": ALGORITHM, "use": "sig"})
        _keys[cache_key] = key
    return key


def public_key_set() -> jwk.JWKSet:
    keys = jwk.JWKSet()
    keys.add(jwk.JWK(**signing_key().export_public(as_dict=True)))
    return keys


def public_jwks() -> dict:
    """The JWKS a verifier fetches: the public half of the signing key."""
    return public_key_set().export(private_keys=False, as_dict=True)


# --- Credentials ------------------------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return f"{settings.CLO_BASE_URL or 'http://localhost:8000'}{path}"


def issuer_id() -> str:
    return _absolute(reverse("careers:issuer_profile"))


def issuer_profile() -> dict:
    """The issuer's Open Badges Profile (what ``issuer.id`` resolves to)."""
    return {"@context": CONTEXT[1:], "id": issuer_id(), "type": ["Profile"], "name": settings.CLO_ORGANISATION_NAME,
            "url": settings.CLO_BASE_URL or _absolute("/")}


def verification_url(badge: Badge) -> str:
    return _absolute(reverse("careers:badge_verify", kwargs={"public_id": badge.public_id}))


def _identity(employee) -> dict:
    """The recipient as a salted hash (the credential names nobody): their email, or their employee number."""
    salt = secrets.token_hex(8)
    if employee.email:
        kind, value = "emailAddress", employee.email.strip().lower()
    else:
        kind, value = "identifier", employee.employee_number
    digest = hashlib.sha256((value + salt).encode()).hexdigest()
    return {"type": "IdentityObject", "identityHash": f"sha256${digest}", "identityType": kind, "hashed": True,
            "salt": salt}


def _achievement(*, key: str, name: str, description: str, narrative: str, kind: str, hours=None) -> dict:
    achievement: dict[str, object] = {"id": f"{issuer_id()}#{key}", "type": ["Achievement"], "name": name,
                   "description": description or name, "criteria": {"narrative": narrative},
                   "achievementType": kind}
    if hours:
        achievement["fieldOfStudy"] = name
        achievement["creditsAvailable"] = float(hours)
    return achievement


def _sign(badge: Badge, *, achievement: dict, employee) -> None:
    """Build the OpenBadgeCredential of ``badge`` and sign it as a VC-JWT (``badge.credential``, ``key_id``)."""
    issued = badge.issued_at.astimezone(dt.UTC).replace(microsecond=0)
    credential = {
        "@context": CONTEXT,
        "id": verification_url(badge),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id(), "type": ["Profile"], "name": settings.CLO_ORGANISATION_NAME},
        "issuanceDate": issued.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "name": badge.name,
        "credentialSubject": {"type": ["AchievementSubject"], "identifier": [_identity(employee)],
                              "achievement": achievement},
    }
    key = signing_key()
    token = jwt.JWT(
        header={"alg": ALGORITHM, "typ": "JWT", "kid": key["kid"]},
        claims={"iss": issuer_id(), "jti": credential["id"], "nbf": int(issued.timestamp()),
                "iat": int(issued.timestamp()), "vc": credential},
    )
    token.make_signed_token(key)
    badge.credential, badge.key_id = token.serialize(), key["kid"]


def badge_verify(token: str) -> dict:
    """The claims of a VC-JWT signed by this issuer's key (jwcrypto checks the signature, the algorithm and the
    dates); ``ValidationError`` when it does not verify."""
    try:
        checked = jwt.JWT(jwt=token.strip(), key=public_key_set(), algs=[ALGORITHM])
        claims = json_decode(checked.claims)
    except Exception as exc:  # noqa: BLE001 - jwcrypto raises several kinds; all mean "does not verify"
        raise ValidationError(_("This credential does not verify: %(why)s") % {"why": type(exc).__name__}) from exc
    if claims.get("iss") != issuer_id() or "OpenBadgeCredential" not in claims.get("vc", {}).get("type", []):
        raise ValidationError(_("This credential was not issued here as an Open Badge."))
    return claims


def credential_claims(badge: Badge) -> dict:
    """The claims of a stored badge, read without verifying (what a page shows; the verification page verifies)."""
    token = jws.JWS()
    token.deserialize(badge.credential)
    return json_decode(token.objects["payload"])


def credential_json(badge: Badge) -> str:
    """The signed credential as a JSON document: the VC-JWT in JWS JSON serialization (RFC 7515, flattened), which
    any JOSE library verifies against the issuer's JWKS, with the credential it signs alongside for reading."""
    protected, payload, signature = badge.credential.split(".")
    flattened = {"protected": protected, "payload": payload, "signature": signature,
                 "credential": credential_claims(badge)["vc"]}
    return json_encode(flattened)


def baked_png(badge: Badge) -> bytes:
    """The badge's image with the VC-JWT baked into an uncompressed iTXt chunk keyed ``openbadgecredential``."""
    from PIL import Image, ImageDraw, ImageFont
    from PIL.PngImagePlugin import PngInfo

    size = 400
    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    colour = "#1d5c8f" if badge.kind == Badge.Kind.PROGRAM else "#7a3e8e"
    draw.ellipse((20, 20, size - 20, size - 20), fill=colour)
    font = ImageFont.load_default(size=28)
    words, lines, line = badge.name.split(), [], ""
    for word in words:
        if line and draw.textlength(f"{line} {word}", font=font) > size - 110:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines = [*lines, line][:5]
    for index, text in enumerate(lines):
        y = size // 2 + (index - len(lines) / 2) * 34
        draw.text((size // 2, y), text, fill="white", font=font, anchor="ma")
    info = PngInfo()
    info.add_itxt(PNG_KEYWORD, badge.credential, zip=False)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def baked_svg(badge: Badge) -> str:
    """The badge's image as SVG with the VC-JWT in an ``openbadges:credential`` element."""
    colour = "#1d5c8f" if badge.kind == Badge.Kind.PROGRAM else "#7a3e8e"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="{SVG_NAMESPACE}" width="400" height="400" '
        f'viewBox="0 0 400 400" role="img" aria-label="{escape(badge.name, {chr(34): "&quot;"})}">\n'
        f"<openbadges:credential><![CDATA[{badge.credential}]]></openbadges:credential>\n"
        f'<circle cx="200" cy="200" r="180" fill="{colour}"/>\n'
        f'<text x="200" y="210" font-family="sans-serif" font-size="24" fill="#fff" text-anchor="middle">'
        f"{escape(badge.name[:40])}</text>\n</svg>\n"
    )


# --- Issuing and revoking ----------------------------------------------------------------------------------------


def _program_badge(enrolment: Enrolment) -> Badge:
    employee, program = enrolment.employee, enrolment.session.program
    with translation.override(employee.language or settings.LANGUAGE_CODE):
        badge = Badge(employee=employee, kind=Badge.Kind.PROGRAM, enrolment=enrolment, name=program.title[:200])
        narrative = _("Completed the program %(title)s (%(hours)s hours) on %(day)s.") % {
            "title": program.title, "hours": program.hours,
            "day": date_format(enrolment.completed_on or timezone.localdate(), "DATE_FORMAT")}
        achievement = _achievement(key=f"program-{program.code}", name=program.title,
                                   description=program.objectives, narrative=narrative, kind="Course",
                                   hours=program.hours)
    _sign(badge, achievement=achievement, employee=employee)
    return badge


def _itinerary_badge(enrolment: ItineraryEnrolment) -> Badge:
    employee, itinerary = enrolment.employee, enrolment.itinerary
    with translation.override(employee.language or settings.LANGUAGE_CODE):
        badge = Badge(employee=employee, kind=Badge.Kind.ITINERARY, itinerary_enrolment=enrolment,
                      name=itinerary.title[:200])
        narrative = _("Completed every program of the itinerary %(title)s, toward the positions of %(family)s.") % {
            "title": itinerary.title, "family": itinerary.job_family}
        achievement = _achievement(key=f"itinerary-{itinerary.pk}", name=itinerary.title,
                                   description=itinerary.description, narrative=narrative, kind="LearningProgram")
    _sign(badge, achievement=achievement, employee=employee)
    return badge


def _save_new(badge: Badge) -> Badge | None:
    try:
        with transaction.atomic():
            badge.full_clean()
            badge.save()
    except (IntegrityError, ValidationError):  # issued meanwhile by the task or the sweep
        return None
    return badge


def badge_issue_for_enrolment(*, enrolment_id: int) -> Badge | None:
    """The badge of a completed enrolment (once: None if the enrolment is not completed or already has one), then
    the itineraries of the person that this completion finishes."""
    enrolment = (Enrolment.objects.filter(pk=enrolment_id, status=Enrolment.Status.COMPLETED)
                 .exclude(Exists(Badge.objects.filter(enrolment=OuterRef("pk"))))
                 .select_related("employee", "session__program").first())
    if enrolment is None:
        return None
    badge = _save_new(_program_badge(enrolment))
    itineraries_complete(employee_ids=[enrolment.employee_id])
    return badge


def itineraries_complete(*, employee_ids=None, today: dt.date | None = None) -> int:
    """Mark complete the open itinerary enrolments whose programs are all completed (of ``employee_ids``, or
    everyone's) and issue their badges. One query to find them."""
    from clo.careers.selectors.itineraries import finished_enrolments

    today = today or timezone.localdate()
    found = finished_enrolments(employee_ids=employee_ids)
    issued = 0
    for enrolment in found:
        with transaction.atomic():
            changed = ItineraryEnrolment.objects.filter(pk=enrolment.pk, completed_on__isnull=True).update(
                completed_on=today)
            if not changed:
                continue
            enrolment.completed_on = today
            issued += _save_new(_itinerary_badge(enrolment)) is not None
    return issued


@transaction.atomic
def badge_revoke(*, badge: Badge, reason: str, now: dt.datetime | None = None) -> Badge:
    """Revoke a badge: its public page says so from now on (the signed credential itself cannot change)."""
    if badge.revoked_at is not None:
        raise ValidationError(_("This badge is already revoked."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the badge is revoked.")})
    badge.revoked_at, badge.revocation_reason = now or timezone.now(), reason[:300]
    badge.save(update_fields=["revoked_at", "revocation_reason"])
    return badge


def badge_share(*, badge: Badge, share_name: bool) -> Badge:
    """The person chooses whether the public page shows their name."""
    badge.share_name = share_name
    badge.save(update_fields=["share_name"])
    return badge


def badges_revoke_annulled(*, now: dt.datetime | None = None) -> int:
    """Revoke, in two UPDATEs, the badges whose completion no longer stands: a program's enrolment no longer
    completed (or deleted), an itinerary one of whose programs is no longer completed (it is open again)."""
    from clo.careers.selectors.itineraries import unfinished_completed_enrolments

    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("The completion was annulled.")
    live = Badge.objects.filter(revoked_at__isnull=True)
    revoked = (live.filter(kind=Badge.Kind.PROGRAM)
               .exclude(enrolment__status=Enrolment.Status.COMPLETED)
               .update(revoked_at=now, revocation_reason=reason))
    reopened = list(unfinished_completed_enrolments().values_list("pk", flat=True))
    if reopened:
        ItineraryEnrolment.objects.filter(pk__in=reopened).update(completed_on=None)
    revoked += (live.filter(kind=Badge.Kind.ITINERARY)
                .filter(Exists(ItineraryEnrolment.objects.filter(pk=OuterRef("itinerary_enrolment"),
                                                                 completed_on__isnull=True))
                        | ~Exists(ItineraryEnrolment.objects.filter(pk=OuterRef("itinerary_enrolment"))))
                .update(revoked_at=now, revocation_reason=reason))
    return revoked


def badges_sweep(*, batch_size: int = SWEEP_BATCH, limit: int | None = None) -> dict[str, int]:
    """The nightly safety net: revoke what was annulled, issue the badges of completions that have none (batch by
    batch, keyset by id), and finish the itineraries whose programs are all completed."""
    revoked = badges_revoke_annulled()
    issued, last = 0, 0
    missing = (Enrolment.objects.filter(status=Enrolment.Status.COMPLETED, completed_on__isnull=False)
               .exclude(Exists(Badge.objects.filter(enrolment=OuterRef("pk")))))
    while limit is None or issued < limit:
        batch = list(missing.filter(pk__gt=last).select_related("employee", "session__program")
                     .order_by("pk")[:batch_size])
        if not batch:
            break
        for enrolment in batch:
            issued += _save_new(_program_badge(enrolment)) is not None
        last = batch[-1].pk
    return {"revoked": revoked, "issued": issued, "itineraries": itineraries_complete()}
