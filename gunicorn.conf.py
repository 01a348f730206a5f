"""gunicorn's settings, read from the project folder (``gunicorn wsgi:app``).

Access lines carry no client address: the app never stores a clear IP (clicks keep a salted
hash), and its logs must not either. Nor do they carry secrets that ride in a URL (invitation
and reset tokens, private calendar feeds) or search text (``q=``): ``comarketing.core.logs``.
Access logging itself stays off unless ``--access-logfile`` is given.
"""

from gunicorn.glogging import Logger

from comarketing.core.logs import scrub_path, scrub_query, scrub_target

access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'


class ScrubbedLogger(Logger):
    """gunicorn's logger with the request line, path and query scrubbed."""

    def atoms(self, resp, req, environ, request_time):  # type: ignore[no-untyped-def]
        atoms = super().atoms(resp, req, environ, request_time)
        method, _, rest = str(atoms["r"]).partition(" ")
        target, _, protocol = rest.rpartition(" ")
        atoms["r"] = f"{method} {scrub_target(target)} {protocol}"
        atoms["U"] = scrub_path(str(atoms["U"] or ""))
        atoms["q"] = scrub_query(str(atoms["q"] or ""))
        return atoms


logger_class = ScrubbedLogger
