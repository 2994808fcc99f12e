"""Downloads are named in the reader's language (or the document's), with an ASCII name every browser reads and the
UTF-8 one (RFC 6266 ``filename*``) for those that read it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clo.core.downloads import disposition, file_name

pytestmark = pytest.mark.django_db


def test_names_keep_accents_in_the_utf8_name_and_drop_them_in_the_ascii_one():
    assert file_name("Pla d'aprenentatge 2027 · Soler Camps, Pere", "pdf") == (
        "pla-d-aprenentatge-2027-soler-camps-pere.pdf")
    assert disposition("informe-de-formació.pdf") == (
        "attachment; filename=\"informe-de-formacio.pdf\"; filename*=UTF-8''informe-de-formaci%C3%B3.pdf")
    assert disposition("gaps-ab.xlsx") == 'attachment; filename="gaps-ab.xlsx"'
    assert disposition('a"b\r\nc;.pdf').startswith('attachment; filename="a-b-c-.pdf"')


@pytest.mark.parametrize(("language", "name"), [
    ("ca", "attachment; filename=\"registre-d-auditoria.csv\""),
    ("es", "attachment; filename=\"registro-de-auditoria.csv\"; filename*=UTF-8''registro-de-auditor%C3%ADa.csv"),
    ("en", 'attachment; filename="audit-trail.csv"'),
])
def test_a_list_download_is_named_in_the_readers_language(clo_client, language, name):
    clo_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    assert clo_client.get(reverse("audit_export", args=["csv"]))["Content-Disposition"] == name


@pytest.mark.parametrize(("language", "start"), [("ca", "les-meves-dades-"), ("es", "mis-datos-"), ("en", "my-data-")])
def test_my_data_is_named_in_the_readers_language(employee_a_client, employee_a, language, start):
    employee_a_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    header = employee_a_client.get(reverse("my_data_download", args=["json"]))["Content-Disposition"]
    assert header.startswith(f'attachment; filename="{start}{employee_a.employee_number.lower()}-')
