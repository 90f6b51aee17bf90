/** The two encodings an HTML form sends; anything else is not a form. */
const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"] as const;

const UNSUPPORTED =
  "Dit verzoek is geen formulier: verstuur het als application/x-www-form-urlencoded of multipart/form-data. " +
  "(This request is not a form: send it as application/x-www-form-urlencoded or multipart/form-data.)";
const UNREADABLE = "Het formulier kon niet worden gelezen. (The form could not be read.)";

/**
 * The one way a route action reads its form: a body in another format is a thrown 415, a form
 * that cannot be parsed (a broken multipart boundary, a cut-off body) a thrown 400, each with a
 * plain message, never a 500.
 */
export async function readForm(request: Request): Promise<FormData> {
  const type = request.headers.get("Content-Type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  if (!(FORM_TYPES as readonly string[]).includes(type)) {
    throw new Response(UNSUPPORTED, {
      status: 415,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Accept-Post": FORM_TYPES.join(", ") },
    });
  }
  try {
    return await request.formData();
  } catch {
    throw new Response(UNREADABLE, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
}
