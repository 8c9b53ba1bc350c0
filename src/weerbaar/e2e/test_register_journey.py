"""The issue's journey: a small gemeente's coordinator builds the register in minutes.

Wizard to 15 processes, a positions sheet with two bad rows (errors shown, nothing written), the
fixed sheet imported, then export and re-import (nothing changes) — axe on every page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from weerbaar.core.permissions import Role
from weerbaar.e2e.helpers import log_in
from weerbaar.e2e.test_journeys import assert_accessible
from weerbaar.register.transfer.positions import COLUMNS
from weerbaar.spreadsheets import Sheet, write_xlsx
from weerbaar.testing.factories import TEST_PASSWORD, MembershipFactory, OrganisationFactory, UnitFactory, UserFactory

UNITS = ("Publiekszaken en Vergunningen", "Sociaal Domein", "Bedrijfsvoering")


def _small_gemeente() -> str:
    organisation = OrganisationFactory.create(name="Gemeente Kleinwater", inhabitants=9_800)
    for name in UNITS:
        UnitFactory.create(organisation=organisation, name=name)
    coordinator = UserFactory.create(email="coordinator@kleinwater.example", full_name="Coördinator Kleinwater")
    MembershipFactory.create(organisation=organisation, user=coordinator, roles=[Role.COORDINATOR])
    owner = UserFactory.create(email="eigenaar@kleinwater.example", full_name="Eigenaar Kleinwater")
    MembershipFactory.create(organisation=organisation, user=owner, roles=[Role.PROCESEIGENAAR])
    return coordinator.email


def _positions_sheet(path: Path, *, bad: bool) -> Path:
    rows: list[tuple[object, ...]] = [
        (
            "Vergunningverlener",
            UNITS[0],
            "2,5",
            "VOG NP (justitiële gegevens)",
            "Informatie; Geld",
            5,
            "2024-03-01",
            "",
        ),
        ("Consulent werk en inkomen", UNITS[1], "3", "VOG NP (justitiële gegevens)", "Geld; Personen", 5, "", ""),
        ("Inkoper", UNITS[2], "1", "VOG P (met politiegegevens)", "", 3, "2025-06-15", ""),
        ("Baliemedewerker", UNITS[0], "4", "Geen screening", "", "", "", ""),
    ]
    if bad:
        rows[1] = ("Consulent werk en inkomen", UNITS[1], "drie", *rows[1][3:])
        rows[2] = ("Inkoper", "Afdeling Onbekend", *rows[2][2:])
    path.write_bytes(write_xlsx([Sheet(title="Functies", columns=COLUMNS, rows=rows)]))
    return path


def test_small_gemeente_builds_its_register(
    page: Any, live_server: Any, transactional_db: None, tmp_path: Path
) -> None:
    base = live_server.url
    log_in(page, base, _small_gemeente(), password=TEST_PASSWORD)

    page.goto(base + "/register/processen")
    assert_accessible(page)  # the empty register points to the wizard
    page.get_by_role("link", name="Overnemen uit de catalogus").first.click()
    assert_accessible(page)

    for unit, count in zip(UNITS, (6, 5, 4), strict=True):
        page.get_by_label("Afdeling of team").select_option(label=unit)
        page.get_by_role("button", name="Processen tonen").click()
        assert_accessible(page)
        boxes = page.locator("input[type=checkbox][name$='-adopt']:not([disabled])")
        for index in range(count):
            boxes.nth(index).check()
        page.get_by_label("Standaard proceseigenaar").select_option(
            label="Eigenaar Kleinwater (eigenaar@kleinwater.example)"
        )
        page.get_by_role("button", name="Aangevinkte processen toevoegen").click()
        assert page.get_by_role("status").filter(has_text=f"{count} processen toegevoegd").count() == 1
        page.goto(base + "/register/processen/overnemen")

    page.goto(base + "/register/processen")
    assert "15 processen" in page.locator("caption").first.inner_text()
    assert_accessible(page)

    # Positions: a sheet with two bad rows is refused as a whole, with row, column and reason.
    page.goto(base + "/register/functies/importeren")
    assert_accessible(page)
    page.locator("input[type=file]").set_input_files(str(_positions_sheet(tmp_path / "functies.xlsx", bad=True)))
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    assert page.get_by_text("Er is niets opgeslagen.").count() == 1
    errors = page.locator("#issues-caption").locator("xpath=..")
    assert "Vul een getal in" in errors.inner_text() and "Afdeling Onbekend" in errors.inner_text()
    assert page.get_by_role("button", name="Bevestigen en opslaan").count() == 0
    assert_accessible(page)
    page.goto(base + "/register/functies")
    assert page.get_by_text("Er staan nog geen functies in het register.").count() == 1

    # The fixed sheet: preview, confirm, written.
    page.goto(base + "/register/functies/importeren")
    page.locator("input[type=file]").set_input_files(str(_positions_sheet(tmp_path / "functies-goed.xlsx", bad=False)))
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    assert_accessible(page)
    page.get_by_role("button", name="Bevestigen en opslaan").click()
    assert "/register/functies" in page.url
    assert "4 functies" in page.locator("caption").first.inner_text()
    assert_accessible(page)

    # Export and import again: nothing changes.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporteren naar Excel").click()
    exported = tmp_path / "export.xlsx"
    download_info.value.save_as(str(exported))
    page.goto(base + "/register/functies/importeren")
    page.locator("input[type=file]").set_input_files(str(exported))
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    assert page.get_by_text("er verandert niets", exact=False).count() == 1
    assert_accessible(page)
