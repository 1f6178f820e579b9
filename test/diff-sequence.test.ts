// The proof of `vygen diff`: for a sequence of topology edits
// (fixtures/diff-sequence/step-N), every step's diff, applied line by line to
// the previous step's render in the config-tree model, gives exactly the tree
// of this step's render. Checked for every release, with secrets resolved and
// redacted, and for every prefix of the diff (a paste interrupted anywhere
// leaves no dangling reference). The diff outputs are goldens.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  applyText,
  canonicalLines,
  diffConfigs,
  diffTopologies,
  formatCommand,
  DIALECTS,
  MultiValued,
  PASTE_ORDER,
  parseCommands,
  render,
  sameTree,
  treeOf,
  type FileDiff,
  type Release,
} from '../dist/index.js';
import { danglingReferences, neighborsWithoutTunnel, tunnelAddresses } from './helpers/config-tree.js';
import { FIXTURES, matchGolden } from './helpers/golden.js';

const SEQ = join(FIXTURES, 'diff-sequence');
const steps = readdirSync(SEQ)
  .filter((n) => /^step-\d+$/.test(n))
  .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
const file = (step: string) => `fixtures/diff-sequence/${step}/topology.yaml`;
const text = (step: string) => readFileSync(join(SEQ, step, 'topology.yaml'), 'utf8');

// Distinct keys for every name the steps use, so a rotated key shows in the diff.
const ENV: Record<string, string> = {
  VYGEN_PSK_TOKYO_OSAKA_A: 'Key-Tokyo-Osaka-A-0001',
  VYGEN_PSK_TOKYO_OSAKA_S: 'Key-Tokyo-Osaka-S-0002',
  VYGEN_PSK_TOKYO_OSAKA_S_2025: 'Key-Tokyo-Osaka-S-2025',
  VYGEN_PSK_TOKYO_SG: 'Key-Tokyo-Singapore-03',
};

const multiOf = (release: Release) => new MultiValued(DIALECTS[release].multiValued);

function renderFiles(step: string, release: Release | undefined, redact: boolean): Map<string, string> {
  const r = render(text(step), { file: file(step), redact, env: ENV, ...(release ? { release } : {}) });
  expect(r.diagnostics.filter((d) => d.severity === 'error'), `${step} renders`).to.deep.equal([]);
  return new Map(r.files.filter((f) => f.path.endsWith('.vyos')).map((f) => [f.path, f.content]));
}

const releaseOf = (content: string) => /VyOS (1\.\d)/.exec(content.split('\n')[0]!)![1] as Release;

/** Applies `diff` line by line to the tree of `before`; checks every intermediate tree; returns the result. */
function applyChecked(before: string, diff: string, beforeRelease: Release, afterRelease: Release, tunnels: string[], what: string) {
  const tree = treeOf(before, multiOf(beforeRelease));
  const lines = diff.split('\n').filter((l) => /^(set|delete) /.test(l));
  for (let i = 0; i < lines.length; i++) {
    applyText(tree, lines[i]!, multiOf(afterRelease));
    const where = `${what}, after line ${i + 1} (${lines[i]})`;
    expect(danglingReferences(tree), where).to.deep.equal([]);
    expect(neighborsWithoutTunnel(tree, tunnels), `${where}: a BGP neighbor outlives or precedes its tunnel`).to.deep.equal([]);
  }
  return tree;
}

