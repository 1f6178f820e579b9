// One validation case in its own process (peak RSS is its own):
//   spokes MiB          a hub mesh whose regions list 10,000 unique spokes each
//                       (ajv's uniqueItems over $ref items was quadratic here),
//                       filled to MiB (15.9 stays under the 16 MiB limit)
//   unknown-routers     10,000 routers and 20,000 links naming unknown routers
//                       ("did you mean" was errors x names)
// Prints {bytes, ms, maxRssMb, diagnostics, first}.
import { validate } from '../dist/index.js';

const [shape, arg] = process.argv.slice(2);
const MiB = 1 << 20;

function sites(n) {
  const ip = (k, h) => `${10 + Math.floor(k / 65536)}.${Math.floor(k / 256) % 256}.${k % 256}.${h}`;
  const lines = ['vygen: 1', 'sites:'];
  for (let i = 0; i < n; i++) lines.push(` s${i}: {asn: ${64512 + (i % 1000)}, routers: {r${i}: {role: active, wan: {interface: eth0, address: ${ip(i, 10)}/24}, loopback: ${ip(i + n, 1)}}}}`);
  return lines;
}

function spokes(bytes) {
  const lines = [...sites(100), 'hub_mesh:', '  psk_env_prefix: K', '  regions:'];
  let size = lines.join('\n').length;
  for (let k = 0; size < bytes; k++) {
    const line = `   - {hub: s${k % 100}, spokes: [${Array.from({ length: 10000 }, (_, x) => `x${k}-${x}`).join(', ')}]}`;
    if (size + line.length + 1 > bytes) {
      // The last region fills up to the size asked for exactly.
      const room = bytes - size - `   - {hub: s${k % 100}, spokes: []}`.length - 2;
      const part = [];
      for (let x = 0, used = 0; used + `x${k}-${x}, `.length <= room; used += `x${k}-${x}, `.length, x++) part.push(`x${k}-${x}`);
      lines.push(`   - {hub: s${k % 100}, spokes: [${part.join(', ')}]}`);
      break;
    }
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

function unknownRouters() {
  const lines = [...sites(10000), 'links:'];
  for (let i = 0; i < 20000; i++) lines.push(` - {between: [r${i % 10000}, q${i}x], ipsec: {psk: {env: K}}}`);
  return `${lines.join('\n')}\n`;
}

const text = shape === 'spokes' ? spokes(Math.floor(Number(arg) * MiB)) : unknownRouters();
const t0 = performance.now();
const r = validate(text, { file: 'bench.yaml' });
const ms = performance.now() - t0;
process.stdout.write(JSON.stringify({ bytes: Buffer.byteLength(text), ms, maxRssMb: process.resourceUsage().maxRSS / 1024, diagnostics: r.diagnostics.length, first: r.diagnostics[0]?.code ?? 'valid' }));
