// The synthetic topology of N sites with and without a firewall section: 99
// roles (each holding some sites by reference), an operators role, 880 rules
// (the most the numbering holds), protection on every router. One process.
import { syntheticTopology } from './synthetic.mjs';
import { render } from '../dist/index.js';

const n = Number(process.argv[2]);
const base = syntheticTopology(n);
const roles = Array.from({ length: 98 }, (_, r) => {
  const sites = [];
  for (let i = r; i < n; i += 98) sites.push(`{ site: s${i} }`);
  return sites.length ? `    r${r}: [${sites.join(', ')}]` : undefined;
}).filter(Boolean);
const names = roles.map((l) => l.trim().split(':')[0]);
const rules = [];
for (let a = 0; a < names.length && rules.length < 880; a++) {
  for (let b = 0; b < names.length && rules.length < 880; b++) if (a !== b && (a + b) % 5 === 0) rules.push(`    - { from: ${names[a]}, to: ${names[b]}, ports: [443, ${1000 + (rules.length % 60000)}] }`);
}
const withFirewall = `${base}firewall:\n  roles:\n${roles.join('\n')}\n    operators: [198.18.0.0/24]\n  management: operators\n  rules:\n${rules.join('\n')}\n`;

function median(text) {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const r = render(text, { file: 'synthetic.yaml', redact: true });
    times.push(performance.now() - t0);
    if (r.diagnostics.some((d) => d.severity === 'error')) throw new Error(`invalid: ${r.diagnostics.find((d) => d.severity === 'error').message}`);
  }
  return times.sort((a, b) => a - b)[2];
}
const without = median(base);
const withFw = median(withFirewall);
process.stdout.write(JSON.stringify({ sites: n, rules: rules.length, roles: roles.length + 1, withoutMs: without, withMs: withFw, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
