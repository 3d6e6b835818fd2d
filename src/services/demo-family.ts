import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import {
  agency,
  appUser,
  familyView,
  letter,
  letterReply,
  parentAccount,
  parentCarer,
  parentInvitation,
} from '../db/schema/index.ts';
import type { DemoSchool } from '../demo/generate.ts';
import { addDays, type IsoDate } from '../domain/dates.ts';
import { isSchoolDay } from '../domain/school-days.ts';
import { insertAccounts } from '../repositories/accounts.ts';
import { letterAddressedTo } from '../repositories/family.ts';
import { insertParentAccounts } from '../repositories/people-kinds.ts';
import { insertParents } from '../repositories/pupils.ts';
import { createReferralService } from './agencies/referrals.ts';
import { demoSenco } from './demo-ehc-plans.ts';
import { invitationCodeHash, newInvitationCode } from './family/codes.ts';
import { createFamilyConcernService } from './family/concerns.ts';
import { createFamilyConsentService } from './family/consent.ts';
import { createContactChangeService } from './family/contact.ts';
import { createFamilyLetterService } from './family/letters.ts';
import { createFamilyReading } from './family/reading.ts';
import { createFamilyViewService } from './family/views.ts';
import type { Actor } from './kernel/actor.ts';
import { fixedClock } from './kernel/clock.ts';

/*
 * The family's door in the demo school (docs/adr/0039), made through the services as the people would:
 * the demo parent (parent@families.example) joined from an emailed invitation five weeks ago; the
 * child's father, separated, joined from a printed letter and has his own account
 * (father@families.example); other families have invitations waiting, one expired. The mother has read
 * the plan and a letter, acknowledged the letter online, given her views before the coming review,
 * consented online to a referral to speech and language therapy, raised a concern, and asked to change
 * her phone number (waiting for the office). Every date is a school day.
 */

const schoolDayOnOrBefore = (d: IsoDate): IsoDate => {
  let day = d;
  while (!isSchoolDay(day)) day = addDays(day, -1);
  return day;
};
const at = (d: IsoDate, time = '16:20') => new Date(`${d}T${time}:00Z`);

function parentActor(userId: string, name: string, email: string): Actor {
  return {
    kind: 'parent',
    userId,
    name,
    email,
    roles: ['parent'],
    schoolId: null,
    organisationId: null,
    requestId: 'demo',
  };
}

export interface DemoFamilyOptions {
  today: IsoDate;
  passwordHash: string;
}

/** The demo parent's account (parent@families.example) and the pupil and record it is linked to. */
async function demoParent(db: Database['db'], schoolId: string) {
  const [row] = await db
    .select({
      userId: appUser.id,
      email: appUser.email,
      name: appUser.name,
      carerId: parentAccount.parentCarerId,
      pupilId: parentAccount.pupilId,
    })
    .from(parentAccount)
    .innerJoin(appUser, eq(appUser.id, parentAccount.userId))
    .where(and(eq(parentAccount.schoolId, schoolId), eq(appUser.email, 'parent@families.example')))
    .limit(1);
  return row ?? null;
}

