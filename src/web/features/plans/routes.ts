import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AREAS_OF_NEED, type AreaOfNeed } from '../../../domain/census.ts';
import { withArticle } from '../../../domain/plans.ts';
import { planDocument } from '../../../presenters/plan.ts';
import type { Services } from '../../../services/index.ts';
import { dateAnchors, formRoute } from '../../form-route.ts';
import { dateParts } from '../../forms/dates.ts';
import { parseForm } from '../../forms/errors.ts';
import { type FormBody, isUuid, stripControlCharacters } from '../../forms/fields.ts';
import { idParam, pupilIdOf } from '../../params.ts';
import { paths } from '../../paths.ts';
import {
  CorrectNoteSchema,
  MOST_TARGET_ROWS,
  ProfileSchema,
  parseAgreeForm,
  parseNoteForm,
  parsePlanForm,
  parseReviewForm,
  parseSharedForm,
  parseTargetCheckForm,
  VersionOnlySchema,
} from './schemas.ts';
import {
  addFromBank,
  areaSelectOptions,
  needAreaOptions,
  noteDefaults,
  planBankModel,
  planFormValues,
  planPageModel,
  planTitle,
  reviewOptions,
  targetCheckFormModel,
  targetCheckFormValues,
  targetRowCount,
} from './view-models.ts';

const VIEWS = 'features/plans/views';

