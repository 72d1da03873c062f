// Shared by the subsidy case tests: a program year open now, applicants, intake bodies.
import { beforeAll, expect } from 'vitest';
import { useAppWithWorker, type AppWithWorker } from '../helpers/app-with-worker.js';
import type { Api } from '../helpers/app.js';

export type { Api };
import { fiscalYearOfInstant, toJstIso, DAY_MS } from '../../domain/time.js';
import { completeOverseasIpYear, type OverseasIpYear, type OverseasIpYearBody } from '../../domain/program-year.js';

/** A program year of the current fiscal year whose windows are open all year, deadline ahead. */
export function openYear(now: Date, overrides: Partial<OverseasIpYearBody> = {}): OverseasIpYear {
  const fy = fiscalYearOfInstant(now);
  return completeOverseasIpYear({
    program: 'overseas_ip_subsidy', fiscalYear: fy, title: `テスト年度 ${fy}`,
    windows: [{ label: '通年', procedures: ['filing', 'office_action_response', 'examination_request'], opensAt: `${fy}-04-01T00:00:00+09:00`, closesAt: `${fy + 1}-03-31T23:59:59+09:00` }],
    rate: { numerator: 1, denominator: 2 }, roundingUnitJpy: 1000,
    caps: {
      filing: { patent: 1_500_000, utility_model: 600_000, design: 600_000, trademark: 600_000, anti_squatting_trademark: 300_000 },
      office_action_response: { patent: 500_000 }, examination_request: { patent: 500_000 },
    },
    perApplicantCaps: { filing: 3_000_000 }, perApplicantCapExemptKinds: ['university'],
    reportDeadline: toJstIso(now.getTime() + 90 * DAY_MS),
    statusReports: { years: 5, asOf: '03-31', due: '05-31' },
    ...overrides,
  });
}

export async function putYear(client: Api, id: string, year: OverseasIpYearBody): Promise<void> {
  const res = await client.put(`/program-years/${id}`, year);
  expect(res.statusCode, res.body).toBeLessThan(300);
}

export async function newApplicant(client: Api, kind = 'sme', name = '株式会社テスト'): Promise<string> {
  const res = await client.post('/applicants', { name, kind, contactEmail: 'ip@example.jp' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

export function filingBody(programYearId: string, applicantId: string, overrides: Record<string, unknown> = {}) {
  return {
    programYearId, applicantId, procedure: 'filing', rightType: 'patent', title: '電動草刈機の刃の固定構造',
    regionalCollectiveTrademark: false, jpoApplicationNumber: '特願2024-012345', targetCountries: ['US', 'CN'],
    priorCaseId: null, priorSubsidyReference: null, refusalGrounds: [], examinationRequested: false,
    estimatedCosts: [
      { category: 'foreign_office_fee', amountJpy: 800_000, country: 'US' },
      { category: 'local_agent_fee', amountJpy: 500_000, country: 'CN' },
      { category: 'domestic_agent_fee', amountJpy: 440_000, consumptionTaxJpy: 40_000 },
    ],
    ...overrides,
  };
}

export const pdfBytes = (text = 'receipt'): Buffer => Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`);

/** A multipart/form-data body with one file part, for `inject`. */
export function multipart(bytes: Buffer, filename = 'receipt.pdf', contentType = 'application/pdf'): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----subsidy${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, bytes, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export interface SubsidyApp extends AppWithWorker {
  /** A program year open now (windows all year, deadline 90 days ahead). */
  yearId: string;
}

/** The app with a worker, and a program year open now. */
export function useSubsidyApp(): SubsidyApp {
  const ctx = useAppWithWorker() as SubsidyApp;
  ctx.yearId = 'overseas-ip-open';
  beforeAll(() => putYear(ctx.http, ctx.yearId, openYear(new Date())));
  return ctx;
}
