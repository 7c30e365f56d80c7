/** Types of dev-server.mjs for the tests. */
import type { ServerOptions } from "node:https";
export const DIST: string;
export function serve(opts?: {
  dir?: string;
  port?: number;
  host?: string;
  tls?: ServerOptions | null;
}): Promise<{ url: string; close(): Promise<void> }>;
