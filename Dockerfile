# aihc-bot: the Slack app for Baidu AIHC, one process per container (`aihc-bot serve`).
#
#   docker build -t aihc-bot .
#   docker run --env-file .env -v aihc-data:/data -p 3000:3000 aihc-bot
#
# The image installs the package as a user would: the wheel built from this tree (it carries the
# migrations as bot/_migrations, see pyproject.toml), not the source tree.
FROM python:3.11-slim-bookworm AS wheel

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY migrations/ migrations/
COPY bot/ bot/
RUN pip wheel --no-cache-dir --no-deps -w /dist .

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Charts label in Chinese with Noto Sans CJK (bot/charts/fonts.py); without it they fall back to
# English labels. The serif faces are never drawn: 53 MB less in the image.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk \
    && rm -f /usr/share/fonts/opentype/noto/NotoSerifCJK-*.ttc \
    && rm -rf /var/lib/apt/lists/*

# Dependencies in their own layer: rebuilt only when pyproject.toml changes, not on every edit.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The package itself, from its wheel, without touching the dependencies again.
COPY --from=wheel /dist/ /tmp/dist/
RUN pip install --no-cache-dir --no-deps /tmp/dist/*.whl \
    && rm -rf /tmp/dist

# A user of its own, owning only the data folder (the SQLite default; PostgreSQL needs none).
# No VOLUME: it would give every container of the image an anonymous volume (the simulator and
# one-off `migrate` runs too). Mount a named volume at /data to keep SQLite; a host folder must be
# writable by uid 10001.
RUN useradd --system --no-log-init --uid 10001 --home-dir /nonexistent --no-create-home aihc \
    && mkdir /data \
    && chown 10001 /data
USER 10001

ENV DATABASE_URL=sqlite+aiosqlite:////data/aihc-bot.db \
    BOT_HOST=0.0.0.0 \
    BOT_PORT=3000
EXPOSE 3000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('BOT_PORT', '3000'), timeout=4)"]

# `serve` migrates the database to head first (replicas starting together migrate once, under a
# PostgreSQL advisory lock), then runs the Slack listeners, the watcher and the HTTP server.
CMD ["aihc-bot", "serve"]
