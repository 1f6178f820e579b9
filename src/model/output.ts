// A rendered file and what it is. Everything after rendering (writing, --check,
// --prune, diff, JSON output) reads these fields; nothing parses a header or
// guesses from a file name to learn what a file is.
import type { Release } from '../targets/vyos/dialects.js';
import type { RenderInput } from '../targets/render-input.js';

/** What a file is for. A file vygen writes has exactly one of these kinds. */
export type OutputKind =
  | 'vyos'
  | 'keepalived'
  | 'sysctl'
  | 'real-server-script'
  /** The systemd unit that runs a real server's set-up script at boot. */
  | 'real-server-unit'
  | 'failover-script'
  | 'serf-config'
  | 'serf-handler'
  | 'nat-watch-script'
  | 'nat-watch-unit'
  | 'nat-script'
  /** A cloud router's VRRP health check (its eBGP sessions up). */
  | 'vrrp-health-script'
  /** A router's scale-up script (cron). */
  | 'scale-up-script'
  /** Per AWS site or NAT pair: what an operator sets up in AWS by hand. */
  | 'iam-policy'
  | 'security-groups'
  | 'source-dest-check-script'
  /** What `vygen diff -o` writes: the commands turning one render into another, or a unified diff. */
  | 'vyos-diff'
  | 'text-diff';

export interface OutputFile {
  /** Relative path inside the output directory, '/'-separated. */
  path: string;
  device: string;
  kind: OutputKind;
  /** The VyOS release a `vyos` file targets. */
  release?: Release;
  content: string;
  /** The content holds a secret's value (not redacted): written with mode 0600. */
  secret?: boolean;
  /**
   * Set where rendering was deferred to compare (`vygen diff`): everything the content is
   * made from, so two files of one path and release made from the same input
   * (sameRenderInput, src/targets/render-input.ts) have the same content, and
   * neither has to be rendered to know it.
   */
  renderedFrom?: RenderInput;
}
