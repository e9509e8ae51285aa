"""``make bench``: timings on a synthetic national data set (not part of ``make test``)."""
