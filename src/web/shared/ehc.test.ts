import { describe, expect, it } from 'vitest';
import { sentText } from './ehc.ts';

/* How a request was sent, in a sentence: proper names keep their capitals, nothing said twice. */
describe('sentText', () => {
  it('names OpenSEND as written and says who sent a downloaded request once', () => {
    expect(sentText('2026-12-03T10:00:00Z', 'local_authority')).toBe(
      'Sent 3 December 2026: into the local authority’s caseload in OpenSEND',
    );
    expect(sentText('2026-12-03T10:00:00Z', 'download')).toBe(
      'Sent 3 December 2026: downloaded, and sent by the school itself',
    );
    expect(sentText(null, 'download')).toBeNull();
  });
});
