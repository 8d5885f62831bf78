"""Every public answer of a site, to compare two sites byte for byte."""
import re
from html import unescape

from webapp.extensions import db as _db

SEARCHED_WORDS = ("médiation", "bibliothèques", "ateliers", "numerique", "python", "grainotheque")


LOCAL_LINK = re.compile(r'(?:href|src)="(/[^"/][^"]*|/)"')
# Search pages are compared through the API (/search has a page per combination of its filters).
LEFT_OUT = ("/manage", "/login", "/logout", "/password", "/profile", "/claim", "/lang/", "/static/", "/oai",
            "/search")


def crawled_answers(client, seeds=("/", "/sitemap.xml", "/robots.txt")) -> dict:
    """{url: (status, location, body)} of every page reached from the seeds by root-relative links."""
    answers, queue = {}, list(seeds)
    while queue:
        url = queue.pop()
        if url in answers or url.startswith(LEFT_OUT):
            continue
        response = client.get(url)
        body = response.get_data()
        response.close()
        answers[url] = (response.status_code, response.headers.get("Location"), body)
        if response.mimetype == "text/html":
            queue += [unescape(link).split("#")[0] for link in LOCAL_LINK.findall(body.decode())]
        queue += ["/" + unescape(location).split("://", 1)[1].split("/", 1)[1]
                  for location in re.findall(r"<loc>([^<]+)</loc>", body.decode(errors="replace"))]
    return answers


def api_answers(client) -> dict:
    answers = {}
    for kind in ("talks", "events", "speakers", "tags"):
        listing = client.get(f"/api/v1/{kind}?limit=100")
        answers[f"/api/v1/{kind}"] = listing.get_data()
        for item in listing.get_json()["items"]:
            url = f"/api/v1/{kind}/{item.get('slug') or item.get('name')}"
            answers[url] = client.get(url).get_data()
    for word in SEARCHED_WORDS:
        for url in (f"/api/v1/search?q={word}", f"/search?q={word}"):
            answers[url] = client.get(url).get_data()
    answers["/talks/ancien-levallois"] = client.get("/talks/ancien-levallois").headers.get("Location")
    return answers


def public_answers(client) -> dict:
    return {**crawled_answers(client), **api_answers(client)}


def close_app(app) -> None:
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()
