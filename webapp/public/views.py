from flask import render_template

from webapp.public import bp


@bp.get("/")
def home():
    return render_template("public/home.html")
