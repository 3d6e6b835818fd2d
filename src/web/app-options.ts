/** How the web app is set up: given by main.ts from the validated configuration. */
export interface AppOptions {
  sessionSecret: string;
  /** Which proxies to believe about the client's address: a number of hops, or their addresses. */
  trustProxy?: false | number | string[];
  logLevel?: string;
  /** Sign-in attempts allowed per address per minute. */
  signInRateLimit?: number;
  /** One short readable line per request (in a terminal) instead of JSON. */
  prettyLogs?: boolean;
}
