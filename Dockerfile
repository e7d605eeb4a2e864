# relais-server in a container (issue 19; docs/operating.md). Not built on the development
# machine (no container runtime there): kept minimal and checked by reading.
#   docker build -t relais-server .
#   docker run -d --name relais -p 8443:8443 -v relais-data:/var/lib/relais relais-server
# The first start prints the operator invite: docker logs relais.

# Build: the Swift toolchain (Debian 12), static Swift standard library.
FROM swift:6.1-bookworm AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libsodium-dev libsqlite3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The whole package (every target's folder must exist for the manifest to load); .dockerignore
# leaves out .build and local data.
COPY . .
RUN swift build -c release --product relais-server --static-swift-stdlib \
    && install -D -m 0755 "$(swift build -c release --show-bin-path)/relais-server" /out/relais-server

# Run: slim Debian with libsodium and libsqlite3 only, a user without a shell, data in a volume.
FROM debian:bookworm-slim
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libsodium23 libsqlite3-0 curl ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/relais --shell /usr/sbin/nologin relais \
    && install -d -o relais -g relais -m 0700 /var/lib/relais
COPY --from=build /out/relais-server /usr/local/bin/relais-server
USER relais
VOLUME ["/var/lib/relais"]
ENV RELAIS_DATA=/var/lib/relais RELAIS_LISTEN=0.0.0.0:8443 RELAIS_LOG_FORMAT=json
EXPOSE 8443
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD curl -fsS http://127.0.0.1:8443/readyz || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/relais-server"]
CMD ["serve"]
