#!/usr/bin/env bash
# Make .venv/ hold the installed project (idempotent; quick when pyproject.toml did not change).
# The server jars (Kafka, Elasticsearch) are fetched from Maven Central by `newsflow stack up`.
set -euo pipefail
cd "$(dirname "$0")/.."

# --with-fundus: also install the optional publisher parsers (off by default; see infra/fundus-requirements.txt).
with_fundus=false
for arg in "$@"; do
  case "$arg" in
    --with-fundus) with_fundus=true ;;
    *) echo "setup: unknown option $arg (known: --with-fundus)"; exit 2 ;;
  esac
done

python_bin=${NEWSFLOW_PYTHON:-python3.11}
command -v "$python_bin" >/dev/null 2>&1 || python_bin=python3
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $python_bin"
  "$python_bin" -m venv .venv
fi

stamp=.venv/.newsflow-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing newsflow and its dependencies into .venv (first run takes a few minutes)"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e '.[dev]'
  echo "$want" > "$stamp"
fi
if $with_fundus; then
  fundus_stamp=.venv/.newsflow-fundus-installed
  fundus_want=$(sha256sum infra/fundus-requirements.txt | cut -d' ' -f1)
  if [ "$(cat "$fundus_stamp" 2>/dev/null)" != "$fundus_want" ]; then
    echo "setup: installing the optional publisher parsers (fundus, --no-deps: it pins lxml<6)"
    .venv/bin/pip install -q --no-deps -r infra/fundus-requirements.txt
    echo "$fundus_want" > "$fundus_stamp"
  fi
  echo "setup: enable them with NEWSFLOW_PUBLISHER_PARSERS=true"
fi
for tool in java javac mvn; do
  command -v "$tool" >/dev/null 2>&1 || { echo "setup: '$tool' is missing: install a JDK 17 and Maven (apt-get install openjdk-17-jdk-headless maven)"; exit 1; }
done
