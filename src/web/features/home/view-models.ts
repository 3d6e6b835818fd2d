import type { FirstStep, HomeService } from '../../../services/home.ts';
import { paths } from '../../paths.ts';

type FirstSteps = Awaited<ReturnType<HomeService['overview']>>['firstSteps'];

const STEPS: Record<FirstStep, { title: string; hint: string; href: string; who: string }> = {
  staff: {
    title: 'Add your staff',
    hint: 'Everyone who works with pupils, with their roles: teachers, teaching assistants, the office, the SEN governor.',
    href: paths.staff.to(),
    who: 'the SENCo or the head teacher',
  },
  classes: {
    title: 'Set up your classes',
    hint: 'Each class with its year groups and teachers: a class teacher then sees their own pupils.',
    href: paths.classes.to(),
    who: 'the SENCo, the head teacher or the office',
  },
  pupils: {
    title: 'Bring in your pupils from the MIS',
    hint: 'Upload an export of your pupils as a CSV file: you see every pupil before anything is saved.',
    href: paths.importPupils.to(),
    who: 'the SENCo, the head teacher or the office',
  },
  concern: {
    title: 'Raise your first concern',
    hint: 'Find a pupil by name and say what you have noticed: the SENCo reviews it.',
    href: paths.findPupil.to(),
    who: 'any member of staff',
  },
};

/** The first steps as a GOV.UK task list: each done, to do (a link for whoever may do it), or someone else's. */
export function firstStepsModel(steps: FirstSteps) {
  if (!steps) return null;
  return {
    done: steps.filter((s) => s.done).length,
    total: steps.length,
    items: steps.map(({ step, done, may }) => {
      const s = STEPS[step];
      return {
        title: { text: s.title },
        hint: { text: may || done ? s.hint : `${s.hint} Done by ${s.who}.` },
        ...(may && !done ? { href: s.href } : {}),
        status: done
          ? { text: 'Done' }
          : may
            ? { tag: { text: 'To do', classes: 'govuk-tag--blue' } }
            : { text: 'Not done yet', classes: 'govuk-task-list__status--cannot-start-yet' },
      };
    }),
  };
}
