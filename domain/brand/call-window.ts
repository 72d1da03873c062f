// The call (公募期間): 2024-07-01 to 2024-07-31 17:00 JST, 必着 — the application must
// *arrive* before 17:00, so 17:00:00 itself is too late (isWithinWindow: closesAt exclusive).
import { DomainError } from '../errors.js';
import { isWithinWindow, type RegionalBrandYear } from '../program-year.js';
import { toJstIso } from '../time.js';

export function assertCallWindowOpen(year: Pick<RegionalBrandYear, 'callWindow'>, receivedAt: number): void {
  if (isWithinWindow(year.callWindow, receivedAt)) return;
  const { opensAt, closesAt } = year.callWindow;
  throw new DomainError('window_closed', `Received ${toJstIso(receivedAt)}; the call is open from ${opensAt} until before ${closesAt}`,
    [{ path: 'body/receivedAt', message: `must be within [${opensAt}, ${closesAt})` }]);
}
