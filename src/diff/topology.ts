// Two topologies -> per router, the commands that turn the configuration the
// old one renders into the one the new one renders (`vygen diff`). Routers
// are matched by output file; a router only in the new topology gets its whole
// configuration, one only in the old topology is named as removed and gets no
// commands. A file that is not a VyOS command file (keepalived.conf of an LVS
// pair) gets a unified diff.
import { dirname } from 'node:path';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics.js';
import { runPipeline, type OutputFile } from '../pipeline.js';
import type { Release } from '../model/topology.js';
import { DIALECTS } from '../targets/vyos/dialects.js';
import { SECRET_NOTE } from '../targets/vyos/header.js';
import { cutComment } from '../targets/quote.js';
import { sameRenderInput } from '../targets/render-input.js';
import { diffConfigs, formatCommand } from './diff.js';
import { unifiedPatch } from './patch.js';
import { MultiValued } from './tree.js';

export interface DiffSide {
  text: string;
  /** Path shown in diagnostics (relative, '/'-separated); `{ file }` secrets are relative to it. */
  file: string;
  /** Shown in the headers; defaults to `file` (`main:net/topology.yaml` for a git base). */
  label?: string;
  /** How line 2 of every rendered file names the topology (default `file`); only the new side's is used, for both. */
  origin?: string;
}

export interface DiffOptions {
  release?: Release;
  redact?: boolean;
  env?: Readonly<Record<string, string | undefined>>;
  /** Directory `{ file }` secrets of both sides are read from; defaults to each side's file's directory. */
  baseDir?: string;
  /** Directories besides baseDir's tree that `{ file }` secrets may be read from. */
  secretDirs?: readonly string[];
}

export type DiffStatus = 'changed' | 'unchanged' | 'added' | 'removed';

export interface FileDiff {
  /** The rendered file this is about (`tokyo-a.vyos`). */
  source: string;
  /** The file `vygen diff -o` writes (`tokyo-a.vyos-diff`). */
  path: string;
  device: string;
  status: DiffStatus;
  /** VyOS files: the router's release (the old one for a removed router). */
  release?: Release;
  previousRelease?: Release;
  /** VyOS files: the `delete` / `set` lines, in order. */
  commands: string[];
  deletes: number;
  sets: number;
  /** What is printed or written: header and commands ('' when unchanged). */
  content: string;
  /** The content holds a secret's value (not redacted): `diff -o` writes it with mode 0600. */
  secret?: boolean;
}

export interface DiffResult {
  diagnostics: Diagnostic[];
  files: FileDiff[];
}

const PRINTABLE = /[^\x20-\x7e]/g;
// The VyOS commands that carry a secret's value (templates/vyos, src/targets/vyos/dialects.ts).
const SECRET_COMMAND = /^set .* authentication (?:pre-shared-secret|psk \S+ secret|password) /;
const REDACTED_NOTE = 'secrets are redacted: REDACTED:<kind>:<name> stands for the key named in the topology';

