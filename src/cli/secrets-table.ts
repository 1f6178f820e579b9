// `vygen secrets`: the secrets a topology needs, as a table for people.
import type { SecretEntry } from '../secrets/inventory.js';

const STATES: Record<string, string> = {
  set: 'set',
  'secret-missing': 'MISSING',
  'secret-empty': 'EMPTY',
  'secret-invalid': 'INVALID',
  'secret-too-short': 'TOO SHORT',
  'secret-too-long': 'TOO LONG',
};
const MAX_DEVICES = 6;
// Names come from the topology: no control character reaches the terminal.
const printable = (s: string) => s.replace(/[^\x20-\x7e]/g, '?');

export function secretsTable(entries: readonly SecretEntry[]): string {
  if (entries.length === 0) return 'this topology uses no secrets\n';
  const rows = entries.map((e) => [
    printable(e.kind === 'env' ? e.name : `file ${e.name}`),
    STATES[e.state] ?? e.state,
    e.uses.join(', '),
    `${e.devices.slice(0, MAX_DEVICES).map(printable).join(', ')}${e.devices.length > MAX_DEVICES ? `, … ${e.devices.length - MAX_DEVICES} more` : ''}`,
  ]);
  const head = ['SECRET', 'STATUS', 'USED AS', 'USED BY'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const notSet = entries.filter((e) => e.state !== 'set').length;
  const summary = `${entries.length} secret${entries.length === 1 ? '' : 's'}, ${notSet === 0 ? 'all set' : `${notSet} not usable now`}`;
  return `${[line(head), ...rows.map(line)].join('\n')}\n${summary}\n`;
}
