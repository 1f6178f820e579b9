// The lab's modules, loaded only by `vygen lab`. The bundled command line
// replaces this module (scripts/bundle-cli.mjs): its import() is made by the
// ES module that loads the bundle, since code run from V8's code cache cannot.
export function loadLab(): Promise<typeof import('../lab/index.js')> {
  return import('../lab/index.js');
}
