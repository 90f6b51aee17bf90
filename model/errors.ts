/**
 * Typed errors of `model/`. Only the app's predictor maps them to HTTP statuses;
 * CLIs print their message on one line.
 */
export class ModelError extends Error {
  override name = "ModelError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A table, schema or client that does not match the contract; the message names what and where. */
export class SchemaError extends ModelError {
  override name = "SchemaError";
}

/** A bundle directory that is missing, partial, tampered with or of another format version. */
export class BundleError extends ModelError {
  override name = "BundleError";
}
