"""`flask stats report`: one line per talk with its counts, then top and zero-result searches."""
from datetime import date

import pytest

from webapp.models import DailyCount, Metric, SearchQueryDay, SearchRule, SearchRuleKind, Status


@pytest.fixture
def figures(db, make_event, make_talk):
    study_day = make_event("Journée mednum", slug="journee-mednum")
    bilan = make_talk("Bilan chiffré", event=study_day, tags=["mednumsavoirs"])
    draft = make_talk("Atelier en projet", event=study_day, status=Status.DRAFT, tags=["mednumsavoirs"])
    make_talk("Jamais vu", event=study_day, tags=["mednumsavoirs"])
    python = make_talk("Python partout", tags=["python"])
    rows = [(Metric.TALK_VIEW, bilan.id, date(2016, 3, 1), 12), (Metric.TALK_VIEW, bilan.id, date(2015, 12, 31), 50),
            (Metric.TALK_VIEW, draft.id, date(2016, 5, 1), 2), (Metric.TALK_VIEW, python.id, date(2016, 5, 1), 30)]
    db.session.add_all(DailyCount(metric=m, object_id=i, day=d, page=0, count=n) for m, i, d, n in rows)
    db.session.add_all([SearchQueryDay(day=date(2016, 4, 2), query="mednum", count=5, zero_result_count=5),
                        SearchQueryDay(day=date(2016, 4, 2), query="python", count=9, zero_result_count=0),
                        SearchRule(query="mednum", kind=SearchRuleKind.SYNONYM, replacement="médiation numérique")])
    db.session.commit()


def test_the_report_prints_each_talk_then_the_searches(runner, figures):
    result = runner.invoke(args=["stats", "report", "--since", "2016-01-01", "--until", "2016-12-31",
                                 "--tag", "#MedNumSavoirs"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Statistics from 2016-01-01 to 2016-12-31, tag #mednumsavoirs"
    assert lines[1].startswith("Talks: 2 viewed or downloaded, of 3")
    assert lines[2].split() == ["12", "0", "0", "Bilan", "chiffré", "(Journée", "mednum)"]
    assert lines[3].split()[:3] == ["2", "0", "0"] and "Atelier en projet" in lines[3]
    assert "Python partout" not in result.output
    searches = result.output.split("Top searches")[1]
    top, zero = searches.split("Searches that found nothing")
    assert [line.split() for line in top.splitlines()[1:] if line] == [["9", "python"], ["5", "mednum"]]
    assert [line.split() for line in zero.splitlines()[1:] if line] == [["5", "mednum"]]


def test_the_report_without_filters_covers_the_archive(runner, figures):
    result = runner.invoke(args=["stats", "report", "--since", "2016-01-01"])
    assert result.exit_code == 0, result.output
    assert "Talks: 3 viewed or downloaded, of 4" in result.output
    assert result.output.index("Python partout") < result.output.index("Bilan chiffré")


def test_the_report_for_one_event(runner, figures):
    result = runner.invoke(args=["stats", "report", "--since", "2016-01-01", "--event", "journee-mednum"])
    assert result.exit_code == 0 and "Python partout" not in result.output
    assert "event Journée mednum" in result.output.splitlines()[0]


@pytest.mark.parametrize(("args", "message"), [
    (["--since", "2016-13-01"], "is not a date"),
    (["--since", "yesterday"], "is not a date"),
    (["--since", "2016-01-01", "--until", "2015-01-01"], "must not be after"),
    (["--since", "2016-01-01", "--tag", "nosuchtag"], "There is no tag 'nosuchtag'"),
    (["--since", "2016-01-01", "--event", "nosuchevent"], "There is no event 'nosuchevent'"),
    ([], "Missing option '--since'"),
])
def test_bad_input_is_a_clear_error_with_a_non_zero_exit(runner, figures, args, message):
    result = runner.invoke(args=["stats", "report", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
