"""Evidence through the plan-line page: upload checks, the download's headers and audit, withdrawal."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body
from weerbaar.plan.models import Evidence, EvidenceFile, PlannedMeasure
from weerbaar.plan.tests.page_support import events, line_url
from weerbaar.plan.tests.support import PDF_BYTES, pdf, plan, scored_process
from weerbaar.plan.views.measure import attachment_header
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db


def _line(world: World) -> PlannedMeasure:
    return plan(world.a, scored_process(world.a))  # owned by the proceseigenaar


def _upload(
    world: World,
    planned: PlannedMeasure,
    upload: SimpleUploadedFile | None,
    note: str = "",
    role: str = "proceseigenaar",
) -> object:
    data: dict[str, object] = {"bewijs-note": note}
    if upload is not None:
        data["bewijs-file"] = upload
    return world.client_for(role).post(line_url(planned, "evidence_add"), data)


def _only_evidence(world: World) -> Evidence:
    with tenant_scope(world.a.organisation):
        return Evidence.objects.select_related("planned_measure").get()


def test_a_good_file_is_added_listed_and_audited(world: World) -> None:
    planned = _line(world)
    response = _upload(world, planned, pdf("Verslag normgesprek.pdf"), note="Notulen van 3 maart")
    assert response.status_code == 302  # type: ignore[attr-defined]
    page = body(world.client_for("coordinator").get(line_url(planned)))
    evidence = _only_evidence(world)
    assert "Verslag normgesprek.pdf" in page and "Notulen van 3 maart" in page
    assert reverse("plan:evidence_download", kwargs={"evidence_uuid": evidence.uuid}) in page
    assert world.a.members["proceseigenaar"].user.full_name in page
    assert events(world, "plan.evidence.add") == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("groot.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "Het bestand is groter dan 10 MB"),
        ("programma.exe", b"MZ\x90\x00", "Dit soort bestand kan niet worden toegevoegd"),
        ("nep.pdf", b"\x89PNG\r\n\x1a\nniet echt", "De inhoud van dit bestand past niet bij de extensie .pdf"),
    ],
)
def test_a_file_too_big_forbidden_or_lying_is_refused_in_dutch_and_the_note_kept(
    world: World, name: str, content: bytes, message: str
) -> None:
    planned = _line(world)
    response = _upload(world, planned, SimpleUploadedFile(name, content), note="Mijn toelichting bij het bestand")
    page = body(response)
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert message in page and "Mijn toelichting bij het bestand" in page
    assert "Een gekozen bestand moet u opnieuw kiezen" in page
    with tenant_scope(world.a.organisation):
        assert not Evidence.objects.exists() and not EvidenceFile.objects.exists()
    assert events(world, "plan.evidence.add") == 0


def test_neither_note_nor_file_asks_for_one_of_them(world: World) -> None:
    page = body(_upload(world, _line(world), None))
    assert "Schrijf een toelichting of voeg een bestand toe." in page


def test_who_may_not_update_the_line_cannot_add_evidence(world: World) -> None:
    planned = _line(world)
    assert _upload(world, planned, pdf(), role="secretaris").status_code == 403  # type: ignore[attr-defined]
    assert _upload(world, planned, pdf(), role="medewerker").status_code == 404  # type: ignore[attr-defined]
    with tenant_scope(world.a.organisation):
        assert not Evidence.objects.exists()


def test_the_download_is_an_attachment_with_safe_headers_and_is_audited(world: World) -> None:
    planned = _line(world)
    _upload(world, planned, pdf("Verslag café “maart”.pdf"))
    evidence = _only_evidence(world)
    url = reverse("plan:evidence_download", kwargs={"evidence_uuid": evidence.uuid})
    response = world.client_for("secretaris").get(url)
    assert response.status_code == 200
    assert response.content == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    assert "filename*=UTF-8''Verslag%20caf%C3%A9%20%E2%80%9Cmaart%E2%80%9D.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"
    assert events(world, "plan.evidence.download") == 1
    assert world.client_for("proceseigenaar").get(url).status_code == 200
    for role in ("medewerker", "vertrouwenspersoon"):
        assert world.client_for(role).get(url).status_code == 404, role
    assert world.client_for("secretaris", world.b).get(url).status_code == 404
    assert events(world, "plan.evidence.download") == 2


def test_the_ascii_fallback_name_cannot_break_out_of_the_header() -> None:
    header = attachment_header('a"b;c\\d é.pdf')
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback == "a_b_c_d e.pdf"
    assert header.endswith("filename*=UTF-8''a%22b%3Bc%5Cd%20%C3%A9.pdf")


def test_withdrawn_evidence_is_no_longer_listed_or_served(world: World) -> None:
    planned = _line(world)
    _upload(world, planned, pdf("Weg ermee.pdf"))
    evidence = _only_evidence(world)
    withdraw = reverse("plan:evidence_withdraw", kwargs={"evidence_uuid": evidence.uuid})
    assert world.client_for("secretaris").post(withdraw).status_code == 403
    assert world.client_for("medewerker").post(withdraw).status_code == 404
    assert world.client_for("proceseigenaar").post(withdraw).status_code == 302
    assert events(world, "plan.evidence.withdraw") == 1
    download = reverse("plan:evidence_download", kwargs={"evidence_uuid": evidence.uuid})
    assert world.client_for("coordinator").get(download).status_code == 404
    assert "Weg ermee.pdf" not in body(world.client_for("coordinator").get(line_url(planned)))
    assert world.client_for("proceseigenaar").post(withdraw).status_code == 404
