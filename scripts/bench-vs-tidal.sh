#!/usr/bin/env bash
# Times the expressions of benches/query-exprs.txt in the real TidalCycles (Debian's
# libghc-tidal-dev, compiled with ghc -O2) and in tactus (`tactus bench query`, release
# build) on this machine, and prints the ratio. Each run queries 100 cycles one cycle at a
# time and forces every control map, in both systems.
#
# Needs: apt-get install -y ghc libghc-tidal-dev
set -euo pipefail
cd "$(dirname "$0")/.."
EXPRS=benches/query-exprs.txt
SECONDS_PER=${SECONDS_PER:-1}

command -v ghc >/dev/null || { echo "needs ghc and libghc-tidal-dev (apt-get install -y ghc libghc-tidal-dev)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

{
  cat <<'HS'
{-# LANGUAGE OverloadedStrings #-}
import Sound.Tidal.Context
import qualified Data.Map as Map
import System.CPUTime (getCPUTime)
import Control.Exception (evaluate)
import Text.Printf (printf)

forceValue :: Value -> Int
forceValue v = case v of
  VS s -> length s
  VF x -> if x == x then 1 else 0
  VN n -> if unNote n == unNote n then 1 else 0
  VI i -> if i == i then 1 else 0
  VR r -> if r == r then 1 else 0
  VB b -> if b then 1 else 0
  _ -> 1

oneRun :: ControlPattern -> Integer -> Int
oneRun p k = sum [ sum [ Map.foldr (\v a -> a + forceValue v) 0 (value e) + (if start (part e) >= 0 || True then 1 else 0)
                       | e <- queryArc p (Arc (fromIntegral c) (fromIntegral c + 1)) ]
                 | i <- [0 .. 99 :: Integer], let c = 100 * k + i ]

bench :: Int -> String -> ControlPattern -> IO ()
bench idx name p = do
  _ <- evaluate (oneRun p 0)
  t0 <- getCPUTime
  let budget = SECONDS_PER * 1000000000000 :: Integer
      loop k acc = do
        n <- evaluate (oneRun p k)
        t <- getCPUTime
        if k + 1 >= 3 && t - t0 >= budget then return (k + 1, acc + n, t - t0) else loop (k + 1) (acc + n)
  (runs, _, dt) <- loop 0 0
  printf "%d\t%.6f\n" idx (fromIntegral dt / 1e9 / fromIntegral runs :: Double)

main :: IO ()
main = do
HS
  i=0
  grep -v '^\s*#' "$EXPRS" | grep -v '^\s*$' | while IFS= read -r e; do
    printf '  bench %d "" (%s)\n' "$i" "$e"
    i=$((i+1))
  done
} | sed "s/SECONDS_PER \*/$SECONDS_PER */" > "$work/Bench.hs"

echo "compiling the Tidal benchmark with ghc -O2 ..." >&2
ghc -O2 -o "$work/bench" "$work/Bench.hs" >/dev/null
echo "building tactus (release) ..." >&2
cargo build --release -q -p tactus

"$work/bench" > "$work/tidal.tsv"
"${CARGO_TARGET_DIR:-target}"/release/tactus bench query "$EXPRS" --seconds "$SECONDS_PER" --json > "$work/tactus.jsonl"

python3 - "$work/tidal.tsv" "$work/tactus.jsonl" <<'PY'
import json, sys
tidal = dict(line.split("\t") for line in open(sys.argv[1]).read().split("\n") if line)
rows = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
print(f"{'#':>2}  {'Tidal ms':>10}  {'tactus ms':>10}  {'speed-up':>8}  expression")
worst = None
for r in rows:
    t = float(tidal[str(r["index"])]); m = r["ms_per_run"]
    ratio = t / m if m > 0 else float("inf")
    worst = ratio if worst is None else min(worst, ratio)
    print(f"{r['index']:>2}  {t:>10.3f}  {m:>10.3f}  {ratio:>7.1f}x  {r['expr']}")
print(f"slowest speed-up: {worst:.1f}x (goal: > 1x on every expression, aiming for 10x)")
PY
