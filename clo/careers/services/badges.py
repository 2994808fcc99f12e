"""Verifiable badges: Open Badges 3.0 credentials (W3C Verifiable Credentials of type OpenBadgeCredential) issued
when a person completes a program or an itinerary, signed as a VC-JWT (RS256) with jwcrypto, and revoked when the
completion behind them no longer stands.

The keys: ``CLO_BADGE_SIGNING_KEY`` (or its ``_FILE``), the current private RSA key as a JWK or PEM, a secret kept
out of the repository, signs every new badge. Without it, outside production, a key is generated at first use into
``CLO_BADGE_DEV_KEY_PATH`` (var/), so that ``make run`` and the tests issue badges that verify. Rotation:
``CLO_BADGE_PREVIOUS_KEYS`` (or its ``_FILE``) holds the keys that signed earlier badges (PEM blocks one after
another, a JWK or a JWKS; their public halves are enough); they sign nothing more but the JWKS
(``careers:issuer_jwks``) keeps publishing them, so the badges they signed still verify. ``kid`` is each key's
RFC 7638 thumbprint.

Revocation inside the credential: every new badge carries a ``credentialStatus`` (W3C Bitstring Status List v1.0,
``BitstringStatusListEntry``, purpose revocation) pointing at bit ``pk % STATUS_LIST_SIZE`` of list
``pk // STATUS_LIST_SIZE``; the issuer serves each list as a ``BitstringStatusListCredential`` signed like the badges
(``careers:badge_status_list``), built from the revoked badges when it is read, so revoking a badge flips its bit.

Issuing follows a completion: programs queues ``careers.badges_issue_for_enrolment`` by name when an enrolment is
completed (it cannot import careers; ``careers.badges_issue_for_enrolments`` for a batch of learning records), and the nightly sweep (``badges_sweep``) issues what was missed, finishes the
itineraries whose programs are all completed, and revokes the badges whose completion was annulled.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import io
import os
import re
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
# Open Badges 3.0.3 is built on the W3C Verifiable Credentials Data Model 2.0 (which defines BitstringStatusListEntry).
CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
PNG_KEYWORD = "openbadgecredential"
SVG_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
SWEEP_BATCH = 200
# Bits per status list: the specification's minimum (16 KiB), so that a list does not tell which badge is asked about.
STATUS_LIST_SIZE = 131_072
PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z ]+)-----.+?-----END \1-----", re.DOTALL)

# --- The key ----------------------------------------------------------------------------------------------------

_keys: dict[str, jwk.JWK] = {}
_previous: dict[str, list[jwk.JWK]] = {}


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


def _with_kid(key: jwk.JWK) -> jwk.JWK:
    return jwk.JWK(**{**key.export_public(as_dict=True), "kid": key.thumbprint(), "alg": ALGORITHM, "use": "sig"})


def _parse_keys(text: str, *, origin: str) -> list[jwk.JWK]:
    """Several RSA keys, public or private (only their public halves are kept): PEM blocks one after another, a JWK
    or a JWKS (``{"keys": [...]}``)."""
    text = text.strip()
    try:
        if text.startswith("{"):
            document = json_decode(text)
            found = [jwk.JWK(**item) for item in document["keys"]] if "keys" in document else [jwk.JWK(**document)]
        else:
            found = [jwk.JWK.from_pem(match.group(0).encode()) for match in PEM_BLOCK.finditer(text)]
    except Exception as exc:  # noqa: BLE001 - any parse error is a bad setting
        raise ImproperlyConfigured(f"{origin}: not RSA keys as PEM blocks, a JWK or a JWKS ({type(exc).__name__})") from exc
    if not found or any(key.get("kty") != "RSA" for key in found):
        raise ImproperlyConfigured(f"{origin}: expected one or more RSA keys (PEM blocks, a JWK or a JWKS)")
    return [_with_kid(key) for key in found]


def previous_keys() -> list[jwk.JWK]:
    """The public halves of the keys that signed earlier badges (``CLO_BADGE_PREVIOUS_KEYS``), with ``kid``."""
    configured = settings.CLO_BADGE_PREVIOUS_KEYS
    if not configured:
        return []
    cache_key = f"previous:{configured}"
    if cache_key not in _previous:
        _previous[cache_key] = _parse_keys(configured, origin="CLO_BADGE_PREVIOUS_KEYS")
    return _previous[cache_key]


def _public_keys() -> list[jwk.JWK]:
    """The current key, then the previous ones, public halves only, each once."""
    keys: dict[str, jwk.JWK] = {}
    for key in [_with_kid(signing_key()), *previous_keys()]:
        keys.setdefault(key["kid"], key)
    return list(keys.values())


def public_key_set() -> jwk.JWKSet:
    keys = jwk.JWKSet()
    for key in _public_keys():
        keys.add(key)
    return keys


def public_jwks() -> dict:
    """The JWKS a verifier fetches: the public half of the signing key, then of the previous ones."""
    return {"keys": [key.export_public(as_dict=True) for key in _public_keys()]}


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


def _issuer() -> dict:
    return {"id": issuer_id(), "type": ["Profile"], "name": settings.CLO_ORGANISATION_NAME}


def _timestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _signed(credential: dict, *, issued: dt.datetime) -> tuple[str, str]:
    """``credential`` signed with the current key as a VC-JWT (RS256, by jwcrypto): the token and the key's id."""
    key = signing_key()
    token = jwt.JWT(
        header={"alg": ALGORITHM, "typ": "JWT", "kid": key["kid"]},
        claims={"iss": issuer_id(), "jti": credential["id"], "nbf": int(issued.timestamp()),
                "iat": int(issued.timestamp()), "vc": credential},
    )
    token.make_signed_token(key)
    return token.serialize(), key["kid"]


