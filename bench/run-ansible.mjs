// vygen beside Ansible at the same router count: `ansible-playbook` with
// vyos.vyos's resource modules in `state: rendered` (nothing connects to a
// device) over N routers, against `vygen render` of the synthetic topology's
// N/2 sites. Runs only where ansible-playbook and the vyos.vyos collection are
// installed (Debian: apt-get install ansible); prints, asserts nothing.
// Usage: node bench/run-ansible.mjs [routers]   (default 20)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticTopology } from './synthetic.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const routers = Number(process.argv[2] ?? 20);
const found = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' });
const collection = spawnSync('ansible-doc', ['vyos.vyos.vyos_bgp_global'], { encoding: 'utf8' });
if (found.status !== 0 || collection.status !== 0) {
  console.log('ansible comparison: skipped (ansible-playbook with the vyos.vyos collection is not installed; Debian: apt-get install ansible)');
  process.exit(0);
}
const work = mkdtempSync(join(tmpdir(), 'vygen-ansible-'));
const hosts = Array.from({ length: routers }, (_, i) => `r${i} ansible_host=127.0.0.1 idx=${i}`);
writeFileSync(join(work, 'inventory.ini'), ['[routers]', ...hosts, '', '[routers:vars]', 'ansible_network_os=vyos.vyos.vyos', 'ansible_connection=ansible.netcommon.network_cli', ''].join('\n'));
const forks = String(cpus().length);
const t0 = performance.now();
const r = spawnSync('ansible-playbook', ['-i', join(work, 'inventory.ini'), join(root, 'bench/ansible/play.yml'), '-f', forks], { encoding: 'utf8', env: { ...process.env, ANSIBLE_HOST_KEY_CHECKING: 'False' } });
const ansibleMs = performance.now() - t0;
if (r.status !== 0) {
  console.log(`ansible comparison: ansible-playbook failed (${r.status}): ${r.stdout.slice(-400)}${r.stderr.slice(-400)}`);
  rmSync(work, { recursive: true, force: true });
  process.exit(0);
}
const topo = join(work, 'topology.yaml');
writeFileSync(topo, syntheticTopology(Math.max(1, routers / 2)));
const t1 = performance.now();
const v = spawnSync(process.execPath, ['dist/cli.js', 'render', topo, '--redact'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, PSK: 'bench-secret' } });
const vygenMs = performance.now() - t1;
rmSync(work, { recursive: true, force: true });
if (v.status !== 0) throw new Error(`vygen render failed: ${v.stderr}`);
const lines = v.stdout.split('\n').filter((l) => l.startsWith('set ')).length;
console.log(`ansible ${found.stdout.split('\n')[0]}: ${routers} routers (5 resource modules each, state: rendered, ${forks} forks) ${(ansibleMs / 1000).toFixed(1)} s = ${(ansibleMs / routers).toFixed(0)} ms per router; vygen render of the same ${routers} routers (${lines} set lines) ${vygenMs.toFixed(0)} ms = ${(vygenMs / routers).toFixed(1)} ms per router, cold start included (load ${loadavg()[0].toFixed(2)})`);
