/**
 * Sectors and intents shipped by default (contract v1). Operators extend this set through
 * configuration; code must therefore treat sector and intent as open strings, with these as the
 * well-known values.
 */
export const DEFAULT_SECTOR_INTENTS = {
  health: ['appointment', 'covid', 'other'],
  oxygen: ['supply', 'equipment', 'other'],
  banking: ['financial_relief', 'emergency_credit', 'refinancing', 'government_subsidy', 'corporate', 'other'],
  insurance: ['assistance', 'emergency', 'other'],
  compensation_funds: ['monetary_quota', 'unemployment_subsidy', 'other'],
  food_delivery: ['restaurant_order', 'groceries', 'order_status', 'other'],
  unclassified: [],
} as const satisfies Record<string, readonly string[]>;

export type DefaultSector = keyof typeof DEFAULT_SECTOR_INTENTS;
export const UNCLASSIFIED_SECTOR = 'unclassified';
export const UNCLASSIFIED_INTENT = 'unclassified';
export const OTHER_INTENT = 'other';

export const CHANNELS = ['voice', 'chat', 'whatsapp', 'video', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CUSTOMER_SEGMENTS = ['standard', 'vip', 'corporate'] as const;
export type CustomerSegment = (typeof CUSTOMER_SEGMENTS)[number];
