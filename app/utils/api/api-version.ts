/** The JSON API's full version, sent as `API-Version` on every /api/v1 response (also by the HTTP server's own refusals). */
export const API_VERSION = "1.0.0";
