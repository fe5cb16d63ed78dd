import path from 'node:path';

/** Which database engine a running instance uses. */
export type DatabaseKind = 'pglite' | 'postgresql';

/** Runtime configuration, read once from the environment. */
export interface Config {
  port: number;
  host: string;
  /** Directory for the embedded database, key file and attachments. */
  dataDir: string;
  /** When set, PostgreSQL at this URL is used instead of the embedded PGlite. */
  databaseUrl: string | undefined;
  /** Hex-encoded master key; when absent a key file in the data dir is used (and created). */
  secretKey: string | undefined;
  /** Password for the first administrator; generated and printed when absent. */
  adminPassword: string | undefined;
  /** Cookies carry `Secure` when the console is served over HTTPS. */
  secureCookies: boolean;
  /**
   * Take the client address from X-Forwarded-For. Only behind a reverse proxy that sets it:
   * otherwise any client could pick its own address and slip past the log-in rate limit.
   */
  trustProxy: boolean;
}

/** Reads the configuration from environment variables, applying the documented defaults. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env.PORT ?? 8080),
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.MINSHENG_DATA_DIR ?? 'data'),
    databaseUrl: env.DATABASE_URL || undefined,
    secretKey: env.MINSHENG_SECRET_KEY || undefined,
    adminPassword: env.MINSHENG_ADMIN_PASSWORD || undefined,
    secureCookies: env.MINSHENG_SECURE_COOKIES === 'true',
    trustProxy: env.MINSHENG_TRUST_PROXY === 'true',
  };
}
