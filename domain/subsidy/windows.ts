// Application windows (公募期間). Every window instant is JST data of the program year; a
// window is [opensAt, closesAt): one closing at 12:00 refuses 12:00:00 (締切12:00).
import { isWithinWindow, type ApplicationWindow, type Procedure } from '../program-year.js';

/** The window that admits an application for `procedure` received at `receivedAt` (epoch ms), if any. */
export function windowAt(windows: readonly ApplicationWindow[], procedure: Procedure, receivedAt: number): ApplicationWindow | undefined {
  return windows.find((w) => w.procedures.includes(procedure) && isWithinWindow(w, receivedAt));
}
