import { expect, test } from "./fixtures";

// Parallel wrong passwords for one account: at most 5 are checked, the rest get 429 with Retry-After.
test("parallel login attempts for one account: 5 checked, the rest refused with 429 and Retry-After", async ({ request, baseURL }) => {
  const attempt = (i: number) =>
    request.post("/login", {
      headers: { Origin: baseURL ?? "", "Content-Type": "application/x-www-form-urlencoded" },
      data: `username=e2e-parallel-account&password=wrong-${i}`,
      maxRedirects: 0,
    });
  const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(i)));
  const statuses = responses.map((r) => r.status());
  expect(statuses.filter((s) => s === 200)).toHaveLength(5);
  const refused = responses.filter((r) => r.status() === 429);
  expect(refused).toHaveLength(7);
  for (const response of refused) {
    expect(Number(response.headers()["retry-after"])).toBeGreaterThan(60);
    // A browser gets the login page with the message, not a bare error.
    expect(await response.text()).toContain("Te veel");
  }
});
