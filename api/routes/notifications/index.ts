// GET /notifications and POST /notifications/{id}/retry (api.md → Notifications and webhooks).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getNotification, listNotifications, notificationView, retryNotification, type NotificationStatus } from '../../../db/repositories/notifications.js';
import { IdParams, listOf, problemResponses } from '../../schemas/common.js';
import { exportableList } from '../../exports/media.js';
import { listOrExport, type ExportPage } from '../../exports/send.js';
import { notificationsExport } from '../../exports/lists/notifications.js';
import { NotificationListQuery, NotificationView } from '../../schemas/notifications.js';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.get('/notifications', {
    config: { roles: ['staff'] },
    schema: { tags: ['notifications'], summary: 'Every notice queued, newest first, with its delivery', querystring: NotificationListQuery, response: { 200: exportableList(listOf(NotificationView)), ...problemResponses() } },
  }, async (request, reply) => {
    const { limit, cursor, ...filter } = request.query;
    const read = async (page: ExportPage) => {
      const { page: rows, nextCursor } = await listNotifications(db, { ...filter, status: filter.status as NotificationStatus | undefined }, page);
      return { page: rows.map(notificationView), nextCursor };
    };
    return listOrExport(request, reply, notificationsExport, read, { limit: limit, cursor: cursor });
  });

  app.get('/notifications/:id', {
    config: { roles: ['staff'] },
    schema: { tags: ['notifications'], summary: 'One notice', params: IdParams, response: { 200: NotificationView, ...problemResponses(404) } },
  }, async (request) => notificationView(await getNotification(db, request.params.id)));

  app.post('/notifications/:id/retry', {
    config: { roles: ['staff'] },
    schema: {
      tags: ['notifications'], summary: 'Try a failed notice again (a fresh set of attempts, due now)', params: IdParams,
      response: { 200: NotificationView, ...problemResponses(404, 409) },
    },
  }, async (request) => notificationView(await retryNotification(db, request.params.id)));
};

export default routes;
