/** Synthetic municipal deliveries: the structural causal model and the streaming generator. */
export { type DeliveryManifest, type GenerateOptions, generateDelivery, MESS_KINDS, type MessKind } from "./generate.js";
export { Rng } from "./prng.js";
export { BASELINE_INTERCEPT, fakeBsn, type SimPerson, simulatePerson } from "./scm.js";
export { DELIVERY_FORMATS, type DeliveryFormat, exportLayout, PROFILE_FILE_NAME } from "./export-layout.js";
