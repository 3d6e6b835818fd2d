import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isServiceKind } from '../../../domain/agencies.ts';
import { figuresNotice } from '../../../presenters/figures.ts';
import type { AgencyService, OrganisationDirectory } from '../../../services/agencies/index.ts';
import type { Services } from '../../../services/index.ts';
import { ConflictError, ValidationError } from '../../../services/kernel/errors.ts';
import { type FormRouteDefinition, formRoute } from '../../form-route.ts';
import { parseForm } from '../../forms/errors.ts';
import { idParam } from '../../params.ts';
import { paths } from '../../paths.ts';
import { parseAgency, parseProfessional, VersionSchema, withVersion } from './schemas.ts';
import {
  agencyFormValues,
  agencyPageModel,
  directoryModel,
  figuresModel,
  ORGANISATION_PLACE,
  type Place,
  professionalFormValues,
  SCHOOL_PLACE,
  SERVICE_KIND_OPTIONS,
} from './view-models.ts';

const V = 'features/agencies/views';
const agencyIdOf = (request: FastifyRequest) => idParam(request, 'agencyId');
const professionalIdOf = (request: FastifyRequest) => idParam(request, 'agencyProfessionalId');

/** What a list page was asked to show: one kind of service, and the archived services too. */
function filterOf(request: FastifyRequest) {
  const q = request.query as Record<string, unknown>;
  return {
    kind: isServiceKind(q.kind) ? q.kind : null,
    archived: q.archived === 'yes',
  };
}

/** The pages of one place: the school's directory, or the local authority's list as its officers keep it. */
function placeRoutes(service: AgencyService | OrganisationDirectory, place: Place, titles: { list: string }) {
  const list = async (request: FastifyRequest, reply: FastifyReply) => {
    const filter = filterOf(request);
    const result = await service.directory(request.actor!, filter);
    return reply.page(`${V}/directory.njk`, {
      pageTitle: titles.list,
      ...directoryModel(result, place, filter),
    });
  };

  const addForm = form({
    template: `${V}/agency-form.njk`,
    async load(request) {
      await service.forNewAgency(request.actor!);
      return { pageTitle: 'Add a service', isNew: true, place, serviceKinds: SERVICE_KIND_OPTIONS };
    },
    parse: (body) => parseAgency(body),
    submit: (request, input) => service.addAgency(request.actor!, input),
    done: (id, input) => ({
      redirect: place.agency(id),
      flash: `${input.name} has been added to the directory.`,
    }),
  });

  const agency = async (request: FastifyRequest, reply: FastifyReply) => {
    const result = await service.agency(request.actor!, agencyIdOf(request));
    return reply.page(`${V}/agency.njk`, agencyPageModel(result, place));
  };

  const editForm = form({
    template: `${V}/agency-form.njk`,
    async load(request) {
      const { agency } = await service.agencyForEdit(request.actor!, agencyIdOf(request));
      return {
        pageTitle: `Change ${agency.name}`,
        agency,
        version: agency.version,
        isNew: false,
        place,
        serviceKinds: SERVICE_KIND_OPTIONS,
      };
    },
    initial: ({ agency }) => agencyFormValues(agency),
    parse: (body) => withVersion(parseAgency(body), body),
    submit: (request, d) => service.changeAgency(request.actor!, agencyIdOf(request), d.version, d.input),
    done: (_r, d, request) => ({
      redirect: place.agency(agencyIdOf(request)),
      flash: `${d.input.name} saved.`,
    }),
  });

  const archive = async (request: FastifyRequest, reply: FastifyReply) => {
    const id = agencyIdOf(request);
    await service.agencyForEdit(request.actor!, id); // only those who keep the list; unknown → not found
    const body = (request.body ?? {}) as Record<string, unknown>;
    const back = place.edit(id);
    const v = parseForm(VersionSchema, body);
    if (!v.ok) return reply.flash(v.errors[0]!.message).redirect(back, 303);
    const archived = body.archived !== 'no';
    const failed = await tryChange(reply, back, () =>
      service.archiveAgency(request.actor!, id, v.data.version, archived),
    );
    if (failed) return failed;
    return reply
      .flash(
        archived
          ? 'Archived: referrals already made to it keep it, and it is no longer offered for new ones.'
          : 'Back in the directory.',
      )
      .redirect(place.agency(id), 303);
  };

  const professionalNewForm = form({
    template: `${V}/professional-form.njk`,
    async load(request) {
      const { agency } = await service.agencyForEdit(request.actor!, agencyIdOf(request));
      return { pageTitle: `Add a professional of ${agency.name}`, agency, isNew: true, place };
    },
    parse: (body) => parseProfessional(body),
    submit: (request, input) => service.addProfessional(request.actor!, agencyIdOf(request), input),
    done: (_id, input, request) => ({
      redirect: place.agency(agencyIdOf(request)),
      flash: `${input.name} has been added.`,
    }),
  });

  const professionalForm = form({
    template: `${V}/professional-form.njk`,
    async load(request) {
      const found = await service.professionalForEdit(
        request.actor!,
        agencyIdOf(request),
        professionalIdOf(request),
      );
      return {
        pageTitle: `Change ${found.professional.name}`,
        agency: found.service,
        professional: found.professional,
        version: found.professional.version,
        isNew: false,
        place,
      };
    },
    initial: ({ professional }) => professionalFormValues(professional),
    parse: (body) => withVersion(parseProfessional(body), body),
    submit: (request, d) =>
      service.changeProfessional(
        request.actor!,
        agencyIdOf(request),
        professionalIdOf(request),
        d.version,
        d.input,
      ),
    done: (_r, d, request) => ({
      redirect: place.agency(agencyIdOf(request)),
      flash: `${d.input.name} saved.`,
    }),
  });

  const professionalArchive = async (request: FastifyRequest, reply: FastifyReply) => {
    const id = agencyIdOf(request);
    const professionalId = professionalIdOf(request);
    await service.professionalForEdit(request.actor!, id, professionalId);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const back = place.professional(id, professionalId);
    const v = parseForm(VersionSchema, body);
    if (!v.ok) return reply.flash(v.errors[0]!.message).redirect(back, 303);
    const archived = body.archived !== 'no';
    const failed = await tryChange(reply, back, () =>
      service.archiveProfessional(request.actor!, id, professionalId, v.data.version, archived),
    );
    if (failed) return failed;
    return reply
      .flash(archived ? 'Archived: no longer listed with the service.' : 'Listed with the service again.')
      .redirect(place.agency(id), 303);
  };

  return {
    list,
    addForm,
    agency,
    editForm,
    archive,
    professionalNewForm,
    professionalForm,
    professionalArchive,
  };
}

