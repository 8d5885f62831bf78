"""Workspace: the statistics dashboard, its CSV exports, and the search rules (synonyms, redirects)."""
from flask import Response, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.core.blueprints import manage_bp as bp
from webapp.core.forms import ConfirmForm
from webapp.core.params import single_arg
from webapp.core.workspace import get_or_404, invalid, saved, show_form
from webapp.models import SearchRule
from webapp.search import operations as search_rules
from webapp.stats.export import table_csv
from webapp.stats.forms import SearchRuleForm
from webapp.stats.params import PERIODS, parse_stats_args
from webapp.stats.queries import GRANULARITIES, event_choices
from webapp.stats.tables import CSV_ROWS, TABLE_KEYS, build_all_tables, build_table, dashboard_charts

STATS_ARGS = ("period", "from", "to", "granularity", "event", "tag")


def _stats_args() -> dict:
    """The dashboard's current choices, to carry into the CSV links."""
    return {key: value for key, value in request.args.items() if key in STATS_ARGS and value}


@bp.get("/stats")
def stats():
    scope, choice = parse_stats_args()
    tables = build_all_tables(scope)
    return render_template("manage/stats.html", scope=scope, choice=choice, tables=tables,
                           charts=dashboard_charts(tables), periods=PERIODS, granularities=GRANULARITIES,
                           events=event_choices(), args=_stats_args())


@bp.get("/stats.csv")
def stats_csv():
    key = single_arg("table") or "totals"
    if key not in TABLE_KEYS:
        abort(400, description=_("Unknown table “%(name)s”.", name=key[:50]))
    scope, _choice = parse_stats_args()
    table = build_table(key, scope, CSV_ROWS)
    filename = f"causeries-{key}-{scope.start.isoformat()}-{scope.end.isoformat()}.csv"
    return Response(table_csv(table), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "X-Content-Type-Options": "nosniff"})


# Search rules -------------------------------------------------------------------------------

@bp.get("/search-rules/")
def search_rules_list():
    return render_template("manage/stats_rules.html", rules=search_rules.list_rules(), form=ConfirmForm())


def _save_rule(form: SearchRuleForm, template: str, change, **context):
    """Validate and apply `change(query, kind, replacement)`; the form again with its errors on failure."""
    if not form.validate_on_submit():
        return show_form(template, form, **context)
    try:
        rule = change(form.query.data, form.kind.data, form.replacement.data)
    except search_rules.InvalidRule as error:
        form[error.field].errors = [str(error)]
        return invalid(template, form=form, **context)
    return saved(_("Rule saved for “%(query)s”: the search uses it now.", query=rule.query),
                 "manage.search_rules_list")


@bp.route("/search-rules/new", methods=["GET", "POST"])
def search_rule_new():
    form = SearchRuleForm(query=(single_arg("query") or "")[:200])
    return _save_rule(form, "manage/stats_rule_form.html",
                      lambda *values: search_rules.create_rule(current_user, *values), rule=None)


@bp.route("/search-rules/<int:rule_id>/edit", methods=["GET", "POST"])
def search_rule_edit(rule_id: int):
    rule = get_or_404(SearchRule, rule_id)
    form = SearchRuleForm(obj=rule, kind=str(rule.kind))
    return _save_rule(form, "manage/stats_rule_form.html",
                      lambda *values: search_rules.update_rule(current_user, rule, *values), rule=rule)


@bp.route("/search-rules/<int:rule_id>/delete", methods=["GET", "POST"])
def search_rule_delete(rule_id: int):
    rule = get_or_404(SearchRule, rule_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("manage/confirm_delete.html", form=form, kind=_("search rule"), label=rule.query,
                               cancel_url=url_for("manage.search_rules_list"),
                               consequences=_("The search will no longer apply it."))
    search_rules.delete_rule(current_user, rule)
    return saved(_("Rule deleted."), "manage.search_rules_list")
