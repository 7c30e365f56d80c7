/**
 * The package's entry point, dist/library.mjs, built as `npm run build:lib` builds it (without
 * the declarations): what `import … from "customer-lifecycle-excel"` loads, in Node and in the
 * notebook's Deno kernel, so that tests of it run today's code.
 */
import { build } from "esbuild";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

export async function buildLibrary(): Promise<void> {
  await build({
    entryPoints: { library: join(root, "analysis/node/library.ts") },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outdir: join(root, "dist"),
    outExtension: { ".js": ".mjs" },
    logLevel: "warning",
  });
}
