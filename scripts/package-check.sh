#!/usr/bin/env bash
# The first hour of a new user, end to end (issue 18): from a clean clone of
# the committed tree, the README's first command; then the package as npm
# publishes it, installed into an empty directory: vygen init, a redacted
# render, the modeline's schema path and the library import. Run by .ci/run
# (not by npm test: it installs from the registry or npm's cache, ~20-40 s).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/vygen-package-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
step() { printf '== %s\n' "$*"; }
fail() { printf 'package-check: %s\n' "$*" >&2; exit 1; }
npm_quiet=(--no-audit --no-fund --prefer-offline --loglevel=error)

step "clean clone of $(git -C "$repo" rev-parse --short HEAD)"
git clone -q "$repo" "$work/clone"
git -C "$work/clone" checkout -q "$(git -C "$repo" rev-parse HEAD)"
cd "$work/clone"
[ ! -e dist ] || fail "the clone holds dist/: nothing built may be committed"

step "README: npm ci && npx vygen render examples/inter-region-vpn/topology.yaml --redact -o out/"
npm ci "${npm_quiet[@]}" >"$work/ci.log" 2>&1 || { cat "$work/ci.log"; fail "npm ci failed"; }
npx --no-install vygen render examples/inter-region-vpn/topology.yaml --redact -o out/
[ "$(ls out | wc -l)" -ge 4 ] || fail "the README's render wrote $(ls out | wc -l) files"

step "npm pack"
tgz=$(npm pack --silent 2>"$work/pack.log" | tail -1) || { cat "$work/pack.log"; fail "npm pack failed"; }
contents=$(tar -tzf "$tgz")
for f in package/dist/cli.js package/schemas/topology.schema.json package/LICENSE package/README.md package/examples/inter-region-vpn/topology.yaml package/templates/vyos/router.hbs; do
  grep -qx "$f" <<<"$contents" || fail "the package lacks ${f#package/}"
done
if grep -E '^package/(src|test|fixtures|bench|dist-test)/' <<<"$contents" >/dev/null; then fail "the package holds sources or tests"; fi

step "install into an empty directory; npx vygen init && npx vygen render topology.yaml --redact"
mkdir "$work/user" && cd "$work/user"
npm init -y >/dev/null
npm install "${npm_quiet[@]}" "$work/clone/$tgz" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "npm install of the package failed"; }
if grep -i 'install script\|prepare' "$work/install.log"; then fail "installing vygen ran or warned about a lifecycle script"; fi
npx --no-install vygen init
npx --no-install vygen render topology.yaml --redact >"$work/render.txt"
grep -q '^# vygen: router tokyo-a ' "$work/render.txt" || fail "the redacted render printed no tokyo-a"
schema=$(sed -n '1s/^# yaml-language-server: \$schema=//p' topology.yaml)
[ -f "$schema" ] || fail "the modeline's schema $schema does not exist in the user's project"
cmp -s "$schema" <(npx --no-install vygen schema) || fail "vygen schema differs from $schema"
node --input-type=module -e "
import { render, validate } from 'vygen';
import { readFileSync } from 'node:fs';
const text = readFileSync('topology.yaml', 'utf8');
if (validate(text).diagnostics.some((d) => d.severity === 'error')) throw new Error('validate');
if (render(text, { redact: true }).files.length < 4) throw new Error('render');
"
step "ok"
