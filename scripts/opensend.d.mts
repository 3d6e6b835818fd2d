/** What `npm start` runs: the bundle when it is as new as src/, else the sources through tsx. */
export function entryToRun(dir?: string): 'bundle' | 'source';
