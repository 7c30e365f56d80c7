/**
 * The pgpass module (pg's reader of the password file; it ships no types): the password for a
 * connection, or undefined; `warnTo` sets where it tells of a file it ignores (null: nowhere).
 */
declare module "pgpass" {
  interface ConnectionInfo {
    host: string;
    port: number;
    database: string;
    user: string;
  }
  interface PgPass {
    (connInfo: ConnectionInfo, cb: (password: string | undefined) => void): void;
    warnTo(stream: NodeJS.WritableStream | null): NodeJS.WritableStream | null;
  }
  const pgpass: PgPass;
  export default pgpass;
}
