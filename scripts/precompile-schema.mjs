// Build step: compiles schemas/topology.schema.json into a standalone CommonJS
// validator beside the compiled code, so the CLI does not load ajv's compiler.
import { writeFileSync, readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { withLinearUniqueItems } from '../dist/schema/unique-items.js';
import { asciiSource } from './ascii-source.mjs';

const schema = JSON.parse(readFileSync(new URL('../schemas/topology.schema.json', import.meta.url), 'utf8'));
const ajv = withLinearUniqueItems(new Ajv2020.default({ allErrors: true, verbose: true, strict: true, code: { source: true } }));
// An annotation for editors (VS Code, yaml-language-server): what to say when a pattern fails.
ajv.addVocabulary(['patternErrorMessage']);
const validate = ajv.compile(schema);
const code = standaloneCode.default(ajv, validate);
writeFileSync(new URL('../dist/schema/topology-validator.generated.cjs', import.meta.url), asciiSource(code, 'precompile-schema'));