/** A form's definition without its address (each place registers it at its own path object). */
function form<Data extends object, Input, Result>(
  def: Omit<FormRouteDefinition<Data, Input, Result>, 'path'>,
) {
  return def;
}

/** A change from a button: a rule broken or someone else's save goes back with the message. */
async function tryChange(reply: FastifyReply, back: string, change: () => Promise<unknown>) {
  try {
    await change();
    return null;
  } catch (error) {
    const message =
      error instanceof ValidationError
        ? error.errors[0]?.message
        : error instanceof ConflictError
          ? error.message
          : null;
    if (message) return reply.flash(message).redirect(back, 303);
    throw error;
  }
}

export async function agencyRoutes(app: FastifyInstance, services: Services) {
  const school = placeRoutes(services.agencies, SCHOOL_PLACE, { list: 'Outside agencies' });
  app.get(paths.agencies.pattern, school.list);
  formRoute(app, { ...school.addForm, path: paths.agencyNew });
  app.get(paths.agency.pattern, school.agency);
  formRoute(app, { ...school.editForm, path: paths.agencyEdit });
  app.post(paths.agencyArchive.pattern, school.archive);
  formRoute(app, { ...school.professionalNewForm, path: paths.agencyProfessionalNew });
  formRoute(app, { ...school.professionalForm, path: paths.agencyProfessional });
  app.post(paths.agencyProfessionalArchive.pattern, school.professionalArchive);

  const la = placeRoutes(services.organisationAgencies, ORGANISATION_PLACE, {
    list: 'Outside agencies for the authority’s schools',
  });
  app.get(paths.organisationAgencies.pattern, la.list);
  formRoute(app, { ...la.addForm, path: paths.organisationAgencyNew });
  app.get(paths.organisationAgency.pattern, la.agency);
  formRoute(app, { ...la.editForm, path: paths.organisationAgencyEdit });
  app.post(paths.organisationAgencyArchive.pattern, la.archive);
  formRoute(app, { ...la.professionalNewForm, path: paths.organisationProfessionalNew });
  formRoute(app, { ...la.professionalForm, path: paths.organisationProfessional });
  app.post(paths.organisationProfessionalArchive.pattern, la.professionalArchive);

  // The common services, in one click, for a school whose lists are both empty.
  app.post(paths.agencyStarter.pattern, async (request, reply) => {
    const failed = await tryChange(reply, paths.agencies.to(), () =>
      services.agencies.addStarter(request.actor!),
    );
    if (failed) return failed;
    return reply
      .flash(
        'The common services have been added: add each one’s contact and how to refer when you first use it.',
      )
      .redirect(paths.agencies.to(), 303);
  });

  app.get(paths.agencyFigures.pattern, async (request, reply) => {
    const figures = await services.agencies.referralFigures(request.actor!);
    const model = figuresModel(figures);
    return reply.page(`${V}/figures.njk`, {
      pageTitle: 'Referrals to outside agencies',
      heading: 'Referrals to outside agencies',
      intro:
        'Referrals the school has made, by kind of service and how far they got. No pupil is named here.',
      rowHeader: 'Kind of service',
      back: { text: 'Outside agencies', href: paths.agencies.to() },
      ...model,
      notice: figuresNotice(figures.threshold, figures.suppressed, [
        { name: 'Referrals by kind of service', counts: model.counts },
      ]),
    });
  });

  app.get(paths.organisationAgencyFigures.pattern, async (request, reply) => {
    const figures = await services.organisationAgencies.referralFigures(request.actor!);
    const model = figuresModel(figures);
    return reply.page(`${V}/figures.njk`, {
      pageTitle: 'Referrals to outside agencies across the schools',
      heading: `${figures.organisationName ?? 'The authority'}: referrals to outside agencies`,
      intro: `Referrals made by the authority’s ${figures.schools} ${figures.schools === 1 ? 'school' : 'schools'} on OpenSEND, by service and how far they got. No pupil or school is named here.`,
      rowHeader: 'Service',
      back: { text: 'Outside agencies', href: paths.organisationAgencies.to() },
      ...model,
      notice: figuresNotice(figures.threshold, true, [
        { name: 'Referrals by service', counts: model.counts },
      ]),
    });
  });
}
