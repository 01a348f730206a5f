"""gunicorn's settings, read from the project folder (``gunicorn wsgi:app``).

Access lines carry no client address: the app never stores a clear IP (clicks keep a salted
hash), and its logs must not either. Access logging itself stays off unless
``--access-logfile`` is given.
"""

access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
