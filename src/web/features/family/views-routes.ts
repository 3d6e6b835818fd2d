import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FamilyViewAbout } from '../../../domain/family.ts';
import { VIEWS_MAX_LENGTH } from '../../../domain/family-views.ts';
import type { Services } from '../../../services/index.ts';
import { formRoute } from '../../form-route.ts';
import { parseForm } from '../../forms/errors.ts';
import {
  checkbox,
  choice,
  optionalEmail,
  optionalText,
  text,
  version,
  versionOrNew,
} from '../../forms/fields.ts';
import { idParam, pupilIdOf } from '../../params.ts';
import { type Path, paths } from '../../paths.ts';

/*
 * A parent's views, consent and contact details (docs/adr/0039), and the school's side of contact
 * changes. Thin routes: each page's data and every check are the services'.
 */

const FAMILY = 'features/family/views';

const optionalPhone = () =>
  z
    .string({ error: 'Enter a phone number once' })
    .optional()
    .transform((v) => (v ?? '').trim())
    .refine(
      (v) => v === '' || /^[0-9+() -]{6,20}$/.test(v),
      'Enter a phone number using numbers only, like 07700 900 982',
    )
    .transform((v) => (v === '' ? null : v));

const ViewsSchema = z.object({
  body: text('Your views', {
    max: VIEWS_MAX_LENGTH,
    multiline: true,
    requiredMessage: 'Write your views in the box',
  }),
  version: versionOrNew(),
});

const AnswerSchema = z
  .object({
    answer: choice(['give', 'refuse'] as const, 'Choose yes or no'),
    coversReferral: checkbox(),
    coversSharing: checkbox(),
    reason: optionalText('Anything you want the school to know', { max: 1000, multiline: true }),
  })
  .superRefine((d, ctx) => {
    if (d.answer === 'give' && !d.coversReferral && !d.coversSharing)
      ctx.addIssue({
        code: 'custom',
        path: ['covers'],
        message: 'Choose what you agree to: the referral, sharing information, or both',
      });
  });

const WithdrawSchema = z.object({
  note: optionalText('Why you are withdrawing consent', { max: 1000, multiline: true }),
});

const ContactSchema = z.object({
  phone: optionalPhone(),
  email: optionalEmail('Email address'),
  note: optionalText('Anything else that has changed', { max: 1000, multiline: true }),
});

const DecideSchema = z
  .object({
    decision: choice(['accept', 'decline'] as const, 'Choose whether to confirm or decline the change'),
    reason: optionalText('Reason', { max: 1000, multiline: true }),
    version: version(),
  })
  .superRefine((d, ctx) => {
    if (d.decision === 'decline' && !d.reason)
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: 'Say why you are declining the change: the parent or carer will see it',
      });
  });