/** Support plans: the plan page, its forms (Plan, Do, Review), the bank, the profile, print and PDF. */
export async function planRoutes(app: FastifyInstance, services: Services) {
  const planIdOf = (request: FastifyRequest) => idParam(request, 'planId');
  const query = (request: FastifyRequest) => request.query as Record<string, unknown>;
  const today = () => services.clock.today();

  /** The page data every plan form shows: the plan as the plan page has it. */
  const planForm = async (
    request: FastifyRequest,
    form: Parameters<Services['plans']['forForm']>[2],
    audit: boolean,
  ) => {
    const page = await services.plans.forForm(request.actor!, planIdOf(request), form, { audit });
    return { page, ...planPageModel(page, request.actor!.userId), version: page.plan.version };
  };

  // Start a plan (the pupil page's button posts here; the page itself says what will happen).
  formRoute(app, {
    path: paths.planStart,
    template: `${VIEWS}/start.njk`,
    async load(request, { audit }) {
      const found = await services.plans.startForm(request.actor!, pupilIdOf(request), { audit });
      return {
        pageTitle: `Start ${withArticle(found.planName)} for ${found.pupil.forename} ${found.pupil.surname}`,
        pupil: found.pupil,
        planName: found.planName,
      };
    },
    parse: () => ({ ok: true as const, data: null }),
    submit: (request) => services.plans.start(request.actor!, pupilIdOf(request)),
    done: (planId) => ({
      redirect: paths.planEdit.to({ planId }),
      flash: 'Plan started as a draft. Write it here, then agree it with the parents and the pupil.',
    }),
  });

  app.get(paths.plan.pattern, async (request, reply) => {
    const page = await services.plans.view(request.actor!, planIdOf(request));
    return reply.page(`${VIEWS}/show.njk`, {
      pageTitle: planTitle(page),
      ...planPageModel(page, request.actor!.userId),
      version: page.plan.version,
      values: noteDefaults(page.today),
      sharedValues: dateParts('sharedOn', page.today),
    });
  });

  /**
   * Plan: everything the plan holds, with its targets. The school's bank is searched on the form itself:
   * "Search the bank" and each result's "Add to plan" send the whole form, which comes back with the
   * results, or with the entry made about the pupil in the next empty row, and everything typed kept.
   * Nothing is saved (and the plan's version is untouched) until "Save the plan" (docs/adr/0016).
   */
  formRoute(app, {
    path: paths.planEdit,
    template: `${VIEWS}/edit.njk`,
    anchors: { ...dateAnchors('startDate', 'reviewDate'), needAreas: 'needAreas', targets: 'targets' },
    async load(request, { audit }) {
      const data = await planForm(request, 'edit', audit);
      const { page } = data;
      // What was sent, on a post (the form as the person left it); the saved plan, on a visit.
      const sent = request.method === 'POST' ? ((request.body ?? {}) as FormBody) : null;
      let values: FormBody = sent ? formValuesSent(sent) : planFormValues(page);
      let addedTo: number | 'qualityFirst' | null | undefined;
      if (sent && isUuid(sent.addFromBank)) {
        const entry = await services.bank.entry(request.actor!, sent.addFromBank);
        ({ values, addedTo } = addFromBank(values, entry, page.pupil, page.maxTargets));
      }
      const filters = bankFilters(sent);
      // A bank button however it was sent (its name is what counts: once, twice, any value) shows the search.
      const searched =
        sent !== null &&
        (sent.bank !== undefined || sent.addFromBank !== undefined || sent.bankSearched === 'yes');
      const entries = searched ? await services.bank.search(request.actor!, filters) : [];
      return {
        ...data,
        pageTitle: `Change ${planTitle(page)}`,
        formValues: values,
        bank: planBankModel(page.plan.id, values, page.maxTargets, {
          ...filters,
          searched,
          entries,
          addedTo,
        }),
        addedTo: addedTo ?? null,
        maxTargets: page.maxTargets,
        // Every row a form can send: those beyond the plan's own show only when sent back with text.
        rows: Array.from({ length: MOST_TARGET_ROWS }, (_, i) => i + 1),
        rowCount: targetRowCount(page.targets.length, page.maxTargets),
        needAreaOptions: needAreaOptions(page.pupil),
        areaOptions: areaSelectOptions(),
      };
    },
    initial: (data) => data.formValues,
    refreshButtons: ['bank', 'addFromBank'],
    refreshValues: (data) => data.formValues,
    parse: (body) => parsePlanForm(body),
    submit: (request, input) =>
      services.plans.update(request.actor!, planIdOf(request), input.version, input.plan),
    done: (_r, _input, request) => ({
      redirect: paths.plan.to({ planId: planIdOf(request) }),
      flash: 'Plan saved.',
    }),
  });

  formRoute(app, {
    path: paths.planAgree,
    template: `${VIEWS}/agree.njk`,
    anchors: { ...dateAnchors('agreedOn', 'sharedWithParentsOn') },
    async load(request, { audit }) {
      const data = await planForm(request, 'agree', audit);
      return { ...data, pageTitle: `Agree ${planTitle(data.page)}` };
    },
    initial: (data) => ({ version: String(data.version), ...dateParts('agreedOn', today()) }),
    parse: (body) => parseAgreeForm(body, today),
    submit: (request, d) =>
      services.plans.agree(request.actor!, planIdOf(request), d.version, {
        agreedOn: d.agreedOn,
        agreedWith: d.agreedWith,
        sharedWithParentsOn: d.sharedWithParentsOn,
      }),
    done: (_r, _d, request) => ({
      redirect: paths.plan.to({ planId: planIdOf(request) }),
      flash: 'The plan is agreed and in place.',
    }),
  });

  formRoute(app, {
    path: paths.planShared,
    template: `${VIEWS}/shared.njk`,
    anchors: dateAnchors('sharedOn'),
    async load(request, { audit }) {
      const data = await planForm(request, 'recordShared', audit);
      return { ...data, pageTitle: `Record when ${planTitle(data.page)} was shared with parents` };
    },
    initial: (data) => ({ version: String(data.version), ...dateParts('sharedOn', today()) }),
    parse: (body) => parseSharedForm(body, today),
    submit: (request, d) =>
      services.plans.recordShared(request.actor!, planIdOf(request), d.version, d.sharedOn),
    done: (_r, _d, request) => ({
      redirect: paths.plan.to({ planId: planIdOf(request) }),
      flash: 'Recorded when the plan was shared with parents.',
    }),
  });

  // Do: a dated note on a target or on the whole plan (the plan page has a form under each target).
  formRoute(app, {
    path: paths.planNotes,
    template: `${VIEWS}/note.njk`,
    anchors: { ...dateAnchors('writtenOn'), form: 'body' },
    async load(request, { audit }) {
      const data = await planForm(request, 'addNote', audit);
      return { ...data, pageTitle: `Add a note to ${planTitle(data.page)}` };
    },
    initial: (_data, request) => {
      const target = query(request).target;
      return { targetId: isUuid(target) ? target : '', ...noteDefaults(today()) };
    },
    parse: (body) => parseNoteForm(body, today),
    submit: (request, d) =>
      services.plans.addNote(request.actor!, planIdOf(request), {
        targetId: d.targetId,
        writtenOn: d.writtenOn,
        body: d.body,
      }),
    done: (_id, d, request) => ({
      redirect: paths.plan.to(
        { planId: planIdOf(request) },
        `#${d.targetId ? `target-${d.targetId}` : 'notes'}`,
      ),
      flash: 'Note added.',
    }),
  });

  formRoute(app, {
    path: paths.noteCorrect,
    template: `${VIEWS}/correct-note.njk`,
    async load(request, { audit }) {
      const page = await services.plans.noteForCorrection(
        request.actor!,
        planIdOf(request),
        idParam(request, 'noteId'),
        { audit },
      );
      return {
        page,
        ...planPageModel(page, request.actor!.userId),
        note: page.note,
        version: page.note.version,
        pageTitle: `Correct your note on ${planTitle(page)}`,
      };
    },
    initial: (data) => ({ body: data.note.body, version: String(data.note.version) }),
    parse: (body) => parseForm(CorrectNoteSchema, body),
    submit: (request, d) =>
      services.plans.correctNote(
        request.actor!,
        planIdOf(request),
        idParam(request, 'noteId'),
        d.version,
        d.body,
      ),
    done: (_r, _d, request) => ({
      redirect: paths.plan.to({ planId: planIdOf(request) }),
      flash: 'Note corrected.',
    }),
  });

  // Review: start it (the plan stops changing), record it, and land on the next plan.
  formRoute(app, {
    path: paths.planStartReview,
    template: `${VIEWS}/start-review.njk`,
    async load(request, { audit }) {
      const data = await planForm(request, 'startReview', audit);
      return { ...data, pageTitle: `Start the review of ${planTitle(data.page)}` };
    },
    initial: (data) => ({ version: String(data.version) }),
    parse: (body) => parseForm(VersionOnlySchema, body),
    submit: (request, d) => services.plans.startReview(request.actor!, planIdOf(request), d.version),
    done: (_r, _d, request) => ({
      redirect: paths.planReview.to({ planId: planIdOf(request) }),
      flash: 'The review has started: the plan cannot be changed until the review is recorded.',
    }),
  });

  formRoute(app, {
    path: paths.planReview,
    template: `${VIEWS}/review.njk`,
    anchors: { ...dateAnchors('heldOn', 'extendedTo'), progress: 'progress', decision: 'decision' },
    async load(request, { audit }) {
      const data = await planForm(request, 'review', audit);
      // The parents' views given online before the review, shown as theirs and offered into the field.
      const familyViews = await services.familyViews.onRecord(
        request.actor!,
        data.page.plan.pupilId,
        'plan_review',
        data.page.plan.id,
      );
      return {
        ...data,
        pageTitle: `Review ${planTitle(data.page)}`,
        options: reviewOptions(),
        ehcPlan: data.page.pupil.senStage === 'ehc_plan',
        familyViews,
      };
    },
    initial: (data) => ({
      version: String(data.version),
      targets: data.page.targets.map((t) => t.id),
      ...dateParts('heldOn', today()),
      // The pupil's views as they wrote them with an adult, offered so nothing is typed twice.
      pupilViews: data.ownWords.reviewViewsText ?? '',
      parentsViews: data.familyViews.forTheRecord ?? '',
    }),
    parse: (body) => parseReviewForm(body, today),
    submit: (request, { version, ...input }) =>
      services.plans.recordReview(request.actor!, planIdOf(request), version, input),
    done: (result, _d, request) =>
      result.nextPlanId
        ? {
            redirect: paths.planEdit.to({ planId: result.nextPlanId }),
            flash:
              'Review recorded. This is the next plan, a draft: the targets not yet achieved are carried into it. Change what you need, then agree it.',
          }
        : { redirect: paths.plan.to({ planId: planIdOf(request) }), flash: 'Review recorded.' },
  });

  // Do: the half-termly target check (when the school uses them), how each target is going.
  formRoute(app, {
    path: paths.planTargetCheck,
    template: `${VIEWS}/target-check.njk`,
    anchors: { ...dateAnchors('checkedOn') },
    async load(request, { audit }) {
      const data = await planForm(request, 'targetCheck', audit);
      const model = targetCheckFormModel(data.page);
      return {
        ...data,
        ...model,
        pageTitle: `Half-termly target check: ${planTitle(data.page)}`,
      };
    },
    initial: (data) => targetCheckFormValues(data.page),
    parse: (body) => parseTargetCheckForm(body, today),
    submit: (request, { version, ...input }) =>
      services.plans.recordTargetCheck(request.actor!, planIdOf(request), version, input),
    done: (_r, _d, request) => ({
      redirect: paths.plan.to({ planId: planIdOf(request) }, '#target-checks'),
      flash: 'Half-termly target check recorded.',
    }),
  });

  formRoute(app, {
    path: paths.planClose,
    template: `${VIEWS}/close.njk`,
    async load(request, { audit }) {
      const data = await planForm(request, 'closeDraft', audit);
      return { ...data, pageTitle: `Close the draft ${planTitle(data.page)}` };
    },
    initial: (data) => ({ version: String(data.version) }),
    parse: (body) => parseForm(VersionOnlySchema, body),
    submit: (request, d) => services.plans.closeDraft(request.actor!, planIdOf(request), d.version),
    done: (_r, _d, request) => ({
      redirect: paths.plan.to({ planId: planIdOf(request) }),
      flash: 'Draft closed. It stays here to read.',
    }),
  });

  // The one-page profile, kept on the pupil and carried from plan to plan.
  formRoute(app, {
    path: paths.pupilProfile,
    template: `${VIEWS}/profile.njk`,
    async load(request, { audit }) {
      const found = await services.profiles.forEdit(request.actor!, pupilIdOf(request), { audit });
      const back = query(request).plan;
      return {
        pageTitle: `${found.pupil.forename} ${found.pupil.surname}’s one-page profile`,
        pupil: found.pupil,
        profile: found.profile,
        version: found.version,
        backPlanId: isUuid(back) ? back : null,
      };
    },
    initial: (data) => ({
      likeAndAdmire: data.profile?.likeAndAdmire ?? '',
      importantToMe: data.profile?.importantToMe ?? '',
      howToSupportMe: data.profile?.howToSupportMe ?? '',
      version: String(data.version),
      planId: data.backPlanId ?? '',
    }),
    parse: (body) => {
      const parsed = parseForm(ProfileSchema, body);
      return parsed.ok
        ? { ok: true as const, data: { ...parsed.data, planId: isUuid(body.planId) ? body.planId : null } }
        : parsed;
    },
    submit: (request, { version, planId: _p, ...input }) =>
      services.profiles.save(request.actor!, pupilIdOf(request), version, input),
    done: (_r, d, request) => ({
      redirect: d.planId
        ? paths.plan.to({ planId: d.planId })
        : paths.pupil.to({ pupilId: pupilIdOf(request) }),
      flash: 'One-page profile saved.',
    }),
  });

  // Print and PDF: the same document.
  app.get(paths.planPrint.pattern, async (request, reply) => {
    const page = await services.plans.print(request.actor!, planIdOf(request), 'html');
    const document = planDocument(page, page.schoolName);
    return reply.page(`${VIEWS}/print.njk`, { pageTitle: document.title, document, planId: page.plan.id });
  });

  app.get(paths.planPdf.pattern, async (request, reply) => {
    const page = await services.plans.print(request.actor!, planIdOf(request), 'pdf');
    // pdfkit and its fonts are loaded on the first PDF, not at server start.
    const { planPdf } = await import('../../../documents/plan-pdf.ts');
    const bytes = await planPdf(planDocument(page, page.schoolName));
    const name = [page.pupil.surname, page.pupil.forename, 'plan', String(page.plan.cycle)]
      .map((part) =>
        part
          .normalize('NFKD')
          .replace(/[^A-Za-z0-9]+/g, '-')
          .replace(/^-|-$/g, '')
          .toLowerCase(),
      )
      .filter(Boolean)
      .join('-');
    return reply
      .header('Content-Type', 'application/pdf')
      .header('Content-Disposition', `attachment; filename="${name}.pdf"`)
      .header('Cache-Control', 'no-store')
      .send(Buffer.from(bytes));
  });
}

/** The bank's search as the plan form sent it: words, an area of need, targets or strategies. */
function bankFilters(sent: FormBody | null) {
  const q = stripControlCharacters(typeof sent?.bankQ === 'string' ? sent.bankQ : '')
    .trim()
    .slice(0, 100);
  const area = AREAS_OF_NEED.includes(sent?.bankArea as AreaOfNeed)
    ? (sent?.bankArea as AreaOfNeed)
    : undefined;
  const kind: 'target' | 'strategy' = sent?.bankKind === 'strategy' ? 'strategy' : 'target';
  return { q, area, kind };
}

/** The plan form as sent, to show again: less its token and the buttons pressed. */
function formValuesSent(sent: FormBody): FormBody {
  const { _csrf: _token, bank: _bank, addFromBank: _add, ...values } = sent;
  return values;
}
