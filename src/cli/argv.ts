// What can be told about a command line before commander has parsed it: a
// usage error found while parsing must still be answered in the format and
// for the command the user asked for.

/** The subcommand: the first word that is not an option. */
export function commandOf(argv: readonly string[]): string | undefined {
  return argv.find((a) => !a.startsWith('-'));
}

/** `--format json` or `--format=json` anywhere before a `--`. */
export function wantsJson(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return false;
    if (a === '--format=json') return true;
    if (a === '--format' && argv[i + 1] === 'json') return true;
  }
  return false;
}
