/** Makes the migrated empty PGlite database a first start loads (dist/pglite-template.tar.gz); its path. */
export function buildPgliteTemplate(): Promise<string>;
export const TEMPLATE: string;
export const TEMPLATE_VERSION: string;
export function pgliteVersion(): string;
export function migrationsDigest(folder?: string): string;
