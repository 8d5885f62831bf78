"""Statistics (the "bilan chiffré"): hits counted without cookies (webapp/core/counting.py sends
them here), collected by one elected process, and shown at /manage/stats with charts and CSV."""
from flask import Flask


def init_app(app: Flask) -> None:
    from webapp.core.audit import register_field_labels
    from webapp.core.background import register_loop
    from webapp.core.counting import set_hit_sink
    from webapp.core.forms import field_labels
    from webapp.stats import manage_views  # noqa: F401  (routes on the workspace blueprint)
    from webapp.stats.cli import stats_cli
    from webapp.stats.collector import record_hit
    from webapp.stats.forms import SearchRuleForm
    from webapp.stats.loop import STATS_LOOP

    set_hit_sink(app, lambda hit: record_hit(app, hit))
    register_loop(app, STATS_LOOP)
    app.cli.add_command(stats_cli)
    register_field_labels(app, {"search_rule": field_labels(SearchRuleForm)})  # its form edits them