export async function familyViewsRoutes(app: FastifyInstance, services: Services) {
  const views: [Path, FamilyViewAbout, Parameters<typeof idParam>[1]][] = [
    [paths.childPlanViews, 'plan_review', 'planId'],
    [paths.childEhcPlanViews, 'ehc_draft', 'ehcPlanId'],
    [paths.childEhcRequestViews, 'ehc_request', 'ehcRequestId'],
    [paths.childAnnualReviewViews, 'annual_review', 'annualReviewId'],
  ];
  for (const [path, about, param] of views) {
    const recordId = (request: FastifyRequest) => idParam(request, param);
    formRoute(app, {
      path,
      template: `${FAMILY}/views-form.njk`,
      conflictAnchor: 'other-version',
      async load(request, { audit }) {
        const data = await services.familyViews.form(
          request.actor!,
          pupilIdOf(request),
          about,
          recordId(request),
          { audit },
        );
        return {
          ...data,
          pageTitle: data.heading,
          formAction: path.to({ pupilId: data.pupilId, [param]: recordId(request) } as never),
        };
      },
      initial: (data) => ({ body: data.mine?.body ?? '', version: String(data.version ?? 0) }),
      parse: (body) => parseForm(ViewsSchema, body),
      submit: (request, d) =>
        services.familyViews.give(request.actor!, pupilIdOf(request), about, recordId(request), {
          body: d.body,
          version: d.version === 0 ? null : d.version,
        }),
      done: (_r, _d, request) => ({
        redirect: paths.childViews.to({ pupilId: pupilIdOf(request) }),
        flash: 'Thank you. Your views have been sent to the school.',
      }),
    });
  }

  app.get(paths.childViews.pattern, async (request, reply) => {
    const pupilId = pupilIdOf(request);
    const child = await services.family.child(request.actor!, pupilId);
    return reply.page(`${FAMILY}/views-invited.njk`, {
      pageTitle: 'Give your views',
      child,
      invited: [
        ...viewsLinks(pupilId, child.waiting.views),
        ...viewsLinks(pupilId, child.waiting.viewsGiven).map((v) => ({ ...v, given: true })),
      ],
      later: child.waiting.viewsLater,
    });
  });

  // Consent.
  app.get(paths.childConsent.pattern, async (request, reply) => {
    const data = await services.familyConsent.list(request.actor!, pupilIdOf(request));
    return reply.page(`${FAMILY}/consent-list.njk`, { pageTitle: 'Consent', ...data });
  });

  const referralIdOf = (request: FastifyRequest) => idParam(request, 'referralId');
  formRoute(app, {
    path: paths.childReferral,
    template: `${FAMILY}/referral.njk`,
    anchors: { answer: 'answer', covers: 'coversReferral' },
    async load(request, { audit }) {
      const data = await services.familyConsent.referral(
        request.actor!,
        pupilIdOf(request),
        referralIdOf(request),
        {
          audit,
        },
      );
      return { ...data, pageTitle: `A referral to ${data.referral.service}` };
    },
    parse: (body) => parseForm(AnswerSchema, body),
    submit: (request, d) =>
      services.familyConsent.answer(
        request.actor!,
        pupilIdOf(request),
        referralIdOf(request),
        d.answer === 'give'
          ? { answer: 'give', covers: { coversReferral: d.coversReferral, coversSharing: d.coversSharing } }
          : { answer: 'refuse', reason: d.reason },
      ),
    done: (result, _d, request) => ({
      redirect: paths.childConsent.to({ pupilId: pupilIdOf(request) }),
      flash:
        result === 'given'
          ? 'Thank you. You have given consent. You can withdraw it at any time on this page.'
          : 'Thank you. The school knows you do not agree. They will contact you to talk about it.',
    }),
  });

  const consentIdOf = (request: FastifyRequest) => idParam(request, 'consentId');
  formRoute(app, {
    path: paths.childConsentWithdraw,
    template: `${FAMILY}/consent-withdraw.njk`,
    async load(request) {
      const data = await services.familyConsent.withdrawal(
        request.actor!,
        pupilIdOf(request),
        consentIdOf(request),
      );
      return { ...data, pageTitle: 'Withdraw your consent' };
    },
    parse: (body) => parseForm(WithdrawSchema, body),
    submit: (request, d) =>
      services.familyConsent.withdraw(request.actor!, pupilIdOf(request), consentIdOf(request), d.note),
    done: (_r, _d, request) => ({
      redirect: paths.childConsent.to({ pupilId: pupilIdOf(request) }),
      flash: 'You have withdrawn your consent. The referral has stopped and nothing more will be shared.',
    }),
  });

  // Contact details: the parent's page, and the school's list and decision.
  formRoute(app, {
    path: paths.childContact,
    template: `${FAMILY}/contact.njk`,
    async load(request) {
      const data = await services.contactChanges.contact(request.actor!, pupilIdOf(request));
      return { ...data, pageTitle: 'Your contact details' };
    },
    initial: (data) => ({ phone: data.carer.phone ?? '', email: data.carer.email ?? '' }),
    parse: (body) => parseForm(ContactSchema, body),
    submit: (request, d) => services.contactChanges.ask(request.actor!, pupilIdOf(request), d),
    done: (_r, _d, request) => ({
      redirect: paths.childContact.to({ pupilId: pupilIdOf(request) }),
      flash: 'Thank you. The school will check the change and update their records.',
    }),
  });

  app.get(paths.contactChanges.pattern, async (request, reply) => {
    const changes = await services.contactChanges.list(request.actor!);
    return reply.page(`${FAMILY}/contact-changes.njk`, { pageTitle: 'Changes of contact details', changes });
  });

  const contactChangeIdOf = (request: FastifyRequest) => idParam(request, 'contactChangeId');
  formRoute(app, {
    path: paths.contactChange,
    template: `${FAMILY}/contact-change.njk`,
    anchors: { decision: 'decision' },
    conflictAnchor: 'record-now',
    async load(request, { audit }) {
      const data = await services.contactChanges.view(request.actor!, contactChangeIdOf(request), { audit });
      return { ...data, pageTitle: `Change of contact details: ${data.carer.name}` };
    },
    initial: (data) => ({ version: String(data.version) }),
    parse: (body) => parseForm(DecideSchema, body),
    submit: (request, d) =>
      services.contactChanges.decide(
        request.actor!,
        contactChangeIdOf(request),
        d.decision === 'accept'
          ? { decision: 'accept', carerVersion: d.version }
          : { decision: 'decline', reason: d.reason ?? '' },
      ),
    done: (_r, d) => ({
      redirect: paths.contactChanges.to(),
      flash:
        d.decision === 'accept' ? 'Change confirmed: the record has the new details.' : 'Change declined.',
    }),
  });
}

/** Each view asked for, with the address of the page to give it. */
export function viewsLinks(
  pupilId: string,
  invited: readonly { about: FamilyViewAbout; recordId: string }[],
) {
  return invited.map((i) => ({
    ...i,
    href:
      i.about === 'plan_review'
        ? paths.childPlanViews.to({ pupilId, planId: i.recordId })
        : i.about === 'ehc_draft'
          ? paths.childEhcPlanViews.to({ pupilId, ehcPlanId: i.recordId })
          : i.about === 'ehc_request'
            ? paths.childEhcRequestViews.to({ pupilId, ehcRequestId: i.recordId })
            : paths.childAnnualReviewViews.to({ pupilId, annualReviewId: i.recordId }),
  }));
}
