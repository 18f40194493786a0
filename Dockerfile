# voltvan in one image: `docker run IMAGE <command>` runs `voltvan <command>` (see docs/deploy.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# a user of its own: the services never run as root
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/voltvan voltvan \
    && mkdir -p /var/lib/voltvan \
    && chown voltvan:voltvan /var/lib/voltvan

WORKDIR /src
# the versions tested together (constraints.txt), the package and what its metadata names
COPY constraints.txt pyproject.toml README.md LICENSE ./
COPY src ./src
RUN pip install -c constraints.txt . && rm -rf /src

WORKDIR /var/lib/voltvan
USER voltvan
VOLUME ["/var/lib/voltvan"]
# HTTP API, OCPP central system
EXPOSE 8000 9000
ENTRYPOINT ["voltvan"]
CMD ["--help"]
