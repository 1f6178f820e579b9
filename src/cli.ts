#!/usr/bin/env node
// vygen's command line: argument parsing (commander), reading the topology,
// printing diagnostics, writing files, exit codes. 0 ok, 1 invalid topology
// (or `render --check` found stale files), 2 usage or I/O error. A user's
// mistake never shows a stack trace.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { spawnSync } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { fileTooLarge, MAX_BYTES } from './load/yaml-source.js';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { formatDiagnostics } from './format.js';
import { secretsTable } from './cli/secrets-table.js';
import { completionScript, SHELLS, type CompletionCommand, type Shell } from './cli/completion.js';
import { DEFAULT_EXAMPLE, exampleNames, exampleSummary, INSTALLED_SCHEMA, starterTopology } from './cli/init.js';
import { SCHEMA_URL } from './schema/schema-validator.js';
import { render, secrets, validate, writeAtomically, RELEASES, type Release, type Diagnostic, type OutputFile } from './index.js';
import { diffTopologies, type FileDiff } from './diff/topology.js';
import { graph, GRAPH_FORMATS, type GraphFormat } from './graph/index.js';
import { parseWrap, wrapCommands, WrapError, type Wrap } from './emit/wrap.js';
import { jsonReport } from './emit/json.js';
import { WriteError, type WriteResult } from './emit/write.js';
import { originName, STDIN_NAME } from './load/origin.js';
import { commandOf, wantsJson } from './cli/argv.js';
import { packageVersion } from './cli/version.js';
import { suggest } from './suggest.js';
import { checkOutput, type CheckResult } from './emit/check.js';
import { printable } from './emit/printable.js';
import { renderKey, unchangedRender } from './emit/render-record.js';
import type { SecretRef } from './model/topology.js';
import { writeFiles, writeJoined } from './emit/stdout.js';
import { transformedFile } from './targets/deferred.js';
import { loadLab } from './cli/load-lab.js';

/** A failed write as a usage error (exit 2) that says exactly what state DIR is in. */
function writeFailure(dir: string, e: unknown): UsageError {
  const shownDir = printable(dir);
  const why = e instanceof WriteError ? e.message : ((e as NodeJS.ErrnoException).code ?? (e as Error).message);
  const state = e instanceof WriteError ? e.state : 'unchanged';
  const where =
    state === 'unchanged'
      ? `nothing was changed in ${shownDir}`
      : state === 'new'
        ? `${shownDir} holds the whole new render`
        : `${shownDir} is part old, part new: the next \`vygen render -o ${shownDir}\` rolls it back`;
  return new UsageError(`cannot write to ${shownDir}: ${why} (${where})`);
}

const EXIT_OK = 0;
const EXIT_INVALID = 1;
const EXIT_USAGE = 2;
/** The reader of stdout or stderr closed it early: as a process ended by SIGPIPE (128 + 13). */
const EXIT_CLOSED_PIPE = 141;

class UsageError extends Error {
  /** A mistake in the command line (not an unreadable file): "see --help" follows. */
  constructor(
    message: string,
    readonly commandLine = false,
  ) {
    super(message);
  }
}

type OutputFormat = 'text' | 'json';

interface Topo {
  text: string;
  /** Relative to the working directory, '/'-separated: what diagnostics show (a path the user can open). */
  file: string;
  /** What line 2 of every generated file shows: the same from any working directory. */
  origin: string;
}

