// What the DR real-server scripts do, run for real with fake iptables, ip and
// sysctl first on PATH. The fakes keep state (rules, addresses on lo, sysctl
// values) the way the real tools do — an -A of an existing rule adds it a
// second time — and log every call, so the tests see that a second run adds
// nothing and that --remove undoes everything.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from '../dist/index.js';
import { FIXTURES } from './helpers/golden.js';

const FAKE_IPTABLES = `#!/bin/sh
echo "iptables $*" >> "$FAKE_STATE/log"
rules="$FAKE_STATE/iptables"
touch "$rules"
[ "$1 $2" = "-t nat" ] || exit 2
op=$3
shift 3
rule="$*"
case "$op" in
  -C) grep -qxF -- "$rule" "$rules" ;;
  -A) echo "$rule" >> "$rules" ;;
  -D)
    grep -qxF -- "$rule" "$rules" || exit 1
    awk -v r="$rule" 'done || $0 != r { print; next } { done = 1 }' "$rules" > "$rules.new"
    mv "$rules.new" "$rules" ;;
  *) exit 2 ;;
esac
`;

const FAKE_IP = `#!/bin/sh
echo "ip $*" >> "$FAKE_STATE/log"
addrs="$FAKE_STATE/lo"
touch "$addrs"
case "$*" in
  "-4 -o addr show dev lo to "*)
    a=\${*##* }
    if grep -qxF -- "$a" "$addrs"; then echo "1: lo    inet $a scope global lo"; fi ;;
  "addr add "*" dev lo")
    if grep -qxF -- "$3" "$addrs"; then echo "RTNETLINK answers: File exists" >&2; exit 2; fi
    echo "$3" >> "$addrs" ;;
  "addr del "*" dev lo")
    if ! grep -qxF -- "$3" "$addrs"; then echo "RTNETLINK answers: Cannot assign requested address" >&2; exit 2; fi
    grep -vxF -- "$3" "$addrs" > "$addrs.new" || true
    mv "$addrs.new" "$addrs" ;;
  *) exit 2 ;;
esac
`;

const FAKE_SYSCTL = `#!/bin/sh
echo "sysctl $*" >> "$FAKE_STATE/log"
db="$FAKE_STATE/sysctl"
touch "$db"
case "$1" in
  -n)
    v=$(grep "^$2=" "$db" | tail -n 1 | cut -d= -f2)
    echo "\${v:-0}" ;;
  -q)
    [ "$2" = -w ] || exit 2
    key=\${3%%=*}
    grep -v "^$key=" "$db" > "$db.new" || true
    echo "$3" >> "$db.new"
    mv "$db.new" "$db" ;;
  *) exit 2 ;;
esac
`;

function scriptOf(fixture: string, path: string): string {
  const text = readFileSync(join(FIXTURES, fixture, 'topology.yaml'), 'utf8');
  const f = render(text, { file: `fixtures/${fixture}/topology.yaml`, redact: true }).files.find((x) => x.path === path);
  if (!f) throw new Error(`${fixture} does not render ${path}`);
  return f.content;
}

class Host {
  readonly root = mkdtempSync(join(tmpdir(), 'vygen-rs-'));
  readonly state = join(this.root, 'state');
  private readonly bin = join(this.root, 'bin');
  private readonly script = join(this.root, 'script.sh');
  readonly run_ = join(this.root, 'run');

  constructor(content: string) {
    mkdirSync(this.state);
    mkdirSync(this.bin);
    for (const [name, body] of [['iptables', FAKE_IPTABLES], ['ip', FAKE_IP], ['sysctl', FAKE_SYSCTL]] as const) {
      writeFileSync(join(this.bin, name), body);
      chmodSync(join(this.bin, name), 0o755);
    }
    writeFileSync(this.script, content);
  }

  run(...args: string[]): { status: number | null; stderr: string; calls: string[] } {
    rmSync(join(this.state, 'log'), { force: true });
    const r = spawnSync('sh', [this.script, ...args], {
      encoding: 'utf8',
      // The script's own record of its changes (/run on a server) lives in the sandbox too.
      env: { PATH: `${this.bin}:/usr/bin:/bin`, FAKE_STATE: this.state, VYGEN_STATE_DIR: this.run_ },
    });
    return { status: r.status, stderr: r.stderr, calls: this.read('log') };
  }

