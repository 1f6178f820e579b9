// A string built by `+` or a template literal is, in V8, a tree of its pieces
// (a "cons string": a node pointing at the two halves) until something reads
// it by index. Reading one character flattens it: V8 copies it into one
// sequential string, and the next garbage collection drops the node and the
// pieces. A name or a prefix that the model or an intent keeps for the whole
// render is flattened where it is built: at 1,000 sites they were 63,000 such
// trees, a sixth of what the intents keep alive (docs/performance.md, the
// fifteenth round). The value is unchanged; only its layout in memory is.
export function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}