function displayPath(path: string): string {
  if (path === '-') return STDIN_NAME;
  const rel = isAbsolute(path) ? relative(process.cwd(), path) : path;
  return rel.split(sep).join('/').replace(/^\.\//, '');
}

/** A file refused before it is read (too large): reported as its diagnostic, exit 1. */
class RefusedInput extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/** `-` is standard input. */
function readTopology(path: string): Topo {
  const file = displayPath(path);
  const origin = originName(path);
  const stdin = path === '-';
  const ioError = (e: unknown) => {
    const code = (e as NodeJS.ErrnoException).code;
    return new UsageError(`cannot read ${printable(path)}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
  };
  let fd: number;
  try {
    fd = stdin ? 0 : openSync(path, 'r');
  } catch (e) {
    throw ioError(e);
  }
  try {
    // The size is checked before reading: a 50 MB file is refused in
    // milliseconds. A pipe or device has no size: at most MAX_BYTES + 1 bytes
    // of it are read.
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new UsageError(`cannot read ${printable(path)}: is a directory`);
    if (st.isFile() && st.size > MAX_BYTES) throw new RefusedInput(fileTooLarge(file, `${st.size.toLocaleString('en')} bytes`));
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.alloc(1 << 16);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        // A non-blocking pipe on stdin has no data yet: wait for it.
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      if (n === 0) break;
      total += n;
      if (total > MAX_BYTES) throw new RefusedInput(fileTooLarge(file, `more than ${MAX_BYTES.toLocaleString('en')} bytes`));
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return { text: Buffer.concat(chunks).toString('utf8'), file, origin };
  } catch (e) {
    if (e instanceof UsageError || e instanceof RefusedInput) throw e;
    throw ioError(e);
  } finally {
    if (!stdin) closeSync(fd);
  }
}

/** The topology at `path` as committed in git revision `ref` (`git show REF:./path`). */
function readFromGit(ref: string, path: string): Topo {
  if (path === '-') throw new UsageError('--base reads the old topology from git: give the path of the topology, not -', true);
  if (ref === '' || ref.startsWith('-') || /[\s\u0000-\u001f\u007f:]/.test(ref)) {
    throw new UsageError(`--base ${JSON.stringify(ref)} is not a git revision`);
  }
  const r = spawnSync('git', ['show', `${ref}:./${basename(path)}`], { cwd: dirname(resolve(path)), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? '--base needs git, and git is not installed (not on PATH)' : `cannot run git: ${r.error.message}`);
  }
  if (r.status !== 0) {
    const why = (r.stderr.split('\n').find((l) => l.trim() !== '') ?? `git exited with status ${r.status}`).replace(/^fatal: /, '').trim();
    throw new UsageError(`cannot read ${displayPath(path)} at ${ref}: ${why}`);
  }
  return { text: r.stdout, file: `${ref}:${displayPath(path)}`, origin: originName(path) };
}

const limitOption = () =>
  new Option('--limit <device...>', 'only these devices (routers, NAT nodes, LVS directors, real servers); names may also be separated by commas').argParser(
    (v: string, previous: string[] | undefined) => [...(previous ?? []), ...v.split(',').filter((n) => n !== '')],
  );

/** The files of the devices in `limit` (all without it); an unknown name is a usage error naming the devices. */
function limitFiles<T extends { device: string }>(files: readonly T[], limit: readonly string[] | undefined): T[] {
  if (limit === undefined) return [...files];
  const devices = [...new Set(files.map((f) => f.device))].sort();
  for (const name of limit) {
    if (devices.includes(name)) continue;
    const guess = suggest(name, devices);
    throw new UsageError(`--limit: no device ${JSON.stringify(name)} in the topology${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : `; devices: ${devices.slice(0, 20).join(', ')}${devices.length > 20 ? ', …' : ''}`}`, true);
  }
  return files.filter((f) => limit.includes(f.device));
}

const releaseOption = () => new Option('--release <release>', 'render every router for this VyOS release (overrides the topology)').choices([...RELEASES]);
const secretDirOption = () =>
  new Option('--secret-dir <dir>', "also read { file } secrets below this directory (default: only below the topology's directory; repeatable)").argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
const formatOption = () => new Option('--format <format>', 'text for people, json for bots and editors').choices(['text', 'json']).default('text');
const wrapOption = () =>
  new Option('--wrap <mode>', 'none (bare lines), configure (configure … commit, save, exit) or commit-confirm[=MINUTES]')
    .default({ mode: 'none' } satisfies Wrap, 'none')
    .argParser((v: string) => {
      try {
        return parseWrap(v);
      } catch (e) {
        if (e instanceof WrapError) throw new InvalidArgumentError(e.message);
        throw e;
      }
    });

/** Colour on a terminal; off for --no-color and NO_COLOR, on for FORCE_COLOR. */
function colorWanted(flag: boolean): boolean {
  if (!flag) return false;
  const env = process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return process.stderr.isTTY === true;
}

/**
 * SIGINT, SIGTERM and SIGHUP while the output directory is written: Node runs
 * a handler only between synchronous calls, so the write (all renames or
 * none) completes, and the signal is reported once it has, with the state of
 * the directory; the exit status is then 128 + the signal's number.
 */
const signalState: { done: string } = { done: '' };
function deferSignals(what: string): void {
  for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]] as const) {
    process.once(signal, () => {
      process.stderr.write(`vygen: ${signal} while ${what}: ${signalState.done || 'nothing was changed'}\n`);
      process.exit(128 + number);
    });
  }
}

/**
 * A signal that came during the write is delivered when the event loop polls:
 * a timer, set once the write returned, makes it poll before the process ends.
 * 10 ms lost the signal on a loaded machine (1 test run in 3, the process then
 * exited 0); 100 ms did not in 15 runs beside two busy cores. It costs a
 * `render -o` 0.1 s.
 */
function deliverSignals(): void {
  setTimeout(() => {}, 100);
}

export function main(argv: string[]): number {
  let exitCode = EXIT_OK;
  /** Set by a command that answers in JSON: a usage error is then JSON too. */
  let json: { command: string } | undefined;
  // A usage error is one line and a pointer to the help, not the whole help.
  const asked = commandOf(argv);
  const helpHint = () => `see 'vygen ${asked !== undefined && program.commands.some((c) => c.name() === asked) ? `${asked} ` : ''}--help'`;
  let parseError: string | undefined;
  const program: Command = new Command()
    .name('vygen')
    .description('One YAML topology -> validated VyOS configuration')
    .version(packageVersion(), '-V, --version', 'print the version of vygen')
    .option('--no-color', 'no colour in diagnostics (also: NO_COLOR=1)')
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      writeOut: (s) => process.stdout.write(s),
      outputError: (s, write) => {
        parseError = s.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ');
        write(`vygen: ${parseError} (${helpHint()})\n`);
      },
    });

  const report = (diagnostics: readonly Diagnostic[], sources: readonly Topo[]): void => {
    const color = colorWanted((program.opts() as { color?: boolean }).color !== false);
    const text = formatDiagnostics(diagnostics, { sources: new Map(sources.map((s) => [s.file, s.text])), color });
    if (text) process.stderr.write(text);
  };
  const failed = (diagnostics: readonly Diagnostic[]) => diagnostics.some((d) => d.severity === 'error');

  program
    .command('render')
    .description('render one configuration file per router')
    .argument('<topology>', 'topology YAML file')
    .option('-o, --out <dir>', 'write <router>.vyos files into this directory (default: all to stdout)')
    .option('--redact', 'write placeholders naming the secrets instead of their values')
    .option('--check', 'write nothing; exit 1 with a unified diff when the files in -o DIR are not what the topology renders now')
    .option('--prune', 'with -o DIR: remove the vygen files in DIR that the topology no longer renders (they are only reported without it)')
    .option('--no-reuse', 'with -o DIR: render even when DIR holds, untouched, what vygen last rendered there from this same input')
    .addOption(limitOption())
    .addOption(secretDirOption())
    .addOption(releaseOption())
    .addOption(wrapOption())
    .addOption(formatOption())
    .action((topology: string, opts: { out?: string; redact?: boolean; check?: boolean; prune?: boolean; reuse: boolean; limit?: string[]; secretDir?: string[]; release?: Release; wrap: Wrap; format: OutputFormat }) => {
      if (opts.format === 'json') json = { command: 'render' };
      if (opts.check && !opts.out) throw new UsageError('--check needs -o DIR: the directory holding the committed files', true);
      if (opts.prune && (!opts.out || opts.check)) throw new UsageError('--prune needs -o DIR and no --check: it removes stale files from the directory written', true);
      if (opts.prune && opts.limit) throw new UsageError('--prune cannot be used with --limit: the files of the other devices are not stale', true);
      const topo = readTopology(topology);
      // What the files are made from, for a write into DIR: its record lets the next render of the same input skip rendering (src/emit/render-record.ts).
      let key: string | undefined;
      let reused: string[] | undefined;
      const skipRender = (secrets: ReadonlyMap<SecretRef, string>): boolean => {
        const values = [...secrets].map(([ref, value]) => JSON.stringify([ref.kind, ref.name, value])).sort();
        key = renderKey({ text: topo.text, file: topo.file, origin: topo.origin, redact: opts.redact === true, release: opts.release, limit: opts.limit, prune: opts.prune === true, wrap: opts.wrap, secrets: values });
        reused = key !== undefined && opts.reuse ? unchangedRender(opts.out!, key) : undefined;
        return reused !== undefined;
      };
      const recordable = opts.out !== undefined && !opts.check && opts.format === 'text';
      // Each file is rendered as it is written, and let go after: 10,000 routers are never all held (docs/performance.md).
      // A JSON answer holds every file anyway, and would render each twice (once written, once answered).
      const result = render(topo.text, { file: topo.file, origin: topo.origin, redact: opts.redact === true, renderOnRead: opts.format === 'text', ...(opts.release ? { release: opts.release } : {}), ...(opts.secretDir ? { secretDirs: opts.secretDir } : {}), ...(recordable ? { skipRender } : {}) });
      if (opts.format === 'text') report(result.diagnostics, [topo]);
      if (failed(result.diagnostics)) {
        exitCode = EXIT_INVALID;
        if (json) process.stdout.write(jsonReport('render', false, result.diagnostics, { files: [] }));
        return;
      }
      if (result.skipped && reused) {
        process.stderr.write(`${printable(opts.out!)}: ${reused.length} file${reused.length === 1 ? '' : 's'} as vygen last rendered them from this same input, untouched since: not rendered again (--no-reuse renders them)\n`);
        return;
      }
      // Only VyOS command files are pasted into a router's shell.
      const files = limitFiles(result.files, opts.limit).map((f) => (f.kind === 'vyos' && opts.wrap.mode !== 'none' ? transformedFile(f, (content) => wrapCommands(content, opts.wrap)) : f));
      // With --limit, the other devices' files in DIR are neither stale nor extra.
      const renderedByAll = new Set(result.files.map((f) => f.path));
      const filesJson = () => files.map((f) => ({ path: f.path, device: f.device, kind: f.kind, ...(f.release ? { release: f.release } : {}), content: f.content, secret: f.secret === true }));
      if (opts.check) {
        let checked: CheckResult;
        try {
          checked = checkOutput(opts.out!, files);
        } catch (e) {
          if (e instanceof WriteError) throw new UsageError(`--check: ${e.message}`);
          throw e;
        }
        for (const note of checked.ignored) process.stderr.write(`vygen: ${note}\n`);
        const stale = checked.stale.filter((x) => x.status !== 'extra' || !renderedByAll.has(x.path));
        const out = printable(opts.out!);
        if (stale.length > 0) exitCode = EXIT_INVALID;
        if (json) {
          process.stdout.write(jsonReport('render', stale.length === 0, result.diagnostics, { files: filesJson(), check: { dir: opts.out, stale } }));
          return;
        }
        process.stdout.write(stale.map((s) => s.patch).join(''));
        if (stale.length === 0) {
          process.stderr.write(`${out}: up to date (${files.length} file${files.length === 1 ? '' : 's'})\n`);
        } else {
          const flags = [opts.redact ? ' --redact' : '', opts.release ? ` --release ${opts.release}` : '', opts.wrap.mode !== 'none' ? ' --wrap …' : ''].join('');
          process.stderr.write(
            `${out}: stale, ${stale.map((s) => `${printable(s.path)} ${s.status === 'changed' ? 'differs' : s.status === 'missing' ? 'is missing' : 'is not rendered any more'}`).join(', ')}\n` +
              `render again with: vygen render ${topology === '-' ? '-' : printable(topo.file)}${flags}${opts.limit ? ` --limit ${opts.limit.join(',')}` : ''} -o ${out}${stale.some((s) => s.status === 'extra') ? ' --prune' : ''}\n`,
          );
        }
        return;
      }
      if (opts.out) {
        let written: WriteResult;
        const out = printable(opts.out);
        const holdSignals = () => deferSignals(`writing ${opts.out}`); // the files are rendered and staged before: a signal then ends the run, DIR as it was
        try {
          written = writeAtomically(opts.out, files, { prune: opts.prune === true, beforeChange: holdSignals, ...(key !== undefined ? { record: key } : {}) });
        } catch (e) {
          throw writeFailure(opts.out, e);
        } finally {
          deliverSignals();
        }
        signalState.done = `${out} holds the whole new render`;
        for (const note of [...written.recovered, ...written.ignored]) process.stderr.write(`vygen: ${note}\n`);
        const { pruned } = written;
        const stale = written.stale.filter((p) => !renderedByAll.has(p));
        if (json) {
          process.stdout.write(jsonReport('render', true, result.diagnostics, { files: filesJson(), written: opts.out, stale, pruned }));
          return;
        }
        process.stderr.write(`wrote ${files.length} file${files.length === 1 ? '' : 's'} to ${out}${pruned.length > 0 ? `, removed ${pruned.length} no longer rendered: ${pruned.map(printable).join(', ')}` : ''}\n`);
        if (stale.length > 0 && pruned.length === 0) {
          process.stderr.write(`${out}: ${stale.length} file${stale.length === 1 ? ' is' : 's are'} no longer rendered by ${printable(topo.file)}: ${stale.map(printable).join(', ')} (--prune removes them)\n`);
        }
      } else if (json) {
        process.stdout.write(jsonReport('render', true, result.diagnostics, { files: filesJson() }));
      } else {
        writeFiles(process.stdout, files, '\n', (line) => process.stderr.write(line));
      }
    });

  program
    .command('validate')
    .description('check a topology without rendering it')
    .argument('<topology>', 'topology YAML file')
    .addOption(new Option('--release <release>', 'check every router against this VyOS release').choices([...RELEASES]))
    .addOption(formatOption())
    .action((topology: string, opts: { release?: Release; format: OutputFormat }) => {
      if (opts.format === 'json') json = { command: 'validate' };
      const topo = readTopology(topology);
      const result = validate(topo.text, { file: topo.file, ...(opts.release ? { release: opts.release } : {}) });
      const ok = !failed(result.diagnostics);
      if (!ok) exitCode = EXIT_INVALID;
      if (json) {
        process.stdout.write(jsonReport('validate', ok, result.diagnostics, { file: topo.file }));
        return;
      }
      report(result.diagnostics, [topo]);
      if (ok) process.stderr.write(`${topo.file}: valid\n`);
    });

  program
    .command('diff')
    .description('the delete and set commands that turn each router from the old topology into the new one')
    .usage('[options] <old.yaml> <new.yaml>\n       vygen diff [options] --base <ref> <topology.yaml>')
    .argument('<old>', 'the old topology (with --base: the topology, compared with its version at <ref>)')
    .argument('[new]', 'the new topology')
    .option('--base <ref>', 'read the old topology from git: git show <ref>:<topology>')
    .option('-o, --out <dir>', 'write <router>.vyos-diff files into this directory (default: all to stdout)')
    .option('--redact', 'placeholders naming the secrets instead of their values (a key rotated under the same name then shows no change)')
    .option('--exit-code', 'exit 1 when any device changes, 0 when none does (like git diff --exit-code)')
    .addOption(limitOption())
    .addOption(secretDirOption())
    .addOption(releaseOption())
    .addOption(wrapOption())
    .addOption(formatOption())
    .action((first: string, second: string | undefined, opts: { base?: string; out?: string; redact?: boolean; exitCode?: boolean; limit?: string[]; secretDir?: string[]; release?: Release; wrap: Wrap; format: OutputFormat }) => {
      if (opts.format === 'json') json = { command: 'diff' };
      let before: Topo;
      let after: Topo;
      if (opts.base !== undefined) {
        if (second !== undefined) throw new UsageError('with --base, give one topology: vygen diff --base <ref> <topology.yaml>', true);
        after = readTopology(first);
        before = readFromGit(opts.base, first);
      } else {
        if (second === undefined) throw new UsageError('give two topologies (vygen diff OLD.yaml NEW.yaml), or one with --base <ref>', true);
        if (first === '-' && second === '-') throw new UsageError('only one of the two topologies can be read from standard input (-)', true);
        before = readTopology(first);
        after = readTopology(second);
      }
      const result = diffTopologies(
        // The diff's own header names both sides the way line 2 of a rendered file does.
        { text: before.text, file: before.file, label: opts.base !== undefined ? `${opts.base}:${before.origin}` : before.origin },
        { text: after.text, file: after.file, label: after.origin, origin: after.origin },
        { redact: opts.redact === true, ...(opts.release ? { release: opts.release } : {}), ...(opts.base !== undefined ? { baseDir: dirname(after.file) } : {}), ...(opts.secretDir ? { secretDirs: opts.secretDir } : {}) },
      );
      if (!json) report(result.diagnostics, [before, after]);
      if (failed(result.diagnostics)) {
        exitCode = EXIT_INVALID;
        if (json) process.stdout.write(jsonReport('diff', false, result.diagnostics, { old: before.file, new: after.file, files: [] }));
        return;
      }
      const files = limitFiles(result.files, opts.limit).map((f) => ({ ...f, content: f.source.endsWith('.vyos') ? wrapCommands(f.content, opts.wrap) : f.content }));
      const shown = files.filter((f) => f.status !== 'unchanged');
      if (opts.exitCode && shown.length > 0) exitCode = EXIT_INVALID;
      let stale: string[] = [];
      let removed: string[] = [];
      if (opts.out) {
        try {
          // Yesterday's diff of a device that has no change today is removed (with --limit, only reported).
          const written = writeAtomically(opts.out, shown.map((f) => ({ path: f.path, device: f.device, kind: f.release ? 'vyos-diff' : 'text-diff', content: f.content, ...(f.secret ? { secret: true } : {}) })), { writer: 'diff', prune: opts.limit === undefined });
          for (const note of [...written.recovered, ...written.ignored]) process.stderr.write(`vygen: ${note}\n`);
          stale = written.stale;
          removed = written.pruned;
        } catch (e) {
          throw writeFailure(opts.out, e);
        }
      }
      if (json) {
        process.stdout.write(
          jsonReport('diff', true, result.diagnostics, {
            old: before.file,
            new: after.file,
            summary: summaryCounts(files),
            files: files.map((f) => ({
              path: f.path,
              source: f.source,
              device: f.device,
              status: f.status,
              release: f.release ?? null,
              previousRelease: f.previousRelease ?? null,
              commands: f.commands,
              content: f.content,
            })),
            ...(opts.out ? { written: opts.out, stale, removed } : {}),
          }),
        );
        return;
      }
      if (!opts.out) writeJoined(process.stdout, shown.map((f) => f.content), '\n');
      const wrote = opts.out && shown.length > 0 ? `; wrote ${shown.length} file${shown.length === 1 ? '' : 's'} to ${printable(opts.out)}` : '';
      const cleaned = removed.length > 0 ? `; removed ${removed.length} earlier diff${removed.length === 1 ? '' : 's'} with no change now: ${removed.map(printable).join(', ')}` : '';
      process.stderr.write(`${summaryText(files)}${wrote}${cleaned}\n`);
      if (opts.out && stale.length > 0) {
        process.stderr.write(`${printable(opts.out)}: ${stale.length} diff file${stale.length === 1 ? ' is' : 's are'} from an earlier diff (no change there now): ${stale.map(printable).join(', ')}; delete them\n`);
      }
    });

  program
    .command('graph')
    .description('draw the topology: sites, routers and roles, tunnels, BGP sessions')
    .argument('<topology>', 'topology YAML file')
    .addOption(new Option('--format <format>', 'mermaid (Markdown on GitHub) or dot (Graphviz)').choices([...GRAPH_FORMATS]).default('mermaid'))
    .addOption(releaseOption())
    .action((topology: string, opts: { format: GraphFormat; release?: Release }) => {
      const topo = readTopology(topology);
      const result = graph(topo.text, { file: topo.file, format: opts.format, ...(opts.release ? { release: opts.release } : {}) });
      report(result.diagnostics, [topo]);
      if (result.text === undefined) {
        exitCode = EXIT_INVALID;
        return;
      }
      process.stdout.write(result.text);
    });

  program
    .command('secrets')
    .description('list the secrets the topology needs: variable or file, what uses it, whether it is set (never the values)')
    .argument('<topology>', 'topology YAML file (- for standard input)')
    .addOption(formatOption())
    .action((topology: string, opts: { format: OutputFormat }) => {
      if (opts.format === 'json') json = { command: 'secrets' };
      const topo = readTopology(topology);
      const result = secrets(topo.text, { file: topo.file });
      const ok = !failed(result.diagnostics);
      if (!ok) exitCode = EXIT_INVALID;
      if (json) {
        process.stdout.write(jsonReport('secrets', ok, result.diagnostics, { file: topo.file, secrets: result.secrets }));
        return;
      }
      report(result.diagnostics, [topo]);
      if (ok) process.stdout.write(secretsTable(result.secrets));
    });

  program
    .command('init')
    .description('write a starting topology, from one of the examples shipped with vygen')
    .option('--example <name>', `the example to start from (default ${DEFAULT_EXAMPLE}; --list shows them)`)
    .option('-o, --out <file>', 'the file to write (default topology.yaml; - prints it)', 'topology.yaml')
    .option('--force', 'overwrite the file if it exists')
    .option('--list', 'list the examples and exit')
    .action((opts: { example?: string; out: string; force?: boolean; list?: boolean }) => {
      const names = exampleNames();
      if (opts.list) {
        const width = Math.max(...names.map((n) => n.length));
        process.stdout.write(names.map((n) => `${n.padEnd(width)}  ${exampleSummary(n)}\n`).join(''));
        return;
      }
      const name = opts.example ?? DEFAULT_EXAMPLE;
      if (!names.includes(name)) {
        const guess = suggest(name, names);
        throw new UsageError(`--example: no example ${JSON.stringify(name)}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}; examples: ${names.join(', ')}`, true);
      }
      const target = opts.out === '-' ? 'topology.yaml' : displayPath(opts.out);
      // The modeline is relative to the file: a file in a sub-directory reaches up to ./node_modules.
      const schemaPath = opts.out === '-' ? INSTALLED_SCHEMA : relative(dirname(resolve(opts.out)), resolve(INSTALLED_SCHEMA)).split(sep).join('/');
      const text = starterTopology(name, target, schemaPath);
      if (opts.out === '-') {
        process.stdout.write(text);
        return;
      }
      try {
        // 'wx': created only if it does not exist, in one step.
        writeFileSync(opts.out, text, { flag: opts.force ? 'w' : 'wx' });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new UsageError(`${opts.out} exists: choose another file with -o, or overwrite it with --force`, true);
        throw new UsageError(`cannot write ${opts.out}: ${code ?? (e as Error).message}`);
      }
      process.stderr.write(
        `wrote ${target} (example ${name})\n` +
          `next: vygen validate ${target}; vygen render ${target} --redact (a preview without the keys); vygen secrets ${target} (the keys it needs)\n`,
      );
    });

  program
    .command('completion')
    .description('print the shell completion script: source <(vygen completion bash)')
    .argument('<shell>', SHELLS.join(', '))
    .action((shell: string) => {
      if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`completion: no shell ${JSON.stringify(shell)}; choose ${SHELLS.join(', ')}`, true);
      process.stdout.write(completionScript(shell as Shell, completionCommands(program)));
    });

  program
    .command('lab')
    .description('run the rendered routers with the real FRR BGP daemon in network namespaces: sessions, best paths, every single failure (Linux, root, FRR)')
    .argument('[topology]', 'topology YAML file (rendered in memory, secrets redacted)')
    .option('--from <dir>', 'a directory of rendered .vyos files instead of a topology (hand edits are checked as written)')
    .option('--fail <name>', 'fail only this router, link end (tokyo-a:tun0) or link (tokyo-a--osaka-a); repeatable', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--no-scenarios', 'check the network with everything up, fail nothing')
    .option('--no-ipsec', 'do not run the IPsec pairs with strongSwan')
    .option('--print-frr', 'print the FRR configuration each router translates to, and stop (needs neither root nor FRR)')
    .addOption(releaseOption())
    .addOption(formatOption())
    .action((topology: string | undefined, opts: { from?: string; fail: string[]; scenarios: boolean; ipsec: boolean; printFrr?: boolean; release?: Release; format: OutputFormat }) => {
      if (opts.format === 'json') json = { command: 'lab' };
      if ((topology === undefined) === (opts.from === undefined)) throw new UsageError('lab needs a TOPOLOGY or --from DIR (one of them)');
      let rendered: { name: string; text: string }[] | undefined;
      let source = opts.from ?? '';
      if (topology !== undefined) {
        const topo = readTopology(topology);
        source = topo.file;
        const result = render(topo.text, { file: topo.file, redact: true, ...(opts.release ? { release: opts.release } : {}) });
        if (failed(result.diagnostics)) {
          exitCode = EXIT_INVALID;
          if (json) process.stdout.write(jsonReport('lab', false, result.diagnostics, { file: topo.file }));
          else report(result.diagnostics, [topo]);
          return;
        }
        rendered = result.files.filter((f) => f.path.endsWith('.vyos') || f.path.endsWith('.keepalived.conf')).map((f) => ({ name: f.path, text: f.content }));
      } else if (opts.release) throw new UsageError('--release applies to a topology, not to --from DIR (the files name their release)');
      asyncWork = labCommand({ source, rendered, dir: opts.from, fail: opts.fail, scenarios: opts.scenarios, ipsec: opts.ipsec, printFrr: opts.printFrr === true, json: json !== undefined });
    });

  program
    .command('schema')
    .description('print the JSON Schema of the topology format (for editors)')
    .action(() => {
      // The file itself, byte for byte: what editors load from node_modules/vygen/schemas/.
      process.stdout.write(readFileSync(SCHEMA_URL, 'utf8'));
    });

  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return EXIT_OK;
      if (wantsJson(argv)) process.stdout.write(jsonReport(asked ?? 'vygen', false, [], { error: parseError ?? e.message.replace(/^error: /, '') }));
      return EXIT_USAGE;
    }
    if (e instanceof RefusedInput) {
      if (json) process.stdout.write(jsonReport(json.command, false, [e.diagnostic], { files: [] }));
      else process.stderr.write(formatDiagnostics([e.diagnostic]));
      return EXIT_INVALID;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`vygen: ${e.message}${e.commandLine ? ` (${helpHint()})` : ''}\n`);
      if (json) process.stdout.write(jsonReport(json.command, false, [], { error: e.message }));
      return EXIT_USAGE;
    }
    throw e;
  }
  return exitCode;
}

/** What the completion scripts need to know about each command, read from its definition. */
function completionCommands(program: Command): CompletionCommand[] {
  return program.commands
    .filter((c) => c.name() !== 'help')
    .map((c) => ({
      name: c.name(),
      description: c.description(),
      options: c.options.map((o) => {
        const long = o.long ?? o.flags;
        const takes = o.required || o.optional;
        const value: CompletionCommand['options'][number]['value'] = !takes
          ? undefined
          : o.argChoices
            ? { words: o.argChoices }
            : long === '--out'
              ? c.name() === 'init'
                ? 'file'
                : 'dir'
              : long === '--wrap'
                ? { words: ['none', 'configure', 'commit-confirm', 'commit-confirm='] }
                : long === '--example'
                  ? { words: exampleNames() }
                  : 'any';
        return { long, ...(o.short ? { short: o.short } : {}), description: o.description, ...(value !== undefined ? { value } : {}) };
      }),
      args: c.name() === 'completion' ? { words: SHELLS } : c.registeredArguments.length === 0 ? ('none' as const) : ('files' as const),
    }));
}

/** Devices by what happened to them; a device with several files (an LVS director) counts once, as its most notable change. */
function summaryCounts(files: readonly FileDiff[]): Record<'changed' | 'added' | 'removed' | 'unchanged', string[]> {
  const order: FileDiff['status'][] = ['added', 'removed', 'changed', 'unchanged'];
  const status = new Map<string, FileDiff['status']>();
  for (const f of files) {
    const had = status.get(f.device);
    if (had === undefined || order.indexOf(f.status) < order.indexOf(had)) status.set(f.device, f.status);
  }
  const by = (s: FileDiff['status']) => [...status].filter(([, v]) => v === s).map(([k]) => k);
  return { changed: by('changed'), added: by('added'), removed: by('removed'), unchanged: by('unchanged') };
}

function summaryText(files: readonly FileDiff[]): string {
  const c = summaryCounts(files);
  const MAX_NAMED = 10;
  const part = (names: string[], what: string) =>
    names.length === 0 ? '' : `${names.length} ${what} (${names.slice(0, MAX_NAMED).join(', ')}${names.length > MAX_NAMED ? `, … ${names.length - MAX_NAMED} more` : ''})`;
  const parts = [part(c.changed, 'changed'), part(c.added, 'added'), part(c.removed, 'removed')].filter((p) => p !== '');
  const unchanged = c.unchanged.length > 0 ? `${c.unchanged.length} unchanged` : '';
  if (parts.length === 0) return `diff: no changes${unchanged ? ` (${unchanged})` : ''}`;
  return `diff: ${[...parts, unchanged].filter((p) => p !== '').join(', ')}`;
}

/** The lab runs asynchronously; main() has returned by the time it ends. */
let asyncWork: Promise<number> | undefined;

interface LabRequest {
  source: string;
  rendered?: { name: string; text: string }[];
  dir?: string;
  fail: string[];
  scenarios: boolean;
  ipsec: boolean;
  printFrr: boolean;
  json: boolean;
}

async function labCommand(r: LabRequest): Promise<number> {
  // Loaded here, not at the top: the other commands never pay for the lab.
  const lab = await loadLab();
  const say = (line: string) => process.stderr.write(`vygen lab: ${line}\n`);
  const usage = (message: string) => {
    say(message);
    if (r.json) process.stdout.write(jsonReport('lab', false, [], { error: message }));
    return EXIT_USAGE;
  };
  let files;
  try {
    files = r.rendered ?? lab.filesOfDirectory(r.dir!, displayPath(r.dir!));
  } catch (e) {
    if (e instanceof lab.LabError) return usage(e.message);
    throw e;
  }
  const options = { source: r.source, files, fail: r.fail, scenarios: r.scenarios, ipsec: r.ipsec, progress: say };
  const prepared = lab.prepare(options);
  const emit = (rep: import('./lab/index.js').LabReport) => process.stdout.write(r.json ? lab.jsonOf(rep) : lab.formatReport(rep));
  if ((!prepared.plan && prepared.directors.length === 0) || prepared.report.problems.length > 0) {
    emit(prepared.report);
    return EXIT_INVALID;
  }
  if (r.printFrr) {
    for (const n of prepared.plan?.nodes ?? []) process.stdout.write(`# ${n.name} (${n.kind}): bgpd.conf\n${n.config.bgpd}# ${n.name}: staticd.conf\n${n.config.staticd}\n`);
    return EXIT_OK;
  }
  const missing = lab.missingPrerequisites();
  if (missing) return usage(missing);
  try {
    const outcome = await lab.runLab(options);
    emit(outcome.report);
    return outcome.exitCode;
  } catch (e) {
    if (e instanceof lab.LabError) return usage(e.message);
    throw e;
  }
}

/**
 * The reader went away (`vygen render big.yaml | head`): end as a Unix tool
 * ended by SIGPIPE does, silently with status 141 (128 + 13). Node ignores
 * SIGPIPE, so the write fails with EPIPE instead, and that error, unhandled,
 * printed a stack trace. Any other failed write (`> file` on a full disk:
 * ENOSPC) is an I/O error: one line, exit 2, and the output is said to be
 * incomplete, since part of it may already be in the file.
 */
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT_CLOSED_PIPE);
    // A failed write to stderr comes back here as its own error event (and exits 2): it does not throw.
    if (stream === process.stdout) process.stderr.write(`vygen: cannot write to standard output: ${e.message}; the output is incomplete: do not use it\n`);
    process.exit(EXIT_USAGE);
  });
}

process.exitCode = main(process.argv.slice(2));
if (asyncWork) {
  asyncWork.then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`vygen lab: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
}
