// Paste-safe wrapping (`--wrap`): the commands of a file inside the session
// an operator pastes into the router's shell.
//
//   none                   the bare lines (the default)
//   configure              configure … commit, save, exit
//   commit-confirm[=N]     configure … commit-confirm N; the `confirm`, `save`
//                          and `exit` that keep the change follow as comments,
//                          to be typed once the router is checked
//
// With commit-confirm VyOS reverts an unconfirmed commit by going back to the
// saved configuration (a reboot by default), so the change must not be saved before it is confirmed:
// pasting `save` right after `commit-confirm` would make the new configuration
// the one it reverts to. The header comments stay above `configure`; a file
// with no commands (an unchanged or removed router) is not wrapped.

export type Wrap = { mode: 'none' } | { mode: 'configure' } | { mode: 'commit-confirm'; minutes: number };

export class WrapError extends Error {}

/** VyOS's own default for `commit-confirm` without minutes. */
export const DEFAULT_CONFIRM_MINUTES = 10;
const MAX_CONFIRM_MINUTES = 1440;

export function parseWrap(text: string): Wrap {
  if (text === 'none') return { mode: 'none' };
  if (text === 'configure') return { mode: 'configure' };
  const m = /^commit-confirm(?:=(\d+))?$/.exec(text);
  if (m) {
    const minutes = m[1] === undefined ? DEFAULT_CONFIRM_MINUTES : Number(m[1]);
    if (minutes < 1 || minutes > MAX_CONFIRM_MINUTES) throw new WrapError(`commit-confirm minutes must be 1 to ${MAX_CONFIRM_MINUTES}, not ${m[1]}`);
    return { mode: 'commit-confirm', minutes };
  }
  throw new WrapError(`unknown --wrap ${JSON.stringify(text)}: expected none, configure, commit-confirm or commit-confirm=MINUTES`);
}

export function wrapCommands(content: string, wrap: Wrap): string {
  if (wrap.mode === 'none') return content;
  const lines = content.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (!lines.some((l) => /^(set|delete) /.test(l))) return content;
  let start = 0;
  while (start < lines.length && (lines[start] === '' || lines[start]!.startsWith('#'))) start++;
  // The header: the comment block at the top, up to its first blank line.
  let headerEnd = 0;
  while (headerEnd < start && lines[headerEnd] !== '') headerEnd++;
  const header = lines.slice(0, headerEnd);
  const body = lines.slice(headerEnd);
  while (body[0] === '') body.shift();
  const tail =
    wrap.mode === 'configure'
      ? ['commit', 'save', 'exit']
      : [
          `commit-confirm ${wrap.minutes}`,
          `# Check the router now. To keep the change, type within ${wrap.minutes} minute${wrap.minutes === 1 ? '' : 's'}:`,
          '#   confirm',
          '#   save',
          '#   exit',
          '# Without confirm, VyOS goes back to the saved (previous) configuration (by a reboot, unless configured to reload).',
        ];
  return `${[...header, ...(header.length > 0 ? [''] : []), 'configure', ...body, ...tail].join('\n')}\n`;
}
