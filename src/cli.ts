#!/usr/bin/env node
// vygen's command line: argument parsing (commander), reading the topology,
// printing diagnostics, writing files, exit codes. 0 ok, 1 invalid topology,
// 2 usage or I/O error. A user's mistake never shows a stack trace.
import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import { formatDiagnostics } from './format.js';
import { render, validate, writeAtomically, loadSchema, RELEASES, type Release } from './index.js';

const EXIT_OK = 0;
const EXIT_INVALID = 1;
const EXIT_USAGE = 2;

class UsageError extends Error {}

function readTopology(path: string): { text: string; file: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
  }
  // Headers and diagnostics name the file relative to the working directory,
  // with '/' separators, so output is the same on every machine.
  const rel = isAbsolute(path) ? relative(process.cwd(), path) : path;
  return { text, file: rel.split(sep).join('/').replace(/^\.\//, '') };
}

function report(diagnostics: Parameters<typeof formatDiagnostics>[0]): void {
  const text = formatDiagnostics(diagnostics);
  if (text) process.stderr.write(text);
}

const releaseOption = new Option('--release <release>', 'render every router for this VyOS release (overrides the topology)').choices([...RELEASES]);

export function main(argv: string[]): number {
  let exitCode = EXIT_OK;
  const program = new Command()
    .name('vygen')
    .description('One YAML topology -> validated VyOS configuration')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) })
    .showHelpAfterError();

  program
    .command('render')
    .description('render one configuration file per router')
    .argument('<topology>', 'topology YAML file')
    .option('-o, --out <dir>', 'write <router>.vyos files into this directory (default: all to stdout)')
    .option('--redact', 'write placeholders naming the secrets instead of their values')
    .addOption(releaseOption)
    .action((topology: string, opts: { out?: string; redact?: boolean; release?: Release }) => {
      const { text, file } = readTopology(topology);
      const result = render(text, { file, redact: opts.redact === true, ...(opts.release ? { release: opts.release } : {}) });
      report(result.diagnostics);
      if (result.files.length === 0 && result.diagnostics.some((d) => d.severity === 'error')) {
        exitCode = EXIT_INVALID;
        return;
      }
      if (opts.out) {
        try {
          writeAtomically(opts.out, result.files);
        } catch (e) {
          throw new UsageError(`cannot write to ${opts.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
        process.stderr.write(`wrote ${result.files.length} file${result.files.length === 1 ? '' : 's'} to ${opts.out}\n`);
      } else {
        process.stdout.write(result.files.map((f) => f.content).join('\n'));
      }
    });

  program
    .command('validate')
    .description('check a topology without rendering it')
    .argument('<topology>', 'topology YAML file')
    .addOption(new Option('--release <release>', 'check every router against this VyOS release').choices([...RELEASES]))
    .action((topology: string, opts: { release?: Release }) => {
      const { text, file } = readTopology(topology);
      const result = validate(text, { file, ...(opts.release ? { release: opts.release } : {}) });
      report(result.diagnostics);
      if (result.diagnostics.some((d) => d.severity === 'error')) exitCode = EXIT_INVALID;
      else process.stderr.write(`${file}: valid\n`);
    });

  program
    .command('schema')
    .description('print the JSON Schema of the topology format (for editors)')
    .action(() => {
      process.stdout.write(`${JSON.stringify(loadSchema(), null, 2)}\n`);
    });

  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    if (e instanceof UsageError) {
      process.stderr.write(`vygen: ${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
  return exitCode;
}

process.exitCode = main(process.argv.slice(2));
