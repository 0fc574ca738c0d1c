/** See thread-priority.js. */
export function lowerThreadPriority(niceness: number): void;
