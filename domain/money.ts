// Money is whole yen (JPY has no minor unit). Every function here takes and returns safe
// integers; a rule that divides floors (千円未満切り捨て and the like).

export interface Rate {
  numerator: number;
  denominator: number;
}

export function assertYen(value: number, what = 'amount'): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a whole number of yen, got ${value}`);
  return value;
}

/** floor(amount × rate) in integer arithmetic, exact for any safe-integer amount. */
export function applyRate(amountJpy: number, rate: Rate): number {
  assertYen(amountJpy);
  const product = BigInt(amountJpy) * BigInt(rate.numerator);
  const q = product / BigInt(rate.denominator);
  // BigInt division truncates toward zero; floor for negatives too.
  const floored = product < 0n && q * BigInt(rate.denominator) !== product ? q - 1n : q;
  return Number(floored);
}

/** Round down to a multiple of `unitJpy` (e.g. 1000 for 千円未満切り捨て). */
export function floorToUnit(amountJpy: number, unitJpy: number): number {
  assertYen(amountJpy);
  if (!Number.isSafeInteger(unitJpy) || unitJpy <= 0) throw new RangeError(`rounding unit must be a positive integer, got ${unitJpy}`);
  return Math.floor(amountJpy / unitJpy) * unitJpy;
}

export function sumYen(values: readonly number[]): number {
  return values.reduce((total, v) => total + assertYen(v), 0);
}

export function minYen(...values: number[]): number {
  return Math.min(...values.map((v) => assertYen(v)));
}

export function isValidRate(rate: Rate): boolean {
  return Number.isSafeInteger(rate.numerator) && Number.isSafeInteger(rate.denominator)
    && rate.numerator > 0 && rate.denominator > 0 && rate.numerator <= rate.denominator;
}
