// `{ ...base, key: value }`, where `key` is not one of base's own keys, is
// the slowest way to build that object on Node 20 (V8 11.3), and what it
// leaves outlives two scavenges. Measured (a 7-key object, 3 million in a
// loop): 580-610 ns an object, against 13-18 ns for `{ ...base }` or
// `{ ...base, ownKey: v }` and 125-140 ns for Object.assign; a fifth to a third
// of the bytes it allocates reached the old generation. In a router's render
// such copies made the CLI's heap grow by about 4.6 KB a file written, until
// the next full collection (docs/performance.md, the sixteenth round;
// test/render-promotion.test.ts). `const o = { ...base }; o.key = v` and
// `{ ...base, ...{ key: v } }` are the same case; `{ key: v, ...base }` is
// not, but puts the key first. It is the spread's inline cache at work: a
// spread that has seen at most four shapes of `base` is slow this way, one
// that has seen five or more (megamorphic) takes V8's generic path, 115-124
// ns with nothing promoted. A router's render sees few shapes at each site.
//
// Object.assign builds the same object, its keys in the same order. Only for
// objects whose keys vygen chose: it sets each key, so an own `__proto__` key
// (a YAML mapping can have one) would set the prototype instead of being
// copied.
export function extend<T extends object, U extends object>(base: T, extra: U): T & U {
  return Object.assign({}, base, extra);
}
