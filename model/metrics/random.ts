// The one seeded generator lives in model/network/random.ts; metrics code imports it from here.
export { type Random, seededRandom } from "../network/random.js";