  read(name: string): string[] {
    const p = join(this.state, name);
    return existsSync(p) ? readFileSync(p, 'utf8').split('\n').filter((l) => l !== '') : [];
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

const changes = (calls: string[]) => calls.filter((c) => / -[AD] | addr (add|del) |sysctl -q -w /.test(c));

describe('real-server script behaviour (fake iptables, ip, sysctl)', () => {
  describe('iptables REDIRECT (seed 004)', () => {
    let host: Host;
    beforeEach(() => {
      host = new Host(scriptOf('lvs-seed-004', 'real-servers/real1.sh'));
    });
    afterEach(() => host.dispose());

    const RULE = 'PREROUTING -d 10.5.0.100 -p tcp --dport 80 -j REDIRECT';

    it('adds the REDIRECT rule, scoped to the service\'s protocol and port, once however often it runs', () => {
      const first = host.run();
      expect(first.status, first.stderr).to.equal(0);
      expect(changes(first.calls)).to.deep.equal([`iptables -t nat -A ${RULE}`]);
      const second = host.run();
      expect(second.status, second.stderr).to.equal(0);
      expect(changes(second.calls), 'the second run changes nothing').to.deep.equal([]);
      expect(second.calls.some((c) => c.includes(' -C ')), 'it checked before adding').to.equal(true);
      expect(host.read('iptables')).to.deep.equal([RULE]);
    });

    it('--remove deletes the rule it added and nothing else; a second --remove does nothing', () => {
      writeFileSync(join(host.state, 'iptables'), 'PREROUTING -d 10.5.0.100 -p tcp --dport 22 -j REDIRECT\n');
      host.run();
      const removed = host.run('--remove');
      expect(removed.status, removed.stderr).to.equal(0);
      expect(changes(removed.calls)).to.deep.equal([`iptables -t nat -D ${RULE}`]);
      expect(host.read('iptables'), 'the other rule stays').to.deep.equal(['PREROUTING -d 10.5.0.100 -p tcp --dport 22 -j REDIRECT']);
      const again = host.run('--remove');
      expect(again.status, again.stderr).to.equal(0);
      expect(changes(again.calls)).to.deep.equal([]);
    });

    it('--remove leaves a rule that was there before it ran', () => {
      writeFileSync(join(host.state, 'iptables'), `${RULE}\n`);
      expect(changes(host.run().calls), 'nothing to add').to.deep.equal([]);
      const removed = host.run('--remove');
      expect(removed.status, removed.stderr).to.equal(0);
      expect(changes(removed.calls)).to.deep.equal([]);
      expect(host.read('iptables')).to.deep.equal([RULE]);
    });

    it('after a reboot (rules and /run gone) it adds the rule again', () => {
      host.run();
      rmSync(join(host.state, 'iptables'));
      rmSync(host.run_, { recursive: true });
      expect(changes(host.run().calls)).to.deep.equal([`iptables -t nat -A ${RULE}`]);
      expect(host.read('iptables')).to.deep.equal([RULE]);
    });

    it('refuses unknown arguments without changing anything', () => {
      const r = host.run('--bogus');
      expect(r.status).to.equal(2);
      expect(r.stderr).to.match(/usage:/);
      expect(r.calls).to.deep.equal([]);
    });
  });

  describe('VIPs on lo with arp_ignore/arp_announce (lvs-unicast)', () => {
    let host: Host;
    beforeEach(() => {
      host = new Host(scriptOf('lvs-unicast', 'real-servers/app1.sh'));
    });
    afterEach(() => host.dispose());

    it('sets the ARP sysctls and adds each VIP once, however often it runs', () => {
      const first = host.run();
      expect(first.status, first.stderr).to.equal(0);
      expect(changes(first.calls)).to.deep.equal([
        'sysctl -q -w net.ipv4.conf.all.arp_ignore=1',
        'sysctl -q -w net.ipv4.conf.all.arp_announce=2',
        'ip addr add 10.20.0.100/32 dev lo',
        'ip addr add 10.20.0.101/32 dev lo',
      ]);
      const second = host.run();
      expect(second.status, second.stderr).to.equal(0);
      expect(changes(second.calls), 'the second run changes nothing').to.deep.equal([]);
      expect(host.read('lo')).to.deep.equal(['10.20.0.100/32', '10.20.0.101/32']);
    });

    it('--remove takes the VIPs it added off lo and restores the values it found', () => {
      // Not the kernel defaults: what was there (arp_ignore 2, a VIP already on lo) is what comes back.
      writeFileSync(join(host.state, 'sysctl'), 'net.ipv4.conf.all.arp_ignore=2\n');
      writeFileSync(join(host.state, 'lo'), '10.20.0.101/32\n');
      const first = host.run();
      expect(changes(first.calls)).to.deep.equal([
        'sysctl -q -w net.ipv4.conf.all.arp_ignore=1',
        'sysctl -q -w net.ipv4.conf.all.arp_announce=2',
        'ip addr add 10.20.0.100/32 dev lo',
      ]);
      host.run();
      const removed = host.run('--remove');
      expect(removed.status, removed.stderr).to.equal(0);
      expect(host.read('lo'), 'the VIP that was there stays').to.deep.equal(['10.20.0.101/32']);
      expect(host.read('sysctl').sort()).to.deep.equal(['net.ipv4.conf.all.arp_announce=0', 'net.ipv4.conf.all.arp_ignore=2']);
      const again = host.run('--remove');
      expect(again.status, again.stderr).to.equal(0);
      expect(changes(again.calls)).to.deep.equal([]);
    });

    it('--remove without an earlier run changes nothing', () => {
      writeFileSync(join(host.state, 'sysctl'), 'net.ipv4.conf.all.arp_ignore=1\nnet.ipv4.conf.all.arp_announce=2\n');
      const removed = host.run('--remove');
      expect(removed.status, removed.stderr).to.equal(0);
      expect(changes(removed.calls)).to.deep.equal([]);
    });
  });
});
