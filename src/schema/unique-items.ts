// `uniqueItems` in linear time. ajv compiles it to a loop over all pairs
// when the items' type is not known where the keyword is (items by `$ref`):
// 160,000 hub spokes took 114 s. This definition replaces ajv's own (the
// schema file keeps the standard keyword, so editors still check it): each
// item is keyed by its type and JSON text in a Map, one pass. Items of vygen's
// unique lists are strings and numbers, for which the JSON text is exact (two
// objects with the same keys in another order would count as different).
//
// Only the build (and a checkout without it) compiles the schema: ajv's code
// generator is loaded here on demand, so the command line, which runs the
// precompiled validator, does not start it (scripts/bundle-cli.mjs).
import { createRequire } from 'node:module';
import type { CodeKeywordDefinition, KeywordCxt } from 'ajv';

const load = createRequire(import.meta.url);

function linearUniqueItems(): CodeKeywordDefinition {
  const { _, str } = load('ajv') as typeof import('ajv');
  return {
    keyword: 'uniqueItems',
    type: 'array',
    schemaType: 'boolean',
    error: {
      message: ({ params }) => str`must NOT have duplicate items (items ## ${params.j} and ${params.i} are identical)`,
      params: ({ params }) => _`{i: ${params.i}, j: ${params.j}}`,
    },
    code(cxt: KeywordCxt) {
      const { gen, data, schema } = cxt;
      if (schema !== true) return;
      const i = gen.let('i', _`${data}.length`);
      const j = gen.let('j');
      cxt.setParams({ i, j });
      const valid = gen.let('valid', true);
      const seen = gen.const('seen', _`new Map()`);
      gen.for(_`;${i}--;`, () => {
        const key = gen.const('key', _`typeof ${data}[${i}] + ":" + JSON.stringify(${data}[${i}])`);
        gen.if(_`${seen}.has(${key})`, () => {
          gen.assign(j, _`${seen}.get(${key})`);
          gen.assign(valid, false).break();
        });
        gen.code(_`${seen}.set(${key}, ${i})`);
      });
      cxt.pass(valid);
    },
  };
}

/** An ajv instance whose uniqueItems is linearUniqueItems. */
export function withLinearUniqueItems<A extends { removeKeyword(k: string): unknown; addKeyword(d: CodeKeywordDefinition): unknown }>(ajv: A): A {
  ajv.removeKeyword('uniqueItems');
  ajv.addKeyword(linearUniqueItems());
  return ajv;
}
