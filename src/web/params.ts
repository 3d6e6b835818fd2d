import type { FastifyRequest } from 'fastify';
import { NotFoundError } from '../services/errors.ts';
import { isUuid } from './forms.ts';

/** An id from the URL path; anything that is not a UUID is simply "not found". */
export function idParam(request: FastifyRequest, name: string, notFound: string): string {
  const id = (request.params as Record<string, string | undefined>)[name];
  if (!isUuid(id)) throw new NotFoundError(notFound);
  return id;
}

export const pupilIdOf = (request: FastifyRequest) => idParam(request, 'id', 'Pupil not found');
