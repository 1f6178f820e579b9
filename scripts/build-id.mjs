// Build step: dist/build-id.txt, a hash of everything a render is made by (the
// built code, templates/, schemas/, package.json). `render -o DIR` keys its
// record of DIR with it (src/emit/render-record.ts), so another build of
// vygen never takes files rendered by this one as its own.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const files = [];
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.(js|cjs|hbs|json)$/.test(e.name)) files.push(p);
  }
};
for (const d of ['dist', 'templates', 'schemas']) walk(join(root, d));
files.push(join(root, 'package.json'));
const hash = createHash('sha256');
for (const f of files.map((p) => relative(root, p)).sort()) hash.update(`${f}\0`).update(readFileSync(join(root, f))).update('\0');
writeFileSync(join(root, 'dist', 'build-id.txt'), `${hash.digest('hex')}\n`);
