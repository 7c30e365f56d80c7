/** Types of build.mjs for the tests. */
export function buildAddin(opts?: { quiet?: boolean; outDir?: string }): Promise<string>;
/** esbuild's target for the browser bundles: ["es2020", engine+version, …]. */
export const BROWSER_TARGET: string[];
