#!/usr/bin/env bash
# The whole test suite: unit, integration, conformance and doc tests of every crate.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo test --workspace --all-targets
cargo test --workspace --doc
