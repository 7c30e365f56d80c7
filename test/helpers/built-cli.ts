/**
 * The `crm` command built as in dist/ (same esbuild options as `npm run build:cli`), into a
 * folder of test-output/ so that its packages resolve from node_modules: for tests that run
 * it as a separate process (kills, concurrent runs, standard input, a heap cap).
 */
import { build } from "esbuild";
import { mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Build crm.mjs and its CSV worker; resolves to the path of crm.mjs. */
export async function buildCli(): Promise<string> {
  mkdirSync(join(root, "test-output"), { recursive: true });
  const dir = mkdtempSync(join(root, "test-output", "crm-cli-"));
  await build({
    entryPoints: {
      crm: join(root, "analysis/node/cli.ts"),
      "csv-worker": join(root, "analysis/node/csv-worker.ts"),
      "history-worker": join(root, "analysis/node/history-worker.ts"),
    },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outdir: dir,
    outExtension: { ".js": ".mjs" },
    banner: { js: "#!/usr/bin/env node" },
    logLevel: "warning",
  });
  return join(dir, "crm.mjs");
}
