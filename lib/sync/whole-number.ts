/** True for a finite number without a fraction (Number.isInteger, which ES5 engines lack). */
export function isWholeNumber(value: number): boolean {
  return typeof value === "number" && isFinite(value) && Math.floor(value) === value;
}
