#!/usr/bin/env bash
# Runs every MfaReset test: unit, contract, integration, browser and the load driver's smoke mode.
# Installs what the tests need when it is missing (Debian's Chromium, axe-core), so a fresh
# machine needs only the .NET SDK. Usage: ./test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
need_apt() { # package...
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "test.sh: installing ${missing[*]} from Debian" >&2
  if [ $apt_updated = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Browser tests drive Debian's Chromium; they never download a browser of their own.
need_apt chromium fonts-dejavu-core
export MFARESET_CHROMIUM="${MFARESET_CHROMIUM:-/usr/bin/chromium}"

# axe-core for the accessibility checks, from the npm registry, kept out of git.
axe_dir="tests/MfaReset.Browser.Tests/.tools"
if [ ! -f "$axe_dir/node_modules/axe-core/axe.min.js" ]; then
  echo "test.sh: installing axe-core" >&2
  mkdir -p "$axe_dir"
  npm install --silent --no-audit --no-fund --prefix "$axe_dir" axe-core@4 >/dev/null
fi
export MFARESET_AXE_JS="$PWD/$axe_dir/node_modules/axe-core/axe.min.js"

# The PostgreSQL flow-store tests need a server: Debian's cluster on this machine, started when down,
# with a test role and database (each test makes and drops its own schema inside it). A server given
# in MFARESET_TEST_POSTGRES is used as it is.
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
if [ -z "${MFARESET_TEST_POSTGRES:-}" ]; then
  need_apt postgresql
  if [ -z "$(pg_lsclusters --no-header)" ]; then
    as_root pg_createcluster "$(ls /usr/lib/postgresql | sort -V | tail -n 1)" main >/dev/null
  fi
  read -r pg_version pg_cluster pg_port pg_status _ < <(pg_lsclusters --no-header | head -n 1)
  if [ "$pg_status" != online ]; then
    echo "test.sh: starting PostgreSQL $pg_version/$pg_cluster" >&2
    as_root pg_ctlcluster "$pg_version" "$pg_cluster" start
  fi
  # The test projects run at once, and the load driver's PostgreSQL figures start portals with pools of their
  # own next to the store tests: more than the default 100 connections at peak.
  if [ "$(as_postgres psql -p "$pg_port" -qAtc 'SHOW max_connections')" -lt 300 ]; then
    echo "test.sh: raising PostgreSQL's max_connections to 300" >&2
    as_postgres psql -p "$pg_port" -qAtc 'ALTER SYSTEM SET max_connections = 300' >/dev/null
    as_root pg_ctlcluster "$pg_version" "$pg_cluster" restart
  fi
  # A loopback-only test role. Its password must not look like any name: a test looks for it in the logs.
  pg_password=local-test-only-7c1e
  as_postgres psql -p "$pg_port" -v ON_ERROR_STOP=1 -v password="$pg_password" -qAt >/dev/null <<'SQL'
SELECT 'CREATE ROLE mfareset_test LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mfareset_test')\gexec
ALTER ROLE mfareset_test PASSWORD :'password';
SELECT 'CREATE DATABASE mfareset_test OWNER mfareset_test' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'mfareset_test')\gexec
SQL
  export MFARESET_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Database=mfareset_test;Username=mfareset_test;Password=$pg_password"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The notice tests send through a real SMTP server and read back what it received: smtp4dev (a dotnet tool
# from NuGet, kept out of git), on loopback, with an in-memory mailbox, started here and stopped on exit.
# A server given in MFARESET_TEST_SMTP (host:smtpPort|apiUrl) is used as it is.
smtp_pid=
if [ -z "${MFARESET_TEST_SMTP:-}" ]; then
  smtp_dir=".tools/smtp4dev"
  if [ ! -x "$smtp_dir/smtp4dev" ]; then
    echo "test.sh: installing smtp4dev" >&2
    dotnet tool install Rnwood.Smtp4dev --version 3.15.0 --tool-path "$smtp_dir" >/dev/null
  fi
  need_apt curl
  # A port nothing listens on, from a random start (bash's /dev/tcp connects only when something does).
  free_port() { local p=$((20000 + RANDOM % 20000)); while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done; echo "$p"; }
  smtp_port=$(free_port); smtp_api_port=$(free_port)
  [ "$smtp_api_port" != "$smtp_port" ] || smtp_api_port=$((smtp_port + 1))
  "$smtp_dir/smtp4dev" --urls="http://127.0.0.1:$smtp_api_port" --smtpport="$smtp_port" --bindaddress=127.0.0.1 \
    --imapport=0 --pop3port=0 --db= --nousersettings --tlsmode=None --hostname=localhost >"${TMPDIR:-/tmp}/mfareset-smtp4dev.log" 2>&1 &
  smtp_pid=$!
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$smtp_api_port/api/messages" >/dev/null 2>&1 && break
    kill -0 "$smtp_pid" 2>/dev/null || { echo "test.sh: smtp4dev did not start; see ${TMPDIR:-/tmp}/mfareset-smtp4dev.log" >&2; exit 1; }
    sleep 0.5
  done
  export MFARESET_TEST_SMTP="127.0.0.1:$smtp_port|http://127.0.0.1:$smtp_api_port"
fi
# Every test host would watch its appsettings files for changes: one inotify instance each, and the
# browser stories start a host per story. Tests never edit those files, so no host watches them
# (a busy machine otherwise meets the 128-instance limit and a page shows an IOException).
export DOTNET_hostBuilder__reloadConfigOnChange=false
# The web root's watchers (the layout's asp-append-version) are given back by the test hosts themselves
# (PortalFactory.DisposeAsync disposes the environment's file providers, which a stopped host leaves be).

log=$(mktemp)
trap 'rm -f "$log"; [ -n "$smtp_pid" ] && kill "$smtp_pid" 2>/dev/null; true' EXIT
set +e
dotnet test MfaReset.sln --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line for the whole suite, summed over the test projects.
awk '
  /(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:")  { f += $(i+1) + 0 }
      if ($i == "Passed:")  { p += $(i+1) + 0 }
      if ($i == "Skipped:") { s += $(i+1) + 0 }
    }
    runs++
  }
  END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s; if (runs == 0 || p == 0) exit 1 }
' "$log" || { echo "test.sh: no test ran" >&2; exit 1; }

exit "$status"
