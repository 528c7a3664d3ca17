# EMR Study Bot in a container: `docker compose up -d` (compose.yaml) runs it with PostgreSQL.
# Alone: docker build -t emr-study-bot . && docker run --env-file .env -v studybot-data:/data emr-study-bot
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A dedicated user without a login shell or root rights; /data holds the SQLite file when DATABASE_URL
# is not set (mount a volume there to keep it).
RUN useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin studybot \
    && mkdir /data && chown studybot:studybot /data

WORKDIR /opt/emr-study-bot
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install . && rm -rf /opt/emr-study-bot/bot

USER studybot
WORKDIR /data
ENV DATABASE_PATH=/data/studybot.sqlite3 \
    HEALTH_PORT=8089

# SIGTERM stops the bot cleanly (deliveries drained); give it the time: docker stop -t 60, or
# stop_grace_period in compose.yaml.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["python", "-m", "bot", "health"]
CMD ["python", "-m", "bot"]
