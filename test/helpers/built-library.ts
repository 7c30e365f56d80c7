/**
 * The package's entry point, dist/library.mjs, built as `npm run build:lib` builds it (without
 * the declarations): what `import … from "customer-lifecycle-excel"` loads, in Node and in the
 * notebook's Deno kernel, so that tests of it run today's code. Written to a temporary name and
 * renamed: test files running side by side may build it while another one loads it.
 */
import { build } from "esbuild";
import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

export async function buildLibrary(): Promise<void> {
  const result = await build({
    entryPoints: { library: join(root, "analysis/node/library.ts") },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outdir: join(root, "dist"),
    outExtension: { ".js": ".mjs" },
    logLevel: "warning",
    write: false,
  });
  for (const file of result.outputFiles) {
    const tmp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
  }
}
