import { describe, expect, it } from 'vitest';
import { badgeText } from './task-badge';

describe('the toolbar badge', () => {
  it('shows the count of tasks due today, nothing at zero, and 99+ past 99', () => {
    expect(badgeText(0)).toBe('');
    expect(badgeText(3)).toBe('3');
    expect(badgeText(99)).toBe('99');
    expect(badgeText(250)).toBe('99+');
  });
});