function expectDiffShape(d: FileDiff, oldContent: string, newContent: string, what: string): void {
  const cmds = parseCommands(d.content);
  const firstSet = cmds.findIndex((c) => c.op === 'set');
  const lastDelete = cmds.map((c) => c.op).lastIndexOf('delete');
  expect(firstSet === -1 || lastDelete < firstSet, `${what}: deletes come before sets`).to.equal(true);
  const rank = (p: string[]) => (PASTE_ORDER.indexOf(p[0]!) < 0 ? PASTE_ORDER.length : PASTE_ORDER.indexOf(p[0]!));
  const deletes = cmds.filter((c) => c.op === 'delete').map((c) => rank(c.path));
  const sets = cmds.filter((c) => c.op === 'set').map((c) => rank(c.path));
  expect(deletes, `${what}: deletes protocols → policy → vpn → interfaces`).to.deep.equal([...deletes].sort((a, b) => b - a));
  expect(sets, `${what}: sets in paste order`).to.deep.equal([...sets].sort((a, b) => a - b));
  // Minimal: every set is a line of the new render, no line twice, and no line can be left out.
  const newLines = new Set(newContent.split('\n'));
  const lines = d.content.split('\n').filter((l) => /^(set|delete) /.test(l));
  for (const l of lines.filter((x) => x.startsWith('set '))) expect(newLines.has(l), `${what}: ${l} is a line of the new render`).to.equal(true);
  expect(new Set(lines).size, `${what}: no line twice`).to.equal(lines.length);
  const release = releaseOf(newContent);
  const target = treeOf(newContent, multiOf(release));
  for (let i = 0; i < lines.length; i++) {
    const without = lines.filter((_, j) => j !== i).join('\n');
    let same = false;
    try {
      same = sameTree(applyText(treeOf(oldContent, multiOf(release)), without, multiOf(release)), target);
    } catch {
      same = false; // leaving the line out makes a later line fail: it is needed
    }
    expect(same, `${what}: ${lines[i]} is not needed`).to.equal(false);
  }
}

