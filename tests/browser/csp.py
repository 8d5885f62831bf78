"""Content-Security-Policy violations seen by Chromium, for the browser tests."""

# Every document reports the Content-Security-Policy violations it sees (the binding and the init
# script come from the browser's DevTools side, so the page's own policy does not block them).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  const blocked = event.blockedURI || "inline";
  window.reportCspViolation(`${event.violatedDirective} blocked ${blocked} on ${location.pathname}`);
});
"""


def watch_csp_violations(context, violations: list[str] | None = None) -> list[str]:
    """The list (`violations`, or a new one) the context's pages report their violations into."""
    violations = [] if violations is None else violations
    context.expose_function("reportCspViolation", lambda message: violations.append(message))
    context.add_init_script(CSP_LISTENER)
    return violations


def wait_until_true(page, expression: str, timeout: float = 30.0) -> None:
    """Poll a JavaScript expression until it is true. Playwright's wait_for_function evaluates its
    predicate with eval(), which the site's policy (no 'unsafe-eval') rightly refuses."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(50)
