import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

// A file's Content Credentials as an independent reader sees them: c2pa-python (see e2e/c2pa/read.py), not the Rust
// crate that signed them. `cargo xtask test` installs it and names its Python in C2PA_PYTHON.

const root = resolve(__dirname, '..', '..');

function python(): string {
  const named = process.env.C2PA_PYTHON;
  if (named) return named;
  const installed = resolve(root, 'target/c2pa-reader/bin/python');
  if (existsSync(installed)) return installed;
  throw new Error('no C2PA reader: run `cargo xtask test`, which installs c2pa-python, or set C2PA_PYTHON');
}

export type Action = {
  action: string;
  digitalSourceType?: string;
  when?: string;
  parameters?: Record<string, unknown> & { settings?: Record<string, unknown> };
};

export type Credentials = {
  actions: Action[];
  /** The validation codes the reader found for the active manifest, as it reports them. */
  success: string[];
  failure: string[];
  validationState: string;
};

/** The active manifest's actions and its validation, read from the file at `path`. */
export function credentialsOf(path: string): Credentials {
  const report = JSON.parse(execFileSync(python(), [resolve(root, 'e2e/c2pa/read.py'), path, 'audio/wav'], { encoding: 'utf8' }));
  const manifest = report.manifests[report.active_manifest];
  const actions = manifest.assertions.find((assertion: { label: string }) => assertion.label.startsWith('c2pa.actions'));
  const codes = (list: { code: string }[] | undefined) => (list ?? []).map((entry) => entry.code);
  return {
    actions: actions?.data.actions ?? [],
    success: codes(report.validation_results?.activeManifest?.success),
    failure: codes(report.validation_results?.activeManifest?.failure),
    validationState: report.validation_state,
  };
}
