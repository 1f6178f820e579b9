// One limit case of `npm run bench` in its own process (so its peak RSS is its
// own): prints { case, input, ms, maxRssMb, outcome } as JSON. The CLI cases
// run the CLI in this process, so their time and RSS are the CLI's own.
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { render } from '../dist/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const name = process.argv[2];
const ip = (k, h) => `${10 + Math.floor(k / 65536)}.${Math.floor(k / 256) % 256}.${k % 256}.${h}`;

/** n one-router sites in flow style, and `links` links between them. */
function flat(n, links) {
  const lines = ['vygen: 1', 'defaults: {tunnel_pool: 172.16.0.0/12}', 'sites:'];
  for (let i = 0; i < n; i++) lines.push(` s${i}: {asn: ${64512 + (i % 1000)}, routers: {r${i}: {role: active, wan: {interface: eth0, address: ${ip(i, 10)}/24, gateway: ${ip(i, 1)}}, loopback: ${ip(i + n, 1)}}}}`);
  if (links > 0) lines.push('links:');
  let c = 0;
  for (let d = 1; c < links; d++) {
    for (let i = 0; i < n && c < links; i++) {
      const j = (i + d) % n;
      if (i % 1000 === j % 1000) continue;
      lines.push(` - {between: [r${i}, r${j}], ipsec: {psk: {env: PSK}}}`);
      c++;
    }
  }
  return `${lines.join('\n')}\n`;
}

/** sites x per routers (one LAN and VRRP per site: iBGP and VRRP full meshes), and links between neighbouring sites. */
function meshed(sites, per, links) {
  const lines = ['vygen: 1', 'defaults: {tunnel_pool: 172.16.0.0/12}', 'sites:'];
  for (let i = 0; i < sites; i++) {
    const lan = `10.${i % 200}.${Math.floor(i / 200)}`;
    lines.push(` s${i}:`, `  asn: ${64512 + i}`, `  networks: {connected: [${lan}.0/24]}`, `  vrrp: {address: ${lan}.254/24}`, '  routers:');
    for (let j = 0; j < per; j++) {
      const wan = `100.${64 + Math.floor(i / 256)}.${i % 256}`;
      lines.push(`   r${i}-${j}: {role: ${j === 0 ? 'active' : 'standby'}, wan: {interface: eth0, address: ${wan}.${j + 10}/24, gateway: ${wan}.1}, lan: {interface: eth1, address: ${lan}.${j + 2}/24}, loopback: 192.${168 + Math.floor(i / 250)}.${i % 250}.${j + 1}}`);
    }
  }
  if (links > 0) lines.push('links:');
  for (let k = 0; k < links; k++) {
    const i = k % sites;
    lines.push(` - {between: [r${i}-${Math.floor(k / sites) % per}, r${(i + 1) % sites}-${Math.floor(k / (sites * per)) % per}], ipsec: {psk: {env: PSK}}}`);
  }
  return `${lines.join('\n')}\n`;
}

function library(text) {
  const t0 = performance.now();
  const r = render(text, { file: 'limits.yaml', redact: true });
  const ms = performance.now() - t0;
  const error = r.diagnostics.find((d) => d.severity === 'error');
  const bytes = r.files.reduce((n, f) => n + f.content.length, 0);
  return { ms, outcome: error ? `${error.code}` : `${r.files.length} files, ${(bytes / 1e6).toFixed(0)} MB`, input: `${(text.length / 1e6).toFixed(1)} MB` };
}

/** `vygen validate FILE` in this process (the CLI runs on import), its stderr captured. */
async function cli(file, input) {
  let stderr = '';
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = (s) => ((stderr += s), true);
  process.argv = [process.execPath, join(root, 'dist/cli.js'), 'validate', file];
  const t0 = performance.now();
  await import('../dist/cli.js');
  const ms = performance.now() - t0;
  process.stderr.write = write;
  const code = /error ([a-z-]+):/.exec(stderr)?.[1] ?? '';
  const status = process.exitCode;
  process.exitCode = 0;
  return { ms, outcome: `exit ${status} ${code}`, input };
}

let result;
switch (name) {
  case '100000 sites':
    result = library(flat(100000, 0));
    break;
  case '10000 sites, 20000 links':
    result = library(flat(10000, 20000));
    break;
  case '156 sites x 64 routers, 20000 links':
    result = library(meshed(156, 64, 20000));
    break;
  case '50 MB file (CLI)': {
    const dir = mkdtempSync(join(tmpdir(), 'vygen-bench-'));
    const file = join(dir, 'huge.yaml');
    closeSync(openSync(file, 'w'));
    truncateSync(file, 50 * 1024 * 1024);
    result = await cli(file, '50.0 MB');
    rmSync(dir, { recursive: true, force: true });
    break;
  }
  case '/dev/zero (CLI)':
    result = await cli('/dev/zero', 'endless');
    break;
  case 'alias bomb': {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) levels.push(`l${i}: &l${i} [${Array(10).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`);
    result = library(`vygen: 1\n${levels.join('\n')}\n`);
    break;
  }
  case 'nesting 100000 deep':
    result = library(`vygen: 1\nsites: ${'['.repeat(100000)}${']'.repeat(100000)}\n`);
    break;
  default:
    throw new Error(`unknown case ${name}`);
}
process.stdout.write(JSON.stringify({ case: name, ...result, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
