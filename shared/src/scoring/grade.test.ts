import { describe, expect, it } from 'vitest';
import { GRADES, gradeAtLeast, gradeFromFit } from './grade';

describe('grades', () => {
  it.each([
    [100, 'A'],
    [80, 'A'],
    [79.99, 'B'],
    [60, 'B'],
    [59.99, 'C'],
    [40, 'C'],
    [39.99, 'D'],
    [20, 'D'],
    [19.99, 'F'],
    [0, 'F'],
  ])('fit %d is grade %s', (fit, grade) => {
    expect(gradeFromFit(fit)).toBe(grade);
  });

  it('orders grades A best, F worst', () => {
    for (const [i, grade] of GRADES.entries()) {
      for (const [j, min] of GRADES.entries()) expect(gradeAtLeast(grade, min)).toBe(i <= j);
    }
  });
});
