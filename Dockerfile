# The production shape as an image: gunicorn (CMD) or the task worker (compose.yaml's worker).
# A convenience, NOT tested here: our machines run no Docker daemon (README, "Docker").
# What is tested is the same shape without containers: `make smoke` (scripts/smoke.py).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HELHEDSPLAN_VAR_DIR=/srv/helhedsplan/var \
    STATIC_ROOT=/srv/helhedsplan/staticfiles

# WeasyPrint (PDF) needs Pango and a font; nothing else comes from Debian.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /srv/helhedsplan --shell /usr/sbin/nologin helhedsplan

WORKDIR /srv/helhedsplan
COPY requirements.txt .
RUN python -m venv .venv && .venv/bin/pip install -r requirements.txt polib==1.2.0

COPY . .
# The English catalogue and the static files (hashed, compressed) belong to the image; the
# settings need a key to load, not this one at run time.
RUN .venv/bin/python scripts/compile_messages.py \
 && DEBUG=0 SECRET_KEY=only-for-collectstatic-at-build ALLOWED_HOSTS=localhost \
    .venv/bin/python manage.py collectstatic --no-input -v0 \
 && rm -rf var && mkdir -p var/uploads && chown -R helhedsplan:helhedsplan var

USER helhedsplan
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz/', timeout=4)"]
CMD [".venv/bin/gunicorn", "helhedsplan.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--timeout", "120", "--access-logfile", "-"]
