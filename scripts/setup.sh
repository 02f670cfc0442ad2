#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build and test tactus.
# Idempotent: packages already present are skipped; needs root (or sudo) only to install.
set -euo pipefail

# sonic-pi-samples: CC0 FLAC one-shots in /usr/share/sonic-pi/samples, used by the
# engine's sample tests (crates/tactus-engine/tests/samples.rs)
# libjack-jackd2-dev, jackd2: the JACK host of `tactus play` and its end-to-end test
# cmake, clang, libclang-dev: rusty_link builds Ableton Link's C++ (cmake) and generates its
#   bindings (bindgen needs libclang) for `tactus play --link`
# iproute2: `ip netns`, the isolated network namespace of the Link test (crates/tactus/tests/link.rs)
PACKAGES=(pkg-config libasound2-dev sonic-pi-samples libjack-jackd2-dev jackd2 cmake clang libclang-dev iproute2)

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}" >&2
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v cargo >/dev/null || { echo "setup: cargo not found; install Rust (rustup) first" >&2; exit 1; }
