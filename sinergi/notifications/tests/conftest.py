from sinergi.notifications.tests.gateway_server import gateway  # noqa: F401  (fixture)
