import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatIsoDate, parseIsoDate } from "./derive.js";
import { DATE_FORMATS, type DateFormat, detectDateFormat, detectDecimalSeparator, toIsoDate, toPointDecimal } from "./dialect.js";

/** Writes an ISO date the way a format does (d-m-yyyy without leading zeros). */
function write(iso: string, format: DateFormat): string {
  const [y, m, d] = iso.split("-") as [string, string, string];
  if (format === "yyyy-mm-dd") return iso;
  if (format === "yyyymmdd") return `${y}${m}${d}`;
  if (format === "dd-mm-yyyy") return `${d}-${m}-${y}`;
  return `${Number(d)}-${Number(m)}-${y}`;
}

const isoDate = fc.integer({ min: parseIsoDate("1900-01-01") as number, max: parseIsoDate("2100-12-31") as number }).map(formatIsoDate);

describe("toIsoDate", () => {
  it("reads each format on hand-made dates", () => {
    expect(toIsoDate("2021-03-05", "yyyy-mm-dd")).toBe("2021-03-05");
    expect(toIsoDate("20210305", "yyyymmdd")).toBe("2021-03-05");
    expect(toIsoDate("05-03-2021", "dd-mm-yyyy")).toBe("2021-03-05");
    expect(toIsoDate("5-3-2021", "d-m-yyyy")).toBe("2021-03-05");
    expect(toIsoDate("5-3-2021", "dd-mm-yyyy")).toBe("2021-03-05");
  });

  it("rejects a date written in another format (a stray value stays invalid)", () => {
    expect(toIsoDate("05-03-2021", "yyyy-mm-dd")).toBeNull();
    expect(toIsoDate("2021-03-05", "dd-mm-yyyy")).toBeNull();
    expect(toIsoDate("20210305", "d-m-yyyy")).toBeNull();
    expect(toIsoDate("2021/03/05", "yyyymmdd")).toBeNull();
  });

  it("round-trips any date in every format", () => {
    fc.assert(
      fc.property(isoDate, fc.constantFrom(...DATE_FORMATS), (iso, format) => {
        expect(toIsoDate(write(iso, format), format)).toBe(iso);
      }),
    );
  });

  it("never throws on any text and returns either null or a 10-character date", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 14 }), fc.constantFrom(...DATE_FORMATS), (text, format) => {
        const out = toIsoDate(text, format);
        expect(out === null || /^\d{4}-\d{2}-\d{2}$/.test(out)).toBe(true);
      }),
    );
  });
});

describe("detectDateFormat", () => {
  it("finds each format in a hand-made column", () => {
    expect(detectDateFormat(["2021-03-05", "1990-12-31"])).toBe("yyyy-mm-dd");
    expect(detectDateFormat(["20210305", "19901231"])).toBe("yyyymmdd");
    expect(detectDateFormat(["05-03-2021", "31-12-1990"])).toBe("dd-mm-yyyy");
    expect(detectDateFormat(["05-03-2021", "1-2-1990"])).toBe("d-m-yyyy");
    expect(detectDateFormat([])).toBe("yyyy-mm-dd");
  });

  it("goes by the majority, so a few stray or impossible values do not flip it", () => {
    expect(detectDateFormat(["2021-03-05", "2021-04-05", "05-03-2021"])).toBe("yyyy-mm-dd");
    expect(detectDateFormat(["05-03-2021", "06-03-2021", "2021-03-05", "31-02-2021"])).toBe("dd-mm-yyyy");
    // 2021-13-05 is no date at all: it counts for no format.
    expect(detectDateFormat(["2021-13-05", "2021-13-06", "05-03-2021"])).toBe("dd-mm-yyyy");
  });

  it("detects the format any sample of dates was written in", () => {
    fc.assert(
      fc.property(fc.array(isoDate, { minLength: 1, maxLength: 30 }), fc.constantFrom(...DATE_FORMATS), (dates, format) => {
        const detected = detectDateFormat(dates.map((d) => write(d, format)));
        if (format === "d-m-yyyy") {
          // Without a day or month below 10, d-m-yyyy is written exactly like dd-mm-yyyy.
          expect(["d-m-yyyy", "dd-mm-yyyy"]).toContain(detected);
          const written = dates.map((d) => write(d, format));
          expect(detected === "d-m-yyyy").toBe(written.some((w) => !/^\d\d-\d\d-/.test(w)));
        } else {
          expect(detected).toBe(format);
        }
      }),
    );
  });
});

describe("decimal commas", () => {
  it("are detected by the majority of decimal values and read as points", () => {
    expect(detectDecimalSeparator(["0,5937", "0,12", "1"])).toBe(",");
    expect(detectDecimalSeparator(["0.5937", "0.12", "1"])).toBe(".");
    expect(detectDecimalSeparator(["1", "2"])).toBe(".");
    expect(toPointDecimal("0,5937")).toBe("0.5937");
    expect(toPointDecimal("-12,5")).toBe("-12.5");
    expect(toPointDecimal("1.234,5")).toBe("1.234,5"); // thousands separators are not ours to guess: left invalid
    expect(toPointDecimal("12")).toBe("12");
  });

  it("read any decimal written with a comma as the same number", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (x) => {
        const text = x.toFixed(4);
        expect(Number(toPointDecimal(text.replace(".", ",")))).toBe(Number(text));
      }),
    );
  });
});
