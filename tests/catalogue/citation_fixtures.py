"""Talks that are hard to cite, and readers for what the pages and downloads give."""
from datetime import date
from html.parser import HTMLParser

import pytest

from webapp.models import DeckKind, DeckStatus, SlideDeck, Status

HARD_TITLE = "Médiation & savoirs : {50 %} d'« ateliers » #1 ~ \\o/ </script>\nà Saint-Étienne"
SPEAKERS = ("Sophie Perrusson", "Jean-Pierre de la Fontaine", "Ludwig van Beethoven")


class MetaTags(HTMLParser):
    """(name, content) of each <meta name=...> in <head>, and the rel/href of its <link>s."""

    def __init__(self, html: str):
        super().__init__()
        self.pairs: list[tuple[str, str]] = []
        self.links: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "meta" and "name" in values:
            self.pairs.append((values["name"], values.get("content")))
        elif tag == "link":
            self.links.append((values.get("rel"), values.get("href")))

    def all(self, name: str) -> list[str]:
        return [content for key, content in self.pairs if key == name]

    def one(self, name: str) -> str:
        found = self.all(name)
        assert len(found) == 1, (name, found)
        return found[0]


@pytest.fixture
def hard_talk(db, make_event, make_talk, make_speaker):
    """A public talk with accents, BibTeX and LaTeX specials, a newline, `</script>`, speakers
    with particles, tags, a licence and a ready PDF deck; beside it, a draft of the same event."""
    event = make_event("Journées {100 %} & « Bib »", slug="journees", place="Saint-Étienne",
                       host_organisation="Médiathèque & Co", start_date=date(2016, 10, 5),
                       end_date=date(2016, 10, 6), tags=["mednumsavoirs", "fablab"])
    talk = make_talk(HARD_TITLE, slug="mediation", event=event, language="fr", licence="CC-BY-4.0",
                     given_on=date(2016, 10, 6), tags=["mednumsavoirs", "médiation"], position=1,
                     summary="<p>Un résumé</p>", speakers=[make_speaker(name) for name in SPEAKERS])
    make_talk("Brouillon secret", slug="brouillon", event=event, status=Status.DRAFT, position=2,
              speakers=[make_speaker("Cachée Personne")])
    db.session.add(SlideDeck(talk=talk, version=1, kind=DeckKind.PDF, original_name="bilan.pdf",
                             sha256="0" * 64, size=10, storage_key="k", status=DeckStatus.READY,
                             page_count=1))
    db.session.commit()
    return talk
