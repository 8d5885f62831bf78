from webapp.feeds import bp  # noqa: F401
