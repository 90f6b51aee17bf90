/**
 * Windows-1252 encoding, for writing a delivery the way Dutch spreadsheet and case-management
 * systems export it. Node's TextEncoder only writes UTF-8; decoding needs no helper
 * (`new TextDecoder("windows-1252")`). Single-byte: a character outside the code page becomes `?`,
 * as those systems do.
 */

/** Code points of bytes 0x80–0x9F (the rest of 0x00–0xFF equals Latin-1); 0 marks an unused byte. */
const HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0, 0,
  0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];
const BYTE_OF = new Map<number, number>(HIGH.flatMap((cp, i) => (cp === 0 ? [] : [[cp, 0x80 + i] as [number, number]])));
const QUESTION_MARK = 0x3f;

export function encodeWindows1252(text: string): Buffer {
  const out = Buffer.allocUnsafe(text.length);
  let n = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x80 || (cp >= 0xa0 && cp <= 0xff)) out[n] = cp;
    else out[n] = BYTE_OF.get(cp) ?? QUESTION_MARK;
    n += 1;
  }
  return out.subarray(0, n);
}

const C1 = /[\u0080-\u009f]/g;
const CHAR_OF_C1 = new Map<string, string>(HIGH.flatMap((cp, i) => (cp === 0 ? [] : [[String.fromCharCode(0x80 + i), String.fromCodePoint(cp)] as [string, string]])));

/**
 * Windows-1252 bytes as text. Node's `TextDecoder("windows-1252")` reads bytes 0x80–0x9F as
 * Latin-1 control characters (so `€`, `‘`, `’`, `–`, `Š` come out wrong), hence this decoder:
 * Latin-1, then those 27 bytes through the code page. Single-byte, so any chunk decodes alone.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  return latin1.replace(C1, (c) => CHAR_OF_C1.get(c) ?? c);
}
