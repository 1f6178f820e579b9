// `vygen completion bash|zsh|fish`: shell completion scripts generated from
// the command definitions, so a new command or option is completed without
// anyone editing a script.
export interface CompletionOption {
  long: string;
  short?: string;
  description: string;
  /** Takes a value: these words, a directory, or any word. */
  value?: { words: readonly string[] } | 'dir' | 'file' | 'any';
}

export interface CompletionCommand {
  name: string;
  description: string;
  options: CompletionOption[];
  /** Its arguments are files (topologies); otherwise these words. */
  args: 'files' | { words: readonly string[] } | 'none';
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

// Descriptions end up inside shell quotes and zsh/fish spec syntax: only
// plain words and punctuation that none of the three treats specially.
const plain = (s: string) =>
  s
    .replace(/[^A-Za-z0-9 ,.()/+=<>-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80);
const words = (ws: readonly string[]) => ws.filter((w) => /^[A-Za-z0-9._=-]+$/.test(w)).join(' ');

export function completionScript(shell: Shell, commands: readonly CompletionCommand[]): string {
  if (shell === 'bash') return bash(commands);
  if (shell === 'zsh') return zsh(commands);
  return fish(commands);
}

function bash(commands: readonly CompletionCommand[]): string {
  const values: string[] = [];
  const opts: string[] = [];
  const args: string[] = [];
  for (const c of commands) {
    opts.push(`    ${c.name}) opts='${c.options.flatMap((o) => [o.short, o.long].filter((x): x is string => x !== undefined)).join(' ')}' ;;`);
    if (typeof c.args === 'object') args.push(`    ${c.name}) COMPREPLY=($(compgen -W '${words(c.args.words)}' -- "$cur")); return ;;`);
    else if (c.args === 'none') args.push(`    ${c.name}) return ;;`);
    for (const o of c.options) {
      if (o.value === undefined) continue;
      const flags = [o.short, o.long].filter((x): x is string => x !== undefined).map((f) => `'${c.name} ${f}'`).join('|');
      const action = typeof o.value === 'object' ? `COMPREPLY=($(compgen -W '${words(o.value.words)}' -- "$cur"))` : o.value === 'dir' ? 'COMPREPLY=($(compgen -d -- "$cur"))' : o.value === 'file' ? 'COMPREPLY=($(compgen -f -- "$cur"))' : 'COMPREPLY=()';
      values.push(`    ${flags}) ${action}; return ;;`);
    }
  }
  return `# vygen completion for bash. Load it with:  source <(vygen completion bash)
_vygen() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} cmd=\${COMP_WORDS[1]} opts=''
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W '${commands.map((c) => c.name).join(' ')} --help --version' -- "$cur"))
    return
  fi
  case "$cmd $prev" in
${values.join('\n')}
  esac
  case "$cmd" in
${opts.join('\n')}
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts --help" -- "$cur"))
    return
  fi
  case "$cmd" in
${args.join('\n')}
  esac
  COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -o bashdefault -F _vygen vygen
`;
}

function zsh(commands: readonly CompletionCommand[]): string {
  const cases = commands.map((c) => {
    const specs = c.options.map((o) => {
      const names = [o.short, o.long].filter((x): x is string => x !== undefined);
      const head = names.length > 1 ? `'(${names.join(' ')})'{${names.join(',')}}'` : `'${names[0]}`;
      const action = o.value === undefined ? '' : typeof o.value === 'object' ? `:value:(${words(o.value.words)})` : o.value === 'dir' ? ':directory:_files -/' : o.value === 'file' ? ':file:_files' : ':value: ';
      return `        ${head}[${plain(o.description)}]${action}'`;
    });
    const rest = typeof c.args === 'object' ? `'1:argument:(${words(c.args.words)})'` : c.args === 'files' ? "'*:topology:_files'" : '';
    return `    ${c.name})\n      _arguments -s \\\n${[...specs, rest ? `        ${rest}` : ''].filter((s) => s !== '').join(' \\\n')}\n      ;;`;
  });
  return `#compdef vygen
# vygen completion for zsh. Load it with:  source <(vygen completion zsh)
# (after compinit), or save it as _vygen in a directory of $fpath.
_vygen() {
  local -a commands
  commands=(
${commands.map((c) => `    '${c.name}:${plain(c.description)}'`).join('\n')}
  )
  if (( CURRENT == 2 )); then
    _describe -t commands 'vygen command' commands
    return
  fi
  local cmd=$words[2]
  shift words
  (( CURRENT-- ))
  case $cmd in
${cases.join('\n')}
  esac
}
if [ "$funcstack[1]" = "_vygen" ]; then
  _vygen "$@"
else
  compdef _vygen vygen
fi
`;
}

function fish(commands: readonly CompletionCommand[]): string {
  const lines = ['# vygen completion for fish. Load it with:  vygen completion fish | source', 'complete -c vygen -f'];
  for (const c of commands) lines.push(`complete -c vygen -n __fish_use_subcommand -a ${c.name} -d '${plain(c.description)}'`);
  for (const c of commands) {
    const when = `-n '__fish_seen_subcommand_from ${c.name}'`;
    for (const o of c.options) {
      const names = [o.short ? `-s ${o.short.slice(1)}` : '', `-l ${o.long.slice(2)}`].filter((x) => x !== '').join(' ');
      const value = o.value === undefined ? '' : typeof o.value === 'object' ? ` -x -a '${words(o.value.words)}'` : o.value === 'dir' ? " -r -a '(__fish_complete_directories)'" : o.value === 'file' ? ' -r -F' : ' -x';
      lines.push(`complete -c vygen ${when} ${names}${value} -d '${plain(o.description)}'`);
    }
    if (typeof c.args === 'object') lines.push(`complete -c vygen ${when} -x -a '${words(c.args.words)}'`);
    else if (c.args === 'files') lines.push(`complete -c vygen ${when} -F`);
  }
  return `${lines.join('\n')}\n`;
}
