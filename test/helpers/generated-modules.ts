// The modules the build generates and src/load/generated-module.ts loads, each
// with its code cache: every test about how they are built or loaded uses this
// list, so a module added to the build is added once.
export const GENERATED_MODULES = ['dist/bundle/cli.cjs', 'dist/bundle/index.cjs', 'dist/schema/topology-validator.generated.cjs', 'dist/targets/templates.compiled.cjs', 'dist/targets/templates.split.cjs'] as const;
