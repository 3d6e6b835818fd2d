/** Bundles src/ into dist/opensend.mjs (packages stay external); its path. */
export function buildServer(): Promise<string>;
export const BUNDLE: string;
