"""The live server's side of the browser tests: static files served the production way, and the
requests it is handling counted, so a test's end can wait for them before its database flush."""

import threading


class _RequestsInFlight:
    """How many requests the live server is handling. Its threads cannot tell: a thread serves a
    connection, and Chromium keeps idle connections open, so a thread outlives its requests."""

    def __init__(self):
        self._count = 0
        self._idle = threading.Condition()

    def begin(self) -> None:
        with self._idle:
            self._count += 1

    def end(self) -> None:
        with self._idle:
            self._count -= 1
            if not self._count:
                self._idle.notify_all()

    def wait_until_idle(self, seconds: float) -> None:
        with self._idle:
            self._idle.wait_for(lambda: not self._count, timeout=seconds)


_in_flight = _RequestsInFlight()


class _CountedResponse:
    """A response that is counted until the server closes it, which it does also when the
    browser went away half-way (the point at which Django's request_finished runs)."""

    def __init__(self, response):
        self._response = response

    def __iter__(self):
        return iter(self._response)

    def close(self) -> None:
        try:
            if hasattr(self._response, "close"):
                self._response.close()
        finally:
            _in_flight.end()


class WhiteNoiseOnly:
    """The live server's static handler, as a no-op that counts requests: pytest-django's default
    serves files from the finders, which know nothing of the hashed names in STATIC_ROOT's
    manifest. Without it whitenoise serves the collected files, as it does in production."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        _in_flight.begin()
        try:
            response = self.application(environ, start_response)
        except BaseException:
            _in_flight.end()
            raise
        return _CountedResponse(response)


def finish_requests_in_flight(seconds: float = 10) -> None:
    """Wait for the requests the live server is handling. A page closed at the end of a test can
    leave a request (an image, a script's fetch) still running in the server, and the test's
    database flush must not start under it: on SQLite the flush then fails on a locked table and
    the next test starts on the last one's rows."""
    _in_flight.wait_until_idle(seconds)
