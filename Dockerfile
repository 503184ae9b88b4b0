FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/* \
    && git config --system --add safe.directory '*'
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY graph graph
COPY ingest ingest
COPY queries queries
COPY api api
RUN pip install --no-cache-dir -c constraints.txt . \
    && mkdir -p /cache && chown nobody /cache
ENV CAIRN_CACHE_DIR=/cache
USER nobody
EXPOSE 8000
CMD ["cairn", "serve", "--host", "0.0.0.0", "--port", "8000"]
