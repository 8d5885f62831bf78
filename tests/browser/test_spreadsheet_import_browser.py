"""In Chromium, in French: an organiser imports the programme a French Excel saved as CSV
(Windows-1252, ";", dd/mm/yyyy, accents in headers and titles), checks the guessed columns and the
dry run, confirms, watches the progress end, and finds the talks on the public event page; then
adds an .xlsx sheet to that event."""
import io
from datetime import datetime

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.browser.conftest import ACCOUNT_PASSWORD
from webapp.importing.spreadsheet_worker import stop_spreadsheet_worker

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("compiled_translations")]
DAY = "Journée médiation numérique 2016"
FRENCH_EXCEL_CSV = (
    "Événement;Titre;Intervenant(e)s;Date;Heure;Durée;Résumé;Mots-clés\r\n"
    f"{DAY};Café numérique à la médiathèque;Léa Dupont et Paul Durand;05/10/2016;09:30;45;"
    "Un café pour parler numérique.;#mednum #café\r\n"
    f"{DAY};Des blogs thématiques en bibliothèque;Sophie Perrusson;05/10/2016;11:00;30;;blogs\r\n"
    f"{DAY};;Sans titre;05/10/2016;;;;\r\n"
).encode("cp1252")


@pytest.fixture
def app_config():
    return {"SPREADSHEET_WORKER": "thread"}


@pytest.fixture
def organiser(app, db, make_user):
    user = make_user("organiser", email="organisatrice@example.org", password=ACCOUNT_PASSWORD)
    db.session.commit()
    yield user
    stop_spreadsheet_worker(app)


def xlsx_sheet() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Titre", "Intervenants", "Date"])
    workbook.active.append(["Une grainothèque partagée", "Anne Martin; Léa Dupont", datetime(2016, 10, 5)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(page, name: str, mime: str, data: bytes) -> None:
    page.goto("/manage/import/spreadsheet")
    page.set_input_files("#spreadsheet-file", files=[{"name": name, "mimeType": mime, "buffer": data}])
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/manage/import/spreadsheet/*")


def preview_and_confirm(page, rows: int) -> None:
    page.locator("button[value=preview]").click()
    expect(page.locator("#dry-run")).to_be_visible()
    page.locator("button[value=confirm]").click()
    expect(page.locator("#import-result")).to_be_visible(timeout=15_000)
    expect(page.locator("#import-result")).to_contain_text(f"{rows}")


def test_organiser_imports_a_french_excel_csv_and_finds_the_talks(page, organiser):
    page.goto("/login?next=/manage/import/spreadsheet")
    page.fill("#email", organiser.email)
    page.fill("#password", ACCOUNT_PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url("**/manage/import/spreadsheet")
    upload(page, "programme.csv", "text/csv", FRENCH_EXCEL_CSV)
    expect(page.locator("#column-title option:checked")).to_have_text("Titre")
    expect(page.locator("#column-speakers option:checked")).to_have_text("Intervenant(e)s")
    expect(page.locator("#column-event option:checked")).to_have_text("Événement")
    expect(page.locator("#column-video option:checked")).to_have_text("(non importé)")
    page.locator("button[value=preview]").click()
    report = page.locator("#dry-run")
    expect(report.locator("tr.outcome--create")).to_have_count(2)
    expect(report.locator("tr.outcome--refuse")).to_contain_text("Le titre n’est pas renseigné")
    page.locator("button[value=confirm]").click()
    result = page.locator("#import-result")
    expect(result).to_be_visible(timeout=15_000)
    expect(result).to_contain_text("2 intervention(s) créée(s)")
    result.get_by_role("link").first.click()
    expect(page.locator("h1")).to_have_text(DAY)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("main")).to_contain_text("Café numérique à la médiathèque")
    expect(page.locator("main")).to_contain_text("Des blogs thématiques en bibliothèque")
    expect(page.locator("main")).to_contain_text("Léa Dupont")
    expect(page.locator("main")).to_contain_text("5 octobre 2016")

    upload(page, "ajout.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx_sheet())
    page.select_option("#spreadsheet-event", label=DAY)
    preview_and_confirm(page, 1)
    page.goto(page.locator("#import-result a").first.get_attribute("href"))
    expect(page.locator("main")).to_contain_text("Une grainothèque partagée")
    expect(page.locator("main")).to_contain_text("Anne Martin")
