// Every migration, by name. A static list (rather than reading the folder) works the same
// from TypeScript sources, the compiled build and any bundle.
import type { Migration } from 'kysely';
import * as platform from './2024_11_25_0001_platform.js';
import * as seedProgramYears2024 from './2024_11_25_0002_seed_program_years_2024.js';
import * as subsidyCases from './2024_11_25_0010_subsidy_cases.js';
import * as brandEngagements from './2024_11_25_0020_brand_engagements.js';
import * as commandLog from './2026_11_26_0001_command_log.js';
import * as brandEngagementViews from './2026_11_26_0002_brand_engagement_views.js';
import * as correctToTheYen from './2026_11_26_0003_correct_to_the_yen.js';
import * as designManagement from './2026_11_26_0030_design_management.js';
import * as notificationDelivery from './2026_11_26_0040_notification_delivery.js';
import * as webhooks from './2026_11_26_0041_webhooks.js';

export const migrations: Record<string, Migration> = {
  '2024_11_25_0001_platform': platform,
  '2024_11_25_0002_seed_program_years_2024': seedProgramYears2024,
  '2024_11_25_0010_subsidy_cases': subsidyCases,
  '2024_11_25_0020_brand_engagements': brandEngagements,
  '2026_11_26_0001_command_log': commandLog,
  '2026_11_26_0002_brand_engagement_views': brandEngagementViews,
  '2026_11_26_0003_correct_to_the_yen': correctToTheYen,
  '2026_11_26_0030_design_management': designManagement,
  '2026_11_26_0040_notification_delivery': notificationDelivery,
  '2026_11_26_0041_webhooks': webhooks,
};
