# Production image: gunicorn serving crisisunit.wsgi on port 8000.
# Run migrations as a release step (see README), not at every container start.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 app
# The printed documents (WeasyPrint): Pango, and the DejaVu fonts with every Kazakh letter.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app

# Dependencies first, each pinned with its hashes in requirements.lock, as `make`
# installs requirements-dev.lock. The project runs from /app and is not installed.
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock

COPY crisisunit ./crisisunit
COPY families ./families
COPY placements ./placements
COPY stats ./stats
COPY content ./content
COPY team ./team
COPY manage.py ./
COPY templates ./templates
COPY static ./static
COPY locale ./locale

# Hashed, compressed static files for whitenoise. No secret or database is used here.
RUN DEBUG=off SECRET_KEY=collectstatic-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    STATIC_ROOT=/app/staticfiles python manage.py collectstatic --noinput \
    && rm -f /tmp/build.sqlite3

# Case documents kept on the machine (unless DOCUMENTS_BUCKET names an S3 bucket):
# mount a volume here, and back it up with the database (make backup does both).
RUN mkdir -p /data/documents && chown -R app:app /data && chmod 700 /data/documents
ENV DOCUMENTS_ROOT=/data/documents

USER app
# Deployment settings: 3 gunicorn workers of 4 threads each (WEB_CONCURRENCY and
# GUNICORN_CMD_ARGS, read by gunicorn: a request stuck on a frozen database holds one
# thread, not a worker; bench/frozen_db.py, README "Faults without failures");
# database connections kept 60 s and checked before reuse; bounded database waits.
# bench/load.py reads these lines, so the README's load figures are this image's.
ENV STATIC_ROOT=/app/staticfiles \
    WEB_CONCURRENCY=3 \
    GUNICORN_CMD_ARGS=--threads=4 \
    CONN_MAX_AGE=60 \
    DB_CONNECT_TIMEOUT=2 \
    DB_FAIL_FAST_SECONDS=5 \
    DB_STATEMENT_TIMEOUT=30
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"
# Forwarded headers are trusted from nobody by default; behind the TLS proxy set
# FORWARDED_ALLOW_IPS (read by gunicorn) to the proxy's address, and TRUSTED_PROXY_COUNT=1.
CMD ["gunicorn", "crisisunit.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
# The worker of background jobs (the web import's check and import; README, "Background
# jobs") is this image with another command, one container or more beside the web ones:
#   docker run --env-file .env crisisunit python manage.py db_worker --no-startup-delay
# It needs no port; stopped with SIGTERM it finishes the job in hand first.
