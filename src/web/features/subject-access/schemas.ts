import type { IsoDate } from '../../../domain/dates.ts';
import { REQUESTERS, type Requester } from '../../../domain/subject-access.ts';
import type { NewSubjectAccessRequest } from '../../../services/subject-access/index.ts';
import { dateField, parseWithDates } from '../../forms/dates.ts';
import type { Parsed } from '../../forms/errors.ts';
import { choice, type FormBody, optionalText, text, version } from '../../forms/fields.ts';

const REQUESTER_VALUES = Object.keys(REQUESTERS) as [Requester, ...Requester[]];

export function parseNewRequest(body: FormBody, today: () => IsoDate): Parsed<NewSubjectAccessRequest> {
  const result = parseWithDates(
    {
      requester: choice(REQUESTER_VALUES, 'Select who asked'),
      requesterName: text('Their name', {
        max: 120,
        requiredMessage: 'Enter the name of the person who asked',
      }),
      notes: optionalText('Notes', { max: 2000, multiline: true }),
    },
    {
      receivedOn: dateField('receivedOn', 'The date it was received', {
        requiredMessage: 'Enter the date the request was received',
        today,
        notInFuture: 'The date it was received must be today or in the past',
      }),
    },
    body,
  );
  if (!result.ok) return result;
  const d = result.data;
  return {
    ok: true,
    data: {
      requester: d.requester,
      requesterName: d.requesterName,
      notes: d.notes,
      receivedOn: d.receivedOn as IsoDate,
    },
  };
}

export function parseRelease(
  body: FormBody,
  today: () => IsoDate,
): Parsed<{ version: number; releasedOn: IsoDate }> {
  const result = parseWithDates(
    { version: version() },
    {
      releasedOn: dateField('releasedOn', 'The date it was released', {
        requiredMessage: 'Enter the date the export was given to the person who asked',
        today,
        notInFuture: 'The date it was released must be today or in the past',
      }),
    },
    body,
  );
  if (!result.ok) return result;
  return { ok: true, data: { version: result.data.version, releasedOn: result.data.releasedOn as IsoDate } };
}
