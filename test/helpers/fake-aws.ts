// A sandbox to run generated scripts in: fake aws, ping, sleep, iptables and
// sysctl first on PATH, each logging its arguments and keeping state in files
// the way the real thing would. The fake aws holds route tables and Elastic IP
// associations: replace-route fails with InvalidRoute.NotFound for a route
// that does not exist and create-route with RouteAlreadyExists for one that
// does, so a test sees which of the two a script had to run.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from '../../dist/index.js';
import { FIXTURES } from './golden.js';

// routes: "region table destination target" lines; eips: "region allocation target".
// FAKE_AWS_REFUSE=<table>: every call on that table is refused (no permission).
const FAKE_AWS = `#!/bin/sh
echo "aws $*" >> "$FAKE_STATE/log"
printf '<%s>' "$@" >> "$FAKE_STATE/argv"
echo >> "$FAKE_STATE/argv"
[ "$1" = ec2 ] || { echo "fake aws: not an ec2 command: $*" >&2; exit 2; }
op=$2
shift 2
region= table= dest= target= alloc= realloc=0 private= attribute= nocheck=0 ids=
while [ "$#" -gt 0 ]; do
  case $1 in
    --region) region=$2; shift 2 ;;
    --route-table-id | --route-table-ids) table=$2; shift 2 ;;
    # As AWS: each family has its own option, and the other family's prefix is refused.
    --destination-cidr-block)
      case $2 in *:*) echo "An error occurred (InvalidParameterValue) when calling the $op operation: Value ($2) for parameter destinationCidrBlock is invalid. This is not a valid IPv4 CIDR block." >&2; exit 254 ;; esac
      dest=$2; shift 2 ;;
    --destination-ipv6-cidr-block)
      case $2 in *:*) ;; *) echo "An error occurred (InvalidParameterValue) when calling the $op operation: Value ($2) for parameter destinationIpv6CidrBlock is invalid. This is not a valid IPv6 CIDR block." >&2; exit 254 ;; esac
      dest=$2; shift 2 ;;
    --instance-id | --network-interface-id) target=$2; shift 2 ;;
    --allocation-id) alloc=$2; shift 2 ;;
    --allow-reassociation) realloc=1; shift ;;
    --private-ip-address) private=$2; shift 2 ;;
    --attribute) attribute=$2; shift 2 ;;
    --no-source-dest-check) nocheck=1; shift ;;
    --instance-ids) ids=$2; shift 2 ;;
    # Accepted and ignored: the answers below are what these would select.
    --filters) shift; while [ "$#" -gt 0 ] && [ "\${1#Name=}" != "$1" ]; do shift; done ;;
    --query | --output | --owners | --image-id | --instance-type | --subnet-id | --iam-instance-profile | --tag-specifications | --public-ips) shift 2 ;;
    --security-group-ids) shift; while [ "$#" -gt 0 ] && [ "\${1#sg-}" != "$1" ]; do shift; done ;;
    instance-running) shift ;;
    *) echo "fake aws: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$region" ] || { echo "You must specify a region." >&2; exit 253; }
routes="$FAKE_STATE/routes"
eips="$FAKE_STATE/eips"
touch "$routes" "$eips"
has_route() {
  awk -v r="$region" -v t="$table" -v d="$dest" '$1 == r && $2 == t && $3 == d { found = 1 } END { exit !found }' "$routes"
}
set_route() {
  awk -v r="$region" -v t="$table" -v d="$dest" '!($1 == r && $2 == t && $3 == d)' "$routes" > "$routes.new"
  echo "$region $table $dest $target" >> "$routes.new"
  sort "$routes.new" > "$routes"
  rm -f "$routes.new"
}
if [ -n "$table" ] && [ "$table" = "\${FAKE_AWS_REFUSE-}" ]; then
  echo "An error occurred (UnauthorizedOperation) when calling the $op operation: You are not authorized to perform this operation." >&2
  exit 254
fi
case $op in
  replace-route)
    [ -n "$table" ] && [ -n "$dest" ] && [ -n "$target" ] || exit 2
    if ! has_route; then
      echo "An error occurred (InvalidRoute.NotFound) when calling the ReplaceRoute operation: There is no route defined for '$dest' in the route table. Use CreateRoute instead." >&2
      exit 254
    fi
    set_route ;;
  create-route)
    [ -n "$table" ] && [ -n "$dest" ] && [ -n "$target" ] || exit 2
    if has_route; then
      echo "An error occurred (RouteAlreadyExists) when calling the CreateRoute operation: The route identified by $dest already exists." >&2
      exit 254
    fi
    set_route ;;
  associate-address)
    [ -n "$alloc" ] && [ -n "$target" ] || exit 2
    if [ "$realloc" = 0 ] && awk -v r="$region" -v a="$alloc" '$1 == r && $2 == a { found = 1 } END { exit !found }' "$eips"; then
      echo "An error occurred (Resource.AlreadyAssociated) when calling the AssociateAddress operation" >&2
      exit 254
    fi
    awk -v r="$region" -v a="$alloc" '!($1 == r && $2 == a)' "$eips" > "$eips.new"
    echo "$region $alloc $target\${private:+ $private}" >> "$eips.new"
    sort "$eips.new" > "$eips"
    rm -f "$eips.new"
    echo '{ "AssociationId": "eipassoc-0fake" }' ;;
  describe-route-tables)
    # What --query "RouteTables[0].Routes[?DestinationCidrBlock=='0.0.0.0/0'].InstanceId | [0]" --output text prints.
    t=$(awk -v r="$region" -v t="$table" '$1 == r && $2 == t && $3 == "0.0.0.0/0" { print $4 }' "$routes")
    echo "\${t:-None}" ;;
  describe-network-interface-attribute | describe-instance-attribute)
    [ "$attribute" = sourceDestCheck ] || exit 2
    if grep -qxF "$target" "$FAKE_STATE/checks-off" 2>/dev/null; then echo False; else echo True; fi ;;
  modify-network-interface-attribute | modify-instance-attribute)
    [ "$nocheck" = 1 ] && [ -n "$target" ] || exit 2
    grep -qxF "$target" "$FAKE_STATE/checks-off" 2>/dev/null || echo "$target" >> "$FAKE_STATE/checks-off" ;;
  # Scale-up: the answers come from files the test writes.
  describe-images) cat "$FAKE_STATE/image" 2>/dev/null || echo None ;;
  describe-instances)
    if [ -n "$ids" ]; then
      if [ -f "$FAKE_STATE/instance-$ids" ]; then cat "$FAKE_STATE/instance-$ids"; else echo "fake aws: no instance $ids" >&2; exit 254; fi
    else
      cat "$FAKE_STATE/replacement" 2>/dev/null || true
    fi ;;
  run-instances)
    echo i-0ffffffffffffff99 > "$FAKE_STATE/replacement"
    echo i-0ffffffffffffff99 ;;
  wait) ;;
  describe-addresses) echo eipalloc-0ffffffffffffff98 ;;
  stop-instances) echo stopped >> "$FAKE_STATE/stopped" ;;
  *) echo "fake aws: unexpected ec2 $op" >&2; exit 2 ;;
esac
`;

