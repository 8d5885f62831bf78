"""/oai: the OAI-PMH 2.0 endpoint, by GET or by POST (application/x-www-form-urlencoded).

Every answer is XML with HTTP 200, errors included (section 3.6). The endpoint is exempt from CSRF
(a protocol endpoint: no session, no cookie) and is not in the page cache (rules.py caches the
`public` and `feeds` blueprints only): a resumption token is answered once, and expires.
"""
from flask import Response, request

from webapp.oai import bp
from webapp.oai.protocol import OaiError, parse_request
from webapp.oai.responses import add_errors, envelope, serialise
from webapp.oai.verbs import VERBS

ARGUMENT_ERRORS = {"badVerb", "badArgument"}


def _answer():
    values = request.form if request.method == "POST" else request.args
    try:
        oai_request = parse_request(values)
    except OaiError as error:
        return _error_answer(None, error)
    root = envelope(oai_request.arguments | {"verb": oai_request.verb})
    try:
        VERBS[oai_request.verb](root, oai_request)
    except OaiError as error:
        return _error_answer(oai_request.arguments | {"verb": oai_request.verb}, error)
    return root


def _error_answer(arguments, error: OaiError):
    root = envelope(None if error.code in ARGUMENT_ERRORS else arguments)
    add_errors(root, [(error.code, error.message)])
    return root


@bp.route("/oai", methods=["GET", "POST"])
def endpoint():
    response = Response(serialise(_answer()), mimetype="text/xml")
    response.headers["Cache-Control"] = "no-cache"
    return response
