import { type Database, ping } from '../db/client.ts';

/** Is the database answering? For /healthz: load balancers and the start-up check ask it. */
export function createHealthService(database: Database) {
  return {
    async check(): Promise<{ ok: boolean; database: Database['kind'] }> {
      try {
        await ping(database.db);
        return { ok: true, database: database.kind };
      } catch {
        return { ok: false, database: database.kind };
      }
    },
  };
}
