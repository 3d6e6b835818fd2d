import type { FastifyError, FastifyInstance } from 'fastify';
import {
  ConflictError,
  ForbiddenError,
  isDatabaseUnavailable,
  NotFoundError,
  ValidationError,
} from '../../services/kernel/errors.ts';

/** What a 413 says, by what was too large (the error's code). */
const TOO_LARGE: Record<string, string> & { other: string } = {
  FST_REQ_FILE_TOO_LARGE: 'The file is too large: a file can be up to 20 MB.',
  FST_ERR_CTP_BODY_TOO_LARGE: 'What you typed is too long to send: shorten it and send the form again.',
  other: 'What you sent is too large: a file can be up to 20 MB, and the text of a form far less.',
};

/**
 * GOV.UK-style error pages: 404, 403, an expired form, a broken rule, too many requests, 503 while
 * the database cannot be reached, and 500 with a request id. (The services audit every refusal before
 * it reaches here.)
 */
export function registerErrorPages(app: FastifyInstance): void {
  app.setNotFoundHandler(async (request, reply) => {
    reply.code(404);
    return reply.page('views/errors/not-found.njk', {
      pageTitle: 'Page not found',
      actorKind: request.actor?.kind ?? null,
    });
  });

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    // PostgreSQL stopped, is restarting or dropped the connection: the change was not confirmed
    // (one cut off during its commit may still have been saved); the pool reconnects by itself.
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error, requestId: request.id }, 'database unavailable');
      reply.code(503).header('retry-after', '60');
      return reply.page('views/errors/database-unavailable.njk', {
        pageTitle: 'OpenSEND cannot reach its database',
      });
    }
    if (error instanceof NotFoundError) {
      reply.code(404);
      return reply.page('views/errors/not-found.njk', {
        pageTitle: 'Page not found',
        actorKind: request.actor?.kind ?? null,
      });
    }
    if (error instanceof ForbiddenError) {
      reply.code(403);
      return reply.page('views/errors/forbidden.njk', {
        pageTitle: 'You cannot use this page',
        message: error.message,
        actorKind: request.actor?.kind ?? null,
        contextName: request.session?.contextName ?? null,
      });
    }
    if (error.code?.startsWith('FST_CSRF')) {
      reply.code(403);
      return reply.page('views/errors/form-expired.njk', { pageTitle: 'Your form could not be sent' });
    }
    if (error.statusCode === 429) {
      reply.code(429);
      return reply.page('views/errors/too-many.njk', { pageTitle: 'Too many attempts' });
    }
    // A rule broken outside a form (forms catch these and show themselves again): say what, save nothing.
    if (error instanceof ValidationError || error instanceof ConflictError) {
      reply.code(error instanceof ValidationError ? 400 : 409);
      const messages =
        error instanceof ValidationError ? error.errors.map((e) => e.message) : [error.message];
      return reply.page('views/errors/bad-request.njk', {
        pageTitle: 'There is a problem with the request',
        messages,
      });
    }
    // Two files in one upload (each form has one file field): not "too large", and nothing was read.
    if (error.code === 'FST_FILES_LIMIT') {
      reply.code(400);
      return reply.page('views/errors/bad-request.njk', {
        pageTitle: 'There is a problem with the request',
        messages: ['Upload one file at a time: choose one file and send the form again.'],
      });
    }
    // Too large: a file over its limit, the typed text of a form over the body's, or anything else.
    // (The page itself says that nothing was saved.)
    if (error.statusCode === 413) {
      reply.code(413);
      return reply.page('views/errors/bad-request.njk', {
        pageTitle: 'There is a problem with the request',
        messages: [TOO_LARGE[error.code] ?? TOO_LARGE.other],
      });
    }
    if (error.statusCode === 415) {
      reply.code(415);
      return reply.page('views/errors/bad-request.njk', {
        pageTitle: 'There is a problem with the request',
        messages: ['Send this form from its page in OpenSEND'],
      });
    }
    // An upload whose parts could not be read (cut short, or not multipart at all): nothing reached a
    // handler, so nothing was saved.
    if (request.isMultipart() && request.body === undefined) {
      reply.code(400);
      return reply.page('views/errors/bad-request.njk', {
        pageTitle: 'There is a problem with the request',
        messages: ['The form or file could not be read. Send it again from its page in OpenSEND.'],
      });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      reply.code(error.statusCode);
      return reply.page('views/errors/bad-request.njk', { pageTitle: 'There is a problem with the request' });
    }
    request.log.error({ err: error, requestId: request.id }, 'request failed');
    reply.code(500);
    return reply.page('views/errors/server-error.njk', {
      pageTitle: 'Sorry, there is a problem with OpenSEND',
    });
  });
}
