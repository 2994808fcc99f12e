"""Real servers for the sign-in tests, started on spare ports: Debian's OpenLDAP (slapd, a generated configuration
and an LDIF of people and groups) and an OpenID Connect provider (django-oauth-toolkit in its own Django process,
tests/accounts/idp). Without them the tests skip, except under CI=true where a server that cannot start fails."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
SUFFIX = "dc=vilamar,dc=example"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "directory admin"


def unavailable(message: str):
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def spare_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(check, process: subprocess.Popen, what: str, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            unavailable(f"{what} exited at start ({process.returncode}): {log.read_text()[-2000:]!r}")
        try:
            if check():
                return
        except Exception:  # noqa: BLE001 - not up yet
            pass
        time.sleep(0.2)
    process.kill()
    unavailable(f"{what} did not start within {seconds} s: {log.read_text()[-2000:]!r}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


# --- OpenID Connect provider ------------------------------------------------------------------------------------

@dataclass
class Person:
    username: str
    email: str
    employee_number: str
    groups: list[str] = field(default_factory=list)


IDP_PEOPLE = [
    Person("ada", "ada.puig@vilamar.example", "E100", ["CLO-Formacio", "Staff"]),
    Person("bernat", "bernat.soler@vilamar.example", "E200", ["RRHH"]),
    Person("carme", "carme.vila@vilamar.example", "E300", []),  # deactivated in the register by the tests
    Person("stranger", "stranger@elsewhere.example", "X999", ["CLO-Formacio"]),  # not in the register
]
CLIENT_ID, CLIENT_SECRET = "clo-workbench", "client secret of clo"
CALLBACK = "/accounts/oidc/callback/"


@dataclass
class Provider:
    url: str  # the issuer
    key_pem: str
    process: subprocess.Popen


def start_provider(tmp: Path) -> Provider:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    (tmp / "idp.key").write_text(pem)
    people = {
        "client": {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                   "redirect_uris": [f"http://testserver{CALLBACK}", f"http://localhost{CALLBACK}"],
                   "post_logout_redirect_uris": ["http://testserver/accounts/login/", "http://localhost/accounts/login/"]},
        "people": [{"username": p.username, "password": PASSWORD, "email": p.email,
                    "employee_number": p.employee_number, "groups": p.groups} for p in IDP_PEOPLE],
    }
    (tmp / "people.json").write_text(json.dumps(people))
    port = spare_port()
    env = {**os.environ, "IDP_DATABASE": str(tmp / "idp.sqlite3"), "IDP_RSA_KEY": str(tmp / "idp.key"),
           "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if os.environ.get("CLO_TEST_NOW"):  # this process runs on that clock (tests/conftest.py): so does the provider
        import datetime as dt

        env["IDP_NOW"] = dt.datetime.now(dt.timezone.utc).isoformat()
    log = tmp / "idp.log"
    with log.open("w") as output:  # a file, not a pipe: nobody reads a pipe while the tests run, and it would fill
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.accounts.idp.serve", str(port), str(tmp / "people.json")],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=output)
    url = f"http://127.0.0.1:{port}/o"
    _wait(lambda: requests.get(f"{url}/.well-known/openid-configuration", timeout=1).ok, process,
          "the OpenID Connect provider (django-oauth-toolkit)", log)
    return Provider(url=url, key_pem=pem, process=process)


# --- OpenLDAP -----------------------------------------------------------------------------------------------------

LDAP_PEOPLE = [
    # uid, employee number, mail, groups
    ("ada", "E100", "ada.puig@vilamar.example", ["clo-formacio"]),
    ("bernat", "E200", "bernat.soler@vilamar.example", ["rrhh"]),
    ("carme", "E300", "carme.vila@vilamar.example", []),
    ("stranger", "X999", "stranger@elsewhere.example", ["clo-formacio"]),
]


def _ldif() -> str:
    entries = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Ajuntament de Vilamar\ndc: vilamar\n",
        f"dn: ou=people,{SUFFIX}\nobjectClass: organizationalUnit\nou: people\n",
        f"dn: ou=groups,{SUFFIX}\nobjectClass: organizationalUnit\nou: groups\n",
        f"dn: cn=service,{SUFFIX}\nobjectClass: simpleSecurityObject\nobjectClass: organizationalRole\ncn: service\n"
        f"userPassword: {ADMIN_PASSWORD}\n",
    ]
    members: dict[str, list[str]] = {"clo-formacio": [], "rrhh": [], "dpd": []}
    for uid, number, mail, groups in LDAP_PEOPLE:
        dn = f"uid={uid},ou=people,{SUFFIX}"
        entries.append(f"dn: {dn}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {uid}\nsn: {uid}\n"
                       f"employeeNumber: {number}\nmail: {mail}\nuserPassword: {PASSWORD}\n")
        for group in groups:
            members[group].append(dn)
    for group, dns in members.items():
        member_lines = "".join(f"member: {dn}\n" for dn in dns) or f"member: cn=service,{SUFFIX}\n"
        entries.append(f"dn: cn={group},ou=groups,{SUFFIX}\nobjectClass: groupOfNames\ncn: {group}\n{member_lines}")
    return "\n".join(entries)


@dataclass
class Directory:
    uri: str
    process: subprocess.Popen
    tmp: Path
    ca_file: Path  # the CA of the server's certificate (StartTLS)


def _certificates(tmp: Path) -> tuple[Path, Path, Path]:
    """A CA, and a certificate it signs for 127.0.0.1: (CA file, certificate file, key file)."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    # Fixed dates: OpenSSL/GnuTLS read the real clock, the tests may run on another (CLO_TEST_NOW).
    start, end = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc), dt.datetime(2045, 1, 1, tzinfo=dt.timezone.utc)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Vilamar test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(start)
          .not_valid_after(end)
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    files = tmp / "ca.pem", tmp / "server.pem", tmp / "server.key"
    files[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    files[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return files


def start_directory(tmp: Path) -> Directory:
    slapd = shutil.which("slapd") or "/usr/sbin/slapd"
    slapadd = shutil.which("slapadd") or "/usr/sbin/slapadd"
    if not Path(slapd).exists():
        unavailable("slapd is not installed (Debian packages slapd and ldap-utils; .ci/run installs them)")
    (tmp / "db").mkdir()
    ca_file, cert_file, key_file = _certificates(tmp)
    conf = tmp / "slapd.conf"
    conf.write_text(
        "include /etc/ldap/schema/core.schema\ninclude /etc/ldap/schema/cosine.schema\n"
        f"TLSCACertificateFile {ca_file}\nTLSCertificateFile {cert_file}\nTLSCertificateKeyFile {key_file}\n"
        "include /etc/ldap/schema/inetorgperson.schema\ninclude /etc/ldap/schema/nis.schema\n"
        f"pidfile {tmp}/slapd.pid\nmodulepath /usr/lib/ldap\nmoduleload back_mdb\n"
        f"database mdb\nsuffix \"{SUFFIX}\"\nrootdn \"{ADMIN_DN}\"\nrootpw \"{ADMIN_PASSWORD}\"\n"
        f"directory {tmp}/db\nmaxsize 10485760\n"
        "access to attrs=userPassword by anonymous auth by self write by * none\n"
        "access to * by * read\n"
    )
    (tmp / "people.ldif").write_text(_ldif())
    loaded = subprocess.run([slapadd, "-f", str(conf), "-l", str(tmp / "people.ldif")], capture_output=True, text=True)
    if loaded.returncode:
        unavailable(f"slapadd failed: {loaded.stderr[-2000:]}")
    port = spare_port()
    uri = f"ldap://127.0.0.1:{port}"
    log = tmp / "slapd.log"
    with log.open("w") as output:
        process = subprocess.Popen([slapd, "-f", str(conf), "-h", uri + "/", "-d", "0"], stdout=subprocess.DEVNULL,
                                   stderr=output)

    def answers() -> bool:
        import ldap

        connection = ldap.initialize(uri)
        connection.set_option(ldap.OPT_NETWORK_TIMEOUT, 1)
        connection.simple_bind_s(ADMIN_DN, ADMIN_PASSWORD)
        return True

    _wait(answers, process, "slapd", log)
    return Directory(uri=uri, process=process, tmp=tmp, ca_file=ca_file)
