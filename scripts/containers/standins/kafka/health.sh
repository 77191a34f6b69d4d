#!/usr/bin/env bash
# Healthy: the broker's first listener accepts connections and, when the
# registry runs, it answers its Confluent-compatible API.
set -euo pipefail
listener="$(sed -n 's/^listeners=[A-Z_]*:\/\/[^:]*:\([0-9]*\).*/\1/p' /tmp/server.properties)"
exec 3<> "/dev/tcp/127.0.0.1/$listener"
exec 3>&-
if [[ -f /tmp/registry-address ]]; then
  port="$(sed 's/.*://' /tmp/registry-address)"
  exec 4<> "/dev/tcp/127.0.0.1/$port"
  printf 'GET /apis/ccompat/v7/subjects HTTP/1.0\r\nHost: localhost\r\n\r\n' >&4
  head -1 <&4 | grep -q ' 200 '
fi
