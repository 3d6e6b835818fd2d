import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPlan } from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';
import { pupilVoice } from '../../../db/schema/index.ts';
import { paths } from '../../paths.ts';

const t = useApp();
const versionOf = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';

let teacher: Client;
let senco: Client;
let office: Client;
let planId: string;

beforeAll(async () => {
  teacher = new Client(t.app);
  await teacher.signIn(t.w.teacherA.email);
  senco = new Client(t.app);
  await senco.signIn(t.w.senco.email);
  office = new Client(t.app);
  await office.signIn(t.w.office.email);
  planId = (await buildPlan(t.database.db, { schoolId: t.w.school.id, pupilId: t.w.pupilK.id })).id;
});

const kit = () => t.w.pupilK.id;
const rowsOfKit = () => t.database.db.select().from(pupilVoice).where(eq(pupilVoice.pupilId, kit()));

describe('the pupil’s voice: a form made for a child', () => {
  it('shows one question at a time with faces that have words, and a hint that they can say it', async () => {
    const page = await teacher.get(
      paths.pupilVoiceNew.to({ pupilId: kit() }, { kind: 'review_views', plan: planId }),
    );
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('What I think');
    expect(page.body).toContain('How has school been?');
    // Each face: a picture hidden from screen readers, and its words as the label.
    // Each face is drawn (no emoji font needed), hidden from screen readers; its words are read.
    expect(page.body).toMatch(
      /<span class="app-face" aria-hidden="true"><svg [^>]*data-face="happy"[^>]*>.*?<\/svg><\/span> Happy/,
    );
    expect(page.body).toContain('Not sure');
    expect(page.body).toContain('You can say it and the adult will write it down');
    expect(page.body).toContain('Who helped you write this?');
    expect(page.body).not.toContain('<script src="/assets/app');
  });

  it('keeps what was typed and says what is wrong; nothing is saved', async () => {
    const before = await rowsOfKit();
    const url = paths.pupilVoiceNew.to({ pupilId: kit() }, { kind: 'review_views', plan: planId });
    const bad = await teacher.post(url, {
      version: '0',
      'face-howSchoolHasBeen': 'ecstatic',
      'words-goneWell': 'I can read <b>big</b> books',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Choose a face from the list for “How has school been?”');
    expect(bad.body).toContain('href="#face-howSchoolHasBeen"');
    expect(bad.body).toContain('I can read &lt;b&gt;big&lt;/b&gt; books');
    const empty = await teacher.post(url, { version: '0', writtenWith: 'Mrs Patel' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Answer at least one question');
    expect(empty.body).toContain('value="Mrs Patel"');
    expect(await rowsOfKit()).toEqual(before);
  });

  it('records the views, shows them on the plan and offers them into the review’s field', async () => {
    const url = paths.pupilVoiceNew.to({ pupilId: kit() }, { kind: 'review_views', plan: planId });
    const saved = await teacher.post(url, {
      version: '0',
      'face-howSchoolHasBeen': 'happy',
      'words-goneWell': 'I can read big books',
      writtenWith: 'Mrs Patel',
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(paths.pupilVoice.to({ pupilId: kit() }));
    const list = await teacher.get(paths.pupilVoice.to({ pupilId: kit() }));
    expect(list.body).toContain('In Kit’s own words');
    expect(list.body).toContain('I can read big books');

    const plan = await teacher.get(paths.plan.to({ planId }));
    expect(plan.body).toContain('id="own-words"');
    expect(plan.body).toContain('In Kit’s own words');
    expect(plan.body).toContain('I can read big books');
    // The staff's own one-page profile is still there, beside it.
    expect(plan.body).toContain('id="profile"');

    await senco.post(paths.planStartReview.to({ planId }), {
      version: versionOf((await senco.get(paths.planStartReview.to({ planId }))).body),
    });
    const review = await senco.get(paths.planReview.to({ planId }));
    expect(review.statusCode).toBe(200);
    expect(review.body).toContain('In Kit’s own words, before this review');
    expect(review.body).toMatch(
      /<textarea[^>]*name="pupilViews"[^>]*>How has school been\? Happy\.\nWhat has gone well\? I can read big books\n\(Written with Mrs Patel\.\)<\/textarea>/,
    );

    const print = await senco.get(paths.planPrint.to({ planId }));
    expect(print.body).toContain('In Kit’s own words');
    expect(print.body).toContain('I can read big books');
    const pdf = await senco.get(paths.planPdf.to({ planId }));
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'plan-pdf-')), 'plan.pdf');
    writeFileSync(file, pdf.rawPayload);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString().replace(/\s+/g, ' ');
    expect(text).toContain('In Kit’s own words');
    expect(text).toContain('How has school been? Happy.');
    expect(text).toContain('I can read big books');
  });

  it('a stale change shows the other version and keeps what was typed', async () => {
    const [row] = (await rowsOfKit()).filter((r) => r.kind === 'review_views');
    const edit = paths.pupilVoiceEdit.to({ pupilId: kit(), pupilVoiceId: row!.id });
    const form = await teacher.get(edit);
    expect(form.body).toContain('I can read big books');
    const version = versionOf(form.body);
    expect(
      (await senco.post(edit, { version, 'words-goneWell': 'Reading with Dad', writtenWith: 'Mrs Patel' }))
        .statusCode,
    ).toBe(303);
    const stale = await teacher.post(edit, {
      version,
      'words-goneWell': 'Swimming',
      writtenWith: 'Mrs Patel',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('What someone else saved');
    expect(stale.body).toContain('Reading with Dad');
    expect(stale.body).toContain('Swimming');
    const [after] = (await rowsOfKit()).filter((r) => r.id === row!.id);
    expect(after?.answers).toEqual({ goneWell: { words: 'Reading with Dad' } });
  });

  it('the office cannot open it; another school’s pupil and another pupil’s writing are not found', async () => {
    expect((await office.get(paths.pupilVoice.to({ pupilId: kit() }))).statusCode).toBe(403);
    const before = await rowsOfKit();
    expect(
      (
        await office.post(paths.pupilVoiceNew.to({ pupilId: kit() }), {
          version: '0',
          'words-likeAboutMe': 'x',
        })
      ).statusCode,
    ).toBe(403);
    expect(await rowsOfKit()).toEqual(before);
    expect((await senco.get(paths.pupilVoice.to({ pupilId: t.w.otherPupil.id }))).statusCode).toBe(404);
    const [row] = await rowsOfKit();
    expect(
      (await senco.get(paths.pupilVoiceEdit.to({ pupilId: t.w.pupilA.id, pupilVoiceId: row!.id })))
        .statusCode,
    ).toBe(404);
  });
});
