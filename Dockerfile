# syntax=docker/dockerfile:1
# mockserver image for QA (issue 5). Build, run, volumes: docs/docker.md.
#
#   docker build -t mockserver .
#   docker run --rm -p 8080:8080 mockserver
#
# BASE_IMAGE must have python3 3.11 with venv and pip (python:3.11-slim, or a
# local Debian bookworm base as .ci/container-setup makes for CI). An optional
# build secret `ca_bundle` (a PEM file) is handed to pip as its CA bundle, for
# builds behind a TLS-inspecting proxy: --secret id=ca_bundle,src=/path/ca.pem
ARG BASE_IMAGE=python:3.11-slim

# ---- build: a virtualenv with the locked dependencies and mockserver --------
FROM ${BASE_IMAGE} AS build
# requirements.lock pins what serving needs, and only that (the test stack is in
# requirements-dev.lock, which pins the build backend too: as pip constraints,
# PIP_CONSTRAINT reaches the isolated wheel build of the project).
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_NO_INPUT=1 \
    PIP_CONSTRAINT=/src/requirements-dev.lock
RUN python3 -m venv /opt/venv
WORKDIR /src
# The dependency layer is rebuilt only when a lock file changes.
COPY requirements.lock requirements-dev.lock ./
RUN --mount=type=secret,id=ca_bundle \
    if [ -s /run/secrets/ca_bundle ]; then export PIP_CERT=/run/secrets/ca_bundle; fi \
    && /opt/venv/bin/pip install --no-cache-dir --requirement requirements.lock
COPY . ./
RUN --mount=type=secret,id=ca_bundle \
    if [ -s /run/secrets/ca_bundle ]; then export PIP_CERT=/run/secrets/ca_bundle; fi \
    && /opt/venv/bin/pip install --no-cache-dir --no-deps . \
    && /opt/venv/bin/pip check \
    && /opt/venv/bin/pip uninstall --yes pip setuptools \
    && /opt/venv/bin/mockserver --version

# ---- runtime: the venv on a clean base, run by an unprivileged user ---------
FROM ${BASE_IMAGE}
LABEL org.opencontainers.image.title="mockserver" \
      org.opencontainers.image.description="Mock and contract-test server for the Ruangkerja and iSpring APIs"
# /data: where MOCKSERVER_STATE may point (mount a volume there to keep state);
# /fixtures: where a world JSON may be mounted (MOCKSERVER_FIXTURES).
RUN groupadd --gid 10001 mockserver \
    && useradd --uid 10001 --gid mockserver --no-log-init --create-home \
       --home-dir /home/mockserver --shell /usr/sbin/nologin mockserver \
    && mkdir -p /data /fixtures \
    && chown mockserver:mockserver /data
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MOCKSERVER_HOST=0.0.0.0 \
    MOCKSERVER_PORT=8080
# Numeric, so that runtimes (and Kubernetes' runAsNonRoot) can tell it is not root.
USER 10001:10001
WORKDIR /home/mockserver
EXPOSE 8080
# Asks the server itself, on whatever MOCKSERVER_PORT it was given. Every 2 s, so
# that `compose up --wait` returns within 3 s of the server being up (buildah
# rejects --start-interval, the way to probe often only while starting); failures
# in the first 60 s do not count.
HEALTHCHECK --interval=2s --timeout=2s --start-period=60s --retries=3 \
    CMD ["python3", "-I", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/__admin/health' % os.environ.get('MOCKSERVER_PORT', '8080'), timeout=2)"]
# `docker run IMAGE` serves; `docker run IMAGE fixtures export --out /out/world.json`
# (or any other mockserver command) runs that instead.
ENTRYPOINT ["mockserver"]
CMD ["serve"]
