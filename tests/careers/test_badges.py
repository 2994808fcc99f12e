"""Verifiable badges: issued when a program is completed, signed as a VC-JWT that jwcrypto verifies (and a tampered
one fails), baked into PNG and SVG, shown on a public page that says when it is revoked, and scoped like the rest."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from jwcrypto import jwk, jws, jwt

from clo.careers.models import Badge
from clo.careers.services import badges as services
from programs.models import Enrolment
from programs.services.delivery import enrolment_complete
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(employee_a):
    program = f.ProgramFactory(code="P-DIG", title="Administració digital", hours=20)
    starts = timezone.now() - dt.timedelta(days=3)
    session = f.SessionFactory(program=program, starts_at=starts, ends_at=starts + dt.timedelta(hours=4))
    return Enrolment.objects.create(session=session, employee=employee_a, status=Enrolment.Status.COMPLETED,
                                    completed_on=timezone.localdate(starts))


@pytest.fixture
def badge(completed):
    return services.badge_issue_for_enrolment(enrolment_id=completed.pk)


def _jwks():
    keys = jwk.JWKSet()
    keys.import_keyset(json.dumps(services.public_jwks()))
    return keys


def test_an_issued_badge_verifies_with_jwcrypto_and_is_an_open_badge_credential(badge, employee_a):
    checked = jwt.JWT(jwt=badge.credential, key=_jwks(), algs=["RS256"])
    claims = json.loads(checked.claims)
    credential = claims["vc"]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json" in credential["@context"]
    assert credential["credentialSubject"]["achievement"]["name"] == "Administració digital"
    assert claims["jti"] == credential["id"] == services.verification_url(badge)
    assert json.loads(checked.header)["kid"] == badge.key_id
    # the credential names nobody: the recipient is a salted hash
    assert employee_a.full_name not in badge.credential and employee_a.email not in json.dumps(claims)
    assert credential["credentialSubject"]["identifier"][0]["hashed"] is True


def test_a_tampered_badge_fails_verification(badge):
    header, payload, signature = badge.credential.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["vc"]["credentialSubject"]["achievement"]["name"] = "Doctorat honoris causa"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    issuer_key = _jwks().get_key(badge.key_id)
    jwt.JWT(jwt=badge.credential, key=issuer_key, algs=["RS256"])  # the control: the original verifies
    with pytest.raises(jws.InvalidJWSSignature):
        jwt.JWT(jwt=f"{header}.{forged}.{signature}", key=issuer_key, algs=["RS256"])
    with pytest.raises(ValidationError):
        services.badge_verify(f"{header}.{forged}.{signature}")
    other_key = jwk.JWK.generate(kty="RSA", size=2048)
    resigned = jwt.JWT(header={"alg": "RS256", "kid": badge.key_id}, claims=claims)
    resigned.make_signed_token(other_key)
    with pytest.raises(jws.InvalidJWSSignature):
        jwt.JWT(jwt=resigned.serialize(), key=issuer_key, algs=["RS256"])
    with pytest.raises(ValidationError):
        services.badge_verify(resigned.serialize())


def test_the_json_download_is_the_signed_credential(badge, employee_a_client):
    response = employee_a_client.get(reverse("careers:badge_download", args=[badge.pk, "json"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    token = jws.JWS()
    token.deserialize(json.dumps({k: document[k] for k in ("protected", "payload", "signature")}))
    token.verify(_jwks().get_key(badge.key_id))
    assert json.loads(token.payload)["vc"] == document["credential"]


def test_the_png_and_svg_carry_the_credential(badge, employee_a_client):
    from PIL import Image

    png = employee_a_client.get(reverse("careers:badge_download", args=[badge.pk, "png"]))
    assert png["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(png.content))
    image.load()
    assert image.text["openbadgecredential"] == badge.credential
    svg = employee_a_client.get(reverse("careers:badge_download", args=[badge.pk, "svg"])).content.decode()
    assert 'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in svg
    assert f"<openbadges:credential><![CDATA[{badge.credential}]]></openbadges:credential>" in svg


def test_the_public_page_shows_the_badge_and_the_name_only_when_shared(badge, client, employee_a, english):
    url = reverse("careers:badge_verify", args=[badge.public_id])
    page = client.get(url).content.decode()
    assert "This badge is valid." in page and "Administració digital" in page
    assert employee_a.full_name not in page
    services.badge_share(badge=badge, share_name=True)
    assert employee_a.full_name in client.get(url).content.decode()
    jwks = client.get(reverse("careers:issuer_jwks")).json()
    assert [key["kid"] for key in jwks["keys"]] == [badge.key_id] and "d" not in jwks["keys"][0]


def test_an_annulled_completion_revokes_the_badge_and_the_public_page_says_so(badge, completed, client, english):
    Enrolment.objects.filter(pk=completed.pk).update(status=Enrolment.Status.ATTENDED)
    assert services.badges_sweep()["revoked"] == 1
    badge.refresh_from_db()
    assert badge.revoked and badge.revocation_reason
    page = client.get(reverse("careers:badge_verify", args=[badge.public_id])).content.decode()
    assert "This badge has been revoked." in page and "This badge is valid." not in page


def test_the_learning_office_revokes_a_badge(badge, clo_client, english):
    response = clo_client.post(reverse("careers:badge_revoke", args=[badge.pk]), {"reason": "Certificat erroni"})
    assert response.status_code == 302
    badge.refresh_from_db()
    assert badge.revoked_at is not None and badge.revocation_reason == "Certificat erroni"


def test_completing_an_enrolment_queues_its_badge_and_the_sweep_issues_what_was_missed(
        employee_a, completed, django_capture_on_commit_callbacks, eager_tasks):
    starts = timezone.now() - dt.timedelta(days=1)
    session = f.SessionFactory(starts_at=starts, ends_at=starts + dt.timedelta(hours=2))
    attended = Enrolment.objects.create(session=session, employee=employee_a, status=Enrolment.Status.ATTENDED)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_complete(enrolment=attended)
    assert Badge.objects.filter(enrolment=attended).count() == 1
    assert services.badges_sweep() == {"revoked": 0, "issued": 1, "itineraries": 0}  # ``completed`` had none
    assert services.badges_sweep()["issued"] == 0  # safe to run twice
    assert Badge.objects.filter(employee=employee_a).count() == 2


def test_scope_of_badges(badge, client, employee_a, director_a, director_b, hr_user, employee_b):
    detail = reverse("careers:badge_detail", args=[badge.pk])
    for user, status in ((employee_a.user, 200), (director_a.user, 200), (hr_user, 200), (director_b.user, 404),
                         (employee_b.user, 404)):
        client.force_login(user)
        assert client.get(detail).status_code == status, user
        assert client.get(reverse("careers:badge_download", args=[badge.pk, "png"])).status_code == status
    client.force_login(director_a.user)  # a director reads, only the holder chooses what is shared
    assert client.post(detail, {"share_name": "on"}).status_code == 404
    assert client.post(reverse("careers:badge_revoke", args=[badge.pk]), {"reason": "x"}).status_code == 404
    client.force_login(employee_a.user)
    response = client.post(detail, {"share_name": "on"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    badge.refresh_from_db()
    assert badge.share_name


def test_a_configured_key_signs_and_a_bad_one_is_refused(settings, completed):
    from django.core.exceptions import ImproperlyConfigured

    key = jwk.JWK.generate(kty="RSA", size=2048)
    settings.CLO_BADGE_SIGNING_KEY = key.export_private()
    badge = services.badge_issue_for_enrolment(enrolment_id=completed.pk)
    assert badge.key_id == key.thumbprint()
    assert services.badge_verify(badge.credential)["vc"]["name"] == "Administració digital"
    settings.CLO_BADGE_SIGNING_KEY = "not a key"
    with pytest.raises(ImproperlyConfigured, match="CLO_BADGE_SIGNING_KEY"):
        services.signing_key()


def _status_of(client, badge) -> tuple[dict, bool]:
    """The status list the badge's credential points at, verified with jwcrypto, and the badge's bit in it."""
    entry = services.credential_claims(badge)["vc"]["credentialStatus"]
    path = entry["statusListCredential"].removeprefix("http://localhost:8000")
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"] == "application/vc+jwt"
    checked = jwt.JWT(jwt=response.content.decode(), key=_jwks(), algs=["RS256"])
    credential = json.loads(checked.claims)["vc"]
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credential["id"] == entry["statusListCredential"]
    subject = credential["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    bits = services.decoded_list(subject["encodedList"])
    assert len(bits) * 8 >= 131_072  # the specification's minimum size
    index = int(entry["statusListIndex"])
    return credential, bool(bits[index // 8] & (0x80 >> (index % 8)))


def test_a_new_badge_carries_its_revocation_status_entry(badge):
    credential = services.credential_claims(badge)["vc"]
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    entry = credential["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry" and entry["statusPurpose"] == "revocation"
    assert entry["id"] == f"{entry['statusListCredential']}#{entry['statusListIndex']}"
    assert entry["statusListCredential"].endswith(reverse("careers:badge_status_list", args=[0]))
    assert services.badge_verify(badge.credential)["vc"]["credentialStatus"] == entry


def test_revoking_a_badge_sets_its_bit_in_the_served_status_list_and_only_its(badge, employee_a, client, clo_client):
    starts = timezone.now() - dt.timedelta(days=2)
    other_session = f.SessionFactory(starts_at=starts, ends_at=starts + dt.timedelta(hours=2))
    other = services.badge_issue_for_enrolment(enrolment_id=Enrolment.objects.create(
        session=other_session, employee=employee_a, status=Enrolment.Status.COMPLETED,
        completed_on=timezone.localdate(starts)).pk)
    assert _status_of(client, badge)[1] is False and _status_of(client, other)[1] is False
    assert clo_client.post(reverse("careers:badge_revoke", args=[badge.pk]),
                           {"reason": "Certificat erroni"}).status_code == 302
    assert _status_of(client, badge)[1] is True  # an anonymous verifier reads the flipped bit
    assert _status_of(client, other)[1] is False  # the valid badge's is not set
    # the list names nobody; a list no badge points at does not exist
    listed = client.get(reverse("careers:badge_status_list", args=[0])).content.decode()
    assert employee_a.full_name not in listed and employee_a.email not in listed
    assert client.get(reverse("careers:badge_status_list", args=[1])).status_code == 404
    assert client.get(reverse("careers:badge_status_list", args=[10**30])).status_code == 404
    assert client.post(reverse("careers:badge_status_list", args=[0])).status_code == 405


def test_the_bitstring_encoding_is_the_specifications(badge):
    """Index 0 is the first byte's most significant bit; the list is GZIP, base64url without padding, multibase u."""
    encoded = services.encoded_list([0, 9, 131_071])
    assert encoded.startswith("u") and "=" not in encoded and "+" not in encoded and "/" not in encoded
    bits = services.decoded_list(encoded)
    assert len(bits) == 16_384 and bits[0] == 0x80 and bits[1] == 0x40 and bits[-1] == 0x01
    assert sum(bin(byte).count("1") for byte in bits) == 3


