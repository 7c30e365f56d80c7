/** Types of build.mjs for the tests. */
export function buildAddin(opts?: { quiet?: boolean; outDir?: string }): Promise<string>;