describe('diff: the edit sequence in the config-tree model', () => {
  it('has at least 6 edits', () => {
    expect(steps.length).to.be.greaterThanOrEqual(7);
  });

  const runs: [string, Release | undefined, boolean][] = [
    ['as written, redacted', undefined, true],
    ...(['1.3', '1.4', '1.5'] as Release[]).map((r): [string, Release, boolean] => [`VyOS ${r}, secrets resolved`, r, false]),
  ];
  for (let s = 1; s < steps.length; s++) {
    const [prev, cur] = [steps[s - 1]!, steps[s]!];
    for (const [label, release, redact] of runs) {
      it(`${prev} -> ${cur} (${label}): old render + diff = new render`, () => {
        const result = diffTopologies(
          { text: text(prev), file: file(prev) },
          { text: text(cur), file: file(cur) },
          { redact, env: ENV, ...(release ? { release } : {}) },
        );
        expect(result.diagnostics.filter((d) => d.severity === 'error')).to.deep.equal([]);
        const before = renderFiles(prev, release, redact);
        const after = renderFiles(cur, release, redact);
        const byPath = new Map(result.files.map((f) => [f.source, f]));
        expect([...byPath.keys()].sort(), 'one entry per file of either render').to.deep.equal([...new Set([...before.keys(), ...after.keys()])].sort());
        let changed = 0;
        for (const [path, newContent] of after) {
          const d = byPath.get(path)!;
          const newRelease = releaseOf(newContent);
          // A router that changes release is compared with the old topology rendered for its new release.
          const oldContent = d.previousRelease ? renderFiles(prev, newRelease, redact).get(path)! : (before.get(path) ?? '');
          const oldRelease = oldContent ? releaseOf(oldContent) : newRelease;
          if (!before.has(path)) expect(d.status, `${path} is new`).to.equal('added');
          const tunnels = [...tunnelAddresses(treeOf(oldContent, multiOf(oldRelease))), ...tunnelAddresses(treeOf(newContent, multiOf(newRelease)))];
          const got = applyChecked(oldContent, d.content, oldRelease, newRelease, tunnels, `${cur} ${path}`);
          const want = treeOf(newContent, multiOf(newRelease));
          expect(canonicalLines(got), `${cur} ${path}`).to.deep.equal(canonicalLines(want));
          expect(sameTree(got, want)).to.equal(true);
          if (d.status === 'unchanged') expect(d.content, `${path}: an unchanged router prints nothing`).to.equal('');
          else {
            changed++;
            expect(d.content.split('\n')[0], `${path}: the header names the router and its release`).to.match(new RegExp(`^# vygen diff: router \\S+ .*-- VyOS ${newRelease} \\(`));
            if (before.has(path)) expectDiffShape(d, oldContent, newContent, `${cur} ${path}`);
          }
        }
        for (const path of before.keys()) {
          if (after.has(path)) continue;
          const d = byPath.get(path)!;
          expect(d.status).to.equal('removed');
          expect(d.commands, 'a removed router gets no commands').to.deep.equal([]);
          expect(d.content).to.match(/^# vygen diff: router .*\n# removed router: not in /);
          changed++;
        }
        expect(changed, 'every step changes something').to.be.greaterThan(0);
      });
    }
  }

  it('the diff goldens (as written, redacted)', () => {
    for (let s = 1; s < steps.length; s++) {
      const result = diffTopologies({ text: text(steps[s - 1]!), file: file(steps[s - 1]!) }, { text: text(steps[s]!), file: file(steps[s]!) }, { redact: true });
      const files = new Map(result.files.filter((f) => f.status !== 'unchanged').map((f) => [f.path, f.content]));
      matchGolden(join(SEQ, 'expected', steps[s]!), files);
    }
  });

  it('a rotated key shows as one set per end when secrets are resolved, and as a new name when redacted', () => {
    const [a, b] = ['step-2', 'step-3'];
    for (const redact of [false, true]) {
      const r = diffTopologies({ text: text(a), file: file(a) }, { text: text(b), file: file(b) }, { redact, env: ENV });
      const cmds = r.files.flatMap((f) => f.commands);
      expect(cmds).to.deep.equal([
        `set vpn ipsec authentication psk osaka-s secret '${redact ? 'REDACTED:env:VYGEN_PSK_TOKYO_OSAKA_S_2025' : ENV.VYGEN_PSK_TOKYO_OSAKA_S_2025}'`,
        `set vpn ipsec authentication psk tokyo-s secret '${redact ? 'REDACTED:env:VYGEN_PSK_TOKYO_OSAKA_S_2025' : ENV.VYGEN_PSK_TOKYO_OSAKA_S_2025}'`,
      ]);
    }
  });

  it('a release change the old topology cannot be rendered for is diffed across releases, and says so', () => {
    // osaka.x's prefix-list name has a dot: fine for 1.3, refused by 1.4, so
    // the old topology cannot be rendered for tokyo's new release.
    const old = text('step-0').replace('  osaka:', '  osaka.x:').replace('vyos: "1.4"', 'vyos: "1.3"');
    const neu = old.replace('  tokyo:\n    asn: 65001\n', '  tokyo:\n    asn: 65001\n    vyos: "1.4"\n');
    expect(neu).to.not.equal(old);
    const r = diffTopologies({ text: old, file: 'old.yaml' }, { text: neu, file: 'new.yaml' }, { redact: true });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).to.deep.equal([]);
    const before = new Map(render(old, { file: 'new.yaml', redact: true }).files.map((f) => [f.path, f.content]));
    const after = new Map(render(neu, { file: 'new.yaml', redact: true }).files.map((f) => [f.path, f.content]));
    for (const d of r.files) {
      if (!d.device.startsWith('tokyo')) {
        expect(d.status, d.device).to.equal('unchanged');
        continue;
      }
      expect([d.status, d.release, d.previousRelease]).to.deep.equal(['changed', '1.4', '1.3']);
      expect(d.content).to.include('# release changes from VyOS 1.3 to 1.4, and old.yaml cannot be rendered for 1.4: these commands rewrite the 1.3 configuration as it stands\n');
      const got = applyText(treeOf(before.get(d.source)!, multiOf('1.3')), d.content, multiOf('1.4'));
      expect(canonicalLines(got), d.device).to.deep.equal(canonicalLines(treeOf(after.get(d.source)!, multiOf('1.4'))));
    }
  });

  it('also across releases: a 1.3 render diffed straight into a 1.4 render', () => {
    // Not what `vygen diff` prints for a release change (it compares in the new
    // release), but the tree diff must hold when every path changes shape.
    for (let s = 1; s < steps.length; s++) {
      const before = renderFiles(steps[s - 1]!, '1.3', false);
      const after = renderFiles(steps[s]!, '1.4', false);
      for (const [path, newContent] of after) {
        const oldContent = before.get(path) ?? '';
        const lines = directDiff(oldContent, newContent, '1.3', '1.4');
        const got = applyText(treeOf(oldContent, multiOf('1.3')), lines, multiOf('1.4'));
        expect(canonicalLines(got), `${steps[s]} ${path}`).to.deep.equal(canonicalLines(treeOf(newContent, multiOf('1.4'))));
      }
    }
  });
});

function directDiff(oldContent: string, newContent: string, a: Release, b: Release): string {
  return diffConfigs(oldContent, newContent, multiOf(a), multiOf(b)).map(formatCommand).join('\n');
}