// An address listed in $FAKE_STATE/always-up always answers; others answer
// from $FAKE_STATE/pings, one line (up or down) per call; without it, "down".
const FAKE_PING = `#!/bin/sh
echo "ping $*" >> "$FAKE_STATE/log"
for last; do :; done
if grep -qxF "$last" "$FAKE_STATE/always-up" 2>/dev/null; then exit 0; fi
answer=down
if [ -s "$FAKE_STATE/pings" ]; then
  answer=$(head -n 1 "$FAKE_STATE/pings")
  tail -n +2 "$FAKE_STATE/pings" > "$FAKE_STATE/pings.new"
  mv "$FAKE_STATE/pings.new" "$FAKE_STATE/pings"
fi
[ "$answer" = up ]
`;

// Returns at once; ends the script (its parent) once the scripted pings are used up.
const FAKE_SLEEP = `#!/bin/sh
echo "sleep $*" >> "$FAKE_STATE/log"
if [ ! -s "$FAKE_STATE/pings" ]; then
  kill -TERM "$PPID"
fi
`;

const FAKE_IPTABLES = `#!/bin/sh
echo "iptables $*" >> "$FAKE_STATE/log"
rules="$FAKE_STATE/iptables"
touch "$rules"
[ "$1" = -t ] && [ "$2" = nat ] || exit 2
op=$3
shift 3
case $op in
  -C) grep -qxF -- "$*" "$rules" ;;
  -A) echo "$*" >> "$rules" ;;
  -D)
    grep -qxF -- "$*" "$rules" || { echo "iptables: Bad rule (does a matching rule exist in that chain?)." >&2; exit 1; }
    awk -v r="$*" 'gone || $0 != r { print; next } { gone = 1 }' "$rules" > "$rules.new"
    mv "$rules.new" "$rules" ;;
  *) exit 2 ;;
esac
`;

