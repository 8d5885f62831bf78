"""Citation downloads (RIS, CSL-JSON, BibTeX) of a talk, of an event's programme and of a page of
search results. Drafts are in none: each list comes from the public pages' own queries.

The talk and programme files are on the `public` blueprint, which the page cache keeps (its key
holds the language, its entries the Content-Disposition); the search files are on a blueprint of
their own, which it does not keep, since they follow the search index as /search does.
"""
from flask import abort, current_app, request

from webapp.catalogue import bp, search_citations_bp
from webapp.catalogue import queries as catalogue
from webapp.catalogue.citation import FORMATS, citable_event, citable_talk
from webapp.catalogue.citation.downloads import export_response
from webapp.catalogue.citation.records import CitableEvent, CitableTalk, with_unique_keys
from webapp.core.naming import make_slug
from webapp.models import Talk
from webapp.search.queries import talks_of_search_page
from webapp.slides.queries import current_ready_decks

EXTENSIONS = "any(ris, bib, 'csl.json')"


def citable_talks(talks: list[Talk], event: CitableEvent | None = None) -> list[CitableTalk]:
    """Records for the talks, their PDF slides included (two queries however many talks)."""
    decks = current_ready_decks(talk.id for talk in talks)
    return with_unique_keys([citable_talk(talk, decks.get(talk.id), event) for talk in talks])


@bp.get(f"/talks/<slug>/citation.<{EXTENSIONS}:extension>")
def talk_citation(slug: str, extension: str):
    found = catalogue.find_public_talk(slug) or abort(404)
    return export_response(FORMATS[extension], citable_talks([found]), found.slug)


@bp.get(f"/events/<slug>/programme.<{EXTENSIONS}:extension>")
def programme_citations(slug: str, extension: str):
    found = catalogue.find_public_event(slug) or abort(404)
    talks = citable_talks(catalogue.event_programme(found), citable_event(found))
    return export_response(FORMATS[extension], talks, f"{found.slug}-programme")


@search_citations_bp.get(f"/search/citations.<{EXTENSIONS}:extension>")
def search_citations(extension: str):
    try:
        talks = talks_of_search_page(request.args, current_app.config["PAGE_SIZE"])
    except ValueError as invalid:
        abort(400, description=str(invalid))
    return export_response(FORMATS[extension], citable_talks(talks), _search_file_name())


def _search_file_name() -> str:
    """'search-fablab-p2' (the arguments are valid by now: the search has run)."""
    words = make_slug(request.args["q"][:60]) if request.args.get("q") else ""
    page = int(request.args.get("page", 1))
    return "-".join(filter(None, ["search", words, f"p{page}" if page > 1 else ""]))
