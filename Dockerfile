# syntax=docker/dockerfile:1
#
# apelbot: two stages, a static pure-Go binary (CGO_ENABLED=0: the SQLite
# driver is modernc.org/sqlite) on distroless, non-root. The database lives
# on the /data volume; the configuration is mounted at /config/apelbot.yaml.
#
#   docker build -t apelbot .
#   docker run -d --name apelbot --restart unless-stopped \
#     -e TELEGRAM_BOT_TOKEN -v apelbot-data:/data \
#     -v "$PWD/apelbot.yaml:/config/apelbot.yaml:ro" apelbot

# golang:1.26 is the newest 1.26 patch release. go.mod asks for 1.26.8 or
# later, and the official image sets GOTOOLCHAIN=local, so a stale local copy
# of the tag fails loudly: docker build --pull.
FROM golang:1.26 AS build
WORKDIR /src

# Modules first, in their own layer: rebuilt only when go.mod or go.sum change.
COPY go.mod go.sum ./
RUN go mod download && go mod verify

COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/apelbot ./cmd/apelbot \
 && mkdir -p /out/rootfs/data

# Time zones come from time/tzdata, compiled into the binary; the runtime
# image needs no zoneinfo and no libc.
FROM gcr.io/distroless/static-debian12:nonroot

COPY --from=build /out/apelbot /apelbot
# An empty /data owned by the nonroot user (65532), so that a new named
# volume starts out writable by the bot. (The directory is copied as an
# entry of rootfs/, so --chown applies to the directory itself.)
COPY --from=build --chown=65532:65532 /out/rootfs/ /

ENV APELBOT_DB=/data/apelbot.db \
    APELBOT_CONFIG=/config/apelbot.yaml

USER nonroot:nonroot
WORKDIR /data
VOLUME /data

ENTRYPOINT ["/apelbot"]
CMD ["serve"]
