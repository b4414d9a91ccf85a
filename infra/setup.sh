#!/usr/bin/env bash
# Make .venv/ hold the installed project (idempotent; quick when pyproject.toml did not change).
# The server jars (Kafka, Elasticsearch) are fetched from Maven Central by `newsflow stack up`.
set -euo pipefail
cd "$(dirname "$0")/.."

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
for tool in java javac mvn; do
  command -v "$tool" >/dev/null 2>&1 || { echo "setup: '$tool' is missing: install a JDK 17 and Maven (apt-get install openjdk-17-jdk-headless maven)"; exit 1; }
done