const FAKE_SYSCTL = `#!/bin/sh
echo "sysctl $*" >> "$FAKE_STATE/log"
db="$FAKE_STATE/sysctl"
touch "$db"
case $1 in
  -n)
    v=$(awk -F= -v k="$2" '$1 == k { v = $2 } END { print v }' "$db")
    echo "\${v:-0}" ;;
  -q)
    [ "$2" = -w ] || exit 2
    key=\${3%%=*}
    awk -F= -v k="$key" '$1 != k' "$db" > "$db.new"
    echo "$3" >> "$db.new"
    mv "$db.new" "$db" ;;
  *) exit 2 ;;
esac
`;

export interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Every fake tool's call, in order ("aws ec2 ...", "ping ...", ...). */
  calls: string[];
  /** Only the aws calls. */
  aws: string[];
}

/** Rendered files of a fixture (redacted, as written). */
export function renderFixture(name: string): Map<string, string> {
  return renderText(readFileSync(join(FIXTURES, name, 'topology.yaml'), 'utf8'), `fixtures/${name}/topology.yaml`);
}

export function renderText(text: string, file = 'topology.yaml'): Map<string, string> {
  const result = render(text, { file, redact: true });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`${file} does not render: ${errors.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`).join('; ')}`);
  return new Map(result.files.map((f) => [f.path, f.content]));
}

export class Sandbox {
  readonly root = mkdtempSync(join(tmpdir(), 'vygen-scripts-'));
  readonly state = join(this.root, 'state');
  readonly bin = join(this.root, 'bin');

  constructor() {
    mkdirSync(this.state);
    mkdirSync(this.bin);
    for (const [name, body] of Object.entries({ aws: FAKE_AWS, ping: FAKE_PING, sleep: FAKE_SLEEP, iptables: FAKE_IPTABLES, sysctl: FAKE_SYSCTL })) {
      this.write(join('bin', name), body, true);
    }
  }

  /** Writes a file below the sandbox (executable when asked); returns its path. */
  write(relative: string, content: string, executable = false): string {
    const p = join(this.root, relative);
    writeFileSync(p, content);
    if (executable) chmodSync(p, 0o755);
    return p;
  }

  /** Routes AWS has before the run: [region, table, destination, target]. */
  setRoutes(routes: [string, string, string, string][]): void {
    writeFileSync(join(this.state, 'routes'), routes.map((r) => r.join(' ')).sort().map((l) => `${l}\n`).join(''));
  }

  /** Addresses that always answer ping. */
  alwaysUp(addresses: string[]): void {
    writeFileSync(join(this.state, 'always-up'), addresses.map((a) => `${a}\n`).join(''));
  }

  /** What the next pings answer, in order. */
  setPings(answers: ('up' | 'down')[]): void {
    writeFileSync(join(this.state, 'pings'), answers.map((a) => `${a}\n`).join(''));
  }

  /** Runs `sh script args` with the fakes first on PATH; `env` adds variables, `input` is stdin. */
  run(script: string, args: string[] = [], env: Record<string, string> = {}, input?: string): Run {
    for (const f of ['log', 'argv']) rmSync(join(this.state, f), { force: true });
    const r = spawnSync('sh', [script, ...args], {
      encoding: 'utf8',
      cwd: this.root,
      env: { PATH: `${this.bin}:/usr/bin:/bin`, FAKE_STATE: this.state, ...env },
      ...(input !== undefined ? { input } : {}),
      timeout: 20000,
    });
    const calls = this.read('log');
    return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, calls, aws: calls.filter((c) => c.startsWith('aws ')) };
  }

  read(name: string): string[] {
    const p = join(this.state, name);
    return existsSync(p) ? readFileSync(p, 'utf8').split('\n').filter((l) => l !== '') : [];
  }

  exists(relative: string): boolean {
    return existsSync(join(this.root, relative));
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