def test_a_badge_signed_with_the_previous_key_still_verifies_after_a_rotation(settings, completed, employee_a,
                                                                               client):
    old, new = jwk.JWK.generate(kty="RSA", size=2048), jwk.JWK.generate(kty="RSA", size=2048)
    settings.CLO_BADGE_SIGNING_KEY = old.export_to_pem(private_key=True, password=None).decode()
    before = services.badge_issue_for_enrolment(enrolment_id=completed.pk)
    assert before.key_id == old.thumbprint()
    # the rotation: a new current key, the old one kept (only its public half) among the previous keys
    settings.CLO_BADGE_SIGNING_KEY = new.export_private()
    retired = jwk.JWK.generate(kty="RSA", size=2048)  # an older one still, both public PEM blocks in one setting
    settings.CLO_BADGE_PREVIOUS_KEYS = (old.export_to_pem().decode() + "\n" + retired.export_to_pem().decode())
    starts = timezone.now() - dt.timedelta(days=1)
    session = f.SessionFactory(starts_at=starts, ends_at=starts + dt.timedelta(hours=2))
    after = services.badge_issue_for_enrolment(enrolment_id=Enrolment.objects.create(
        session=session, employee=employee_a, status=Enrolment.Status.COMPLETED,
        completed_on=timezone.localdate(starts)).pk)
    assert after.key_id == new.thumbprint()
    published = client.get(reverse("careers:issuer_jwks")).json()["keys"]
    assert [key["kid"] for key in published] == [new.thumbprint(), old.thumbprint(), retired.thumbprint()]
    assert all("d" not in key for key in published)
    for issued in (before, after):
        assert json.loads(jwt.JWT(jwt=issued.credential, key=_jwks(), algs=["RS256"]).claims)["jti"] == (
            services.verification_url(issued))
        assert services.badge_verify(issued.credential)["vc"]["credentialSubject"]["achievement"]["name"]
        assert "This badge is valid." in client.get(
            reverse("careers:badge_verify", args=[issued.public_id]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # the status list is signed with the current key
    status = client.get(reverse("careers:badge_status_list", args=[0])).content.decode()
    assert json.loads(jwt.JWT(jwt=status, key=_jwks(), algs=["RS256"]).header)["kid"] == new.thumbprint()
    # dropping the old key from the setting: its badges no longer verify
    settings.CLO_BADGE_PREVIOUS_KEYS = retired.export_to_pem().decode()
    with pytest.raises(ValidationError):
        services.badge_verify(before.credential)


def test_previous_keys_as_a_jwks_file_and_bad_ones_refused(settings):
    from django.core.exceptions import ImproperlyConfigured

    old = jwk.JWK.generate(kty="RSA", size=2048)
    keys = jwk.JWKSet()
    keys.add(old)
    settings.CLO_BADGE_PREVIOUS_KEYS = keys.export(private_keys=False)
    assert [key["kid"] for key in services.previous_keys()] == [old.thumbprint()]
    for bad in ("not a key", '{"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}'):
        settings.CLO_BADGE_PREVIOUS_KEYS = bad
        with pytest.raises(ImproperlyConfigured, match="CLO_BADGE_PREVIOUS_KEYS"):
            services.previous_keys()
