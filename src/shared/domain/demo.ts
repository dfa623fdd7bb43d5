/**
 * Names of the demo Kiln seeds on first start (see src/db/seed-demo-world.ts), shared with the
 * dashboard so its front page can guide a newcomer through running it.
 */
export const DEMO_PROJECT = 'demo';
export const DEMO_APPLICATION = 'storefront';
export const DEMO_PIPELINE = 'Ship storefront';
/** The service account that made the first release at first start (it cannot sign in). */
export const DEMO_ACCOUNT = 'kiln-demo';
export const DEMO_BALANCERS = { staging: 'storefront-staging', prod: 'storefront-prod' } as const;
