/** Grades from best to worst (there is no E, as in Pardot). */
export const GRADES = ['A', 'B', 'C', 'D', 'F'] as const;
export type Grade = (typeof GRADES)[number];

/** Lowest fit of each grade, best first (SCORING.md). */
const GRADE_FLOORS: readonly (readonly [Grade, number])[] = [
  ['A', 80],
  ['B', 60],
  ['C', 40],
  ['D', 20],
];

/**
 * The grade of a fit: A when fit >= 80, B >= 60, C >= 40, D >= 20, else F.
 *
 * @example
 * gradeFromFit(80);    // 'A'
 * gradeFromFit(79.99); // 'B'
 * gradeFromFit(0);     // 'F'
 */
export function gradeFromFit(fit: number): Grade {
  for (const [grade, floor] of GRADE_FLOORS) if (fit >= floor) return grade;
  return 'F';
}

/**
 * Whether `grade` is `min` or better.
 *
 * @example
 * gradeAtLeast('A', 'B'); // true
 * gradeAtLeast('C', 'B'); // false
 * gradeAtLeast('B', 'B'); // true
 */
export function gradeAtLeast(grade: Grade, min: Grade): boolean {
  return GRADES.indexOf(grade) <= GRADES.indexOf(min);
}
