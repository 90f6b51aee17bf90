/** Pseudonymising, linking and anonymising a municipal delivery into the analysis table. */
export { deriveFeatures, newTrajectoryState, parseIsoDate, type TrajectoryState } from "./derive.js";
export { DELIVERY_FILE_NAMES, DELIVERY_FILES, type DeliveryFile, isValidBsn } from "./format.js";
export { quasiIdentifierPlan } from "./anonymise.js";
export { type LinkOptions, linkDelivery } from "./link.js";
export { type DeliveryProfile, DeliveryProfileSchema, deliveryProfileSchema, loadDeliveryProfile, parseDeliveryProfile } from "./profile.js";
export { createPseudonymiser, PseudonymKeySchema, requirePseudonymKey } from "./pseudonym.js";
export { type FileReport, type LinkageReport, LinkageReportSchema, SourceFormatSchema } from "./report.js";
export { QUARANTINE_REASONS, type QuarantineReason } from "./rows.js";
export { LINKED_OUTCOMES, type LinkTable, linkedSchema, linkTableFor } from "./table-spec.js";
