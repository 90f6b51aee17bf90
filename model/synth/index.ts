/** Synthetic municipal deliveries: the structural causal model and the streaming generator. */
export { type DeliveryManifest, type GenerateOptions, generateDelivery, MESS_KINDS, type MessKind, MUNICIPALITIES, type Municipality } from "./generate.js";
export { B_EXTRA_FEATURE, GEMEENTE_B, GEMEENTE_B_CONFIG_FILE, GEMEENTE_B_NAMING } from "./municipality-b.js";
export { Rng } from "../random.js";
export { BASELINE_INTERCEPT, fakeBsn, type SimPerson, simulatePerson } from "./scm.js";
export { DELIVERY_FORMATS, type DeliveryFormat, exportLayout, PROFILE_FILE_NAME } from "./export-layout.js";
