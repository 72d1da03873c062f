// Evidence files: typed from their bytes, 10 MB at most (413 beyond, nothing stored),
// sha256 kept, downloadable as uploaded, only while the evidence is open.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { jstDate } from '../../domain/time.js';
import { filingBody, multipart, newApplicant, pdfBytes, useSubsidyApp } from './subsidy-cases-fixtures.js';
import { expectProblem } from '../helpers/problem.js';

const ctx = useSubsidyApp();
const today = () => jstDate(Date.now());

async function caseWithExpense() {
  const applicantId = await newApplicant(ctx.http);
  const id = (await ctx.http.post('/subsidy-cases', filingBody(ctx.yearId, applicantId))).json().id as string;
  await ctx.http.post(`/subsidy-cases/${id}/decision`, { approve: true });
  const expense = await ctx.http.post(`/subsidy-cases/${id}/expenses`, { category: 'foreign_office_fee', payee: 'EPO', country: 'US', incurredOn: today(), paidOn: today(), amountJpy: 300_000 });
  return { id, expenseId: expense.json().id as string };
}

const upload = (id: string, expenseId: string, bytes: Buffer, filename = 'invoice.pdf', type = 'application/pdf') =>
  ctx.http.post(`/subsidy-cases/${id}/expenses/${expenseId}/documents`, undefined, multipart(bytes, filename, type));

const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR fake png body')]);
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF fake jpeg body')]);

describe('evidence files', () => {
  it('stores PDF, PNG and JPEG with their sha256 and gives them back byte for byte', async () => {
    const { id, expenseId } = await caseWithExpense();
    for (const [bytes, name, type] of [[pdfBytes('請求書'), '請求書.pdf', 'application/pdf'], [png, 'receipt.png', 'image/png'], [jpeg, 'scan.jpg', 'image/jpeg']] as const) {
      // The declared type is ignored: the bytes decide.
      const res = await upload(id, expenseId, bytes, name, 'application/octet-stream');
      expect(res.statusCode, res.body).toBe(201);
      const doc = res.json();
      expect(doc).toMatchObject({ sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, contentType: type, filename: name });
      const down = await ctx.http.get(doc.downloadUrl);
      expect(down.statusCode).toBe(200);
      expect(down.headers['content-type']).toBe(type);
      expect(down.headers.etag).toBe(`"${doc.sha256}"`);
      expect(down.rawPayload.equals(bytes)).toBe(true);
    }
    const view = (await ctx.http.get(`/subsidy-cases/${id}`)).json();
    expect(view.expenses[0].documents.map((d: { contentType: string }) => d.contentType)).toEqual(['application/pdf', 'image/png', 'image/jpeg']);
    expect(view.history.filter((h: { type: string }) => h.type === 'document_uploaded')).toHaveLength(3);
  });

  it('refuses other types with 415 and stores nothing', async () => {
    const { id, expenseId } = await caseWithExpense();
    for (const bytes of [Buffer.from('GIF89a....'), Buffer.from('<html><body>%PDF-</body></html>'), Buffer.alloc(0)]) {
      const res = await upload(id, expenseId, bytes, 'fake.pdf');
      expect(res.statusCode, res.body).toBe(415);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().code).toBe('unsupported_media_type');
    }
    const json = await ctx.http.post(`/subsidy-cases/${id}/expenses/${expenseId}/documents`, { file: 'not a file' });
    expect(json.statusCode).toBe(415);
    expect((await ctx.db.selectFrom('subsidy_documents').select('id').where('case_id', '=', id).execute())).toHaveLength(0);
  });

  it('answers 400 for a multipart body it cannot read (no boundary, cut off) and stores nothing', async () => {
    const { id, expenseId } = await caseWithExpense();
    const url = `/subsidy-cases/${id}/expenses/${expenseId}/documents`;
    const noBoundary = await ctx.http.post(url, undefined, { headers: { 'content-type': 'multipart/form-data' }, payload: Buffer.from('x') });
    expect(noBoundary.statusCode, noBoundary.body).toBe(400);
    expect(noBoundary.json().code).toBe('bad_request');
    const { payload, headers } = multipart(pdfBytes());
    const cut = await ctx.http.post(url, undefined, { headers, payload: payload.subarray(0, payload.length - 20) });
    expect(cut.statusCode, cut.body).toBe(400);
    expect((await ctx.db.selectFrom('subsidy_documents').select('id').where('case_id', '=', id).execute())).toHaveLength(0);
  });

  it('answers 413 problem+json past 10 MB and stores no truncated file', async () => {
    const { id, expenseId } = await caseWithExpense();
    const big = Buffer.concat([pdfBytes(), Buffer.alloc(10 * 1024 * 1024 + 1, 0x20)]);
    const res = await upload(id, expenseId, big);
    expectProblem(res, 413, 'payload_too_large');
    const exactly = Buffer.concat([pdfBytes(), Buffer.alloc(10 * 1024 * 1024 - pdfBytes().length, 0x20)]);
    const ok = await upload(id, expenseId, exactly);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().size).toBe(10 * 1024 * 1024);
    const stored = await ctx.db.selectFrom('subsidy_documents').select(['size']).where('case_id', '=', id).execute();
    expect(stored).toEqual([{ size: 10 * 1024 * 1024 }]);
  });

  it('answers 404 for an unknown case, expense or document, and 409 once the evidence is closed', async () => {
    const { id, expenseId } = await caseWithExpense();
    expect((await upload('sc_nope', expenseId, pdfBytes())).statusCode).toBe(404);
    expect((await upload(id, 'ex_nope', pdfBytes())).statusCode).toBe(404);
    expect((await ctx.http.get(`/subsidy-cases/${id}/expenses/${expenseId}/documents/doc_nope`)).statusCode).toBe(404);
    await ctx.http.post(`/subsidy-cases/${id}/report`);
    expect((await upload(id, expenseId, pdfBytes())).statusCode).toBe(201); // a late receipt while under review
    await ctx.http.post(`/subsidy-cases/${id}/expenses/${expenseId}/confirmation`, { accepted: true });
    await ctx.http.post(`/subsidy-cases/${id}/determination`);
    const late = await upload(id, expenseId, pdfBytes());
    expectProblem(late, 409, 'invalid_state');
  });
});
