/** Compiles OpenSEND's stylesheet into dist/assets and returns the file's path. */
export function buildAssets(): string;
