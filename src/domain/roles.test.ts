import { describe, expect, it } from 'vitest';
import { can, PUPIL_SCOPE } from './roles.ts';

describe('roles', () => {
  it('keeps SEN records from office staff and names from the governor', () => {
    expect(can('office', 'pupil.view')).toBe(true);
    expect(can('office', 'sen.view')).toBe(false);
    expect(can('office', 'concern.raise')).toBe(false);
    expect(can('sen_governor', 'pupil.view')).toBe(false);
    expect(can('sen_governor', 'counts.view')).toBe(true);
    expect(PUPIL_SCOPE.sen_governor).toBe('none');
  });
  it('lets only the SENCo manage staff and run the register review', () => {
    expect(can('senco', 'staff.manage')).toBe(true);
    expect(can('head_teacher', 'staff.manage')).toBe(false);
    expect(can('head_teacher', 'register.review')).toBe(false);
    expect(can('class_teacher', 'register.change')).toBe(false);
  });
  it('scopes teachers to classes and assistants to their pupils', () => {
    expect(PUPIL_SCOPE.class_teacher).toBe('classes');
    expect(PUPIL_SCOPE.teaching_assistant).toBe('assigned');
    expect(PUPIL_SCOPE.senco).toBe('school');
  });
});
