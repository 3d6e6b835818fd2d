import { describe, expect, it } from 'vitest';
import { buildPupilWithHistory, packRequest, TODAY, useWorld } from '../../../test/builders/index.ts';
import { readPdf } from '../../../test/pdf.ts';
import { renderPackPdf } from '../../documents/ehc-pack-pdf.ts';
import { assemblePack } from './pack.ts';

const world = useWorld();

describe('assemblePack', () => {
  it('builds the pack of a pupil with two years of history, and its PDF', async () => {
    const h = await buildPupilWithHistory(world.database.db, { schoolId: world.w.school.id });
    const pack = await assemblePack(world.database.db, {
      schoolId: h.schoolId,
      pupilId: h.pupilId,
      request: packRequest(),
      today: TODAY,
    });
    expect(pack.intervention.plans.map((p) => p.cycle)).toEqual([1, 2, 3, 4]);
    expect(pack.intervention.provision.map((p) => p.key)).toEqual([
      `provision:${h.memberIds.reading}`,
      `provision:${h.memberIds.language}`,
    ]);
    const { text } = readPdf(await renderPackPdf(pack));
    expect(text).toContain('Request for an EHC needs assessment: Rosa Martinez');
  });
});
