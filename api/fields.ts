// Body fields whose meaning a JSON schema cannot check: a real instant, a real calendar
// date, not in the future. Each refusal is a 400 naming the field.
import { isValidDate, jstDate, parseInstant, toJstIso } from '../domain/time.js';
import { badRequest } from './problem.js';

const ms = (now: Date | number): number => (typeof now === 'number' ? now : now.getTime());

/** An RFC 3339 instant with an offset that names a real moment; epoch ms. */
export function instantField(path: string, text: string): number {
  const at = parseInstant(text);
  if (at === null) throw badRequest(`${path} is not a real instant`, [{ path, message: 'must be an RFC 3339 instant with an offset' }]);
  return at;
}

/** Records are entered after the fact, never before it. */
export function pastInstantField(path: string, text: string, now: Date | number): number {
  const at = instantField(path, text);
  if (at > ms(now)) throw badRequest(`${path} may not be in the future`, [{ path, message: `may not be in the future (now is ${toJstIso(ms(now))})` }]);
  return at;
}

/** A real YYYY-MM-DD calendar date (JST). */
export function dateField(path: string, text: string): string {
  if (!isValidDate(text)) throw badRequest(`${path} is not a real date`, [{ path, message: 'must be a real calendar date YYYY-MM-DD' }]);
  return text;
}

/** A real calendar date not after today in Japan. */
export function pastDateField(path: string, text: string, now: Date | number): string {
  dateField(path, text);
  if (text > jstDate(ms(now))) throw badRequest(`${path} may not be in the future`, [{ path, message: `may not be after today (${jstDate(ms(now))}, JST)` }]);
  return text;
}