export function diffTopologies(oldSide: DiffSide, newSide: DiffSide, options: DiffOptions = {}): DiffResult {
  const env = options.env ?? process.env;
  const redact = options.redact ?? false;
  // Rendered files name the topology they come from, so the old side is
  // rendered under the new side's name: only what the topology changes then
  // differs. Its diagnostics are given back their own file name.
  const renderSide = (side: DiffSide, release: Release | undefined) => {
    const r = runPipeline({
      text: side.text,
      file: newSide.file,
      origin: newSide.origin ?? newSide.file,
      ...(release ? { release } : {}),
      deferRender: 'compare',
      secrets: { redact, env, baseDir: options.baseDir ?? dirname(side.file), ...(options.secretDirs ? { secretDirs: options.secretDirs } : {}) },
    });
    if (side === newSide) return r;
    return { ...r, diagnostics: r.diagnostics.map((d) => (d.file === newSide.file ? { ...d, file: side.file } : d)) };
  };
  const oldRender = renderSide(oldSide, options.release);
  const newRender = renderSide(newSide, options.release);
  // The old topology's warnings are not the change's concern; its errors stop the diff.
  const diagnostics = sortDiagnostics([...oldRender.diagnostics.filter((d) => d.severity === 'error'), ...newRender.diagnostics]);
  if (hasErrors(diagnostics)) return { diagnostics, files: [] };
  const oldLabel = (oldSide.label ?? oldSide.file).replace(PRINTABLE, '?');
  const newLabel = (newSide.label ?? newSide.file).replace(PRINTABLE, '?');

  // A router whose release changes is compared with the old topology rendered
  // for its new release: after an image upgrade the router holds its old
  // configuration in the new release's syntax.
  const oldFor = new Map<Release, Map<string, OutputFile> | null>();
  const oldFileFor = (path: string, release: Release): OutputFile | undefined => {
    if (!oldFor.has(release)) {
      const r = renderSide(oldSide, release);
      oldFor.set(release, hasErrors(r.diagnostics) ? null : new Map(r.files.map((f) => [f.path, f])));
    }
    return oldFor.get(release)?.get(path) ?? undefined;
  };

  const oldFiles = new Map(oldRender.files.map((f) => [f.path, f]));
  const newPaths = new Set(newRender.files.map((f) => f.path));
  const files: FileDiff[] = [];
  for (const nf of newRender.files) {
    const of = oldFiles.get(nf.path);
    if (nf.kind !== 'vyos') {
      files.push(textDiff(of, nf, oldLabel, newLabel));
      continue;
    }
    if (of && sameRender(of, nf)) {
      files.push(vyosDiff(nf, nf.release!, undefined, 'unchanged', [], [], redact));
      continue;
    }
    const after = describe(nf);
    const multi = new MultiValued(DIALECTS[after.release].multiValued);
    if (!of) {
      const commands = diffConfigs('', nf.content, multi).map(formatCommand);
      const header = [after.title, `new router: not in ${oldLabel}; its whole configuration, ${count(commands.length, 'set')}`];
      files.push(vyosDiff(nf, after.release, undefined, 'added', commands, header, redact));
      continue;
    }
    const before = describe(of);
    let oldContent = of.content;
    let oldMulti = new MultiValued(DIALECTS[before.release].multiValued);
    const notes: string[] = [];
    if (before.release !== after.release) {
      const migrated = oldFileFor(nf.path, after.release);
      if (migrated) {
        oldContent = migrated.content;
        oldMulti = multi;
        notes.push(
          `release changes from VyOS ${before.release} to ${after.release}: install the ${after.release} image first; these commands assume the router then holds ${oldLabel} in ${after.release} syntax`,
        );
      } else {
        notes.push(`release changes from VyOS ${before.release} to ${after.release}, and ${oldLabel} cannot be rendered for ${after.release}: these commands rewrite the ${before.release} configuration as it stands`);
      }
    }
    const cmds = diffConfigs(oldContent, nf.content, oldMulti, multi);
    const commands = cmds.map(formatCommand);
    const deletes = cmds.filter((c) => c.op === 'delete').length;
    const header = [after.title, `from ${oldLabel} to ${newLabel}: ${count(deletes, 'delete')}, ${count(commands.length - deletes, 'set')}`, ...notes];
    // A release change is news even when the commands are none: the image must be upgraded.
    const status: DiffStatus = commands.length === 0 && notes.length === 0 ? 'unchanged' : 'changed';
    files.push(vyosDiff(nf, after.release, before.release !== after.release ? before.release : undefined, status, commands, header, redact));
  }
  for (const of of oldRender.files) {
    if (newPaths.has(of.path)) continue;
    if (of.kind !== 'vyos') {
      files.push(textDiff(of, undefined, oldLabel, newLabel));
      continue;
    }
    const before = describe(of);
    const header = [before.title, `removed router: not in ${newLabel}; no commands (take it out of service by hand)`];
    files.push(vyosDiff(of, before.release, undefined, 'removed', [], header, false));
  }
  return { diagnostics, files };
}

/**
 * Nothing to say about a router of one release on both sides whose file was
 * rendered from the same input (neither side is rendered) or
 * is byte-identical (no config trees are built).
 */
function sameRender(of: OutputFile, nf: OutputFile): boolean {
  if (!nf.release || of.release !== nf.release) return false;
  return (of.renderedFrom !== undefined && nf.renderedFrom !== undefined && sameRenderInput(of.renderedFrom, nf.renderedFrom)) || of.content === nf.content;
}

/** A VyOS file's release (from the file itself) and the title the diff's header repeats. */
function describe(f: OutputFile): { title: string; release: Release } {
  if (!f.release) throw new Error(`internal error: ${f.path} is a VyOS file without a release`);
  const first = f.content.slice(0, f.content.indexOf('\n')).replace(/^# vygen: /, '');
  return { title: `vygen diff: ${first}`, release: f.release };
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function diffPath(source: string): string {
  return `${source}-diff`;
}

function vyosDiff(f: OutputFile, release: Release, previousRelease: Release | undefined, status: DiffStatus, commands: string[], header: string[], redact: boolean): FileDiff {
  const secret = !redact && f.secret === true && commands.some((c) => SECRET_COMMAND.test(c));
  const lines = [...header, ...(redact && commands.length > 0 ? [REDACTED_NOTE] : []), ...(secret ? [SECRET_NOTE] : [])].map((l) => `# ${cutComment(l)}`);
  const content = status === 'unchanged' ? '' : `${lines.join('\n')}\n${commands.length > 0 ? `\n${commands.join('\n')}\n` : ''}`;
  const deletes = commands.filter((c) => c.startsWith('delete ')).length;
  return {
    source: f.path,
    path: diffPath(f.path),
    device: f.device,
    status,
    release,
    ...(previousRelease ? { previousRelease } : {}),
    commands,
    deletes,
    sets: commands.length - deletes,
    content,
    ...(secret ? { secret: true } : {}),
  };
}

function textDiff(of: OutputFile | undefined, nf: OutputFile | undefined, oldLabel: string, newLabel: string): FileDiff {
  const f = (nf ?? of)!;
  const before = of?.content ?? '';
  const after = nf?.content ?? '';
  const status: DiffStatus = !of ? 'added' : !nf ? 'removed' : before === after ? 'unchanged' : 'changed';
  const content =
    status === 'unchanged'
      ? ''
      : unifiedPatch(of ? `a/${f.path}` : '/dev/null', nf ? `b/${f.path}` : '/dev/null', before, after, of ? oldLabel : '', nf ? newLabel : '');
  const secret = (of?.secret === true || nf?.secret === true) && /^[ +-]\s*auth_pass /m.test(content);
  return { source: f.path, path: `${f.path}.diff`, device: f.device, status, commands: [], deletes: 0, sets: 0, content, ...(secret ? { secret: true } : {}) };
}
