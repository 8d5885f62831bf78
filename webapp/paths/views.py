"""Public pages of the curated paths: the index (/paths/) and each path (/paths/<slug>)."""
from flask import render_template, url_for

from webapp.paths import bp, queries


def item_list_data(path, items) -> dict:
    """schema.org ItemList of the path's public talks, in order (JSON-LD on its page)."""
    return {"@context": "https://schema.org", "@type": "ItemList", "name": path.title,
            "url": url_for("paths.path", slug=path.slug, _external=True),
            "numberOfItems": len(items), "itemListOrder": "https://schema.org/ItemListOrderAscending",
            "itemListElement": [{"@type": "ListItem", "position": position, "name": item.talk.title,
                                 "url": url_for("public.talk", slug=item.talk.slug, _external=True)}
                                for position, item in enumerate(items, start=1)]}


@bp.get("/paths/")
def index():
    return render_template("paths/index.html", paths=queries.published_paths())


@bp.get("/paths/<slug>")
def path(slug: str):
    found = queries.public_path_or_404(slug)
    items = queries.public_items(found)
    return render_template("paths/path.html", path=found, items=items, structured=item_list_data(found, items))