def status_list_url(number: int) -> str:
    return _absolute(reverse("careers:badge_status_list", kwargs={"number": number}))


def status_entry(badge: Badge) -> dict:
    """The ``credentialStatus`` of a saved badge: its bit in the issuer's revocation status lists."""
    number, index = divmod(badge.pk, STATUS_LIST_SIZE)
    url = status_list_url(number)
    return {"id": f"{url}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
            "statusListIndex": str(index), "statusListCredential": url}


def _sign(badge: Badge, *, achievement: dict, employee) -> None:
    """Build the OpenBadgeCredential of a saved ``badge`` and sign it as a VC-JWT (``badge.credential``,
    ``key_id``)."""
    issued = badge.issued_at.astimezone(dt.UTC).replace(microsecond=0)
    credential = {
        "@context": CONTEXT,
        "id": verification_url(badge),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": _issuer(),
        "validFrom": _timestamp(issued),
        "name": badge.name,
        "credentialSubject": {"type": ["AchievementSubject"], "identifier": [_identity(employee)],
                              "achievement": achievement},
        "credentialStatus": status_entry(badge),
    }
    badge.credential, badge.key_id = _signed(credential, issued=issued)


def status_list_exists(number: int) -> bool:
    """Whether a badge points at list ``number`` (any number from the address: kept within a bigint id)."""
    return 0 <= number < 2**63 // STATUS_LIST_SIZE - 1 and Badge.objects.filter(
        pk__gte=number * STATUS_LIST_SIZE, pk__lt=(number + 1) * STATUS_LIST_SIZE).exists()


def encoded_list(revoked_indexes) -> str:
    """The bitstring (index 0 the first byte's most significant bit) GZIP-compressed, base64url without padding, with
    the multibase prefix ``u``."""
    bits = bytearray(STATUS_LIST_SIZE // 8)
    for index in revoked_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode()


def decoded_list(encoded: str) -> bytes:
    """The bitstring of an ``encodedList`` (what a verifier does with it)."""
    if not encoded.startswith("u"):
        raise ValueError("not a base64url multibase string")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def status_list_credential(number: int, *, now: dt.datetime | None = None) -> str:
    """The revocation status list ``number`` as a BitstringStatusListCredential signed like the badges (a VC-JWT):
    the bits of the revoked badges set. One query."""
    now = (now or timezone.now()).astimezone(dt.UTC).replace(microsecond=0)
    start = number * STATUS_LIST_SIZE
    revoked = (Badge.objects.filter(pk__gte=start, pk__lt=start + STATUS_LIST_SIZE, revoked_at__isnull=False)
               .values_list("pk", flat=True))
    url = status_list_url(number)
    credential = {
        "@context": CONTEXT[:1],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": _issuer(),
        "validFrom": _timestamp(now),
        "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList", "statusPurpose": "revocation",
                              "encodedList": encoded_list(pk - start for pk in revoked)},
    }
    return _signed(credential, issued=now)[0]


def status_bit(encoded: str, index: int) -> bool:
    return bool(decoded_list(encoded)[index // 8] & (0x80 >> (index % 8)))


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


def _program_badge(enrolment: Enrolment) -> tuple[Badge, dict]:
    employee, program = enrolment.employee, enrolment.session.program
    with translation.override(employee.language or settings.LANGUAGE_CODE):
        badge = Badge(employee=employee, kind=Badge.Kind.PROGRAM, enrolment=enrolment, name=program.title[:200])
        narrative = _("Completed the program %(title)s (%(hours)s hours) on %(day)s.") % {
            "title": program.title, "hours": program.hours,
            "day": date_format(enrolment.completed_on or timezone.localdate(), "DATE_FORMAT")}
        achievement = _achievement(key=f"program-{program.code}", name=program.title,
                                   description=program.objectives, narrative=narrative, kind="Course",
                                   hours=program.hours)
    return badge, achievement


def _itinerary_badge(enrolment: ItineraryEnrolment) -> tuple[Badge, dict]:
    employee, itinerary = enrolment.employee, enrolment.itinerary
    with translation.override(employee.language or settings.LANGUAGE_CODE):
        badge = Badge(employee=employee, kind=Badge.Kind.ITINERARY, itinerary_enrolment=enrolment,
                      name=itinerary.title[:200])
        narrative = _("Completed every program of the itinerary %(title)s, toward the positions of %(family)s.") % {
            "title": itinerary.title, "family": itinerary.job_family}
        achievement = _achievement(key=f"itinerary-{itinerary.pk}", name=itinerary.title,
                                   description=itinerary.description, narrative=narrative, kind="LearningProgram")
    return badge, achievement


def _save_new(built: tuple[Badge, dict]) -> Badge | None:
    """Save a new badge, then sign it (its status list entry needs its id), in one transaction."""
    badge, achievement = built
    try:
        with transaction.atomic():
            badge.full_clean(exclude=["credential", "key_id"])
            badge.save()
            _sign(badge, achievement=achievement, employee=badge.employee)
            badge.save(update_fields=["credential", "key_id"])
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
    """Revoke a badge: its public page says so from now on, and its bit is set in the status list its credential
    points at (the signed credential itself cannot change)."""
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
