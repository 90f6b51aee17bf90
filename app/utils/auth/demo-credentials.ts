/**
 * The demo's published credentials (README "Demo accounts"): for a local demo only. Production mode
 * (TRAJECTWIJZER_DEMO=0) never creates them and refuses to start while any account still has one.
 */
export const DEMO_PASSWORD = "Welkom-demo-2026";

/** The demo admin's and data scientist's shared, published TOTP key. */
export const DEMO_TOTP_SECRET = "KRZGC2TFMN2HO2LKPJSXELLEMVWW6LJSMZQQ";
