// The one definition of "a file vygen owns" in an output directory. `render
// --check`, `render -o` (stale files, --prune), `diff -o` and their JSON
// reports all ask owns(): a file counts as vygen's only when its name is one
// vygen writes AND its first lines are vygen's header, so a hand-written
// `notes.vyos` or `my-own-tool.sh` beside the render is never reported,
// compared or removed.

/** Which command writes a kind of file: render and diff own different files of one directory. */
export type Writer = 'render' | 'diff';

interface Kind {
  name: RegExp;
  writer: Writer;
  /** Whether the first bytes are vygen's. */
  headed: (head: string) => boolean;
}

// Every file vygen writes begins with a `# vygen` comment (after the `#!`
// line of a script), except the Serf configuration (JSON has no comments),
// which names vygen's handler.
const COMMENT_HEADER = (head: string) => /^(#![^\n]*\n)?# vygen/.test(head);

const KINDS: readonly Kind[] = [
  { name: /^[^/]+\.vyos$/, writer: 'render', headed: COMMENT_HEADER },
  { name: /^[^/]+\.(?:keepalived\.conf|sysctl\.conf|failover\.sh|serf-handler\.sh|nat-watch\.sh|nat-watch\.service|nat\.sh|vrrp-health\.sh|source-dest-check\.sh|scale-up\.sh)$/, writer: 'render', headed: COMMENT_HEADER },
  { name: /^[^/]+\.serf\.json$/, writer: 'render', headed: (head) => head.includes('vygen-serf-handler') },
  // JSON has no comments: vygen's IAM policies name their statements Vygen…, its security groups start with a "vygen" key.
  { name: /^[^/]+\.iam-policy\.json$/, writer: 'render', headed: (head) => /"Sid": "Vygen/.test(head) },
  { name: /^[^/]+\.security-groups\.json$/, writer: 'render', headed: (head) => /^\{\n {2}"vygen": "vygen: /.test(head) },
  { name: /^real-servers\/[^/]+\.(?:sh|service)$/, writer: 'render', headed: COMMENT_HEADER },
  { name: /^[^/]+\.vyos-diff$/, writer: 'diff', headed: COMMENT_HEADER },
  // The unified diff of a file that is not a VyOS command file: a patch has no comment of its own.
  { name: /^(?:[^/]+\.(?:keepalived\.conf|sysctl\.conf|failover\.sh|serf-handler\.sh|nat-watch\.sh|nat-watch\.service|nat\.sh|serf\.json|vrrp-health\.sh|source-dest-check\.sh|scale-up\.sh|iam-policy\.json|security-groups\.json)|real-servers\/[^/]+\.(?:sh|service))\.diff$/, writer: 'diff', headed: (head) => /^--- (?:a\/|\/dev\/null)[^\n]*\n\+\+\+ /.test(head) },
];

/** The subdirectories vygen writes into (every other path is one name deep). */
export const OUTPUT_SUBDIRS: ReadonlySet<string> = new Set(['real-servers']);

/** How many bytes of a file owns() looks at. */
export const HEAD_BYTES = 512;

/** Whether `relativePath` ('/'-separated) with these first bytes is a file `writer` wrote. */
export function owns(relativePath: string, head: string, writer: Writer = 'render'): boolean {
  const kind = KINDS.find((k) => k.name.test(relativePath));
  return kind !== undefined && kind.writer === writer && kind.headed(head);
}

/** Whether a path could be one of vygen's by its name alone (then its head is worth reading). */
export function ownableName(relativePath: string): boolean {
  return KINDS.some((k) => k.name.test(relativePath));
}
