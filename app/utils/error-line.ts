const MAX_LENGTH = 240;

/** Control characters (a CR or LF would start a forged log line) become spaces; runs of space collapse. */
function oneLine(text: string): string {
  let out = "";
  for (const char of text) {
    const code = char.charCodeAt(0);
    out += code < 0x20 || code === 0x7f ? " " : char;
  }
  out = out.replace(/\s+/g, " ").trim();
  return out.length > MAX_LENGTH ? `${out.slice(0, MAX_LENGTH - 1)}…` : out;
}

const nonEmptyLines = (text: string) => text.split(/\r?\n|\r/).map((l) => l.trim()).filter((l) => l.length > 0);

/**
 * One log line for a thrown value: the error's name and what went wrong, without a stack, quoted
 * source, file paths or the data the value carries. Never empty and never "[object Object]".
 *
 * Prisma's messages start with a newline and quote the calling source; their reason is the last
 * line, their code (P2002, …) says the kind.
 */
export function errorLine(thrown: unknown): string {
  if (thrown instanceof Response) return `Response ${thrown.status}`;
  // Remix's error response (a thrown or unmatched route answer): its status says it.
  if (typeof thrown === "object" && thrown !== null && "status" in thrown && typeof thrown.status === "number" && "statusText" in thrown) {
    return `ErrorResponse ${thrown.status}`;
  }
  if (thrown instanceof Error) {
    const lines = nonEmptyLines(thrown.message);
    const code = "code" in thrown && typeof thrown.code === "string" ? ` ${thrown.code}` : "";
    const reason = code ? lines.at(-1) : lines[0];
    return oneLine(`${thrown.name || "Error"}${code}${reason ? `: ${reason}` : " (no message)"}`);
  }
  if (typeof thrown === "string") return oneLine(thrown) || "thrown empty string";
  // Any other value may carry request or personal data: name only its kind.
  if (thrown === null || thrown === undefined) return `thrown ${String(thrown)}`;
  const kind = typeof thrown === "object" ? (thrown.constructor?.name ?? "object") : typeof thrown;
  return `thrown ${kind} (not an Error)`;
}
