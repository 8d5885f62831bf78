"""In Chromium, in French, on a desktop and on a phone: an organiser creates a study day of three talks,
puts them in the order of their start times, uploads a deck and publishes the whole day in one step;
a visitor then finds the programme in that order, the slides and the speakers. No page is wider than
the screen, and no page logs a console error or a failed request (the page fixture)."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ACCOUNT_PASSWORD, other_page
from tests.browser.test_slides_browser import drop_and_upload, process_uploaded_deck

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("compiled_translations")]
SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}
DAY = "Journée médiation numérique 2026"
# Entered in this order, which the start times contradict.
TALKS = [("Bilan des ateliers numériques", "Guillaume Hatt", "14:00"),
         ("Des blogs thématiques en bibliothèque", "Sophie Perrusson", "09:30"),
         ("Une grainothèque partagée", "Léa Dupont", "11:00")]
IN_TIME_ORDER = [TALKS[1][0], TALKS[2][0], TALKS[0][0]]


@pytest.fixture
def organiser(db, make_user):
    user = make_user("organiser", email="organisatrice@example.org", password=ACCOUNT_PASSWORD)
    db.session.commit()
    return user


def fits_the_screen(page) -> None:
    """The page, once loaded, is no wider than the screen."""
    page.wait_for_load_state()
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url} is {width} px wide on a {inner} px screen"


def submit(page, button: str = "Enregistrer") -> None:
    page.locator("main form").get_by_role("button", name=button, exact=True).first.click()
    fits_the_screen(page)


def log_in(page) -> None:
    page.goto("/login")
    fits_the_screen(page)
    page.get_by_label("Adresse e-mail").fill("organisatrice@example.org")
    page.get_by_label("Mot de passe").fill(ACCOUNT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    page.wait_for_url("**/manage/")
    fits_the_screen(page)


def create_the_day(page) -> None:
    page.goto("/manage/events/")
    page.get_by_role("link", name="Nouvel événement").first.click()
    fits_the_screen(page)
    page.get_by_label("Titre", exact=True).fill(DAY)
    page.get_by_label("Premier jour").fill("2026-11-20")
    page.get_by_label("Lieu").fill("Médiathèque de Levallois")
    page.get_by_label("Mots-dièses, séparés par des virgules").fill("#MedNumSavoirs")
    submit(page)
    expect(page.locator(".flash--success")).to_contain_text("Événement créé comme brouillon.")


def add_talk(page, title: str, speaker: str, start: str) -> None:
    page.get_by_role("link", name="Ajouter une intervention").first.click()
    fits_the_screen(page)
    page.get_by_label("Titre", exact=True).fill(title)
    page.locator("#speakers").fill(speaker)
    page.get_by_label("Jour", exact=True).fill("2026-11-20")
    page.get_by_label("Heure de début").fill(start)
    submit(page)
    expect(page.locator(".flash--success")).to_be_visible()


def programme_titles(page) -> list[str]:
    return page.locator(".programme-editor__title a").all_inner_texts()


def open_programme(page) -> None:
    page.goto("/manage/events/")
    page.get_by_role("link", name=DAY).first.click()
    fits_the_screen(page)
    page.get_by_role("link", name=re.compile(r"^Programme")).first.click()
    fits_the_screen(page)


@pytest.mark.parametrize("screen", SCREENS)
def test_an_organiser_publishes_a_study_day_of_three_talks_in_one_step(page, live_server, organiser, make_pdf,
                                                                       db, drain, screen):
    page.set_viewport_size(SCREENS[screen])
    log_in(page)
    create_the_day(page)
    for title, speaker, start in TALKS:
        open_programme(page)
        add_talk(page, title, speaker, start)

    open_programme(page)
    assert programme_titles(page) == [title for title, _speaker, _start in TALKS]
    warning = page.get_by_text("L’ordre contredit les heures de début")
    expect(warning).to_be_visible()
    submit(page, "Trier par heure de début")
    assert programme_titles(page) == IN_TIME_ORDER
    expect(warning).to_be_hidden()

    page.get_by_role("link", name=IN_TIME_ORDER[0]).click()
    fits_the_screen(page)
    drop_and_upload(page, make_pdf("Bienvenue", "Bilan chiffré des blogs", "Merci"))
    process_uploaded_deck(db)
    expect(page.locator('tr[data-deck-status="ready"]')).to_be_visible(timeout=30000)
    fits_the_screen(page)

    open_programme(page)
    page.get_by_role("link", name=DAY).first.click()
    fits_the_screen(page)
    page.get_by_role("link", name="Publier…").click()
    fits_the_screen(page)
    for title in IN_TIME_ORDER:
        expect(page.get_by_role("checkbox", name=re.compile(re.escape(title)))).to_be_checked()
    submit(page, "Publier")
    expect(page.locator(".flash--success")).to_have_text("Événement publié avec 3 interventions.")

    visitor = other_page(page, viewport=SCREENS[screen])
    visitor.goto("/events/")
    fits_the_screen(visitor)
    visitor.get_by_role("link", name=DAY).first.click()
    fits_the_screen(visitor)
    main = visitor.locator("main")
    positions = [main.get_by_role("link", name=title).first.bounding_box()["y"] for title in IN_TIME_ORDER]
    assert positions == sorted(positions), "the public programme follows the start times"
    main.get_by_role("link", name=IN_TIME_ORDER[0]).first.click()
    fits_the_screen(visitor)
    expect(visitor.locator(".slide-viewer__thumb img")).to_have_count(3)
    visitor.locator("main").get_by_role("link", name="Sophie Perrusson").first.click()
    visitor.wait_for_url("**/speakers/sophie-perrusson")
    fits_the_screen(visitor)
    drain()
    visitor.goto("/search?q=grainotheque")  # typed without its accent
    fits_the_screen(visitor)
    expect(visitor.locator(".search-result").get_by_role("link", name=TALKS[2][0])).to_be_visible()
    visitor.context.close()