/** The family's door in the demo school; the accounts it adds (the father), for the printed list. */
export async function insertDemoFamilyDoor(database: Database, demo: DemoSchool, options: DemoFamilyOptions) {
  const { db } = database;
  const { today } = options;
  const schoolId = demo.school.id;
  const parent = await demoParent(db, schoolId);
  if (!parent) return [];
  const senco = demoSenco(demo);
  const office =
    demo.staff.find((s) => s.roles[0] === 'office') ?? demo.staff.find((s) => s.roles.includes('senco'));
  if (!senco || !office) return [];
  const clock = fixedClock(today);
  const fiveWeeksAgo = schoolDayOnOrBefore(addDays(today, -35));
  const child = demo.pupils.find((p) => p.id === parent.pupilId);
  if (!child) return [];

  // The mother's invitation, used the day it came.
  await db.insert(parentInvitation).values({
    schoolId,
    id: randomUUID(),
    pupilId: parent.pupilId,
    parentCarerId: parent.carerId,
    method: 'email',
    email: parent.email,
    codeHash: invitationCodeHash(newInvitationCode()),
    expiresAt: at(addDays(fiveWeeksAgo, 14)),
    usedAt: at(fiveWeeksAgo, '19:05'),
    usedBy: parent.userId,
    createdBy: office.id,
    createdAt: at(fiveWeeksAgo, '09:10'),
  });

  // The father: separated, with parental responsibility, his own account from a printed letter.
  let father = demo.parents.find(
    (c) =>
      c.pupilId === parent.pupilId &&
      c.id !== parent.carerId &&
      c.parentalResponsibility !== false &&
      !c.courtOrder,
  );
  if (father && father.relationship !== 'Father') {
    // The demo's separated father (README): the other parent on the record is him.
    await db
      .update(parentCarer)
      .set({ relationship: 'Father' })
      .where(and(eq(parentCarer.schoolId, schoolId), eq(parentCarer.id, father.id)));
    father = { ...father, relationship: 'Father' };
  }
  if (!father) {
    const surname = child.surname;
    father = {
      schoolId,
      id: randomUUID(),
      pupilId: parent.pupilId,
      name: `Mr Daniel ${surname}`,
      relationship: 'Father',
      phone: '07700 900482',
      email: 'father@families.example',
      parentalResponsibility: true,
      courtOrder: false,
      contactPriority: 2,
    };
    await insertParents(db, [father]);
  }
  const fatherId = randomUUID();
  const fatherJoined = schoolDayOnOrBefore(addDays(today, -26));
  await insertAccounts(db, [
    { id: fatherId, email: 'father@families.example', name: father.name, passwordHash: options.passwordHash },
  ]);
  await db.insert(parentInvitation).values({
    schoolId,
    id: randomUUID(),
    pupilId: parent.pupilId,
    parentCarerId: father.id!,
    method: 'letter',
    codeHash: invitationCodeHash(newInvitationCode()),
    expiresAt: at(addDays(fatherJoined, 10)),
    usedAt: at(fatherJoined, '20:40'),
    usedBy: fatherId,
    createdBy: office.id,
    createdAt: at(schoolDayOnOrBefore(addDays(fatherJoined, -4)), '09:30'),
  });
  await insertParentAccounts(db, [
    {
      schoolId,
      id: randomUUID(),
      userId: fatherId,
      parentCarerId: father.id!,
      pupilId: parent.pupilId,
      linkedBy: office.id,
      createdAt: at(fatherJoined, '20:40'),
    },
  ]);

  // Other families: two emailed invitations waiting (one sent this week), one printed, one expired.
  const linked = new Set(
    (
      await db
        .select({ id: parentAccount.parentCarerId })
        .from(parentAccount)
        .where(eq(parentAccount.schoolId, schoolId))
    ).map((r) => r.id),
  );
  const others = demo.parents
    .filter(
      (c) =>
        c.pupilId !== parent.pupilId &&
        c.parentalResponsibility !== false &&
        !c.courtOrder &&
        !linked.has(c.id!) &&
        demo.pupils.some((p) => p.id === c.pupilId && p.senStage !== 'none' && !p.leftOn),
    )
    .slice(0, 4);
  const invited = [
    { days: -2, method: 'email' as const },
    { days: -6, method: 'email' as const },
    { days: -3, method: 'letter' as const },
    { days: -30, method: 'email' as const },
  ];
  for (const [i, c] of others.entries()) {
    const plan = invited[i]!;
    const sent = schoolDayOnOrBefore(addDays(today, plan.days));
    // A family without an email address on record gets the printed letter.
    const email = plan.method === 'email' ? (c.email ?? null) : null;
    await db.insert(parentInvitation).values({
      schoolId,
      id: randomUUID(),
      pupilId: c.pupilId,
      parentCarerId: c.id!,
      method: email ? 'email' : 'letter',
      email,
      codeHash: invitationCodeHash(newInvitationCode()),
      expiresAt: at(addDays(sent, 14), '09:15'),
      createdBy: office.id,
      createdAt: at(sent, '09:15'),
    });
  }

  // What the mother has done online, through the services as she would.
  const mother = parentActor(parent.userId, parent.name, parent.email);
  const fatherActor = parentActor(fatherId, father.name, 'father@families.example');
  const reading = createFamilyReading(database, clock);
  const letters = createFamilyLetterService(database, clock);
  const views = createFamilyViewService(database, clock);
  const concerns = createFamilyConcernService(database, clock);
  const consent = createFamilyConsentService(database, clock);
  const contact = createContactChangeService(database);
  const referrals = createReferralService(database, clock);

  await reading.plan(mother, parent.pupilId);
  await reading.plan(fatherActor, parent.pupilId);
  // The latest letter with a slip: the mother acknowledges it online (the slip is filled as if it came back).
  const [withSlip] = await db
    .select({ id: letter.id, sentOn: letter.sentOn, kind: letter.kind })
    .from(letter)
    .where(
      and(
        eq(letter.schoolId, schoolId),
        eq(letter.pupilId, parent.pupilId),
        eq(letter.slipExpected, true),
        isNull(letter.slipReturnedOn),
        letterAddressedTo([parent.carerId]),
      ),
    )
    .orderBy(desc(letter.sentOn))
    .limit(1);
  const [latest] = await db
    .select({ id: letter.id, sentOn: letter.sentOn })
    .from(letter)
    .where(
      and(eq(letter.schoolId, schoolId), eq(letter.pupilId, parent.pupilId), letterAddressedTo([father.id])),
    )
    .orderBy(desc(letter.sentOn))
    .limit(1);
  if (withSlip) {
    await reading.letter(mother, parent.pupilId, withSlip.id);
    await letters.reply(mother, parent.pupilId, withSlip.id, {
      reply: 'acknowledged',
      note: null,
      // An invitation to a review asks whether she will come: she will.
      meeting: withSlip.kind === 'review_invitation' ? 'coming' : null,
    });
    const repliedOn = schoolDayOnOrBefore(addDays(withSlip.sentOn as IsoDate, 2));
    await db
      .update(letterReply)
      .set({ repliedAt: at(repliedOn, '07:45') })
      .where(and(eq(letterReply.schoolId, schoolId), eq(letterReply.letterId, withSlip.id)));
    await db
      .update(letter)
      .set({ slipReturnedOn: repliedOn })
      .where(and(eq(letter.schoolId, schoolId), eq(letter.id, withSlip.id)));
  }
  if (latest && latest.id !== withSlip?.id) {
    await reading.letter(fatherActor, parent.pupilId, latest.id);
    await letters.reply(fatherActor, parent.pupilId, latest.id, {
      reply: 'want_to_talk',
      note: 'I work shifts, so a call after 4pm on a Tuesday or Thursday is best for me.',
      meeting: null,
    });
    await db
      .update(letterReply)
      .set({ repliedAt: at(latest.sentOn as IsoDate, '21:30') })
      .where(and(eq(letterReply.schoolId, schoolId), eq(letterReply.letterId, latest.id)));
  }

  // Views before the coming review of the plan in place, when it is near enough to take them.
  const open = (await views.invited(mother, parent.pupilId)).find((i) => i.about === 'plan_review');
  if (open) {
    await views.give(mother, parent.pupilId, 'plan_review', open.recordId, {
      body: `Reading at home is going better since the school sent the word cards: we do five minutes after tea. ${child.forename} still gets upset when there is a lot to write, and says it makes their hand hurt. ${child.forename} would like to keep going to the lunchtime club, and has made a friend there.`,
      version: null,
    });
    await db
      .update(familyView)
      .set({ givenAt: at(schoolDayOnOrBefore(addDays(today, -3)), '21:10') })
      .where(and(eq(familyView.schoolId, schoolId), eq(familyView.subjectId, open.recordId)));
  }

  // A referral to speech and language therapy resting on consent: the SENCo starts it, the mother
  // gives her consent online.
  const [salt] = await db
    .select({ id: agency.id })
    .from(agency)
    .where(eq(agency.name, 'Northshire Speech and Language Therapy'))
    .limit(1);
  if (salt) {
    const referralId = await referrals.start(senco, parent.pupilId, {
      agencyId: salt.id,
      question: `Why does ${child.forename} find it hard to follow longer spoken instructions in class?`,
      tried: 'Visual timetable and instructions broken into steps; Talk Boost for ten weeks last term',
      shareSections: ['register', 'plans'],
      shareDocuments: null,
      lawfulBasis: 'consent',
      basisNote: null,
      forEhcAssessment: false,
      concernId: null,
      pupilActionId: null,
    });
    await referrals.recordStep(senco, referralId, 1, {
      to: 'awaiting_consent',
      on: today,
      note: 'Asked the parents for consent online',
      respondBy: null,
      reportDueOn: null,
    });
    await consent.answer(mother, parent.pupilId, referralId, {
      answer: 'give',
      covers: { coversReferral: true, coversSharing: true },
    });
  }

  // A worry the mother raised online, waiting for the SENCo; and a new phone number waiting for the office.
  await concerns.raise(mother, parent.pupilId, {
    worry:
      'He has been finding it hard to get to sleep on Sunday nights and says he is worried about the spelling test. He cries when we practise. Could we talk about whether the tests could be shorter for him?',
    areasOfNeed: ['social_emotional_and_mental_health'],
  });
  await contact.ask(mother, parent.pupilId, {
    phone: '07700 900 731',
    email: null,
    note: 'My old number stops working at the end of the month.',
  });
  // The demo parent's record names her as the record the demo links.
  await db
    .update(parentCarer)
    .set({ email: parent.email })
    .where(
      and(eq(parentCarer.schoolId, schoolId), eq(parentCarer.id, parent.carerId), isNull(parentCarer.email)),
    );
  return [
    {
      school: demo.school.name,
      role: `separated father of ${child.forename}, with his own account`,
      email: 'father@families.example',
    },
  ];
}
