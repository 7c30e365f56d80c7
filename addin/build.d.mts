/** Types of build.mjs for the tests. */
export function buildAddin(opts?: {
  quiet?: boolean;
  outDir?: string;
  origin?: string;
  id?: string;
  supportUrl?: string;
}): Promise<string>;
/** esbuild's target for the browser bundles: ["es2020", engine+version, …]. */
export const BROWSER_TARGET: string[];
/** The production add-in's Id (not the localhost one's). */
export const PRODUCTION_ID: string;
export function manifestFor(
  xml: string,
  opts?: { origin?: string; id?: string; supportUrl?: string },
): string;
