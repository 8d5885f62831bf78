"""Public pages. Endpoint names are relied on by feeds, sitemap and search: keep them."""
from flask import render_template

from webapp.public import bp


@bp.get("/")
def home():
    return render_template("public/home.html")


# Scaffolding: the public pages are being built; these fix the endpoint names and URLs.
@bp.get("/events/")
def events():
    return render_template("public/home.html")


@bp.get("/events/<int:year>/")
def events_year(year: int):
    return render_template("public/home.html")


@bp.get("/events/<slug>")
def event(slug: str):
    return render_template("public/home.html")


@bp.get("/talks/<slug>")
def talk(slug: str):
    return render_template("public/home.html")


@bp.get("/speakers/")
def speakers():
    return render_template("public/home.html")


@bp.get("/speakers/<slug>")
def speaker(slug: str):
    return render_template("public/home.html")


@bp.get("/tags/")
def tags():
    return render_template("public/home.html")


@bp.get("/tags/<path:tag>")
def tag(tag: str):
    return render_template("public/home.html")
