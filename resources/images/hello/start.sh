#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Entrypoint of slipway.local/hello: writes a page showing the image version, the pod name and
# the version's colour, then serves it with busybox httpd on $HELLO_PORT (8080). /healthz
# answers "ok" for probes. SIGTERM stops the server at once, so rollouts do not wait for the
# grace period.
version="${HELLO_VERSION:-1}"
colour="${HELLO_COLOUR:-blue}"
port="${HELLO_PORT:-8080}"
pod="${HOSTNAME:-$(hostname)}"

www=/www
if ! mkdir -p "$www" 2>/dev/null || ! touch "$www/.writable" 2>/dev/null; then
    # A read-only root filesystem: serve from /tmp (an emptyDir, if the pod mounts one).
    www=/tmp/www
    mkdir -p "$www"
fi
rm -f "$www/.writable"

cat >"$www/index.html" <<PAGE
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>hello $version</title>
<style>
body { margin: 0; font-family: sans-serif; background: $colour; color: white;
       display: flex; align-items: center; justify-content: center; height: 100vh; }
main { text-align: center; }
h1 { font-size: 4em; margin: 0; }
</style>
</head>
<body>
<main>
<h1>hello, version $version</h1>
<p id="pod">pod: $pod</p>
<p id="version">version: $version</p>
<p id="colour">colour: $colour</p>
</main>
</body>
</html>
PAGE
echo ok >"$www/healthz"
printf 'version=%s\npod=%s\ncolour=%s\n' "$version" "$pod" "$colour" >"$www/info"

echo "hello $version: serving $www on port $port as $pod"
httpd -f -v -p "$port" -h "$www" &
server=$!
trap 'kill -TERM "$server" 2>/dev/null; wait "$server" 2>/dev/null; exit 0' TERM INT
wait "$server"
