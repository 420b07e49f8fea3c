# Stand-in for python:3.11-slim-bookworm: Debian's python3 (3.11 on bookworm) and venv.
ARG BASE
FROM ${BASE}
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv \
 && rm -rf /var/lib/apt/lists/*
CMD ["python3"]
