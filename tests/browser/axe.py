"""axe-core (shipped inside axe-playwright-python) run on the page a browser test is looking at.

A violation of impact "serious" or "critical" fails; the message names the page, then each rule
with its impact and the CSS selectors of the elements at fault."""
from axe_playwright_python.sync_playwright import Axe

BLOCKING_IMPACTS = ("serious", "critical")
# The rules of WCAG 2.1 A and AA, which RGAA 4.1 follows, and axe's best practices.
RUN_OPTIONS = {"resultTypes": ["violations"],
               "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}

_axe = Axe()


def blocking_violations(page) -> list[str]:
    """One line per serious or critical violation on the current page: rule, impact, targets."""
    results = _axe.run(page, options=RUN_OPTIONS).response
    return [f"{violation['id']} ({violation['impact']}): {violation['help']} at "
            + "; ".join(" ".join(node["target"]) for node in violation["nodes"])
            for violation in results["violations"] if violation["impact"] in BLOCKING_IMPACTS]


def violations_of(page, path: str) -> list[str]:
    """Open path and return its blocking violations, each prefixed with the path."""
    page.goto(path)
    page.wait_for_load_state("load")
    return [f"{path}: {line}" for line in blocking_violations(page)]
